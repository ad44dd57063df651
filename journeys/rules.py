"""Pure rules of frameworks: no Django, so every path that retires a version asks the same thing.

Auditors can only start an audit against a brand's published framework, so a brand that has one
must keep one: retiring its only published version would stop every audit of the chain until
someone noticed (issue 12, finding 10). A new version replaces the current one by being
published (the old one retires then); the last published version is never retired on its own.
"""

from __future__ import annotations

from enum import StrEnum

PUBLISHED = "published"


class RetireRefusal(StrEnum):
    """Why a version may not be retired (the service words it for people)."""

    NOT_PUBLISHED = "not_published"
    LAST_PUBLISHED = "last_published"


def retire_refusal(*, status: str, other_published: int) -> RetireRefusal | None:
    """Why this version may not be retired, or None when it may.

    ``other_published`` counts the brand's other published versions. The database allows at most
    one published version per brand, so today a published version is always the last one; the
    rule does not lean on that.
    """
    if status != PUBLISHED:
        return RetireRefusal.NOT_PUBLISHED
    if other_published < 1:
        return RetireRefusal.LAST_PUBLISHED
    return None
