"""Finding 3 of issue 12: a write to an object the user cannot see is a 404, like a missing id.

The README promises that someone else's object answers 404 for reads and writes alike. Writes
answered 403 when the user could write nothing of the model (an analyst PUTting a location of
another brand): the permission refused before the object was looked up, which also told the user
the id existed. The cases are generated from the API router: every resource, every unsafe detail
route (PUT, PATCH, DELETE and each POST/DELETE action), every role of brand A and an outsider,
against every object of the resource that role does not see; each answer must be 404 with the same
body as for an id that never existed. A user who sees the object but may not change it still gets
403 (tests/test_api_scoping.py checks every role's answer).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.generic import MISSING_PK, Scene, _rolled_back
from tests.test_api_scoping import RESOURCES

pytestmark = pytest.mark.django_db

ROLES = ("hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin", "outsider")
EXTRA_KWARGS = {"item_code": "SIG-02", "evidence_id": "1"}


def detail_writes(viewset: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(url name suffix, method, further URL arguments) of every unsafe request to one object."""
    writes = [
        (suffix, method)
        for name, suffix, method in (
            ("update", "detail", "put"),
            ("partial_update", "detail", "patch"),
            ("destroy", "detail", "delete"),
        )
        if hasattr(viewset, name)
    ]
    found = [(suffix, method, {}) for suffix, method in writes]
    for action in viewset.get_extra_actions():
        if not action.detail:
            continue
        kwargs = {name: value for name, value in EXTRA_KWARGS.items() if f"<{name}>" in action.url_path}
        found += [
            (action.url_name, method, kwargs)
            for method in action.mapping
            if method in ("post", "put", "patch", "delete")
        ]
    return found


def router_table() -> list[Any]:
    """Every router resource, with its row of the role matrix (which says who sees what)."""
    from cx_audit.api_urls import router

    by_name = {resource.name: resource for resource in RESOURCES}
    assert sorted(by_name) == sorted(prefix for prefix, _v, _b in router.registry)
    return [
        pytest.param(by_name[prefix], basename, viewset, id=prefix)
        for prefix, viewset, basename in router.registry
    ]


@pytest.fixture
def scene(chain, role_users, admin_user, user_in) -> Scene:
    users = {"superuser": admin_user, **role_users, "anonymous": None}
    return Scene(chain=chain, users=users, user_in=user_in)


@pytest.mark.parametrize(("resource", "basename", "viewset"), router_table())
def test_every_write_to_an_unseen_object_is_the_404_of_a_missing_id(api, scene, resource, basename, viewset):
    writes = detail_writes(viewset)
    if not writes:
        pytest.skip(f"/api/{resource.name}/ has no unsafe route to one object")
    objs = resource.build(scene)
    wrong = {}
    asked = 0
    for role in ROLES:
        client = api(scene.users[role])
        for name in sorted(resource.everything - resource.sees[role]):
            for suffix, method, kwargs in writes:
                url = reverse(f"{basename}-{suffix}", kwargs={"pk": objs[name].pk, **kwargs})
                ghost = reverse(f"{basename}-{suffix}", kwargs={"pk": MISSING_PK, **kwargs})
                with _rolled_back():
                    response = getattr(client, method)(url, {}, format="json")
                    missing = getattr(client, method)(ghost, {}, format="json")
                asked += 1
                answer = (response.status_code, response.content)
                if answer != (404, missing.content) or missing.status_code != 404:
                    wrong[f"{method.upper()} {url} as {role}"] = (answer, missing.status_code)
    assert asked, "no object of the resource was hidden from any role"
    assert not wrong, wrong


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_an_analyst_writing_another_brands_location_is_404(api, chain, role_users, method):
    """The reported case: 404 for Zenith's store, 403 for one of Aurora's the analyst sees."""
    client = api(role_users["hq_analyst"])
    foreign = getattr(client, method)(f"/api/locations/{chain.other.pk}/", {"name": "x"}, format="json")
    missing = getattr(client, method)(f"/api/locations/{MISSING_PK}/", {"name": "x"}, format="json")
    own = getattr(client, method)(f"/api/locations/{chain.f1_south.pk}/", {"name": "x"}, format="json")
    assert (foreign.status_code, foreign.json()) == (404, missing.json())
    assert missing.status_code == 404
    assert own.status_code == 403


def test_adding_with_no_right_is_still_403(api, chain, role_users):
    body = {"brand": chain.brand.pk, "code": "E", "name": "East"}
    assert api(role_users["hq_analyst"]).post("/api/regions/", body, format="json").status_code == 403


OTHER_DETAIL_URLS = [
    "/api/locations/{location}/experience/",
    "/api/insights/locations/{location}/",
    "/api/evidence/{pk}/file/",
    "/api/items/{pk}/example-photo/",
]


@pytest.mark.parametrize("template", OTHER_DETAIL_URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_views_beside_the_router_answer_a_hidden_id_like_a_missing_one(
    api, chain, role_users, template, method
):
    """Read-only views: an unsafe method is refused the same way for any id (never a 403)."""
    client = api(role_users["hq_analyst"])
    foreign = getattr(client, method)(template.format(location=chain.other.pk, pk=1), {}, format="json")
    missing = getattr(client, method)(template.format(location=MISSING_PK, pk=MISSING_PK), {}, format="json")
    assert foreign.status_code == missing.status_code != 403
