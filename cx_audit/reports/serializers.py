"""Serializers of bulk export jobs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from cx_audit.reports.models import ScorecardJob


class ScorecardJobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()
    kept_until = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the ZIP will be deleted (done jobs only)."
    )
    can_restart = serializers.BooleanField(
        read_only=True, help_text="Failed or expired: POST …/restart/ makes a new job of the same scope."
    )

    class Meta:
        model = ScorecardJob
        fields = [
            "id",
            "brand",
            "franchisee",
            "region",
            "status",
            "status_display",
            "total",
            "done",
            "percent",
            "error",
            "created_at",
            "started_at",
            "last_progress_at",
            "finished_at",
            "kept_until",
            "expired_at",
            "can_restart",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: ScorecardJob) -> str | None:
        return reverse("scorecard-job-download", args=[job.pk]) if job.status == "done" else None


class ScorecardJobCreateSerializer(serializers.Serializer):
    franchisee = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    region = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("franchisee") is None) == (attrs.get("region") is None):
            raise serializers.ValidationError(
                {"franchisee": ["Give a franchisee or a region (one of them)."]}
            )
        return attrs
