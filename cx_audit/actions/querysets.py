"""Querysets of corrective actions and their rules; `visible_to(user)` applies the user's access scope."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class RoutingRuleQuerySet(models.QuerySet):
    """HQ roles of a brand read its routing rules; its HQ admins change them (in the admin)."""

    def visible_to(self, user: Any) -> RoutingRuleQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.hq_brand_ids)

    def managed_by(self, user: Any) -> RoutingRuleQuerySet:
        return administered_by(self, user)


class ActionPolicyQuerySet(RoutingRuleQuerySet):
    """Like routing rules: HQ reads a brand's deadlines, HQ admins change them."""


class CorrectiveActionQuerySet(models.QuerySet):
    """HQ roles see their brands' actions; auditors those of the locations they may audit;
    franchisees those of the locations their company runs *now* that were opened while it ran them.

    A store that changed hands: the new operator never sees the former operator's actions — their
    notes and photos are another company's correspondence with HQ — and the former operator, who can
    no longer fix anything there, stops seeing them too. HQ still does; the next audit that fails the
    item opens a fresh action for the new operator (`cx_audit.actions.services`).
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

        from cx_audit.actions.models import Severity

        return self.annotate(
            severity_rank=Case(
                When(severity=Severity.CRITICAL, then=Value(2)),
                When(severity=Severity.REPEAT, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def live(self) -> CorrectiveActionQuerySet:
        from cx_audit.actions.models import LIVE_STATUSES

        return self.filter(status__in=LIVE_STATUSES)

    def open(self) -> CorrectiveActionQuerySet:
        """Waiting on the store: new, or sent back by HQ."""
        from cx_audit.actions.models import ActionStatus

        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: Any) -> CorrectiveActionQuerySet:
        """Open past the due date (`cx_audit.actions.rules.is_overdue`, as SQL)."""
        return self.open().filter(due_date__lt=today)


class ActionEventQuerySet(models.QuerySet):
    """An action's history is visible exactly when the action is."""

    def visible_to(self, user: Any) -> ActionEventQuerySet:
        from cx_audit.actions.models import CorrectiveAction

        if access_scope(user).is_superuser:
            return self.all()
        return self.filter(action__in=CorrectiveAction.objects.visible_to(user).values("pk"))
