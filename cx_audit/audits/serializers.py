"""Serializers of the audit API: thin shapes around the audit services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from rest_framework import serializers

from cx_audit.audits.choices import AnswerKind, AuditKind
from cx_audit.audits.models.amendments import Amendment
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from cx_audit.audits.services import AnswerInput
from cx_audit.core.serializers import ModelCleanMixin, ScopedRelatedField
from journeys.models import Framework
from locations.models import Brand, Location

MAX_ANSWERS_PER_REQUEST = 1000


class AuditSerializer(serializers.ModelSerializer):
    location_code = serializers.CharField(source="location.code", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    framework_version = serializers.IntegerField(source="framework.version", read_only=True)
    auditor_name = serializers.CharField(source="auditor.get_username", read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "uuid",
            "brand",
            "location",
            "location_code",
            "location_name",
            "framework",
            "framework_version",
            "auditor",
            "auditor_name",
            "kind",
            "status",
            "started_at",
            "submitted_at",
            "checkin_latitude",
            "checkin_longitude",
            "checkin_distance_m",
            "outside_geofence",
            "outlet_type",
            "franchisee",
            "region",
            "city_tier",
            "score",
            "raw_score",
            "critical_failure",
            "band",
            "failed_count",
            "na_count",
            "cannot_check_count",
            "repeat_count",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class AuditCreateSerializer(serializers.Serializer):
    """Start a draft. ``uuid`` is the client's id: sending the same one again returns that audit."""

    uuid = serializers.UUIDField(required=False)
    location = ScopedRelatedField(queryset=Location.objects.all())
    kind = serializers.ChoiceField(choices=AuditKind.choices, default=AuditKind.SCHEDULED)
    framework = ScopedRelatedField(
        queryset=Framework.objects.all(),
        required=False,
        help_text="The version the tablet started with; default: the brand's current one.",
    )
    checkin_latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=Decimal(-90), max_value=Decimal(90), required=False
    )
    checkin_longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=Decimal(-180), max_value=Decimal(180), required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("checkin_latitude" in attrs) != ("checkin_longitude" in attrs):
            missing = "checkin_longitude" if "checkin_latitude" in attrs else "checkin_latitude"
            raise serializers.ValidationError(
                {missing: ["Give the check-in latitude and longitude together."]}
            )
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where the photo is served, to those who may see it.")
    thumb_url = serializers.SerializerMethodField(help_text="The upright display copy (at most 1600 px).")

    class Meta:
        model = Evidence
        fields = ["id", "url", "thumb_url", "size", "content_type", "sha256", "width", "height", "created_at"]
        read_only_fields = fields

    def get_url(self, evidence: Evidence) -> str:
        return reverse("evidence-file", args=[evidence.pk])

    def get_thumb_url(self, evidence: Evidence) -> str:
        return reverse("evidence-file", args=[evidence.pk]) + "?size=display"


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    photos = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Answer
        fields = [
            "item",
            "kind",
            "yes",
            "number",
            "list_price",
            "text",
            "comment",
            "photos",
            "revision",
            "updated_at",
        ]
        read_only_fields = fields


def answers_queryset(audit: Audit) -> Any:
    return (
        Answer.objects.filter(audit=audit)
        .select_related("item__section")
        .prefetch_related(Prefetch("photos", queryset=Evidence.objects.order_by("created_at", "pk")))
    )


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40, help_text="The item's code.")
    kind = serializers.ChoiceField(choices=AnswerKind.choices, default=AnswerKind.VALUE)
    yes = serializers.BooleanField(required=False, allow_null=True, default=None)
    number = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    list_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    base_revision = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        help_text="The revision of this answer you last saw from the server (0: never). A newer one "
        "with other values answers 409; leave out to overwrite unconditionally.",
    )


class AnswersUpsertSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, allow_empty=False, max_length=MAX_ANSWERS_PER_REQUEST)

    def answer_inputs(self) -> list[AnswerInput]:
        return [AnswerInput(**data) for data in self.validated_data["answers"]]


class EvidenceUploadSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40, help_text="The item's code.")
    file = serializers.FileField(help_text="A JPEG, PNG or WebP photo; checked by content.")


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ItemResultSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="item.question", read_only=True)
    critical = serializers.BooleanField(source="item.critical", read_only=True)

    class Meta:
        model = ItemResult
        fields = [
            "item_code",
            "question",
            "section_code",
            "dimension_code",
            "outcome",
            "earned",
            "possible",
            "fraction",
            "reason",
            "matched_required",
            "matched_forbidden",
            "critical",
            "critical_failed",
            "repeat",
        ]
        read_only_fields = fields


class SectionResultSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="section.name", read_only=True)

    class Meta:
        model = SectionResult
        fields = [
            "section_code",
            "name",
            "score",
            "earned",
            "possible",
            "weight",
            "passed",
            "failed",
            "na",
            "cannot_check",
        ]
        read_only_fields = fields


class DimensionResultSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="dimension.name", read_only=True)

    class Meta:
        model = DimensionResult
        fields = [
            "dimension_code",
            "name",
            "experience",
            "importance",
            "expectation",
            "ideal",
            "satisfaction",
            "weighted_satisfaction",
            "ideal_gap",
            "key_rank",
        ]
        read_only_fields = fields


class AmendmentSerializer(serializers.ModelSerializer):
    amended_by = serializers.CharField(source="amended_by.get_username", read_only=True)

    class Meta:
        model = Amendment
        fields = [
            "id",
            "dispute",
            "item_code",
            "ruling",
            "fraction",
            "reason",
            "original_outcome",
            "original_earned",
            "original_possible",
            "original_reason",
            "original_critical_failed",
            "original_repeat",
            "amended_outcome",
            "amended_earned",
            "amended_possible",
            "score_before",
            "raw_score_before",
            "band_before",
            "critical_failure_before",
            "score_after",
            "raw_score_after",
            "band_after",
            "critical_failure_after",
            "sections_before",
            "amended_by",
            "amended_at",
        ]
        read_only_fields = fields


class ScoreSerializer(serializers.Serializer):
    """The full breakdown of a submitted audit, every point with its reason."""

    audit = AuditSerializer()
    sections = SectionResultSerializer(many=True)
    dimensions = DimensionResultSerializer(many=True)
    key_experiences = serializers.ListField(child=serializers.CharField())
    items = ItemResultSerializer(many=True)
    amendments = AmendmentSerializer(
        many=True, help_text="HQ's rescorings after accepted disputes, each with the item's original result."
    )


class ExperienceSerializer(serializers.Serializer):
    """The Delta model of a location's latest submitted audit."""

    location = serializers.IntegerField()
    audit = AuditSerializer(allow_null=True)
    dimensions = DimensionResultSerializer(many=True)
    key_experiences = serializers.ListField(child=serializers.CharField())


class AuditPlanSerializer(ModelCleanMixin, serializers.ModelSerializer):
    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")

    class Meta:
        model = AuditPlan
        fields = ["id", "brand", "outlet_type", "city_tier", "interval_days"]
