"""Serializers of the scorecard API: the scorecard as JSON, disputes, share links, bulk jobs.

The scorecard serializers read the dataclasses of `cx_audit.scorecards.data` — the same data the
page and the PDF render — so the API shows the same figures, the originals of amended ones included.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from cx_audit.audits.models.amendments import Ruling
from cx_audit.audits.serializers import AmendmentSerializer, DimensionResultSerializer
from cx_audit.disputes.models import Dispute
from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.sharing import DEFAULT_DAYS, MAX_DAYS


class LocationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    outlet_type = serializers.CharField()
    city = serializers.CharField()
    franchisee = serializers.CharField(source="franchisee.name", default=None, allow_null=True)
    region = serializers.CharField(source="region.name", default=None, allow_null=True)


class BrandBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField()
    dispute_days = serializers.IntegerField()


class DisputeSerializer(serializers.ModelSerializer):
    location = serializers.IntegerField(source="audit.location_id", read_only=True)
    question = serializers.CharField(source="item.question", read_only=True)
    raised_by = serializers.CharField(source="raised_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, default=None, allow_null=True
    )
    photo_url = serializers.SerializerMethodField()
    amendment = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = [
            "id",
            "audit",
            "location",
            "item_code",
            "question",
            "note",
            "photo_url",
            "status",
            "raised_by",
            "raised_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "amendment",
        ]
        read_only_fields = fields

    def get_photo_url(self, dispute: Dispute) -> str | None:
        return reverse("dispute-photo", args=[dispute.pk]) if dispute.photo else None

    def get_amendment(self, dispute: Dispute) -> dict | None:
        amendment = getattr(dispute, "amendment", None) if dispute.status == "accepted" else None
        return AmendmentSerializer(amendment).data if amendment else None


class DisputeCreateSerializer(serializers.Serializer):
    audit = serializers.IntegerField(min_value=1, help_text="The audit whose finding is disputed.")
    item = serializers.CharField(max_length=40, help_text="The item's code.")
    note = serializers.CharField(max_length=4000, help_text="Why the finding is wrong.")
    photo = serializers.FileField(required=False, help_text="A JPEG, PNG or WebP photo; checked by content.")


class DisputeAcceptSerializer(serializers.Serializer):
    ruling = serializers.ChoiceField(choices=Ruling.choices, default=Ruling.PASS)
    fraction = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=1,
    )
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class DisputeRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class PhotoSerializer(serializers.Serializer):
    url = serializers.CharField()


class FindingSerializer(serializers.Serializer):
    item_code = serializers.CharField(source="result.item_code")
    question = serializers.CharField()
    section = serializers.CharField()
    critical = serializers.BooleanField()
    outcome = serializers.CharField(source="result.outcome")
    earned = serializers.DecimalField(source="result.earned", max_digits=12, decimal_places=4)
    possible = serializers.DecimalField(source="result.possible", max_digits=12, decimal_places=4)
    points_lost = serializers.DecimalField(max_digits=12, decimal_places=4)
    reason = serializers.CharField(source="result.reason")
    repeat = serializers.BooleanField(source="result.repeat")
    critical_failed = serializers.BooleanField(source="result.critical_failed")
    answer = serializers.CharField()
    comment = serializers.CharField()
    photos = PhotoSerializer(many=True)
    amendment = AmendmentSerializer(allow_null=True)
    dispute = serializers.SerializerMethodField()
    disputable = serializers.BooleanField()

    def get_dispute(self, finding: Any) -> dict | None:
        dispute = finding.dispute
        if dispute is None:
            return None
        return {
            "id": dispute.pk,
            "status": dispute.status,
            "note": dispute.note,
            "reason": dispute.decision_reason,
        }


class SectionLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    original_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    na = serializers.IntegerField()
    cannot_check = serializers.IntegerField()


class HistoryPointSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    band = serializers.CharField()
    critical_failure = serializers.BooleanField()
    no_score_reason = serializers.CharField(help_text="Why this audit has no score; empty when it has one.")


class BenchmarkSerializer(serializers.Serializer):
    chain_median = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    chain_count = serializers.IntegerField()
    region_name = serializers.CharField()
    region_median = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    region_count = serializers.IntegerField()
    outlet_type = serializers.CharField()
    outlet_percentile = serializers.IntegerField(allow_null=True)
    outlet_count = serializers.IntegerField()
    min_group = serializers.IntegerField()
    window_days = serializers.IntegerField()


class PainPointSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["touchpoint", "dimension"])
    code = serializers.CharField()
    name = serializers.CharField()
    mentions = serializers.IntegerField(help_text="Comments with a pain tag there (each counted once).")


class CustomerVoiceSerializer(serializers.Serializer):
    """What customers say beside the audit (`voice.sidebyside.CustomerVoice`): figures, no comments."""

    start = serializers.DateField()
    end = serializers.DateField()
    answers = serializers.IntegerField(source="tally.volume")
    nps = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    nps_answers = serializers.IntegerField(source="tally.nps_n")
    csat_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    csat_mean = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    effort_mean = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    pain_points = PainPointSerializer(many=True)
    revenue_lost = serializers.DecimalField(source="lost", max_digits=16, decimal_places=2, allow_null=True)
    revenue_at_risk = serializers.DecimalField(
        source="at_risk", max_digits=16, decimal_places=2, allow_null=True
    )
    negative_share_pct = serializers.DecimalField(
        source="negative_pct", max_digits=4, decimal_places=1, allow_null=True
    )
    share_source = serializers.CharField(help_text='"brand", "detractors", or empty without revenue at risk.')


class ScorecardAuditSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    raw_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    band = serializers.CharField()
    critical_failure = serializers.BooleanField()
    failed_count = serializers.IntegerField()
    repeat_count = serializers.IntegerField()
    na_count = serializers.IntegerField()
    cannot_check_count = serializers.IntegerField()


class ScorecardSerializer(serializers.Serializer):
    """One location's scorecard: the same figures as its page and PDF."""

    location = LocationBriefSerializer()
    brand = BrandBriefSerializer()
    generated_at = serializers.DateTimeField()
    audit = ScorecardAuditSerializer(allow_null=True)
    no_score_reason = serializers.CharField(
        help_text="Why the latest audit has no score (nothing could be checked); empty otherwise."
    )
    amended = serializers.BooleanField()
    original_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="The score before HQ amended findings."
    )
    original_band = serializers.CharField()
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    trend = serializers.CharField(allow_null=True)
    previous = HistoryPointSerializer(allow_null=True)
    sections = SectionLineSerializer(many=True)
    dimensions = DimensionResultSerializer(many=True)
    key_experiences = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True)
    repeat_findings = serializers.SerializerMethodField()
    history = HistoryPointSerializer(many=True)
    benchmark = BenchmarkSerializer(allow_null=True)
    dispute_deadline = serializers.DateTimeField(allow_null=True)
    dispute_open = serializers.BooleanField()
    can_dispute = serializers.BooleanField()
    pdf_url = serializers.SerializerMethodField()
    logo_url = serializers.CharField(help_text="The brand's logo (PNG); empty when it has none.")
    customers = CustomerVoiceSerializer(allow_null=True)

    def get_key_experiences(self, card: Any) -> list[str]:
        return [d.dimension_code for d in card.key_dimensions]

    def get_repeat_findings(self, card: Any) -> list[str]:
        return [f.result.item_code for f in card.repeat_findings]

    def get_pdf_url(self, card: Any) -> str:
        return reverse("scorecard-pdf", args=[card.location.pk])


class PortalRowSerializer(serializers.Serializer):
    location = LocationBriefSerializer()
    audit_id = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    band = serializers.CharField()
    critical_failure = serializers.BooleanField()
    previous_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    trend = serializers.CharField(allow_null=True)
    open_disputes = serializers.IntegerField()
    open_actions = serializers.IntegerField(help_text="Corrective actions waiting on the store.")
    no_score_reason = serializers.CharField(help_text="Why the latest audit has no score, if it has none.")
    scorecard_url = serializers.SerializerMethodField()

    def get_scorecard_url(self, row: Any) -> str:
        return reverse("scorecard-detail", args=[row.location.pk])


class ShareLinkSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "location",
            "note",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "state",
            "opened_count",
            "last_opened_at",
        ]
        read_only_fields = fields


class ShareLinkCreateSerializer(serializers.Serializer):
    location = serializers.IntegerField(min_value=1)
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, default=DEFAULT_DAYS)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class NewShareLinkSerializer(ShareLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="The link; shown this once, never again.")

    class Meta(ShareLinkSerializer.Meta):
        fields = [*ShareLinkSerializer.Meta.fields, "url"]
        read_only_fields = fields
