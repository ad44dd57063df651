"""Querysets of share links; `visible_to(user)` applies the user's access scope."""

from __future__ import annotations

from typing import Any

from django.db import models

from cx_audit.core.permissions import administered_by
from cx_audit.core.scope import access_scope


class ShareLinkQuerySet(models.QuerySet):
    """HQ of the location's brand sees its share links; HQ admins make and revoke them."""

    def visible_to(self, user: Any) -> ShareLinkQuerySet:
        scope = access_scope(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(location__brand_id__in=scope.hq_brand_ids)

    def managed_by(self, user: Any) -> ShareLinkQuerySet:
        return administered_by(self, user)
