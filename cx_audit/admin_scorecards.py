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

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_base import RecordAdmin
from .models import Amendment, Dispute, ScorecardJob, ShareLink
from .services.report_upkeep import (
    reports_purge_jobs,
    scorecard_job_give_up,
    scorecard_jobs_checked,
)
from .services.sharing import share_link_revoke


@admin.register(Dispute)
class DisputeAdmin(RecordAdmin):
    """HQ finds disputes here (open ones first to decide); deciding rescores, so it is on the page."""

    brand_path = "audit__brand_id"
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

    brand_path = "audit__brand_id"
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


class ShareLinkStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("active")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        return {
            "active": lambda: queryset.filter(revoked_at__isnull=True, expires_at__gt=now),
            "expired": lambda: queryset.filter(revoked_at__isnull=True, expires_at__lte=now),
            "revoked": lambda: queryset.filter(revoked_at__isnull=False),
        }.get(self.value() or "", lambda: queryset)()


@admin.register(ShareLink)
class ShareLinkAdmin(RecordAdmin):
    """Who shared which scorecard with whom, how often it was opened; revoke what should stop.

    No adding here: a link's token is shown once, to its maker, on the scorecard page."""

    brand_path = "location__brand_id"
    list_display = ["location", "note", "created_by", "created_at", "expires_at", "state", "opened_count"]
    list_filter = [ShareLinkStateFilter, "location__brand", "created_at"]
    search_fields = ["note", "location__code", "location__name", "created_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["location", "created_by"]
    actions = ["revoke"]
    exclude = ["token_hash"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "token_hash"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {name: action for name, action in super().get_actions(request).items() if name == "revoke"}

    @admin.action(description=_("Revoke the selected links (they open nothing any more)"))
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        mine = list(queryset.managed_by(request.user).select_related("location"))
        for link in mine:
            share_link_revoke(link=link, user=request.user)
        self.message_user(
            request,
            ngettext("%(n)s link revoked.", "%(n)s links revoked.", len(mine)) % {"n": len(mine)},
        )
        if skipped := queryset.count() - len(mine):
            self.message_user(
                request,
                ngettext(
                    "%(n)s link was left: only HQ admins of its brand revoke it.",
                    "%(n)s links were left: only HQ admins of their brand revoke them.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )


@admin.register(ScorecardJob)
class ScorecardJobAdmin(RecordAdmin):
    """Bulk exports of the brand, to see what runs, what failed and why; stuck jobs are given up
    and ZIPs deleted through the same upkeep as `purge_reports`, never by editing a row."""

    list_display = [
        "pk",
        "scope",
        "requested_by",
        "status",
        "progress",
        "created_at",
        "last_progress_at",
        "finished_at",
        "kept_until",
    ]
    list_display_links = ["pk", "scope"]
    list_filter = ["status", "brand", "created_at"]
    search_fields = ["requested_by__username", "franchisee__name", "region__name", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["franchisee", "region", "requested_by"]
    actions = ["give_up", "delete_zip"]
    view_on_site = False  # a job's page is its requester's own

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return ScorecardJob.objects.managed_by(request.user)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {name: a for name, a in super().get_actions(request).items() if name in self.actions}

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # A job whose worker died shows (and is stored) as failed here too, as on its page.
        unfinished = self.get_queryset(request).filter(status__in=("queued", "running"))
        scorecard_jobs_checked(list(unfinished))
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("of"))
    def scope(self, job: ScorecardJob) -> str:
        return job.scope_name

    @admin.display(description=_("progress"))
    def progress(self, job: ScorecardJob) -> str:
        return f"{job.done} / {job.total}"

    @admin.display(description=_("ZIP kept until"))
    def kept_until(self, job: ScorecardJob) -> Any:
        return job.kept_until or "—"

    @admin.action(description=_("Give up the selected unfinished jobs (mark them failed)"))
    def give_up(self, request: HttpRequest, queryset: QuerySet) -> None:
        reason = _("Given up by %(who)s in the admin: start it again.") % {"who": request.user.get_username()}
        count = sum(scorecard_job_give_up(job=job, reason=reason) for job in queryset)
        self.message_user(
            request, ngettext("%(n)s job given up.", "%(n)s jobs given up.", count) % {"n": count}
        )

    @admin.action(description=_("Delete the ZIP of the selected jobs now (they become expired)"))
    def delete_zip(self, request: HttpRequest, queryset: QuerySet) -> None:
        report = reports_purge_jobs(queryset)
        count = len(report.deleted_files)
        self.message_user(
            request, ngettext("%(n)s ZIP deleted.", "%(n)s ZIPs deleted.", count) % {"n": count}
        )
