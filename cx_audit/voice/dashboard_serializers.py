"""The voice dashboard's answers as DRF serializers: they write every answer and describe it in the
OpenAPI document, so the document and the answers cannot drift apart (the schema fuzzer checks).

Decimals are JSON strings ("42.5"), as every DecimalField of the API; a metric nobody answered is
null. Money is rounded to cents here, for display only (`revenue.quantize_money`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cx_audit.voice.revenue import quantize_money


def _decimal(digits: int, places: int, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=digits, decimal_places=places, allow_null=True, **kwargs)


class MoneyField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=20, decimal_places=2, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return super().to_representation(quantize_money(value))


class VoiceFiguresSerializer(serializers.Serializer):
    volume = serializers.IntegerField()
    nps = _decimal(4, 1, help_text="% promoters (9–10) − % detractors (0–6), −100 to 100.")
    csat_share = _decimal(4, 1, help_text="% of CSAT answers that are 4 or 5.")
    csat_mean = _decimal(3, 2, help_text="Mean CSAT, 1–5.")
    effort_mean = _decimal(3, 2, help_text="Mean effort, 1–7 (lower is easier).")
    complaint_share = _decimal(4, 1, help_text="% of records that are complaints.")
    nps_n = serializers.IntegerField(help_text="Records with an NPS answer.")
    complaints = serializers.IntegerField()


class VoiceChangeSerializer(serializers.Serializer):
    volume = serializers.IntegerField()
    nps = _decimal(5, 1)
    csat_share = _decimal(5, 1)
    csat_mean = _decimal(4, 2)
    effort_mean = _decimal(4, 2)
    complaint_share = _decimal(5, 1)


class VoiceHeadlineSerializer(serializers.Serializer):
    current = VoiceFiguresSerializer()
    previous = VoiceFiguresSerializer(help_text="The period of the same length just before.")
    change = VoiceChangeSerializer()
    comments = serializers.IntegerField(help_text="Records with a comment in the period.")


class VoiceCutRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The group's id or code; empty for none.")
    label = serializers.CharField()
    code = serializers.CharField(allow_blank=True)
    figures = VoiceFiguresSerializer()


class VoiceBrandSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class VoiceRevenueAtRiskSerializer(serializers.Serializer):
    revenue = MoneyField()
    negative_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    affected = MoneyField(help_text="Revenue of the customers with a negative experience.")
    complainers = MoneyField()
    silent = MoneyField()
    lost = MoneyField()
    at_risk = MoneyField()
    retained = MoneyField()


class VoiceLeverSerializer(serializers.Serializer):
    lost_now = MoneyField()
    lost_then = MoneyField()
    saved = MoneyField(help_text="Lost revenue now − at the lever's complaint rate.")


class VoiceRevenueRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    locations = serializers.IntegerField()
    revenue = VoiceRevenueAtRiskSerializer()


class VoiceRevenueSerializer(serializers.Serializer):
    total = VoiceRevenueAtRiskSerializer()
    regions = VoiceRevenueRowSerializer(many=True)
    complaint_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    lever_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    lever = VoiceLeverSerializer(allow_null=True)
    without_revenue = serializers.IntegerField()
    without_share = serializers.IntegerField()


class VoiceSummarySerializer(serializers.Serializer):
    brand = VoiceBrandSerializer()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    headline = VoiceHeadlineSerializer()
    by_region = VoiceCutRowSerializer(many=True)
    by_franchisee = VoiceCutRowSerializer(many=True)
    by_outlet_type = VoiceCutRowSerializer(many=True)
    by_channel = VoiceCutRowSerializer(many=True)
    by_touchpoint = VoiceCutRowSerializer(many=True)
    worst_locations = VoiceCutRowSerializer(many=True, help_text="Lowest NPS first; key is the location id.")
    revenue = VoiceRevenueSerializer()


class VoiceTrendRowSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    label = serializers.CharField()
    figures = VoiceFiguresSerializer()


class VoiceTrendSerializer(serializers.Serializer):
    interval = serializers.ChoiceField(choices=["week", "month"])
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    points = VoiceTrendRowSerializer(many=True)


class VoiceExampleSerializer(serializers.Serializer):
    feedback_id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    comment = serializers.CharField()
    start = serializers.IntegerField(help_text="First character of the matched words.")
    end = serializers.IntegerField(help_text="Character after the matched words.")
    matched = serializers.CharField()


class VoicePointSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    polarity = serializers.IntegerField()
    mentions = serializers.IntegerField()
    comments = serializers.IntegerField()
    weight = serializers.DecimalField(max_digits=14, decimal_places=2)
    share = _decimal(4, 1, help_text="% of the period's comments.")
    examples = VoiceExampleSerializer(many=True)


class VoicePointsSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["touchpoint", "dimension", "term"])
    comments = serializers.IntegerField()
    pain = VoicePointSerializer(many=True)
    pleasure = VoicePointSerializer(many=True)


class VoiceWindowsSerializer(serializers.Serializer):
    baseline_start = serializers.DateField()
    baseline_end = serializers.DateField()
    current_start = serializers.DateField()
    current_end = serializers.DateField()


class VoiceWarningPolicySerializer(serializers.Serializer):
    nps_drop = serializers.DecimalField(max_digits=5, decimal_places=1)
    complaint_rise = serializers.DecimalField(max_digits=5, decimal_places=2)
    min_sample = serializers.IntegerField()
    baseline_weeks = serializers.IntegerField()
    window_days = serializers.IntegerField()


class VoiceFlagSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["location", "touchpoint"])
    key = serializers.CharField(help_text="The location's id or the touchpoint's code.")
    code = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=["nps_drop", "complaint_rise"])
    current = serializers.DecimalField(max_digits=12, decimal_places=2)
    baseline = serializers.DecimalField(max_digits=12, decimal_places=2)
    change = serializers.DecimalField(max_digits=12, decimal_places=2)
    sample = serializers.IntegerField()


class VoiceFlagsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    windows = VoiceWindowsSerializer()
    policy = VoiceWarningPolicySerializer()
    flags = VoiceFlagSerializer(many=True)


class VoiceLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    outlet_type = serializers.CharField()
    city = serializers.CharField()


class VoiceAuditSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    submitted_at = serializers.DateTimeField()
    score = _decimal(5, 2)


class VoiceDeltaLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    importance = serializers.DecimalField(max_digits=3, decimal_places=1)
    auditor_experience = _decimal(5, 2)
    auditor_expectation = _decimal(3, 1)
    auditor_satisfaction = _decimal(5, 2)
    auditor_weighted = _decimal(6, 2)
    auditor_key = serializers.BooleanField()
    customer_experience = _decimal(5, 2)
    customer_expectation = serializers.DecimalField(max_digits=5, decimal_places=2)
    expectation_source = serializers.ChoiceField(choices=["asked", "framework"])
    customer_satisfaction = _decimal(5, 2)
    customer_weighted = _decimal(6, 2)
    customer_key = serializers.BooleanField()
    mentions = serializers.IntegerField()


class VoiceDeltaSerializer(serializers.Serializer):
    audit = VoiceAuditSerializer(allow_null=True, help_text="The latest counted audit (null: none yet).")
    lines = VoiceDeltaLineSerializer(many=True)
    auditor_keys = serializers.ListField(child=serializers.CharField())
    customer_keys = serializers.ListField(child=serializers.CharField())


class VoiceRecoverySerializer(serializers.Serializer):
    opened = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    recovered = serializers.IntegerField()
    not_recovered = serializers.IntegerField()
    rate = _decimal(4, 1, help_text="% of closed actions that won the customer back.")


class VoiceTagSerializer(serializers.Serializer):
    term = serializers.CharField()
    polarity = serializers.IntegerField()
    touchpoint_code = serializers.CharField(allow_blank=True)
    dimension_code = serializers.CharField(allow_blank=True)
    negated = serializers.BooleanField()
    matched = serializers.CharField()


class VoiceCommentSerializer(serializers.Serializer):
    feedback_id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    channel = serializers.CharField()
    nps = serializers.IntegerField(allow_null=True)
    csat = serializers.IntegerField(allow_null=True)
    effort = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    tags = VoiceTagSerializer(many=True)


class VoiceLocationVoiceSerializer(serializers.Serializer):
    location = VoiceLocationSerializer()
    mode = serializers.ChoiceField(
        choices=["full", "summary"], help_text="summary: an auditor's view, figures only."
    )
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    headline = VoiceHeadlineSerializer()
    trend = VoiceTrendRowSerializer(many=True)
    pain = VoicePointSerializer(many=True)
    pleasure = VoicePointSerializer(many=True)
    flags = VoiceFlagSerializer(many=True, allow_null=True)
    delta = VoiceDeltaSerializer(allow_null=True)
    revenue = VoiceRevenueAtRiskSerializer(allow_null=True)
    lever = VoiceLeverSerializer(allow_null=True)
    recovery = VoiceRecoverySerializer(allow_null=True)
    comments = VoiceCommentSerializer(many=True, allow_null=True)
