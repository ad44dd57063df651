"""Scorecard pages: the portal, one location's scorecard (and its PDF), disputes, share links and
bulk exports.

Every lookup goes through a `visible_to(user)` queryset, so another franchisee's location, dispute
or job is "not found" (404); who may *do* something with what they see (dispute, decide, share)
is `cx_audit.core.permissions`, enforced again by the services.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cx_audit.audits.pages import evidence_url
from cx_audit.core.forms import add_service_errors
from cx_audit.core.pages import FilteredListMixin
from cx_audit.core.permissions import may
from cx_audit.disputes.filtersets import DisputeFilterSet
from cx_audit.disputes.models import Dispute, DisputeStatus
from cx_audit.disputes.notices import RECENT_DAYS, dispute_decisions_for
from cx_audit.disputes.services import DisputeClosed, dispute_accept, dispute_raise, dispute_reject
from cx_audit.scorecards.data import portal_rows, scorecard_audits, scorecard_for
from cx_audit.scorecards.forms import DecisionForm, DisputeForm, ShareLinkForm
from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.pdf import logo_png, pdf_filename, scorecard_pdf
from cx_audit.scorecards.sharing import share_link_create, share_link_revoke
from locations.filtersets import LocationFilterSet
from locations.models import Brand, Location


def logo_version(brand: Brand) -> str:
    """Part of the logo's address that changes with the file, so browsers may cache it for a day."""
    return hashlib.sha256(brand.logo.name.encode()).hexdigest()[:12]


def brand_logo_url(brand: Brand) -> str:
    """The brand's logo as a signed-in user reads it (the logo is private media, like photos)."""
    return reverse("scorecards:logo", args=[brand.pk]) + f"?v={logo_version(brand)}"


def logo_response(brand: Brand) -> HttpResponse:
    """The logo as a PNG re-encoded from storage; 404 when there is none or it cannot be read."""
    if not brand.logo:
        raise Http404("This brand has no logo.")
    try:
        content = logo_png(brand.logo)
    except (OSError, ValueError) as error:  # missing from storage, or not an image after all
        raise Http404("The logo cannot be read.") from error
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def visible_locations(user: Any) -> QuerySet:
    return Location.objects.visible_to(user).select_related("brand", "franchisee", "region")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ScorecardListView(FilteredListMixin, ListView):
    """The portal: the user's locations with latest score, band, trend and open disputes."""

    model = Location
    filterset_class = LocationFilterSet
    paginate_by = 50
    template_name = "cx_audit/scorecards/list.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("brand", "franchisee", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = portal_rows(
            list(context["object_list"]), audits=scorecard_audits(self.request.user)
        )
        context["decisions"] = dispute_decisions_for(self.request.user)
        context["decision_days"] = RECENT_DAYS
        return context


def render_scorecard(
    request: HttpRequest,
    location: Location,
    *,
    status: int = 200,
    dispute_form: DisputeForm | None = None,
    share_form: ShareLinkForm | None = None,
    new_link: str = "",
) -> HttpResponse:
    """The scorecard page, with a refused form (and why) or a just-made share link when there is one."""
    user = request.user
    card = scorecard_for(
        location,
        audits=scorecard_audits(user),
        photo_url=evidence_url,
        logo_url=brand_logo_url,
        viewer=user,
    )
    sharing = may(user, "share", location)
    for finding in card.findings:
        if finding.disputable:
            code = finding.result.item_code
            given = dispute_form is not None and dispute_form["item"].value() == code
            finding.form = dispute_form if given else DisputeForm(item_code=code)
    context = {
        "card": card,
        "mode": "page",
        # The item is a hidden field: what is wrong with it is said above the findings.
        "dispute_error": [*dispute_form.non_field_errors(), *dispute_form.errors.get("item", [])]
        if dispute_form is not None
        else [],
        "sharing": sharing,
        "share_form": share_form or ShareLinkForm(),
        "share_links": list(
            ShareLink.objects.visible_to(user).filter(location=location).select_related("created_by")
        )
        if sharing
        else [],
        "new_link": new_link,
    }
    return render(request, "cx_audit/scorecards/detail.html", context, status=status)


class ScorecardDetailView(LoginRequiredMixin, View):
    """One location's scorecard; the outlet's franchisee disputes findings here, HQ shares it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(visible_locations(request.user), pk=pk)
        return render_scorecard(request, location)


class BrandLogoView(LoginRequiredMixin, View):
    """A brand's logo for its scorecard pages, to those who belong to the brand (others: 404)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return logo_response(get_object_or_404(Brand.objects.visible_to(request.user), pk=pk))


class ScorecardPdfView(LoginRequiredMixin, View):
    """The scorecard as an A4 PDF, built from the same data as the page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(visible_locations(request.user), pk=pk)
        who = request.user.get_full_name() or request.user.get_username()
        content = scorecard_pdf(
            location, audits=scorecard_audits(request.user), generated_for=who, viewer=request.user
        )
        return pdf_response(content, pdf_filename(location))


class DisputeCreateView(LoginRequiredMixin, View):
    """A franchisee disputes a finding of the location's latest audit (from the scorecard)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(visible_locations(request.user), pk=pk)
        audit = (
            scorecard_audits(request.user)
            .filter(location=location)
            .select_related("brand")
            .order_by("-submitted_at", "-pk")
            .first()
        )
        form = DisputeForm(request.POST, request.FILES, item_code=request.POST.get("item", ""))
        if audit is None:
            form.is_valid()
            form.add_error(None, _("This location has no audit to dispute."))
        elif form.is_valid():
            try:
                dispute_raise(
                    audit=audit,
                    user=request.user,
                    item_code=form.cleaned_data["item"],
                    note=form.cleaned_data["note"],
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your dispute of %(code)s was sent to HQ.") % {"code": form.cleaned_data["item"]},
                )
                return redirect(
                    reverse("scorecards:detail", args=[location.pk]) + f"#finding-{form.cleaned_data['item']}"
                )
        return render_scorecard(request, location, status=400, dispute_form=form)


class ShareLinkCreateView(LoginRequiredMixin, View):
    """HQ admins make a share link; the link is shown once, on this answer, and never stored."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        location = get_object_or_404(visible_locations(request.user), pk=pk)
        if not may(request.user, "share", location):
            raise PermissionDenied(_("Only HQ admins of the brand may share scorecards."))
        form = ShareLinkForm(request.POST)
        if not form.is_valid():
            return render_scorecard(request, location, status=400, share_form=form)
        created = share_link_create(
            location=location,
            user=request.user,
            days=form.cleaned_data["days"],
            note=form.cleaned_data["note"],
        )
        url = request.build_absolute_uri(reverse("share:scorecard", args=[created.token]))
        return render_scorecard(request, location, new_link=url)


class ShareLinkRevokeView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        link = get_object_or_404(ShareLink.objects.visible_to(request.user).select_related("location"), pk=pk)
        share_link_revoke(link=link, user=request.user)
        messages.success(request, _("The link was revoked: it opens nothing any more."))
        return redirect(reverse("scorecards:detail", args=[link.location_id]) + "#share")


class DisputeListView(FilteredListMixin, ListView):
    """Disputes the user may see: HQ decides them, the franchisee follows its own."""

    model = Dispute
    filterset_class = DisputeFilterSet
    paginate_by = 50
    template_name = "cx_audit/scorecards/disputes.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("audit__location", "audit__brand", "item", "raised_by", "decided_by")
            .annotate(waiting=Case(When(status=DisputeStatus.OPEN, then=Value(0)), default=Value(1)))
            .order_by("waiting", "-raised_at", "-pk")  # open ones first: they need a decision
        )


class DisputeDetailView(LoginRequiredMixin, View):
    """One dispute with the finding, the franchisee's note and photo; HQ admins decide it here."""

    template_name = "cx_audit/scorecards/dispute_detail.html"

    def _dispute(self, request: HttpRequest, pk: int) -> Dispute:
        return get_object_or_404(
            Dispute.objects.visible_to(request.user).select_related(
                "audit__location", "audit__brand", "item", "raised_by", "decided_by"
            ),
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self._dispute(request, pk), DecisionForm())

    def render(
        self, request: HttpRequest, dispute: Dispute, form: DecisionForm, status: int = 200
    ) -> HttpResponse:
        from cx_audit.audits.models.amendments import Amendment
        from cx_audit.audits.models.results import ItemResult

        context = {
            "dispute": dispute,
            "result": ItemResult.objects.filter(
                audit_id=dispute.audit_id, item_code=dispute.item_code
            ).first(),
            "amendment": Amendment.objects.filter(dispute=dispute).select_related("amended_by").first(),
            "form": form,
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        dispute = self._dispute(request, pk)
        if not may(request.user, "decide", dispute):
            raise PermissionDenied(_("Only HQ admins of the brand decide disputes."))
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "accept":
                    dispute_accept(
                        dispute=dispute,
                        user=request.user,
                        ruling=data["ruling"] or "pass",
                        fraction=data["fraction"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Accepted: the item and the audit's scores were amended."))
                else:
                    dispute_reject(dispute=dispute, user=request.user, reason=data["reason"])
                    messages.success(request, _("Rejected: the finding stands."))
                return redirect("scorecards:dispute", pk=dispute.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            except DisputeClosed as closed:
                form.add_error(None, str(closed))
                return self.render(request, self._dispute(request, pk), form, status=409)
        return self.render(request, dispute, form, status=400)
