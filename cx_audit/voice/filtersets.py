"""Filters of feedback and of the brand's lexicon, shared by the API and the pages (STYLE §2)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cx_audit.core.filters import BoundedDateFilter
from cx_audit.voice.choices import FeedbackChannel, FeedbackSource, Language, Polarity
from cx_audit.voice.models import Feedback, FeedbackTag, LexiconTerm
from locations.filtersets import visible_brands, visible_franchisees, visible_locations, visible_regions
from locations.models import Region

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def midnight(day: date) -> datetime:
    """The start of a local day (the site's time zone), as the database compares it."""
    return timezone.make_aware(datetime.combine(day, time.min))


class FeedbackFilterSet(django_filters.FilterSet):
    """``franchisee`` is the operator who ran the store when the customer spoke; ``region`` is the
    location's (with sub-regions); ``received_from`` and ``received_to`` are whole local days, both
    included; ``touchpoint`` finds feedback about it, named by the record or by a tag of its comment."""

    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    location = django_filters.ModelChoiceFilter(queryset=visible_locations, label=_("Location"))
    region = django_filters.ModelChoiceFilter(
        queryset=visible_regions, method="in_region", label=_("Region (with sub-regions)")
    )
    franchisee = django_filters.ModelChoiceFilter(queryset=visible_franchisees, label=_("Franchisee"))
    channel = django_filters.MultipleChoiceFilter(
        choices=FeedbackChannel.choices, label=_("Channel"), widget=forms.CheckboxSelectMultiple
    )
    source = django_filters.MultipleChoiceFilter(choices=FeedbackSource.choices, label=_("Source"))
    language = django_filters.ChoiceFilter(choices=Language.choices, label=_("Language"))
    polarity = django_filters.TypedChoiceFilter(choices=Polarity.choices, coerce=int, label=_("Polarity"))
    complaint = django_filters.BooleanFilter(label=_("Complaint"))
    touchpoint = django_filters.CharFilter(
        method="about_touchpoint", max_length=40, label=_("Touchpoint (code)")
    )
    received_from = BoundedDateFilter(method="received_since", label=_("Received from"), widget=DATE_INPUT)
    received_to = BoundedDateFilter(method="received_until", label=_("Received until"), widget=DATE_INPUT)

    class Meta:
        model = Feedback
        fields = [
            "brand",
            "location",
            "region",
            "franchisee",
            "channel",
            "source",
            "language",
            "polarity",
            "complaint",
            "touchpoint",
            "received_from",
            "received_to",
        ]

    def in_region(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(location__region_id__in=Region.objects.with_descendants([value.pk]))

    def about_touchpoint(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        tagged = FeedbackTag.objects.filter(feedback_id=OuterRef("pk"), touchpoint_code=value)
        return queryset.filter(Q(touchpoint_code=value) | Exists(tagged))

    def received_since(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        return queryset if value is None else queryset.filter(received_at__gte=midnight(value))

    def received_until(self, queryset: QuerySet, name: str, value: date | None) -> QuerySet:
        return (
            queryset
            if value is None
            else queryset.filter(received_at__lt=midnight(value + timedelta(days=1)))
        )


class LexiconTermFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"))
    polarity = django_filters.TypedChoiceFilter(
        choices=[(Polarity.PAIN, _("Pain")), (Polarity.PLEASURE, _("Pleasure"))],
        coerce=int,
        label=_("Polarity"),
    )
    touchpoint = django_filters.CharFilter(field_name="touchpoint_code", label=_("Touchpoint (code)"))
    dimension = django_filters.CharFilter(field_name="dimension_code", label=_("Dimension (code)"))
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Term contains"))

    class Meta:
        model = LexiconTerm
        fields = ["brand", "polarity", "touchpoint", "dimension", "q"]
