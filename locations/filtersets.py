"""Filters for locations, shared by the API, the pages and the exports (STYLE §2)."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django import forms
from django.db.models import ExpressionWrapper, FloatField, Q, QuerySet, Value
from django.db.models.functions import ASin, Cast, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from cx_audit.core.choices import Role
from locations.geo import MAX_NEAR_KM, SPHERE_TOLERANCE, Near, local_radius_km, parse_near
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
    {
        "type": "string",
        "pattern": r"^-?[0-9.]+,-?[0-9.]+,[0-9.]+$",
        "example": "31.2304,121.4737,5",
        "description": f"<latitude>,<longitude>,<km>, km at most {MAX_NEAR_KM}: locations within "
        "that geodesic distance, nearest first, each with distance_km.",
    }
)
class NearFilter(django_filters.Filter):
    """Locations within a geodesic radius, nearest first, each annotated with `distance_km`.

    All in the database, so the work does not grow with what the box holds: a bounding box
    (indexed), then the great-circle distance on the sphere fitted at the centre, which orders
    the rows and keeps those clearly inside; only rows within `SPHERE_TOLERANCE` of the radius
    are settled by the exact geodesic, in Python. The API shows the exact geodesic distance.
    """

    field_class = NearField

    def filter(self, qs: QuerySet, value: Near | None) -> QuerySet:
        if value is None:
            return qs
        near_km = sphere_distance(value)
        candidates = (
            qs.filter(in_box(value))
            .annotate(distance_km=near_km)
            .filter(distance_km__lte=value.km * (1 + SPHERE_TOLERANCE))
        )
        edge = candidates.filter(distance_km__gte=value.km * (1 - SPHERE_TOLERANCE))
        outside = [
            pk
            for pk, lat, lon in edge.values_list("pk", "latitude", "longitude")
            if not value.contains(float(lat), float(lon))
        ]
        return (
            candidates.exclude(pk__in=outside)
            .annotate(near_latitude=Value(value.latitude), near_longitude=Value(value.longitude))
            .order_by("distance_km", "pk")
        )


def in_box(near: Near) -> Q:
    """The bounding box as a condition on the (latitude, longitude) index."""
    min_lat, max_lat, _min_lon, _max_lon = near.box()
    longitudes = Q()
    for low, high in near.longitude_ranges():
        longitudes |= Q(longitude__gte=low, longitude__lte=high)
    return Q(latitude__gte=min_lat, latitude__lte=max_lat) & longitudes


def sphere_distance(near: Near) -> Any:
    """`locations.geo.sphere_km` as a database expression (haversine; SQLite gets the maths
    functions from Django, PostgreSQL has them)."""
    radius = local_radius_km(near.latitude)
    lat = Radians(Cast("latitude", FloatField()))
    dlat = lat - Value(math.radians(near.latitude))
    dlon = Radians(Cast("longitude", FloatField())) - Value(math.radians(near.longitude))
    half = Power(Sin(dlat / 2), 2) + Value(math.cos(math.radians(near.latitude))) * Cos(lat) * Power(
        Sin(dlon / 2), 2
    )
    return ExpressionWrapper(
        Value(2 * radius) * ASin(Sqrt(Least(Value(1.0), half))), output_field=FloatField()
    )


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
