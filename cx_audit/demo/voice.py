"""A year of customer feedback for the demo chain (issue 13), written through `feedback_ingest`.

Every open location hears from its customers every day of the last twelve months, through the
channels a phone brand has (in-store survey, WeChat, hotline, e-commerce chat, app, community,
review sites), mostly in Chinese and some in English. What they say follows the audit history:
each day's mood tracks the location's audit score at the time (interpolated between audits), and
pain clusters at the touchpoints its latest audit failed — the weak stores hear it from customers
too. Two stores whose audits got worse (`DROPPING`) see their customers turn in the last weeks, at
one touchpoint, so the early warnings fire. Comments are composed from the phrase templates of
`cx_audit.demo.voice_phrases`, a few with a phone number or e-mail address the ingest masks.

Everything is drawn from a `random.Random` seeded by the location and the day, so a day's records
are the same whenever the demo is seeded: a re-run finds them stored (by external id) and writes
nothing; a run on a later day adds the days since. Most recovery actions older than a few days are
closed as a store would close them (about 70 % recovered, most within the brand's 48 hours); the
recent ones stay open.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from cx_audit.audits.choices import FAILED_OUTCOMES, AuditKind
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.core.choices import Role
from cx_audit.demo import data
from cx_audit.demo import voice_phrases as phrases
from cx_audit.voice.choices import FeedbackChannel, FeedbackSource, RecoveryStatus
from cx_audit.voice.models import Feedback, LexiconTerm, RecoveryAction, SurveyLink, VoicePolicy
from cx_audit.voice.policy import lexicon_seed
from cx_audit.voice.services import FeedbackIn, feedback_ingest
from locations.models import Brand, Location, LocationStatus, OutletType

SALT = "aurora-demo-voice"
DAYS = 365  # the year ending yesterday: today's customers are still talking
BATCH = 5000
MONTHLY = (40, 80)  # records per location and month, by revenue
FULL_VOLUME_REVENUE = 100_000_000
# Early-warning thresholds sized to the demo's volume (some 30 NPS answers per store and month): with
# the defaults (20 answers, 15 points, complaints up half) sampling noise alone flags a third of the
# chain; with these, the stores whose customers really turned (`DROPPING`) and a few others.
POLICY = {
    "critical_touchpoints": ["checkout", "diagnosis"],
    "recovery_hours": 48,
    "warning_min_sample": 30,
    "warning_nps_drop": Decimal(20),
    "warning_complaint_rise": Decimal("1.0"),
}
# The stores whose customers turn recently, and where: a new repair technician, a staff shortage.
DROPPING = {"GZ-D02": "diagnosis", "SZ-A02": "advice"}
DROP_DAYS = 21
DROP_MOOD = -1.4
MOOD_PER_POINT = 0.0625  # of the customers' mood per audit point away from 85
TREND_SHARE = 0.5
ENGLISH_SHARE = {1: 0.18}  # by city tier; elsewhere `ENGLISH_ELSEWHERE`
ENGLISH_ELSEWHERE = 0.05
PII_SHARE = 0.03
CLOSE_AFTER_DAYS = 4  # younger recovery actions are still being worked on
NEGLECTED_SHARE = 0.01  # older ones nobody closed: overdue on the list
RECOVERED_SHARE = 0.7

# Where customers say something, by weight; a failed standard at the latest audit triples its weight.
TOUCHPOINT_WEIGHTS = {
    "advice": 6, "checkout": 3, "sales-floor": 3, "demo-table": 2, "price-tags": 2, "setup": 2,
    "diagnosis": 2, "entrance": 2, "follow-up": 1, "member-app": 1, "outlet-phone": 1, "service-desk": 1,
    "repair-updates": 1, "pickup": 1, "store-locator": 1, "window": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Channel:
    """A channel's share of the records, which questions it asks, how often people write, and how
    its customers lean (people call a hotline to complain; a survey at the till catches the content)."""

    code: str
    weight: int
    nps: float
    csat: float
    effort: float
    comment: float
    mood: float = 0.0
    about: tuple[str, ...] = ()


CHANNELS = (
    Channel(FeedbackChannel.IN_STORE_SURVEY, 34, 1.0, 0.9, 0.7, 0.4, 0.15),
    Channel(FeedbackChannel.WECHAT, 24, 0.85, 0.6, 0.2, 0.45),
    Channel(
        FeedbackChannel.HOTLINE, 9, 0.3, 0.8, 0.5, 0.95, -0.6, ("outlet-phone", "diagnosis", "follow-up")
    ),
    Channel(FeedbackChannel.ECOMMERCE_CHAT, 11, 0.2, 0.85, 0.3, 0.8, -0.1, ("pickup", "price-tags", "setup")),
    Channel(FeedbackChannel.APP, 9, 0.7, 0.5, 0.3, 0.35, 0.0, ("member-app",)),
    Channel(FeedbackChannel.COMMUNITY, 4, 0.0, 0.0, 0.0, 1.0, 0.1, ("member-app",)),
    Channel(FeedbackChannel.REVIEW_SITE, 9, 0.0, 1.0, 0.0, 0.9, -0.3),
)
CHANNEL_WEIGHTS = [channel.weight for channel in CHANNELS]


@dataclass(frozen=True)
class Outlet:
    """One open location as its customers experience it over the year."""

    pk: int
    code: str
    franchisee_id: int | None
    tier: int
    revenue: Decimal | None
    direct: bool
    scores: tuple[tuple[date, float], ...]  # (day, audit score), oldest first; self-assessments left out
    weak: frozenset[str] = frozenset()
    dropping: str = ""

    def score_on(self, day: date) -> float:
        """The audit score customers meet on ``day``: interpolated between audits."""
        if not self.scores:
            return 85.0
        if day <= self.scores[0][0]:
            return self.scores[0][1]
        for (d0, s0), (d1, s1) in zip(self.scores, self.scores[1:], strict=False):
            if day <= d1:
                return s0 + (s1 - s0) * (day - d0).days / max((d1 - d0).days, 1)
        return self.scores[-1][1]

    def mood_on(self, day: date) -> float:
        """How the customers of ``day`` lean (0: the chain's usual): the outlet's standard over the
        year, moved by a part of where its audits stood that day (customers notice slowly)."""
        usual = sum(score for _day, score in self.scores) / len(self.scores) if self.scores else 85.0
        mood = MOOD_PER_POINT * ((usual - 85) + TREND_SHARE * (self.score_on(day) - usual))
        return max(min(mood, 1.6), -2.2) + (0.15 if self.direct else 0.0)

    @property
    def daily(self) -> float:
        low, high = MONTHLY
        share = min(float(self.revenue or 0) / FULL_VOLUME_REVENUE, 1.0)
        return (low + (high - low) * share) * 12 / DAYS


@dataclass(frozen=True)
class VoiceSummary:
    """What this run wrote (a re-run on the same day writes nothing)."""

    created: int
    recoveries: int
    closed: int
    links: int
    terms: int
    policy: tuple[int, int]

    def record(self, changes: Any) -> None:
        """Add the run's rows to seed_demo's report (`cx_audit.demo.seeding.Changes`)."""
        changes.record(LexiconTerm, created=self.terms)
        changes.record(VoicePolicy, created=self.policy[0], updated=self.policy[1])
        changes.record(SurveyLink, created=self.links)
        changes.record(Feedback, created=self.created)
        changes.record(RecoveryAction, created=self.recoveries, updated=self.closed)


def seed_voice(*, brand: Brand, users: Mapping[str, Any], now: datetime | None = None) -> VoiceSummary:
    """The brand's lexicon, voice policy and survey links, a year of feedback, historic actions closed."""
    today = timezone.localdate(now or timezone.now())
    terms = lexicon_seed(brand.pk)
    policy = seed_policy(brand)
    links = seed_survey_links(brand)
    outlets = outlets_of(brand)
    created, recoveries = ingest_year(brand, outlets, today)
    closed = close_historic(brand, users, today)
    return VoiceSummary(created, recoveries, closed, links, terms, policy)


def seed_policy(brand: Brand) -> tuple[int, int]:
    """Checkout and diagnosis critical, 48 hours to call a customer back, warnings sized to the
    demo (`POLICY`): (created, updated)."""
    policy, created = VoicePolicy.objects.get_or_create(brand=brand, defaults=POLICY)
    if created or all(getattr(policy, name) == value for name, value in POLICY.items()):
        return int(created), 0
    for name, value in POLICY.items():
        setattr(policy, name, value)
    policy.save(update_fields=list(POLICY))
    return 0, 1


def seed_survey_links(brand: Brand) -> int:
    """An active survey link (and so a QR sticker) for every open location that has none."""
    have = SurveyLink.objects.filter(location__brand=brand).values("location_id")
    missing = Location.objects.filter(brand=brand, status=LocationStatus.OPEN).exclude(pk__in=have)
    return len(SurveyLink.objects.bulk_create(SurveyLink(location=location) for location in missing))


def outlets_of(brand: Brand) -> list[Outlet]:
    """Every open location with its audit scores over the year and the touchpoints its latest audit
    failed: three queries."""
    locations = list(Location.objects.filter(brand=brand, status=LocationStatus.OPEN).order_by("code"))
    audits = (
        Audit.objects.filter(brand=brand)
        .submitted()
        .exclude(kind=AuditKind.SELF_ASSESSMENT)
        .exclude(score=None)
        .order_by("submitted_at", "pk")
    )
    scores: dict[int, list[tuple[date, float]]] = {}
    latest: dict[int, int] = {}
    for pk, location_id, submitted_at, score in audits.values_list(
        "pk", "location_id", "submitted_at", "score"
    ):
        scores.setdefault(location_id, []).append((timezone.localdate(submitted_at), float(score)))
        latest[location_id] = pk
    weak: dict[int, set[str]] = {}
    failed = ItemResult.objects.filter(audit_id__in=latest.values(), outcome__in=FAILED_OUTCOMES)
    for location_id, touchpoint in failed.values_list("audit__location_id", "item__touchpoint__code"):
        if touchpoint:
            weak.setdefault(location_id, set()).add(touchpoint)
    return [
        Outlet(
            pk=loc.pk,
            code=loc.code,
            franchisee_id=loc.franchisee_id,
            tier=loc.city_tier or 1,
            revenue=loc.annual_revenue,
            direct=loc.outlet_type == OutletType.DIRECT,
            scores=tuple(scores.get(loc.pk, ())),
            weak=frozenset(weak.get(loc.pk, ())),
            dropping=DROPPING.get(loc.code, ""),
        )
        for loc in locations
    ]


# --- the records --------------------------------------------------------------------------------


def ingest_year(brand: Brand, outlets: Sequence[Outlet], today: date) -> tuple[int, int]:
    """Every day not stored yet, in batches through the ingest: (records created, actions opened)."""
    stored = stored_days(brand)
    created = recoveries = 0
    batch: list[FeedbackIn] = []
    for record in _missing_records(outlets, today, stored):
        batch.append(record)
        if len(batch) >= BATCH:
            result = feedback_ingest(brand=brand, records=batch, source=FeedbackSource.DEMO)
            created, recoveries, batch = created + result.created, recoveries + result.recoveries, []
    if batch:
        result = feedback_ingest(brand=brand, records=batch, source=FeedbackSource.DEMO)
        created, recoveries = created + result.created, recoveries + result.recoveries
    return created, recoveries


def _missing_records(
    outlets: Sequence[Outlet], today: date, stored: set[tuple[str, str]]
) -> Iterator[FeedbackIn]:
    for outlet in outlets:
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            if (outlet.code, f"{day:%Y%m%d}") not in stored:
                yield from day_records(outlet, day, today)


def external_id(code: str, day: date, n: int) -> str:
    return f"demo/{code}/{day:%Y%m%d}/{n:03d}"


def stored_days(brand: Brand) -> set[tuple[str, str]]:
    """(location code, day) of every demo day already stored, read off the external ids."""
    ids = Feedback.objects.filter(brand=brand, source=FeedbackSource.DEMO).values_list(
        "external_id", flat=True
    )
    return {tuple(value.split("/")[1:3]) for value in ids.iterator(chunk_size=5000) if value.count("/") == 3}


def day_records(outlet: Outlet, day: date, today: date) -> list[FeedbackIn]:
    """One location's feedback of one day: always the same for the same location and day."""
    rng = random.Random(f"{SALT}/{outlet.code}/{day.isoformat()}")
    dropping = bool(outlet.dropping) and (today - day).days <= DROP_DAYS
    rate = outlet.daily * (1.4 if day.weekday() >= 5 else 0.85) * (1.3 if dropping else 1.0)
    mood = outlet.mood_on(day) + (DROP_MOOD if dropping else 0.0)
    return [_record(outlet, day, n, mood, dropping, rng) for n in range(_poisson(rate, rng))]


def _poisson(mean: float, rng: random.Random) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _record(outlet: Outlet, day: date, n: int, mood: float, dropping: bool, rng: random.Random) -> FeedbackIn:
    channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
    feeling = mood + channel.mood + rng.gauss(0, 1)
    english = rng.random() < ENGLISH_SHARE.get(outlet.tier, ENGLISH_ELSEWHERE)
    language = phrases.EN if english else phrases.ZH
    nps = _clamp(round(8.0 + 1.9 * feeling), 0, 10) if rng.random() < channel.nps else None
    csat = (
        _clamp(round(3.9 + 0.85 * feeling + rng.gauss(0, 0.35)), 1, 5)
        if rng.random() < channel.csat
        else None
    )
    effort = _clamp(round(3.0 - feeling + rng.gauss(0, 0.6)), 1, 7) if rng.random() < channel.effort else None
    writes = rng.random() < channel.comment * (1.3 if feeling < -0.8 else 1.0)
    if nps is None and csat is None:
        writes = True  # a record says something
    comment, about = compose(outlet, channel, feeling, language, dropping, rng) if writes else ("", "")
    survey = channel.code == FeedbackChannel.IN_STORE_SURVEY
    moment = time(hour=rng.randint(10, 21), minute=rng.randrange(60), second=rng.randrange(60))
    return FeedbackIn(
        location_id=outlet.pk,
        channel=channel.code,
        external_id=external_id(outlet.code, day, n),
        received_at=timezone.make_aware(datetime.combine(day, moment)),
        nps=nps,
        csat=csat,
        effort=effort,
        comment=comment,
        language=language if comment else "",
        touchpoint_code=about if survey and about and rng.random() < 0.4 else "",
        customer_ref=_customer(rng) if rng.random() < 0.5 else "",
        expectations=_expectations(rng) if survey and rng.random() < 0.25 else {},
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _customer(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    return f"wx-{rng.getrandbits(48):012x}"


def _expectations(rng: random.Random) -> dict[str, Decimal]:
    return {
        code: Decimal(rng.randint(6, 10)) for code in rng.sample(sorted(d.code for d in data.DIMENSIONS), 3)
    }


# --- the comments --------------------------------------------------------------------------------


def compose(
    outlet: Outlet, channel: Channel, feeling: float, language: str, dropping: bool, rng: random.Random
) -> tuple[str, str]:
    """A comment of one to three clauses, and the touchpoint of the first. The lower the feeling the
    likelier each clause is pain; pain falls on the outlet's weak touchpoints more often."""
    if rng.random() < 0.04:
        return rng.choice(phrases.NEUTRAL[language]), ""
    pain_chance = 1 / (1 + math.exp(1.3 * feeling + 0.3))
    parts, first = [], ""
    for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0]):
        polarity = phrases.PAIN if rng.random() < pain_chance else phrases.PLEASURE
        touchpoint = _touchpoint(outlet, channel, polarity, dropping, rng)
        parts.append(phrases.fill(rng.choice(phrases.clauses(touchpoint, language, polarity)), language, rng))
        first = first or touchpoint
    if rng.random() < 0.3:
        overall = phrases.PAIN if rng.random() < pain_chance else phrases.PLEASURE
        said = [t for lang, pol, t in phrases.OVERALL if lang == language and pol == overall]
        parts.append(phrases.fill(rng.choice(said), language, rng))
    text = phrases.join(parts, language, rng)
    return (text + _contact(text, language, rng) if rng.random() < PII_SHARE else text), first


def _touchpoint(outlet: Outlet, channel: Channel, polarity: int, dropping: bool, rng: random.Random) -> str:
    if dropping and polarity == phrases.PAIN and rng.random() < 0.7:
        return outlet.dropping
    if channel.about and rng.random() < 0.5:
        return rng.choice(channel.about)
    codes = list(TOUCHPOINT_WEIGHTS)
    weights = [
        TOUCHPOINT_WEIGHTS[code] * (3 if polarity == phrases.PAIN and code in outlet.weak else 1)
        for code in codes
    ]
    return rng.choices(codes, weights=weights)[0]


def _contact(text: str, language: str, rng: random.Random) -> str:
    """A phone number or e-mail address a customer leaves in the text: the ingest masks it."""
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    if rng.random() < 0.3:
        mail = f"{rng.choice(('li.na', 'wang.wei', 'chen.jie', 'amy.zhou'))}{rng.randint(1, 99)}@example.com"
        return f"{_comma(text)}邮箱：{mail}" if language == phrases.ZH else f" Email me at {mail}"
    return f"{_comma(text)}手机号{phone}" if language == phrases.ZH else f" My number is {phone}"


def _comma(text: str) -> str:
    return "" if text.endswith(("。", "！")) else "，"


# --- closing the loop ----------------------------------------------------------------------------

NOTES = {
    (True, phrases.ZH): (
        "已电话回访并致歉，客户表示满意。",
        "上门更换了配件，客户接受。",
        "退还多收的费用。",
    ),
    (True, phrases.EN): ("Called back and apologised; happy now.", "Replaced the part; customer satisfied."),
    (False, phrases.ZH): ("客户不接受处理方案。", "多次联系未接通。"),
    (False, phrases.EN): ("The customer declined our offer.", "No answer after three calls."),
}


def close_historic(brand: Brand, users: Mapping[str, Any], today: date) -> int:
    """Close the demo's open recovery actions older than `CLOSE_AFTER_DAYS`, as the store or HQ did.

    Seed-only: `recovery_close` stamps now, and the demo's history needs the hour each was closed
    then, so the rows are updated in bulk here (nothing else is derived from a closed action).
    Counted in whole days, so two runs on one day close the same actions.
    """
    closers = _closers(brand, users)
    actions = (
        RecoveryAction.objects.filter(
            brand=brand, status=RecoveryStatus.OPEN, feedback__source=FeedbackSource.DEMO
        )
        .select_related("feedback", "location")
        .only(
            "pk",
            "opened_at",
            "due_at",
            "location__franchisee_id",
            "feedback__external_id",
            "feedback__language",
        )
    )
    closed = []
    for action in actions.iterator(chunk_size=2000):
        if _close(action, closers, today):
            closed.append(action)
    _write_closed(closed)
    return len(closed)


def _write_closed(actions: Sequence[RecoveryAction]) -> None:
    """One prepared UPDATE run for every row: `bulk_update`'s CASE per column costs seconds here."""
    meta, quote = RecoveryAction._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in ("status", "closed_at", "closed_by", "note")]
    sets = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [column.get_db_prep_save(getattr(action, column.attname), connection) for column in columns]
        + [action.pk]
        for action in actions
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _close(action: RecoveryAction, closers: Mapping[int | None, Any], today: date) -> bool:
    rng = random.Random(f"{SALT}/close/{action.feedback.external_id}")
    neglected, recovered = rng.random() < NEGLECTED_SHARE, rng.random() < RECOVERED_SHARE
    hours = rng.choices((rng.uniform(1, 24), rng.uniform(24, 48), rng.uniform(48, 72)), weights=(7, 2, 1))[0]
    if neglected or (today - timezone.localdate(action.opened_at)).days < CLOSE_AFTER_DAYS:
        return False
    action.status = RecoveryStatus.RECOVERED if recovered else RecoveryStatus.NOT_RECOVERED
    action.closed_at = action.opened_at + timedelta(hours=hours)
    action.closed_by = closers.get(action.location.franchisee_id) or closers[None]
    action.note = rng.choice(NOTES[(recovered, action.feedback.language or phrases.ZH)])
    return True


def _closers(brand: Brand, users: Mapping[str, Any]) -> dict[int | None, Any]:
    """Franchisee id → its demo login (it calls its own customers back); None → HQ's admin."""
    codes = {spec.username: spec.franchisee for spec in data.USERS if spec.role == Role.FRANCHISEE}
    ids = dict(brand.franchisees.filter(code__in=codes.values()).values_list("code", "pk"))
    closers: dict[int | None, Any] = {ids[code]: users[name] for name, code in codes.items() if code in ids}
    closers[None] = users["hq-admin"]
    return closers
