"""Filters of customer-recovery actions, shared by the /voice/recovery/ page and the API (STYLE §2)."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.actions.models import Department
from cx_audit.core.filters import BoundedDateFilter
from cx_audit.voice.choices import RecoveryReason, RecoveryStatus
from cx_audit.voice.models import RecoveryAction
from cx_audit.voice.recovery_stats import opened_between
from locations.filtersets import visible_brands, visible_franchisees, visible_locations

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecoveryActionFilterSet(django_filters.FilterSet):
    """``franchisee`` is the operator who ran the store when the customer spoke; ``opened_from`` and
    ``opened_to`` bound the period (whole days, both included) the recovery rate is counted over."""

    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    location = django_filters.ModelChoiceFilter(queryset=visible_locations, label=_("Location"))
    franchisee = django_filters.ModelChoiceFilter(queryset=visible_franchisees, label=_("Franchisee"))
    status = django_filters.MultipleChoiceFilter(
        choices=RecoveryStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    reason = django_filters.MultipleChoiceFilter(
        choices=RecoveryReason.choices, label=_("Why"), widget=forms.CheckboxSelectMultiple
    )
    department = django_filters.MultipleChoiceFilter(
        choices=Department.choices, label=_("Department"), widget=forms.CheckboxSelectMultiple
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    opened_from = BoundedDateFilter(method="filter_opened_from", label=_("Opened from"), widget=DATE_INPUT)
    opened_to = BoundedDateFilter(method="filter_opened_to", label=_("Opened until"), widget=DATE_INPUT)

    class Meta:
        model = RecoveryAction
        fields = [
            "brand",
            "location",
            "franchisee",
            "status",
            "reason",
            "department",
            "overdue",
            "opened_from",
            "opened_to",
        ]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(status=RecoveryStatus.OPEN, due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_opened_from(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        return opened_between(queryset, start=value)

    def filter_opened_to(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        return opened_between(queryset, end=value)
