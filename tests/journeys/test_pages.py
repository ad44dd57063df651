"""The read-only framework pages: the versions a user may read, and one version both ways."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journeys.models import AnswerType, Framework
from journeys.services import framework_publish
from tests.factories import ItemFactory, SectionFactory, complete_framework

ROLES_OF_A = ["hq_admin", "hq_analyst", "auditor", "franchisee"]


@pytest.fixture
def frameworks(chain) -> dict[str, Framework]:
    """Brand A's published v1 and its draft v2, and brand B's own framework."""
    current = complete_framework(brand=chain.brand, version=1, name="Aurora standard")
    framework_publish(framework=current)
    return {
        "current": current,
        "draft": complete_framework(brand=chain.brand, version=2, name="Aurora standard (next)"),
        "foreign": complete_framework(brand=chain.other_brand, version=1, name="Zenith standard"),
    }


def items_by_code(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """Item table rows by item code, each cell under its column name."""
    columns = ["code", "standard", "weight", "direct", "authorized"]
    found = {}
    for row in rows:
        if len(row) == len(columns) and re.fullmatch(r"[A-Z]+-\d+( critical)?", row[0]):
            found[row[0].split()[0]] = dict(zip(columns, row, strict=True))
    return found


@pytest.mark.django_db
class TestFrameworkList:
    @pytest.mark.parametrize("role", ROLES_OF_A)
    def test_every_role_of_the_brand_reads_its_versions_only(
        self, client_for, role_users, frameworks, table_rows, role
    ):
        rows = table_rows(client_for(role_users[role]).get("/frameworks/"))
        assert [(row[1], row[2], row[3]) for row in rows] == [
            ("v2", "Aurora standard (next)", "Draft"),
            ("v1", "Aurora standard", "Published (current)"),
        ]

    def test_other_brand_sees_its_own(self, client_for, role_users, frameworks, table_rows):
        rows = table_rows(client_for(role_users["other_admin"]).get("/frameworks/"))
        assert [row[2] for row in rows] == ["Zenith standard"]

    def test_no_framework_yet(self, client_for, role_users):
        assert "No framework yet." in client_for(role_users["hq_admin"]).get("/frameworks/").content.decode()

    def test_anonymous_is_sent_to_sign_in(self, client, frameworks):
        for url in ("/frameworks/", frameworks["current"].get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
class TestFrameworkViewer:
    @pytest.mark.parametrize("view", ["sections", "journeys"])
    def test_items_show_what_applies_to_direct_and_authorized_outlets(
        self, client_for, role_users, frameworks, table_rows, view
    ):
        response = client_for(role_users["franchisee"]).get(
            frameworks["current"].get_absolute_url(), {"view": view}
        )
        assert response.status_code == 200
        items = items_by_code(table_rows(response))
        assert set(items) == {"SIG-01", "SIG-02", "DIS-01", "DIS-02", "DIS-03"}
        signage = items["SIG-01"]
        assert signage["direct"] == "does not apply"
        assert signage["authorized"].startswith("✓ applies")
        assert "must show: “Authorized Dealer”" in signage["authorized"]
        assert "must not show: “Experience Store”, “体验店”" in signage["authorized"]
        assert "Shop sign text" in signage["standard"]
        assert "Signage text · Service" in signage["standard"]
        assert items["DIS-01"]["direct"] == "✓ applies target 12"
        assert items["DIS-01"]["authorized"] == "✓ applies target 6"
        assert items["DIS-02"]["direct"] == "✓ applies 100% of list"
        assert items["DIS-02"]["authorized"] == "✓ applies 90–100% of list"
        assert items["DIS-03"]["direct"] == items["DIS-03"]["authorized"] == "✓ applies"
        assert "N/A allowed" in items["DIS-03"]["standard"]

    def test_critical_items_are_marked(self, client_for, role_users, frameworks, table_rows):
        rows = table_rows(client_for(role_users["hq_admin"]).get(frameworks["current"].get_absolute_url()))
        critical = {row[0] for row in rows if row[0].endswith(" critical")}
        assert critical == {"SIG-01 critical"}

    def test_summary_counts_by_outlet_type(self, client_for, role_users, frameworks):
        html = (
            client_for(role_users["hq_admin"]).get(frameworks["current"].get_absolute_url()).content.decode()
        )
        assert "5 standards: 4 apply to direct stores, 5 to authorized outlets, 1 critical." in html

    def test_by_section_groups_items_under_their_section(self, client_for, role_users, frameworks):
        html = (
            client_for(role_users["hq_admin"]).get(frameworks["current"].get_absolute_url()).content.decode()
        )
        order = [html.index(text) for text in ("<h2>Signage", "SIG-01", "SIG-02", "<h2>Display", "DIS-01")]
        assert order == sorted(order)
        assert '<a href="?view=sections" aria-current="page">' in html

    def test_by_journey_groups_items_under_their_touchpoint(self, client_for, role_users, frameworks):
        html = (
            client_for(role_users["auditor"])
            .get(frameworks["current"].get_absolute_url(), {"view": "journeys"})
            .content.decode()
        )
        expected_order = [
            "<h2>Buy a phone in store</h2>",
            "Arrive",
            "Before purchase",
            "<h4>Shop front",
            "SIG-01",
            "SIG-02",
            "<h3>Buy",
            "<h4>Checkout",
            "DIS-02",
            "Standards not tied to a touchpoint",
            "DIS-01",
            "DIS-03",
        ]
        positions = [html.index(text) for text in expected_order]
        assert positions == sorted(positions)
        assert '<a href="?view=journeys" aria-current="page">' in html
        assert "Signage · Signage text" in html  # each item says which section it belongs to

    def test_unknown_view_falls_back_to_sections(self, client_for, role_users, frameworks):
        html = (
            client_for(role_users["hq_admin"])
            .get(frameworks["current"].get_absolute_url(), {"view": "<script>"})
            .content.decode()
        )
        assert '<a href="?view=sections" aria-current="page">' in html
        assert "<script>" not in html

    def test_dimensions_are_listed(self, client_for, role_users, frameworks, table_rows):
        rows = table_rows(client_for(role_users["hq_admin"]).get(frameworks["current"].get_absolute_url()))
        assert ["Service", "8", "7", "9"] in rows
        assert ["Price", "9", "7", "9"] in rows

    def test_guidance_is_one_tap_away(self, client_for, role_users, frameworks):
        item = frameworks["current"].items.get(code="SIG-02")
        type(item).objects.filter(pk=item.pk).update(guidance="Check at opening time.\nPhoto from outside.")
        html = (
            client_for(role_users["auditor"]).get(frameworks["current"].get_absolute_url()).content.decode()
        )
        assert "<summary>Guidance</summary>Check at opening time.<br>Photo from outside." in html

    @pytest.mark.parametrize("role", ROLES_OF_A)
    @pytest.mark.parametrize("view", ["sections", "journeys"])
    def test_foreign_framework_is_404(self, client_for, role_users, frameworks, role, view):
        client = client_for(role_users[role])
        assert client.get(frameworks["current"].get_absolute_url(), {"view": view}).status_code == 200
        assert client.get(frameworks["foreign"].get_absolute_url(), {"view": view}).status_code == 404

    def test_user_without_brand_reads_nothing(self, client_for, role_users, frameworks):
        client = client_for(role_users["outsider"])
        assert client.get(frameworks["current"].get_absolute_url()).status_code == 404

    def test_query_count_does_not_grow_with_the_framework(self, client_for, role_users, chain):
        small = complete_framework(brand=chain.brand)
        large = complete_framework(brand=chain.brand)
        for n in range(3):
            section = SectionFactory(framework=large, code=f"extra-{n}", name=f"Extra {n}")
            for m in range(8):
                ItemFactory(
                    section=section,
                    code=f"X{n}-{m:02d}",
                    answer_type=AnswerType.NUMBER,
                    target_direct=Decimal("3"),
                    target_authorized=Decimal("2"),
                )
        client = client_for(role_users["hq_admin"])
        counts = []
        for framework in (small, large):
            for view in ("sections", "journeys"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(framework.get_absolute_url(), {"view": view}).status_code == 200
                counts.append(len(queries))
        assert counts[0] == counts[2]
        assert counts[1] == counts[3]
