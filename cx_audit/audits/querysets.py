"""Querysets of the audit service; each `visible_to(user)` applies the user's access scope.

HQ roles see every audit of their brands; auditors the audits of the locations they are
assigned (and their own); franchisees the *submitted* audits taken while their company ran
the store (the snapshot, not today's operator) and their own self-assessments — never an
auditor's draft, which may be an unannounced visit still in progress.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        if not scope.member_brand_ids:
            return self.none()
        from cx_audit.audits.choices import AuditStatus

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
        from cx_audit.audits.choices import AuditStatus

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
        from cx_audit.audits.models.audits import Audit

        if access_scope(user).is_superuser:
            return self.all()
        return self.filter(**{f"{self.model.audit_path}__in": Audit.objects.visible_to(user).values("pk")})


class AnswerQuerySet(AuditPartQuerySet):
    pass


class AuditPlanQuerySet(models.QuerySet):
    """Everyone in a brand may read its audit plans; its HQ admins change them."""

    def visible_to(self, user: Any) -> AuditPlanQuerySet:
        scope = access_scope(user)
        return self.all() if scope.is_superuser else self.filter(brand_id__in=scope.member_brand_ids)

    def managed_by(self, user: Any) -> AuditPlanQuerySet:
        return administered_by(self, user)
