"""The scorecard API: scorecards (JSON and PDF), disputes, share links and bulk PDF jobs.

Everything is read through `visible_to(user)`: another franchisee's location, audit, dispute,
link or job is a 404 by id, and an id of one given in a request body is a 404 as well (naming the
field), never a hint that it exists. What a user may *do* with what they see is decided by the
services (403 when the role may not).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.audits.models.audits import Audit
from cx_audit.audits.pages import evidence_url
from cx_audit.core.api import ScopedQuerysetMixin, visible_or_404
from cx_audit.core.parsers import BoundedJSONParser
from cx_audit.disputes.filtersets import DisputeFilterSet
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import DisputeClosed, dispute_accept, dispute_raise, dispute_reject
from cx_audit.scorecards.data import portal_rows, scorecard_audits, scorecard_for
from cx_audit.scorecards.filtersets import ShareLinkFilterSet
from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.pdf import pdf_filename, scorecard_pdf
from cx_audit.scorecards.serializers import (
    DisputeAcceptSerializer,
    DisputeCreateSerializer,
    DisputeRejectSerializer,
    DisputeSerializer,
    NewShareLinkSerializer,
    PortalRowSerializer,
    ScorecardSerializer,
    ShareLinkCreateSerializer,
    ShareLinkSerializer,
)
from cx_audit.scorecards.sharing import share_link_create, share_link_revoke
from cx_audit.scorecards.views import brand_logo_url, pdf_response
from locations.filtersets import LocationFilterSet
from locations.models import Location


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors still come back as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


@extend_schema(tags=["scorecards"])
class ScorecardViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Locations with their latest score (list) and each location's scorecard (detail, PDF)."""

    queryset = Location.objects.select_related("brand", "franchisee", "region")
    filterset_class = LocationFilterSet
    serializer_class = ScorecardSerializer

    @extend_schema(responses=PortalRowSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = portal_rows(list(page), audits=scorecard_audits(request.user))
        return self.get_paginated_response(PortalRowSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        card = scorecard_for(
            self.get_object(),
            audits=scorecard_audits(request.user),
            photo_url=evidence_url,
            logo_url=brand_logo_url,
            viewer=request.user,
        )
        return Response(ScorecardSerializer(card).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer], filter_backends=[])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        location = self.get_object()
        who = request.user.get_full_name() or request.user.get_username()
        content = scorecard_pdf(
            location, audits=scorecard_audits(request.user), generated_for=who, viewer=request.user
        )
        return pdf_response(content, pdf_filename(location))


@extend_schema(tags=["scorecards"])
class DisputeViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Disputes of findings: franchisees raise them (multipart with an optional photo), HQ admins
    accept (the item is rescored, the original kept) or reject them with a reason."""

    queryset = Dispute.objects.select_related(
        "audit", "item", "raised_by", "decided_by", "amendment__amended_by"
    )
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilterSet
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": DisputeCreateSerializer, "application/json": DisputeCreateSerializer},
        responses={201: DisputeSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = DisputeCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        audit = visible_or_404(
            Audit.objects.visible_to(request.user).select_related("brand"), data["audit"], "audit"
        )
        dispute = dispute_raise(
            audit=audit, user=request.user, item_code=data["item"], note=data["note"], photo=data.get("photo")
        )
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    def _decided(self, decide: Any) -> Response:
        try:
            dispute = decide()
        except DisputeClosed as closed:
            return Response({"status": [str(closed)]}, status=status.HTTP_409_CONFLICT)
        return Response(DisputeSerializer(self.get_queryset().get(pk=dispute.pk)).data)

    @extend_schema(
        request=DisputeAcceptSerializer,
        responses={200: DisputeSerializer, 409: OpenApiResponse(description="Already decided.")},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        dispute = self.get_object()
        form = DisputeAcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._decided(
            lambda: dispute_accept(dispute=dispute, user=request.user, **form.validated_data).dispute
        )

    @extend_schema(
        request=DisputeRejectSerializer,
        responses={200: DisputeSerializer, 409: OpenApiResponse(description="Already decided.")},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        dispute = self.get_object()
        form = DisputeRejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._decided(
            lambda: dispute_reject(dispute=dispute, user=request.user, reason=form.validated_data["reason"])
        )

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filter_backends=[])
    def photo(self, request: Request, pk: str | None = None) -> FileResponse:
        dispute = self.get_object()
        if not dispute.photo:
            raise NotFound({"photo": ["This dispute has no photo."]})
        response = FileResponse(dispute.photo.open("rb"), content_type=dispute.photo_content_type)
        response["Cache-Control"] = "private, max-age=86400"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@extend_schema(tags=["scorecards"])
class ShareLinkViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Read-only links to a location's scorecard for people without an account (HQ admins)."""

    queryset = ShareLink.objects.select_related("location", "created_by")
    serializer_class = ShareLinkSerializer
    filterset_class = ShareLinkFilterSet

    @extend_schema(request=ShareLinkCreateSerializer, responses={201: NewShareLinkSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = ShareLinkCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        location = visible_or_404(Location.objects.visible_to(request.user), data["location"], "location")
        created = share_link_create(
            location=location, user=request.user, days=data["days"], note=data["note"]
        )
        created.link.url = request.build_absolute_uri(reverse("share:scorecard", args=[created.token]))
        return Response(NewShareLinkSerializer(created.link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ShareLinkSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        link = share_link_revoke(link=self.get_object(), user=request.user)
        return Response(ShareLinkSerializer(link).data)
