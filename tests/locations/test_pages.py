"""The locations pages: each role sees exactly its part of the chain, filtered like the API."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from locations.models import LocationStatus
from tests.factories import LocationFactory, RegionFactory

LIST = "/locations/"
POLICY = "/locations/policy-check/"

BRAND_A = {"BJ-001", "GZ-101", "SY-201", "LY-102"}
VISIBLE = {
    "hq_admin": BRAND_A,
    "hq_analyst": BRAND_A,
    "auditor": {"BJ-001", "SY-201"},  # North and its sub-region North-East
    "franchisee": {"GZ-101", "LY-102"},  # F1's outlets
    "other_admin": {"SH-001"},
    "outsider": set(),
}


def codes(rows: list[list[str]]) -> set[str]:
    """The location codes in the first column of a list page's table."""
    return {row[0] for row in rows}


def all_locations(chain) -> list:
    return [chain.direct_north, chain.f1_south, chain.f2_north_east, chain.f1_tier3, chain.other]


@pytest.mark.django_db
class TestLocationListVisibility:
    @pytest.mark.parametrize("role", list(VISIBLE))
    def test_list_shows_exactly_what_the_role_may_see(self, client_for, role_users, table_rows, role):
        response = client_for(role_users[role]).get(LIST)
        assert response.status_code == 200
        assert codes(table_rows(response)) == VISIBLE[role]

    @pytest.mark.parametrize("role", list(VISIBLE))
    def test_count_line_tells_how_many(self, client_for, role_users, role):
        html = client_for(role_users[role]).get(LIST).content.decode()
        n = len(VISIBLE[role])
        assert re.search(
            rf'<p class="count" role="status">\s*{n} location{"" if n == 1 else "s"}\s*</p>', html
        )

    @pytest.mark.parametrize("role", list(VISIBLE))
    def test_someone_elses_detail_page_is_404(self, client_for, chain, role_users, role):
        client = client_for(role_users[role])
        for location in all_locations(chain):
            expected = 200 if location.code in VISIBLE[role] else 404
            assert client.get(location.get_absolute_url()).status_code == expected, location.code

    def test_superuser_sees_every_brand(self, client_for, chain, admin_user, table_rows):
        assert codes(table_rows(client_for(admin_user).get(LIST))) == BRAND_A | {"SH-001"}

    @pytest.mark.parametrize("url", [LIST, POLICY, "/locations/1/"])
    def test_anonymous_is_sent_to_sign_in(self, client, chain, url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"

    def test_filter_choices_offer_only_what_the_user_may_see(self, client_for, chain, role_users):
        html = client_for(role_users["franchisee"]).get(LIST).content.decode()
        assert "First Partner" in html
        assert "Second Partner" not in html
        assert "Zenith" not in html


@pytest.mark.django_db
class TestLocationListFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"q": "dealer"}, {"GZ-101", "SY-201", "LY-102"}),
            ({"q": "first partner"}, {"GZ-101", "LY-102"}),
            ({"q": "bj-0"}, {"BJ-001"}),
            ({"region": "north"}, {"BJ-001", "SY-201"}),
            ({"region": "north_east"}, {"SY-201"}),
            ({"region": "south"}, {"GZ-101", "LY-102"}),
            ({"outlet_type": "direct"}, {"BJ-001"}),
            ({"outlet_type": "authorized"}, {"GZ-101", "SY-201", "LY-102"}),
            ({"outlet_type": ""}, BRAND_A),
            ({"franchisee": "f1"}, {"GZ-101", "LY-102"}),
            ({"franchisee": "f2"}, {"SY-201"}),
            ({"city": "BEIJING"}, {"BJ-001"}),
            ({"city_tier": ["2", "3"]}, {"SY-201", "LY-102"}),
            ({"city_tier": "1"}, {"BJ-001", "GZ-101"}),
            ({"status": "closed"}, {"LY-102"}),
            ({"status": ["closed", "planned"]}, {"LY-102", "GZ-101"}),
            ({"near": "39.9042,116.4074,50"}, {"BJ-001"}),
            ({"near": "41.8,123.43,5"}, {"SY-201"}),
            ({"near": "0,0,10"}, set()),
            ({"outlet_type": "authorized", "city_tier": "3"}, {"LY-102"}),
            ({"region": "north", "outlet_type": "authorized"}, {"SY-201"}),
        ],
    )
    def test_each_filter_narrows_the_list(self, client_for, chain, role_users, table_rows, params, expected):
        chain.f1_tier3.status = LocationStatus.CLOSED
        chain.f1_tier3.save()
        chain.f1_south.status = LocationStatus.PLANNED
        chain.f1_south.save()
        query = {
            key: getattr(chain, value).pk if key in ("region", "franchisee") else value
            for key, value in params.items()
        }
        response = client_for(role_users["hq_admin"]).get(LIST, query)
        assert response.status_code == 200
        assert codes(table_rows(response)) == expected

    def test_filters_never_widen_a_role_view(self, client_for, chain, role_users, table_rows):
        response = client_for(role_users["auditor"]).get(LIST, {"outlet_type": "authorized"})
        assert codes(table_rows(response)) == {"SY-201"}

    @pytest.mark.parametrize(("brand", "expected"), [("brand", BRAND_A), ("other_brand", {"SH-001"})])
    def test_brand_filter(self, client_for, chain, admin_user, table_rows, brand, expected):
        response = client_for(admin_user).get(LIST, {"brand": getattr(chain, brand).pk})
        assert codes(table_rows(response)) == expected

    def test_near_adds_distance_nearest_first(self, client_for, chain, role_users, table_rows):
        LocationFactory(
            brand=chain.brand, code="BJ-002", city="Beijing", latitude="39.95", longitude="116.45"
        )
        response = client_for(role_users["hq_admin"]).get(LIST, {"near": "39.9042,116.4074,50"})
        assert re.search(r'<th scope="col"[^>]*>Distance</th>', response.content.decode())
        rows = table_rows(response)
        assert [row[0] for row in rows] == ["BJ-001", "BJ-002"]
        assert rows[0][-1] == "0.0 km"
        assert rows[1][-1].endswith(" km")

    @pytest.mark.parametrize(
        ("near", "reason"),
        [
            ("abc", "Use near=&lt;latitude&gt;,&lt;longitude&gt;,&lt;km&gt;"),
            ("a,b,c", "Latitude, longitude and km must be numbers."),
            ("91,0,5", "Latitude must be between -90 and 90."),
            ("31,121,0", "The radius must be more than 0"),
            ("nan,1,1", "finite numbers"),
        ],
    )
    def test_bad_near_is_a_form_error_naming_the_field(
        self, client_for, chain, role_users, table_rows, near, reason
    ):
        response = client_for(role_users["hq_admin"]).get(LIST, {"near": near})
        assert response.status_code == 200
        html = response.content.decode()
        assert reason in html
        field = re.search(r'<div class="field has-error">(.*?)</div>', html, re.DOTALL)
        assert field, "the near field is not marked as wrong"
        assert "Near (lat,lon,km)" in field[1]
        assert 'aria-invalid="true"' in field[1]
        assert 'id="id_near_error"' in field[1]
        summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
        assert summary
        assert "Near (lat,lon,km)" in summary[0]
        assert 'href="#id_near"' in summary[0]
        assert codes(table_rows(response)) == set()
        assert f'value="{near}"' in html  # what was typed is kept
        assert "Correct the filters above to see locations." in html
        assert "No location matches" not in html  # the filters are wrong, not the chain empty

    def test_someone_elses_choice_is_a_form_error_not_data(self, client_for, chain, role_users, table_rows):
        response = client_for(role_users["franchisee"]).get(LIST, {"franchisee": chain.f2.pk})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert codes(table_rows(response)) == set()
        foreign = RegionFactory(brand=chain.other_brand)
        response = client_for(role_users["hq_admin"]).get(LIST, {"region": foreign.pk})
        assert "Select a valid choice" in response.content.decode()
        assert codes(table_rows(response)) == set()

    def test_form_keeps_the_chosen_filters(self, client_for, chain, role_users):
        html = (
            client_for(role_users["hq_admin"])
            .get(LIST, {"outlet_type": "authorized", "city_tier": ["2", "3"], "q": "dealer"})
            .content.decode()
        )
        assert re.search(r'<input type="radio" name="outlet_type" value="authorized"[^>]*checked', html)
        assert re.search(r'<input type="checkbox" name="city_tier" value="2"[^>]*checked', html)
        assert re.search(r'<input type="checkbox" name="city_tier" value="3"[^>]*checked', html)
        assert not re.search(r'<input type="checkbox" name="city_tier" value="1"[^>]*checked', html)
        assert 'name="q" value="dealer"' in html


@pytest.mark.django_db
class TestLocationListPagination:
    def test_pages_keep_the_filters(self, client_for, chain, role_users, table_rows):
        for n in range(55):
            LocationFactory(brand=chain.brand, code=f"X-{n:03d}", city_tier=2)
        client = client_for(role_users["hq_admin"])
        first = client.get(LIST, {"city_tier": "2"})
        assert len(table_rows(first)) == 50
        html = first.content.decode()
        assert "56 locations" in html
        assert "Page 1 of 2" in html
        assert 'href="?city_tier=2&amp;page=2" rel="next"' in html
        second = client.get(LIST, {"city_tier": "2", "page": "2"})
        assert len(table_rows(second)) == 6
        assert 'href="?city_tier=2&amp;page=1" rel="prev"' in second.content.decode()
        assert codes(table_rows(first)).isdisjoint(codes(table_rows(second)))

    def test_page_out_of_range_is_404(self, client_for, role_users):
        assert client_for(role_users["hq_admin"]).get(LIST, {"page": "9"}).status_code == 404


@pytest.mark.django_db
class TestLocationListQueries:
    def queries_for(self, client, n_locations: int, chain) -> int:
        existing = chain.brand.locations.count()
        for n in range(existing, n_locations):
            kind = {"franchisee": chain.f1} if n % 2 == 0 else {}
            LocationFactory(brand=chain.brand, code=f"Q-{n:03d}", region=chain.north_east, **kind)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"region": chain.north.pk})
        assert response.status_code == 200
        assert "Q-" in response.content.decode()  # rows are shown, so their queries are counted
        return len(queries)

    @pytest.mark.parametrize("role", ["hq_admin", "auditor", "franchisee"])
    def test_query_count_does_not_grow_with_the_chain(self, client_for, chain, role_users, role):
        client = client_for(role_users[role])
        few = self.queries_for(client, 5, chain)
        many = self.queries_for(client, 40, chain)
        assert many == few
        assert few <= 16  # session, user, scope (3 + a level per nested region), choices, page


@pytest.mark.django_db
class TestLocationDetail:
    def test_shows_the_outlet_and_where_it_is(self, client_for, chain, role_users):
        html = client_for(role_users["hq_admin"]).get(chain.f2_north_east.get_absolute_url()).content.decode()
        assert "Shenyang Dealer" in html
        assert "Second Partner" in html
        assert "North › North-East" in html
        assert "tier 2" in html
        assert 'href="/locations/?near=41.805700,123.431500,10"' in html

    def test_list_row_names_the_franchisee_under_the_outlet(self, client_for, chain, role_users, table_rows):
        rows = {row[0]: row for row in table_rows(client_for(role_users["hq_admin"]).get(LIST))}
        assert rows["SY-201"][1] == "Shenyang Dealer Second Partner"
        assert rows["BJ-001"][1] == "Beijing Flagship"
        assert rows["SY-201"][2:] == ["Authorized", "Shenyang (2)", "North-East", "Open"]

    def test_direct_store_says_it_is_run_by_the_brand(self, client_for, chain, role_users):
        html = client_for(role_users["hq_admin"]).get(chain.direct_north.get_absolute_url()).content.decode()
        assert "run by the brand" in html


@pytest.fixture
def exceptions(chain):
    """Brand A allows direct stores up to tier 2: one direct tier-3 store breaks it, one tier-2 is fine."""
    chain.brand.direct_max_city_tier = 2
    chain.brand.save()
    return {
        "breaks": LocationFactory(
            brand=chain.brand, code="XN-301", name="Xining Store", city="Xining", city_tier=3
        ),
        "fine": LocationFactory(
            brand=chain.brand, code="CD-201", name="Chengdu Store", city="Chengdu", city_tier=2
        ),
        "other": LocationFactory(brand=chain.other_brand, code="ZZ-401", city="Zhuzhou", city_tier=4),
    }


@pytest.mark.django_db
class TestPolicyCheckPage:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("hq_admin", {"XN-301"}),
            ("hq_analyst", {"XN-301"}),
            ("franchisee", set()),
            ("other_admin", {"ZZ-401"}),
        ],
    )
    def test_lists_direct_stores_outside_allowed_cities(
        self, client_for, role_users, table_rows, exceptions, role, expected
    ):
        response = client_for(role_users[role]).get(POLICY)
        assert response.status_code == 200
        assert {row[1] for row in table_rows(response)} == expected
        if not expected:
            assert "No direct store breaks the city policy." in response.content.decode()

    def test_count_and_folded_filters(self, client_for, role_users, exceptions):
        client = client_for(role_users["hq_admin"])
        html = client.get(POLICY).content.decode()
        assert "1 direct store outside the city policy" in html
        assert '<details class="filters-panel">' in html  # filtering is secondary here: folded away
        assert '<details class="filters-panel" open>' in client.get(POLICY, {"q": "zz"}).content.decode()

    def test_row_tells_the_tier_and_the_limit(self, client_for, role_users, table_rows, exceptions):
        rows = table_rows(client_for(role_users["hq_admin"]).get(POLICY))
        assert rows == [["Aurora", "XN-301", "Xining Store", "Xining", "3", "2", "—"]]

    def test_filters_apply(self, client_for, role_users, table_rows, exceptions):
        client = client_for(role_users["hq_admin"])
        assert table_rows(client.get(POLICY, {"city_tier": "4"})) == []
        assert len(table_rows(client.get(POLICY, {"city_tier": "3"}))) == 1

    def test_list_and_detail_flag_the_exception(self, client_for, role_users, table_rows, exceptions):
        client = client_for(role_users["hq_admin"])
        rows = {row[0]: row for row in table_rows(client.get(LIST))}
        assert "policy" in rows["XN-301"][2]
        assert "policy" not in rows["CD-201"][2]
        html = client.get(exceptions["breaks"].get_absolute_url()).content.decode()
        assert (
            "This direct store is in a tier-3 city; Aurora allows direct stores only in cities of tier 2"
            in html
        )
