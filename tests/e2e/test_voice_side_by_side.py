"""Audits and customers side by side on a 10" tablet: the scorecard's "What customers say", the league
with NPS and revenue at risk, and "Do audit scores predict NPS?" with its chart — each fitting the
screen, under the strict Content-Security-Policy (the chart is plain SVG, no inline style or script).

Runs in landscape and portrait; screenshots in /tmp/e2e-<orientation>-voice-*.png.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.cx_audit.insight_helpers import NO, audit_at, days_ago
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly
from tests.voice.test_side_by_side import ANSWERS, lexicon, speak

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


@pytest.fixture
def heard(busy_chain: Any, framework: Any, role_users: dict) -> Any:
    """Every store audited, with a large annual revenue and a year of customers."""
    from journeys.services import framework_publish
    from locations.models import Location

    framework_publish(framework=framework)
    lexicon(busy_chain.brand)
    admin = role_users["hq_admin"]
    for n, location in enumerate(Location.objects.filter(brand=busy_chain.brand).order_by("code")):
        location.annual_revenue = Decimal("98765432.10") - n
        location.save()
        audit_at(location, admin, days_ago(2 + n), **(NO if n % 3 == 0 else {}))
        speak(location, ANSWERS[n % 4 :])
    return busy_chain


def test_hq_sees_customers_beside_audits(tablet: Tablet, heard: Any, role_users: dict) -> None:
    page = tablet.page
    tablet.sign_in(role_users["hq_analyst"])
    tablet.open("/insights/league/?ordering=-risk")
    expect(page.get_by_role("heading", level=1)).to_have_text("League table")
    expect(page.locator("td.customers").first).to_contain_text("answers")
    assert_tablet_friendly(tablet, "voice-1-league")

    page.get_by_role("navigation", name="Insight pages").get_by_role("link", name="Audits and NPS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Do audit scores predict NPS?")
    expect(page.locator(".reading")).to_contain_text("No claim below 30 locations")
    assert page.locator("svg.scatter circle.dot").count() >= 8
    assert_tablet_friendly(tablet, "voice-2-predict")

    tablet.open(f"/scorecards/{heard.f1_south.pk}/")
    expect(page.get_by_role("heading", name="What customers say")).to_be_visible()
    expect(page.locator(".revenue-lost")).not_to_be_empty()
    assert_tablet_friendly(tablet, "voice-3-scorecard")
