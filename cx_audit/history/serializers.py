"""How one change reads in the API: who, when, what (model, object, label), the kind, and each
changed field before and after (as text; null: no value)."""

from __future__ import annotations

from rest_framework import serializers

from cx_audit.history.diff import KINDS
from cx_audit.history.tracked import BY_KEY


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field, by attribute name (foreign keys end in _id).")
    before = serializers.CharField(allow_null=True, help_text="null: no value, or not recorded.")
    after = serializers.CharField(allow_null=True, help_text="null: no value (always, for a deletion).")


class HistoryEntrySerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=list(BY_KEY), help_text="The kind of record changed.")
    model_label = serializers.CharField()
    object_id = serializers.IntegerField()
    object_label = serializers.CharField(help_text="The record as it was named after the change.")
    kind = serializers.ChoiceField(choices=list(KINDS.values()))
    date = serializers.DateTimeField()
    user_id = serializers.IntegerField(allow_null=True, help_text="null: a command or the system.")
    user = serializers.CharField(help_text="The user name of whoever made the change; empty if none.")
    brand_id = serializers.IntegerField(allow_null=True)
    changes = FieldChangeSerializer(many=True)
