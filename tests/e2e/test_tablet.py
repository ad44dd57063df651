"""What people do on a 10" tablet: sign in, find locations, read the framework, sign out.

Each test runs in landscape (1280×800) and portrait (800×1280) and leaves screenshots in
/tmp/e2e-<orientation>-<step>.png for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

MIN_TAP = 44  # px; the smallest comfortable touch target (WCAG 2.5.5, Apple and Android guidance)

# Measured in the page: what a person on a tablet would trip over.
LAYOUT_PROBE = """() => {
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const describe = el => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`
    + ` ${Math.round(el.getBoundingClientRect().height)}px`;
  const targets = '.nav a, button, .button, .tabs a, .pagination a, fieldset.choices label, summary,'
    + ' .error-summary a, table.rows-link tbody tr:has(a.row-link)';
  const fields = [...document.querySelectorAll('input, select, textarea')]
    .filter(el => !['hidden', 'submit', 'button'].includes(el.type));
  return {
    lang: document.documentElement.lang,
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tablesScrolling: [...document.querySelectorAll('.table-wrap')]
      .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.querySelector('th')?.textContent),
    smallTargets: [...document.querySelectorAll(targets)].filter(shown)
      .filter(el => el.getBoundingClientRect().height < MIN_TAP).map(describe),
    unlabelled: fields.filter(el => !el.labels?.length && !el.getAttribute('aria-label')
      && !el.getAttribute('aria-labelledby')).map(el => el.name || el.id),
    h1: document.querySelectorAll('h1').length,
  };
}""".replace("MIN_TAP", str(MIN_TAP - 0.5))  # half a pixel for sub-pixel rounding


def assert_tablet_friendly(tablet: Tablet, name: str) -> None:
    """No sideways scrolling, big enough targets, every field labelled, the language declared.

    The screenshot is taken first, so a failure leaves the picture to look at.
    """
    page = tablet.page
    page.wait_for_load_state("load")  # after a click, the DOM can be there before the stylesheet
    tablet.shot(name)
    probe: dict[str, Any] = page.evaluate(LAYOUT_PROBE)
    where = page.url
    assert probe["lang"] == "en", where
    assert probe["pageOverflow"] <= 0, f"{where}: the page scrolls sideways by {probe['pageOverflow']}px"
    assert probe["tablesScrolling"] == [], f"{where}: tables need sideways scrolling"
    assert probe["smallTargets"] == [], f"{where}: tap targets under {MIN_TAP}px"
    assert probe["unlabelled"] == [], f"{where}: fields without a label"
    assert probe["h1"] == 1, f"{where}: a page has exactly one main heading"


def nav_labels(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Main").get_by_role("link").all_inner_texts()


def listed_codes(page: Page) -> set[str]:
    """The codes in the first column of the locations table (the empty-list message excluded)."""
    cells = page.locator("table.data tbody tr td.code").all_inner_texts()
    return {cell.strip() for cell in cells}


def test_hq_admin_finds_a_location_and_reads_the_framework(
    tablet: Tablet, busy_chain: Any, framework: Any, role_users: dict
) -> None:
    page = tablet.page
    tablet.sign_in(role_users["hq_admin"])
    assert nav_labels(page) == [
        "Home",
        "My audits",
        "Locations",
        "Audits",
        "Insights",
        "Scorecards",
        "Customers",
        "Actions",
        "Framework",
        "Policy check",
        "History",
        "Admin",
        "API",
    ]
    assert_tablet_friendly(tablet, "1-home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Locations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Locations")
    expect(page.get_by_role("status")).to_have_text("12 locations")
    assert_tablet_friendly(tablet, "2-locations")

    page.get_by_role("group", name="Outlet type").get_by_label("Authorized (partner-operated)").check()
    page.get_by_role("group", name="City tier").get_by_label("3").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"outlet_type=authorized.*city_tier=3"))
    expect(page.get_by_role("status")).to_have_text("3 locations")
    assert listed_codes(page) == {"DA-303", "LY-102", "ZH-306"}
    expect(page.get_by_label("Authorized (partner-operated)")).to_be_checked()
    expect(page.get_by_role("group", name="City tier").get_by_label("3")).to_be_checked()
    assert_tablet_friendly(tablet, "3-filtered")

    # The whole row is the link: a tap on the city cell, not on the name, opens the outlet. (force:
    # the link's stretched overlay, not the cell, takes the tap, which is the point.)
    page.get_by_role("row", name=re.compile("LY-102")).locator("td").nth(4).tap(force=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Luoyang Dealer")
    expect(page.get_by_text("First Partner")).to_be_visible()
    assert_tablet_friendly(tablet, "4-location")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Framework").click()
    assert_tablet_friendly(tablet, "4b-frameworks")
    page.get_by_role("link", name="Aurora store standard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aurora store standard")
    expect(page.get_by_role("link", name="By section → item")).to_have_attribute("aria-current", "page")
    signage = page.get_by_role("row", name=re.compile("SIG-01"))
    expect(signage).to_contain_text("does not apply")
    expect(signage).to_contain_text("must not show: “Experience Store”, “体验店”")
    assert_tablet_friendly(tablet, "5-framework-sections")

    page.get_by_role("link", name="By journey → stage → touchpoint").click()
    expect(page).to_have_url(re.compile(r"\?view=journeys$"))
    expect(page.get_by_role("heading", level=2, name="Buy a phone in store")).to_be_visible()
    expect(page.get_by_role("heading", level=4, name=re.compile("Shop front"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("DIS-02"))).to_contain_text("90–100% of list")
    assert_tablet_friendly(tablet, "6-framework-journeys")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    tablet.open("/locations/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/locations/$"))


def test_franchisee_sees_only_their_own_outlets(tablet: Tablet, busy_chain: Any, role_users: dict) -> None:
    page = tablet.page
    tablet.sign_in(role_users["franchisee"])
    assert nav_labels(page) == [
        "Home",
        "My audits",
        "Locations",
        "Audits",
        "Scorecards",
        "Customers",
        "Actions",
        "Framework",
        "API",
    ]
    expect(page.get_by_text("Policy check")).to_have_count(0)
    tablet.open("/locations/")
    assert listed_codes(page) == {"GZ-101", "LY-102", "FO-305", "ZH-306", "SH-307"}
    expect(page.get_by_label("Franchisee").locator("option")).to_have_text(["Any", "First Partner"])
    assert_tablet_friendly(tablet, "7-franchisee-locations")
    tablet.open(busy_chain.f2_north_east.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_tablet_friendly(tablet, "7b-not-found")


def test_auditor_in_a_store_finds_the_outlets_around_them(
    tablet: Tablet, busy_chain: Any, role_users: dict
) -> None:
    page = tablet.page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 41.8057, "longitude": 123.4315})  # in Shenyang
    tablet.sign_in(role_users["auditor"])
    assert nav_labels(page) == ["Home", "My audits", "Locations", "Audits", "Actions", "Framework", "API"]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Locations").click()
    assert listed_codes(page) == {"BJ-001", "SY-201", "BE-300", "TI-301", "HA-302", "DA-303"}
    page.get_by_role("button", name="Use my position").click()
    expect(page.get_by_label("Near (lat,lon,km)")).to_have_value("41.80570,123.43150,10")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"\?near=41.80570%2C123.43150%2C10$"))
    assert listed_codes(page) == {"SY-201"}
    expect(page.get_by_role("columnheader", name="Distance")).to_be_visible()
    assert_tablet_friendly(tablet, "9-auditor-near-me")


def test_a_bad_radius_is_explained_and_the_field_is_one_tap_away(
    tablet: Tablet, busy_chain: Any, role_users: dict
) -> None:
    page = tablet.page
    tablet.sign_in(role_users["hq_analyst"])
    tablet.open("/locations/")
    page.get_by_label("Search").fill("dealer")
    page.get_by_label("Near (lat,lon,km)").fill("abc")
    page.get_by_role("button", name="Filter").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct these filters")
    expect(summary).to_contain_text("Near (lat,lon,km): Use near=")
    near = page.get_by_label("Near (lat,lon,km)")
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(near).to_have_value("abc")
    expect(page.get_by_label("Search")).to_have_value("dealer")
    expect(page.get_by_role("status")).to_have_text("Correct the filters above to see locations.")
    assert_tablet_friendly(tablet, "8-bad-near")
    summary.get_by_role("link").click()
    expect(near).to_be_focused()


def test_every_page_fits_the_tablet(
    tablet: Tablet, busy_chain: Any, framework: Any, role_users: dict
) -> None:
    page = tablet.page
    tablet.open("/accounts/login/")
    assert_tablet_friendly(tablet, "0-sign-in")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("didn't match")
    assert_tablet_friendly(tablet, "0b-sign-in-refused")

    busy_chain.brand.direct_max_city_tier = 1
    busy_chain.brand.save()
    busy_chain.direct_north.city_tier = 3
    busy_chain.direct_north.save()
    tablet.sign_in(role_users["hq_admin"])
    for name, path in [
        ("policy-check", "/locations/policy-check/"),
        ("policy-check-filtered", "/locations/policy-check/?city_tier=3"),
        ("location-flagged", busy_chain.direct_north.get_absolute_url()),
        ("near", "/locations/?near=39.9042,116.4074,2000&status=open"),
    ]:
        tablet.open(path)
        assert_tablet_friendly(tablet, name)
