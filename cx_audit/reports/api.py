"""The bulk export API: start a job, follow its progress, download its ZIP, start it again."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.api import ScopedQuerysetMixin, visible_or_404
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.serializers import ScorecardJobCreateSerializer, ScorecardJobSerializer
from cx_audit.reports.services import scorecard_job_create, scorecard_job_restart
from cx_audit.reports.upkeep import scorecard_job_checked, scorecard_jobs_checked
from cx_audit.scorecards.api import PDFRenderer
from locations.models import Franchisee, Region


class ZIPRenderer(PDFRenderer):
    media_type = "application/zip"
    format = "zip"


@extend_schema(tags=["scorecards"])
class ScorecardJobViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Bulk PDF scorecards of a franchisee's or a region's locations, as one ZIP made by a worker.

    A job silent for REPORT_JOB_STALE_MINUTES is answered (and stored) as failed; a ZIP is kept
    REPORT_RETENTION_DAYS, then the job is "expired"; either can be restarted as a new job.
    """

    queryset = ScorecardJob.objects.select_related("franchisee", "region")
    serializer_class = ScorecardJobSerializer
    filterset_fields = ["status"]

    def get_object(self) -> ScorecardJob:
        return scorecard_job_checked(super().get_object())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        jobs = scorecard_jobs_checked(list(page))
        return self.get_paginated_response(ScorecardJobSerializer(jobs, many=True).data)

    @extend_schema(request=ScorecardJobCreateSerializer, responses={202: ScorecardJobSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = ScorecardJobCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        franchisee = region = None
        if data["franchisee"] is not None:
            franchisee = visible_or_404(
                Franchisee.objects.visible_to(request.user), data["franchisee"], "franchisee"
            )
        else:
            region = visible_or_404(Region.objects.visible_to(request.user), data["region"], "region")
        job = scorecard_job_create(user=request.user, franchisee=franchisee, region=region)
        return Response(ScorecardJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="Not done yet."),
            410: OpenApiResponse(description="Expired: the ZIP was deleted."),
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ZIPRenderer], filter_backends=[])
    def download(self, request: Request, pk: str | None = None) -> Any:
        job = self.get_object()
        if job.status == JobStatus.EXPIRED:
            return Response(
                {"status": ["This ZIP expired and was deleted: start the job again (POST …/restart/)."]},
                status=status.HTTP_410_GONE,
            )
        if job.status != JobStatus.DONE or not job.file:
            return Response({"status": ["The ZIP is not ready yet."]}, status=status.HTTP_409_CONFLICT)
        response = FileResponse(job.file.open("rb"), content_type="application/zip", as_attachment=True)
        response["Content-Disposition"] = f'attachment; filename="{job.file.name.rsplit("/", 1)[-1]}"'
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        request=None,
        responses={202: ScorecardJobSerializer, 400: OpenApiResponse(description="Not failed or expired.")},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def restart(self, request: Request, pk: str | None = None) -> Response:
        """A failed or expired job asked for again: a new job of the same franchisee or region."""
        job = scorecard_job_restart(job=self.get_object(), user=request.user)
        return Response(ScorecardJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
