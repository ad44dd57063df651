"""Shared fixtures: API clients per role and a small two-brand chain to test visibility on."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.test import Client
from rest_framework.test import APIClient

from locations.models import Brand, Franchisee, Location, Region, Role
from tests.factories import (
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


@pytest.fixture
def client_for(db):
    """A page client (Django's test client); ``client_for(user)`` signs that user in."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


class _TableRows(HTMLParser):
    """The text of each data row of each table, cell by cell (a row of one spanning cell is a message)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._spanning = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row, self._spanning = [], False
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._spanning |= any(name == "colspan" for name, _ in attrs)
        elif self._cell is not None:
            self._cell.append(" ")  # elements inside a cell read as separate words

    def handle_endtag(self, tag: str) -> None:
        if tag != "td" and self._cell is not None:
            self._cell.append(" ")
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and not (self._spanning and len(self._row) == 1):
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def table_rows():
    """Read a page as a person reads its tables: ``table_rows(response)`` → list of rows of cell texts."""

    def read(response) -> list[list[str]]:
        parser = _TableRows()
        parser.feed(response.content.decode())
        return parser.rows

    return read
