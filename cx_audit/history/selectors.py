"""Reading the change history: one list over every history table, scoped to the user's brands.

Each tracked model has its own history table (`cx_audit.history.tracked`). The list is a UNION of
those tables' common columns — when, who, what kind of change, which object, which brand —
filtered in each table and sorted once, so paging costs the same however many tables there are.
Only the rows of the page shown are then read whole, a few queries per kind of object, to name
the object and to work out the changed fields against each row's previous row (`diff`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from simple_history.utils import get_m2m_reverse_field_name

from cx_audit.core.scope import access_scope
from cx_audit.history.diff import KINDS, FieldChange, field_changes
from cx_audit.history.tracked import BY_KEY, TRACKED, Tracked, shown_fields
from locations.models import Membership

COLUMNS = ("history_id", "history_date", "history_type", "history_user_id", "history_brand_id", "id")


def can_read_history(user: Any) -> bool:
    """HQ admins (of any brand) and superusers read the history; nobody else (403)."""
    scope = access_scope(user)
    return scope.is_superuser or bool(scope.admin_brand_ids)


def history_brand_ids(user: Any) -> frozenset[int] | None:
    """The brands whose history the user reads; None: every brand (a superuser)."""
    scope = access_scope(user)
    return None if scope.is_superuser else scope.admin_brand_ids


def members_of(brand_ids: Iterable[int]) -> QuerySet:
    """The users with a role in these brands (a user's own history has no brand: it follows them)."""
    return Membership.objects.filter(brand_id__in=list(brand_ids)).values("user_id")


def scoped(tracked: Tracked, user: Any) -> QuerySet:
    """The history rows of one model the user may read."""
    rows = tracked.history.objects.all()
    brands = history_brand_ids(user)
    if brands is None:
        return rows
    if tracked.key == "user":
        return rows.filter(id__in=members_of(brands))
    return rows.filter(history_brand_id__in=brands)


def for_brand(rows: QuerySet, tracked: Tracked, brand_id: int) -> QuerySet:
    if tracked.key == "user":
        return rows.filter(id__in=members_of([brand_id]))
    return rows.filter(history_brand_id=brand_id)


def for_object(rows: QuerySet, tracked: Tracked, key: str, pk: int) -> QuerySet:
    """The rows of object ``key:pk`` and of the records that belong to it (none of other models)."""
    if tracked.key == key:
        return rows.filter(id=pk)
    if tracked.parent and tracked.parent[0] == key:
        return rows.filter(**{tracked.parent[1]: pk})
    return rows.none()


def history_list(tables: dict[str, QuerySet]) -> QuerySet:
    """One list, newest first, over the given (already filtered) history tables."""
    parts = [
        rows.order_by().annotate(model_key=Value(key, output_field=CharField())).values(*COLUMNS, "model_key")
        for key, rows in tables.items()
    ]
    if not parts:
        return BY_KEY["brand"].history.objects.none().values(*COLUMNS)
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class Entry:
    """One change as the page and the API show it."""

    model: str
    model_label: str
    object_id: int
    object_label: str
    kind: str
    date: datetime
    user_id: int | None
    user: str
    brand_id: int | None
    changes: list[FieldChange]


def entries(rows: Sequence[dict[str, Any]]) -> list[Entry]:
    """The page's rows, each with its object named and its changed fields; a few queries per model."""
    by_model: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_model[row["model_key"]].append(row["history_id"])
    built: dict[tuple[str, int], Entry] = {}
    for key, ids in by_model.items():
        for entry_id, entry in _entries_of(BY_KEY[key], ids):
            built[(key, entry_id)] = entry
    return [built[(row["model_key"], row["history_id"])] for row in rows]


def _entries_of(tracked: Tracked, history_ids: list[int]) -> Iterable[tuple[int, Entry]]:
    history = tracked.history
    previous = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    records = list(
        history.objects.filter(history_id__in=history_ids)
        .select_related("history_user", *_label_relations(tracked))
        .annotate(previous_id=Subquery(previous))
    )
    before = {
        r.history_id: r
        for r in history.objects.filter(history_id__in=[r.previous_id for r in records if r.previous_id])
    }
    m2m = _m2m_values(tracked, [r.history_id for r in records] + list(before))
    fields = shown_fields(tracked)
    m2m_names = [f.name for f in history._history_m2m_fields]
    for record in records:
        prior = before.get(record.previous_id)
        after = _values(record, fields) | m2m.get(record.history_id, {})
        old = None if prior is None else _values(prior, fields) | m2m.get(prior.history_id, {})
        yield (
            record.history_id,
            Entry(
                model=tracked.key,
                model_label=tracked.label,
                object_id=record.id,
                object_label=object_label(tracked, record),
                kind=KINDS[record.history_type],
                date=record.history_date,
                user_id=record.history_user_id,
                user=record.history_user.get_username() if record.history_user else "",
                brand_id=record.history_brand_id,
                changes=field_changes(record.history_type, old, after, [*fields, *m2m_names]),
            ),
        )


def _values(record: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in fields}


def _m2m_values(tracked: Tracked, history_ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """For models tracking many-to-many fields (a membership's regions and locations): the ids each
    history row held, one query per field."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    history = tracked.history
    for field in history._history_m2m_fields:
        through = history._meta.get_field(f"{history._meta.model_name}_{field.name}").related_model
        target = f"{get_m2m_reverse_field_name(field)}_id"
        for history_id, value in through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", target
        ):
            found[history_id][field.name].append(value)
    return {hid: {name: sorted(ids) for name, ids in fields.items()} for hid, fields in found.items()}


def _label_relations(tracked: Tracked) -> list[str]:
    """What the model's ``__str__`` follows, read with the rows (no query per row)."""
    return {
        "membership": ["user", "brand"],
        "stage": ["journey"],
        "audit": ["location"],
        "auditplan": ["brand"],
    }.get(tracked.key, [])


def object_label(tracked: Tracked, record: Any) -> str:
    """The object as its model names it, as it was then (its ``__str__`` run on the history row)."""
    try:
        return str(tracked.model.__str__(record))
    except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
        return f"{tracked.label} #{record.id}"


MODEL_CHOICES = [(tracked.key, tracked.label) for tracked in TRACKED]


def filtered_history(user: Any, filterset: Any) -> QuerySet:
    """The history the user may read, narrowed by a bound, valid `HistoryFilterSet`."""
    tables = {key: filterset.filter_queryset(scoped(BY_KEY[key], user)) for key in filterset.tables()}
    return history_list(tables)
