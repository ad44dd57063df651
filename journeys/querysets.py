"""Querysets of the framework: everyone in a brand may read its framework; HQ admins write."""

from __future__ import annotations

from typing import Any

from django.db import models

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FrameworkQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(brand_id__in=scope.member_brand_ids)

    def managed_by(self, user: Any) -> FrameworkQuerySet:
        return administered_by(self, user)

    def current(self) -> FrameworkQuerySet:
        from journeys.models import FrameworkStatus

        return self.filter(status=FrameworkStatus.PUBLISHED)


class FrameworkPartQuerySet(models.QuerySet):
    """Shared by every part of a framework; the model names its path to the framework."""

    def visible_to(self, user: Any) -> FrameworkPartQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(**{f"{self.model.framework_path}__brand_id__in": scope.member_brand_ids})

    def managed_by(self, user: Any) -> FrameworkPartQuerySet:
        return administered_by(self, user)
