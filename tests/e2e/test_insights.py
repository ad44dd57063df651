"""HQ on a 10" tablet: the insights dashboard, drilling from the chain to a region, a location, an audit.

Runs in landscape and portrait; screenshots in /tmp/e2e-<orientation>-insights-*.png.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.cx_audit.insight_helpers import FAKE_SIGN, NO, audit_at, days_ago
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly, nav_labels

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


@pytest.fixture
def audited(busy_chain: Any, framework: Any, role_users: dict) -> Any:
    from journeys.services import framework_publish
    from locations.models import Location

    framework_publish(framework=framework)
    admin = role_users["hq_admin"]
    for n, location in enumerate(Location.objects.filter(brand=busy_chain.brand).order_by("code")):
        audit_at(location, admin, days_ago(90 + n))
        changes = NO if n % 3 == 0 else FAKE_SIGN if n % 5 == 1 and location.franchisee_id else {}
        audit_at(location, admin, days_ago(2 + n), **changes)
    return busy_chain


def test_hq_analyst_drills_from_the_chain_to_an_audit(tablet: Tablet, audited: Any, role_users: dict) -> None:
    page = tablet.page
    tablet.sign_in(role_users["hq_analyst"])
    assert "Insights" in nav_labels(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chain insights")
    for tile in ("Average score", "Locations audited", "Critical failures", "Consistency index"):
        expect(page.get_by_role("heading", name=tile)).to_be_visible()
    assert page.locator("svg.chart").count() >= 4
    assert_tablet_friendly(tablet, "insights-1-dashboard")

    page.get_by_role("link", name="North", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North")
    expect(page.locator(".breadcrumbs")).to_contain_text("Aurora › North")
    assert_tablet_friendly(tablet, "insights-2-region")

    page.get_by_role("navigation", name="Insight pages").get_by_role("link", name="League table").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("League table")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 3
    assert_tablet_friendly(tablet, "insights-3-league")

    rows.first.locator("a.row-link").click()
    expect(page.get_by_role("heading", name="Rank in the brand")).to_be_visible()
    assert_tablet_friendly(tablet, "insights-4-location")

    page.locator(".kpi .big-number a").first.click()
    expect(page.get_by_role("heading", name="Score", exact=True)).to_be_visible()
    assert "/audits/" in page.url


def test_standards_and_comparisons_fit_the_tablet(tablet: Tablet, audited: Any, role_users: dict) -> None:
    page = tablet.page
    tablet.sign_in(role_users["hq_admin"])
    tablet.open("/insights/standards/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap ranking of standards")
    assert_tablet_friendly(tablet, "insights-5-standards")
    page.locator("table.data tbody tr a.row-link").first.click()
    expect(page.get_by_role("heading", name="Locations failing it")).to_be_visible()
    assert_tablet_friendly(tablet, "insights-6-standard")
    tablet.open("/insights/comparisons/?by=franchisee")
    assert_tablet_friendly(tablet, "insights-7-comparisons")
    tablet.open("/insights/consistency/")
    assert_tablet_friendly(tablet, "insights-8-consistency")
    tablet.open("/insights/league/?city_tier=9")
    expect(page.get_by_role("alert")).to_contain_text("City tier")
    assert_tablet_friendly(tablet, "insights-9-bad-filter")
