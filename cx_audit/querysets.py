"""Querysets of the audit service; each `visible_to(user)` applies the user's access scope.

HQ roles see every audit of their brands; auditors the audits of the locations they are
assigned (and their own); franchisees the *submitted* audits taken while their company ran
the store (the snapshot, not today's operator) and their own self-assessments — never an
auditor's draft, which may be an unannounced visit still in progress.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from locations.scope import access_scope


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        if not scope.member_brand_ids:
            return self.none()
        from .models import AuditStatus

        reach = Q(brand_id__in=scope.hq_brand_ids) | Q(
            auditor_id=user.pk, brand_id__in=scope.member_brand_ids
        )
        # Only the parts this user has: an empty one would still join locations into every query.
        if scope.auditor_region_ids:
            reach |= Q(location__region_id__in=scope.auditor_region_ids)
        if scope.auditor_location_ids:
            reach |= Q(location_id__in=scope.auditor_location_ids)
        if scope.franchisee_ids:
            reach |= Q(status=AuditStatus.SUBMITTED, franchisee_id__in=scope.franchisee_ids)
        return self.filter(reach)

    def submitted(self) -> AuditQuerySet:
        """Audits that count: submitted, never drafts or voided ones."""
        from .models import AuditStatus

        return self.filter(status=AuditStatus.SUBMITTED)

    def latest_ids(self) -> models.QuerySet:
        """The id of each location's latest submitted audit among these (a subquery, one query).

        PostgreSQL: ``DISTINCT ON (location_id)`` over the (location, status, submitted_at) index;
        elsewhere ``ROW_NUMBER() OVER (PARTITION BY location)``. Ties on the submission time go to
        the later-created audit. The one definition of "latest" for rankings and scorecards.
        """
        submitted = self.submitted()
        if connection.vendor == "postgresql":
            return (
                submitted.order_by("location_id", "-submitted_at", "-pk").distinct("location_id").values("pk")
            )
        numbered = submitted.annotate(
            newest=Window(
                RowNumber(),
                partition_by=[F("location_id")],
                order_by=[F("submitted_at").desc(), F("pk").desc()],
            )
        )
        return numbered.filter(newest=1).values("pk")

    def latest_per_location(self) -> AuditQuerySet:
        """The latest submitted audit of each location among these (one row per location)."""
        return self.model.objects.filter(pk__in=self.latest_ids())


class AuditPartQuerySet(models.QuerySet):
    """Answers, photos and results are visible exactly when their audit is."""

    def visible_to(self, user: Any) -> AuditPartQuerySet:
        from .models import Audit

        if access_scope(user).is_superuser:
            return self.all()
        return self.filter(**{f"{self.model.audit_path}__in": Audit.objects.visible_to(user).values("pk")})


class AnswerQuerySet(AuditPartQuerySet):
    pass


class DisputeQuerySet(AuditPartQuerySet):
    """Disputes are seen with their audit; two narrower reads serve the notices of the pages."""

    def awaiting_decision_by(self, user: Any) -> DisputeQuerySet:
        """Open disputes the user may decide: of the brands they are HQ admin of (all for a superuser).

        One query however many brands: the brands are ids in the user's scope, not a loop.
        """
        from .models import DisputeStatus

        scope = access_scope(user)
        open_ones = self.filter(status=DisputeStatus.OPEN)
        if scope.is_superuser:
            return open_ones
        if not scope.admin_brand_ids:
            return self.none()
        return open_ones.filter(audit__brand_id__in=scope.admin_brand_ids)

    def of_own_outlets(self, user: Any) -> DisputeQuerySet:
        """Disputes of the outlets the user's franchisee companies ran at the audit (the snapshot).

        What a franchisee follows: whoever of its company raised them, never another company's,
        and nothing for a user without a franchisee membership (HQ sees the decisions it made).
        """
        scope = access_scope(user)
        if not scope.franchisee_ids:
            return self.none()
        return self.visible_to(user).filter(audit__franchisee_id__in=scope.franchisee_ids)


class AuditPlanQuerySet(models.QuerySet):
    """Everyone in a brand may read its audit plans; its HQ admins change them."""

    def visible_to(self, user: Any) -> AuditPlanQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.member_brand_ids)

    def managed_by(self, user: Any) -> AuditPlanQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.admin_brand_ids)


class ShareLinkQuerySet(models.QuerySet):
    """HQ of the location's brand sees its share links; HQ admins make and revoke them."""

    def visible_to(self, user: Any) -> ShareLinkQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(location__brand_id__in=scope.hq_brand_ids)

    def managed_by(self, user: Any) -> ShareLinkQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(location__brand_id__in=scope.admin_brand_ids)


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
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.admin_brand_ids)

    def stale(self, now: datetime, stale_after: timedelta) -> ScorecardJobQuerySet:
        """Jobs `report_rules.is_stale` gives up, picked in the database."""
        from . import report_rules

        return self.filter(
            status__in=report_rules.UNFINISHED,
            last_progress_at__lt=report_rules.stale_cutoff(now, stale_after),
        )

    def due_for_purge(self, now: datetime, retention: timedelta) -> ScorecardJobQuerySet:
        """Finished jobs whose file `report_rules.is_due_for_purge` deletes, picked in the database."""
        from . import report_rules

        return self.filter(
            status__in=(report_rules.DONE, report_rules.FAILED), finished_at__lt=now - retention
        ).exclude(file="")


class RoutingRuleQuerySet(models.QuerySet):
    """HQ roles of a brand read its routing rules; its HQ admins change them (in the admin)."""

    def visible_to(self, user: Any) -> RoutingRuleQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.hq_brand_ids)

    def managed_by(self, user: Any) -> RoutingRuleQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.admin_brand_ids)


class ActionPolicyQuerySet(RoutingRuleQuerySet):
    """Like routing rules: HQ reads a brand's deadlines, HQ admins change them."""


class CorrectiveActionQuerySet(models.QuerySet):
    """HQ roles see their brands' actions; auditors those of the locations they may audit;
    franchisees those of the locations their company runs *now* that were opened while it ran them.

    A store that changed hands: the new operator never sees the former operator's actions — their
    notes and photos are another company's correspondence with HQ — and the former operator, who can
    no longer fix anything there, stops seeing them too. HQ still does; the next audit that fails the
    item opens a fresh action for the new operator (`cx_audit.services.actions`).
    """

    def visible_to(self, user: Any) -> CorrectiveActionQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        if not scope.member_brand_ids:
            return self.none()
        reach = Q(brand_id__in=scope.hq_brand_ids)
        if scope.auditor_region_ids:
            reach |= Q(location__region_id__in=scope.auditor_region_ids)
        if scope.auditor_location_ids:
            reach |= Q(location_id__in=scope.auditor_location_ids)
        if scope.franchisee_ids:
            reach |= Q(
                franchisee_id__in=scope.franchisee_ids, location__franchisee_id__in=scope.franchisee_ids
            )
        return self.filter(reach)

    def with_severity_rank(self) -> CorrectiveActionQuerySet:
        """``severity_rank``: 2 critical, 1 repeat, 0 normal, to sort by urgency rather than by name."""
        from django.db.models import Case, IntegerField, Value, When

        from .models.actions import Severity

        return self.annotate(
            severity_rank=Case(
                When(severity=Severity.CRITICAL, then=Value(2)),
                When(severity=Severity.REPEAT, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def live(self) -> CorrectiveActionQuerySet:
        from .models.actions import LIVE_STATUSES

        return self.filter(status__in=LIVE_STATUSES)

    def open(self) -> CorrectiveActionQuerySet:
        """Waiting on the store: new, or sent back by HQ."""
        from .models.actions import ActionStatus

        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: Any) -> CorrectiveActionQuerySet:
        """Open past the due date (`cx_audit.actions.is_overdue`, as SQL)."""
        return self.open().filter(due_date__lt=today)


class ActionEventQuerySet(models.QuerySet):
    """An action's history is visible exactly when the action is."""

    def visible_to(self, user: Any) -> ActionEventQuerySet:
        from .models import CorrectiveAction

        if access_scope(user).is_superuser:
            return self.all()
        return self.filter(action__in=CorrectiveAction.objects.visible_to(user).values("pk"))
