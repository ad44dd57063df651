"""Finding 1 of issue 12: an audit where every applicable item was "cannot check" has no score.

It used to take HQ insights down (``Decimal += None`` in the sums and the rankings) until HQ voided
it. Such an audit is a visit with no score: the location is listed as "visited, not scored" with
the reason, and it is left out of every average, median, ranking by score and consistency figure —
never counted as 0. The brand here: BJ-001 scores 100, SY-201 75, LY-102 50 (capped); GZ-101 (F1)
scored 100 forty days ago, and its latest audit, two days ago, could check nothing.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal
from statistics import mean

import pytest

from cx_audit.audits.models.results import SectionResult
from cx_audit.audits.services import AnswerInput
from cx_audit.scorecards.sharing import share_link_create
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import FAKE_SIGN, NO, audit_at, days_ago

pytestmark = pytest.mark.django_db

REASON = "every applicable item was 'cannot check'"
CODES = ("SIG-01", "SIG-02", "DIS-01", "DIS-02", "DIS-03")


@pytest.fixture
def brand(chain, role_users):
    """The chain with its audits; returns the unscored audit and the three scored latest ones."""
    published_framework(chain.brand)
    admin = role_users["hq_admin"]
    scored = [
        audit_at(chain.direct_north, admin, days_ago(10)),
        audit_at(chain.f2_north_east, admin, days_ago(5), **NO),
        audit_at(chain.f1_tier3, admin, days_ago(3), **FAKE_SIGN),
    ]
    audit_at(chain.f1_south, admin, days_ago(40))
    blind = [AnswerInput(item=code, kind="cannot_check") for code in CODES]
    unscored = audit_at(chain.f1_south, admin, days_ago(2), answers=blind)
    assert unscored.score is None
    return {"unscored": unscored, "scored": scored}


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


INSIGHT_API = (
    "summary/",
    "league/",
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
INSIGHT_PAGES = (
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
)


@pytest.mark.parametrize("role", ["hq_admin", "hq_analyst"])
class EveryInsightAnswersTests:
    def test_every_api_table_and_its_csv(self, brand, chain, role_users, api, role):
        client = api(role_users[role])
        for path in (*INSIGHT_API, f"locations/{chain.f1_south.pk}/"):
            response = client.get(f"/api/insights/{path}")
            assert response.status_code == 200, (path, response.content[:300])
            if path != "summary/" and not path.startswith("locations/"):
                joiner = "&" if "?" in path else "?"
                exported = client.get(f"/api/insights/{path}{joiner}format=csv")
                assert exported.status_code == 200, (path, exported.content[:300])

    def test_every_page(self, brand, chain, client_for, role_users, role):
        client = client_for(role_users[role])
        for path in (*INSIGHT_PAGES, f"locations/{chain.f1_south.pk}/"):
            response = client.get(f"/insights/{path}")
            assert response.status_code == 200, (path, response.content[:300])


class SummaryTests:
    def test_averages_leave_the_unscored_visit_out_and_count_it(self, brand, api, role_users):
        figures = api(role_users["hq_analyst"]).get("/api/insights/summary/").json()
        scores = [audit.score for audit in brand["scored"]]
        assert Decimal(figures["average_score"]) == Decimal(mean(scores)).quantize(Decimal("0.01"))
        assert figures["locations_audited"] == 4  # a visit is a visit
        assert figures["unscored_visits"] == 1
        assert figures["scored_locations"] == 3
        sections = SectionResult.objects.filter(audit__in=brand["scored"])
        earned = sum(s.earned for s in sections)
        possible = sum(s.possible for s in sections)
        assert Decimal(figures["pooled_pct"]) == (100 * earned / possible).quantize(Decimal("0.01"))
        # 100, 75, 50: Q1 62.5, Q3 87.5, index 75 — with a 0 for the unscored visit it would be lower
        assert Decimal(figures["consistency_index"]) == Decimal("75.00")
        assert figures["authorized_average_score"] == "62.50"  # 75 and 50, GZ-101 left out


class LeagueTests:
    def test_unscored_visit_is_listed_last_without_rank_with_its_reason(self, brand, api, role_users):
        rows = api(role_users["hq_admin"]).get("/api/insights/league/").json()["results"]
        assert [(r["rank"], r["location_code"], r["score"]) for r in rows] == [
            (1, "BJ-001", "100.00"),
            (2, "SY-201", "75.00"),
            (3, "LY-102", "50.00"),
            (None, "GZ-101", None),
        ]
        assert rows[-1]["no_score_reason"] == REASON
        assert rows[-1]["change"] is None
        assert all(r["no_score_reason"] == "" for r in rows[:-1])
        worst_first = (
            api(role_users["hq_admin"]).get("/api/insights/league/?ordering=-rank").json()["results"]
        )
        assert [r["location_code"] for r in worst_first] == ["LY-102", "SY-201", "BJ-001", "GZ-101"]

    def test_league_csv_says_why(self, brand, api, role_users):
        exported = api(role_users["hq_admin"]).get("/api/insights/league/?format=csv")
        rows = {row["location_code"]: row for row in _csv(exported)}
        assert rows["GZ-101"]["score"] == ""
        assert rows["GZ-101"]["rank"] == ""
        assert rows["GZ-101"]["no_score_reason"] == REASON

    def test_heat_map_csv_lists_it_with_empty_cells(self, brand, api, role_users):
        exported = api(role_users["hq_admin"]).get("/api/insights/heatmaps/sections/?format=csv")
        assert exported.status_code == 200
        rows = {row["location_code"]: row for row in _csv(exported)}
        assert rows["GZ-101"]["signage"] == ""
        assert rows["GZ-101"]["display"] == ""
        assert rows["GZ-101"]["no_score_reason"] == REASON

    def test_location_gaps_leave_it_out(self, brand, api, role_users):
        rows = api(role_users["hq_admin"]).get("/api/insights/location-gaps/").json()["results"]
        assert "GZ-101" not in {r["location_code"] for r in rows}


class ComparisonTests:
    def test_groups_mean_and_median_over_scored_locations(self, brand, api, role_users):
        rows = api(role_users["hq_admin"]).get("/api/insights/comparisons/?by=franchisee").json()["results"]
        f1 = next(r for r in rows if r["label"] == "First Partner")
        assert f1["locations"] == 2
        assert f1["unscored"] == 1
        assert f1["mean_score"] == "50.00"
        assert f1["median_score"] == "50.00"
        whole = rows[-1]
        assert whole["mean_score"] == "75.00"
        assert whole["median_score"] == "75.00"
        assert whole["unscored"] == 1

    def test_trends_mean_over_scored_audits(self, brand, api, role_users):
        rows = api(role_users["hq_admin"]).get("/api/insights/trends/?by=chain").json()["results"]
        audits = sum(r["audits"] for r in rows)
        unscored = sum(r["unscored"] for r in rows)
        assert (audits, unscored) == (5, 1)
        for row in rows:
            if row["audits"] and row["audits"] == row["unscored"]:
                assert row["mean_score"] is None


class LocationInsightTests:
    def test_scorecard_has_no_rank_and_says_why(self, brand, chain, api, role_users):
        card = api(role_users["hq_admin"]).get(f"/api/insights/locations/{chain.f1_south.pk}/").json()
        assert card["latest"]["score"] is None
        assert card["latest"]["no_score_reason"] == REASON
        assert card["rank"] is None
        assert card["ranked"] == 3
        assert card["change"] is None
        assert card["regression"] is False

    def test_a_scored_location_ranks_among_scored_ones_only(self, brand, chain, api, role_users):
        card = api(role_users["hq_admin"]).get(f"/api/insights/locations/{chain.f1_tier3.pk}/").json()
        assert (card["rank"], card["ranked"]) == (3, 3)

    def test_page_shows_no_score_and_why(self, brand, chain, client_for, role_users):
        page = client_for(role_users["hq_admin"]).get(f"/insights/locations/{chain.f1_south.pk}/")
        assert "No score" in page.content.decode()
        assert "every applicable item was &#x27;cannot check&#x27;" in page.content.decode()


@pytest.mark.parametrize("role", ["hq_admin", "hq_analyst", "franchisee"])
class ScorecardTests:
    def test_scorecard_pages_pdf_and_api(self, brand, chain, client_for, api, role_users, role):
        user = role_users[role]
        pk = chain.f1_south.pk
        pages = client_for(user)
        for path in (
            "/scorecards/",
            f"/scorecards/{pk}/",
            f"/locations/{pk}/",
            f"/audits/{brand['unscored'].pk}/",
        ):
            response = pages.get(path)
            assert response.status_code == 200, (path, response.content[:300])
            if path != "/scorecards/":
                assert "No score" in response.content.decode(), path
        pdf = pages.get(f"/scorecards/{pk}/pdf/")
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        client = api(user)
        for path in (f"/api/scorecards/{pk}/", f"/api/audits/{brand['unscored'].pk}/", "/api/scorecards/"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.content[:300])
        card = client.get(f"/api/scorecards/{pk}/").json()
        assert card["audit"]["score"] is None
        assert card["no_score_reason"] == REASON
        assert card["history"][-1]["no_score_reason"] == REASON
        assert client.get(f"/api/scorecards/{pk}/pdf/").status_code == 200

    def test_insights_stay_closed_or_open_never_500(self, brand, chain, api, role_users, role):
        response = api(role_users[role]).get("/api/insights/summary/")
        assert response.status_code == (403 if role == "franchisee" else 200)


class ShareLinkTests:
    def test_shared_scorecard_and_pdf(self, brand, chain, client_for, role_users):
        link = share_link_create(location=chain.f1_south, user=role_users["hq_admin"])
        anonymous = client_for()
        page = anonymous.get(f"/share/{link.token}/")
        assert page.status_code == 200
        assert "No score" in page.content.decode()
        assert anonymous.get(f"/share/{link.token}/pdf/").status_code == 200


def _pdf_text(pdf: bytes, tmp_path) -> str | None:
    """The PDF's text, or None without poppler's pdftotext (make system-deps)."""
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


class PdfTests:
    def test_pdf_says_no_score_and_why(self, brand, chain, client_for, role_users, tmp_path):
        pdf = client_for(role_users["franchisee"]).get(f"/scorecards/{chain.f1_south.pk}/pdf/").content
        text = _pdf_text(pdf, tmp_path)
        if text is None:
            pytest.skip("needs poppler-utils (make system-deps)")
        assert "No score" in text
        assert "cannot check" in text


@pytest.fixture
def partial(chain, role_users):
    """GZ-101's only audit: its signage section and its price dimension had nothing checkable."""
    published_framework(chain.brand)
    admin = role_users["hq_admin"]
    audit_at(chain.direct_north, admin, days_ago(10))
    blind = {
        code.replace("-", "_"): AnswerInput(item=code, kind="cannot_check")
        for code in ("SIG-01", "SIG-02", "DIS-02")
    }
    return audit_at(chain.f1_south, admin, days_ago(2), **blind)


class PartialTests:
    def test_a_section_and_a_dimension_without_a_score(self, partial, chain, api, client_for, role_users):
        assert partial.score is not None
        sections = {s.section_code: s.score for s in partial.section_results.all()}
        assert sections["signage"] is None
        assert sections["display"] is not None
        experience = {d.dimension_code: d.experience for d in partial.dimension_results.all()}
        assert experience["price"] is None
        admin = api(role_users["hq_admin"])
        for path in (*INSIGHT_API, f"locations/{chain.f1_south.pk}/"):
            response = admin.get(f"/api/insights/{path}")
            assert response.status_code == 200, (path, response.content[:300])
        heat = {
            row["location_code"]: row
            for row in _csv(admin.get("/api/insights/heatmaps/sections/?format=csv"))
        }
        assert heat["GZ-101"]["signage"] == ""
        assert heat["GZ-101"]["display"] != ""
        sections = admin.get("/api/insights/consistency/sections/").json()["results"]
        signage = next(row for row in sections if row["section_code"] == "signage")
        assert signage["locations"] == 1  # BJ-001 only: a section without a score is left out
        pages = client_for(role_users["hq_admin"])
        for path in (*(f"/insights/{p}" for p in INSIGHT_PAGES), f"/insights/locations/{chain.f1_south.pk}/"):
            assert pages.get(path).status_code == 200, path
        operator = client_for(role_users["franchisee"])
        pk = chain.f1_south.pk
        for path in (
            f"/scorecards/{pk}/",
            f"/scorecards/{pk}/pdf/",
            f"/audits/{partial.pk}/",
            f"/locations/{pk}/",
        ):
            assert operator.get(path).status_code == 200, path
