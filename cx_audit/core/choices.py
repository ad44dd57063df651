"""The vocabulary every package shares: the roles a person holds in a brand.

Roles decide what a user sees (`cx_audit.core.scope`) and may do (`cx_audit.core.permissions`),
so they live below every feature; `locations.models.Membership` stores them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role within one brand."""

    HQ_ADMIN = "hq_admin", _("HQ admin")
    HQ_ANALYST = "hq_analyst", _("HQ analyst")
    AUDITOR = "auditor", _("Auditor")
    FRANCHISEE = "franchisee", _("Franchisee")


HQ_ROLES = (Role.HQ_ADMIN, Role.HQ_ANALYST)
