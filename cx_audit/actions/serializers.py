"""Serializers of corrective actions, their history and the brand's routing rules."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from cx_audit.actions.models import ActionEvent, CorrectiveAction, RoutingRule
from cx_audit.actions.services import MAX_NOTE


class ActionEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_username", read_only=True, default=None, allow_null=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = ActionEvent
        fields = ["id", "kind", "by", "audit", "at", "note", "photo_url", "photo_content_type", "photo_size"]
        read_only_fields = fields

    def get_photo_url(self, event: ActionEvent) -> str | None:
        if not event.photo:
            return None
        return reverse("correctiveaction-photo", args=[event.action_id, event.pk])


class ActionLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CorrectiveActionSerializer(serializers.ModelSerializer):
    location = ActionLocationSerializer(read_only=True)
    question = serializers.CharField(source="item.question", read_only=True)
    department_label = serializers.CharField(source="get_department_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    events = ActionEventSerializer(many=True, read_only=True)

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "brand",
            "location",
            "franchisee",
            "audit",
            "last_audit",
            "verified_by",
            "item_code",
            "question",
            "section_code",
            "dimension_code",
            "outcome",
            "reason",
            "critical",
            "repeat",
            "severity",
            "department",
            "department_label",
            "status",
            "opened_at",
            "due_date",
            "overdue",
            "escalated_at",
            "closed_at",
            "events",
        ]
        read_only_fields = fields

    def get_overdue(self, action: CorrectiveAction) -> bool:
        return action.waiting_on_store and action.due_date < timezone.localdate()


class ActionRespondSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE, help_text="What was done to fix the finding.")
    photo = serializers.FileField(required=False, help_text="A JPEG, PNG or WebP photo; checked by content.")


class ActionAcceptSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True, default="")


class ActionSendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_NOTE, help_text="What is still missing.")


class RoutingRuleSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(source="scope_label", read_only=True)
    severity = serializers.CharField(read_only=True, help_text="normal, repeat, critical; blank: any.")
    department_label = serializers.CharField(source="get_department_display", read_only=True)

    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "brand",
            "scope",
            "item_code",
            "dimension_code",
            "section_code",
            "severity",
            "department",
            "department_label",
            "note",
        ]
        read_only_fields = fields
