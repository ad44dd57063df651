"""Corrective-action pages: the list (same filters as the API, sortable, paged, overdue highlighted)
and one action's page — the finding with the auditor's photos, the history, the store's answer form
and HQ's decision form.

Every lookup goes through `CorrectiveAction.objects.visible_to(user)`, so someone else's action is
a 404; who may answer or decide what they see is `cx_audit.core.permissions`, enforced again by the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from cx_audit.actions.filtersets import CorrectiveActionFilterSet
from cx_audit.actions.forms import ActionDecisionForm, RespondForm
from cx_audit.actions.models import LIVE_STATUSES, ActionEvent, ActionStatus, CorrectiveAction
from cx_audit.actions.services import ActionStateConflict, action_accept, action_respond, action_send_back
from cx_audit.audits.models.audits import Evidence
from cx_audit.audits.pages import evidence_url
from cx_audit.core.forms import add_service_errors
from cx_audit.core.pages import FilteredListMixin
from cx_audit.core.permissions import may

# Sortable columns: the ordering key of the filterset and the column's heading.
SORTABLE = [
    ("location", gettext_lazy("Location")),
    ("severity", gettext_lazy("Severity")),
    ("found", gettext_lazy("Found")),
    ("due", gettext_lazy("Due")),
    ("status", gettext_lazy("Status")),
]


def scoped_actions(user: Any) -> QuerySet:
    return CorrectiveAction.objects.visible_to(user).select_related(
        "location", "item", "franchisee", "audit", "verified_by"
    )


class ActionListView(FilteredListMixin, ListView):
    """Actions the user may see; live ones first, the soonest due first, unless sorted otherwise."""

    model = CorrectiveAction
    filterset_class = CorrectiveActionFilterSet
    paginate_by = 50
    template_name = "cx_audit/actions/list.html"
    queryset = (
        CorrectiveAction.objects.with_severity_rank()
        .select_related("location", "item")
        .annotate(
            settled=Case(
                When(status__in=LIVE_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("settled", "due_date", "pk")
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["sort_columns"] = self._sort_columns()
        return context

    def _sort_columns(self) -> dict[str, dict[str, str]]:
        """Each sortable column's link (ascending, or descending when it is sorted ascending now)."""
        current = self.request.GET.get("ordering", "")
        query = self.request.GET.copy()
        query.pop("page", None)
        columns = {}
        for key, label in SORTABLE:
            query["ordering"] = f"-{key}" if current == key else key
            state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
            columns[key] = {"label": str(label), "url": f"?{query.urlencode()}", "aria_sort": state}
        return columns


def render_action(
    request: HttpRequest,
    action: CorrectiveAction,
    *,
    respond_form: RespondForm | None = None,
    decision_form: ActionDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The action's page, with a refused form (and why) when there is one: five queries."""
    user = request.user
    photos = Evidence.objects.filter(
        answer__audit_id=action.audit_id, answer__item_id=action.item_id
    ).order_by("created_at", "pk")
    context = {
        "action": action,
        "events": list(ActionEvent.objects.filter(action=action).select_related("by", "audit")),
        "photos": [
            {
                "url": evidence_url(photo),
                "alt": _("Photo %(n)s of %(code)s at the audit") % {"n": n, "code": action.item_code},
            }
            for n, photo in enumerate(photos, start=1)
        ],
        "overdue": action.waiting_on_store and action.due_date < timezone.localdate(),
        "can_respond": action.status == ActionStatus.OPEN and may(user, "respond", action),
        "can_decide": action.status == ActionStatus.ANSWERED and may(user, "decide", action),
        "respond_form": respond_form or RespondForm(),
        "decision_form": decision_form or ActionDecisionForm(),
    }
    return render(request, "cx_audit/actions/detail.html", context, status=status)


class ActionDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_action(request, get_object_or_404(scoped_actions(request.user), pk=pk))


class ActionRespondView(LoginRequiredMixin, View):
    """The store answers an open action with a note and a photo."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = get_object_or_404(scoped_actions(request.user), pk=pk)
        form = RespondForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                action_respond(
                    action=action,
                    user=request.user,
                    note=form.cleaned_data["note"],
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionStateConflict as conflict:
                form.add_error(None, str(conflict))
                return render_action(request, action, respond_form=form, status=409)
            else:
                messages.success(request, _("Your answer was sent to HQ."))
                return redirect("actions:detail", pk=action.pk)
        return render_action(request, action, respond_form=form, status=400)


class ActionDecideView(LoginRequiredMixin, View):
    """HQ accepts the store's answer or sends it back with a reason."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = get_object_or_404(scoped_actions(request.user), pk=pk)
        form = ActionDecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "accept":
                    action_accept(action=action, user=request.user, note=data["note"])
                    messages.success(request, _("Accepted: the next audit will verify the fix."))
                else:
                    action_send_back(action=action, user=request.user, reason=data["note"])
                    messages.success(request, _("Sent back: the action is open again."))
            except ValidationError as error:
                # The service names the send-back reason "reason"; on this form it is the note.
                add_service_errors(
                    form, ValidationError({"note": error.messages}) if _names(error, "reason") else error
                )
            except ActionStateConflict as conflict:
                form.add_error(None, str(conflict))
                return render_action(request, action, decision_form=form, status=409)
            else:
                return redirect("actions:detail", pk=action.pk)
        return render_action(request, action, decision_form=form, status=400)


def _names(error: ValidationError, field: str) -> bool:
    return hasattr(error, "error_dict") and field in error.message_dict
