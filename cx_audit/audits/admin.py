"""The admin of audits (read-only records) and audit plans (how often each kind of store is due)."""

from __future__ import annotations

from django.contrib import admin

from cx_audit.audits.models import Answer, Audit, AuditPlan, ItemResult, SectionResult
from cx_audit.core.admin import ReadOnlyInline, RecordAdmin, ScopedModelAdmin


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["item", "kind", "yes", "number", "list_price", "text", "comment"]
    readonly_fields = fields


class SectionResultInline(ReadOnlyInline):
    model = SectionResult
    fields = [
        "section_code",
        "score",
        "earned",
        "possible",
        "weight",
        "passed",
        "failed",
        "na",
        "cannot_check",
    ]
    readonly_fields = fields


class ItemResultInline(ReadOnlyInline):
    model = ItemResult
    fields = ["item_code", "outcome", "earned", "possible", "reason", "critical_failed", "repeat"]
    readonly_fields = fields


@admin.register(Audit)
class AuditAdmin(RecordAdmin):
    """Audits are read here; they are started on the tablet, filled and submitted through the
    services, and a submitted audit is immutable, so the admin offers no add, change or delete."""

    list_display = ["location", "kind", "status", "submitted_at", "score", "band", "critical_failure"]
    list_filter = ["status", "kind", "outlet_type", "critical_failure", "brand"]
    search_fields = ["location__code", "location__name", "auditor__username"]
    date_hierarchy = "submitted_at"
    inlines = [SectionResultInline, ItemResultInline, AnswerInline]


@admin.register(AuditPlan)
class AuditPlanAdmin(ScopedModelAdmin):
    """How often HQ wants each kind of location audited; the auditors' due lists follow it."""

    list_display = ["brand", "outlet_type", "city_tier", "interval_days"]
    list_filter = ["brand", "outlet_type", "city_tier"]
