from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .admin_base import RecordAdmin, ScopedModelAdmin
from .models import (
    ActionEvent,
    ActionPolicy,
    Answer,
    Audit,
    AuditPlan,
    CorrectiveAction,
    ItemResult,
    RoutingRule,
    SectionResult,
    User,
)

admin.site.register(User, UserAdmin)
admin.site.site_header = "cx_audit administration"

from . import admin_scorecards  # noqa: E402, F401  (registers disputes, amendments, links, jobs)


class ReadOnlyInline(admin.TabularInline):
    """Rows of an audit, shown but never edited here: audits change only through their services."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # the audit page itself is already scoped and gated

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedModelAdmin):
    """Where failed findings go: by item code, dimension, section or severity, or the brand default
    (all blank). The most specific matching rule wins; see docs/actions.md."""

    list_display = ["brand", "item_code", "dimension_code", "section_code", "severity", "department", "note"]
    list_filter = ["brand", "department", "severity"]
    search_fields = ["item_code", "dimension_code", "section_code", "note"]


@admin.register(ActionPolicy)
class ActionPolicyAdmin(ScopedModelAdmin):
    """Days to fix a finding by severity, and the grace before an overdue action escalates."""

    list_display = ["brand", "critical_days", "repeat_days", "normal_days", "escalation_grace_days"]


class ActionEventInline(ReadOnlyInline):
    model = ActionEvent
    fields = ["at", "kind", "by", "audit", "note", "photo"]
    readonly_fields = fields


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(RecordAdmin):
    """Actions are read here; audits open them and the action pages answer and decide them."""

    list_display = ["location", "item_code", "severity", "department", "status", "due_date", "escalated_at"]
    list_filter = ["status", "severity", "department", "brand"]
    search_fields = ["location__code", "location__name", "item_code"]
    date_hierarchy = "due_date"
    inlines = [ActionEventInline]
