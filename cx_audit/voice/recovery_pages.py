"""Customer-recovery pages under /voice/recovery/: the list (open first, overdue marked, the same
filters as the API, the recovery rate overall and per location and department) and one action's
page — what the customer said, with the words the analysis tagged, and the form that closes it.

Every lookup goes through `RecoveryAction.objects.visible_to(user)`, so someone else's action is a
404; auditors read no feedback records at all, so the list is a 404 for them too. Who may close an
action is `may(user, "close", action)`, asked again by `recovery_close`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from cx_audit.core.errors import StateConflict
from cx_audit.core.forms import add_service_errors
from cx_audit.core.pages import FilteredListMixin
from cx_audit.core.permissions import may
from cx_audit.core.scope import access_scope
from cx_audit.voice.choices import RecoveryStatus
from cx_audit.voice.models import FeedbackTag, RecoveryAction
from cx_audit.voice.recovery_api import CLOSE_REFUSED, MAX_NOTE, recovery_actions
from cx_audit.voice.recovery_filters import RecoveryActionFilterSet
from cx_audit.voice.recovery_stats import recovery_breakdown, recovery_counts
from cx_audit.voice.services import recovery_close

# Filters that pick actions by their state: the rate is counted without them (a rate over open
# actions alone would be empty).
STATE_FILTERS = ("status", "overdue", "page")


def reads_feedback(user: Any) -> bool:
    """HQ roles and franchisees read feedback records; auditors and outsiders never do."""
    scope = access_scope(user)
    return scope.is_superuser or bool(scope.hq_brand_ids) or bool(scope.franchisee_ids)


class RecoveryCloseForm(forms.Form):
    """Only the shape of the answer; `recovery_close` decides whether it may be given."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            (RecoveryStatus.RECOVERED, gettext_lazy("Recovered: the customer is satisfied")),
            (RecoveryStatus.NOT_RECOVERED, gettext_lazy("Not recovered")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("What was done (shown to HQ and the store)"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecoveryListView(FilteredListMixin, ListView):
    """Open actions first, the soonest due first; closed ones after, the latest first."""

    model = RecoveryAction
    filterset_class = RecoveryActionFilterSet
    paginate_by = 50
    template_name = "cx_audit/voice/recovery_list.html"
    queryset = (
        RecoveryAction.objects.select_related("location", "feedback")
        .annotate(
            settled=Case(
                When(status=RecoveryStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            open_due=Case(When(status=RecoveryStatus.OPEN, then=F("due_at"))),
        )
        .order_by("settled", F("open_due").asc(nulls_last=True), "-due_at", "-pk")
    )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reads_feedback(request.user):
            raise Http404(_("There is no such page."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["now"] = now
        context.update(self._rates(now))
        return context

    def _rates(self, now: Any) -> dict[str, Any]:
        """The rate over the filtered actions, whatever their state: three queries."""
        if self.filterset.is_bound and not self.filterset.is_valid():
            return {"overall": None}
        data = self.request.GET.copy()
        for name in STATE_FILTERS:
            data.pop(name, None)
        actions = RecoveryActionFilterSet(
            data or None, queryset=RecoveryAction.objects.visible_to(self.request.user), request=self.request
        ).qs
        return {
            "overall": recovery_counts(actions, now),
            "by_location": recovery_breakdown(actions, "location", now),
            "by_department": recovery_breakdown(actions, "department", now),
        }


def scoped_recoveries(user: Any) -> QuerySet:
    return recovery_actions().select_related("location__franchisee", "franchisee").visible_to(user)


def comment_parts(comment: str, tags: Iterable[FeedbackTag]) -> list[dict[str, Any]]:
    """The comment cut at its tags' spans, so the page can mark the words each tag matched.

    A tag overlapping one already marked is listed with the tags but not marked twice.
    """
    parts: list[dict[str, Any]] = []
    at = 0
    for tag in sorted(tags, key=lambda tag: (tag.start, -tag.end)):
        if tag.start < at or tag.end > len(comment) or tag.end <= tag.start:
            continue
        if tag.start > at:
            parts.append({"text": comment[at : tag.start], "tag": None})
        parts.append({"text": comment[tag.start : tag.end], "tag": tag})
        at = tag.end
    if at < len(comment):
        parts.append({"text": comment[at:], "tag": None})
    return parts


def render_recovery(
    request: HttpRequest,
    action: RecoveryAction,
    *,
    form: RecoveryCloseForm | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    """The action's page, with a refused form (and why) when there is one, or why it cannot be closed."""
    tags = list(action.feedback.tags.all())
    context = {
        "action": action,
        "feedback": action.feedback,
        "tags": tags,
        "comment_parts": comment_parts(action.feedback.comment, tags),
        "overdue": action.overdue,
        "can_close": action.status == RecoveryStatus.OPEN and may(request.user, "close", action),
        "form": form or RecoveryCloseForm(),
        "conflict": conflict,
    }
    return render(request, "cx_audit/voice/recovery_detail.html", context, status=status)


class RecoveryDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_recovery(request, get_object_or_404(scoped_recoveries(request.user), pk=pk))


class RecoveryCloseView(LoginRequiredMixin, View):
    """The outlet's franchisee (or an HQ admin) records the call back: recovered or not, and a note."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = get_object_or_404(scoped_recoveries(request.user), pk=pk)
        if not may(request.user, "close", action):
            raise PermissionDenied(CLOSE_REFUSED)
        form = RecoveryCloseForm(request.POST)
        if not form.is_valid():
            return render_recovery(request, action, form=form, status=400)
        recovered = form.cleaned_data["outcome"] == RecoveryStatus.RECOVERED
        try:
            recovery_close(
                action=action, user=request.user, recovered=recovered, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return render_recovery(request, action, form=form, status=400)
        except StateConflict as conflict:
            # Someone closed it first (or the form was sent twice): show what it was closed as.
            action = get_object_or_404(scoped_recoveries(request.user), pk=pk)
            why = _("This action was closed already, nothing was changed: %(why)s") % {"why": conflict}
            return render_recovery(request, action, conflict=why, status=409)
        messages.success(request, _("Recorded: the customer was won back.") if recovered else _("Recorded."))
        return redirect("voice:recovery_detail", pk=action.pk)
