"""Build the demo chain from `cx_audit.demo.data`, so that running it again changes nothing.

Rows are matched on their natural keys (brand slug, region / franchisee / location codes,
usernames) and written only where they differ: a second run neither duplicates nor touches a
row. The framework is built through `journeys.services`, the only code allowed to change a
framework, and a new version is published only when the demo content differs from the current one.
The year of audits comes last (`demo_history`), through the audit services, and each audit is
recognised on a re-run by its client id.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

from cx_audit.audits.models.audits import Audit
from cx_audit.core.history import bulk_create_tracked, bulk_update_tracked
from cx_audit.demo import actions as demo_actions
from cx_audit.demo import data
from cx_audit.demo import history as demo_history
from cx_audit.demo import voice as demo_voice
from journeys.models import Dimension, Framework, Item, Journey, Section, Stage, Touchpoint
from journeys.services import framework_create, framework_part_save, framework_publish
from locations.models import Brand, Franchisee, Location, Membership, OutletType, Region

CITY_BY_KEY = {city.key: city for city in data.CITIES}
KM_PER_DEGREE = 111.32
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MICRO_DEGREE = Decimal("0.000001")


@dataclass
class Changes:
    """How many rows of each kind this run created or updated; everything else was already right."""

    created: Counter[type[models.Model]] = field(default_factory=Counter)
    updated: Counter[type[models.Model]] = field(default_factory=Counter)

    def record(self, model: type[models.Model], *, created: int = 0, updated: int = 0) -> None:
        self.created[model] += created
        self.updated[model] += updated


@dataclass
class SeedResult:
    brand: Brand
    framework: Framework
    framework_published: bool
    changes: Changes
    history: demo_history.HistorySummary


def seed_demo() -> SeedResult:
    """Create the demo chain, or bring it back to the demo data; the caller owns the transaction."""
    changes = Changes()
    brand = seed_brand(changes)
    regions = seed_regions(brand, changes)
    franchisees = seed_franchisees(brand, changes)
    locations = seed_locations(brand, regions, franchisees, changes)
    users = seed_users(brand, regions, franchisees, locations, changes)
    framework, published = seed_framework(brand, publisher=users["hq-admin"], changes=changes)
    demo_actions.seed_routing(brand)  # before the audits: submitting them opens routed actions
    history = demo_history.seed_history(brand=brand, users=users)
    demo_actions.seed_action_states(brand=brand, users=users)
    demo_voice.seed_voice(brand=brand, users=users).record(changes)  # a year of customer feedback
    changes.record(Audit, created=history.created)
    return SeedResult(
        brand=brand, framework=framework, framework_published=published, changes=changes, history=history
    )


# --- rows keyed by natural keys ---------------------------------------------------------------


def _upsert(
    model: type[models.Model], changes: Changes, lookup: dict[str, Any], values: dict[str, Any]
) -> Any:
    """The row matching `lookup`, created if missing; only fields that differ are saved."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        changes.record(model, created=1)
        return model._default_manager.create(**lookup, **values)
    stale = [name for name, value in values.items() if getattr(obj, name) != value]
    if stale:
        for name in stale:
            setattr(obj, name, values[name])
        obj.save(update_fields=stale)
        changes.record(model, updated=1)
    return obj


def _sync_by_code(
    model: type[models.Model], brand: Brand, rows: list[dict[str, Any]], changes: Changes
) -> dict[str, Any]:
    """Bulk version of `_upsert` for a brand's coded rows; returns every row of the brand by code."""
    existing = {obj.code: obj for obj in model._default_manager.filter(brand=brand)}
    new, stale_rows, stale_fields = [], [], set()
    for values in rows:
        obj = existing.get(values["code"])
        if obj is None:
            obj = model(brand=brand, **values)
            new.append(obj)
        else:
            stale = {name for name, value in values.items() if getattr(obj, name) != value}
            if not stale:
                continue
            for name in stale:
                setattr(obj, name, values[name])
            stale_rows.append(obj)
            stale_fields |= stale
        # Field and cross-field checks catch a typo in the demo data; the database owns uniqueness.
        obj.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_tracked(model, new, brand_id=brand.pk)  # the change history sees the demo data too
    if stale_rows:
        stale_fields |= _touch_auto_now(model, stale_rows)
        bulk_update_tracked(model, stale_rows, sorted(stale_fields), brand_id=brand.pk)
    changes.record(model, created=len(new), updated=len(stale_rows))
    return existing | {obj.code: obj for obj in new}


def _touch_auto_now(model: type[models.Model], objs: list[models.Model]) -> set[str]:
    """bulk_update skips auto_now fields; set them by hand so "updated at" stays true."""
    names = {f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    now = timezone.now()
    for obj in objs:
        for name in names:
            setattr(obj, name, now)
    return names


def _decimal(value: int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- the chain --------------------------------------------------------------------------------


def seed_brand(changes: Changes) -> Brand:
    spec = data.BRAND
    return _upsert(
        Brand,
        changes,
        {"slug": spec.slug},
        {"name": spec.name, "direct_max_city_tier": spec.direct_max_city_tier},
    )


def seed_regions(brand: Brand, changes: Changes) -> dict[str, Region]:
    """One at a time, parents first, because a child needs its parent's id."""
    regions: dict[str, Region] = {}
    for spec in data.REGIONS:
        parent_id = regions[spec.parent].pk if spec.parent else None
        regions[spec.code] = _upsert(
            Region,
            changes,
            {"brand_id": brand.pk, "code": spec.code},
            {"name": spec.name, "parent_id": parent_id},
        )
    return regions


def seed_franchisees(brand: Brand, changes: Changes) -> dict[str, Franchisee]:
    rows = [
        {
            "code": spec.code,
            "name": spec.name,
            "legal_name": spec.legal_name,
            "contact_name": spec.contact_name,
            "contact_email": spec.contact_email,
            "contact_phone": spec.contact_phone,
        }
        for spec in data.FRANCHISEES
    ]
    return _sync_by_code(Franchisee, brand, rows, changes)


def seed_locations(
    brand: Brand, regions: dict[str, Region], franchisees: dict[str, Franchisee], changes: Changes
) -> dict[str, Location]:
    positions: Counter[str] = Counter()
    rows = []
    for spec in data.LOCATIONS:
        rows.append(_location_values(spec, positions[spec.city], regions, franchisees))
        positions[spec.city] += 1
    return _sync_by_code(Location, brand, rows, changes)


def _location_values(
    spec: data.LocationSpec, position: int, regions: dict[str, Region], franchisees: dict[str, Franchisee]
) -> dict[str, Any]:
    city = CITY_BY_KEY[spec.city]
    latitude, longitude = spread_around(city, position)
    return {
        "code": spec.code,
        "name": spec.name,
        "outlet_type": OutletType.AUTHORIZED if spec.franchisee else OutletType.DIRECT,
        "franchisee_id": franchisees[spec.franchisee].pk if spec.franchisee else None,
        "region_id": regions[city.region].pk,
        "address": spec.address,
        "city": city.name,
        "country": "CN",
        "latitude": latitude,
        "longitude": longitude,
        "city_tier": city.tier,
        "status": spec.status,
        "opening_date": date.fromisoformat(spec.opened) if spec.opened else None,
        "floor_area": _decimal(spec.floor_area),
        "annual_revenue": _decimal(spec.revenue),
    }


def spread_around(city: data.CitySpec, position: int) -> tuple[Decimal, Decimal]:
    """A point 1–5 km from the city centre on a sunflower spiral, so a city's stores never overlap.

    Deterministic on purpose: a re-run puts every store exactly where it was, so nothing changes.
    """
    radius_km = 1.0 + 1.3 * math.sqrt(position)
    angle = position * GOLDEN_ANGLE
    centre_lat, centre_lon = float(city.latitude), float(city.longitude)
    latitude = centre_lat + radius_km * math.sin(angle) / KM_PER_DEGREE
    longitude = centre_lon + radius_km * math.cos(angle) / (
        KM_PER_DEGREE * math.cos(math.radians(centre_lat))
    )
    return Decimal(latitude).quantize(MICRO_DEGREE), Decimal(longitude).quantize(MICRO_DEGREE)


# --- people -----------------------------------------------------------------------------------


def seed_users(
    brand: Brand,
    regions: dict[str, Region],
    franchisees: dict[str, Franchisee],
    locations: dict[str, Location],
    changes: Changes,
) -> dict[str, Any]:
    user_model = get_user_model()
    names = [spec.username for spec in data.USERS]
    password = _demo_password_hash(user_model._default_manager.filter(username__in=names))
    users = {}
    for spec in data.USERS:
        users[spec.username] = user = _upsert(
            user_model,
            changes,
            {"username": spec.username},
            {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@{data.USER_EMAIL_DOMAIN}",
                "is_active": True,
                "is_staff": spec.is_staff,
                "is_superuser": spec.role == data.SUPERUSER,
                "password": password,
            },
        )
        if spec.role != data.SUPERUSER:
            _seed_membership(user, brand, spec, regions, franchisees, locations, changes)
    return users


def _demo_password_hash(users: Iterable[Any]) -> str:
    """One hash of the shared demo password, reused while a stored one still matches it.

    Password hashing is slow by design; hashing once per run (and not at all on a re-run) keeps
    the seed at a few seconds, and leaves the users' rows untouched when nothing changed.
    """
    for encoded in {user.password for user in users}:
        if check_password(data.DEMO_PASSWORD, encoded):
            return encoded
    return make_password(data.DEMO_PASSWORD)


def _seed_membership(
    user: Any,
    brand: Brand,
    spec: data.UserSpec,
    regions: dict[str, Region],
    franchisees: dict[str, Franchisee],
    locations: dict[str, Location],
    changes: Changes,
) -> None:
    membership = _upsert(
        Membership,
        changes,
        {"user_id": user.pk, "brand_id": brand.pk},
        {"role": spec.role, "franchisee_id": franchisees[spec.franchisee].pk if spec.franchisee else None},
    )
    # set() writes only the difference, so an unchanged scope is left alone.
    membership.regions.set([regions[code] for code in spec.regions])
    membership.locations.set([locations[code] for code in spec.locations])


# --- the framework ----------------------------------------------------------------------------


def seed_framework(brand: Brand, *, publisher: Any, changes: Changes) -> tuple[Framework, bool]:
    """Publish the demo framework, unless the current version already has exactly this content.

    The demo parts are first built in memory and compared with the current version in one
    canonical form: an unchanged framework costs no writes, and any difference (changed demo
    data, another version published from the admin) gives exactly one new version.
    """
    current = Framework.objects.filter(brand=brand).current().first()
    wanted = content_of(data.FRAMEWORK_NAME, data.FRAMEWORK_DESCRIPTION, build_parts(None, save=_unsaved))
    if current is not None and framework_content(current) == wanted:
        return current, False
    draft = framework_create(brand=brand, name=data.FRAMEWORK_NAME, description=data.FRAMEWORK_DESCRIPTION)
    build_parts(draft, save=_through_service)
    changes.record(Framework, created=1)
    return framework_publish(framework=draft, user=publisher), True


@dataclass
class Parts:
    """Every part of one framework version, saved or not."""

    dimensions: list[Dimension] = field(default_factory=list)
    journeys: list[Journey] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


SavePart = Callable[[Any], Any]


def _unsaved(part: Any) -> Any:
    return part


def _through_service(part: Any) -> Any:
    return framework_part_save(part=part)


def build_parts(framework: Framework | None, *, save: SavePart) -> Parts:
    """The demo framework's parts, parents saved before children (`framework` None: in memory)."""
    parts = Parts()
    for order, spec in enumerate(data.DIMENSIONS, 1):
        parts.dimensions.append(save(_dimension(framework, spec, order)))
    for order, spec in enumerate(data.JOURNEYS, 1):
        _build_journey(framework, spec, order, parts, save)
    for order, spec in enumerate(data.SECTIONS, 1):
        section = Section(
            framework=framework, code=spec.code, name=spec.name, weight=Decimal(spec.weight), order=order
        )
        parts.sections.append(save(section))
    links = (
        {part.code: part for part in parts.sections},
        {part.code: part for part in parts.dimensions},
        {part.code: part for part in parts.touchpoints},
    )
    for order, spec in enumerate(data.ITEMS, 1):
        parts.items.append(save(_item(framework, spec, order, *links)))
    return parts


def _dimension(framework: Framework | None, spec: data.DimensionSpec, order: int) -> Dimension:
    return Dimension(
        framework=framework,
        code=spec.code,
        name=spec.name,
        description=spec.description,
        importance=Decimal(spec.importance),
        expectation=Decimal(spec.expectation),
        ideal=Decimal(spec.ideal),
        order=order,
    )


def _build_journey(
    framework: Framework | None, spec: data.JourneySpec, order: int, parts: Parts, save: SavePart
) -> None:
    journey = save(
        Journey(
            framework=framework, code=spec.code, name=spec.name, description=spec.description, order=order
        )
    )
    parts.journeys.append(journey)
    for stage_order, stage_spec in enumerate(spec.stages, 1):
        stage = save(Stage(journey=journey, name=stage_spec.name, phase=stage_spec.phase, order=stage_order))
        parts.stages.append(stage)
        for tp_order, tp in enumerate(stage_spec.touchpoints, 1):
            touchpoint = Touchpoint(
                stage=stage, code=tp.code, name=tp.name, channel=tp.channel, order=tp_order
            )
            parts.touchpoints.append(save(touchpoint))


def _item(
    framework: Framework | None,
    spec: data.ItemSpec,
    order: int,
    sections: dict[str, Section],
    dimensions: dict[str, Dimension],
    touchpoints: dict[str, Touchpoint],
) -> Item:
    band_direct = spec.band_direct or (None, None)
    band_authorized = spec.band_authorized or (None, None)
    return Item(
        framework=framework,
        section=sections[spec.section],
        code=spec.code,
        question=spec.question,
        guidance=spec.guidance,
        answer_type=spec.answer_type,
        weight=Decimal(spec.weight),
        critical=spec.critical,
        photo_required=spec.photo_required,
        na_allowed=spec.na_allowed,
        applies_to_direct=spec.only != OutletType.AUTHORIZED,
        applies_to_authorized=spec.only != OutletType.DIRECT,
        target_direct=_decimal(spec.target[0]),
        target_authorized=_decimal(spec.target[1]),
        pass_fail=spec.pass_fail,
        price_min_pct_direct=_decimal(band_direct[0]),
        price_max_pct_direct=_decimal(band_direct[1]),
        price_min_pct_authorized=_decimal(band_authorized[0]),
        price_max_pct_authorized=_decimal(band_authorized[1]),
        required_terms=list(spec.required),
        forbidden_terms=list(spec.forbidden),
        touchpoint=touchpoints[spec.touchpoint] if spec.touchpoint else None,
        dimension=dimensions[spec.dimension] if spec.dimension else None,
        order=order,
    )


def framework_content(framework: Framework) -> dict[str, Any]:
    """A stored version's content in the form `content_of` gives."""
    parts = Parts(
        dimensions=list(framework.dimensions.all()),
        journeys=list(framework.journeys.all()),
        stages=list(Stage.objects.filter(journey__framework=framework).select_related("journey")),
        touchpoints=list(
            Touchpoint.objects.filter(stage__journey__framework=framework).select_related("stage__journey")
        ),
        sections=list(framework.sections.all()),
        items=list(framework.items.select_related("section", "dimension", "touchpoint__stage__journey")),
    )
    return content_of(framework.name, framework.description, parts)


_LINKS = {"id", "framework", "section", "journey", "stage", "dimension", "touchpoint"}


def content_of(name: str, description: str, parts: Parts) -> dict[str, Any]:
    """Parts keyed by their natural keys instead of ids: equal exactly when the checklists are."""
    return {
        "framework": (name, description),
        "dimensions": {d.code: _fields(d) for d in parts.dimensions},
        "journeys": {j.code: _fields(j) for j in parts.journeys},
        "stages": {_stage_key(s): _fields(s) for s in parts.stages},
        "touchpoints": {_touchpoint_key(t): _fields(t) for t in parts.touchpoints},
        "sections": {s.code: _fields(s) for s in parts.sections},
        "items": {
            i.code: {
                **_fields(i),
                "section": i.section.code,
                "dimension": i.dimension.code if i.dimension else None,
                "touchpoint": _touchpoint_key(i.touchpoint) if i.touchpoint else None,
            }
            for i in parts.items
        },
    }


def _fields(part: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(part, f.attname) for f in part._meta.concrete_fields if f.name not in _LINKS}


def _stage_key(stage: Stage) -> tuple[str, int, str]:
    return (stage.journey.code, stage.order, stage.name)


def _touchpoint_key(touchpoint: Touchpoint) -> tuple[str, int, str, str]:
    return (*_stage_key(touchpoint.stage), touchpoint.code)
