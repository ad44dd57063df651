"""The chain's API: visibility per role, write rights, validation and every location filter."""

from __future__ import annotations

import pytest

from cx_audit.core.choices import Role
from locations.models import Location, Region
from tests.conftest import Chain
from tests.factories import LocationFactory, RegionFactory
from tests.generic import ScopedAPITests


class TestRegionAPI(ScopedAPITests):
    url = "/api/regions/"

    def own(self, chain: Chain):
        return chain.north

    def foreign(self, chain: Chain):
        return RegionFactory(brand=chain.other_brand, code="B-N")

    def create_payload(self, chain: Chain, brand) -> dict:
        return {"brand": brand.pk, "code": "W", "name": "West"}


class TestFranchiseeAPI(ScopedAPITests):
    url = "/api/franchisees/"

    def own(self, chain: Chain):
        return chain.f1

    def foreign(self, chain: Chain):
        from tests.factories import FranchiseeFactory

        return FranchiseeFactory(brand=chain.other_brand)

    def create_payload(self, chain: Chain, brand) -> dict:
        return {"brand": brand.pk, "code": "F9", "name": "Ninth Partner"}


class TestLocationAPI(ScopedAPITests):
    url = "/api/locations/"

    def own(self, chain: Chain):
        return chain.f1_south

    def foreign(self, chain: Chain):
        return chain.other

    def create_payload(self, chain: Chain, brand) -> dict:
        return {
            "brand": brand.pk,
            "code": "NEW-1",
            "name": "New Store",
            "outlet_type": "direct",
            "city": "Shanghai",
            "city_tier": 1,
            "latitude": "31.2",
            "longitude": "121.4",
        }


@pytest.mark.django_db
class TestBrandAPI:
    def test_members_see_only_their_brands(self, api, chain, role_users):
        response = api(role_users["franchisee"]).get("/api/brands/")
        assert [b["slug"] for b in response.json()["results"]] == ["aurora"]
        assert api(role_users["franchisee"]).get(f"/api/brands/{chain.other_brand.pk}/").status_code == 404

    def test_only_superusers_create_brands(self, api, chain, role_users, admin_user):
        payload = {"name": "Nova", "slug": "nova"}
        assert api(role_users["hq_admin"]).post("/api/brands/", payload).status_code == 403
        assert api(admin_user).post("/api/brands/", payload).status_code == 201

    def test_hq_admin_updates_own_brand_policy(self, api, chain, role_users):
        response = api(role_users["hq_admin"]).patch(
            f"/api/brands/{chain.brand.pk}/", {"direct_max_city_tier": 2}
        )
        assert response.status_code == 200
        assert (
            api(role_users["hq_analyst"])
            .patch(f"/api/brands/{chain.brand.pk}/", {"direct_max_city_tier": 3})
            .status_code
            == 403
        )


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.django_db
class TestLocationVisibility:
    """Exactly what each role may see, and 404 on anything else."""

    EXPECTED = {
        "hq_admin": {"BJ-001", "GZ-101", "SY-201", "LY-102"},
        "hq_analyst": {"BJ-001", "GZ-101", "SY-201", "LY-102"},
        "auditor": {"BJ-001", "SY-201"},  # North and its sub-region North-East
        "franchisee": {"GZ-101", "LY-102"},  # F1's outlets only
        "other_admin": {"SH-001"},
        "outsider": set(),
    }

    @pytest.mark.parametrize("role", list(EXPECTED))
    def test_list_contains_exactly_what_the_role_may_see(self, api, chain, role_users, role):
        assert codes(api(role_users[role]).get("/api/locations/")) == self.EXPECTED[role]

    @pytest.mark.parametrize("role", list(EXPECTED))
    def test_every_other_location_is_404(self, api, chain, role_users, role):
        client = api(role_users[role])
        for location in Location.objects.all():
            expected = 200 if location.code in self.EXPECTED[role] else 404
            assert client.get(f"/api/locations/{location.pk}/").status_code == expected, location.code

    def test_auditor_with_single_assigned_location(self, api, chain, user_in):
        auditor = user_in(chain.brand, Role.AUDITOR, locations=[chain.f1_south])
        assert codes(api(auditor).get("/api/locations/")) == {"GZ-101"}

    def test_franchisee_filter_cannot_reach_other_franchisee(self, api, chain, role_users):
        response = api(role_users["franchisee"]).get("/api/locations/", {"franchisee": chain.f2.pk})
        assert response.status_code == 400
        assert "franchisee" in response.json()

    def test_franchisee_sees_only_own_franchisee(self, api, chain, role_users):
        response = api(role_users["franchisee"]).get("/api/franchisees/")
        assert {row["code"] for row in response.json()["results"]} == {"F1"}

    def test_user_in_two_brands_with_two_roles(self, api, chain):
        from tests.factories import MembershipFactory

        membership = MembershipFactory(brand=chain.brand, role=Role.FRANCHISEE, franchisee=chain.f2)
        MembershipFactory(user=membership.user, brand=chain.other_brand, role=Role.HQ_ANALYST)
        assert codes(api(membership.user).get("/api/locations/")) == {"SY-201", "SH-001"}


@pytest.mark.django_db
class TestLocationFilters:
    def get(self, api, user, **params) -> set[str]:
        return codes(api(user).get("/api/locations/", params))

    def test_brand(self, api, chain, admin_user):
        assert self.get(api, admin_user, brand=chain.other_brand.pk) == {"SH-001"}

    def test_region_includes_sub_regions(self, api, chain, admin_user):
        assert self.get(api, admin_user, region=chain.north.pk) == {"BJ-001", "SY-201"}
        assert self.get(api, admin_user, region=chain.north_east.pk) == {"SY-201"}

    def test_outlet_type(self, api, chain, admin_user):
        assert self.get(api, admin_user, outlet_type="direct") == {"BJ-001", "SH-001"}
        assert self.get(api, admin_user, outlet_type="authorized") == {"GZ-101", "SY-201", "LY-102"}

    def test_franchisee(self, api, chain, admin_user):
        assert self.get(api, admin_user, franchisee=chain.f1.pk) == {"GZ-101", "LY-102"}

    def test_city_is_case_insensitive(self, api, chain, admin_user):
        assert self.get(api, admin_user, city="guangzhou") == {"GZ-101"}

    def test_city_tier_one_or_many(self, api, chain, admin_user):
        assert self.get(api, admin_user, city_tier=3) == {"LY-102"}
        response = api(admin_user).get("/api/locations/?city_tier=2&city_tier=3")
        assert codes(response) == {"SY-201", "LY-102"}

    def test_status(self, api, chain, admin_user):
        chain.f1_tier3.status = "temporarily_closed"
        chain.f1_tier3.save()
        assert self.get(api, admin_user, status="temporarily_closed") == {"LY-102"}

    def test_text_search_over_code_name_city_and_franchisee(self, api, chain, admin_user):
        assert self.get(api, admin_user, q="flagship") == {"BJ-001"}
        assert self.get(api, admin_user, q="first partner") == {"GZ-101", "LY-102"}
        assert self.get(api, admin_user, q="sy-2") == {"SY-201"}

    def test_near_uses_geodesic_distance_and_orders_nearest_first(self, api, chain, admin_user):
        # Tiananmen → Beijing Flagship is ~0 km; Shenyang ~ 625 km; Luoyang ~ 680 km; Guangzhou ~ 1,890 km.
        response = api(admin_user).get("/api/locations/", {"near": "39.9042,116.4074,700"})
        rows = response.json()["results"]
        assert [r["code"] for r in rows] == ["BJ-001", "SY-201", "LY-102"]
        assert rows[0]["distance_km"] == pytest.approx(0, abs=0.01)
        assert 600 < rows[1]["distance_km"] < 650

    def test_near_radius_edge(self, api, chain, admin_user):
        assert self.get(api, admin_user, near="39.9042,116.4074,600") == {"BJ-001"}

    @pytest.mark.parametrize(
        "value", ["abc", "1,2", "91,0,5", "0,181,5", "0,0,0", "0,0,-3", "nan,0,1", "0,0,1e9"]
    )
    def test_bad_near_is_400_naming_the_field(self, api, chain, admin_user, value):
        response = api(admin_user).get("/api/locations/", {"near": value})
        assert response.status_code == 400
        assert "near" in response.json()

    def test_filters_combine(self, api, chain, admin_user):
        assert self.get(api, admin_user, brand=chain.brand.pk, outlet_type="authorized", city_tier=2) == {
            "SY-201"
        }

    def test_list_query_count_is_constant(self, api, chain, admin_user, django_assert_max_num_queries):
        client = api(admin_user)
        with django_assert_max_num_queries(6):
            client.get("/api/locations/")
        for n in range(40):
            LocationFactory(brand=chain.brand, franchisee=chain.f2, region=chain.south, code=f"X{n}")
        with django_assert_max_num_queries(6):
            response = client.get("/api/locations/")
        assert response.json()["count"] == 45


@pytest.mark.django_db
class TestLocationValidation:
    def post(self, api, chain, role_users, **changes):
        payload = {
            "brand": chain.brand.pk,
            "code": "NEW-1",
            "name": "New",
            "outlet_type": "direct",
            "city": "Beijing",
            "city_tier": 1,
        }
        payload.update(changes)
        return api(role_users["hq_admin"]).post("/api/locations/", payload, format="json")

    def test_authorized_without_franchisee(self, api, chain, role_users):
        response = self.post(api, chain, role_users, outlet_type="authorized")
        assert response.status_code == 400
        assert "franchisee" in response.json()

    def test_direct_with_franchisee(self, api, chain, role_users):
        response = self.post(api, chain, role_users, franchisee=chain.f1.pk)
        assert response.status_code == 400
        assert "franchisee" in response.json()

    def test_duplicate_code_in_brand(self, api, chain, role_users):
        response = self.post(api, chain, role_users, code="BJ-001")
        assert response.status_code == 400
        assert "already exists" in str(response.json())

    def test_same_code_in_another_brand_is_fine(self, api, chain, admin_user):
        payload = {
            "brand": chain.other_brand.pk,
            "code": "BJ-001",
            "name": "Zenith BJ",
            "outlet_type": "direct",
            "city": "Beijing",
            "city_tier": 1,
        }
        assert api(admin_user).post("/api/locations/", payload, format="json").status_code == 201

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("latitude", "91"),
            ("longitude", "-181"),
            ("city_tier", 5),
            ("city_tier", 0),
            ("floor_area", "-1"),
            ("annual_revenue", "-5"),
            ("outlet_type", "kiosk"),
            ("status", "gone"),
        ],
    )
    def test_out_of_range_values_name_the_field(self, api, chain, role_users, field, value):
        extra = {"latitude": "30", "longitude": "120"} if field in ("latitude", "longitude") else {}
        extra[field] = value
        response = self.post(api, chain, role_users, **extra)
        assert response.status_code == 400
        assert field in response.json()

    def test_coordinates_go_together(self, api, chain, role_users):
        response = self.post(api, chain, role_users, latitude="30")
        assert response.status_code == 400
        assert "longitude" in response.json()

    def test_region_of_another_brand_is_unknown(self, api, chain, role_users):
        foreign = RegionFactory(brand=chain.other_brand)
        response = self.post(api, chain, role_users, region=foreign.pk)
        assert response.status_code == 400
        assert "region" in response.json()

    def test_refused_update_changes_nothing(self, api, chain, role_users):
        url = f"/api/locations/{chain.f1_south.pk}/"
        response = api(role_users["hq_admin"]).patch(
            url, {"outlet_type": "direct", "name": "X"}, format="json"
        )
        assert response.status_code == 400
        chain.f1_south.refresh_from_db()
        assert (chain.f1_south.outlet_type, chain.f1_south.name) == ("authorized", "Guangzhou Dealer")


@pytest.mark.django_db
class TestPolicyExceptionsAPI:
    def test_lists_direct_stores_in_disallowed_tiers(self, api, chain, role_users):
        LocationFactory(brand=chain.brand, code="LY-D01", city="Luoyang", city_tier=3)
        response = api(role_users["hq_analyst"]).get("/api/locations/policy-exceptions/")
        assert codes(response) == {"LY-D01"}

    def test_brand_setting_changes_the_answer(self, api, chain, role_users):
        LocationFactory(brand=chain.brand, code="CD-D01", city="Chengdu", city_tier=2)
        client = api(role_users["hq_analyst"])
        assert codes(client.get("/api/locations/policy-exceptions/")) == {"CD-D01"}
        chain.brand.direct_max_city_tier = 2
        chain.brand.save()
        assert codes(client.get("/api/locations/policy-exceptions/")) == set()

    def test_scoped_to_what_the_user_sees(self, api, chain, role_users):
        LocationFactory(brand=chain.other_brand, code="ZX-D09", city="Dali", city_tier=4)
        assert codes(api(role_users["hq_analyst"]).get("/api/locations/policy-exceptions/")) == set()


@pytest.mark.django_db
class TestRegionRules:
    def test_parent_of_another_brand_refused(self, api, chain, admin_user):
        foreign = RegionFactory(brand=chain.other_brand)
        response = api(admin_user).post(
            "/api/regions/", {"brand": chain.brand.pk, "code": "X", "name": "X", "parent": foreign.pk}
        )
        assert response.status_code == 400
        assert "parent" in response.json()

    def test_region_cannot_be_its_own_ancestor(self, api, chain, admin_user):
        response = api(admin_user).patch(f"/api/regions/{chain.north.pk}/", {"parent": chain.north_east.pk})
        assert response.status_code == 400
        assert "parent" in response.json()
        assert Region.objects.get(pk=chain.north.pk).parent is None


@pytest.mark.django_db
class TestTokenAuth:
    def test_token_for_password_then_use_it(self, client, chain, role_users):
        from tests.factories import PASSWORD

        user = role_users["franchisee"]
        response = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 200
        token = response.json()["token"]
        listed = client.get("/api/locations/", HTTP_AUTHORIZATION=f"Token {token}")
        assert codes(listed) == {"GZ-101", "LY-102"}

    def test_wrong_password_is_400(self, client, role_users):
        response = client.post(
            "/api/auth/token/", {"username": role_users["hq_admin"].username, "password": "x"}
        )
        assert response.status_code == 400
