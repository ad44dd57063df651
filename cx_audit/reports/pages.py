"""Pages of bulk exports: ask for the PDFs of many locations as one ZIP, follow the job, start it again.

Every job is read through `ScorecardJob.objects.visible_to(user)`: someone else's job is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from cx_audit.core.forms import add_service_errors
from cx_audit.reports.forms import BulkJobForm
from cx_audit.reports.models import ScorecardJob
from cx_audit.reports.services import scorecard_job_create, scorecard_job_restart
from cx_audit.reports.upkeep import scorecard_job_checked, scorecard_jobs_checked


class BulkJobView(LoginRequiredMixin, View):
    """Ask for the PDFs of all locations of a franchisee or a region, as one ZIP."""

    template_name = "cx_audit/scorecards/bulk.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, BulkJobForm(user=request.user))

    def render(self, request: HttpRequest, form: BulkJobForm, status: int = 200) -> HttpResponse:
        jobs = ScorecardJob.objects.visible_to(request.user).select_related("franchisee", "region")[:20]
        context = {"form": form, "jobs": scorecard_jobs_checked(list(jobs))}
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BulkJobForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                job = scorecard_job_create(
                    user=request.user,
                    franchisee=form.cleaned_data["franchisee"],
                    region=form.cleaned_data["region"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("reports:job", pk=job.pk)
        return self.render(request, form, status=400)


def visible_job(request: HttpRequest, pk: int) -> ScorecardJob:
    """The user's own job, given up as failed if its worker went silent (someone else's: 404)."""
    job = get_object_or_404(
        ScorecardJob.objects.visible_to(request.user).select_related("franchisee", "region"), pk=pk
    )
    return scorecard_job_checked(job)


class BulkJobDetailView(LoginRequiredMixin, View):
    """A bulk export's progress (the page polls the API) and, when done, its download; a failed or
    expired one offers to start again."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "cx_audit/scorecards/bulk_job.html", {"job": visible_job(request, pk)})


class BulkJobRestartView(LoginRequiredMixin, View):
    """Start a failed or expired export again: a new job for the same franchisee or region."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = visible_job(request, pk)
        try:
            again = scorecard_job_restart(job=job, user=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("reports:job", pk=job.pk)
        return redirect("reports:job", pk=again.pk)
