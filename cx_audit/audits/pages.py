"""Pages of audits: the filterable list and one audit with every point and its reason.

Both read through `Audit.objects.visible_to(user)` (ScopedViewMixin), so someone else's audit
is a 404. The score page is built from the stored results only — what a franchisee sees is
exactly what was computed at submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from cx_audit.audits import adapters as rules
from cx_audit.audits import scoring
from cx_audit.audits.choices import AnswerKind, AuditStatus
from cx_audit.audits.filtersets import AuditFilterSet
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.noscore import no_score_reason
from cx_audit.audits.selectors import score_data
from cx_audit.core import charts
from cx_audit.core.pages import FilteredListMixin, ScopedViewMixin


class AuditListView(FilteredListMixin, ListView):
    """Audits the user may see, filtered by the API's own filterset."""

    model = Audit
    filterset_class = AuditFilterSet
    paginate_by = 50
    template_name = "cx_audit/audit_list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("location", "auditor", "framework")


def answer_text(answer: Answer | None) -> str:
    """The auditor's answer as a person reads it."""
    if answer is None:
        return "—"
    if answer.kind == AnswerKind.NA:
        return _("N/A")
    if answer.kind == AnswerKind.CANNOT_CHECK:
        return _("Cannot check")
    if answer.yes is not None:
        return _("Yes") if answer.yes else _("No")
    if answer.number is not None and answer.list_price is not None:
        return _("%(price)s (list %(list)s)") % {"price": answer.number, "list": answer.list_price}
    if answer.number is not None:
        return str(
            answer.number.normalize() if answer.number == answer.number.to_integral() else answer.number
        )
    return answer.text or "—"


@dataclass
class ItemRow:
    """One line of the score page: the standard, the answer, the points and why."""

    result: ItemResult
    answer: Answer | None
    amendment: Any = None  # HQ's rescoring after an accepted dispute, with the original result

    @property
    def answer_text(self) -> str:
        return answer_text(self.answer)

    @property
    def photos(self) -> list[Evidence]:
        return list(self.answer.photos.all()) if self.answer else []


class AuditDetailView(ScopedViewMixin, DetailView):
    """One audit: score, band, sections, the Delta model, and each item with its reason."""

    model = Audit
    template_name = "cx_audit/audit_detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("brand", "location__brand", "framework", "auditor", "voided_by")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audit: Audit = self.object
        answers = {
            answer.item_id: answer
            for answer in Answer.objects.filter(audit=audit).prefetch_related(
                Prefetch("photos", queryset=Evidence.objects.order_by("created_at", "pk"))
            )
        }
        if audit.status == AuditStatus.DRAFT:
            context["missing"] = self._missing(audit)
            context["answered"] = len(answers)
            return context
        data = score_data(audit)
        sections = list(data["sections"])
        dimensions = data["dimensions"]
        amendments = {amendment.item_code: amendment for amendment in data["amendments"]}
        rows_by_section: dict[str, list[ItemRow]] = {}
        for result in data["items"]:
            rows_by_section.setdefault(result.section_code, []).append(
                ItemRow(result, answers.get(result.item_id), amendments.get(result.item_code))
            )
        context.update(
            no_score_reason=no_score_reason(audit.score, audit.na_count, audit.cannot_check_count),
            first_amendment=data["amendments"][0] if data["amendments"] else None,
            sections=[(section, rows_by_section.get(section.section_code, [])) for section in sections],
            dimensions=dimensions,
            key_names=[d.dimension.name for d in sorted(dimensions, key=_key_order) if d.key_rank],
            section_chart=charts.bar_chart(
                [charts.Bar(s.section.name, s.score) for s in sections],
                title=_("Section scores (0–100)"),
                weak_below=self.object.brand.weak_below,
            ),
            delta_chart=charts.delta_chart(
                [
                    charts.DeltaRow(
                        d.dimension.name, d.experience, d.expectation, d.ideal, key=bool(d.key_rank)
                    )
                    for d in dimensions
                ],
                title=_("Experience against expectation and ideal (0–10)"),
            ),
        )
        return context

    def _missing(self, audit: Audit) -> list[tuple[str, str]]:
        framework_rules = rules.framework_rules(audit.framework)
        return scoring.missing_answers(
            outlet_type=audit.location.outlet_type,
            items=framework_rules.items,
            answers=rules.audit_answers(audit),
        )


def _key_order(dimension: Any) -> int:
    return dimension.key_rank or 0


LOCATION_HISTORY_LENGTH = 12


def location_audits(user: Any, location: Any) -> dict[str, Any]:
    """The latest audits of a location the user may see, for the location's page.

    Each submitted one carries ``no_score_reason`` ('' when scored), so a visit where nothing could
    be checked reads "No score" and why, never a bare dash.
    """
    audits = list(
        Audit.objects.visible_to(user)
        .filter(location=location)
        .select_related("auditor")
        .order_by("-submitted_at", "-started_at", "-pk")[:LOCATION_HISTORY_LENGTH]
    )
    for audit in audits:
        submitted = audit.status != AuditStatus.DRAFT
        audit.no_score_reason = (
            no_score_reason(audit.score, audit.na_count, audit.cannot_check_count) if submitted else ""
        )
    return {"audits": audits}


def evidence_url(photo: Evidence) -> str:
    """A photo as a signed-in user sees it: the scoped evidence URL, upright display copy."""
    return reverse("evidence-file", args=[photo.pk]) + "?size=display"
