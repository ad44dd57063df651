"""Who reads the customer's voice (`visible_to`) and who changes its settings (`managed_by`).

HQ roles read everything of their brands. A franchisee reads the feedback and recovery actions of
the outlets it runs, received while it ran them (a new operator does not inherit the former one's
customers). Auditors read no feedback records — only the summaries of the locations they audit,
which the selectors build from `Location.objects.visible_to` — so comments never reach them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class HqOnlyQuerySet(models.QuerySet):
    """Brand settings of the voice (policy, lexicon, survey links): HQ reads, HQ admins change."""

    def visible_to(self, user: Any) -> HqOnlyQuerySet:
        from cx_audit.core.permissions import brand_lookup

        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(**{f"{brand_lookup(self.model)}__in": scope.hq_brand_ids})

    def managed_by(self, user: Any) -> HqOnlyQuerySet:
        return administered_by(self, user)


def _reach(user: Any, prefix: str = "") -> Q | None:
    """The rows of feedback (or of what hangs off it, through ``prefix``) the user may read;
    None means every row."""
    scope = access_scope(user)
    if scope.is_superuser:
        return None
    reach = Q(**{f"{prefix}brand_id__in": scope.hq_brand_ids})
    if scope.franchisee_ids:
        reach |= Q(
            **{
                f"{prefix}franchisee_id__in": scope.franchisee_ids,
                f"{prefix}location__franchisee_id__in": scope.franchisee_ids,
            }
        )
    return reach


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FeedbackQuerySet:
        reach = _reach(user)
        return self.all() if reach is None else self.filter(reach)


class FeedbackTagQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FeedbackTagQuerySet:
        reach = _reach(user, "feedback__")
        return self.all() if reach is None else self.filter(reach)


class RecoveryActionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> RecoveryActionQuerySet:
        reach = _reach(user)
        return self.all() if reach is None else self.filter(reach)

    def open(self) -> RecoveryActionQuerySet:
        from cx_audit.voice.choices import RecoveryStatus

        return self.filter(status=RecoveryStatus.OPEN)
