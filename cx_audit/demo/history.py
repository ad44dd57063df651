"""A year of audits for the demo chain (issue 3), written through the audit services.

Every open location gets `HISTORY_VISITS` audits over the last twelve months, roughly one a
quarter, answered item by item, photographed where the framework asks for a photo and submitted
with its historical date, oldest first. Scores, critical failures and repeat findings therefore
come out of the real scoring engine exactly as they would for a field auditor; nothing here
writes a score.

The answers are drawn from a `random.Random` seeded by the location code, so the chain always
gets the same history, dated relative to the day it is seeded. Each audit's client id is derived
from its location and visit, so a second run finds every audit it would create and writes nothing.
"""

from __future__ import annotations

import io
import random
import uuid
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from PIL import Image

from cx_audit.audits import adapters as rules
from cx_audit.audits import scoring
from cx_audit.audits.choices import AnswerKind, AuditKind, AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.audits.permissions import start_action
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit, evidence_add
from cx_audit.core.choices import Role
from cx_audit.core.permissions import may
from cx_audit.demo import data
from journeys.models import Framework
from locations.models import Brand, Location, LocationStatus, OutletType

NAMESPACE = uuid.UUID(data.HISTORY_NAMESPACE)
SELF_ASSESSMENT = "self"
DAYS_BETWEEN_VISITS = 90
LATEST_VISIT_DAYS_AGO = 20  # the latest audit of a location is 8–32 days old
JITTER_DAYS = 12
WORSE_BY = Decimal(10)  # a location whose latest score is this far below its first got worse

# Pass chances: direct stores keep the standard well, dealers less so and least of all in signage
# and display, where a partner's own interests (its name, its stock) pull against the brand's.
# Each outlet has its own strong and weak standards (ITEM_SPREAD), so the same items fail at the
# same store visit after visit, as in real chains; that is where repeat findings come from.
BASE_QUALITY = {OutletType.DIRECT: (0.93, 0.98), OutletType.AUTHORIZED: (0.82, 0.93)}
SECTION_BIAS = {OutletType.AUTHORIZED: {"signage": -0.2, "display": -0.15}}
TIER_PENALTY = 0.02  # per city tier below 1, for dealers: the further from HQ, the looser
ITEM_SPREAD = 0.12
VISIT_LUCK = 0.02
CRITICAL_FAILURE_SHARE = 0.03  # a critical standard fails this share as often as an ordinary one
CANNOT_CHECK_CHANCE = 0.012
UNANNOUNCED_SHARE = 0.3
SELF_ASSESSMENT_LENIENCY = 0.06

STORIES = {story.code: story for story in data.STORIES}


@dataclass(frozen=True)
class Profile:
    """How one outlet keeps the standard: its chance of passing each item, and its story."""

    chances: Mapping[str, float]  # item code -> chance of meeting it at the first visit
    trend: float = 0.0
    faults: frozenset[str] = frozenset()
    since: int = 0
    signs: Mapping[str, str] = field(default_factory=dict)
    lacks: frozenset[str] = frozenset()  # N/A items: what the outlet has not got (a window, ...)
    story: bool = False


@dataclass(frozen=True)
class Slot:
    """When and how a visit happens, before anything is answered."""

    key: str
    kind: str
    index: int  # the quarter (0 = a year ago) whose standard the outlet keeps at this visit
    shift: float  # the outlet's trend so far, plus the day's luck
    days_ago: int


@dataclass(frozen=True)
class Visit:
    """One planned audit with everything the auditor will record."""

    key: str
    kind: str
    submitted_at: datetime
    started_at: datetime
    checkin: tuple[Decimal, Decimal] | None
    answers: tuple[AnswerInput, ...]
    photos: tuple[str, ...]

    def client_id(self, location: Location) -> uuid.UUID:
        return history_uuid(location, self.key)


@dataclass(frozen=True)
class HistorySummary:
    """What the demo history holds now (not only what this run wrote)."""

    created: int
    audits: int
    since: datetime | None
    locations: int
    critical: int
    repeats: int
    worse: tuple[str, ...]
    section_scores: Mapping[tuple[str, str], Decimal | None] = field(default_factory=dict)


def history_uuid(location: Location, key: str) -> uuid.UUID:
    """The client id of a demo audit: stable, so a re-run recognises the audits it made."""
    return uuid.uuid5(NAMESPACE, f"{location.brand_id}/{location.code}/{key}")


# --- the seeding step -------------------------------------------------------------------------


def seed_history(*, brand: Brand, users: Mapping[str, Any], now: datetime | None = None) -> HistorySummary:
    """Give every open location its year of audits; the ones already there are left alone."""
    now = now or timezone.now()
    framework = Framework.objects.current().filter(brand=brand).first()
    item_rules = rules.framework_rules(framework).items
    locations = list(
        Location.objects.filter(brand=brand, status=LocationStatus.OPEN)
        .select_related("brand", "franchisee")
        .order_by("code")
    )
    assessors = _self_assessors(brand, users)
    plans = {
        loc.pk: plan_visits(loc, item_rules, now, self_assessment=loc.franchisee_id in assessors)
        for loc in locations
    }
    wanted = [visit.client_id(loc) for loc in locations for visit in plans[loc.pk]]
    done = set(Audit.objects.filter(uuid__in=wanted).values_list("uuid", flat=True))
    auditor_of = _auditors(users, locations)
    created = 0
    for location in locations:
        for visit in plans[location.pk]:
            if visit.client_id(location) in done:
                continue
            if visit.kind == AuditKind.SELF_ASSESSMENT:
                record_visit(location, visit, assessors[location.franchisee_id])
            else:
                record_visit(location, visit, auditor_of[location.pk])
            created += 1
    return history_summary(brand, created=created)


def _auditors(users: Mapping[str, Any], locations: Sequence[Location]) -> dict[int, Any]:
    """The demo auditor audits the stores assigned to them; HQ's admin audits the rest."""
    hq_admin = _users_with_role(users, Role.HQ_ADMIN)[0]
    field_auditors = _users_with_role(users, Role.AUDITOR)
    seen = {
        user.pk: set(Location.objects.visible_to(user).values_list("pk", flat=True))
        for user in field_auditors
    }
    auditor_of = {}
    for location in locations:
        candidates = [user for user in field_auditors if location.pk in seen[user.pk]] + [hq_admin]
        auditor_of[location.pk] = next(
            user for user in candidates if may(user, start_action(AuditKind.SCHEDULED), location)
        )
    return auditor_of


def _self_assessors(brand: Brand, users: Mapping[str, Any]) -> dict[int, Any]:
    """Franchisee id → the demo login of that franchisee, who may assess its own outlets."""
    codes = {spec.username: spec.franchisee for spec in data.USERS if spec.role == Role.FRANCHISEE}
    ids = dict(brand.franchisees.filter(code__in=codes.values()).values_list("code", "pk"))
    return {ids[code]: users[username] for username, code in codes.items() if code in ids}


def _users_with_role(users: Mapping[str, Any], role: str) -> list[Any]:
    return [users[spec.username] for spec in data.USERS if spec.role == role]


def record_visit(location: Location, visit: Visit, user: Any) -> Audit:
    """One audit through the services, as a tablet would send it, then submitted back-dated."""
    latitude, longitude = visit.checkin or (None, None)
    audit, _created = audit_create(
        location=location,
        user=user,
        kind=visit.kind,
        client_id=visit.client_id(location),
        checkin_latitude=latitude,
        checkin_longitude=longitude,
    )
    # Seed-only: the services stamp "now"; a historical visit started shortly before it was submitted.
    Audit.objects.filter(pk=audit.pk).update(started_at=visit.started_at)
    answers_upsert(audit=audit, user=user, answers=visit.answers)
    for code in visit.photos:
        evidence_add(audit=audit, user=user, item_code=code, upload=io.BytesIO(photo_png(code)))
    return audit_submit(audit=audit, user=user, submitted_at=visit.submitted_at)


@lru_cache(maxsize=64)
def photo_png(code: str) -> bytes:
    """A tiny PNG, one colour per item: a real image the evidence check accepts, at no cost."""
    colour = zlib.crc32(code.encode()).to_bytes(4, "big")[:3]
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), tuple(colour)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- planning a location's year ---------------------------------------------------------------


def plan_visits(
    location: Location, items: Sequence[scoring.ItemRule], now: datetime, *, self_assessment: bool = False
) -> list[Visit]:
    """The location's audits, oldest first; the same location, items and day give the same plan."""
    rng = random.Random(f"aurora-demo-history/{location.code}")
    profile = outlet_profile(location, items, rng)
    slots = visit_slots(profile, rng, self_assessment=self_assessment)
    visits = [_visit(slot, location, items, profile, now, rng) for slot in slots]
    return sorted(visits, key=lambda visit: visit.submitted_at)


def visit_slots(profile: Profile, rng: random.Random, *, self_assessment: bool) -> list[Slot]:
    """Roughly one audit a quarter, the latest a few weeks ago, and the dealer's own check if it makes one."""
    slots = []
    for index in range(data.HISTORY_VISITS):
        quarters_ago = data.HISTORY_VISITS - 1 - index
        days_ago = LATEST_VISIT_DAYS_AGO + DAYS_BETWEEN_VISITS * quarters_ago
        kind = AuditKind.UNANNOUNCED if rng.random() < UNANNOUNCED_SHARE else AuditKind.SCHEDULED
        shift = profile.trend * index + rng.gauss(0, VISIT_LUCK)
        slots.append(
            Slot(str(index + 1), kind, index, shift, days_ago + rng.randint(-JITTER_DAYS, JITTER_DAYS))
        )
    if self_assessment:
        # A month or so before the latest audit the dealer checks itself, a little kindly.
        latest = slots[-1]
        shift = profile.trend * (latest.index - 0.5) + SELF_ASSESSMENT_LENIENCY
        days_ago = latest.days_ago + rng.randint(25, 45)
        slots.append(Slot(SELF_ASSESSMENT, AuditKind.SELF_ASSESSMENT, latest.index, shift, days_ago))
    return slots


def outlet_profile(location: Location, items: Sequence[scoring.ItemRule], rng: random.Random) -> Profile:
    """The outlet's standard of keeping, item by item, with its story from the demo data if any."""
    outlet_type = location.outlet_type
    quality = rng.uniform(*BASE_QUALITY[outlet_type])
    if outlet_type == OutletType.AUTHORIZED:
        quality -= TIER_PENALTY * ((location.city_tier or 1) - 1)
    bias = SECTION_BIAS.get(outlet_type, {})
    chances = {
        rule.code: quality + bias.get(rule.section, 0.0) + rng.gauss(0, ITEM_SPREAD)
        for rule in items
        if outlet_type in rule.applies_to
    }
    lacks = frozenset(code for code, share in sorted(data.NA_OUTLET_SHARE.items()) if rng.random() < share)
    story = STORIES.get(location.code)
    if story is None:
        return Profile(chances, lacks=lacks)
    return Profile(
        chances,
        trend=story.trend,
        faults=frozenset(story.faults),
        since=story.since,
        signs=dict(story.signs),
        lacks=lacks,
        story=True,
    )


def _visit(
    slot: Slot,
    location: Location,
    items: Sequence[scoring.ItemRule],
    profile: Profile,
    now: datetime,
    rng: random.Random,
) -> Visit:
    """The visit in `slot`: every applicable item answered, and which of them need a photo."""
    submitted_at = _visit_time(now, slot.days_ago, rng)
    answers, photos = [], []
    for rule in items:
        if location.outlet_type not in rule.applies_to:
            continue
        answer = item_answer(rule, location, profile, slot, rng)
        answers.append(answer)
        if answer.kind == AnswerKind.VALUE and (rule.photo_required or rule.answer_type == "photo"):
            photos.append(rule.code)
    return Visit(
        key=slot.key,
        kind=slot.kind,
        submitted_at=submitted_at,
        started_at=submitted_at - timedelta(minutes=rng.randint(35, 95)),
        checkin=_checkin(location, rng),
        answers=tuple(answers),
        photos=tuple(photos),
    )


def _visit_time(now: datetime, days_ago: int, rng: random.Random) -> datetime:
    """A moment during opening hours, `days_ago` days before today (local time)."""
    day = timezone.localdate(now) - timedelta(days=days_ago)
    moment = time(hour=rng.randint(10, 18), minute=rng.randrange(0, 60, 5))
    return timezone.make_aware(datetime.combine(day, moment))


def _checkin(location: Location, rng: random.Random) -> tuple[Decimal, Decimal] | None:
    """The tablet's position at check-in: at the door, within some 30 m of the store's pin."""
    if not location.has_coordinates:
        return None
    step = Decimal("0.000001")
    return (
        (location.latitude + Decimal(rng.uniform(-0.00025, 0.00025))).quantize(step),
        (location.longitude + Decimal(rng.uniform(-0.00025, 0.00025))).quantize(step),
    )


# --- answering one item -----------------------------------------------------------------------


def item_answer(
    rule: scoring.ItemRule, location: Location, profile: Profile, slot: Slot, rng: random.Random
) -> AnswerInput:
    """What the auditor records for one item at one visit."""
    if rule.code in profile.faults and slot.index >= profile.since:
        comment = "Not fixed since the last visit." if slot.index > profile.since else ""
        return _value(rule, location, profile, False, rng, comment=comment)
    if rule.na_allowed and _is_na(rule.code, profile, rng):
        return AnswerInput(item=rule.code, kind=AnswerKind.NA)
    if rule.cannot_check_allowed and not rule.critical and rng.random() < CANNOT_CHECK_CHANCE:
        return AnswerInput(
            item=rule.code, kind=AnswerKind.CANNOT_CHECK, comment="Staff would not let me check."
        )
    chance = min(max(profile.chances[rule.code] + slot.shift, 0.05), 0.995)
    if rule.critical:
        # Critical failures are rare, and an outlet with a story fails one only where the story says.
        chance = 1.0 if profile.story else 1 - (1 - chance) * CRITICAL_FAILURE_SHARE
    return _value(rule, location, profile, rng.random() < chance, rng)


def _is_na(code: str, profile: Profile, rng: random.Random) -> bool:
    return code in profile.lacks or rng.random() < data.NA_VISIT_SHARE.get(code, 0.0)


def _value(
    rule: scoring.ItemRule,
    location: Location,
    profile: Profile,
    ok: bool,
    rng: random.Random,
    comment: str = "",
) -> AnswerInput:
    """A value answer that meets the standard (`ok`) or misses it, in the item's answer type."""
    kind = rule.answer_type
    if kind == "yes_no":
        return AnswerInput(item=rule.code, yes=ok, comment=comment)
    if kind == "rating":
        rating = (5 if rng.random() < 0.85 else 4) if ok else rng.choice((3, 3, 2, 1))
        return AnswerInput(item=rule.code, number=Decimal(rating), comment=comment)
    if kind == "number":
        return AnswerInput(
            item=rule.code, number=_count(rule, location.outlet_type, ok, rng), comment=comment
        )
    if kind == "price":
        observed, listed = _price(rule, location.outlet_type, ok, rng)
        return AnswerInput(item=rule.code, number=observed, list_price=listed, comment=comment)
    if kind == "signage_text":
        text = _sign(rule, location, profile, ok, rng)
        return AnswerInput(item=rule.code, text=text, comment=comment)
    if kind == "text":
        good, poor = data.FREE_TEXTS.get(rule.code, (("As expected.",), ("Not as expected.",)))
        return AnswerInput(item=rule.code, text=rng.choice(good if ok else poor), comment=comment)
    return AnswerInput(item=rule.code, comment=comment)  # a photo: the picture is the answer


def _count(rule: scoring.ItemRule, outlet_type: str, ok: bool, rng: random.Random) -> Decimal:
    """A count at or above the outlet type's target, or short of it."""
    target = int(rule.targets.get(outlet_type, 0))
    ceiling = data.NUMBER_MAX.get(rule.code, target + target // 4)
    if ok or target == 0:
        return Decimal(rng.randint(target, max(target, ceiling)))
    short = round(target * rng.uniform(0.6, 0.95))
    return Decimal(min(short, target - 1))


def _price(rule: scoring.ItemRule, outlet_type: str, ok: bool, rng: random.Random) -> tuple[Decimal, Decimal]:
    """(observed, list): inside the outlet type's band, or above list / below the band."""
    listed = Decimal(data.LIST_PRICES.get(rule.code, 999))
    low, high = rule.price_bands.get(outlet_type, (Decimal(100), Decimal(100)))
    if ok:
        percent = max(low, min(high, Decimal(rng.choice((100, 100, 100, 98, 95, 93)))))
        observed = _shop_price(listed * percent / 100, floor=listed * low / 100)
    elif outlet_type == OutletType.AUTHORIZED and rng.random() < 0.6:
        observed = _shop_price(listed * Decimal(rng.choice((104, 105, 108))) / 100, up=True)  # a mark-up
    else:
        observed = _shop_price(listed * (low - rng.choice((3, 5, 8))) / 100)  # dumping below the band
    return observed, listed


def _shop_price(amount: Decimal, *, up: bool = False, floor: Decimal = Decimal(0)) -> Decimal:
    """The price as a shop writes it, ending in 9: the nearest such price below `amount` (above it
    when `up`), and never below `floor`."""
    if up:
        return (amount / 10).to_integral_value(rounding=ROUND_CEILING) * 10 - 1
    price = (amount / 10).to_integral_value(rounding=ROUND_FLOOR) * 10 + 9
    if price > amount:
        price -= 10
    return max(price, floor.to_integral_value(rounding=ROUND_CEILING))


def _sign(rule: scoring.ItemRule, location: Location, profile: Profile, ok: bool, rng: random.Random) -> str:
    """Sign wording with every required term and no forbidden one, or a rogue variant."""
    if not ok and rule.code in profile.signs:
        return profile.signs[rule.code]
    shop = location.name.split(" · ")[0]
    required = [term for term in rule.required_terms if not scoring.signage_matches(shop, [term])]
    if ok:
        return " ".join([shop, *required])
    if rule.forbidden_terms:
        return f"{shop} Aurora {rng.choice(rule.forbidden_terms)}"
    return shop if required else f"{shop} (sign unlit)"


# --- the report -------------------------------------------------------------------------------


def history_summary(brand: Brand, *, created: int = 0) -> HistorySummary:
    """The demo chain's audit history in a few figures, read back from the stored results."""
    audits = Audit.objects.filter(brand=brand, status=AuditStatus.SUBMITTED)
    totals = audits.aggregate(
        n=Count("pk"),
        since=Min("submitted_at"),
        locations=Count("location", distinct=True),
        critical=Count("pk", filter=Q(critical_failure=True)),
    )
    repeats = ItemResult.objects.filter(audit__in=audits, repeat=True).count()
    return HistorySummary(
        created=created,
        audits=totals["n"],
        since=totals["since"],
        locations=totals["locations"],
        critical=totals["critical"],
        repeats=repeats,
        worse=tuple(worse_locations(audits)),
        section_scores=section_scores(audits, ("signage", "display")),
    )


def worse_locations(audits: QuerySet[Audit]) -> list[str]:
    """Codes of the locations whose latest score is at least `WORSE_BY` below their first."""
    history: dict[str, list[Decimal]] = defaultdict(list)
    rows = audits.exclude(score=None).order_by("submitted_at", "pk").values_list("location__code", "score")
    for code, score in rows:
        history[code].append(score)
    return sorted(code for code, scores in history.items() if scores[-1] <= scores[0] - WORSE_BY)


def section_scores(audits: QuerySet[Audit], sections: Sequence[str]) -> dict[tuple[str, str], Decimal | None]:
    """Pooled section score (100 × Σ earned / Σ possible) by (section, outlet type at the audit)."""
    rows = (
        SectionResult.objects.filter(audit__in=audits, section_code__in=sections)
        .values_list("section_code", "audit__outlet_type")
        .annotate(earned=Sum("earned"), possible=Sum("possible"))
    )
    return {
        (section, outlet_type): (100 * earned / possible).quantize(Decimal("0.1")) if possible else None
        for section, outlet_type, earned, possible in rows
    }


def summary_lines(summary: HistorySummary) -> list[str]:
    """Two lines for seed_demo's report: the history's size and the story it tells."""

    def score(section: str, outlet_type: str) -> str:
        value = summary.section_scores.get((section, outlet_type))
        return "–" if value is None else f"{value}"

    worse = ", ".join(summary.worse) or "none"
    since = f" since {timezone.localdate(summary.since):%Y-%m-%d}" if summary.since else ""
    means = "; ".join(
        f"{name} {score(name, OutletType.DIRECT)} direct vs {score(name, OutletType.AUTHORIZED)} authorized"
        for name in ("signage", "display")
    )
    return [
        f"Audit history: {summary.audits} submitted audits at {summary.locations} locations{since} — "
        f"{summary.critical} with a critical failure, {summary.repeats} repeat findings",
        f"  worse than a year ago: {len(summary.worse)} ({worse}); {means}",
    ]
