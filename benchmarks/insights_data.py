"""A chain of N locations with 4 submitted audits each, loaded into PostgreSQL with COPY.

For the insights benchmark (`benchmarks/insights.py`); never used by the test suite. The chain:
4 countries' worth of regions (4 top regions × 5 sub-regions), one franchisee per 50 locations,
a quarter of the stores direct, 100 cities over tiers 1–4; a published framework of 150 items
in 6 sections, 6 dimensions and 12 touchpoints (yes/no, 1–5 ratings and targets; weights 1–3;
6 critical; 10 items only for authorized outlets, 5 only for direct stores, some N/A allowed).

Each location has a quality of its own; its audits land about 330, 230, 130 and 40 days ago
(± 30), so every location has its latest two audits in the default 180-day window. Results
are worked out here with the rules of docs/scoring.md (equal section weights, the critical cap
of 50, the default bands, repeat findings against the previous audit, the Delta model) and
written the way `audit_submit` writes them: one ItemResult per item (6 million at 10,000
locations), one SectionResult per section, one DimensionResult per dimension.

Foreign-key triggers are off during the load (``session_replication_role = replica``: the ids
are generated here and consistent), and the tables are vacuumed and analysed afterwards.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tqdm import tqdm

SECTIONS = ("signage", "display", "staffing", "pricing", "service", "after-sales")
DIMENSIONS = (  # code, importance, expectation, ideal
    ("product", 9, 8, 9),
    ("service", 8, 7, 9),
    ("relationship", 6, 6, 8),
    ("price", 9, 7, 8),
    ("convenience", 5, 6, 7),
    ("brand_image", 7, 7, 9),
)
TOUCHPOINTS = 12
ITEMS = 150
AUDITS_PER_LOCATION = 4
DAYS_AGO = (330, 230, 130, 40)
TOP_REGIONS = ("N", "S", "E", "W")
SUB_REGIONS = 5
CITIES = 100
BANDS = ((90, "Excellent"), (75, "Good"), (60, "Needs improvement"), (0, "Poor"))
CAP = Decimal(50)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ItemSpec:
    id: int
    code: str
    section: str
    dimension: str
    kind: str  # yes_no | rating | number
    weight: int
    critical: bool
    direct: bool
    authorized: bool
    na_allowed: bool


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _band(score: Decimal) -> str:
    return next(name for floor, name in BANDS if score >= floor)


def create_chain(size: int, seed: int = 20261) -> dict[str, Any]:
    """The brand, users, regions, franchisees and the published framework, through the ORM."""
    from cx_audit.core.choices import Role
    from cx_audit.core.models import User
    from journeys.models import (
        AnswerType,
        Channel,
        Dimension,
        Framework,
        Item,
        Journey,
        Phase,
        Section,
        Stage,
        Touchpoint,
    )
    from journeys.services import framework_publish
    from locations.models import Brand, Franchisee, Membership, Region

    rng = random.Random(seed)
    brand = Brand.objects.create(name="Bench chain", slug="bench")
    auditor = User.objects.create_user("bench-auditor", password="bench-pass-2026")
    analyst = User.objects.create_user("bench-analyst", password="bench-pass-2026")
    Membership.objects.create(user=auditor, brand=brand, role=Role.AUDITOR)
    Membership.objects.create(user=analyst, brand=brand, role=Role.HQ_ANALYST)
    leaves = []
    for top_code in TOP_REGIONS:
        top = Region.objects.create(brand=brand, code=top_code, name=f"Region {top_code}")
        for n in range(SUB_REGIONS):
            code = f"{top_code}{n + 1}"
            leaves.append(Region.objects.create(brand=brand, code=code, name=f"Area {code}", parent=top))
    franchisees = Franchisee.objects.bulk_create(
        Franchisee(brand=brand, code=f"F{n:04d}", name=f"Partner {n:04d} Trading Co.")
        for n in range(max(1, size // 50))
    )
    framework = Framework.objects.create(brand=brand, version=1, name="Bench standard")
    dimensions = {
        code: Dimension.objects.create(
            framework=framework,
            code=code,
            name=code.replace("_", " ").title(),
            importance=importance,
            expectation=expectation,
            ideal=ideal,
            order=n,
        )
        for n, (code, importance, expectation, ideal) in enumerate(DIMENSIONS)
    }
    journey = Journey.objects.create(framework=framework, code="buy", name="Buy in store")
    stages = [
        Stage.objects.create(journey=journey, name=name, phase=phase, order=n)
        for n, (name, phase) in enumerate(
            (("Arrive", Phase.BEFORE), ("Buy", Phase.DURING), ("After", Phase.AFTER))
        )
    ]
    touchpoints = [
        Touchpoint.objects.create(
            stage=stages[n % 3],
            code=f"tp-{n:02d}",
            name=f"Touchpoint {n:02d}",
            channel=Channel.IN_STORE,
            order=n,
        )
        for n in range(TOUCHPOINTS)
    ]
    sections = {
        code: Section.objects.create(framework=framework, code=code, name=code.title(), order=n)
        for n, code in enumerate(SECTIONS)
    }
    kinds = ("yes_no",) * 6 + ("rating",) * 3 + ("number",)
    kind_of = ["yes_no" if n % 25 == 7 else kinds[n % len(kinds)] for n in range(ITEMS)]  # critical: yes/no
    items = []
    for n in range(ITEMS):
        kind = kind_of[n]
        items.append(
            Item(
                framework=framework,
                section=sections[SECTIONS[n % len(SECTIONS)]],
                code=f"STD-{n:03d}",
                question=f"Standard {n:03d} is met",
                answer_type={"yes_no": AnswerType.YES_NO, "rating": AnswerType.RATING}.get(
                    kind, AnswerType.NUMBER
                ),
                weight=1 + n % 3,
                critical=n % 25 == 7,
                applies_to_direct=not n < 10,
                applies_to_authorized=not 10 <= n < 15,
                na_allowed=n % 13 == 0,
                target_direct=Decimal(8) if kind == "number" else None,
                target_authorized=Decimal(4) if kind == "number" else None,
                touchpoint=touchpoints[n % TOUCHPOINTS],
                dimension=dimensions[DIMENSIONS[n % len(DIMENSIONS)][0]],
                order=n,
            )
        )
    Item.objects.bulk_create(items)
    framework_publish(framework=framework)
    specs = [
        ItemSpec(
            id=item.pk,
            code=item.code,
            section=item.section.code,
            dimension=item.dimension.code,
            kind=kind_of[n],
            weight=int(item.weight),
            critical=item.critical,
            direct=item.applies_to_direct,
            authorized=item.applies_to_authorized,
            na_allowed=item.na_allowed,
        )
        for n, item in enumerate(items)
    ]
    rng.shuffle(leaves)
    return {
        "brand": brand,
        "auditor": auditor,
        "analyst": analyst,
        "framework": framework,
        "regions": leaves,
        "franchisees": franchisees,
        "items": specs,
        "sections": {code: section.pk for code, section in sections.items()},
        "dimensions": {code: dimension.pk for code, dimension in dimensions.items()},
    }


def _tsv(values: tuple) -> str:
    return "\t".join("\\N" if value is None else str(value) for value in values) + "\n"


def _answer(
    rng: random.Random, spec: ItemSpec, quality: float, direct: bool
) -> tuple[str, Decimal | None, str]:
    """(outcome, fraction, reason) of one item at one audit."""
    if not (spec.direct if direct else spec.authorized):
        return "not_applicable", None, "does not apply to this outlet type"
    draw = rng.random()
    if spec.na_allowed and draw < 0.05:
        return "na", None, "N/A"
    if draw > 0.985:
        return "cannot_check", None, "cannot check"
    if spec.critical:  # stores rarely break the critical rules: about one audit in six fails one
        quality = 1 - (1 - quality) * 0.1
    if spec.kind == "yes_no":
        yes = rng.random() < quality
        return ("pass", Decimal(1), "yes → 1") if yes else ("fail", Decimal(0), "no → 0")
    if spec.kind == "rating":
        rating = max(1, min(5, round(1 + 4 * quality + rng.gauss(0, 1))))
        fraction = Decimal(rating - 1) / 4
        outcome = "pass" if rating == 5 else "fail" if rating == 1 else "partial"
        return outcome, fraction, f"rated {rating} of 5 → {fraction:.2f}"
    target = 8 if direct else 4
    value = max(0, min(target + 2, round(target * quality + rng.gauss(0, 1))))
    fraction = min(Decimal(value) / target, Decimal(1)).quantize(Decimal("0.0001"))
    outcome = "pass" if fraction == 1 else "fail" if fraction == 0 else "partial"
    return outcome, fraction, f"{value} of target {target} → {fraction:.2f}"


class ChainWriter:
    """Works out every audit of every location and streams the rows to COPY."""

    def __init__(self, chain: dict[str, Any], size: int, seed: int = 20261) -> None:
        self.chain = chain
        self.size = size
        self.rng = random.Random(seed + size)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.audits: list[tuple] = []
        self.sections: list[tuple] = []
        self.dimensions: list[tuple] = []
        self.locations: list[tuple] = []
        self.next_ids = {"audit": 1, "item": 1, "section": 1, "dimension": 1}

    def location_rows(self) -> list[tuple]:
        chain, rng = self.chain, self.rng
        brand_id = chain["brand"].pk
        now = self.now.isoformat()
        rows = []
        for n in range(self.size):
            direct = n % 4 == 0
            city = n % CITIES
            tier = 1 if city < 10 else 2 if city < 35 else 3 if city < 70 else 4
            franchisee = None if direct else chain["franchisees"][n % len(chain["franchisees"])].pk
            region = chain["regions"][city % len(chain["regions"])].pk
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
                    now,
                    now,
                    brand_id,
                    franchisee,
                    region,
                )
            )
        self.locations = rows
        return rows

    def item_lines(self) -> Iterator[str]:
        """Every ItemResult row as COPY text, audit by audit; fills the audit, section, dimension rows."""
        chain, rng = self.chain, self.rng
        specs: list[ItemSpec] = chain["items"]
        framework_id, brand_id, auditor_id = chain["framework"].pk, chain["brand"].pk, chain["auditor"].pk
        importance = {code: (imp, exp, ideal) for code, imp, exp, ideal in DIMENSIONS}
        for location in tqdm(
            self.locations, desc=f"audits of {self.size:,} locations", unit="loc", mininterval=1
        ):
            location_id, direct = location[0], location[3] == "direct"
            quality = min(0.99, max(0.35, rng.betavariate(6, 2)))
            previous_failures: set[str] = set()
            for days in DAYS_AGO:
                audit_id = self.next_ids["audit"]
                self.next_ids["audit"] += 1
                submitted = self.now - timedelta(
                    days=days + rng.randint(-30, 30), minutes=rng.randint(0, 600)
                )
                drift = max(0.2, min(0.995, quality + rng.gauss(0, 0.06)))
                section_sums = {code: [Decimal(0), Decimal(0), 0, 0, 0, 0] for code in SECTIONS}
                dimension_sums = {code: [Decimal(0), Decimal(0)] for code in importance}
                failures: set[str] = set()
                critical = False
                counts = {"na": 0, "cannot_check": 0, "repeat": 0, "failed": 0}
                buffer = io.StringIO()
                for spec in specs:
                    outcome, fraction, reason = _answer(rng, spec, drift, direct)
                    scored = fraction is not None
                    possible = Decimal(spec.weight) if scored else Decimal(0)
                    earned = (possible * fraction).quantize(Decimal("0.0001")) if scored else Decimal(0)
                    failed = outcome in ("fail", "partial")
                    repeat = failed and spec.code in previous_failures
                    if failed:
                        failures.add(spec.code)
                        counts["failed"] += 1
                    counts["repeat"] += repeat
                    if outcome in ("na", "cannot_check"):
                        counts[outcome] += 1
                    critical |= spec.critical and failed
                    sums = section_sums[spec.section]
                    if scored:
                        sums[0] += earned
                        sums[1] += possible
                        dimension_sums[spec.dimension][0] += earned
                        dimension_sums[spec.dimension][1] += possible
                    sums[2] += outcome == "pass"
                    sums[3] += failed
                    sums[4] += outcome == "na"
                    sums[5] += outcome == "cannot_check"
                    buffer.write(
                        _tsv(
                            (
                                self.next_ids["item"],
                                audit_id,
                                spec.id,
                                spec.code,
                                spec.section,
                                spec.dimension,
                                outcome,
                                earned,
                                possible,
                                fraction,
                                reason,
                                "[]",
                                "[]",
                                "t" if spec.critical and failed else "f",
                                "t" if repeat else "f",
                            )
                        )
                    )
                    self.next_ids["item"] += 1
                yield buffer.getvalue()
                previous_failures = failures
                section_scores = []
                for code, (earned, possible, passed, failed, na, cannot) in section_sums.items():
                    score = _round(100 * earned / possible) if possible else None
                    if score is not None:
                        section_scores.append(score)
                    self.sections.append(
                        (
                            self.next_ids["section"],
                            audit_id,
                            chain["sections"][code],
                            code,
                            earned,
                            possible,
                            score,
                            Decimal(1),
                            passed,
                            failed,
                            na,
                            cannot,
                        )
                    )
                    self.next_ids["section"] += 1
                raw = _round(sum(section_scores) / len(section_scores))
                score = min(raw, CAP) if critical else raw
                deltas = []
                for code, (earned, possible) in dimension_sums.items():
                    imp, exp, ideal = importance[code]
                    experience = _round(10 * earned / possible) if possible else None
                    satisfaction = None if experience is None else experience - exp
                    weighted = None if satisfaction is None else _round(imp * satisfaction)
                    deltas.append(
                        [code, earned, possible, experience, imp, exp, ideal, satisfaction, weighted]
                    )
                losing = sorted(
                    (d for d in deltas if d[8] is not None and d[8] < 0), key=lambda d: (d[8], d[0])
                )
                keys = [d[0] for d in losing]
                for code, earned, possible, experience, imp, exp, ideal, satisfaction, weighted in deltas:
                    self.dimensions.append(
                        (
                            self.next_ids["dimension"],
                            audit_id,
                            chain["dimensions"][code],
                            code,
                            earned,
                            possible,
                            experience,
                            imp,
                            exp,
                            ideal,
                            satisfaction,
                            weighted,
                            None if experience is None else experience - ideal,
                            keys.index(code) + 1 if code in keys else None,
                        )
                    )
                    self.next_ids["dimension"] += 1
                self.audits.append(
                    (
                        audit_id,
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "unannounced" if rng.random() < 0.15 else "scheduled",
                        "submitted",
                        (submitted - timedelta(hours=1)).isoformat(),
                        submitted.isoformat(),
                        location[3],
                        location[9],
                        score,
                        raw,
                        "t" if critical else "f",
                        _band(score),
                        counts["na"],
                        counts["cannot_check"],
                        counts["repeat"],
                        counts["failed"],
                        "",
                        submitted.isoformat(),
                        auditor_id,
                        brand_id,
                        framework_id,
                        location[14],
                        location_id,
                        location[15],
                        "f",
                    )
                )


COPY = {
    "locations_location": (
        "id, code, name, outlet_type, address, city, country, latitude, longitude, city_tier, status, "
        "created_at, updated_at, brand_id, franchisee_id, region_id"
    ),
    "cx_audit_itemresult": (
        "id, audit_id, item_id, item_code, section_code, dimension_code, outcome, earned, possible, "
        "fraction, reason, matched_required, matched_forbidden, critical_failed, repeat"
    ),
    "cx_audit_sectionresult": (
        "id, audit_id, section_id, section_code, earned, possible, score, weight, passed, failed, na, "
        "cannot_check"
    ),
    "cx_audit_dimensionresult": (
        "id, audit_id, dimension_id, dimension_code, earned, possible, experience, importance, expectation, "
        "ideal, satisfaction, weighted_satisfaction, ideal_gap, key_rank"
    ),
    "cx_audit_audit": (
        "id, uuid, kind, status, started_at, submitted_at, outlet_type, city_tier, score, raw_score, "
        "critical_failure, band, na_count, cannot_check_count, repeat_count, failed_count, void_reason, "
        "updated_at, auditor_id, brand_id, framework_id, franchisee_id, location_id, region_id, "
        "outside_geofence"
    ),
}


def load(size: int) -> None:
    """Create the chain through the ORM, then COPY locations, audits and results (Django set up)."""
    from django.db import connection, transaction

    with transaction.atomic():
        chain = create_chain(size)
        writer = ChainWriter(chain, size)
        cursor = connection.cursor()
        raw = cursor.cursor  # psycopg 3's own cursor, for COPY
        raw.execute("SET LOCAL session_replication_role = replica")
        _copy_rows(raw, "locations_location", writer.location_rows())
        with raw.copy(f"COPY cx_audit_itemresult ({COPY['cx_audit_itemresult']}) FROM STDIN") as copy:
            chunk: list[str] = []
            for lines in writer.item_lines():
                chunk.append(lines)
                if len(chunk) >= 200:
                    copy.write("".join(chunk))
                    chunk = []
            copy.write("".join(chunk))
        for table, rows in (
            ("cx_audit_audit", writer.audits),
            ("cx_audit_sectionresult", writer.sections),
            ("cx_audit_dimensionresult", writer.dimensions),
        ):
            _copy_rows(raw, table, rows)
        for table in COPY:
            raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    # Vacuumed as well as analysed, as autovacuum leaves a table after a bulk load: the visibility map
    # and statistics of a production database (the planner chooses differently on a table never
    # vacuumed, and the benchmark server may run without autovacuum).
    with connection.cursor() as cursor:
        for table in COPY:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _copy_rows(raw: Any, table: str, rows: list[tuple]) -> None:
    with raw.copy(f"COPY {table} ({COPY[table]}) FROM STDIN") as copy:
        copy.write(
            "".join(_tsv(row) for row in tqdm(rows, desc=table, unit="row", mininterval=1, leave=False))
        )
