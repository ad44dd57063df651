"""Querysets of bulk report jobs; `visible_to(user)` applies the user's access scope."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import models

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class ScorecardJobQuerySet(models.QuerySet):
    """A bulk export belongs to whoever asked for it: its ZIP holds what they could see."""

    def visible_to(self, user: Any) -> ScorecardJobQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        if not scope.member_brand_ids:
            return self.none()
        return self.filter(requested_by_id=user.pk, brand_id__in=scope.member_brand_ids)

    def managed_by(self, user: Any) -> ScorecardJobQuerySet:
        """Every job of the brands the user is HQ admin of: the admin's view, to find stuck jobs."""
        return administered_by(self, user)

    def stale(self, now: datetime, stale_after: timedelta) -> ScorecardJobQuerySet:
        """Jobs `report_rules.is_stale` gives up, picked in the database."""
        from cx_audit.reports import rules as report_rules

        return self.filter(
            status__in=report_rules.UNFINISHED,
            last_progress_at__lt=report_rules.stale_cutoff(now, stale_after),
        )

    def due_for_purge(self, now: datetime, retention: timedelta) -> ScorecardJobQuerySet:
        """Finished jobs whose file `report_rules.is_due_for_purge` deletes, picked in the database."""
        from cx_audit.reports import rules as report_rules

        return self.filter(
            status__in=(report_rules.DONE, report_rules.FAILED), finished_at__lt=now - retention
        ).exclude(file="")
