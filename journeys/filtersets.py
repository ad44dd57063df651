"""Filters for the framework, shared by the API and the viewer pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from journeys.models import (
    AnswerType,
    Channel,
    Dimension,
    Framework,
    FrameworkStatus,
    Item,
    Journey,
    Phase,
    Section,
    Stage,
    Touchpoint,
)
from locations.filtersets import visible_brands
from locations.models import OutletType


def visible_frameworks(request: Any) -> QuerySet:
    return Framework.objects.visible_to(getattr(request, "user", None))


def visible_sections(request: Any) -> QuerySet:
    return Section.objects.visible_to(getattr(request, "user", None))


class FrameworkFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands)
    status = django_filters.ChoiceFilter(choices=FrameworkStatus.choices)

    class Meta:
        model = Framework
        fields = ["brand", "status"]


class StrictNullBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is a 400, not quietly "no filter" as in django-filter."""

    widget = forms.TextInput  # NullBooleanSelect would read any other text as "unknown"

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if str(value).lower() not in ("true", "false", "1", "0"):
            raise forms.ValidationError("Use true or false.", code="invalid")
        return super().to_python(value)


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class ItemFilterSet(django_filters.FilterSet):
    framework = django_filters.ModelChoiceFilter(queryset=visible_frameworks)
    section = django_filters.ModelChoiceFilter(queryset=visible_sections)
    answer_type = django_filters.ChoiceFilter(choices=AnswerType.choices)
    critical = StrictBooleanFilter()
    applies_to = django_filters.ChoiceFilter(choices=OutletType.choices, method="filter_applies_to")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Item
        fields = ["framework", "section", "answer_type", "critical", "applies_to", "q"]

    def filter_applies_to(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"applies_to_{value}": True}) if value else queryset

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(code__icontains=value) | Q(question__icontains=value))


def visible(model: type) -> Any:
    """A callable for django-filter: the model's rows the requesting user may see."""
    return lambda request: model.objects.visible_to(getattr(request, "user", None))


class FrameworkChildFilterSet(django_filters.FilterSet):
    framework = django_filters.ModelChoiceFilter(queryset=visible_frameworks)


class DimensionFilterSet(FrameworkChildFilterSet):
    class Meta:
        model = Dimension
        fields = ["framework"]


class JourneyFilterSet(FrameworkChildFilterSet):
    class Meta:
        model = Journey
        fields = ["framework"]


class SectionFilterSet(FrameworkChildFilterSet):
    class Meta:
        model = Section
        fields = ["framework"]


class StageFilterSet(django_filters.FilterSet):
    journey = django_filters.ModelChoiceFilter(queryset=visible(Journey))
    phase = django_filters.ChoiceFilter(choices=Phase.choices)

    class Meta:
        model = Stage
        fields = ["journey", "phase"]


class TouchpointFilterSet(django_filters.FilterSet):
    stage = django_filters.ModelChoiceFilter(queryset=visible(Stage))
    channel = django_filters.ChoiceFilter(choices=Channel.choices)

    class Meta:
        model = Touchpoint
        fields = ["stage", "channel"]
