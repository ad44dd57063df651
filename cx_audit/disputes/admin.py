"""The admin of what scorecards produce: disputes, amendments, share links and bulk export jobs.

All four are records written by services (a decision rescoring an audit, a token shown once, a
worker's progress), so the admin reads them and acts only through those services: share links
are revoked, stuck jobs given up or their ZIPs deleted; disputes are decided on their page, where
the rescoring happens. Amendments are the audit trail of a changed score and can never be added,
edited or deleted here, not even by a superuser. Rows follow the same `visible_to` scope as the
pages (jobs: every job of the brands one is HQ admin of), and the filters offer only values of
rows one may see, so no other brand's or franchisee's name shows up in a filter list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cx_audit.audits.models.amendments import Amendment
from cx_audit.core.admin import RecordAdmin
from cx_audit.disputes.models import Dispute


@admin.register(Dispute)
class DisputeAdmin(RecordAdmin):
    """HQ finds disputes here (open ones first to decide); deciding rescores, so it is on the page."""

    list_display = ["item_code", "location", "franchisee", "status", "raised_by", "raised_at", "decided_at"]
    list_filter = ["status", "audit__brand", "audit__franchisee", "raised_at"]
    search_fields = [
        "item_code",
        "note",
        "decision_reason",
        "audit__location__code",
        "audit__location__name",
        "raised_by__username",
    ]
    date_hierarchy = "raised_at"
    list_select_related = ["audit__location", "audit__franchisee", "raised_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["decide", *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("location"), ordering="audit__location__code")
    def location(self, dispute: Dispute) -> str:
        return f"{dispute.audit.location.code} {dispute.audit.location.name}"

    @admin.display(description=_("franchisee"))
    def franchisee(self, dispute: Dispute) -> str:
        return str(dispute.audit.franchisee or "—")

    @admin.display(description=_("decide"))
    def decide(self, dispute: Dispute) -> str:
        label = _("Decide on the dispute's page") if dispute.is_open else _("Open the dispute's page")
        return format_html('<a href="{}">{}</a>', dispute.get_absolute_url(), label)


@admin.register(Amendment)
class AmendmentAdmin(RecordAdmin):
    """The record of each rescoring after an accepted dispute: before, after, who and when."""

    list_display = [
        "item_code",
        "audit",
        "ruling",
        "original_outcome",
        "amended_outcome",
        "score_before",
        "score_after",
        "amended_by",
        "amended_at",
    ]
    list_filter = ["ruling", "audit__brand", "amended_at"]
    search_fields = ["item_code", "reason", "audit__location__code", "audit__location__name"]
    date_hierarchy = "amended_at"
    list_select_related = ["audit__location", "amended_by"]
