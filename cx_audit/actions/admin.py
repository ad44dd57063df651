"""The admin of corrective actions (read-only records), routing rules and deadlines."""

from django.contrib import admin

from cx_audit.actions.models import ActionEvent, ActionPolicy, CorrectiveAction, RoutingRule
from cx_audit.core.admin import ReadOnlyInline, RecordAdmin, ScopedModelAdmin


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
