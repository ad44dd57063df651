from __future__ import annotations

from rest_framework import serializers

from cx_audit.core.serializers import ModelCleanMixin, ScopedRelatedField
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


class LocationSerializer(ModelCleanMixin, serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")
    franchisee = ScopedRelatedField(queryset=Franchisee.objects.all(), allow_null=True, required=False)
    region = ScopedRelatedField(queryset=Region.objects.all(), allow_null=True, required=False)
    franchisee_name = serializers.CharField(source="franchisee.name", read_only=True, default=None)
    region_name = serializers.CharField(source="region.name", read_only=True, default=None)
    breaks_city_policy = serializers.BooleanField(read_only=True)
    distance_km = serializers.FloatField(
        read_only=True, required=False, help_text="Only when filtered with near=."
    )

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
