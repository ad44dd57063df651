"""How often each location must be audited: plans by outlet type and city tier."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.querysets import AuditPlanQuerySet
from cx_audit.core.history import TrackedHistory
from locations.models import Brand, OutletType


class AuditPlan(models.Model):
    """Audit every matching location at least every ``interval_days``.

    A plan may name an outlet type, a city tier, both or neither; for each location the most
    specific matching plan of its brand applies (see `cx_audit.audits.planning.plan_for`).
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="audit_plans")
    outlet_type = models.CharField(
        _("outlet type"), max_length=20, choices=OutletType.choices, blank=True, help_text=_("Blank: any.")
    )
    city_tier = models.PositiveSmallIntegerField(
        _("city tier"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Blank: any."),
    )
    interval_days = models.PositiveIntegerField(
        _("audit every (days)"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )

    objects = AuditPlanQuerySet.as_manager()
    history = TrackedHistory()

    class Meta:
        ordering = ["brand", "outlet_type", "city_tier"]
        constraints = [
            # Two partial constraints rather than NULLS NOT DISTINCT, which SQLite lacks.
            models.UniqueConstraint(
                fields=["brand", "outlet_type", "city_tier"],
                condition=Q(city_tier__isnull=False),
                name="%(app_label)s_%(class)s_one_per_scope",
            ),
            models.UniqueConstraint(
                fields=["brand", "outlet_type"],
                condition=Q(city_tier__isnull=True),
                name="%(app_label)s_%(class)s_one_per_scope_any_tier",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1), name="%(app_label)s_%(class)s_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(city_tier__isnull=True) | Q(city_tier__gte=1, city_tier__lte=4),
                name="%(app_label)s_%(class)s_city_tier_range",
            ),
        ]

    def __str__(self) -> str:
        scope = " · ".join(
            filter(None, [self.get_outlet_type_display(), self.city_tier and f"tier {self.city_tier}"])
        )
        return f"{self.brand}: {scope or _('every location')} every {self.interval_days} days"
