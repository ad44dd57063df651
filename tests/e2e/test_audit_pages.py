"""The audit pages on a 10" tablet: the list, and the score page a franchisee reads."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from cx_audit.audits.services import AnswerInput, audit_create
from journeys.services import framework_publish
from tests.cx_audit.audit_helpers import answers_for, submitted_audit
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def test_franchisee_reads_why_the_score_is_what_it_is(
    tablet: Tablet, chain: Any, framework: Any, role_users: dict
) -> None:
    framework_publish(framework=framework)
    admin = role_users["hq_admin"]
    submitted_audit(chain.f1_south, admin)
    capped = submitted_audit(
        chain.f1_south,
        admin,
        answers_for(chain.f1_south, SIG_01=AnswerInput(item="SIG-01", text="Aurora Experience Store")),
    )
    audit_create(location=chain.f1_south, user=admin, kind="unannounced")  # a draft they must not see

    page = tablet.page
    tablet.sign_in(role_users["franchisee"])
    tablet.open("/audits/")
    assert_tablet_friendly(tablet, "audits-list")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)

    rows.first.click()
    expect(page).to_have_url(f"{tablet.base_url}/audits/{capped.pk}/")
    assert_tablet_friendly(tablet, "audit-score")
    expect(page.locator(".big-number")).to_have_text("50.00")
    expect(page.get_by_text("A critical standard failed")).to_be_visible()
    charts = page.locator("figure svg.chart")
    expect(charts).to_have_count(2)
    for index in range(2):
        box = charts.nth(index).bounding_box()
        assert box
        assert box["width"] > 300
        assert box["height"] > 60
    reason = page.locator("tr.outcome-fail", has_text="SIG-01")
    expect(reason).to_contain_text(re.compile("forbidden.*Experience Store", re.IGNORECASE))
