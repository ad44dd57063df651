from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cx_audit.core.serializers import ModelCleanMixin, ScopedRelatedField
from journeys.models import Dimension, Framework, Item, Journey, Section, Stage, Touchpoint
from journeys.services import ensure_draft, framework_of
from locations.models import Brand


class FrameworkPartSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A part of a framework: writable only while its framework is a draft."""

    def check_candidate(self, instance: Any) -> None:
        ensure_draft(framework_of(instance))


class DimensionSerializer(FrameworkPartSerializer):
    framework = ScopedRelatedField(queryset=Framework.objects.all(), scope="managed_by")

    class Meta:
        model = Dimension
        fields = [
            "id",
            "framework",
            "code",
            "name",
            "description",
            "importance",
            "expectation",
            "ideal",
            "order",
        ]


class TouchpointSerializer(FrameworkPartSerializer):
    stage = ScopedRelatedField(queryset=Stage.objects.all(), scope="managed_by")

    class Meta:
        model = Touchpoint
        fields = ["id", "stage", "code", "name", "channel", "order"]


class StageSerializer(FrameworkPartSerializer):
    journey = ScopedRelatedField(queryset=Journey.objects.all(), scope="managed_by")

    class Meta:
        model = Stage
        fields = ["id", "journey", "name", "phase", "order"]


class JourneySerializer(FrameworkPartSerializer):
    framework = ScopedRelatedField(queryset=Framework.objects.all(), scope="managed_by")

    class Meta:
        model = Journey
        fields = ["id", "framework", "code", "name", "description", "order"]


class SectionSerializer(FrameworkPartSerializer):
    framework = ScopedRelatedField(queryset=Framework.objects.all(), scope="managed_by")

    class Meta:
        model = Section
        fields = ["id", "framework", "code", "name", "weight", "order"]


class ItemSerializer(FrameworkPartSerializer):
    section = ScopedRelatedField(queryset=Section.objects.all(), scope="managed_by")
    dimension = ScopedRelatedField(queryset=Dimension.objects.all(), allow_null=True, required=False)
    touchpoint = ScopedRelatedField(queryset=Touchpoint.objects.all(), allow_null=True, required=False)
    required_terms = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="Signage text: words or phrases that must appear.",
    )
    forbidden_terms = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="Signage text: words or phrases that must not appear.",
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "framework",
            "section",
            "code",
            "question",
            "guidance",
            "answer_type",
            "weight",
            "critical",
            "photo_required",
            "na_allowed",
            "cannot_check_allowed",
            "applies_to_direct",
            "applies_to_authorized",
            "target_direct",
            "target_authorized",
            "pass_fail",
            "price_min_pct_direct",
            "price_max_pct_direct",
            "price_min_pct_authorized",
            "price_max_pct_authorized",
            "required_terms",
            "forbidden_terms",
            "touchpoint",
            "dimension",
            "order",
        ]
        read_only_fields = ["framework"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "section" in attrs:
            attrs["framework"] = attrs["section"].framework
        return super().validate(attrs)


class TouchpointTreeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = ["id", "code", "name", "channel", "order"]


class StageTreeSerializer(serializers.ModelSerializer):
    touchpoints = TouchpointTreeSerializer(many=True, read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "name", "phase", "order", "touchpoints"]


class JourneyTreeSerializer(serializers.ModelSerializer):
    stages = StageTreeSerializer(many=True, read_only=True)

    class Meta:
        model = Journey
        fields = ["id", "code", "name", "description", "order", "stages"]


class ItemTreeSerializer(ItemSerializer):
    class Meta(ItemSerializer.Meta):
        read_only_fields = ItemSerializer.Meta.fields


class SectionTreeSerializer(serializers.ModelSerializer):
    items = ItemTreeSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "code", "name", "weight", "order", "items"]


class FrameworkSerializer(serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")

    class Meta:
        model = Framework
        fields = [
            "id",
            "brand",
            "version",
            "name",
            "description",
            "status",
            "based_on",
            "created_at",
            "published_at",
            "retired_at",
        ]
        read_only_fields = ["version", "status", "based_on", "created_at", "published_at", "retired_at"]


class FrameworkUpdateSerializer(FrameworkSerializer):
    """A draft's name and description; its brand is shown, never changed (a PUT may repeat it).

    ``brand`` is declared again, read-only: Meta.read_only_fields does not apply to a field the
    parent declares, which left the brand required and every PUT a 400.
    """

    brand = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(FrameworkSerializer.Meta):
        read_only_fields = [*FrameworkSerializer.Meta.read_only_fields, "brand"]


class FrameworkTreeSerializer(FrameworkSerializer):
    """A whole version in one document: what an auditor's tablet or a BI tool downloads."""

    dimensions = DimensionSerializer(many=True, read_only=True)
    journeys = JourneyTreeSerializer(many=True, read_only=True)
    sections = SectionTreeSerializer(many=True, read_only=True)

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "dimensions", "journeys", "sections"]
        read_only_fields = fields


class NewVersionSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False, max_length=200, help_text="Defaults to the copied version's name."
    )
