"""Filters for locations, shared by the API, the pages and the exports (STYLE §2)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from cx_audit.core.choices import Role
from locations.geo import Near, parse_near
from locations.models import Brand, Franchisee, Location, LocationStatus, Membership, OutletType, Region


class NearField(forms.CharField):
    """A form field for ``<lat>,<lon>,<km>`` that cleans to a `Near`."""

    def clean(self, value: Any) -> Near | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_near(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


@extend_schema_field(
    {"type": "string", "pattern": r"^-?[0-9.]+,-?[0-9.]+,[0-9.]+$", "example": "31.2304,121.4737,5"}
)
class NearFilter(django_filters.Filter):
    """Locations within a geodesic radius, nearest first, each annotated with `distance_km`."""

    field_class = NearField

    def filter(self, qs: QuerySet, value: Near | None) -> QuerySet:
        if value is None:
            return qs
        min_lat, max_lat, min_lon, max_lon = value.box()
        candidates = qs.filter(
            latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
        ).values_list("pk", "latitude", "longitude")
        distances = {pk: value.distance_km(float(lat), float(lon)) for pk, lat, lon in candidates}
        inside = {pk: km for pk, km in distances.items() if km <= value.km}
        if not inside:
            return qs.none()
        distance = Case(
            *[When(pk=pk, then=Value(round(km, 3))) for pk, km in inside.items()],
            output_field=FloatField(),
        )
        return qs.filter(pk__in=inside).annotate(distance_km=distance).order_by("distance_km", "pk")


def visible_brands(request: Any) -> QuerySet:
    return Brand.objects.visible_to(getattr(request, "user", None))


def visible_regions(request: Any) -> QuerySet:
    return Region.objects.visible_to(getattr(request, "user", None))


def visible_franchisees(request: Any) -> QuerySet:
    return Franchisee.objects.visible_to(getattr(request, "user", None))


def visible_locations(request: Any) -> QuerySet:
    return Location.objects.visible_to(getattr(request, "user", None))


class LocationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands, label=_("Brand"), empty_label=_("Any"))
    region = django_filters.ModelChoiceFilter(
        queryset=visible_regions,
        method="in_region",
        label=_("Region (with sub-regions)"),
        empty_label=_("Any"),
    )
    # Radios and check boxes instead of selects: one tap each on a tablet. Widgets change only
    # the HTML form; the API reads the same query parameters either way.
    outlet_type = django_filters.ChoiceFilter(
        choices=OutletType.choices, label=_("Outlet type"), empty_label=_("Any"), widget=forms.RadioSelect
    )
    franchisee = django_filters.ModelChoiceFilter(
        queryset=visible_franchisees, label=_("Franchisee"), empty_label=_("Any")
    )
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", label=_("City"))
    city_tier = django_filters.MultipleChoiceFilter(
        choices=[(t, str(t)) for t in (1, 2, 3, 4)], label=_("City tier"), widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=LocationStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    near = NearFilter(
        label=_("Near (lat,lon,km)"), widget=forms.TextInput(attrs={"placeholder": "31.23,121.47,5"})
    )

    class Meta:
        model = Location
        fields = ["q", "brand", "region", "outlet_type", "franchisee", "city", "city_tier", "status", "near"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for word in value.split():
            condition &= (
                Q(code__icontains=word)
                | Q(name__icontains=word)
                | Q(address__icontains=word)
                | Q(city__icontains=word)
                | Q(franchisee__name__icontains=word)
            )
        return queryset.filter(condition)

    def in_region(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(region_id__in=Region.objects.with_descendants([value.pk]))


class RegionFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands)
    parent = django_filters.ModelChoiceFilter(queryset=visible_regions)

    class Meta:
        model = Region
        fields = ["brand", "parent"]


class FranchiseeFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands)
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Franchisee
        fields = ["brand", "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(legal_name__icontains=value)
        )


class MembershipFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(queryset=visible_brands)
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["brand", "role"]
