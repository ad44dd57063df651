"""Generic scoped-API test cases (NetBox's APIViewTestCases trick, in pytest form).

`ScopedAPITests`: a resource's test class declares its URL and how to make an own object, a
foreign object and a create payload; the cases below then check that visibility and write rights
hold for it. `ScopedResourceTests`: the whole role matrix of a table of `Resource` rows, one per
router resource (tests/test_api_scoping.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from tests.conftest import Chain


@pytest.mark.django_db
class ScopedAPITests:
    """Subclass as ``Test<Resource>API`` and fill in the hooks."""

    __test__ = False  # abstract: only its subclasses are collected

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = True

    url: str = ""

    def own(self, chain: Chain) -> Any:
        """An object of brand A that every role of brand A may see."""
        raise NotImplementedError

    def foreign(self, chain: Chain) -> Any:
        """An object of brand B."""
        raise NotImplementedError

    def create_payload(self, chain: Chain, brand: Any) -> dict:
        """A valid payload that creates a new object in ``brand``."""
        raise NotImplementedError

    def update_payload(self) -> dict:
        return {"name": "Renamed"}

    def detail(self, obj: Any) -> str:
        return f"{self.url}{obj.pk}/"

    @pytest.fixture
    def objs(self, chain: Chain) -> SimpleNamespace:
        """The own and the foreign object, made once per test."""
        return SimpleNamespace(own=self.own(chain), foreign=self.foreign(chain))

    def listed_ids(self, response: Any) -> set[int]:
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    def test_own_object_listed_and_foreign_absent(self, api, chain, role_users, objs):
        ids = self.listed_ids(api(role_users["hq_analyst"]).get(self.url, {"page_size": 500}))
        assert objs.own.pk in ids
        assert objs.foreign.pk not in ids

    def test_foreign_detail_is_404(self, api, chain, role_users, objs):
        client = api(role_users["hq_admin"])
        assert client.get(self.detail(objs.own)).status_code == 200
        assert client.get(self.detail(objs.foreign)).status_code == 404
        assert (
            client.patch(self.detail(objs.foreign), self.update_payload(), format="json").status_code == 404
        )
        assert client.delete(self.detail(objs.foreign)).status_code == 404

    def test_admin_creates_in_own_brand_not_in_foreign(self, api, chain, role_users):
        client = api(role_users["hq_admin"])
        created = client.post(self.url, self.create_payload(chain, chain.brand), format="json")
        assert created.status_code == 201, created.content
        refused = client.post(self.url, self.create_payload(chain, chain.other_brand), format="json")
        assert refused.status_code == 400, refused.content

    def test_admin_updates_own(self, api, chain, role_users, objs):
        response = api(role_users["hq_admin"]).patch(
            self.detail(objs.own), self.update_payload(), format="json"
        )
        assert response.status_code == 200, response.content

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee"])
    def test_other_roles_cannot_write(self, api, chain, role_users, role, objs):
        client = api(role_users[role])
        assert (
            client.post(self.url, self.create_payload(chain, chain.brand), format="json").status_code == 403
        )
        own = objs.own
        assert client.patch(self.detail(own), self.update_payload(), format="json").status_code in (403, 404)
        assert client.delete(self.detail(own)).status_code in (403, 404)

    def test_anonymous_rejected(self, api, chain, objs):
        assert api().get(self.url).status_code == 401
        assert api().get(self.detail(objs.own)).status_code == 401

    def test_outsider_sees_nothing(self, api, chain, role_users, objs):
        client = api(role_users["outsider"])
        assert self.listed_ids(client.get(self.url)) == set()
        assert client.get(self.detail(objs.own)).status_code == 404


# --- The role matrix: every role against every object of a router resource ----------------------
#
# A `Resource` names the objects of one router resource (all of them: the superuser's list must be
# exactly these), which roles see which, and the unsafe requests (`Write`) the resource answers.
# `ScopedResourceTests` turns a table of them into, per resource, one case for the reads of every
# role (the list holds exactly what the role sees; each detail is 200 or 404) and one for every
# write as every role (success for the roles that may, else 403 if they see the object, 404 or 400
# if they do not, 401 anonymous; nothing changed), plus a check that the table exercises every
# unsafe route of the resource's viewset and that every other method is 405.

ROLES = (
    "superuser",
    "hq_admin",
    "hq_analyst",
    "auditor",
    "franchisee",
    "other_admin",
    "outsider",
    "anonymous",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
NO_ADMIN_BRAND = frozenset({"hq_analyst", "auditor", "franchisee", "outsider"})
"""Roles that are HQ admin of no brand: the write permission of `cx_audit.core.api.ScopedModelViewSet`
refuses them an add (403) before anything is looked up; a write to one object looks it up first, so
they get 403 only for an object they see, and 404 for one they do not (like an id that never
existed: the answer tells nothing)."""

MISSING_PK = 987_654_321
"""An id no object has: a hidden object must be answered exactly like it."""

UNSAFE = ("post", "put", "patch", "delete")
STANDARD_ROUTES = {"create": "post", "update": "put", "partial_update": "patch", "destroy": "delete"}


@dataclass
class Scene:
    """What every resource's objects are built on: the two-brand chain and one user per role."""

    chain: Chain
    users: dict[str, Any]  # role → user; "anonymous" → None
    user_in: Callable[..., Any]


Payload = Callable[["Scene", dict[str, Any], str], dict] | dict | None


@dataclass(frozen=True)
class Write:
    """One unsafe request of a resource, who may make it, and what everyone else is answered.

    ``route`` is the viewset's action: create, update, partial_update, destroy or an extra action's
    name (e.g. ``void``). ``target`` names the object whose detail URL it is sent to (None: the list
    URL). A role that may not make it is answered 403 when it sees what the request is about
    (``seen_by``; default: who sees the target) and ``hidden`` when it does not (404, or 400 when a
    scoped field of the body refuses the id); roles in ``gated`` are refused a write to the list (an
    add) before any lookup (403), and a write to one object like everyone else.
    ``bugs`` maps a role to a description of a bug in its answer: that case is a strict xfail.
    """

    name: str
    route: str
    target: str | None = None
    payload: Payload = None
    allowed: frozenset[str] = frozenset()
    ok: int = 200
    seen_by: frozenset[str] | None = None
    hidden: int = 404
    gated: frozenset[str] = frozenset()
    method: str = ""  # only for an extra action that answers more than one unsafe method
    kwargs: Callable[[dict[str, Any]], dict] | None = None  # further URL arguments of an extra action
    format: str = "json"
    touches: tuple[str, ...] = ()  # other models ("app.Model") whose rows the write changes
    changes: bool = True  # a success changes a row of those or of the resource's model
    bugs: Mapping[str, str] = field(default_factory=dict)

    def expected(self, role: str, sees: bool) -> int:
        if role == "anonymous":
            return 401
        if role in self.allowed:
            return self.ok
        if role in self.gated and self.target is None:
            return 403
        return 403 if sees else self.hidden


def visibility(**by_role: str) -> dict[str, frozenset[str]]:
    """``visibility(superuser="a b", hq_admin="a")``: the names each signed-in role sees (others none)."""
    unknown = set(by_role) - SIGNED_IN
    assert not unknown, unknown
    return {role: frozenset(by_role.get(role, "").split()) for role in sorted(SIGNED_IN)}


def as_read(**changes: Any) -> Callable[[Scene, dict[str, Any], str], dict]:
    """A PUT body: the object as the superuser reads it at the URL, with ``changes``."""

    def payload(scene: Scene, objs: dict[str, Any], url: str) -> dict:
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(scene.users["superuser"])
        response = client.get(url)
        assert response.status_code == 200, response.content
        return {**response.json(), **changes}

    return payload


@dataclass(frozen=True)
class Resource:
    """One router resource: ``build`` makes its objects by name, ``sees`` says which roles see which."""

    name: str  # the router prefix, e.g. "audits"
    build: Callable[[Scene], dict[str, Any]]
    sees: Mapping[str, frozenset[str]]
    writes: tuple[Write, ...] = ()
    leaks: Mapping[str, str] = field(default_factory=dict)  # role → a bug in its reads (strict xfail)
    row_id: Callable[[dict], int] = field(default=lambda row: row["id"])
    unread: Mapping[str, str] = field(default_factory=dict)  # safe extra route → why the reads skip it

    @property
    def everything(self) -> frozenset[str]:
        """Every object the resource has: the superuser sees them all."""
        return self.sees["superuser"]

    @property
    def viewset(self) -> Any:
        return _registration(self.name)[0]

    @property
    def basename(self) -> str:
        return _registration(self.name)[1]

    def url(self, route: str = "list", pk: Any = None, **kwargs: Any) -> str:
        """The URL of the list, a detail (``pk``) or an extra action, reversed from the router."""
        from django.urls import reverse

        actions = {action.__name__: action.url_name for action in self.viewset.get_extra_actions()}
        url_name = route
        if route in actions:
            url_name = actions[route]
        elif route in STANDARD_ROUTES:  # create goes to the list, the others to the detail
            url_name = "list" if pk is None else "detail"
        if pk is not None:
            kwargs = {"pk": pk, **kwargs}
        return reverse(f"{self.basename}-{url_name}", kwargs=kwargs)

    def method_of(self, write: Write) -> str:
        """The HTTP method of a write: its own, its standard route's, or its extra action's only one."""
        if write.method or write.route in STANDARD_ROUTES:
            return write.method or STANDARD_ROUTES[write.route]
        methods = {method for route, method in self.unsafe_routes() if route == write.route}
        assert len(methods) == 1, f"say which method of {write.route} ({sorted(methods)}) {write.name} uses"
        return methods.pop()

    def safe_routes(self) -> list[str]:
        """The extra GET routes of one object (``score``, ``photo``…) the reads try on every object:
        all but those in ``unread`` and those that need more than the object's id in the URL."""
        return sorted(
            action.__name__
            for action in self.viewset.get_extra_actions()
            if action.detail
            and "get" in action.mapping
            and "(?P<" not in action.url_path
            and action.__name__ not in self.unread
        )

    def unsafe_routes(self) -> set[tuple[str, str]]:
        """(route, method) of every unsafe request the viewset answers."""
        routes = {(name, method) for name, method in STANDARD_ROUTES.items() if hasattr(self.viewset, name)}
        for action in self.viewset.get_extra_actions():
            routes |= {(action.__name__, method) for method in action.mapping if method in UNSAFE}
        return routes


def _registration(prefix: str) -> tuple[Any, str]:
    from cx_audit.api_urls import router

    for registered, viewset, basename in router.registry:
        if registered == prefix:
            return viewset, basename
    raise LookupError(f"{prefix!r} is not registered on the API router")


def _role_groups(case_id: str, bugs: Mapping[str, str]) -> list[Any]:
    """One case for every role whose answers are right, and one strict xfail per role with a bug."""
    sound = tuple(role for role in ROLES if role not in bugs)
    cases = [pytest.param(sound, id=case_id)]
    for role, reason in bugs.items():
        assert role in ROLES, role
        mark = pytest.mark.xfail(strict=True, reason=reason)
        cases.append(pytest.param((role,), id=f"{case_id}-{role}", marks=mark))
    return cases


def _write_groups(resource: Resource) -> list[Any]:
    """One case for every (write, role) whose answer is right, one strict xfail per buggy one."""
    sound = tuple((w.name, role) for w in resource.writes for role in ROLES if role not in w.bugs)
    cases = [pytest.param(sound, id=resource.name)] if sound else []
    for w in resource.writes:
        for role, reason in w.bugs.items():
            assert role in ROLES, role
            mark = pytest.mark.xfail(strict=True, reason=reason)
            cases.append(pytest.param(((w.name, role),), id=f"{resource.name}-{w.name}-{role}", marks=mark))
    return cases


def _rows(resource: Resource, write: Write) -> dict[str, list[dict]]:
    """The rows of the resource's model and of those the write touches, to show that a refused
    request changed nothing (and a create added one object)."""
    models = [resource.viewset.queryset.model, *(apps.get_model(label) for label in write.touches)]
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models}


@contextmanager
def _rolled_back() -> Iterator[None]:
    """What happens inside is undone (a savepoint), so each role meets the same objects."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def _short(response: Any) -> str:
    return response.content.decode(errors="replace")[:300]


def _mismatches(got: dict[str, Any], wanted: dict[str, Any]) -> str:
    """The answers that differ, as got / wanted (pytest does not rewrite this module's asserts)."""
    lines = []
    for key in wanted:
        if got.get(key) != wanted[key]:
            lines += [f"{key}:", f"  got    {got.get(key)!r}", f"  wanted {wanted[key]!r}"]
    return "\n".join(lines)


@pytest.mark.django_db
class ScopedResourceTests:
    """Subclass with ``resources = [...]``: per resource, a case for the reads and one for the writes.

    Each case builds the resource's objects once and asks as every role in turn (each write rolled
    back before the next), then compares all the answers at once, so a failure shows every wrong
    answer of the resource. A known bug (``Resource.leaks``, ``Write.bugs``) is a case of its own
    for that one role (and write), a strict xfail.
    """

    __test__ = False
    resources: Sequence[Resource] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = True

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        names = metafunc.fixturenames
        if "pairs" in names:
            cases = [
                pytest.param(r, *case.values, id=case.id, marks=case.marks)
                for r in self.resources
                for case in _write_groups(r)
            ]
            metafunc.parametrize(("resource", "pairs"), cases)
        elif "roles" in names:
            cases = [
                pytest.param(r, *case.values, id=case.id, marks=case.marks)
                for r in self.resources
                for case in _role_groups(r.name, r.leaks)
            ]
            metafunc.parametrize(("resource", "roles"), cases)
        elif "resource" in names:
            metafunc.parametrize("resource", self.resources, ids=[r.name for r in self.resources])

    @pytest.fixture
    def scene(self, chain, role_users, admin_user, user_in) -> Scene:
        """The chain's role users, a superuser, and the auditor (North, with North-East) also
        assigned F1's LY-102 in the South by location: both kinds of assignment are in play."""
        from locations.models import Membership

        Membership.objects.get(user=role_users["auditor"]).locations.add(chain.f1_tier3)
        users = {"superuser": admin_user, **role_users, "anonymous": None}
        return Scene(chain=chain, users=users, user_in=user_in)

    def test_reads(self, api, scene, resource, roles):
        """Per role: the list holds exactly what it sees, once each; each detail is 200 or 404, and
        so is an id that never existed; each extra GET route (``score``, ``photo``…) of an object
        it does not see is 404 too. Anonymous: 401 for the list and every detail."""
        objs = resource.build(scene)
        every = sorted(resource.everything)
        name_of = {objs[name].pk: name for name in every}
        extra_routes = resource.safe_routes()
        got, wanted = {}, {}
        for role in roles:
            client = api(scene.users[role])
            listing = client.get(resource.url(), {"page_size": 500})
            details = {name: client.get(resource.url("detail", objs[name].pk)).status_code for name in every}
            if role == "anonymous":
                got[role] = (listing.status_code, details)
                wanted[role] = (401, dict.fromkeys(every, 401))
                continue
            assert listing.status_code == 200, (role, _short(listing))
            rows = [resource.row_id(row) for row in listing.json()["results"]]
            listed = sorted(name_of.get(pk, f"unnamed #{pk}") for pk in rows)
            visible = resource.sees[role]
            hidden = [f"{name} {route}" for name in every if name not in visible for route in extra_routes]
            others = {
                key: client.get(resource.url(key.split()[1], objs[key.split()[0]].pk)).status_code
                for key in hidden
            }
            others["never-used id"] = client.get(resource.url("detail", MISSING_PK)).status_code
            got[role] = (listed, details, others)
            wanted[role] = (
                sorted(visible),
                {name: 200 if name in visible else 404 for name in every},
                dict.fromkeys(others, 404),
            )
        assert got == wanted, _mismatches(got, wanted)

    def test_writes(self, api, scene, resource, pairs):
        """Each write as each role: success for the roles that may, 403, 404 (or 400) or 401 for the
        rest, and a refused write changes nothing. Each is rolled back before the next.

        A role that does not see the object gets the same answer for an id that never existed (404):
        the answer tells nothing about the object.
        """
        objs = resource.build(scene)
        writes = {w.name: w for w in resource.writes}
        own_model = resource.viewset.queryset.model._meta.label
        got, wanted = {}, {}
        for name, role in pairs:
            write = writes[name]
            target = objs[write.target] if write.target else None
            extra = write.kwargs(objs) if write.kwargs else {}
            url = resource.url(write.route, target.pk if target else None, **extra)
            method = resource.method_of(write)
            if write.seen_by is not None:
                sees = role in write.seen_by
            else:
                sees = target is None or (role != "anonymous" and write.target in resource.sees[role])
            expected = write.expected(role, sees)
            before = _rows(resource, write)
            client = api(scene.users[role])
            with _rolled_back():
                payload = write.payload(scene, objs, url) if callable(write.payload) else write.payload
                response = getattr(client, method)(url, payload, format=write.format)
                answer = str(response.status_code)
                if response.status_code != expected:
                    answer += f" {_short(response)}"
                after = _rows(resource, write)
                made = len(after[own_model]) - len(before[own_model])
                if response.status_code >= 400 and after != before:
                    answer += " and changed " + ", ".join(m for m in after if after[m] != before[m])
                elif response.status_code < 400 and write.changes and after == before:
                    answer += " but changed nothing"
                elif response.status_code < 400 and write.route == "create" and made != 1:
                    answer += f" and made {made} objects"
                if target is not None and role != "anonymous" and not sees:
                    ghost = resource.url(write.route, MISSING_PK, **extra)
                    payload = write.payload(scene, objs, url) if callable(write.payload) else write.payload
                    again = getattr(client, method)(ghost, payload, format=write.format)
                    if again.status_code != response.status_code:
                        answer += f", but {again.status_code} for an id that never existed"
            assert _rows(resource, write) == before, f"{name} as {role} was not rolled back"
            got[f"{name} as {role}"] = answer
            wanted[f"{name} as {role}"] = str(expected)
        assert got == wanted, _mismatches(got, wanted)

    def test_every_unsafe_route_is_exercised(self, resource):
        """The table names a write for each unsafe route of the viewset, and only for those."""
        exercised = {(w.route, resource.method_of(w)) for w in resource.writes}
        routes = resource.unsafe_routes()
        assert exercised == routes, (
            f"not exercised: {routes - exercised}; no such route: {exercised - routes}"
        )
        assert len({w.name for w in resource.writes}) == len(resource.writes), "write names repeat"
        assert set(resource.sees) == SIGNED_IN, sorted(SIGNED_IN ^ set(resource.sees))
        unknown = {role: names - resource.everything for role, names in resource.sees.items()}
        assert not any(unknown.values()), f"seen but not the superuser's: {unknown}"

    def test_other_methods_are_405(self, api, admin_user, resource):
        """Methods the viewset does not answer are 405 on the list and the detail URL (whatever the
        id: the method is refused before any lookup)."""
        client = api(admin_user)
        routes = resource.unsafe_routes()
        answers = {}
        for method in UNSAFE:
            on_list = ("create", method) in routes
            on_detail = any((route, method) in routes for route in ("update", "partial_update", "destroy"))
            if not on_list:
                answers[f"{method} list"] = getattr(client, method)(
                    resource.url(), {}, format="json"
                ).status_code
            if not on_detail:
                detail = resource.url("detail", MISSING_PK)
                answers[f"{method} detail"] = getattr(client, method)(detail, {}, format="json").status_code
        assert answers == dict.fromkeys(answers, 405), answers
