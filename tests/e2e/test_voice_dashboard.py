"""The customers' voice on a 10" tablet (issue 13), signed in through the form as each role:

- an HQ analyst follows "Customers" to the dashboard, reads the NPS, the trend chart and the pain
  points with the customers' words marked, narrows it to one channel and sees the figures change,
  then opens a store's voice with the auditor's and the customers' Delta models side by side;
- a franchisee lists its own outlets' recovery actions (never another franchisee's), closes one
  as recovered with a note, and the list counts it in the recovery rate;
- an auditor is refused the dashboard and reads only the figures of a store it audits: no
  comment, no marked words, no phone number or customer reference, no store it does not audit.

Each page fits the screen in landscape and portrait, under the strict Content-Security-Policy.
Screenshots in /tmp/e2e-<orientation>-voice-dash-*.png.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cx_audit.voice.choices import FeedbackSource, RecoveryStatus
from cx_audit.voice.models import Feedback, RecoveryAction
from cx_audit.voice.services import FeedbackIn, feedback_ingest
from tests.cx_audit.scorecard_helpers import audit_at, passing_answers, scorecard_framework
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly
from tests.voice.test_dashboard import Say, ingest, voiced  # noqa: F401 (voiced: a fixture, used by name)
from tests.voice.test_recovery import ingest as recovery_ingest
from tests.voice.test_recovery import record, routed, world  # noqa: F401 (fixtures, used by name)

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

PHONE = "13800138000"
MAIL = "li.wei@example.com"
CUSTOMER = "member-4711"


def main_nav(tablet: Tablet) -> Any:
    return tablet.page.get_by_role("navigation", name="Main")


def kpi(tablet: Tablet, label: str) -> Any:
    """The big number of a headline tile."""
    tile = tablet.page.locator(".kpi", has=tablet.page.get_by_role("heading", name=label, exact=True))
    return tile.locator(".big-number")


@pytest.mark.usefixtures("voiced")
def test_hq_reads_the_dashboard_narrows_it_and_opens_a_stores_voice(
    tablet: Tablet, chain: Any, role_users: dict
) -> None:
    # Beijing's latest audit, for the auditor's side of its Delta model, and five more hotline
    # comments on its service, enough for the customers' side (delta.MIN_MENTIONS).
    scorecard_framework(chain.brand)
    audit_at(chain.direct_north, role_users["hq_admin"], passing_answers(chain.direct_north))
    ingest(*[Say(chain.direct_north, nps=9, comment="friendly") for _ in range(4)])
    ingest(Say(chain.direct_north, nps=4, comment="rude"))
    page = tablet.page
    tablet.sign_in(role_users["hq_analyst"])
    main_nav(tablet).get_by_role("link", name="Customers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Customers' voice")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aurora")

    # Fourteen answers in the period: seven promoters (10, 9, 10, 9 × 4), five detractors (3, 6, 2, 0,
    # 4) → (7 − 5) ÷ 14 = 14.3.
    expect(kpi(tablet, "NPS")).to_have_text("14.3")
    expect(kpi(tablet, "Volume")).to_have_text("14")
    assert page.locator("figure.chart-figure svg.chart").count() == 2
    assert page.locator("figure.chart-figure svg.chart circle.point").count() >= 1

    pain = page.locator(".points-list.pain")
    expect(pain.get_by_role("heading", name="Top pain points")).to_be_visible()
    queue = pain.locator("blockquote", has_text="the queue was long")
    expect(queue).to_be_visible()
    expect(queue.locator("mark")).to_have_text("queue")
    rude = pain.locator("blockquote", has=page.locator("mark", has_text=re.compile(r"rude$")))
    expect(rude.first).to_be_visible()
    # A customer's markup is shown as text, never run (the page error watch would catch a script).
    assert page.locator(".points-list script").count() == 0
    pleasure = page.locator(".points-list.pleasure")
    expect(pleasure.locator("blockquote mark").first).to_have_text("friendly")

    locations = page.locator("#locations tbody tr")
    expect(locations.first).to_contain_text("Guangzhou Dealer")  # −66.7, the lowest first
    expect(locations.last).to_contain_text("Beijing Flagship")  # +50.0
    assert_tablet_friendly(tablet, "voice-dash-1-dashboard")

    # Only what customers said in the app: 10, 8, 10 → two promoters in three, NPS 66.7.
    page.locator("summary", has_text="Filters").click()
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("Channel").select_option("app")
    filters.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"channel=app"))
    expect(kpi(tablet, "NPS")).to_have_text("66.7")
    expect(kpi(tablet, "Volume")).to_have_text("3")
    expect(page.locator(".points-list.pain blockquote", has_text="the queue was long")).to_have_count(0)
    expect(page.locator("#locations tbody tr")).to_have_count(3)  # Luoyang had no app answer
    expect(page.locator("#locations")).not_to_contain_text("Luoyang Dealer")
    assert_tablet_friendly(tablet, "voice-dash-2-filtered")

    page.locator("#locations").get_by_role("link", name="Beijing Flagship").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beijing Flagship")
    expect(page.get_by_role("heading", name="What the auditor saw, what customers felt")).to_be_visible()
    delta = page.locator("table.delta")
    expect(delta.get_by_role("columnheader", name="Auditor")).to_be_visible()
    expect(delta.get_by_role("columnheader", name="Customers")).to_be_visible()
    service = delta.locator("tbody tr", has_text="Service")
    auditor_experience, customer_experience = service.locator("td").nth(2), service.locator("td").nth(6)
    expect(auditor_experience).to_have_text(re.compile(r"^\d+(\.\d+)?$"))  # the audit passed
    expect(customer_experience).to_have_text(re.compile(r"^-?\d+(\.\d+)?$"))  # "friendly", "rude" spoken
    expect(service.locator("td").last).not_to_have_text("0")
    # HQ reads the store's comments, the words that tagged them marked.
    comments = page.locator("ul.comments")
    expect(comments.locator("blockquote", has_text="rude staff, long queue").locator("mark")).to_have_count(2)
    assert_tablet_friendly(tablet, "voice-dash-3-location")


@pytest.mark.usefixtures("world")
def test_a_franchisee_closes_its_own_customers_recovery(tablet: Tablet, chain: Any, role_users: dict) -> None:
    # A second action at F1's Luoyang store; F2's Shenyang, direct Beijing and Zenith have one each.
    recovery_ingest(
        chain.f1_tier3, record(chain.f1_tier3, "ly-1", nps=1, comment="The queue took ages and nobody came.")
    )
    mine = RecoveryAction.objects.get(location=chain.f1_south)
    page = tablet.page
    tablet.sign_in(role_users["franchisee"])
    tablet.open("/voice/recovery/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer recovery")
    actions = page.locator("#recovery-actions tbody")
    expect(page.get_by_role("status")).to_have_text("2 actions")
    expect(actions.locator("tr")).to_have_count(2)
    expect(actions).to_contain_text("GZ-101")
    expect(actions).to_contain_text("LY-102")
    for foreign in ("SY-201", "BJ-001", "SH-001"):
        expect(page.locator("main")).not_to_contain_text(foreign)
    rate = page.locator(".card", has=page.get_by_role("heading", name="Recovered", exact=True))
    expect(rate.locator(".big-number")).to_have_text("–")  # nothing closed yet
    expect(rate).to_contain_text("0 of 0 closed")
    assert_tablet_friendly(tablet, "voice-dash-4-recovery-list")

    actions.locator("tr", has_text="GZ-101").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("GZ-101")
    expect(page.locator("#recovery-status")).to_have_text("Open")
    comment = page.locator("#recovery-comment")
    expect(comment).to_have_text("The staff were rude.")
    expect(comment.locator("mark.pain")).to_have_text("rude")
    assert_tablet_friendly(tablet, "voice-dash-5-recovery-detail")

    page.get_by_label("Recovered: the customer is satisfied").check()
    page.get_by_label("What was done (shown to HQ and the store)").fill("Called back, replaced the cable.")
    page.get_by_role("button", name="Close the action").click()
    expect(page.locator("#recovery-status")).to_have_text("Recovered")
    expect(page.get_by_text("Recorded: the customer was won back.")).to_be_visible()
    expect(page.locator("dd.note")).to_have_text("Called back, replaced the cable.")
    expect(page.get_by_role("button", name="Close the action")).to_have_count(0)  # closed once
    mine.refresh_from_db()
    assert (mine.status, mine.note, mine.closed_by_id) == (
        RecoveryStatus.RECOVERED,
        "Called back, replaced the cable.",
        role_users["franchisee"].pk,
    )

    page.locator(".breadcrumbs").get_by_role("link", name="Customer recovery").click()
    expect(rate.locator(".big-number")).to_have_text("100.0 %")
    expect(rate).to_contain_text("1 of 1 closed")
    expect(actions.locator("tr").first).to_contain_text("LY-102")  # the open one first
    expect(actions.locator("tr", has_text="GZ-101").locator(".tag").first).to_have_text("Recovered")
    by_location = page.locator("#rate-by-location tbody tr", has_text="GZ-101")
    expect(by_location.locator("td").nth(1)).to_have_text("100.0 %")
    assert_tablet_friendly(tablet, "voice-dash-6-recovered")
    assert RecoveryAction.objects.exclude(pk=mine.pk).filter(status=RecoveryStatus.OPEN).count() == 4


@pytest.mark.usefixtures("voiced")
def test_an_auditor_reads_figures_only(tablet: Tablet, chain: Any, role_users: dict) -> None:
    # A customer of Beijing who left a member number, a phone and an e-mail (masked when stored).
    feedback_ingest(
        brand=chain.brand,
        records=[
            FeedbackIn(
                location_id=chain.direct_north.pk,
                channel="hotline",
                external_id="pii-1",
                received_at=timezone.now() - timedelta(hours=5),
                nps=9,
                comment=f"friendly clerk, call me on {PHONE} or write to {MAIL}",
                customer_ref=CUSTOMER,
            )
        ],
        source=FeedbackSource.API,
    )
    hashed = Feedback.objects.get(external_id="pii-1").customer_hash
    assert hashed
    page = tablet.page
    tablet.sign_in(role_users["auditor"])  # North, with North-East
    expect(main_nav(tablet).get_by_role("link", name="Customers")).to_have_count(0)

    refused = page.goto(tablet.base_url + "/voice/")
    assert refused is not None
    assert refused.status == 404
    expect(page.get_by_role("heading", name="Customers' voice")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("rude")

    tablet.open(f"/voice/locations/{chain.direct_north.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beijing Flagship")
    expect(page.get_by_text("Figures only: comments are for HQ and the store's franchisee.")).to_be_visible()
    # Beijing: 10, 9, 3 and the 9 above → three promoters, one detractor in four: NPS 50.0.
    expect(kpi(tablet, "NPS")).to_have_text("50.0")
    expect(kpi(tablet, "Volume")).to_have_text("4")
    assert page.locator("figure.chart-figure svg.chart").count() == 2
    # Which touchpoints customers blame and praise, without a single example.
    expect(page.locator(".points-list.pain")).to_contain_text("advice")
    expect(page.locator(".points-list blockquote")).to_have_count(0)
    expect(page.locator("mark")).to_have_count(0)
    for heading in ("Recent comments", "What the auditor saw, what customers felt", "Revenue at risk"):
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    html = page.content()
    for private in ("friendly staff", "rude staff", "clean shop", "friendly clerk", "call me"):
        assert private not in html, private
    for personal in (PHONE, MAIL, "example.com", CUSTOMER, hashed):
        assert personal not in html, personal
    assert_tablet_friendly(tablet, "voice-dash-7-auditor-summary")

    elsewhere = page.goto(f"{tablet.base_url}/voice/locations/{chain.f1_south.pk}/")  # South: not its own
    assert elsewhere is not None
    assert elsewhere.status == 404
    expect(page.locator("body")).not_to_contain_text("Guangzhou Dealer")
