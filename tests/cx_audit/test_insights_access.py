"""Who reads the insights, and that nothing of another brand ever shows: every page, endpoint and CSV.

Insights are HQ's (cx_audit/insights/access.py): HQ admins and analysts of a brand read that
brand's; auditors, franchisees and users without a brand get 403 for the whole page or
endpoint; anonymous users are sent to sign in (pages) or get 401 (API). Another brand's
location is a 404, another brand's id in a filter a 400 naming the filter.
"""

from __future__ import annotations

import csv
import io

import pytest

from cx_audit.core.choices import Role
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import NO, audit_at, days_ago

pytestmark = pytest.mark.django_db

API = [
    "summary",
    "league",
    "regressions",
    "location-gaps",
    "standards",
    "standards/by-region",
    "standards/failing-locations?item_code=SIG-02",
    "consistency/sections",
    "consistency/items",
    "comparisons",
    "comparisons?by=franchisee",
    "trends",
    "trends?by=region",
    "heatmaps/sections",
    "heatmaps/touchpoints",
]
CSV = [endpoint for endpoint in API if endpoint != "summary"]
PAGES = [
    "",
    "league/",
    "regressions/",
    "location-gaps/",
    "standards/",
    "standards/SIG-02/",
    "consistency/",
    "comparisons/",
    "comparisons/?by=franchisee",
    "trends/",
    "heatmaps/",
]


def api_url(endpoint: str, **extra: str) -> str:
    path, _, query = endpoint.partition("?")
    params = "&".join(filter(None, [query, *(f"{k}={v}" for k, v in extra.items())]))
    return f"/api/insights/{path}/" + (f"?{params}" if params else "")


@pytest.fixture
def two_brands(chain, role_users):
    """Audits in both brands; brand B's store is named so that any leak is easy to spot."""
    admin = role_users["hq_admin"]
    published_framework(chain.brand)
    published_framework(chain.other_brand)
    audit_at(chain.direct_north, admin, days_ago(60))
    audit_at(chain.direct_north, admin, days_ago(5), **NO)
    audit_at(chain.f1_south, admin, days_ago(4), **NO)
    audit_at(chain.f2_north_east, admin, days_ago(3))
    other_admin = role_users["other_admin"]
    chain.other.name, chain.other.code = "Zenith Secret Flagship", "ZZ-SECRET"
    chain.other.save()
    audit_at(chain.other, other_admin, days_ago(60))
    audit_at(chain.other, other_admin, days_ago(2), **NO)
    return chain


class ReadersTests:
    @pytest.mark.parametrize("role", ["hq_admin", "hq_analyst"])
    @pytest.mark.parametrize("endpoint", API)
    def test_hq_reads_every_endpoint_without_a_trace_of_the_other_brand(
        self, api, two_brands, role_users, role, endpoint
    ):
        response = api(role_users[role]).get(api_url(endpoint))
        assert response.status_code == 200, response.content
        assert b"ZZ-SECRET" not in response.content
        assert b"Zenith" not in response.content

    @pytest.mark.parametrize("endpoint", CSV)
    def test_csv_exports_hold_only_the_own_brand(self, api, two_brands, role_users, endpoint):
        response = api(role_users["hq_analyst"]).get(api_url(endpoint, format="csv"))
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="')
        assert "aurora" in response["Content-Disposition"]
        text = response.content.decode("utf-8-sig")
        assert "ZZ-SECRET" not in text
        assert "Zenith" not in text
        assert len(list(csv.reader(io.StringIO(text)))) >= 1

    @pytest.mark.parametrize("page", PAGES)
    def test_hq_reads_every_page_without_a_trace_of_the_other_brand(
        self, client_for, two_brands, role_users, page
    ):
        response = client_for(role_users["hq_analyst"]).get(f"/insights/{page}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "ZZ-SECRET" not in html
        assert "Zenith" not in html
        assert "<table" in html or "<svg" in html

    def test_the_other_brand_sees_its_own_and_nothing_of_ours(self, api, client_for, two_brands, role_users):
        client = api(role_users["other_admin"])
        rows = client.get("/api/insights/league/").json()["results"]
        assert [row["location_code"] for row in rows] == ["ZZ-SECRET"]
        for endpoint in API:
            content = client.get(api_url(endpoint)).content
            for leak in (b"BJ-001", b"Beijing", b"Aurora"):
                assert leak not in content, endpoint
        html = client_for(role_users["other_admin"]).get("/insights/").content.decode()
        assert "Beijing" not in html
        assert "ZZ-SECRET" in html

    def test_another_brands_id_is_a_bad_filter_and_its_location_not_found(
        self, api, client_for, two_brands, role_users
    ):
        client = api(role_users["hq_analyst"])
        for name, value in (
            ("brand", two_brands.other_brand.pk),
            ("location", two_brands.other.pk),
        ):
            response = client.get("/api/insights/league/", {name: value})
            assert response.status_code == 400
            assert list(response.json()) == [name]
        assert client.get(f"/api/insights/locations/{two_brands.other.pk}/").status_code == 404
        assert client.get(f"/api/insights/locations/{two_brands.direct_north.pk}/").status_code == 200
        pages = client_for(role_users["hq_analyst"])
        assert pages.get(f"/insights/locations/{two_brands.other.pk}/").status_code == 404
        assert pages.get("/insights/", {"brand": two_brands.other_brand.pk}).status_code == 400

    def test_a_user_hq_in_one_brand_and_franchisee_in_another_sees_only_the_first(
        self, api, two_brands, user_in, role_users
    ):
        from locations.models import Franchisee, Membership

        partner = Franchisee.objects.create(brand=two_brands.other_brand, code="ZF", name="Zenith partner")
        user = role_users["hq_analyst"]
        Membership.objects.create(
            user=user, brand=two_brands.other_brand, role=Role.FRANCHISEE, franchisee=partner
        )
        client = api(user)
        assert b"ZZ-SECRET" not in client.get("/api/insights/league/").content
        assert client.get("/api/insights/league/", {"brand": two_brands.other_brand.pk}).status_code == 400


class RefusedTests:
    @pytest.mark.parametrize("role", ["auditor", "franchisee", "outsider"])
    def test_api_is_forbidden_to_non_hq_roles(self, api, two_brands, role_users, role):
        client = api(role_users[role])
        for endpoint in [*API, f"locations/{two_brands.f1_south.pk}"]:
            response = client.get(api_url(endpoint))
            assert response.status_code == 403, endpoint
            assert b"GZ-101" not in response.content

    @pytest.mark.parametrize("role", ["auditor", "franchisee", "outsider"])
    def test_pages_are_forbidden_to_non_hq_roles(self, client_for, two_brands, role_users, role):
        client = client_for(role_users[role])
        for page in [*PAGES, f"locations/{two_brands.f1_south.pk}/"]:
            response = client.get(f"/insights/{page}")
            assert response.status_code == 403, page
            assert "Guangzhou" not in response.content.decode()

    def test_anonymous(self, api, client_for, two_brands):
        assert api().get("/api/insights/league/").status_code == 401
        response = client_for().get("/insights/league/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_superuser_reads_any_brand(self, api, two_brands, admin_user):
        client = api(admin_user)
        rows = client.get("/api/insights/league/", {"brand": two_brands.other_brand.pk}).json()["results"]
        assert [row["location_code"] for row in rows] == ["ZZ-SECRET"]


class NavigationTests:
    @pytest.mark.parametrize(
        ("role", "shown"),
        [
            ("hq_admin", True),
            ("hq_analyst", True),
            ("auditor", False),
            ("franchisee", False),
            ("outsider", False),
        ],
    )
    def test_insights_link_for_hq_only(self, client_for, role_users, role, shown):
        from tests.cx_audit.test_pages import nav_links

        links = nav_links(client_for(role_users[role]).get("/"))
        assert ("Insights" in links) is shown
        if shown:
            assert links["Insights"] == "/insights/"
