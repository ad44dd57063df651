"""The auditor's day on a 10" tablet (issue 4): My audits, check-in, the checklist, offline work,
sync, submit and the score — in the browser, against the live server, checked in the database.

Screenshots of each step: /tmp/e2e-<orientation>-day-<step>.png.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create
from journeys.models import AnswerType
from journeys.services import framework_new_version, framework_publish
from locations.models import Location
from tests.cx_audit.audit_helpers import png_bytes, yes_no_framework
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, TABLET, Tablet
from tests.e2e.test_tablet import assert_tablet_friendly
from tests.factories import ItemFactory, LocationFactory, UserFactory, complete_framework

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

TIANJIN = (39.3434, 117.3616)
NEAR_TIANJIN_STORE = (39.3443, 117.3616)  # about 100 m north of the store: inside the geofence


def photo(name: str = "front.png", colour: str = "red") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes((40, 30), colour)}


@pytest.fixture
def day(chain: Any, role_users: dict) -> dict[str, Any]:
    """Brand A's framework of every answer type plus a photo item, published; three outlets in the
    auditor's region (North), one of them overdue."""
    draft = complete_framework(brand=chain.brand, name="Aurora store standard")
    display = draft.sections.get(code="display")
    ItemFactory(
        section=display,
        code="PHO-01",
        order=9,
        question="Photo of the demo table",
        answer_type=AnswerType.PHOTO,
    )
    draft.items.filter(code="SIG-02").update(
        guidance="The logo over the entrance is lit during opening hours."
    )
    framework = framework_publish(framework=draft)
    tianjin = LocationFactory(
        brand=chain.brand,
        code="TJ-002",
        name="Tianjin Store",
        region=chain.north,
        city="Tianjin",
        latitude=Decimal(str(TIANJIN[0])),
        longitude=Decimal(str(TIANJIN[1])),
    )
    # Shenyang (far) was last audited 200 days ago: overdue, so it comes first anyway.
    long_ago = timezone.now() - timedelta(days=200)
    Audit.objects.create(
        brand=chain.brand,
        location=chain.f2_north_east,
        framework=framework,
        auditor=role_users["hq_admin"],
        kind=AuditKind.SCHEDULED,
        status=AuditStatus.SUBMITTED,
        started_at=long_ago,
        submitted_at=long_ago,
        outlet_type=chain.f2_north_east.outlet_type,
        score=Decimal("80"),
    )
    return {"framework": framework, "tianjin": tianjin, "auditor": role_users["auditor"]}


def open_my_audits(tablet: Tablet, user: Any) -> Page:
    page = tablet.page
    tablet.sign_in(user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My audits").click()
    expect(page.locator(".due-card").first).to_be_visible()
    return page


def wait_offline_ready(page: Page) -> None:
    expect(page.locator("#tablet-app")).to_have_attribute("data-offline-ready", "true")


def due_codes(page: Page) -> list[str]:
    return [code.strip() for code in page.locator(".due-card h3 small").all_inner_texts()]


def item(page: Page, code: str) -> Any:
    return page.locator(f'article[data-item="{code}"]')


def answer_direct_store(page: Page, *, include: set[str] | None = None) -> None:
    """Passing answers for a direct store (SIG-01 does not apply there)."""
    todo = include or {"SIG-02", "DIS-01", "DIS-02", "DIS-03", "PHO-01"}
    if "SIG-02" in todo:
        item(page, "SIG-02").get_by_role("button", name="Yes").click()
    if "DIS-01" in todo:
        field = item(page, "DIS-01").get_by_role("textbox", name=re.compile("^Count"))
        field.fill("12")
        field.press("Tab")
    if "DIS-02" in todo:
        item(page, "DIS-02").get_by_label("Observed price").fill("5599")
        list_price = item(page, "DIS-02").get_by_label("List price")
        list_price.fill("5599")
        list_price.press("Tab")
    if "DIS-03" in todo:
        item(page, "DIS-03").get_by_role("button", name="4 of 5").click()
    if "PHO-01" in todo:
        item(page, "PHO-01").locator('input[type="file"]').set_input_files(photo())
        expect(item(page, "PHO-01").locator(".thumb img")).to_have_count(1)


def synced(page: Page) -> None:
    expect(page.locator("#sync-text")).to_have_text("All changes synced", timeout=15_000)


def test_auditor_checks_in_answers_everything_and_reads_the_score(field_tablet: Any, day: dict) -> None:
    tablet = field_tablet("portrait", position=NEAR_TIANJIN_STORE)
    page = open_my_audits(tablet, day["auditor"])
    # Overdue first (Shenyang, 200 days since its last audit), then nearest: Tianjin, then Beijing.
    expect(page.locator(".due-card h3 small")).to_have_text(["SY-201", "TJ-002", "BJ-001"])
    expect(page.locator('.due-card[data-location="TJ-002"] .distance')).to_have_text("100 m away")
    expect(page.locator('.due-card[data-location="SY-201"]')).to_contain_text("overdue")
    tablet.shot("day-1-my-audits")

    page.get_by_role("button", name="Start audit at Tianjin Store").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tianjin Store")
    expect(page.locator(".checkin")).to_have_text(re.compile(r"Checked in 100 m from the store"))
    expect(page.locator("article.cl-item")).to_have_count(5)  # SIG-01 is for authorized outlets only
    tablet.shot("day-2-checklist")

    answer_direct_store(page)
    expect(page.locator("#progress-text")).to_have_text("5 of 5 answered")
    expect(page.get_by_role("button", name="Missing (0)")).to_be_disabled()
    provisional = page.locator(".provisional-total").inner_text()
    tablet.shot("day-3-answered")

    page.get_by_role("button", name="Submit audit").click()
    score = page.locator(".server-score .big-number")
    expect(score).to_be_visible(timeout=15_000)
    audit = Audit.objects.get(location=day["tianjin"])
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.checkin_distance_m == 100
    assert not audit.outside_geofence
    expect(score).to_have_text(f"{audit.score:.2f}")
    assert provisional == f"Provisional score {audit.score:.2f}"
    expect(page.locator(".score-card .band")).to_have_text(f"Band: {audit.band}")
    expect(page.locator("table.sections tbody tr")).to_have_count(2)
    expect(page.locator("#sync-text")).to_have_text("All changes synced")
    assert Answer.objects.filter(audit=audit).count() == 5
    assert Evidence.objects.filter(answer__audit=audit).count() == 1
    tablet.shot("day-4-score")


def test_offline_answers_and_photo_survive_a_reload_and_sync_once(field_tablet: Any, day: dict) -> None:
    tablet = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    context = tablet.page.context
    page = open_my_audits(tablet, day["auditor"])
    wait_offline_ready(page)
    page.get_by_role("button", name="Start audit at Tianjin Store").click()
    answer_direct_store(page, include={"SIG-02", "DIS-01"})
    synced(page)

    context.set_offline(True)
    expect(page.locator("#net-state")).to_have_text("Offline")
    answer_direct_store(page, include={"DIS-02", "DIS-03", "PHO-01"})
    # DIS-02, DIS-03, the photo item's answer and its photo
    expect(page.locator("#sync-text")).to_have_text("4 changes waiting to sync")
    tablet.shot("day-5-offline-answered")

    dialogs: list[str] = []

    def leave(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave)
    page.reload()
    assert dialogs == ["beforeunload"], "leaving with unsynced changes warns first"
    # Still offline: the page came from the service worker, everything from IndexedDB.
    expect(page.locator("#net-state")).to_have_text("Offline")
    expect(page.locator("#sync-text")).to_have_text("4 changes waiting to sync")
    expect(item(page, "SIG-02").get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    expect(item(page, "DIS-01").get_by_role("textbox")).to_have_value("12")
    expect(item(page, "DIS-02").get_by_label("Observed price")).to_have_value("5599")
    expect(item(page, "DIS-03").get_by_role("button", name="4 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    thumb = item(page, "PHO-01").locator(".thumb")
    expect(thumb).to_have_count(1)
    expect(thumb).to_contain_text("waiting to sync")
    assert thumb.locator("img").evaluate("img => img.complete && img.naturalWidth") == 40
    expect(page.locator("#progress-text")).to_have_text("5 of 5 answered")
    tablet.shot("day-6-offline-reloaded")
    assert Answer.objects.count() == 2

    context.set_offline(False)  # the "online" event starts the sync by itself
    synced(page)
    expect(thumb).to_contain_text("sent")
    audit = Audit.objects.get(location=day["tianjin"])
    assert Audit.objects.filter(location=day["tianjin"]).count() == 1
    assert sorted(Answer.objects.filter(audit=audit).values_list("item__code", flat=True)) == [
        "DIS-01",
        "DIS-02",
        "DIS-03",
        "PHO-01",
        "SIG-02",
    ]
    assert Evidence.objects.filter(answer__audit=audit).count() == 1

    # Submitted offline: queued with the provisional score, then the server's once back.
    context.set_offline(True)
    page.get_by_role("button", name="Submit audit").click()
    expect(page.locator(".queued-note")).to_have_text("Queued — will submit when back online.")
    expect(page.locator("#sync-text")).to_have_text("1 change waiting to sync")
    tablet.shot("day-7-queued")
    context.set_offline(False)
    score = page.locator(".server-score .big-number")
    expect(score).to_be_visible(timeout=15_000)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    expect(score).to_have_text(f"{audit.score:.2f}")
    tablet.shot("day-8-synced-score")


REQUEUE = """async (types) => {
  // The tablet's journal keeps every operation the server accepted: put them back in the outbox,
  // as if the answers to them had been lost on the way and the tablet had to send them again.
  const { Store } = await import('/static/cx_audit/tablet/store.js');
  const config = JSON.parse(document.getElementById('tablet-config').textContent);
  const store = await Store.open(config.userId);
  const journal = await store.all('journal');
  let count = 0;
  const seen = new Set();
  for (const entry of journal) {
    if (types.includes(entry.op.type) && !seen.has(entry.op.id)) {
      seen.add(entry.op.id);
      await store.put('outbox', entry.op);
      count += 1;
    }
  }
  store.db.close();
  return count;
}"""


def replay(page: Page, types: list[str], answered: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Re-queue the accepted operations of these types, press "Sync now", and return what the
    server answered to the replayed requests: (endpoint, status)."""
    before = len(answered)
    count = page.evaluate(REQUEUE, types)
    assert count > 0
    page.get_by_role("button", name="Sync now").click()
    for _ in range(100):
        if len(answered) >= before + count:
            break
        page.wait_for_timeout(100)
    synced(page)
    return answered[before:]


def test_replaying_the_sync_twice_changes_nothing(field_tablet: Any, day: dict) -> None:
    tablet = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    page = open_my_audits(tablet, day["auditor"])
    answered: list[tuple[str, int]] = []  # every write the server answered: (endpoint, status)

    def record(response: Any) -> None:
        if response.request.method == "POST" and "/api/" in response.url:
            answered.append((response.url.rstrip("/").rsplit("/", 1)[-1], response.status))

    page.on("response", record)
    page.get_by_role("button", name="Start audit at Tianjin Store").click()
    answer_direct_store(page)
    synced(page)
    audit = Audit.objects.get(location=day["tianjin"])

    def server_state() -> dict[str, Any]:
        return {
            "audits": Audit.objects.count(),
            "audit": Audit.objects.filter(pk=audit.pk).values_list(
                "status", "submitted_at", "score", "raw_score", "band", "updated_at"
            )[0],
            "answers": sorted(
                Answer.objects.filter(audit=audit).values_list(
                    "item__code", "kind", "yes", "number", "list_price", "text", "revision", "updated_at"
                )
            ),
            "photos": sorted(Evidence.objects.values_list("pk", "answer__item__code", "sha256", "file")),
        }

    first = server_state()
    assert first["audits"] == 2  # this one and the old Shenyang audit
    assert [(code, revision) for code, *_, revision, _ in first["answers"]] == [
        ("DIS-01", 1),
        ("DIS-02", 1),
        ("DIS-03", 1),
        ("PHO-01", 1),
        ("SIG-02", 1),
    ]
    assert len(first["photos"]) == 1

    for _ in range(2):
        replies = replay(page, ["create", "answers", "photo"], answered)
        # The same audit again (200, not 201), the same answers, the same photo (200, not 201).
        assert {endpoint for endpoint, _ in replies} == {"audits", "answers", "evidence"}, replies
        assert all(status == 200 for _, status in replies), replies
        assert server_state() == first
    expect(page.locator("#tablet-alerts")).to_be_empty()
    tablet.shot("day-9-replayed")

    page.get_by_role("button", name="Submit audit").click()
    expect(page.locator(".server-score .big-number")).to_be_visible(timeout=15_000)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    submitted = server_state()
    assert submitted["audit"][:2] == (AuditStatus.SUBMITTED, audit.submitted_at)
    assert {key: submitted[key] for key in ("audits", "answers", "photos")} == {
        key: first[key] for key in ("audits", "answers", "photos")
    }
    for _ in range(2):
        replies = replay(page, ["submit"], answered)
        assert replies == [("submit", 200)]
        assert server_state() == submitted
        # Answers and photos replayed after the submission: the same answer (200), nothing changes.
        replies = replay(page, ["create", "answers", "photo"], answered)
        assert {endpoint for endpoint, _ in replies} == {"audits", "answers", "evidence"}, replies
        assert all(status == 200 for _, status in replies), replies
        assert server_state() == submitted
    expect(page.locator(".server-score .big-number")).to_have_text(f"{audit.score:.2f}")
    expect(page.locator("#tablet-alerts")).to_be_empty()


COUNT_TAPS = """() => {
  window.__taps = 0;
  document.addEventListener('click', (event) => { if (event.isTrusted) window.__taps += 1; }, true);
}"""


def test_sixty_yes_no_items_take_one_tap_each(field_tablet: Any, chain: Any, role_users: dict) -> None:
    yes_no_framework(chain.brand, 60)
    tablet = field_tablet("portrait", position=(39.9200, 116.4074))  # 1.8 km north of the Beijing flagship
    page = open_my_audits(tablet, role_users["auditor"])
    page.evaluate(COUNT_TAPS)
    taps = 0

    def tap(locator: Any) -> None:
        nonlocal taps
        locator.click()
        taps += 1

    tap(page.get_by_role("button", name="Start audit at Beijing Flagship"))  # fixed: 1 tap to start
    expect(page.locator("article.cl-item")).to_have_count(60)
    # Beyond the geofence: said plainly, and the audit goes on.
    expect(page.locator(".checkin")).to_have_text(
        "You checked in 1.8 km from the store, beyond the brand's 300 m geofence. "
        "You can go on; HQ will see this visit flagged."
    )
    for code in [f"Y{n:03d}" for n in range(60)]:
        tap(item(page, code).get_by_role("button", name="Yes"))  # one tap per item, nothing else
    expect(page.locator("#progress-text")).to_have_text("60 of 60 answered")
    tablet.shot("day-10-sixty-answered")
    tap(page.get_by_role("button", name="Submit audit"))  # fixed: 1 tap to submit
    expect(page.locator(".server-score .big-number")).to_have_text("100.00", timeout=15_000)

    assert taps == 1 + 60 + 1
    assert page.evaluate("window.__taps") == taps, "the page received exactly the taps the test made"
    audit = Audit.objects.get()
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.outside_geofence
    assert Answer.objects.filter(audit=audit, yes=True).count() == 60
    tablet.shot("day-11-sixty-score")


A11Y_PROBE = """() => {
  const app = document.getElementById('tablet-app');
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = (el) => (el.getAttribute('aria-label')
    || [...(el.labels || [])].map((l) => l.textContent).join(' ')
    || (el.getAttribute('aria-labelledby') || '').split(' ')
      .map((id) => document.getElementById(id)?.textContent || '').join(' ')
    || (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) ? '' : el.textContent) || '').trim();
  const controls = [...app.querySelectorAll('button, a[href], input, select, textarea, summary')];
  const describe = (el) => `${el.tagName.toLowerCase()} "${name(el).slice(0, 40)}" ${el.id}`;
  // A visually hidden file input is reached through its label, which is the target.
  const targets = controls.map((el) => (el.type === 'file' ? el.labels[0] : el)).filter(shown);
  const small = targets.filter((el) => {
    const r = el.getBoundingClientRect();
    return r.height < 43.5 || r.width < 43.5;
  });
  const tinyText = [];
  const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    const text = walker.currentNode.textContent.trim();
    if (!text || !shown(parent) || parent.closest('.visually-hidden')) continue;
    const size = parseFloat(getComputedStyle(parent).fontSize);
    if (size < 16) tinyText.push(`${parent.tagName.toLowerCase()} ${size}px "${text.slice(0, 30)}"`);
  }
  return {
    unlabelled: controls.filter((el) => !name(el)).map(describe),
    small: small.map(describe),
    tinyText,
    bodyFont: parseFloat(getComputedStyle(document.body).fontSize),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    live: [...app.querySelectorAll('[aria-live], [role=status], [role=alert]')].length,
  };
}"""


def assert_readable_and_tappable(tablet: Tablet, view: str) -> None:
    """Every view, held both ways: the shared tablet checks, plus labels, targets and text size of
    every control and text of the app."""
    page = tablet.page
    for orientation, size in TABLET.items():
        page.set_viewport_size(size)
        tablet.orientation = orientation
        assert_tablet_friendly(tablet, f"day-a11y-{view}")
        probe = page.evaluate(A11Y_PROBE)
        where = f"{view} ({orientation})"
        assert probe["unlabelled"] == [], f"{where}: controls without a name"
        assert probe["small"] == [], f"{where}: touch targets under 44 px"
        assert probe["tinyText"] == [], f"{where}: text under 16 px"
        assert probe["bodyFont"] >= 16, where
        assert probe["overflow"] <= 0, f"{where}: scrolls sideways"
        assert probe["live"] >= 1, f"{where}: no live region for sync status"


def test_every_view_is_labelled_tappable_and_readable(field_tablet: Any, day: dict, chain: Any) -> None:
    shenyang: Location = chain.f2_north_east  # an authorized outlet: every item type applies
    tablet = field_tablet("landscape", position=(41.8057, 123.4315))
    page = open_my_audits(tablet, day["auditor"])
    assert_readable_and_tappable(tablet, "my-audits")

    page.get_by_role("button", name="Start audit at Shenyang Dealer").click()
    expect(page.locator("article.cl-item")).to_have_count(6)
    # A dealer calling itself an "Experience Store": a critical failure, so the score has findings.
    item(page, "SIG-01").get_by_label("Sign text, exactly as shown").fill("Aurora Experience Store")
    item(page, "SIG-02").get_by_role("button", name="Yes").click()
    item(page, "SIG-02").get_by_text("Guidance").click()
    item(page, "SIG-02").get_by_text("Comment and photos").click()
    item(page, "SIG-02").locator('input[type="file"]').set_input_files(photo("logo.png", "blue"))
    page.get_by_role("button", name=re.compile(r"Missing \(\d\)")).click()
    expect(page.locator(".cl-item.show-missing").first).to_be_visible()
    assert_readable_and_tappable(tablet, "checklist")

    field = item(page, "DIS-01").get_by_role("textbox")
    field.fill("6")
    field.press("Tab")
    item(page, "DIS-02").get_by_label("Observed price").fill("5299")
    item(page, "DIS-02").get_by_label("List price").fill("5599")
    item(page, "DIS-03").get_by_role("button", name="N/A").click()
    item(page, "PHO-01").locator('input[type="file"]').set_input_files(photo())
    expect(page.get_by_role("button", name="Missing (0)")).to_be_disabled()
    expect(page.locator(".provisional-total")).to_have_text("Provisional score 50.00 (critical failure)")
    page.get_by_role("button", name="Submit audit").click()
    expect(page.locator(".server-score .big-number")).to_be_visible(timeout=15_000)
    audit = Audit.objects.get(location=shenyang, status=AuditStatus.SUBMITTED, auditor=day["auditor"])
    assert audit.critical_failure
    expect(page.locator(".server-score .big-number")).to_have_text(f"{audit.score:.2f}")
    expect(page.locator(".critical-note")).to_have_text(
        f"Critical failure: capped at {audit.score:.2f}; raw score {audit.raw_score:.2f}."
    )
    finding = page.locator(".finding", has_text="SIG-01").first
    expect(finding).to_contain_text(re.compile("forbidden.*Experience Store", re.IGNORECASE))
    expect(finding.locator(".tag.critical")).to_be_visible()
    assert_readable_and_tappable(tablet, "score")


def test_a_draft_from_another_device_and_a_conflict_named_by_item(field_tablet: Any, day: dict) -> None:
    auditor, tianjin = day["auditor"], day["tianjin"]
    draft, _ = audit_create(location=tianjin, user=auditor, kind=AuditKind.SCHEDULED)
    answers_upsert(
        audit=draft,
        user=auditor,
        answers=[AnswerInput(item="SIG-02", yes=True), AnswerInput(item="DIS-03", number=Decimal("3"))],
    )
    tablet = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    page = open_my_audits(tablet, auditor)
    # Started on another device: the bootstrap brings it, with its answers.
    expect(page.locator(f'.audit-card[data-audit="{draft.uuid}"]')).to_contain_text("In progress")
    page.get_by_role("link", name="Continue: Tianjin Store").click()
    expect(item(page, "SIG-02").get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    expect(item(page, "DIS-03").get_by_role("button", name="3 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )

    # Meanwhile the other device rates the greeting 5; this tablet, offline, rates it 4.
    answers_upsert(
        audit=draft, user=auditor, answers=[AnswerInput(item="DIS-03", number=Decimal("5"), base_revision=1)]
    )
    page.context.set_offline(True)
    item(page, "DIS-03").get_by_role("button", name="4 of 5").click()
    item(page, "SIG-02").get_by_role("button", name="No", exact=True).click()
    page.context.set_offline(False)
    panel = page.get_by_role("alert").filter(has_text="Changed on another device")
    expect(panel).to_contain_text("Changed on another device: 1 item")
    expect(panel).to_contain_text("DIS-03 · Greeting Other device: 5 of 5 · This tablet: 4 of 5")
    expect(page.locator("#sync-text")).to_have_text("2 changes waiting to sync")  # nothing was saved
    assert Answer.objects.get(audit=draft, item__code="SIG-02").yes is True
    tablet.shot("day-12-conflict")

    panel.get_by_role("button", name="Take theirs (DIS-03)").click()
    synced(page)
    expect(page.get_by_text("Changed on another device")).to_have_count(0)
    expect(item(page, "DIS-03").get_by_role("button", name="5 of 5")).to_have_attribute(
        "aria-pressed", "true"
    )
    answers = {a.item.code: a for a in Answer.objects.filter(audit=draft).select_related("item")}
    assert answers["SIG-02"].yes is False  # the rest of the refused request went through
    assert answers["DIS-03"].number == Decimal("5")
    assert answers["DIS-03"].revision == 2


def record_writes(page: Page) -> list[tuple[str, str, int]]:
    """Every write the server answers, as it answers them: (method, path after /api/, status)."""
    writes: list[tuple[str, str, int]] = []

    def record(response: Any) -> None:
        if response.request.method != "GET" and "/api/" in response.url:
            path = response.url.split("/api/", 1)[1]
            writes.append((response.request.method, path, response.status))

    page.on("response", record)
    return writes


def test_an_answer_cleared_and_photos_removed_offline_reach_the_server_in_order(
    field_tablet: Any, day: dict
) -> None:
    tablet = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    context = tablet.page.context
    page = open_my_audits(tablet, day["auditor"])
    wait_offline_ready(page)
    writes = record_writes(page)
    page.get_by_role("button", name="Start audit at Tianjin Store").click()
    answer_direct_store(page, include={"SIG-02", "DIS-01", "PHO-01"})
    logo = item(page, "SIG-02")
    logo.get_by_text("Comment and photos").click()
    logo.locator('input[type="file"]').set_input_files(photo("logo.png", "blue"))
    expect(logo.locator(".thumb")).to_have_count(1)
    synced(page)
    audit = Audit.objects.get(location=day["tianjin"])
    answer = Answer.objects.get(audit=audit, item__code="SIG-02")
    assert (answer.yes, answer.revision) == (True, 1)
    table_photo = Evidence.objects.get(answer__audit=audit, answer__item__code="PHO-01")
    assert Evidence.objects.filter(answer__audit=audit).count() == 2

    # Something to take back, typed or tapped: the control to do so is there.
    expect(item(page, "DIS-01").get_by_role("button", name="Clear answer: DIS-01")).to_be_visible()
    expect(item(page, "DIS-02").get_by_role("button", name="Clear answer: DIS-02")).to_have_count(0)

    context.set_offline(True)
    expect(page.locator("#net-state")).to_have_text("Offline")
    # Answering stays one tap; taking it back is the small control beside it.
    logo.get_by_role("button", name="Clear answer: SIG-02").click()
    expect(logo.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "false")
    expect(logo.locator(".item-state")).to_have_text("Not answered")
    expect(logo.get_by_role("button", name="Clear answer: SIG-02")).to_have_count(0)
    expect(logo.locator(".thumb")).to_have_count(1)  # its photo stays
    table = item(page, "PHO-01")
    table.get_by_role("button", name="Remove photo 1 of PHO-01").click()
    expect(table.locator(".thumb")).to_have_count(0)
    # A photo taken and removed again before it was ever sent: dropped here, never sent.
    table.locator('input[type="file"]').set_input_files(photo("oops.png", "green"))
    expect(table.locator(".thumb")).to_have_count(1)
    expect(page.locator("#sync-text")).to_have_text("3 changes waiting to sync")
    table.get_by_role("button", name="Remove photo 1 of PHO-01").click()
    expect(table.locator(".thumb")).to_have_count(0)
    expect(page.locator("#sync-text")).to_have_text("2 changes waiting to sync")
    expect(page.locator("#progress-text")).to_have_text("1 of 5 answered")
    tablet.shot("day-13-cleared-offline")

    page.on("dialog", lambda dialog: dialog.accept())  # "leave with changes waiting?"
    page.reload()  # still offline: all of it is kept on the tablet
    expect(page.locator("#sync-text")).to_have_text("2 changes waiting to sync")
    expect(item(page, "SIG-02").get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "false")
    expect(item(page, "SIG-02").locator(".thumb")).to_have_count(1)
    expect(item(page, "PHO-01").locator(".thumb")).to_have_count(0)
    assert (Answer.objects.get(pk=answer.pk).yes, Evidence.objects.filter(answer__audit=audit).count()) == (
        True,
        2,
    )

    sent_before = len(writes)
    context.set_offline(False)
    synced(page)
    assert writes[sent_before:] == [
        ("DELETE", f"audits/{audit.uuid}/answers/SIG-02/", 204),
        ("DELETE", f"audits/{audit.uuid}/evidence/{table_photo.pk}/", 204),
    ]
    answer.refresh_from_db()
    assert (answer.kind, answer.yes, answer.number, answer.list_price, answer.text, answer.comment) == (
        "value",
        None,
        None,
        None,
        "",
        "",
    )
    assert answer.revision == 2
    assert list(
        Evidence.objects.filter(answer__audit=audit).values_list("answer__item__code", flat=True)
    ) == ["SIG-02"]
    assert [w for w in writes if w[0] == "POST" and w[1].endswith("/evidence/")] == [
        ("POST", f"audits/{audit.uuid}/evidence/", 201)
    ] * 2, "the photo removed before it was sent never left the tablet"

    # Answered again: the tablet's older revision of the cleared answer is no conflict.
    item(page, "SIG-02").get_by_role("button", name="No", exact=True).click()
    expect(item(page, "SIG-02").locator(".item-state")).to_have_text("Saved", timeout=15_000)
    synced(page)
    assert writes[-1] == ("POST", f"audits/{audit.uuid}/answers/", 200)
    answer.refresh_from_db()
    assert (answer.yes, answer.revision) == (False, 3)
    expect(page.locator("#tablet-alerts")).to_be_empty()


def test_an_audit_started_offline_stays_on_its_framework_version(field_tablet: Any, day: dict) -> None:
    started = day["framework"]
    tablet = field_tablet("portrait", position=NEAR_TIANJIN_STORE)
    context = tablet.page.context
    page = open_my_audits(tablet, day["auditor"])
    wait_offline_ready(page)
    writes = record_writes(page)
    context.set_offline(True)
    page.get_by_role("button", name="Start audit at Tianjin Store").click()
    expect(page.locator(".audit-meta")).to_contain_text(f"v{started.version} ")
    item(page, "SIG-02").get_by_role("button", name="Yes").click()
    expect(page.locator("#sync-text")).to_have_text("2 changes waiting to sync")

    # Meanwhile HQ publishes a new version.
    newer = framework_publish(framework=framework_new_version(framework=started))
    assert newer.version == started.version + 1
    context.set_offline(False)
    synced(page)
    audit = Audit.objects.get(location=day["tianjin"])
    assert writes[0] == ("POST", "audits/", 201)
    assert audit.framework_id == started.pk
    assert Answer.objects.get(audit=audit).item.framework_id == started.pk
    # The tablet now knows the new version, and the audit under way is still drawn from its own.
    expect(page.locator("#net-state")).to_have_text("Online")
    page.evaluate("window.location.hash = '#/'")
    page.get_by_role("link", name="Continue: Tianjin Store").click()
    expect(page.locator(".audit-meta")).to_contain_text(f"v{started.version} ")
    expect(item(page, "SIG-02").get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")


def test_who_may_start_which_kind_of_audit(field_tablet: Any, day: dict, role_users: dict) -> None:
    """A superuser (no role in any brand) starts scheduled or unannounced visits; a franchisee
    only self-assesses its own outlets."""
    superuser = UserFactory(is_superuser=True, is_staff=True)
    tablet = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    page = open_my_audits(tablet, superuser)
    tianjin = page.locator('.due-card[data-location="TJ-002"]')
    expect(tianjin.get_by_label("Visit").locator("option")).to_have_text(["Scheduled", "Unannounced"])
    tianjin.get_by_label("Visit").select_option("unannounced")
    tianjin.get_by_role("button", name="Start audit at Tianjin Store").click()
    expect(page.locator(".audit-meta")).to_contain_text("unannounced visit")
    synced(page)
    assert Audit.objects.get(location=day["tianjin"]).kind == AuditKind.UNANNOUNCED

    franchisee = field_tablet("landscape", position=NEAR_TIANJIN_STORE)
    page = open_my_audits(franchisee, role_users["franchisee"])
    own = page.locator(".due-card").first
    expect(own.get_by_label("Visit")).to_have_count(0)
    expect(own.locator(".start-line")).to_contain_text("Self-assessment")
