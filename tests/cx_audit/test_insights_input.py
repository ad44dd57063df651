"""Bad input to the insights answers 400 naming the parameter — never 500 — on the API and the pages."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locations.models import Region
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import audit_at, days_ago

pytestmark = pytest.mark.django_db

BAD = [
    ("league", {"brand": "abc"}, "brand"),
    ("league", {"region": "999999"}, "region"),
    ("league", {"outlet_type": "shop"}, "outlet_type"),
    ("league", {"franchisee": "abc"}, "franchisee"),
    ("league", {"city_tier": "7"}, "city_tier"),
    ("league", {"kind": "inspection"}, "kind"),
    ("league", {"date_from": "yesterday"}, "date_from"),
    ("league", {"date_to": "2025-13-01"}, "date_to"),
    ("league", {"date_from": "2025-06-01", "date_to": "2025-05-01"}, "date_to"),
    ("league", {"location": "abc"}, "location"),
    ("league", {"ordering": "popularity"}, "ordering"),
    ("league", {"page": "abc"}, "page"),
    ("league", {"page": "0"}, "page"),
    ("league", {"page_size": "1000"}, "page_size"),
    ("location-gaps", {"ordering": "zzz"}, "ordering"),
    ("standards", {"ordering": "zzz"}, "ordering"),
    ("consistency/items", {"ordering": "zzz"}, "ordering"),
    ("comparisons", {"by": "mood"}, "by"),
    ("trends", {"by": "week"}, "by"),
    ("standards/failing-locations", {}, "item_code"),
    ("summary", {"date_from": "2025-02-30"}, "date_from"),
    ("heatmaps/touchpoints", {"region": "-1"}, "region"),
]


@pytest.fixture
def audited(chain, role_users):
    published_framework(chain.brand)
    audit_at(chain.direct_north, role_users["hq_admin"], days_ago(3))
    return chain


class ApiInputTests:
    @pytest.mark.parametrize(("endpoint", "params", "field"), BAD)
    def test_bad_parameter_is_a_400_naming_it(self, api, audited, role_users, endpoint, params, field):
        response = api(role_users["hq_analyst"]).get(f"/api/insights/{endpoint}/", params)
        assert response.status_code == 400, response.content
        assert field in response.json(), response.json()

    def test_csv_errors_are_explained_in_json(self, api, audited, role_users):
        response = api(role_users["hq_analyst"]).get(
            "/api/insights/league/", {"format": "csv", "city_tier": "9"}
        )
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert "city_tier" in response.json()

    def test_region_of_another_brand_is_not_a_choice(self, api, audited, role_users):
        elsewhere = Region.objects.create(brand=audited.other_brand, code="X", name="Elsewhere")
        response = api(role_users["hq_analyst"]).get("/api/insights/league/", {"region": elsewhere.pk})
        assert response.status_code == 400
        assert "region" in response.json()

    def test_page_past_the_end_is_not_found(self, api, audited, role_users):
        client = api(role_users["hq_analyst"])
        assert client.get("/api/insights/league/", {"page": 2}).status_code == 404
        assert client.get("/api/insights/standards/", {"page": 9}).status_code == 404
        first = client.get("/api/insights/league/", {"page": 1, "page_size": 1}).json()
        assert first["count"] == 1
        assert first["next"] is None
        assert first["previous"] is None

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        name=st.sampled_from(
            [
                "brand",
                "region",
                "outlet_type",
                "franchisee",
                "city_tier",
                "city",
                "location",
                "kind",
                "date_from",
                "date_to",
                "ordering",
                "page",
                "page_size",
                "by",
            ]
        ),
        value=st.text(max_size=12),
        endpoint=st.sampled_from(
            ["league", "standards", "comparisons", "trends", "summary", "location-gaps"]
        ),
    )
    def test_any_value_of_any_parameter_is_answered_never_a_500(
        self, api, audited, role_users, name, value, endpoint
    ):
        response = api(role_users["hq_analyst"]).get(f"/api/insights/{endpoint}/", {name: value})
        assert response.status_code in (200, 400, 404), (name, value, response.content)
        if response.status_code == 400:
            assert name in response.json()


class PageInputTests:
    @pytest.mark.parametrize(
        ("page", "params", "field"),
        [
            ("league/", {"city_tier": "7"}, "city_tier"),
            ("", {"date_from": "2025-06-01", "date_to": "2025-05-01"}, "date_to"),
            ("league/", {"ordering": "popularity"}, "ordering"),
            ("comparisons/", {"by": "mood"}, "by"),
            ("standards/", {"page": "x"}, "page"),
            (None, {"date_to": "soon"}, "date_to"),
        ],
    )
    def test_bad_filter_shows_the_form_with_the_field_and_answers_400(
        self, client_for, audited, role_users, page, params, field
    ):
        path = f"/insights/locations/{audited.direct_north.pk}/" if page is None else f"/insights/{page}"
        response = client_for(role_users["hq_analyst"]).get(path, params)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'role="alert"' in html
        assert field in html
        assert "Beijing Flagship" not in html or page is None  # no figures under a bad filter
