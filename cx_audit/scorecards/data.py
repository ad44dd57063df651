"""The franchisee's scorecard: the page, the PDF, the share link and the API all render what
`scorecard_for` returns, so they can never tell different stories.

It is the location's card (`cx_audit.audits.locationcard`, the builder HQ's drill into a location
in insights shares) with what only the franchisee's scorecard adds: amendments, findings with
their photos and disputes, corrective actions, the benchmark and the charts.

A scorecard reads the location's counted audits (scheduled and unannounced; self-assessments are
the franchisee's own and kept apart) within the caller's scope — `Audit.objects.visible_to(user)`
for a signed-in user, the current operator's audits for a share link — and only stored results:
a franchisee sees exactly what was computed at submission, and amended by HQ since, with the
original kept beside every amended figure. A fixed number of queries, whatever the history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.actions.models import CorrectiveAction
from cx_audit.audits.choices import COUNTED_KINDS, FAILED_OUTCOMES
from cx_audit.audits.locationcard import SECTIONS, AuditLine, key_dimensions, location_card
from cx_audit.audits.locationcard import SectionLine as CardSection
from cx_audit.audits.models.amendments import Amendment
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.results import DimensionResult, ItemResult
from cx_audit.audits.noscore import no_score_reason
from cx_audit.audits.pages import answer_text
from cx_audit.core import charts
from cx_audit.core.permissions import may
from cx_audit.disputes.models import Dispute, DisputeStatus
from cx_audit.disputes.services import dispute_deadline, dispute_window_open
from cx_audit.scorecards.benchmark import Benchmark, benchmark_for
from cx_audit.voice.dashboard_filters import location_mode
from cx_audit.voice.sidebyside import CustomerVoice, customer_voice
from locations.models import Brand, Location

HISTORY = 12
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#1f5fa8"


def scorecard_audits(user: Any) -> QuerySet:
    """The audits a signed-in user's scorecards are built from."""
    return Audit.objects.visible_to(user).submitted().filter(kind__in=COUNTED_KINDS)


def shared_audits(location: Location) -> QuerySet:
    """What a share link shows: the audits of the location's current operator, as they would see it."""
    return Audit.objects.submitted().filter(
        kind__in=COUNTED_KINDS, location=location, franchisee_id=location.franchisee_id
    )


@dataclass(frozen=True)
class Photo:
    url: str
    alt: str


@dataclass(frozen=True)
class SectionLine:
    code: str
    name: str
    score: Decimal | None
    original_score: Decimal | None  # before HQ amended a finding in it; None when unchanged
    passed: int
    failed: int
    na: int
    cannot_check: int

    @property
    def amended(self) -> bool:
        return self.original_score is not None


@dataclass
class Finding:
    """A failed (or amended) item of the latest audit, with what the auditor saw and any dispute."""

    result: ItemResult
    question: str
    section: str
    critical: bool
    answer: str
    comment: str
    photos: list[Photo]
    amendment: Amendment | None = None
    dispute: Dispute | None = None
    disputable: bool = False
    form: Any = None  # the page's dispute form for this finding, when it may be disputed
    action: CorrectiveAction | None = None  # the live corrective action of this standard here

    @property
    def points_lost(self) -> Decimal:
        return self.result.possible - self.result.earned

    @property
    def failed_now(self) -> bool:
        return self.result.outcome in FAILED_OUTCOMES


@dataclass
class Scorecard:
    location: Location
    brand: Brand
    generated_at: datetime
    audit: Audit | None = None
    previous: AuditLine | None = None
    change: Decimal | None = None
    original_score: Decimal | None = None  # before any amendment; None when nothing was amended
    original_band: str = ""
    sections: list[SectionLine] = field(default_factory=list)
    dimensions: list[DimensionResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    history: list[AuditLine] = field(default_factory=list)  # oldest first
    benchmark: Benchmark | None = None
    disputes: list[Dispute] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    dispute_deadline: datetime | None = None
    dispute_open: bool = False
    can_dispute: bool = False
    section_chart: str = ""
    delta_chart: str = ""
    history_chart: str = ""
    logo_url: str = ""  # where this rendering reads the brand's logo; "" when the brand has none
    customers: CustomerVoice | None = None  # what customers say, beside the audit (any audit or none)
    shared: bool = False  # opened by a share link: for someone outside the brand (no money figures)
    figures_only: bool = False  # an auditor's card: customers' figures, no money (docs/voice.md)

    @property
    def colour(self) -> str:
        """The brand colour, safe to put in CSS (anything but #rrggbb falls back to the default)."""
        colour = self.brand.colour or ""
        return colour if COLOUR.fullmatch(colour) else DEFAULT_COLOUR

    @property
    def trend(self) -> str | None:
        return trend_of(self.change)

    @property
    def no_score_reason(self) -> str:
        """Why the latest audit has no score ('' when it has one, or there is none): a visit where
        nothing could be checked is shown as such, never as 0."""
        audit = self.audit
        if audit is None:
            return ""
        return no_score_reason(audit.score, audit.na_count, audit.cannot_check_count)

    @property
    def amended(self) -> bool:
        return bool(self.amendments)

    @property
    def key_dimensions(self) -> list[DimensionResult]:
        return key_dimensions(self.dimensions)

    @property
    def critical_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.critical and (f.failed_now or f.result.critical_failed)]

    @property
    def repeat_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.result.repeat]

    @property
    def open_disputes(self) -> int:
        return sum(1 for dispute in self.disputes if dispute.status == DisputeStatus.OPEN)


def trend_of(change: Decimal | None) -> str | None:
    if change is None:
        return None
    return "up" if change > 0 else "down" if change < 0 else "same"


PhotoUrl = Callable[[Evidence], str]
LogoUrl = Callable[[Brand], str]


def scorecard_for(
    location: Location,
    *,
    audits: QuerySet,
    photo_url: PhotoUrl,
    viewer: Any = None,
    now: datetime | None = None,
    logo_url: LogoUrl | None = None,
    shared: bool = False,
) -> Scorecard:
    """Build the scorecard of ``location`` from ``audits`` (already scoped): seventeen queries at most.

    ``photo_url`` says where each photo is seen (the scoped evidence URL on a page, the share
    link's own URL, an embedded file in a PDF), and ``logo_url`` likewise for the brand's logo;
    ``viewer`` may dispute when it is the outlet's franchisee and the audit is still within the
    brand's dispute window. What customers say sits beside the audit (`voice.sidebyside`); a
    ``shared`` card (a share link's) leaves out revenue at risk, which would give the store's
    revenue away to someone outside the brand, and so does the card of a ``viewer`` who reads only
    the summary of the location's voice (an auditor of it).
    """
    now = now or timezone.now()
    figures_only = viewer is not None and location_mode(viewer, location) != "full"
    card = Scorecard(
        location=location, brand=location.brand, generated_at=now, shared=shared, figures_only=figures_only
    )
    if logo_url is not None and card.brand.logo:
        card.logo_url = logo_url(card.brand)
    voice = customer_voice(location, today=timezone.localdate(now))
    card.customers = voice.without_revenue() if shared or figures_only else voice
    base = location_card(
        location, audits=audits, limit=HISTORY, related=("region", "brand"), results=(SECTIONS,)
    )
    if base.latest is None:
        return card
    card.audit = audit = base.latest
    card.history = list(reversed(base.lines))
    card.previous = card.history[-2] if len(card.history) > 1 else None
    card.change = base.change
    card.amendments = list(
        Amendment.objects.filter(audit=audit).select_related("amended_by").order_by("amended_at", "pk")
    )
    if card.amendments:
        card.original_score = card.amendments[0].score_before
        card.original_band = card.amendments[0].band_before
    card.sections = _sections(base.sections, card.amendments)
    card.dimensions = list(DimensionResult.objects.filter(audit=audit).select_related("dimension"))
    card.disputes = list(
        Dispute.objects.filter(audit=audit)
        .select_related("raised_by", "decided_by")
        .order_by("raised_at", "pk")
    )
    card.dispute_deadline = dispute_deadline(audit)
    card.dispute_open = dispute_window_open(audit, now)
    card.can_dispute = card.dispute_open and viewer is not None and may(viewer, "dispute", audit)
    card.findings = _findings(audit, card, photo_url)
    _attach_actions(card, audits)
    if audit.score is not None:
        card.benchmark = benchmark_for(audit, now=now)
    _draw(card)
    return card


def _sections(sections: Sequence[CardSection], amendments: Sequence[Amendment]) -> list[SectionLine]:
    """The card's sections, each with its score before HQ amended a finding in it."""
    before: dict[str, str | None] = {}
    for amendment in reversed(amendments):  # the earliest amendment knows the original
        before.update(amendment.sections_before)
    lines = []
    for row in sections:
        original = before.get(row.section_code)
        original_score = None if original is None else Decimal(original)
        lines.append(
            SectionLine(
                code=row.section_code,
                name=row.section,
                score=row.score,
                original_score=original_score if original_score != row.score else None,
                passed=row.passed,
                failed=row.failed,
                na=row.na,
                cannot_check=row.cannot_check,
            )
        )
    return lines


def _findings(audit: Audit, card: Scorecard, photo_url: PhotoUrl) -> list[Finding]:
    amended = {a.item_code: a for a in card.amendments}
    disputes = {d.item_code: d for d in card.disputes}
    results = list(
        ItemResult.objects.filter(audit=audit)
        .filter(Q(outcome__in=FAILED_OUTCOMES) | Q(item_code__in=list(amended)))
        .select_related("item__section")
    )
    answers = {
        answer.item_id: answer
        for answer in Answer.objects.filter(
            audit=audit, item_id__in=[r.item_id for r in results]
        ).prefetch_related(Prefetch("photos", queryset=Evidence.objects.order_by("created_at", "pk")))
    }
    findings = []
    for result in results:
        answer = answers.get(result.item_id)
        photos = list(answer.photos.all()) if answer else []
        finding = Finding(
            result=result,
            question=result.item.question,
            section=result.item.section.name,
            critical=result.item.critical,
            answer=answer_text(answer),
            comment=answer.comment if answer else "",
            photos=[
                Photo(
                    photo_url(photo),
                    _("Photo %(n)s for %(code)s") % {"n": number, "code": result.item_code},
                )
                for number, photo in enumerate(photos, start=1)
            ],
            amendment=amended.get(result.item_code),
            dispute=disputes.get(result.item_code),
        )
        finding.disputable = card.can_dispute and finding.dispute is None and finding.failed_now
        findings.append(finding)
    # The heaviest first: critical failures, then points lost, then the checklist's own order.
    findings.sort(
        key=lambda f: (
            not f.result.critical_failed,
            -f.points_lost,
            f.result.item.section.order,
            f.result.item.order,
            f.result.item_code,
        )
    )
    return findings


def _attach_actions(card: Scorecard, audits: QuerySet) -> None:
    """Each finding's live corrective action, among those opened by ``audits`` (scoped alike): one query."""
    live = {
        action.item_code: action
        for action in CorrectiveAction.objects.live().filter(
            location=card.location,
            item_code__in=[f.result.item_code for f in card.findings],
            audit__in=audits.values("pk"),
        )
    }
    for finding in card.findings:
        finding.action = live.get(finding.result.item_code)


def _draw(card: Scorecard) -> None:
    """The charts, as SVG text: the page and the PDF embed the very same drawing."""
    card.section_chart = charts.bar_chart(
        [charts.Bar(line.name, line.score) for line in card.sections],
        title=_("Section scores (0–100)"),
        weak_below=card.brand.weak_below,
    )
    card.delta_chart = charts.delta_chart(
        [
            charts.DeltaRow(d.dimension.name, d.experience, d.expectation, d.ideal, key=bool(d.key_rank))
            for d in card.dimensions
        ],
        title=_("Experience against expectation and ideal (0–10)"),
    )
    card.history_chart = charts.bar_chart(
        [
            charts.Bar(timezone.localtime(point.submitted_at).strftime("%Y-%m-%d"), point.score)
            for point in card.history
        ],
        title=_("Score history (0–100), oldest first"),
        weak_below=card.brand.weak_below,
    )


# --- the portal: a franchisee's (or HQ's) locations at a glance -------------------------------------


@dataclass(frozen=True)
class PortalRow:
    location: Location
    audit_id: int | None
    submitted_at: datetime | None
    score: Decimal | None
    band: str
    critical_failure: bool
    previous_score: Decimal | None
    open_disputes: int
    open_actions: int = 0  # corrective actions waiting on the store (open, or sent back)
    no_score_reason: str = ""  # why the latest audit has no score; "" when it has one

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score

    @property
    def trend(self) -> str | None:
        return trend_of(self.change)


def portal_rows(locations: Sequence[Location], *, audits: QuerySet) -> list[PortalRow]:
    """Each location with its latest and previous counted audit (of ``audits``, already scoped) and
    its open disputes and open corrective actions: three queries, whatever the number of locations
    and audits. Actions count when an audit of ``audits`` opened them, so they are scoped alike.
    """
    ids = [location.pk for location in locations]
    latest_two = (
        audits.filter(location_id__in=ids)
        .annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("location_id")],
                order_by=[F("submitted_at").desc(), F("pk").desc()],
            )
        )
        .filter(newest__lte=2)
        .values_list(
            "location_id",
            "newest",
            "pk",
            "submitted_at",
            "score",
            "band",
            "critical_failure",
            "na_count",
            "cannot_check_count",
        )
    )
    latest: dict[int, tuple] = {}
    previous: dict[int, Decimal | None] = {}
    for location_id, newest, *row in latest_two:
        if newest == 1:
            latest[location_id] = tuple(row)
        else:
            previous[location_id] = row[2]
    disputes = dict(
        Dispute.objects.filter(
            status=DisputeStatus.OPEN, audit__location_id__in=ids, audit__in=audits.values("pk")
        )
        .values("audit__location_id")
        .annotate(n=Count("pk"))
        .values_list("audit__location_id", "n")
    )
    actions = dict(
        CorrectiveAction.objects.open()
        .filter(location_id__in=ids, audit__in=audits.values("pk"))
        .values("location_id")
        .annotate(n=Count("pk"))
        .values_list("location_id", "n")
    )
    rows = []
    for location in locations:
        pk, submitted_at, score, band, critical, na, blind = latest.get(
            location.pk, (None, None, None, "", False, 0, 0)
        )
        rows.append(
            PortalRow(
                location=location,
                audit_id=pk,
                submitted_at=submitted_at,
                score=score,
                band=band,
                critical_failure=critical,
                previous_score=previous.get(location.pk),
                open_disputes=disputes.get(location.pk, 0),
                open_actions=actions.get(location.pk, 0),
                no_score_reason="" if pk is None else no_score_reason(score, na, blind),
            )
        )
    return rows
