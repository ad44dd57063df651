"""The scorecard as JSON, and the anonymous benchmark it carries (same data as the page and PDF)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cx_audit.audits.services import AnswerInput
from cx_audit.scorecards.benchmark import median, percentile
from tests.cx_audit.scorecard_helpers import (
    audit_at,
    failing_answers,
    passing_answers,
    photo_of,
    scorecard_framework,
)
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


class BenchmarkMathsTests:
    def test_median_needs_five(self):
        assert median([Decimal(s) for s in ("10", "20", "30", "40")]) is None
        assert median([Decimal(s) for s in ("10", "20", "30", "40", "50")]) == Decimal("30.00")
        assert median([Decimal(s) for s in ("10", "20", "30", "40", "50", "61")]) == Decimal("35.00")

    def test_percentile_counts_ties_half_and_needs_five(self):
        assert percentile(Decimal(50), [Decimal(10), Decimal(20), Decimal(30)]) is None
        others = [Decimal(s) for s in ("10", "50", "60", "90")]
        assert percentile(Decimal(50), others) == 38  # 1 below + half of 1 tie, of 4 → 37.5 → 38
        assert percentile(Decimal(95), others) == 100
        assert percentile(Decimal(5), others) == 0


@pytest.fixture
def crowd(chain, role_users):
    """Six authorized outlets in South (GZ-101 among them) and one direct store, all audited."""
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)  # 50.00
    scores = []
    for n, units in enumerate(("6", "5", "4", "3", "2")):
        location = LocationFactory(
            brand=chain.brand, code=f"S-{n}", franchisee=chain.f2, region=chain.south, city="Foshan"
        )
        answers = passing_answers(location)
        answers[2] = AnswerInput(item="DIS-01", number=Decimal(units))  # display drops with fewer demo units
        scores.append(audit_at(location, admin, answers).score)
    audit_at(chain.direct_north, admin, passing_answers(chain.direct_north))  # 100.00
    return scores


class ScorecardAPITests:
    def test_the_scorecard_as_json(self, api, chain, role_users, crowd):
        card = api(role_users["franchisee"]).get(f"/api/scorecards/{chain.f1_south.pk}/").json()
        assert card["location"] == {
            "id": chain.f1_south.pk,
            "code": "GZ-101",
            "name": "Guangzhou Dealer",
            "outlet_type": "authorized",
            "city": "Guangzhou",
            "franchisee": "First Partner",
            "region": "South",
        }
        assert card["brand"]["name"] == "Aurora"
        assert card["brand"]["dispute_days"] == 14
        assert (card["audit"]["score"], card["audit"]["raw_score"], card["audit"]["band"]) == (
            "50.00",
            "66.67",
            "Poor",
        )
        assert (card["amended"], card["original_score"], card["trend"]) == (False, None, None)
        assert [s["code"] for s in card["sections"]] == ["signage", "display"]
        assert [f["item_code"] for f in card["findings"]] == ["SIG-01", "SIG-03"]
        sig = card["findings"][0]
        assert (sig["critical"], sig["critical_failed"], sig["outcome"], sig["disputable"]) == (
            True,
            True,
            "fail",
            True,
        )
        assert sig["photos"] == [{"url": f"/api/evidence/{photo_of_latest(chain).pk}/file/?size=display"}]
        assert card["key_experiences"] == ["service"]
        assert card["dispute_open"]
        assert card["can_dispute"]
        assert card["pdf_url"] == f"/api/scorecards/{chain.f1_south.pk}/pdf/"
        assert len(card["history"]) == 1

    def test_the_benchmark_is_anonymous_and_right(self, api, chain, role_users, crowd):
        card = api(role_users["franchisee"]).get(f"/api/scorecards/{chain.f1_south.pk}/").json()
        everyone = sorted([Decimal("50.00"), Decimal("100.00"), *crowd])
        benchmark = card["benchmark"]
        assert benchmark["chain_count"] == 7
        assert benchmark["chain_median"] == str(everyone[3])
        south = sorted([Decimal("50.00"), *crowd])
        assert benchmark["region_name"] == "South"
        assert benchmark["region_count"] == 6
        assert benchmark["region_median"] == str(
            ((south[2] + south[3]) / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        assert (benchmark["outlet_type"], benchmark["outlet_count"]) == ("authorized", 6)
        assert benchmark["outlet_percentile"] == 0  # the lowest of the authorized outlets
        text = str(card)
        assert "S-0" not in text
        assert "Foshan" not in text

    def test_hq_reads_the_same_card_without_the_right_to_dispute(self, api, chain, role_users, crowd):
        card = api(role_users["hq_analyst"]).get(f"/api/scorecards/{chain.f1_south.pk}/").json()
        assert card["can_dispute"] is False
        assert card["findings"][0]["disputable"] is False

    def test_the_portal_list(self, api, chain, role_users, crowd):
        audit_at(chain.f1_south, role_users["hq_admin"], passing_answers(chain.f1_south))
        rows = api(role_users["franchisee"]).get("/api/scorecards/").json()["results"]
        row = next(r for r in rows if r["location"]["code"] == "GZ-101")
        assert (row["score"], row["previous_score"], row["change"], row["trend"]) == (
            "100.00",
            "50.00",
            "50.00",
            "up",
        )
        assert row["scorecard_url"] == f"/api/scorecards/{chain.f1_south.pk}/"

    def test_pdf_by_api_with_accept_pdf(self, api, chain, role_users, crowd):
        response = api(role_users["franchisee"]).get(
            f"/api/scorecards/{chain.f1_south.pk}/pdf/", HTTP_ACCEPT="application/pdf"
        )
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
        missing = api(role_users["franchisee"]).get(
            "/api/scorecards/999999/pdf/", HTTP_ACCEPT="application/pdf"
        )
        assert missing.status_code == 404

    def test_api_queries_do_not_grow(self, api, chain, role_users):
        scorecard_framework(chain.brand)
        admin = role_users["hq_admin"]
        client = api(role_users["hq_analyst"])
        audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        urls = ["/api/scorecards/", f"/api/scorecards/{chain.f1_south.pk}/"]
        [queries(url) for url in urls]  # the user's scope is worked out once, then kept on the user
        few = [queries(url) for url in urls]
        for days in range(1, 8):
            for location in (chain.f1_south, chain.f2_north_east, chain.direct_north):
                audit_at(location, admin, failing_answers(location), days_ago=days, photo=True)
        assert [queries(url) for url in urls] == few


def photo_of_latest(chain):
    from cx_audit.audits.models.audits import Audit

    return photo_of(Audit.objects.filter(location=chain.f1_south).latest("submitted_at"))
