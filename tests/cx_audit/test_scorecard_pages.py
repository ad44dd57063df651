"""The franchisee portal and a location's scorecard page, read as a person reads them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cx_audit.core.choices import Role
from tests.cx_audit.scorecard_helpers import (
    CHINESE_ITEM,
    audit_at,
    failing_answers,
    passing_answers,
    photo_of,
    scorecard_framework,
)

pytestmark = pytest.mark.django_db


PORTAL = "/scorecards/"


@pytest.fixture
def history(chain, role_users):
    """GZ-101 (F1): a passing audit 40 days ago, then a failing one with a photo today."""
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    older = audit_at(chain.f1_south, admin, passing_answers(chain.f1_south), days_ago=40)
    latest = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)
    other = audit_at(chain.f2_north_east, admin, passing_answers(chain.f2_north_east), days_ago=3)
    return {"older": older, "latest": latest, "other": other}


def detail(location) -> str:
    return f"{PORTAL}{location.pk}/"


class PortalTests:
    def test_franchisee_sees_its_locations_with_score_band_trend_and_disputes(
        self, client_for, chain, role_users, history, table_rows
    ):
        response = client_for(role_users["franchisee"]).get(PORTAL)
        assert response.status_code == 200
        rows = {row[0]: row for row in table_rows(response)}
        assert set(rows) == {"GZ-101", "LY-102"}  # never F2's Shenyang
        _code, name, score, band, trend, _audited, disputes, actions = rows["GZ-101"]
        assert "Guangzhou Dealer" in name
        assert score == "50.00 critical"
        assert band == "Poor"
        assert trend == "▼ -50.00"  # from 100.00
        assert disputes == "0"
        assert actions == "2"  # SIG-01 and SIG-03 failed at the latest audit
        assert f'href="/actions/?location={chain.f1_south.pk}"' in response.content.decode()
        assert rows["LY-102"][2:5] == ["—", "—", "—"]

    def test_hq_sees_the_chain_and_filters_by_franchisee(
        self, client_for, chain, role_users, history, table_rows
    ):
        client = client_for(role_users["hq_analyst"])
        codes = {row[0] for row in table_rows(client.get(PORTAL))}
        assert codes == {"BJ-001", "GZ-101", "SY-201", "LY-102"}
        codes = {row[0] for row in table_rows(client.get(PORTAL, {"franchisee": chain.f2.pk}))}
        assert codes == {"SY-201"}

    def test_someone_elses_franchisee_as_filter_is_a_form_error_not_data(
        self, client_for, chain, role_users, history, table_rows
    ):
        response = client_for(role_users["franchisee"]).get(PORTAL, {"franchisee": chain.f2.pk})
        assert "Select a valid choice" in response.content.decode()
        assert table_rows(response) == []

    def test_portal_queries_do_not_grow_with_audits_or_locations(self, client_for, chain, role_users):
        scorecard_framework(chain.brand)
        admin = role_users["hq_admin"]
        client = client_for(role_users["hq_analyst"])
        audit_at(chain.f1_south, admin, failing_answers(chain.f1_south))

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(PORTAL).status_code == 200
            return len(captured)

        few = queries()
        for days in range(2, 8):
            for location in (chain.f1_south, chain.f1_tier3, chain.f2_north_east, chain.direct_north):
                audit_at(location, admin, passing_answers(location), days_ago=days)
        assert queries() == few


class ScorecardPageTests:
    def test_shows_score_sections_delta_history_findings_and_photos(
        self, client_for, chain, role_users, history
    ):
        response = client_for(role_users["franchisee"]).get(detail(chain.f1_south))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<p class="big-number" data-score="50.00">50.00</p>' in html
        assert "Poor" in html
        assert "capped at 50.00 (raw score 66.67)" in html
        assert html.count("<svg") - html.count('<svg class="sc-brand-bar"') == 3  # sections, Delta, history
        assert "Experience against expectation and ideal" in html
        assert "Score history" in html
        findings = re.findall(r'<article class="finding [^"]*" id="finding-([^"]+)"', html)
        assert findings == ["SIG-01", "SIG-03"]  # the critical failure first
        assert CHINESE_ITEM in html
        assert "forbidden term &#x27;体验店&#x27; found → fail" in html
        photo = photo_of(history["latest"])
        assert f'src="/api/evidence/{photo.pk}/file/?size=display"' in html
        assert "灯箱不亮 light box off" in html  # the auditor's comment

    def test_repeat_findings_are_listed(self, client_for, chain, role_users, history):
        again = audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
        html = client_for(role_users["franchisee"]).get(detail(chain.f1_south)).content.decode()
        assert again.repeat_count == 2
        section = re.search(r'<h2 id="sc-repeats">.*?</section>', html, re.DOTALL)[0]
        assert "SIG-01" in section
        assert "SIG-03" in section
        assert html.count("repeat finding</span>") == 2

    def test_benchmark_reveals_no_other_location(self, client_for, chain, role_users, history):
        html = client_for(role_users["franchisee"]).get(detail(chain.f1_south)).content.decode()
        assert "Compared with the chain" in html
        assert "too few outlets" in html  # 2 audited outlets: no median that would give one away
        assert "Shenyang" not in html
        assert "SY-201" not in html
        assert "100.00" not in html.split('id="sc-benchmark"')[1].split("</section>")[0]

    def test_the_outlets_franchisee_gets_a_dispute_form_per_failed_item(
        self, client_for, chain, role_users, history
    ):
        html = client_for(role_users["franchisee"]).get(detail(chain.f1_south)).content.decode()
        assert html.count("Dispute this finding") == 2
        assert '<label for="dispute-SIG-01-note">' in html
        for role in ("hq_admin", "hq_analyst"):
            html = client_for(role_users[role]).get(detail(chain.f1_south)).content.decode()
            assert "Dispute this finding" not in html

    def test_no_dispute_form_after_the_brands_window(self, client_for, chain, role_users, history):
        chain.brand.dispute_days = 0
        chain.brand.save()
        html = client_for(role_users["franchisee"]).get(detail(chain.f1_south)).content.decode()
        assert "Dispute this finding" not in html

    def test_hq_admin_sees_the_share_panel_others_do_not(self, client_for, chain, role_users, history):
        assert (
            "Share this scorecard"
            in client_for(role_users["hq_admin"]).get(detail(chain.f1_south)).content.decode()
        )
        for role in ("hq_analyst", "franchisee"):
            html = client_for(role_users[role]).get(detail(chain.f1_south)).content.decode()
            assert "Share this scorecard" not in html

    def test_a_location_without_audit_says_so(self, client_for, chain, role_users, history):
        response = client_for(role_users["franchisee"]).get(detail(chain.f1_tier3))
        assert response.status_code == 200
        assert "No submitted audit yet" in response.content.decode()

    def test_a_new_operator_sees_none_of_the_previous_operators_audits(
        self, client_for, chain, role_users, history, user_in
    ):
        chain.f1_south.franchisee = chain.f2
        chain.f1_south.save()
        new_operator = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
        html = client_for(new_operator).get(detail(chain.f1_south)).content.decode()
        assert "No submitted audit yet" in html

    def test_scorecard_queries_do_not_grow_with_history(self, client_for, chain, role_users):
        scorecard_framework(chain.brand)
        admin = role_users["hq_admin"]
        client = client_for(role_users["franchisee"])
        audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(detail(chain.f1_south)).status_code == 200
            return len(captured)

        few = queries()
        for days in range(1, 15):
            audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), days_ago=days / 10, photo=True)
            audit_at(chain.f2_north_east, admin, passing_answers(chain.f2_north_east), days_ago=days)
        assert queries() == few
