"""Navigation by role: each signed-in user sees the sections their roles can use."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cx_audit.core.choices import Role
from cx_audit.core.scope import access_scope


def _active_url(path: str, items: list[tuple[Any, str]]) -> str | None:
    """The one section the page belongs to: the longest nav URL the path starts with.

    "/locations/policy-check/" belongs to "Policy check", not also to "Locations".
    """
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default=None)


def disputes_badge(user: Any) -> dict[str, Any] | None:
    """How many disputes wait for the user's decision, linking to them: one query for an HQ admin
    (however many brands), none for anyone else; no badge when nothing waits."""
    from cx_audit.disputes.notices import open_disputes_to_decide

    count = open_disputes_to_decide(user)
    if not count:
        return None
    return {
        "count": count,
        "url": reverse("scorecards:disputes") + "?status=open",
        "label": ngettext("%(count)s open dispute to decide", "%(count)s open disputes to decide", count)
        % {"count": count},
    }


def open_actions_badge(user: Any) -> dict[str, Any] | None:
    """How many corrective actions the user sees that wait on a store (open, or sent back): one query."""
    from cx_audit.actions.models import CorrectiveAction

    count = CorrectiveAction.objects.visible_to(user).open().count()
    if not count:
        return None
    return {
        "count": count,
        "url": reverse("actions:list") + "?status=open",
        "label": ngettext("%(count)s open action", "%(count)s open actions", count) % {"count": count},
    }


def _add_badge(nav: list[dict[str, Any]], url: str, badge: dict[str, Any] | None) -> None:
    for item in nav:
        if badge and item["url"] == url:
            item["badge"] = badge


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The links of the main navigation for the user's roles, the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    scope = access_scope(user)
    roles = set(scope.roles_by_brand.values())
    is_hq = scope.is_superuser or bool(roles & {Role.HQ_ADMIN, Role.HQ_ANALYST})
    items = [(_("Home"), reverse("home"))]
    # The tablet app is for those who fill audits: auditors, HQ admins, franchisees (self-assessment).
    if scope.is_superuser or roles & {Role.AUDITOR, Role.HQ_ADMIN, Role.FRANCHISEE}:
        items.append((_("My audits"), reverse("tablet")))
    items += [
        (_("Locations"), reverse("locations:location_list")),
        (_("Audits"), reverse("audit_list")),
    ]
    if is_hq:  # chain insights compare locations: HQ's job (cx_audit/insights/access.py)
        items.append((_("Insights"), reverse("insights:dashboard")))
    if is_hq or Role.FRANCHISEE in roles:  # a franchisee's own outlets; HQ's whole chain
        items.append((_("Scorecards"), reverse("scorecards:list")))
        items.append((_("Customers"), reverse("voice:dashboard")))  # their voice (cx_audit/voice/)
    sees_actions = scope.is_superuser or bool(roles)  # every role sees some corrective actions
    if sees_actions:
        items.append((_("Actions"), reverse("actions:list")))
    items += [
        (_("Framework"), reverse("journeys:framework_list")),
    ]
    if is_hq:
        items.append((_("Policy check"), reverse("locations:policy_exceptions")))
    if scope.is_superuser or Role.HQ_ADMIN in roles:  # who changed what: HQ admins (cx_audit/history/)
        items.append((_("History"), reverse("history:list")))
        items.append((_("Admin"), reverse("admin:index")))
    items.append((_("API"), reverse("api-docs")))
    nav = [
        {"label": label, "url": url, "active": url == _active_url(request.path, items)}
        for label, url in items
    ]
    _add_badge(nav, reverse("scorecards:list"), disputes_badge(user))
    if sees_actions:
        _add_badge(nav, reverse("actions:list"), open_actions_badge(user))
    role_labels = sorted({Role(r).label for r in roles}) if roles else []
    if scope.is_superuser:
        role_labels.insert(0, _("Superuser"))
    # Object pages link to their change history for those who may read it (cx_audit/history/).
    reads_history = scope.is_superuser or Role.HQ_ADMIN in roles
    return {"nav_items": nav, "user_roles": role_labels, "is_hq": is_hq, "reads_history": reads_history}
