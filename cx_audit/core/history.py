"""The change history every tracked model keeps (django-simple-history), stamped with its brand.

Each tracked model declares ``history = TrackedHistory()``: every save and delete then writes a row
to its historical table — who (the signed-in user of the request, through simple-history's
request middleware; DRF sets the token user on the same request), when, the kind of change
and every field as it was after it. Bulk writes bypass ``save()``, so the services that write in
bulk call `bulk_create_tracked` / `bulk_update_tracked` instead of the manager's methods.

Each historical row also keeps the id of the object's brand (``history_brand_id``), found once
when it is written through the model's ``brand_path`` (`cx_audit.core.permissions.brand_id_of`),
so the history of an object stays readable by its brand's HQ admins after the object, or the
framework it belonged to, is gone. Users have no brand of their own (``None``); the history
pages scope their rows through the user's memberships.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cx_audit.core.permissions import brand_id_of


class BrandedHistory(models.Model):
    """What every historical table holds beside simple-history's own columns: the brand."""

    history_brand_id = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """simple-history's records with the brand stamped on, and no row for a save that only
    touched excluded fields (a login updates only ``last_login``: nothing the history keeps)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("bases", [BrandedHistory])
        super().__init__(**options)

    def post_save(
        self, instance: models.Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


def brand_of(instance: models.Model) -> int | None:
    """The brand id of ``instance``, or None when it has none (a user) or its parent is gone."""
    try:
        return brand_id_of(instance)
    except ObjectDoesNotExist:
        return None


@receiver(pre_create_historical_record)
def _stamp_brand(sender: type, instance: models.Model, history_instance: Any, **kwargs: Any) -> None:
    history_instance.history_brand_id = brand_of(instance)


def _brand_attrs(objs: Sequence[models.Model], brand_id: int | None) -> dict[str, Any]:
    """The brand column for a bulk write: the one brand all rows share (bulk writes are per brand),
    given by the caller when it knows it, else found from the first row."""
    return {"history_brand_id": brand_id if brand_id is not None else brand_of(objs[0])}


def bulk_create_tracked(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    user: Any = None,
    brand_id: int | None = None,
    **options: Any,
) -> list[models.Model]:
    """``model.objects.bulk_create(objs)`` plus one "created" history row per object, in bulk.

    Every object must belong to one brand: ``brand_id``, or else the first object's.
    """
    if not objs:
        return []
    return bulk_create_with_history(
        list(objs),
        model,
        default_user=_real_user(user),
        custom_historical_attrs=_brand_attrs(objs, brand_id),
        **options,
    )


def bulk_update_tracked(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    user: Any = None,
    brand_id: int | None = None,
    **options: Any,
) -> int:
    """``model.objects.bulk_update(objs, fields)`` plus one "changed" history row per object."""
    if not objs:
        return 0
    return bulk_update_with_history(
        list(objs),
        model,
        list(fields),
        default_user=_real_user(user),
        custom_historical_attrs=_brand_attrs(objs, brand_id),
        **options,
    )


def _real_user(user: Any) -> Any:
    """A signed-in user, or None (an anonymous user cannot be stored as the author)."""
    return user if getattr(user, "is_authenticated", False) else None
