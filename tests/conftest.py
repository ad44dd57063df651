"""Shared fixtures: API clients per role and a small two-brand chain to test visibility on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from locations.models import Brand, Franchisee, Location, Region, Role

from .factories import (
    BrandFactory,
    FranchiseeFactory,
    LocationFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests make many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Chain:
    """Brand A: North (with sub-region North-East) and South; partners F1 and F2. Brand B apart."""

    brand: Brand
    other_brand: Brand
    north: Region
    north_east: Region
    south: Region
    f1: Franchisee
    f2: Franchisee
    direct_north: Location
    f1_south: Location
    f2_north_east: Location
    f1_tier3: Location
    other: Location


@pytest.fixture
def chain(db) -> Chain:
    brand = BrandFactory(name="Aurora", slug="aurora")
    other_brand = BrandFactory(name="Zenith", slug="zenith")
    north = RegionFactory(brand=brand, code="N", name="North")
    north_east = RegionFactory(brand=brand, code="NE", name="North-East", parent=north)
    south = RegionFactory(brand=brand, code="S", name="South")
    f1 = FranchiseeFactory(brand=brand, code="F1", name="First Partner")
    f2 = FranchiseeFactory(brand=brand, code="F2", name="Second Partner")
    return Chain(
        brand=brand,
        other_brand=other_brand,
        north=north,
        north_east=north_east,
        south=south,
        f1=f1,
        f2=f2,
        direct_north=LocationFactory(
            brand=brand,
            code="BJ-001",
            name="Beijing Flagship",
            region=north,
            city="Beijing",
            latitude="39.904200",
            longitude="116.407400",
        ),
        f1_south=LocationFactory(
            brand=brand,
            code="GZ-101",
            name="Guangzhou Dealer",
            region=south,
            franchisee=f1,
            city="Guangzhou",
            latitude="23.129100",
            longitude="113.264400",
        ),
        f2_north_east=LocationFactory(
            brand=brand,
            code="SY-201",
            name="Shenyang Dealer",
            region=north_east,
            franchisee=f2,
            city="Shenyang",
            city_tier=2,
            latitude="41.805700",
            longitude="123.431500",
        ),
        f1_tier3=LocationFactory(
            brand=brand,
            code="LY-102",
            name="Luoyang Dealer",
            region=south,
            franchisee=f1,
            city="Luoyang",
            city_tier=3,
            latitude="34.619700",
            longitude="112.454000",
        ),
        other=LocationFactory(brand=other_brand, code="SH-001", name="Zenith Shanghai"),
    )


@pytest.fixture
def user_in(db):
    """Make a user with one role in a brand: ``user_in(brand, Role.AUDITOR, regions=[...])``."""

    def make(brand: Brand, role: str, **scope):
        return MembershipFactory(brand=brand, role=role, **scope).user

    return make


@pytest.fixture
def role_users(chain, user_in) -> dict[str, object]:
    """One user per role in brand A (the auditor covers North; the franchisee is F1)."""
    return {
        "hq_admin": user_in(chain.brand, Role.HQ_ADMIN),
        "hq_analyst": user_in(chain.brand, Role.HQ_ANALYST),
        "auditor": user_in(chain.brand, Role.AUDITOR, regions=[chain.north]),
        "franchisee": user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f1),
        "other_admin": user_in(chain.other_brand, Role.HQ_ADMIN),
        "outsider": UserFactory(),
    }


@pytest.fixture
def api():
    """An API client; ``api(user)`` signs that user in."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
