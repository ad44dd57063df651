"""A chain that hears from its customers, at benchmark scale (`benchmarks/voice.py`; never used by tests).

`create_chain(N)` makes, through the ORM, a brand "bench" with 4 top regions × 5 sub-regions, one
franchisee per 50 locations, N locations loaded with COPY (a quarter direct; 100 cities over tiers
1–4; an annual revenue for 97 % of them), the demo brand Aurora's published framework (its 6
dimensions and 20 touchpoints: `cx_audit.demo.seeding.seed_framework`), the demo's routing rules, a
voice policy with checkout and diagnosis critical, and three users: an HQ analyst, an HQ admin and a
franchisee (the first franchisee's 38 or so outlets).

`RecordMaker` draws what one customer said: the channel (with the questions it asks and how its
customers lean), NPS, CSAT and effort (each optional, following a per-location mood), a comment in
Chinese or English for about 88 % of records (`benchmarks.voice_text`), the touchpoint an in-store
survey or a hotline asked about, a customer reference for 60 %, stated expectations for some
surveys. The import benchmark writes such records to a CSV file (`feedback_csv`); `load` writes a
year of them straight to PostgreSQL with COPY:

- records arrive day by day over the 365 days up to yesterday (weekends busier), spread over the locations
  by revenue, so ids follow time as they do in production; 2 % of the locations turn sour over the
  last three weeks (the early warnings have something to find);
- comments come from a pool of distinct comments (10,000 per kind in Chinese, 3,000 in English;
  pain, mixed and pleasure), masked and tagged once by the real tagger with the default lexicon, so
  each record's language, sentiment, polarity, complaint flag and tags are exactly what
  `feedback_ingest` would have stored for that comment (about 1.5 tags per record);
- recovery actions open by the same rule as the ingest (`rules.recovery_reason`, routed with
  `actions.rules.route`); those older than four days are closed (70 % recovered).

Foreign-key triggers are off during the load (``session_replication_role = replica``: the ids are
generated here and consistent); the tables are vacuumed and analysed afterwards.
"""

from __future__ import annotations

import csv
import io
import math
import random
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from tqdm import tqdm

from benchmarks.voice_text import EN, KINDS, PAIN, PLEASURE, ZH, Composer

TOP_REGIONS = ("N", "S", "E", "W")
SUB_REGIONS = 5
CITIES = 100
DAYS = 365
CRITICAL = ("checkout", "diagnosis")
ENGLISH_SHARE = 0.12
CUSTOMER_REF_SHARE = 0.6
SOUR_SHARE = 0.02
SOUR_DAYS = 21
SOUR_MOOD = -1.4
POOL = {ZH: 10_000, EN: 3_000}  # distinct comments per kind
CLOSE_AFTER_DAYS = 4
RECOVERED_SHARE = 0.7
ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Channel:
    """A channel's share of records, the questions it asks, how often people write, how they lean,
    and the touchpoints it asks about (a hotline is about the phone, the repair, the call back)."""

    code: str
    weight: int
    nps: float
    csat: float
    effort: float
    comment: float
    lean: float = 0.0
    about: tuple[str, ...] = ()


CHANNELS = (
    Channel("in_store_survey", 34, 1.0, 0.9, 0.7, 0.8, 0.15, ("advice", "checkout", "sales-floor", "setup")),
    Channel("wechat", 24, 0.85, 0.6, 0.2, 0.85),
    Channel("hotline", 9, 0.3, 0.8, 0.5, 1.0, -0.6, ("outlet-phone", "diagnosis", "follow-up")),
    Channel("ecommerce_chat", 11, 0.2, 0.85, 0.3, 0.95, -0.1, ("pickup", "price-tags")),
    Channel("app", 9, 0.7, 0.5, 0.3, 0.85, 0.0, ("member-app",)),
    Channel("community", 4, 0.0, 0.0, 0.0, 1.0, 0.1),
    Channel("review_site", 9, 0.0, 1.0, 0.0, 0.95, -0.3),
)
CHANNEL_WEIGHTS = [channel.weight for channel in CHANNELS]
DIMENSIONS = ("product", "service", "relationship", "price", "convenience", "brand_image")


# --- the chain ------------------------------------------------------------------------------------


@dataclass
class Chain:
    brand: Any
    analyst: Any
    admin: Any
    partner: Any
    locations: list[tuple] = field(default_factory=list)  # COPY rows of locations_location

    @property
    def location_ids(self) -> list[int]:
        return [row[0] for row in self.locations]


LOCATION_COLUMNS = (
    "id, code, name, outlet_type, address, city, country, latitude, longitude, city_tier, status, "
    "annual_revenue, created_at, updated_at, brand_id, franchisee_id, region_id"
)


def create_chain(size: int, seed: int = 2026_13) -> Chain:
    """The brand, regions, franchisees, users, framework, routing and policy through the ORM; the
    locations as COPY rows (`Chain.locations`, written by `copy_locations`)."""
    from cx_audit.core.choices import Role
    from cx_audit.core.models import User
    from cx_audit.demo.actions import seed_routing
    from cx_audit.demo.seeding import Changes, seed_framework
    from cx_audit.voice.models import VoicePolicy
    from locations.models import Brand, Franchisee, Membership, Region

    rng = random.Random(seed)
    brand = Brand.objects.create(name="Bench chain", slug="bench")
    franchisees = Franchisee.objects.bulk_create(
        Franchisee(brand=brand, code=f"F{n:04d}", name=f"Partner {n:04d} Trading Co.")
        for n in range(max(1, size // 50))
    )
    users = {}
    for name, role, franchisee in (
        ("bench-analyst", Role.HQ_ANALYST, None),
        ("bench-admin", Role.HQ_ADMIN, None),
        ("bench-partner", Role.FRANCHISEE, franchisees[0]),
    ):
        users[name] = User.objects.create_user(name, password="bench-pass-2026")
        Membership.objects.create(user=users[name], brand=brand, role=role, franchisee=franchisee)
    leaves = []
    for top_code in TOP_REGIONS:
        top = Region.objects.create(brand=brand, code=top_code, name=f"Region {top_code}")
        for n in range(SUB_REGIONS):
            code = f"{top_code}{n + 1}"
            leaves.append(Region.objects.create(brand=brand, code=code, name=f"Area {code}", parent=top))
    seed_framework(brand, publisher=users["bench-admin"], changes=Changes())
    seed_routing(brand)
    VoicePolicy.objects.create(brand=brand, critical_touchpoints=list(CRITICAL), recovery_hours=48)
    chain = Chain(brand, users["bench-analyst"], users["bench-admin"], users["bench-partner"])
    chain.locations = _location_rows(brand.pk, size, [f.pk for f in franchisees], [r.pk for r in leaves], rng)
    return chain


def _location_rows(brand_id: int, size: int, franchisees: list[int], regions: list[int], rng: Any) -> list:
    now = datetime.now(UTC).isoformat()
    rows = []
    for n in range(size):
        direct = n % 4 == 0
        city = n % CITIES
        tier = 1 if city < 10 else 2 if city < 35 else 3 if city < 70 else 4
        median = 30e6 if direct else 8e6
        revenue = None if rng.random() < 0.03 else f"{median * math.exp(rng.gauss(0, 0.5)):.2f}"
        rows.append(
            (
                n + 1,
                f"L{n:05d}",
                f"{'Store' if direct else 'Dealer'} {n:05d}",
                "direct" if direct else "authorized",
                f"{n} Main Road",
                f"City {city:03d}",
                "CN",
                f"{22 + rng.random() * 20:.6f}",
                f"{100 + rng.random() * 20:.6f}",
                tier,
                "open",
                revenue,
                now,
                now,
                brand_id,
                None if direct else franchisees[n % len(franchisees)],
                regions[city % len(regions)],
            )
        )
    return rows


def copy_locations(raw: Any, chain: Chain) -> None:
    _copy(raw, "locations_location", LOCATION_COLUMNS, (_tsv(row) for row in chain.locations))
    raw.execute(
        "SELECT setval(pg_get_serial_sequence('locations_location', 'id'), "
        "(SELECT max(id) FROM locations_location))"
    )


# --- one customer's say ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    """What one customer said, before any comment is written: the comment's language and kind."""

    channel: str
    nps: int | None
    csat: int | None
    effort: int | None
    language: str
    kind: str  # "" without a comment
    touchpoint: str
    customer: int | None  # a customer number, None without a reference
    expectations: dict[str, str]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class RecordMaker:
    """Draws `Said` records: a location's mood (its own standard, soured or not) plus the channel's
    lean and the customer's own; the scores follow the feeling, and so does what they write."""

    def __init__(self, rng: random.Random, customers: int) -> None:
        self.rng = rng
        self.customers = customers

    def said(self, mood: float) -> Said:
        rng = self.rng
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        feeling = mood + channel.lean + rng.gauss(0, 1)
        nps = _clamp(8 + 1.9 * feeling, 0, 10) if rng.random() < channel.nps else None
        csat = (
            _clamp(3.9 + 0.85 * feeling + rng.gauss(0, 0.35), 1, 5) if rng.random() < channel.csat else None
        )
        effort = _clamp(3 - feeling + rng.gauss(0, 0.6), 1, 7) if rng.random() < channel.effort else None
        writes = rng.random() < channel.comment or (nps is None and csat is None)
        kind = ""
        if writes:
            if feeling < -0.5:
                kind = PAIN
            elif feeling > 0.5:
                kind = PLEASURE
            else:
                kind = rng.choices(KINDS, weights=(25, 50, 25))[0]
        touchpoint = rng.choice(channel.about) if channel.about and rng.random() < 0.3 else ""
        expectations = {}
        if channel.code == "in_store_survey" and rng.random() < 0.15:
            expectations = {code: str(rng.choice((6, 7, 8, 9, 10))) for code in rng.sample(DIMENSIONS, 2)}
        return Said(
            channel=channel.code,
            nps=nps,
            csat=csat,
            effort=effort,
            language=EN if rng.random() < ENGLISH_SHARE else ZH,
            kind=kind,
            touchpoint=touchpoint,
            customer=rng.randrange(self.customers) if rng.random() < CUSTOMER_REF_SHARE else None,
            expectations=expectations,
        )


def customer_ref(number: int) -> str:
    """A CRM member number or a mobile number, as exports carry them (hashed by the ingest)."""
    return f"M{number:08d}" if number % 3 else f"13{number % 10**9:09d}"


def location_moods(count: int, rng: random.Random) -> tuple[list[float], set[int]]:
    """Each location's usual mood, and the indexes of those that turn sour recently."""
    moods = [rng.gauss(0.0, 0.5) for _ in range(count)]
    sour = set(rng.sample(range(count), max(1, round(count * SOUR_SHARE))))
    return moods, sour


def revenue_weights(chain: Chain) -> list[float]:
    """How much each location hears from customers: more where more is sold."""
    return [0.4 + float(row[11] or 8e6) / 15e6 for row in chain.locations]


# --- the import file ------------------------------------------------------------------------------

CSV_COLUMNS = (
    "location_code",
    "channel",
    "external_id",
    "received_at",
    "nps",
    "csat",
    "effort",
    "comment",
    "language",
    "touchpoint_code",
    "customer_ref",
    "expect_service",
    "expect_price",
)


def feedback_csv(chain: Chain, rows: int, seed: int = 2026_100) -> str:
    """A CRM export of ``rows`` records over the last 90 days, over every location of the chain:
    fresh comments (no pool: every one is tagged on import), about 10 % without a comment, 3 % with
    a phone number or e-mail address, a language column filled for half of them."""
    rng = random.Random(seed)
    composer, maker = Composer(rng), RecordMaker(rng, customers=max(1000, rows // 3))
    codes = [row[1] for row in chain.locations]
    weights = revenue_weights(chain)
    moods, _sour = location_moods(len(codes), rng)
    end = datetime.now(ZONE).replace(microsecond=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    picks = rng.choices(range(len(codes)), weights=weights, k=rows)
    for n, index in enumerate(picks):
        said = maker.said(moods[index])
        when = end - timedelta(seconds=rng.randrange(90 * 86400))
        comment = composer.comment(said.language, said.kind) if said.kind else ""
        writer.writerow(
            (
                codes[index],
                said.channel,
                f"crm-{n:07d}",
                when.isoformat(),
                _cell(said.nps),
                _cell(said.csat),
                _cell(said.effort),
                comment,
                said.language if comment and rng.random() < 0.5 else "",
                said.touchpoint,
                "" if said.customer is None else customer_ref(said.customer),
                said.expectations.get("service", ""),
                said.expectations.get("price", ""),
            )
        )
    return out.getvalue()


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


# --- the comment pool -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pooled:
    """One distinct comment as the ingest stores it: masked text, language, sentiment, polarity, the
    tags' COPY columns after (feedback, brand, location, time), and what recovery needs."""

    comment: str  # masked, COPY-escaped
    raw_comment: str  # masked
    language: str
    sentiment: str
    polarity: int
    tags: tuple[str, ...]
    pain_touchpoints: tuple[str, ...]
    pain_dimension: str


def build_pool(brand_id: int, seed: int = 2026_200) -> dict[tuple[str, str], list[Pooled]]:
    """Compose, mask and tag the pool once, with the brand's lexicon (the default terms)."""
    from cx_audit.voice import pii
    from cx_audit.voice.policy import lexicon_of
    from cx_audit.voice.tagging import tagger_for

    tagger = tagger_for(lexicon_of(brand_id))
    composer = Composer(random.Random(seed))
    pool: dict[tuple[str, str], list[Pooled]] = {}
    total = sum(POOL.values()) * len(KINDS)
    with tqdm(total=total, desc="comment pool (masked, tagged)", unit="comment", mininterval=1) as bar:
        for language, size in POOL.items():
            for kind in KINDS:
                pool[(language, kind)] = [
                    _pooled(pii.mask(composer.comment(language, kind)), tagger) for _ in range(size)
                ]
                bar.update(size)
    return pool


def _pooled(comment: str, tagger: Any) -> Pooled:
    analysis = tagger.analyse(comment)
    tags = tuple(
        "\t".join(
            (
                _escape(tag.term[:60]),
                tag.touchpoint,
                tag.dimension,
                str(tag.polarity),
                str(Decimal(str(round(tag.weight, 2)))),
                str(tag.start),
                str(tag.end),
                _escape(comment[tag.start : tag.end][:200]),
                "t" if tag.negated else "f",
            )
        )
        for tag in analysis.tags
    )
    pains = [tag for tag in analysis.tags if tag.polarity < 0]
    return Pooled(
        comment=_escape(comment),
        raw_comment=comment,
        language=analysis.language,
        sentiment=str(Decimal(str(round(analysis.sentiment, 2)))),
        polarity=analysis.polarity,
        tags=tags,
        pain_touchpoints=tuple(tag.touchpoint for tag in pains if tag.touchpoint),
        pain_dimension=next((tag.dimension for tag in pains if tag.dimension), ""),
    )


# --- the year of feedback -------------------------------------------------------------------------

FEEDBACK_COLUMNS = (
    "id, brand_id, location_id, franchisee_id, channel, source, external_id, received_at, nps, csat, "
    "effort, comment, language, touchpoint_code, expectations, customer_hash, sentiment, polarity, "
    "complaint, created_at"
)
TAG_COLUMNS = (
    "id, feedback_id, brand_id, location_id, received_at, term, touchpoint_code, dimension_code, "
    'polarity, weight, start, "end", matched, negated'
)
RECOVERY_COLUMNS = (
    "id, brand_id, location_id, franchisee_id, feedback_id, reason, touchpoint_code, dimension_code, "
    "department, routing_rule_id, status, opened_at, due_at, closed_at, closed_by_id, note"
)


class YearWriter:
    """Streams a year of feedback as COPY text, spooling the tags and recovery actions to files."""

    def __init__(
        self, chain: Chain, pool: dict[tuple[str, str], list[Pooled]], total: int, seed: int
    ) -> None:
        from cx_audit.actions.services import brand_routing
        from cx_audit.voice.services import customer_key

        self.chain, self.pool, self.total = chain, pool, total
        self.rng = random.Random(seed)
        self.maker = RecordMaker(self.rng, customers=max(1000, total * 3 // 10))
        self.moods, self.sour = location_moods(len(chain.locations), self.rng)
        self.weights = revenue_weights(chain)
        self.key = customer_key(chain.brand.pk)
        self.rules = brand_routing(chain.brand.pk)
        self.routes: dict[tuple[str, bool], Any] = {}
        self.hashes: dict[int, str] = {}
        # Spooled to files: COPY takes one table at a time; closed (and deleted) by `close`.
        self.tags: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.recoveries: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.counts = {"feedback": 0, "tags": 0, "recoveries": 0}
        self.now = datetime.now(ZONE).replace(microsecond=0)

    def close(self) -> None:
        self.tags.close()
        self.recoveries.close()

    def lines(self) -> Iterator[str]:
        """The rows of the 365 days up to yesterday (today is still being said), each day in time order."""
        today = self.now.date()
        daily = [
            1.3 if (today - timedelta(days=back)).weekday() >= 5 else 0.88 for back in range(DAYS, 0, -1)
        ]
        scale = self.total / sum(daily)
        cumulative = list(_accumulate(self.weights))
        made = 0
        bar = tqdm(total=self.total, desc="feedback rows", unit="row", mininterval=1, unit_scale=True)
        for offset, factor in enumerate(daily):
            back = DAYS - offset
            count = self.total - made if back == 1 else round(scale * factor * self.rng.uniform(0.9, 1.1))
            count = min(count, self.total - made)
            day = today - timedelta(days=back)
            opened = datetime(day.year, day.month, day.day, 9, tzinfo=ZONE)
            seconds = sorted(self.rng.randrange(13 * 3600) for _ in range(count))
            picks = self.rng.choices(range(len(self.weights)), cum_weights=cumulative, k=count)
            buffer = []
            for second, index in zip(seconds, picks, strict=True):
                made += 1
                buffer.append(self._row(made, index, opened + timedelta(seconds=second), back))
            bar.update(count)
            yield "".join(buffer)
        bar.close()

    def _row(self, pk: int, index: int, when: datetime, back: int) -> str:
        location = self.chain.locations[index]
        mood = self.moods[index] + (SOUR_MOOD if index in self.sour and back <= SOUR_DAYS else 0.0)
        said = self.maker.said(mood)
        pooled = self.rng.choice(self.pool[(said.language, said.kind)]) if said.kind else None
        polarity = pooled.polarity if pooled else 0
        complaint = (
            polarity < 0
            or (said.csat is not None and said.csat <= 2)
            or (said.nps is not None and said.nps <= 3)
        )
        stamp = when.isoformat()
        brand_id, location_id, franchisee_id = self.chain.brand.pk, location[0], location[15]
        if pooled:
            for tag in pooled.tags:
                self.counts["tags"] += 1
                self.tags.write(f"{self.counts['tags']}\t{pk}\t{brand_id}\t{location_id}\t{stamp}\t{tag}\n")
        self._recovery(pk, location, said, pooled, when)
        expectations = "{}" if not said.expectations else _json(said.expectations)
        customer = "" if said.customer is None else self._hash(said.customer)
        self.counts["feedback"] += 1
        return _tsv(
            (
                pk,
                brand_id,
                location_id,
                franchisee_id,
                said.channel,
                "api",
                f"bench/{pk:08d}",
                stamp,
                said.nps,
                said.csat,
                said.effort,
                pooled.comment if pooled else "",
                pooled.language if pooled else ZH,
                said.touchpoint,
                expectations,
                customer,
                pooled.sentiment if pooled else "0",
                polarity,
                "t" if complaint else "f",
                stamp,
            ),
            escaped=True,
        )

    def _hash(self, number: int) -> str:
        from cx_audit.voice.pii import hash_customer

        if number not in self.hashes:
            self.hashes[number] = hash_customer(customer_ref(number), self.key)
        return self.hashes[number]

    def _recovery(self, pk: int, location: tuple, said: Said, pooled: Pooled | None, when: datetime) -> None:
        """As `services._recoveries`: a detractor who wrote, or pain at a critical touchpoint."""
        from cx_audit.actions import rules as routing
        from cx_audit.voice.rules import CRITICAL_TOUCHPOINT, recovery_reason

        pains = list(pooled.pain_touchpoints) if pooled else []
        if said.touchpoint and pooled and pooled.polarity < 0:
            pains.append(said.touchpoint)
        reason = recovery_reason(
            nps=said.nps, comment=pooled.raw_comment if pooled else "", pain_touchpoints=pains,
            critical_touchpoints=CRITICAL,
        )  # fmt: skip
        if reason is None:
            return
        critical = reason == CRITICAL_TOUCHPOINT
        touchpoint = (
            next(code for code in pains if code in CRITICAL)
            if critical
            else said.touchpoint or next(iter(pains), "")
        )
        dimension = pooled.pain_dimension if pooled else ""
        key = (dimension, critical)
        if key not in self.routes:
            finding = routing.Finding(
                item_code="", section_code="", dimension_code=dimension or None, critical=critical
            )
            self.routes[key] = routing.route(finding, self.rules)
        route = self.routes[key]
        age = self.now - when
        closed, status = None, "open"
        if age > timedelta(days=CLOSE_AFTER_DAYS) and self.rng.random() < 0.97:
            status = "recovered" if self.rng.random() < RECOVERED_SHARE else "not_recovered"
            closed = when + timedelta(hours=self.rng.uniform(2, 60))
        self.counts["recoveries"] += 1
        self.recoveries.write(
            _tsv(
                (
                    self.counts["recoveries"],
                    self.chain.brand.pk,
                    location[0],
                    location[15],
                    pk,
                    reason,
                    touchpoint,
                    dimension,
                    route.department,
                    route.rule_id,
                    status,
                    when.isoformat(),
                    (when + timedelta(hours=48)).isoformat(),
                    closed.isoformat() if closed else None,
                    self.chain.admin.pk if closed else None,
                    "",
                )
            )
        )


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _json(values: dict[str, str]) -> str:
    return "{" + ", ".join(f'"{key}": "{value}"' for key, value in values.items()) + "}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _tsv(values: tuple, *, escaped: bool = False) -> str:
    """A COPY text line; ``escaped``: string values are already escaped (the pool's comments)."""
    return (
        "\t".join(
            "\\N"
            if value is None
            else str(value)
            if escaped or not isinstance(value, str)
            else _escape(value)
            for value in values
        )
        + "\n"
    )


def _copy(raw: Any, table: str, columns: str, lines: Iterator[str] | IO[str]) -> None:
    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        if hasattr(lines, "read"):
            lines.seek(0)
            while block := lines.read(1 << 20):
                copy.write(block)
        else:
            for block in lines:
                copy.write(block)


TABLES = ("locations_location", "cx_audit_feedback", "cx_audit_feedbacktag", "cx_audit_recoveryaction")


def load(locations: int, feedback: int, seed: int = 2026_13) -> dict[str, int]:
    """The chain, then a year of feedback with its tags and recovery actions (Django set up)."""
    from django.db import connection, transaction

    with transaction.atomic():
        chain = create_chain(locations, seed)
        pool = build_pool(chain.brand.pk)
        raw = connection.cursor().cursor  # psycopg 3's own cursor, for COPY
        raw.execute("SET LOCAL session_replication_role = replica")
        copy_locations(raw, chain)
        writer = YearWriter(chain, pool, feedback, seed + 1)
        _copy(raw, "cx_audit_feedback", FEEDBACK_COLUMNS, writer.lines())
        print(
            f"  copying {writer.counts['tags']:,} tags and {writer.counts['recoveries']:,} recovery actions",
            file=sys.stderr,
        )
        _copy(raw, "cx_audit_feedbacktag", TAG_COLUMNS, writer.tags)
        _copy(raw, "cx_audit_recoveryaction", RECOVERY_COLUMNS, writer.recoveries)
        writer.close()
        for table in TABLES[1:]:
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    print("  vacuum analyse", file=sys.stderr)  # stdout carries the figures
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return writer.counts


def load_chain_only(locations: int, seed: int = 2026_13) -> None:
    """The chain without feedback, for the import benchmark (Django set up)."""
    from django.db import connection, transaction

    with transaction.atomic():
        chain = create_chain(locations, seed)
        copy_locations(connection.cursor().cursor, chain)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) locations_location")


def chain_of(brand: Any) -> Chain:
    """The bench chain as `create_chain` made it, read back (the locations as COPY-ordered rows)."""
    from cx_audit.core.models import User
    from locations.models import Location

    names = [name.strip().replace('"', "") for name in LOCATION_COLUMNS.split(",")]
    rows = Location.objects.filter(brand=brand).order_by("pk").values_list(*names)
    users = {user.username: user for user in User.objects.filter(username__startswith="bench-")}
    chain = Chain(brand, users["bench-analyst"], users["bench-admin"], users["bench-partner"])
    chain.locations = [tuple(row) for row in rows]
    return chain
