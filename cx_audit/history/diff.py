"""Which fields one change changed, from the object as it was before and after it (pure: no Django).

A history row holds the whole object as it was *after* a change (for a deletion: as it was when
deleted), so a change is the difference between a row and the object's previous row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

CREATED, CHANGED, DELETED = "+", "~", "-"
KINDS = {CREATED: "created", CHANGED: "changed", DELETED: "deleted"}


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change, as text (None: no value, or not recorded)."""

    field: str
    before: str | None
    after: str | None


def as_text(value: Any) -> str | None:
    """A stored value as a person reads it; equal values read the same (Decimal 1.0 is "1")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def field_changes(
    kind: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    fields: Iterable[str],
) -> list[FieldChange]:
    """The changed fields, in ``fields`` order.

    ``after`` is the history row's values; ``before`` the previous row's (None when there is none:
    a creation, or a change to an object whose history started after it was made). A creation
    lists every field given a value; a deletion every field that had one, going to nothing; a
    change only the fields whose value differs.
    """
    changes = []
    for name in fields:
        new = _text(after.get(name))
        old = None if before is None or kind == DELETED else _text(before.get(name))
        if kind == DELETED:
            old, new = new, None
        if old != new:
            changes.append(FieldChange(name, old, new))
    return changes


def _text(value: Any) -> str | None:
    """No value, an empty text and an empty list all read as "no value" (None)."""
    return None if _empty(value) else as_text(value)
