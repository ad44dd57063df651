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
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cx_audit.core.admin import RecordAdmin
from cx_audit.reports.models import ScorecardJob
from cx_audit.reports.upkeep import reports_purge_jobs, scorecard_job_give_up, scorecard_jobs_checked


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
