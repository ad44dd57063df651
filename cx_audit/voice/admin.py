"""The admin of the voice's brand settings (policy, lexicon, survey links) and its records.

Feedback, tags and recovery actions are records: the import, the API and the survey write them and
the voice pages act on them, so the admin only shows them (a comment edited here would no longer be
what the customer said)."""

from django.contrib import admin

from cx_audit.core.admin import RecordAdmin, ScopedModelAdmin
from cx_audit.voice.models import Feedback, LexiconTerm, RecoveryAction, SurveyLink, VoicePolicy


@admin.register(VoicePolicy)
class VoicePolicyAdmin(ScopedModelAdmin):
    """Revenue-at-risk funnel shares, recovery deadline, critical touchpoints and early-warning
    thresholds; see docs/voice.md."""

    list_display = ["brand", "complaint_rate", "negative_share", "recovery_hours", "warning_nps_drop"]


@admin.register(LexiconTerm)
class LexiconTermAdmin(ScopedModelAdmin):
    """The words the text analysis looks for, in Chinese and English."""

    list_display = ["text", "brand", "polarity", "weight", "touchpoint_code", "dimension_code"]
    list_filter = ["brand", "polarity", "dimension_code"]
    search_fields = ["text", "touchpoint_code", "dimension_code"]


@admin.register(SurveyLink)
class SurveyLinkAdmin(RecordAdmin):
    list_display = ["location", "version", "active", "created_at", "revoked_at"]
    list_filter = ["active"]
    search_fields = ["location__code", "location__name"]


@admin.register(Feedback)
class FeedbackAdmin(RecordAdmin):
    list_display = ["location", "channel", "received_at", "nps", "csat", "effort", "polarity", "complaint"]
    list_filter = ["channel", "source", "polarity", "complaint", "brand"]
    search_fields = ["location__code", "location__name", "external_id"]
    date_hierarchy = "received_at"


@admin.register(RecoveryAction)
class RecoveryActionAdmin(RecordAdmin):
    list_display = ["location", "reason", "department", "status", "due_at", "closed_at"]
    list_filter = ["status", "reason", "department", "brand"]
    search_fields = ["location__code", "location__name"]
