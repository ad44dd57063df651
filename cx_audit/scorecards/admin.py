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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cx_audit.core.admin import RecordAdmin
from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.sharing import share_link_revoke


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
