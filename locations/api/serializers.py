from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cx_audit.core.schema_hooks import OPTIONAL
from cx_audit.core.serializers import ModelCleanMixin, ScopedRelatedField
from locations.geo import Near
from locations.models import Brand, Franchisee, Location, Membership, Region


class BrandSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = [
            "id",
            "name",
            "slug",
            "direct_max_city_tier",
            "critical_cap",
            "score_bands",
            "regression_threshold",
            "dispute_days",
            "colour",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class RegionSerializer(ModelCleanMixin, serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")
    parent = ScopedRelatedField(queryset=Region.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Region
        fields = ["id", "brand", "parent", "code", "name"]


class FranchiseeSerializer(ModelCleanMixin, serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")

    class Meta:
        model = Franchisee
        fields = [
            "id",
            "brand",
            "code",
            "name",
            "legal_name",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]


@extend_schema_field({"type": "number", "format": "double", OPTIONAL: True})
class OptionalFloatField(serializers.FloatField):
    """A read-only number present in some answers only: not listed as required in the schema."""


class RelatedName(serializers.CharField):
    """A related object's name, or null when there is none. Not ``source="franchisee.name",
    default=None``: DRF skips a default in a PATCH answer, so the key went missing there."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return value.name


class LocationSerializer(ModelCleanMixin, serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")
    franchisee = ScopedRelatedField(queryset=Franchisee.objects.all(), allow_null=True, required=False)
    region = ScopedRelatedField(queryset=Region.objects.all(), allow_null=True, required=False)
    franchisee_name = RelatedName(source="franchisee")
    region_name = RelatedName(source="region")
    breaks_city_policy = serializers.BooleanField(read_only=True)
    distance_km = OptionalFloatField(read_only=True, help_text="Only when filtered with near=.")

    class Meta:
        model = Location
        fields = [
            "id",
            "brand",
            "code",
            "name",
            "outlet_type",
            "franchisee",
            "franchisee_name",
            "region",
            "region_name",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "city_tier",
            "status",
            "opening_date",
            "floor_area",
            "annual_revenue",
            "breaks_city_policy",
            "distance_km",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance: Location) -> dict:
        data = super().to_representation(instance)
        if not hasattr(instance, "distance_km"):
            data.pop("distance_km", None)
        elif hasattr(instance, "near_latitude"):  # the filter ordered by a close sphere; show the geodesic
            near = Near(instance.near_latitude, instance.near_longitude, 0)
            data["distance_km"] = round(
                near.distance_km(float(instance.latitude), float(instance.longitude)), 3
            )
        return data


class MembershipSerializer(serializers.ModelSerializer):
    brand_slug = serializers.CharField(source="brand.slug", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "brand", "brand_slug", "role", "franchisee", "regions", "locations"]
        read_only_fields = fields


class LocationImportSerializer(serializers.Serializer):
    """The upload form of the location import."""

    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")
    file = serializers.FileField(help_text="CSV, UTF-8, first line the column names.")
    dry_run = serializers.BooleanField(default=False)
