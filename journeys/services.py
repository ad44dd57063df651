"""Services of the framework: the only code that changes a framework or any of its parts.

The rule they guarantee: a published (or retired) version never changes. Audits point at
the version they were taken against, so a change there would silently rewrite history.
Admin pages and the API both go through these functions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.core.errors import StateConflict
from cx_audit.core.history import bulk_create_tracked
from journeys.models import Dimension, Framework, FrameworkStatus, Item, Journey, Section, Stage, Touchpoint
from journeys.rules import RetireRefusal, retire_refusal
from locations.models import Brand

FrameworkPart = Dimension | Journey | Stage | Touchpoint | Section | Item


class FrameworkFrozen(StateConflict):
    """Raised on any attempt to change a framework version that is no longer a draft."""

    field = "framework"

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        super().__init__(
            _("%(name)s v%(version)s is %(status)s and can no longer change; start a new version.")
            % {
                "name": framework.name,
                "version": framework.version,
                "status": framework.get_status_display().lower(),
            }
        )


class LastPublishedFramework(StateConflict):
    """Raised on retiring the brand's only published version: auditors could start no audit."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        super().__init__(
            _("This is the only published framework of %(brand)s; publish a new version first.")
            % {"brand": framework.brand}
        )


def framework_of(part: FrameworkPart) -> Framework:
    """Follow the part's `framework_path` (e.g. ``stage__journey__framework``) up to its framework."""
    node: Any = part
    for attr in type(part).framework_path.split("__"):
        node = getattr(node, attr)
    return node


def ensure_draft(framework: Framework) -> None:
    """Refuse to go on unless the framework, as stored now, is still a draft."""
    status = Framework.objects.filter(pk=framework.pk).values_list("status", flat=True).first()
    if status is not None and status != FrameworkStatus.DRAFT:
        framework.status = status
        raise FrameworkFrozen(framework)


def framework_create(*, brand: Brand, name: str, description: str = "") -> Framework:
    """Start a new, empty draft version for a brand."""
    with transaction.atomic():
        version = _next_version(brand)
        return Framework.objects.create(brand=brand, version=version, name=name, description=description)


def framework_update(*, framework: Framework, **fields: Any) -> Framework:
    """Change a draft's name or description."""
    with transaction.atomic():
        ensure_draft(framework)
        for name in fields.keys() - {"name", "description"}:
            raise ValidationError({name: _("This field cannot be changed here.")})
        for name, value in fields.items():
            setattr(framework, name, value)
        framework.full_clean()
        framework.save()
    return framework


def framework_delete(*, framework: Framework) -> None:
    """Delete a draft; published and retired versions stay forever."""
    with transaction.atomic():
        ensure_draft(framework)
        framework.delete()


def framework_publish(*, framework: Framework, user: Any = None) -> Framework:
    """Freeze a draft and make it the brand's current version; the previous one retires."""
    with transaction.atomic():
        # Lock the brand's versions so two publishes cannot both become current.
        list(Framework.objects.select_for_update().filter(brand_id=framework.brand_id))
        framework.refresh_from_db()
        if not framework.is_draft:
            raise FrameworkFrozen(framework)
        _check_publishable(framework)
        now = timezone.now()
        # One by one (there is at most one), so the change history records the retirement too.
        for current in Framework.objects.filter(
            brand_id=framework.brand_id, status=FrameworkStatus.PUBLISHED
        ):
            current.status, current.retired_at = FrameworkStatus.RETIRED, now
            current.save(update_fields=["status", "retired_at"])
        framework.status = FrameworkStatus.PUBLISHED
        framework.published_at = now
        framework.published_by = user if getattr(user, "is_authenticated", False) else None
        framework.save(update_fields=["status", "published_at", "published_by"])
    return framework


def framework_retire(*, framework: Framework) -> Framework:
    """Take a published version out of use without a successor — never the brand's last one
    (`journeys.rules.retire_refusal`): a new version replaces the current one by being published."""
    with transaction.atomic():
        published = list(
            Framework.objects.select_for_update()
            .filter(brand_id=framework.brand_id, status=FrameworkStatus.PUBLISHED)
            .values_list("pk", flat=True)
        )
        framework.refresh_from_db()
        refusal = retire_refusal(
            status=framework.status, other_published=len([pk for pk in published if pk != framework.pk])
        )
        if refusal is RetireRefusal.NOT_PUBLISHED:
            raise ValidationError({"status": _("Only the published version can be retired.")})
        if refusal is RetireRefusal.LAST_PUBLISHED:
            raise LastPublishedFramework(framework)
        framework.status = FrameworkStatus.RETIRED
        framework.retired_at = timezone.now()
        framework.save(update_fields=["status", "retired_at"])
    return framework


def framework_new_version(*, framework: Framework, name: str | None = None) -> Framework:
    """Copy a version, every part included, into a new draft that can then be edited."""
    with transaction.atomic():
        draft = Framework.objects.create(
            brand_id=framework.brand_id,
            version=_next_version(framework.brand),
            name=name or framework.name,
            description=framework.description,
            based_on=framework,
        )
        _copy_parts(framework, draft)
    return draft


def framework_part_save(*, part: FrameworkPart) -> FrameworkPart:
    """Validate and save a part of a draft (new or changed); frozen versions refuse."""
    with transaction.atomic():
        if part.pk is not None:
            stored = type(part).objects.get(pk=part.pk)
            ensure_draft(framework_of(stored))
        ensure_draft(framework_of(part))
        part.full_clean()
        part.save()
    return part


def framework_part_delete(*, part: FrameworkPart) -> None:
    """Delete a part of a draft; frozen versions refuse."""
    with transaction.atomic():
        ensure_draft(framework_of(part))
        part.delete()


def _next_version(brand: Brand) -> int:
    latest = Framework.objects.filter(brand=brand).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def _check_publishable(framework: Framework) -> None:
    """A version auditors will use must be complete and every item valid."""
    items = list(
        Item.objects.filter(framework=framework).select_related(
            "section", "dimension", "touchpoint__stage__journey"
        )
    )
    if not items:
        raise ValidationError({"items": _("A framework needs at least one checklist item.")})
    if not Dimension.objects.filter(framework=framework).exists():
        raise ValidationError({"dimensions": _("A framework needs at least one dimension.")})
    problems = []
    for item in items:
        try:
            item.clean()
        except ValidationError as error:
            problems.append(f"{item.code}: {'; '.join(error.messages)}")
    if problems:
        raise ValidationError({"items": problems})


def _clone(obj: models.Model, **overrides: Any) -> models.Model:
    """An unsaved copy of a row with some foreign keys replaced."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(overrides)
    return type(obj)(**values)


def _copy_parts(source: Framework, draft: Framework) -> None:
    """Copy each level with one bulk insert, mapping old ids to new ones level by level."""
    brand = draft.brand_id
    dimensions = _bulk_copy(Dimension.objects.filter(framework=source), brand, framework_id=draft.pk)
    journeys = _bulk_copy(Journey.objects.filter(framework=source), brand, framework_id=draft.pk)
    stages = _bulk_copy(
        Stage.objects.filter(journey__framework=source),
        brand,
        journey_id=lambda s: journeys[s.journey_id],
    )
    touchpoints = _bulk_copy(
        Touchpoint.objects.filter(stage__journey__framework=source),
        brand,
        stage_id=lambda t: stages[t.stage_id],
    )
    sections = _bulk_copy(Section.objects.filter(framework=source), brand, framework_id=draft.pk)
    _bulk_copy(
        Item.objects.filter(framework=source),
        brand,
        framework_id=draft.pk,
        section_id=lambda i: sections[i.section_id],
        dimension_id=lambda i: dimensions.get(i.dimension_id),
        touchpoint_id=lambda i: touchpoints.get(i.touchpoint_id),
    )


def _bulk_copy(queryset: models.QuerySet, brand_id: int, **overrides: Any) -> dict[int, int]:
    """Insert copies of the rows; return {old id: new id}. Callables compute per-row values."""
    originals = list(queryset.order_by("pk"))
    copies = [
        _clone(row, **{k: v(row) if callable(v) else v for k, v in overrides.items()}) for row in originals
    ]
    # With their "created" history rows; every copy belongs to the draft's brand.
    created = bulk_create_tracked(queryset.model, copies, brand_id=brand_id)
    return {old.pk: new.pk for old, new in zip(originals, created, strict=True)}
