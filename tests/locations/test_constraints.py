"""Every database constraint of the chain holds even when model validation is bypassed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cx_audit.core.choices import Role
from locations.models import Brand, Location, Membership, Region
from tests.factories import (
    BrandFactory,
    FranchiseeFactory,
    LocationFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)


def violates(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
class TestLocationConstraints:
    def test_code_unique_per_brand(self):
        first = LocationFactory(code="SH-1")
        violates(lambda: LocationFactory(brand=first.brand, code="SH-1"))
        LocationFactory(code="SH-1", brand=BrandFactory())  # another brand may reuse it

    def test_authorized_needs_franchisee(self):
        violates(lambda: LocationFactory(outlet_type="authorized", franchisee=None))

    def test_direct_has_no_franchisee(self):
        partner = FranchiseeFactory()
        violates(lambda: LocationFactory(brand=partner.brand, outlet_type="direct", franchisee=partner))

    @pytest.mark.parametrize(
        ("latitude", "longitude"), [("90.5", "0"), ("-90.5", "0"), ("0", "180.5"), ("0", "-180.5")]
    )
    def test_coordinates_in_range(self, latitude, longitude):
        violates(lambda: LocationFactory(latitude=Decimal(latitude), longitude=Decimal(longitude)))

    def test_coordinates_together(self):
        violates(lambda: LocationFactory(latitude=Decimal("30"), longitude=None))
        violates(lambda: LocationFactory(latitude=None, longitude=Decimal("120")))
        LocationFactory(latitude=None, longitude=None)

    @pytest.mark.parametrize("tier", [0, 5])
    def test_city_tier_range(self, tier):
        violates(lambda: LocationFactory(city_tier=tier))

    def test_area_and_revenue_not_negative(self):
        violates(lambda: LocationFactory(floor_area=Decimal("-1")))
        violates(lambda: LocationFactory(annual_revenue=Decimal("-1")))

    def test_choices_enforced(self):
        violates(lambda: LocationFactory(outlet_type="kiosk"))
        violates(lambda: LocationFactory(status="gone"))

    def test_clean_refuses_franchisee_of_another_brand(self):
        location = LocationFactory.build(brand=BrandFactory(), franchisee=FranchiseeFactory())
        with pytest.raises(ValidationError) as error:
            location.full_clean()
        assert "franchisee" in error.value.message_dict

    def test_clean_refuses_region_of_another_brand(self):
        location = LocationFactory.build(brand=BrandFactory(), region=RegionFactory())
        with pytest.raises(ValidationError) as error:
            location.full_clean()
        assert "region" in error.value.message_dict


@pytest.mark.django_db
class TestRegionConstraints:
    def test_code_unique_per_brand(self):
        region = RegionFactory(code="N")
        violates(lambda: RegionFactory(brand=region.brand, code="N"))

    def test_not_its_own_parent(self):
        region = RegionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(parent=region)

    def test_cycle_refused_by_validation(self):
        top = RegionFactory()
        child = RegionFactory(brand=top.brand, parent=top)
        top.parent = child
        with pytest.raises(ValidationError):
            top.full_clean()


@pytest.mark.django_db
class TestBrandAndFranchiseeConstraints:
    def test_brand_slug_unique(self):
        Brand.objects.create(name="A", slug="a")
        violates(lambda: Brand.objects.create(name="B", slug="a"))

    @pytest.mark.parametrize("tier", [0, 5])
    def test_brand_direct_tier_range(self, tier):
        violates(lambda: Brand.objects.create(name="A", slug="a", direct_max_city_tier=tier))

    def test_franchisee_code_unique_per_brand(self):
        partner = FranchiseeFactory(code="P")
        violates(lambda: FranchiseeFactory(brand=partner.brand, code="P"))


@pytest.mark.django_db
class TestMembershipConstraints:
    def test_one_role_per_user_and_brand(self):
        membership = MembershipFactory()
        violates(lambda: MembershipFactory(user=membership.user, brand=membership.brand, role=Role.AUDITOR))

    def test_franchisee_role_needs_franchisee(self):
        violates(lambda: MembershipFactory(role=Role.FRANCHISEE, franchisee=None))

    def test_other_roles_have_no_franchisee(self):
        partner = FranchiseeFactory()
        violates(lambda: MembershipFactory(brand=partner.brand, role=Role.AUDITOR, franchisee=partner))

    def test_role_must_be_known(self):
        violates(lambda: Membership.objects.create(user=UserFactory(), brand=BrandFactory(), role="boss"))


@pytest.mark.django_db
def test_location_cannot_be_deleted_with_brand_protected():
    location = LocationFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        location.brand.delete()
    assert Location.objects.filter(pk=location.pk).exists()
