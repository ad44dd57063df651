"""The permission matrix (issue #12): every route of the URL conf and every operation of the OpenAPI
document, as every kind of user, read and write.

Users: anonymous, a superuser, Aurora's HQ admin and analyst, an auditor of the North (the South is
another region), franchisee F1 against franchisee F2, Zenith's HQ admin, a user with roles in both
brands (Zenith's HQ admin and F2's franchisee at Aurora) and a signed-in user with no role. Each
route is asked with GET and every unsafe method (empty bodies) for each object it can name: one of
each store's where there are several, the other brand's, and an id that never existed.

- No answer is a 5xx.
- An object outside the user's territory (`matrix.Territory`, written out by hand below) is
  answered exactly like the id that never existed, with 401/302 to the anonymous, 404 (405 for a
  method the route does not answer) to the signed-in in the API — never 403, which would say the
  object exists — and 403, 404 or a redirect to a login on pages and in the admin.
- No body names a store, audit or share link outside the user's territory (`matrix.Markers`).
- Writes the user may make on its own objects are answered without a 5xx and rolled back.

The counts (requests, 5xx, leaks) are printed at the end of the run (tests/conftest.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cx_audit.actions.models import ActionEvent, CorrectiveAction
from cx_audit.actions.services import action_respond
from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Evidence
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.services import answers_upsert, audit_create, evidence_add
from cx_audit.core.choices import Role
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import dispute_raise
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.services import scorecard_job_create
from cx_audit.scorecards.sharing import share_link_create
from journeys.models import Framework
from locations.models import Membership
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, passing_answers, scorecard_framework
from tests.factories import AuditPlanFactory, RoutingRuleFactory, UserFactory
from tests.trust import matrix
from tests.trust.matrix import MISSING_PK, Markers, Route, Tenant, Territory

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
NOWHERE = Tenant(brand=-1)
"""What a garbage token or a photo of another audit reaches: nobody's (but is still answered)."""
EVERYONE = Tenant(brand=None, public=True)
"""A route about no object (a list, a dashboard): everyone may ask, and its body is checked."""
HIDDEN_API = {401, 404, 405}
HIDDEN_PAGE = {302, 401, 403, 404, 405}


class Scene:
    """Aurora (North with North-East, South; F1 and F2) and Zenith, audited, disputed, shared."""

    def __init__(self, chain: Any, admin_user: Any, user_in: Any) -> None:
        c = self.chain = chain
        self.users = self._users(c, admin_user, user_in)
        self.territories = self._territories(c)
        self._records(c)
        self.markers = self._markers()

    def _users(self, c: Any, admin_user: Any, user_in: Any) -> dict[str, Any]:
        users = {
            "superuser": admin_user,
            "hq_admin": user_in(c.brand, Role.HQ_ADMIN),
            "hq_analyst": user_in(c.brand, Role.HQ_ANALYST),
            "auditor": user_in(c.brand, Role.AUDITOR, regions=[c.north]),
            "franchisee_f1": user_in(c.brand, Role.FRANCHISEE, franchisee=c.f1),
            "franchisee_f2": user_in(c.brand, Role.FRANCHISEE, franchisee=c.f2),
            "other_admin": user_in(c.other_brand, Role.HQ_ADMIN),
            "two_brands": user_in(c.other_brand, Role.HQ_ADMIN),
            "outsider": UserFactory(),
            "anonymous": None,
        }
        Membership.objects.create(
            user=users["two_brands"], brand=c.brand, role=Role.FRANCHISEE, franchisee=c.f2
        )
        for staff in ("hq_admin", "other_admin", "two_brands"):  # the admin site is in the matrix too
            type(users[staff]).objects.filter(pk=users[staff].pk).update(is_staff=True)
            users[staff].refresh_from_db()
        return users

    def _territories(self, c: Any) -> dict[str, Territory]:
        a, b = c.brand.pk, c.other_brand.pk
        north = frozenset({c.direct_north.pk, c.f2_north_east.pk})
        return {
            "superuser": Territory(everything=True),
            "hq_admin": Territory(brands=frozenset({a})),
            "hq_analyst": Territory(brands=frozenset({a})),
            "auditor": Territory(partial=frozenset({a}), stores=north),
            "franchisee_f1": Territory(
                partial=frozenset({a}), stores=frozenset({c.f1_south.pk, c.f1_tier3.pk})
            ),
            "franchisee_f2": Territory(partial=frozenset({a}), stores=frozenset({c.f2_north_east.pk})),
            "other_admin": Territory(brands=frozenset({b})),
            "two_brands": Territory(
                brands=frozenset({b}), partial=frozenset({a}), stores=frozenset({c.f2_north_east.pk})
            ),
            "outsider": Territory(),
            "anonymous": Territory(),
        }

    def _records(self, c: Any) -> None:
        """Audits at four stores (failed findings open corrective actions), a draft with a photo in the
        North, disputes, share links, bulk jobs, plans and routing rules in both brands."""
        u = self.users
        scorecard_framework(c.brand)
        scorecard_framework(c.other_brand)
        Framework.objects.filter(brand=c.other_brand).update(name="Zenith store standard")
        admin, f1 = u["hq_admin"], u["franchisee_f1"]
        self.audits = {
            "gz": audit_at(c.f1_south, admin, failing_answers(c.f1_south), photo=True),
            "ly": audit_at(c.f1_tier3, admin, failing_answers(c.f1_tier3)),
            "sy": audit_at(c.f2_north_east, admin, failing_answers(c.f2_north_east)),
            "bj": audit_at(c.direct_north, u["auditor"], passing_answers(c.direct_north)),
            "sh": audit_at(c.other, u["other_admin"], failing_answers(c.other), photo=True),
        }
        draft, _ = audit_create(location=c.direct_north, user=u["auditor"], kind=AuditKind.SCHEDULED)
        answers_upsert(audit=draft, user=u["auditor"], answers=passing_answers(c.direct_north))
        evidence_add(
            audit=draft, user=u["auditor"], item_code="SIG-02", upload=io.BytesIO(png_bytes(colour="green"))
        )
        self.audits["bj_draft"] = draft
        dispute_raise(
            audit=self.audits["gz"],
            user=f1,
            item_code="SIG-01",
            note="Replaced.",
            photo=io.BytesIO(png_bytes()),
        )
        dispute_raise(audit=self.audits["sy"], user=u["franchisee_f2"], item_code="SIG-01", note="Replaced.")
        sh_result = ItemResult.objects.get(audit=self.audits["sh"], item_code="SIG-03")
        Dispute.objects.create(  # Zenith's store is direct: only HQ's own record of a dispute
            audit=self.audits["sh"],
            item=sh_result.item,
            item_code="SIG-03",
            note="Replaced.",
            raised_by=u["other_admin"],
        )
        for action in CorrectiveAction.objects.filter(item_code="SIG-03"):
            responder = f1 if action.location.franchisee_id == c.f1.pk else admin
            if action.location.brand_id == c.other_brand.pk:
                responder = u["other_admin"]
            action_respond(
                action=action, user=responder, note="New light box.", photo=io.BytesIO(png_bytes())
            )
        self.links = {
            "gz": share_link_create(location=c.f1_south, user=admin),
            "sh": share_link_create(location=c.other, user=u["other_admin"]),
        }
        done = scorecard_job_create(user=f1, franchisee=c.f1)
        done.file.save("scorecards.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
        ScorecardJob.objects.filter(pk=done.pk).update(
            status=JobStatus.DONE, done=done.total, file=done.file.name, finished_at=timezone.now()
        )
        scorecard_job_create(user=admin, franchisee=c.f2)
        for brand in (c.brand, c.other_brand):
            AuditPlanFactory(brand=brand)
            RoutingRuleFactory(brand=brand)

    def _markers(self) -> Markers:
        markers = Markers()
        c = self.chain
        for location in (c.direct_north, c.f1_south, c.f2_north_east, c.f1_tier3, c.other):
            tenant = matrix.tenant_of(location)
            markers.add(location.name, tenant)
            markers.add(f'"{location.code}"', tenant)  # JSON and attribute values
            markers.add(f">{location.code}<", tenant)  # table cells
        for audit in self.audits.values():
            markers.add(str(audit.uuid), matrix.tenant_of(audit))
        for link in self.links.values():
            markers.add(link.token, matrix.tenant_of(link.link))
            markers.add(link.link.token_hash, matrix.tenant_of(link.link))
        markers.add("Zenith store standard", Tenant(c.other_brand.pk))
        return markers

    # --- what a route can name -------------------------------------------------------------------

    def samples(self, model: Any) -> list[Any]:
        """Up to one record per store (and per brand for brand-wide ones), so each role meets records
        inside and outside its territory."""
        picked: dict[Tenant, Any] = {}
        for obj in model._default_manager.order_by("pk")[:200]:
            picked.setdefault(matrix.tenant_of(obj), obj)
        return list(picked.values())

    def targets(self, route: Route) -> list[tuple[dict[str, Any], Tenant]]:
        """The URL arguments to ask the route with, and whose they are (None: an id never used)."""
        if binder := BINDERS.get(route.name):
            return binder(self)
        if not route.params:
            return [({}, EVERYONE)]
        if route.name.startswith("admin:") and route.params == ("app_label",):
            return [({"app_label": label}, EVERYONE) for label in ("cx_audit", "locations", "journeys")]
        key = next((p for p in ("pk", "object_id", "id") if p in route.params), None)
        model = matrix.model_of(route)
        unnamed = key is None or set(route.params) != {key} or model is None
        assert not unnamed, (
            f"{route.name} ({route.pattern}): say in tests/trust/matrix.py MODEL_OF or in BINDERS "
            "what its URL arguments name, so the matrix asks it"
        )
        found = [({key: obj.pk}, matrix.tenant_of(obj)) for obj in self.samples(model)]
        return [*found, ({key: MISSING_PK}, None)]


def _evidence_of(audit: Any) -> Evidence:
    return Evidence.objects.filter(answer__audit=audit).first()


def _audit_evidence(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    draft, sh = s.audits["bj_draft"], s.audits["sh"]
    return [
        ({"pk": draft.pk, "evidence_id": _evidence_of(draft).pk}, matrix.tenant_of(draft)),
        ({"pk": sh.pk, "evidence_id": _evidence_of(sh).pk}, matrix.tenant_of(sh)),
        # Another audit's photo through this draft: that draft has no such photo (removing is idempotent).
        ({"pk": draft.pk, "evidence_id": _evidence_of(sh).pk}, matrix.tenant_of(draft)),
        ({"pk": MISSING_PK, "evidence_id": MISSING_PK}, None),
    ]


def _answer_codes(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    draft, sh = s.audits["bj_draft"], s.audits["sh"]
    return [
        ({"pk": draft.pk, "item_code": "SIG-02"}, matrix.tenant_of(draft)),
        ({"pk": sh.pk, "item_code": "SIG-02"}, matrix.tenant_of(sh)),
        ({"pk": MISSING_PK, "item_code": "SIG-02"}, None),
    ]


def _action_photos(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    events = ActionEvent.objects.exclude(photo="").select_related("action__location")
    picked = {matrix.tenant_of(e.action): e for e in events}
    cases = [({"pk": e.action_id, "event_id": e.pk}, t) for t, e in picked.items()]
    mixed = list(picked.values())
    cases.append(({"pk": mixed[0].action_id, "event_id": mixed[-1].pk}, NOWHERE))
    return [*cases, ({"pk": MISSING_PK, "event_id": MISSING_PK}, None)]


def _share(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    cases = [
        ({"token": new.token}, Tenant(new.link.location.brand_id, new.link.location_id, public=True))
        for new in s.links.values()
    ]
    return [*cases, ({"token": "not-a-real-token-at-all"}, None)]


def _share_photos(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    gz, sh = s.links["gz"], s.links["sh"]
    public = Tenant(gz.link.location.brand_id, gz.link.location_id, public=True)
    return [
        ({"token": gz.token, "pk": _evidence_of(s.audits["gz"]).pk}, public),
        ({"token": gz.token, "pk": _evidence_of(s.audits["sh"]).pk}, None),
        ({"token": sh.token, "pk": _evidence_of(s.audits["bj_draft"]).pk}, None),
    ]


def _survey(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    """The in-store survey is public by design for a live link; a revoked one, a forged one and
    a made-up one are "not found" for everyone."""
    from cx_audit.voice.models import SurveyLink
    from cx_audit.voice.survey import survey_token

    live, _new = SurveyLink.objects.get_or_create(location=s.chain.direct_north)
    revoked, _new = SurveyLink.objects.get_or_create(location=s.chain.f1_south, defaults={"active": False})
    public = Tenant(live.location.brand_id, live.location_id, public=True)
    forged = survey_token(live)[:-2] + "xx"
    return [
        ({"token": survey_token(live)}, public),
        ({"token": survey_token(revoked)}, None),
        ({"token": forged}, None),
        ({"token": "not-a-real-token-at-all"}, None),
    ]


def _view_on_site(s: Scene) -> list[tuple[dict[str, Any], Tenant | None]]:
    kind = ContentType.objects.get_for_model(s.chain.direct_north).pk
    return [
        (
            {"content_type_id": kind, "object_id": s.chain.direct_north.pk},
            matrix.tenant_of(s.chain.direct_north),
        ),
        ({"content_type_id": kind, "object_id": s.chain.other.pk}, matrix.tenant_of(s.chain.other)),
    ]


BINDERS = {
    "audit-remove-evidence": _audit_evidence,
    "audit-clear-answer": _answer_codes,
    "correctiveaction-photo": _action_photos,
    "share:scorecard": _share,
    "share:pdf": _share,
    "share:logo": _share,
    "share:photo": _share_photos,
    "survey:form": _survey,
    "survey:thanks": _survey,
    "admin:view_on_site": _view_on_site,
    "insights:standard": lambda s: [({"code": "SIG-01"}, EVERYONE), ({"code": "NO-SUCH-CODE"}, EVERYONE)],
    # A reset link that was never sent: the "link no longer works" page for everyone.
    "password_reset_confirm": lambda s: [({"uidb64": "MQ", "token": "not-a-token"}, EVERYONE)],
}
NOT_WRITTEN = {
    # Unsafe requests the matrix does not send to objects the user reaches, and why.
    "logout": "signs the client out for the rest of the matrix",
    "admin:logout": "signs the client out for the rest of the matrix",
    "set_language": "changes the client's language for the rest of the matrix",
}


@contextmanager
def rolled_back() -> Iterator[None]:
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def _client(user: Any) -> APIClient:
    client = APIClient(raise_request_exception=False)  # a 5xx is an answer to count, not a crash
    if user is not None:
        client.force_login(user)
    return client


def ask(client: APIClient, method: str, url: str) -> Any:
    """One request with an empty body (JSON for the API, a form for pages); the cache (throttles)
    is cleared first so the matrix measures permissions, not rates."""
    cache.clear()
    matrix.COUNTS["requests"] += 1
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return client.generic(method.upper(), url, "{}", content_type="application/json")
    return client.generic(method.upper(), url, "", content_type="application/x-www-form-urlencoded")


def methods_of(route: Route) -> tuple[str, ...]:
    """The methods a route answers (a viewset route's mapping, a view's handlers)."""
    callback = route.callback
    if actions := getattr(callback, "actions", None):
        return tuple(actions)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is None:
        return ("get", "post")
    return tuple(m for m in ("get", *UNSAFE) if hasattr(view, m))


def run_matrix(scene: Scene, surface: str) -> list[str]:
    """Ask every route of the surface as every user; the list of everything wrong."""
    problems: list[str] = []
    clients = {role: _client(user) for role, user in scene.users.items()}
    for route in sorted((r for r in matrix.routes() if r.surface == surface), key=lambda r: r.pattern):
        answers = route_answers(scene, route)
        for role, client in clients.items():
            problems += check_role(scene, route, answers, role, client)
    return problems


def route_answers(scene: Scene, route: Route) -> list[tuple[str, Tenant | None]]:
    return [(reverse(route.name, kwargs=kwargs), tenant) for kwargs, tenant in scene.targets(route)]


def hidden_answer(route: Route, status: int, missing: dict[str, int]) -> bool:
    """An answer that tells nothing about another's object. In the API that is 401, 404 or 405; 403
    only where the user is refused the whole route (a never-used id is 403 too: nothing was looked
    up). Pages may also answer 403 or send the user to a login."""
    if route.surface != "api":
        return status in HIDDEN_PAGE
    return status in HIDDEN_API or (status == 403 and missing.get("get") == 403)


def check_role(scene: Scene, route: Route, answers: list, role: str, client: APIClient) -> list[str]:
    territory = scene.territories[role]
    own_methods = methods_of(route)
    missing = {}
    problems = []
    for url, tenant in sorted(answers, key=lambda a: a[1] is not None):  # the never-used id first
        reached = tenant is not None and territory.reaches(tenant)
        for method in ("get", *UNSAFE):
            if reached and (method not in own_methods or (method != "get" and route.name in NOT_WRITTEN)):
                continue
            with rolled_back():
                response = ask(client, method, url)
            status = response.status_code
            where = f"{method.upper()} {url} as {role}"
            if status >= 500:
                matrix.COUNTS["5xx"] += 1
                problems.append(f"{where}: {status}")
            if tenant is None:
                missing[method] = status
            elif not reached:
                matrix.COUNTS["hidden"] += 1
                if not hidden_answer(route, status, missing) or status != missing.get(method, status):
                    problems.append(f"{where}: {status} for another's object, {missing.get(method)} for none")
            leaks = scene.markers.leaked(matrix.body_text(response), territory, granted=tenant)
            if leaks:
                matrix.COUNTS["leaks"] += 1
                problems.append(f"{where}: the body names {leaks}")
    return problems


@pytest.fixture
def scene(chain, admin_user, user_in) -> Scene:
    return Scene(chain, admin_user, user_in)


@pytest.mark.parametrize("surface", ["api", "page", "admin"])
def test_every_route_as_every_user(scene, surface):
    problems = run_matrix(scene, surface)
    assert not problems, f"{len(problems)} wrong answers:\n" + "\n".join(problems[:80])


def test_every_openapi_operation_is_a_route_of_the_matrix(admin_user):
    """The OpenAPI document and the URL conf describe the same API: each operation resolves to a route
    the matrix asks (so an endpoint cannot be documented yet escape it, nor answer undocumented)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    names = {route.name for route in matrix.routes() if route.surface == "api"}
    unrouted = []
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(url)
        if match.url_name not in names and f"{match.namespace}:{match.url_name}" not in names:
            unrouted.append(path)
        view_methods = methods_of(next(r for r in matrix.routes() if r.name == match.url_name))
        undocumented = [m for m in operations if m in ("get", *UNSAFE) and m not in view_methods]
        assert not undocumented, (path, undocumented)
    assert not unrouted, unrouted
