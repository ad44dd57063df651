"""Finding 2 of issue 12: bad input is a clear 4xx naming the field and the reason, never a 500.

a) deleting a record others still refer to: 409 naming it and what holds it;
b) a detail URL whose id is not a whole number (``/null/``, ``/4.5/``): 404, on every route;
c) a location CSV holding a NUL: refused by line and column by the dry run and the import alike;
d) dates at the ends of the calendar: 400 naming the filter;
e) JSON nested thousands of levels deep: 400;
f) an id of ``4.5``: 400 naming the field, not the record 4.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cx_audit.audits.services import audit_create
from cx_audit.core.exceptions import delete_blocked_message, referrers
from cx_audit.core.parsers import MAX_DEPTH, BoundedJSONParser, nesting_depth
from locations.import_file import control_character_issues
from locations.models import Location, Region
from tests.cx_audit.audit_helpers import published_framework, submitted_audit
from tests.factories import LocationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def router_resources() -> list[tuple[str, str, list[str]]]:
    """(prefix, basename, extra detail GET/POST routes) of every router resource."""
    from cx_audit.api_urls import router

    resources = []
    for prefix, viewset, basename in router.registry:
        extra = [
            action.url_path
            for action in viewset.get_extra_actions()
            if action.detail and "(?P<" not in action.url_path
        ]
        resources.append((prefix, basename, extra))
    return resources


# --- a) deleting what is still referred to -------------------------------------------------------


class DeleteStillReferredTests:
    def test_a_region_with_locations_is_409_naming_them(self, api, chain, role_users):
        east = RegionFactory(brand=chain.brand, code="E", name="East")
        for n in range(3):
            LocationFactory(brand=chain.brand, region=east, code=f"E-{n}")
        RegionFactory(brand=chain.brand, code="E-1", name="East One", parent=east)
        response = api(role_users["hq_admin"]).delete(f"/api/regions/{east.pk}/")
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["detail"] == "Cannot delete region 'East': 3 locations, 1 regions still refer to it."
        assert body["referenced_by"] == {"locations": 3, "regions": 1}
        assert Region.objects.filter(pk=east.pk).exists()

    def test_a_franchisee_with_locations_is_409(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).delete(f"/api/franchisees/{chain.f1.pk}/")
        assert response.status_code == 409, response.content
        assert response.json()["referenced_by"] == {"locations": 2}
        assert "First Partner" in response.json()["detail"]

    def test_a_location_with_audits_is_409(self, api, chain, role_users):
        published_framework(chain.brand)
        submitted_audit(chain.f1_south, role_users["hq_admin"])
        response = api(role_users["hq_admin"]).delete(f"/api/locations/{chain.f1_south.pk}/")
        assert response.status_code == 409, response.content
        assert response.json()["referenced_by"] == {"audits": 1}
        assert Location.objects.filter(pk=chain.f1_south.pk).exists()

    def test_a_brand_with_locations_is_409_for_the_superuser(self, api, chain, admin_user):
        response = api(admin_user).delete(f"/api/brands/{chain.brand.pk}/")
        assert response.status_code == 409, response.content
        assert response.json()["referenced_by"]["locations"] == 4

    def test_the_admin_refuses_it_with_a_page_not_a_500(self, client_for, chain, admin_user):
        client = client_for(admin_user)
        url = f"/admin/locations/region/{chain.south.pk}/delete/"
        shown = client.get(url)
        assert shown.status_code == 200
        assert "Cannot delete" in shown.content.decode() or "would require deleting" in shown.content.decode()
        assert client.post(url, {"post": "yes"}).status_code < 500
        assert Region.objects.filter(pk=chain.south.pk).exists()

    def test_the_message_counts_most_first(self, chain):
        objs = [chain.direct_north, chain.f1_south, chain.north]
        assert referrers(objs) == {"locations": 2, "regions": 1}
        assert delete_blocked_message(chain.north, referrers(objs)) == (
            "Cannot delete region 'North': 2 locations, 1 regions still refer to it."
        )
        assert delete_blocked_message(None, {"audits": 1}).startswith("Cannot delete this record:")


# --- b) ids that are not whole numbers -----------------------------------------------------------


def test_a_job_download_of_null_is_404(api, chain, role_users):
    assert api(role_users["franchisee"]).get("/api/scorecard-jobs/null/download/").status_code == 404


@pytest.mark.parametrize("bad_id", ["null", "4.5", "-1", "1e3", "%20"])
@pytest.mark.parametrize(("prefix", "basename", "extra"), router_resources(), ids=lambda v: str(v))
def test_every_detail_route_with_a_bad_id_is_404(api, admin_user, prefix, basename, extra, bad_id):
    client = api(admin_user)
    for route in ["", *(f"{path}/" for path in extra)]:
        url = f"/api/{prefix}/{bad_id}/{route}"
        for method in ("get", "put", "patch", "delete", "post"):
            response = getattr(client, method)(url, {}, format="json")
            # ``/4.5/`` reads as id 4 with the format suffix ".5": a 400 naming the format.
            unknown_format = response.status_code == 400 and "format" in response.json()
            assert response.status_code in (404, 405) or unknown_format, (method, url, response.content)


# --- c) a NUL in a location file -----------------------------------------------------------------

HEADER = "code,name,outlet_type,franchisee,region,address,city,country,latitude,longitude,city_tier,status\n"
ROW = "SH-100,Shanghai{nul}Dealer,authorized,F1,S,300 Nanjing Road,Shanghai,CN,31.2304,121.4737,1,open\n"


def nul_file() -> SimpleUploadedFile:
    content = (HEADER + ROW.format(nul="\x00")).encode()
    return SimpleUploadedFile("stores.csv", content, content_type="text/csv")


class ControlCharacterImportTests:
    @pytest.mark.parametrize("dry_run", [True, False])
    def test_a_nul_is_refused_by_line_and_column_in_the_dry_run_and_the_import(
        self, api, chain, role_users, dry_run
    ):
        response = api(role_users["hq_admin"]).post(
            "/api/locations/import/",
            {"brand": chain.brand.pk, "file": nul_file(), "dry_run": dry_run},
            format="multipart",
        )
        assert response.status_code == 400, response.content
        [error] = response.json()["errors"]
        assert (error["line"], error["column"]) == (2, "name")
        assert "U+0000" in error["message"]
        assert not Location.objects.filter(code="SH-100").exists()

    def test_a_clean_file_still_imports(self, api, chain, role_users):
        upload = SimpleUploadedFile("stores.csv", (HEADER + ROW.format(nul=" ")).encode())
        response = api(role_users["hq_admin"]).post(
            "/api/locations/import/", {"brand": chain.brand.pk, "file": upload}, format="multipart"
        )
        assert response.status_code == 201, response.content
        assert Location.objects.get(code="SH-100").name == "Shanghai Dealer"

    def test_the_command_refuses_it_too(self, chain, tmp_path):
        from django.core.management import CommandError, call_command

        path = tmp_path / "stores.csv"
        path.write_bytes((HEADER + ROW.format(nul="\x00")).encode())
        with pytest.raises(CommandError, match="line 2, column name"):
            call_command("import_locations", str(path), "--brand", chain.brand.slug, stdout=io.StringIO())
        assert not Location.objects.filter(code="SH-100").exists()

    def test_which_characters(self):
        bad = control_character_issues(3, {"name": "a\x07b", "address": "1 Road\nFloor 2\t", "city": "x\x7f"})
        assert [(i.line, i.column) for i in bad] == [(3, "name"), (3, "city")]


# --- d) dates at the ends of the calendar --------------------------------------------------------

INSIGHT_URLS = [
    "/api/insights/trends/",
    "/api/insights/summary/",
    "/api/insights/league/",
    "/api/insights/heatmaps/sections/",
    "/api/insights/heatmaps/touchpoints/",
]


@pytest.mark.parametrize("url", INSIGHT_URLS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_to": "0001-01-01"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_from": "9999-12-31", "date_to": "9999-12-31"}, "date_from"),
    ],
)
def test_insight_dates_out_of_range_are_400_naming_the_filter(api, chain, role_users, url, params, field):
    response = api(role_users["hq_admin"]).get(url, params)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_an_insight_location_with_an_end_of_time_date_is_400(api, chain, role_users):
    url = f"/api/insights/locations/{chain.f1_south.pk}/"
    response = api(role_users["hq_admin"]).get(url, {"date_to": "9999-12-31"})
    assert response.status_code == 400, response.content
    assert "date_to" in response.json()


@pytest.mark.parametrize("field", ["submitted_after", "submitted_before"])
@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T01:00:00+08:00"])
def test_audit_time_filters_out_of_range_are_400(api, chain, role_users, field, value):
    response = api(role_users["hq_admin"]).get("/api/audits/", {field: value})
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_insight_pages_out_of_range_do_not_500(client_for, chain, role_users):
    response = client_for(role_users["hq_admin"]).get("/insights/", {"date_to": "9999-12-31"})
    assert response.status_code < 500


# --- e) deeply nested JSON -----------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [3000, 100_000, MAX_DEPTH + 1])
def test_deep_json_is_400_on_every_kind_of_view(api, chain, role_users, depth):
    published_framework(chain.brand)
    admin = role_users["hq_admin"]
    draft, _ = audit_create(location=chain.f1_south, user=admin, kind="scheduled")
    body = '{"answers": ' + nested(depth) + "}"
    client = api(admin)
    for method, url in [
        ("post", f"/api/audits/{draft.pk}/answers/"),
        ("patch", f"/api/locations/{chain.f1_south.pk}/"),
        ("post", "/api/disputes/"),
        ("post", "/api/audits/"),
    ]:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content[:200])
        assert "nested more than 64 levels" in response.json()["detail"]


def test_json_within_the_limit_is_parsed():
    parser = BoundedJSONParser()
    assert parser.parse(io.BytesIO(nested(MAX_DEPTH).encode())) is not None
    assert nesting_depth({"a": [1, {"b": []}]}) == 4
    assert nesting_depth(7) == 0


# --- f) ids that are not whole numbers in bodies and filters -------------------------------------


@pytest.mark.parametrize("bad", [4.5, "4.5", True, "4 ", "٤"])
def test_a_fractional_location_id_is_400_naming_the_field(api, chain, role_users, bad):
    published_framework(chain.brand)
    response = api(role_users["hq_admin"]).post(
        "/api/audits/", {"location": bad, "kind": "scheduled"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "location" in response.json()


def test_a_whole_id_still_works_as_number_and_string(api, chain, role_users):
    published_framework(chain.brand)
    client = api(role_users["hq_admin"])
    for value in (chain.f1_south.pk, str(chain.f1_south.pk)):
        response = client.post("/api/audits/", {"location": value, "kind": "scheduled"}, format="json")
        assert response.status_code in (200, 201), response.content


def test_a_fractional_region_on_a_location_is_400(api, chain, role_users):
    url = f"/api/locations/{chain.f1_south.pk}/"
    response = api(role_users["hq_admin"]).patch(url, {"region": chain.north.pk + 0.5}, format="json")
    assert response.status_code == 400, response.content
    assert "region" in response.json()
    chain.f1_south.refresh_from_db()
    assert chain.f1_south.region_id == chain.south.pk


@pytest.mark.parametrize("url", ["/api/audits/", "/api/actions/", "/api/disputes/", "/api/share-links/"])
def test_a_fractional_location_filter_is_400_naming_it(api, chain, role_users, url):
    response = api(role_users["hq_admin"]).get(url, {"location": f"{chain.f1_south.pk}.5"})
    assert response.status_code == 400, response.content
    assert "location" in response.json()


def test_reverse_of_every_detail_route_takes_only_digits():
    for prefix, basename, _extra in router_resources():
        if prefix == "audits":
            continue  # audits are addressed by id or by uuid
        with pytest.raises(Exception):  # noqa: B017, PT011 — NoReverseMatch
            reverse(f"{basename}-detail", kwargs={"pk": "null"})
