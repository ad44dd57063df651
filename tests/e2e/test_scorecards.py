"""Scorecards on a 10" tablet: a franchisee reads its scorecard (with the brand's logo) and disputes
a finding; HQ is told in the navigation, decides, and the amended score and the decision show on the
franchisee's side; a bulk export's progress fills in by itself, and a dead one starts again."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from cx_audit.celery import app as celery_app
from cx_audit.reports.models import JobStatus, ScorecardJob
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import (
    CHINESE_ITEM,
    audit_at,
    failing_answers,
    passing_answers,
    scorecard_framework,
)
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def test_franchisee_disputes_and_hq_amends(
    tablet: Tablet, chain: Any, role_users: dict, browser: Any
) -> None:
    scorecard_framework(chain.brand)
    chain.brand.logo.save("aurora.png", ContentFile(png_bytes((160, 48), "navy")), save=True)
    admin = role_users["hq_admin"]
    audit_at(chain.f1_south, admin, passing_answers(chain.f1_south), days_ago=30)
    audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)

    page = tablet.page
    tablet.sign_in(role_users["franchisee"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecards")
    row = page.get_by_role("row", name=re.compile("GZ-101"))
    expect(row).to_contain_text("50.00")
    expect(row).to_contain_text("▼ -50.00")
    assert_tablet_friendly(tablet, "scorecards-portal")

    row.locator("td").nth(3).tap(force=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guangzhou Dealer")
    expect(page.locator(".big-number")).to_have_text("50.00")
    expect(page.locator("figure svg.chart")).to_have_count(3)
    expect(page.get_by_text(CHINESE_ITEM)).to_be_visible()
    logo = page.get_by_role("img", name="Aurora logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 160  # really loaded
    assert_tablet_friendly(tablet, "scorecard")

    finding = page.locator("#finding-SIG-01")
    finding.get_by_text("Dispute this finding").click()
    finding.get_by_label("Why is this finding wrong?").fill(
        "The sign was replaced on Monday; photo attached."
    )
    finding.get_by_role("button", name="Send the dispute to HQ").click()
    expect(page.get_by_role("status")).to_contain_text("Your dispute of SIG-01 was sent to HQ.")
    expect(page.locator("#finding-SIG-01")).to_contain_text("Open")
    assert_tablet_friendly(tablet, "scorecard-disputed")

    # SIG-03 opened a corrective action: the franchisee answers it with a note.
    page.locator("#finding-SIG-03").get_by_role("link", name="open the action").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SIG-03")
    page.get_by_label("What was done to fix it?").fill("Light box repaired on Tuesday.")
    page.get_by_role("button", name="Send the answer to HQ").click()
    expect(page.get_by_role("status")).to_contain_text("Your answer was sent to HQ.")
    expect(page.locator(".history")).to_contain_text("Light box repaired on Tuesday.")
    assert_tablet_friendly(tablet, "action-answered")
    tablet.open("/actions/")
    expect(page.get_by_role("row", name=re.compile("SIG-03"))).to_contain_text("Answered")
    assert_tablet_friendly(tablet, "actions-list")
    tablet.open(f"/scorecards/{chain.f1_south.pk}/")

    hq = browser.new_context(viewport=page.viewport_size, has_touch=True, locale="en-US").new_page()
    hq_tablet = Tablet(page=hq, base_url=tablet.base_url, orientation=f"{tablet.orientation}-hq")
    hq_tablet.sign_in(admin)
    assert_tablet_friendly(hq_tablet, "hq-home-badge")
    hq.get_by_role("navigation", name="Main").get_by_role("link", name="1 open dispute to decide").click()
    expect(hq.get_by_role("heading", level=1)).to_have_text("Disputes")
    hq.get_by_role("link", name=re.compile("SIG-01")).click()
    assert_tablet_friendly(hq_tablet, "dispute-decide")
    hq.get_by_label("Accept: rescore the item").check()
    hq.get_by_label("Reason (shown to the franchisee; required to reject)").fill("New sign confirmed.")
    hq.get_by_role("button", name="Record the decision").click()
    expect(hq.get_by_role("status")).to_contain_text("Accepted")
    expect(hq.locator('a.nav-badge[href^="/scorecards/disputes/"]')).to_have_count(0)  # none waits
    hq.context.close()

    page.reload()
    expect(page.locator(".big-number")).to_have_text("83.33")
    expect(page.get_by_text("Originally 50.00 (Poor)")).to_be_visible()
    expect(page.locator("#finding-SIG-01 .original")).to_contain_text("Fail")
    assert_tablet_friendly(tablet, "scorecard-amended")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scorecards").click()
    decisions = page.get_by_role("region", name=re.compile("decisions on your disputes"))
    expect(decisions.get_by_role("row", name=re.compile("SIG-01"))).to_contain_text("Accepted")
    expect(decisions).to_contain_text("New sign confirmed.")
    assert_tablet_friendly(tablet, "scorecards-decisions")


def test_bulk_export_progress(tablet: Tablet, chain: Any, role_users: dict) -> None:
    scorecard_framework(chain.brand)
    audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # the live server's thread runs the job as it is sent
    try:
        page = tablet.page
        tablet.sign_in(role_users["franchisee"])
        tablet.open("/scorecards/bulk/")
        assert_tablet_friendly(tablet, "bulk")
        page.get_by_label("All locations of the franchisee").select_option(label="First Partner")
        page.get_by_role("button", name="Make the ZIP").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard PDFs of First Partner")
        expect(page.get_by_role("status")).to_contain_text("Done · 2 / 2")
        expect(page.get_by_role("link", name="Download the ZIP")).to_be_visible()
        assert_tablet_friendly(tablet, "bulk-done")

        # A job whose worker died an hour ago: shown as failed, with why, and started again.
        dead = ScorecardJob.objects.create(
            brand=chain.brand,
            franchisee=chain.f1,
            requested_by=role_users["franchisee"],
            status=JobStatus.RUNNING,
            total=2,
            done=1,
            last_progress_at=timezone.now() - timedelta(hours=1),
        )
        tablet.open(f"/scorecards/bulk/{dead.pk}/")
        expect(page.get_by_role("status")).to_contain_text("Failed · 1 / 2")
        expect(page.get_by_text("No progress for 30 minutes")).to_be_visible()
        assert_tablet_friendly(tablet, "bulk-dead")
        page.get_by_role("button", name="Start again").click()
        expect(page).not_to_have_url(re.compile(f"/bulk/{dead.pk}/$"))
        expect(page.get_by_role("status")).to_contain_text("Done · 2 / 2")
        expect(page.get_by_text("The ZIP is kept until")).to_be_visible()
    finally:
        celery_app.conf.task_always_eager = eager
