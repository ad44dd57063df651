"""The audit API: start, answer, attach photos, submit, void, and read scores with reasons.

Every view reads through `Audit.objects.visible_to(user)`, so someone else's audit is a 404;
the services decide who may change what and refuse any change to a submitted audit (409).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.audits.choices import AuditStatus
from cx_audit.audits.filtersets import AuditFilterSet
from cx_audit.audits.models.audits import Audit, Evidence
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.audits.models.results import DimensionResult
from cx_audit.audits.selectors import key_experiences, score_data
from cx_audit.audits.serializers import (
    AnswerSerializer,
    AnswersUpsertSerializer,
    AuditCreateSerializer,
    AuditPlanSerializer,
    AuditSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    ExperienceSerializer,
    ScoreSerializer,
    VoidSerializer,
    answers_queryset,
)
from cx_audit.audits.services import (
    AnswerConflict,
    AuditIncomplete,
    answer_clear,
    answers_upsert,
    audit_create,
    audit_submit,
    audit_void,
    evidence_add,
    evidence_remove,
)
from cx_audit.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from locations.models import Location


class MissingItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    reason = serializers.CharField()


class ConflictItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    server = AnswerSerializer()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = ConflictItemSerializer(many=True)


class IncompleteSerializer(serializers.Serializer):
    detail = serializers.CharField()
    missing = MissingItemSerializer(many=True)


class AuditViewSet(
    ScopedQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Audits the user may see; a draft is filled through ``answers`` and ``evidence``."""

    queryset = Audit.objects.select_related("location", "framework", "auditor")
    serializer_class = AuditSerializer
    filterset_class = AuditFilterSet
    permission_classes = [permissions.IsAuthenticated]
    ordering_fields = ["submitted_at", "started_at", "score"]
    # An audit is addressed by its id or by the client's uuid, so a tablet that started it
    # offline never needs to learn the server's id.
    lookup_value_regex = r"[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def get_object(self) -> Audit:
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        field = "pk" if str(value).isdigit() else "uuid"
        audit = get_object_or_404(self.filter_queryset(self.get_queryset()), **{field: value})
        self.check_object_permissions(self.request, audit)
        return audit

    def get_serializer_class(self) -> type:
        return AuditCreateSerializer if self.action == "create" else AuditSerializer

    @extend_schema(
        request=AuditCreateSerializer,
        responses={201: AuditSerializer, 200: OpenApiResponse(AuditSerializer, description="Replayed uuid.")},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = AuditCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        audit, created = audit_create(
            location=data["location"],
            user=request.user,
            kind=data["kind"],
            client_id=data.get("uuid"),
            checkin_latitude=data.get("checkin_latitude"),
            checkin_longitude=data.get("checkin_longitude"),
            framework=data.get("framework"),
        )
        return Response(
            AuditSerializer(audit).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(methods=["GET"], responses=AnswerSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=AnswersUpsertSerializer,
        responses={
            200: AnswerSerializer(many=True),
            409: OpenApiResponse(ConflictSerializer, description="Changed on another device; nothing saved."),
        },
        description="Save answers by item code, all or none; sending the same answers again changes nothing.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def answers(self, request: Request, pk: str | None = None) -> Response:
        audit = self.get_object()
        if request.method == "POST":
            form = AnswersUpsertSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            try:
                answers_upsert(audit=audit, user=request.user, answers=form.answer_inputs())
            except AnswerConflict as conflict:
                server = AnswerSerializer(conflict.conflicts, many=True, context={"request": request}).data
                conflicts = [{"item": answer["item"], "server": answer} for answer in server]
                return Response(
                    {"detail": str(conflict), "conflicts": conflicts}, status=status.HTTP_409_CONFLICT
                )
        return Response(
            AnswerSerializer(answers_queryset(audit), many=True, context={"request": request}).data
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"answers/(?P<item_code>[^/]+)")
    def clear_answer(self, request: Request, pk: str | None = None, item_code: str = "") -> Response:
        """Take back an answer: the item is unanswered again (its photos stay)."""
        answer_clear(audit=self.get_object(), user=request.user, item_code=item_code)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"evidence/(?P<evidence_id>[0-9]+)")
    def remove_evidence(self, request: Request, pk: str | None = None, evidence_id: str = "") -> Response:
        """Remove a photo from a draft."""
        evidence_remove(audit=self.get_object(), user=request.user, evidence_id=int(evidence_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: EvidenceSerializer,
            200: OpenApiResponse(EvidenceSerializer, description="Same photo again."),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        audit = self.get_object()
        form = EvidenceUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        photo, created = evidence_add(
            audit=audit,
            user=request.user,
            item_code=form.validated_data["item"],
            upload=form.validated_data["file"],
        )
        return Response(
            EvidenceSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses={
            200: ScoreSerializer,
            400: OpenApiResponse(IncompleteSerializer, description="Items still missing; nothing was lost."),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        # Replaying one's own submit answers the same score, even while the first is still running
        # (the service decides under the audit's row lock); anything else on a non-draft is a 409.
        try:
            audit = audit_submit(audit=self.get_object(), user=request.user)
        except AuditIncomplete as incomplete:
            missing = [{"item": code, "reason": reason} for code, reason in incomplete.missing]
            return Response(
                {"detail": str(incomplete), "missing": missing}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(ScoreSerializer(score_data(audit)).data)

    @extend_schema(request=VoidSerializer, responses=AuditSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        audit = self.get_object()
        form = VoidSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        audit = audit_void(audit=audit, user=request.user, reason=form.validated_data["reason"])
        return Response(AuditSerializer(audit).data)

    @extend_schema(responses={200: ScoreSerializer, 409: OpenApiResponse(description="Not submitted yet.")})
    @action(detail=True, methods=["get"])
    def score(self, request: Request, pk: str | None = None) -> Response:
        audit = self.get_object()
        if audit.status == AuditStatus.DRAFT:
            return Response(
                {"status": ["This audit is a draft; it has no score until it is submitted."]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ScoreSerializer(score_data(audit)).data)


class EvidenceFileView(GenericAPIView):
    """A photo's bytes, for those who may see its audit; everyone else gets 404.

    Photos are never served from a public media URL, so a franchisee cannot reach another's
    photo by guessing or sharing a path.
    """

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return Evidence.objects.visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "size", enum=["original", "display"], description="display: upright JPEG, at most 1600 px."
            )
        ],
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        size = request.query_params.get("size", "")
        if size not in ("", "original", "display"):
            raise serializers.ValidationError({"size": ["Use original or display."]})
        evidence = get_object_or_404(self.get_queryset(), pk=pk)
        if size == "display" and evidence.display_file:
            response = FileResponse(evidence.display_file.open("rb"), content_type="image/jpeg")
        else:
            response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
        response["Cache-Control"] = "private, max-age=86400, immutable"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number: django-filter's NumberFilter reads "0.5" for an integer field too."""

    field_class = forms.IntegerField


class AuditPlanFilterSet(django_filters.FilterSet):
    city_tier = WholeNumberFilter()

    class Meta:
        model = AuditPlan
        fields = ["brand", "outlet_type", "city_tier"]


class AuditPlanViewSet(ScopedModelViewSet):
    """How often locations must be audited, by outlet type and city tier (HQ admins write)."""

    queryset = AuditPlan.objects.select_related("brand")
    serializer_class = AuditPlanSerializer
    filterset_class = AuditPlanFilterSet


class LocationExperienceView(GenericAPIView):
    """The Delta model of a location's latest submitted audit (404 for a location you cannot see)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExperienceSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return Location.objects.visible_to(self.request.user)

    def get(self, request: Request, pk: int) -> Response:
        location = get_object_or_404(self.get_queryset(), pk=pk)
        audit = (
            Audit.objects.visible_to(request.user)
            .submitted()
            .filter(location=location)
            .select_related("location", "framework", "auditor")
            .order_by("-submitted_at", "-pk")
            .first()
        )
        dimensions = (
            list(DimensionResult.objects.filter(audit=audit).select_related("dimension")) if audit else []
        )
        data = {
            "location": location.pk,
            "audit": audit,
            "dimensions": dimensions,
            "key_experiences": key_experiences(dimensions),
        }
        return Response(ExperienceSerializer(data).data)
