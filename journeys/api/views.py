from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.api import ScopedModelViewSet
from journeys.api.serializers import (
    DimensionSerializer,
    FrameworkSerializer,
    FrameworkTreeSerializer,
    FrameworkUpdateSerializer,
    ItemSerializer,
    JourneySerializer,
    NewVersionSerializer,
    SectionSerializer,
    StageSerializer,
    TouchpointSerializer,
)
from journeys.filtersets import (
    DimensionFilterSet,
    FrameworkFilterSet,
    ItemFilterSet,
    JourneyFilterSet,
    SectionFilterSet,
    StageFilterSet,
    TouchpointFilterSet,
)
from journeys.models import Dimension, Framework, Item, Journey, Section, Stage, Touchpoint
from journeys.services import (
    ensure_draft,
    framework_create,
    framework_delete,
    framework_new_version,
    framework_of,
    framework_part_delete,
    framework_part_save,
    framework_publish,
    framework_retire,
    framework_update,
)


def framework_tree_queryset() -> QuerySet:
    """Frameworks with every part prefetched: a fixed number of queries per request."""
    return Framework.objects.prefetch_related(
        "dimensions",
        Prefetch("journeys", Journey.objects.prefetch_related("stages__touchpoints")),
        Prefetch("sections", Section.objects.prefetch_related("items")),
    )


class FrameworkViewSet(ScopedModelViewSet):
    """Versions of a brand's framework. Parts are edited only while a version is a draft."""

    queryset = Framework.objects.select_related("brand")
    serializer_class = FrameworkSerializer
    filterset_class = FrameworkFilterSet
    ordering_fields = ["version", "created_at", "published_at"]

    def get_queryset(self) -> QuerySet:
        if self.action == "retrieve":
            return framework_tree_queryset().visible_to(self.request.user)
        return super().get_queryset()

    def get_serializer_class(self) -> type:
        if self.action == "retrieve":
            return FrameworkTreeSerializer
        if self.action in ("update", "partial_update"):
            return FrameworkUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer: FrameworkSerializer) -> None:
        serializer.instance = framework_create(**serializer.validated_data)

    def perform_update(self, serializer: FrameworkSerializer) -> None:
        serializer.instance = framework_update(framework=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance: Framework) -> None:
        framework_delete(framework=instance)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ensure_draft(self.get_object())
        return super().update(request, *args, **kwargs)

    @extend_schema(request=None, responses=FrameworkSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Freeze this draft and make it current; the previous current version retires."""
        framework = framework_publish(framework=self.get_object(), user=request.user)
        return Response(FrameworkSerializer(framework, context=self.get_serializer_context()).data)

    @extend_schema(
        request=None,
        responses={
            200: FrameworkSerializer,
            409: OpenApiResponse(description="The brand's only published version: publish a new one first."),
        },
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        """Take a published version out of use; never the brand's last one (`journeys.rules`)."""
        framework = framework_retire(framework=self.get_object())
        return Response(FrameworkSerializer(framework, context=self.get_serializer_context()).data)

    @extend_schema(request=NewVersionSerializer, responses={201: FrameworkSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: str | None = None) -> Response:
        """Copy this version, every part included, into a new editable draft."""
        source = self.get_object()
        options = NewVersionSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        draft = framework_new_version(framework=source, **options.validated_data)
        data = FrameworkSerializer(draft, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class FrameworkPartViewSet(ScopedModelViewSet):
    """Create, change and delete parts through the services that keep published versions frozen."""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = framework_part_save(part=serializer.Meta.model(**serializer.validated_data))

    def perform_update(self, serializer: Any) -> None:
        part = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(part, name, value)
        framework_part_save(part=part)

    def perform_destroy(self, instance: Any) -> None:
        framework_part_delete(part=instance)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ensure_draft(framework_of(self.get_object()))
        return super().update(request, *args, **kwargs)


class DimensionViewSet(FrameworkPartViewSet):
    queryset = Dimension.objects.select_related("framework")
    serializer_class = DimensionSerializer
    filterset_class = DimensionFilterSet


class JourneyViewSet(FrameworkPartViewSet):
    queryset = Journey.objects.select_related("framework")
    serializer_class = JourneySerializer
    filterset_class = JourneyFilterSet


class StageViewSet(FrameworkPartViewSet):
    queryset = Stage.objects.select_related("journey__framework")
    serializer_class = StageSerializer
    filterset_class = StageFilterSet


class TouchpointViewSet(FrameworkPartViewSet):
    queryset = Touchpoint.objects.select_related("stage__journey__framework")
    serializer_class = TouchpointSerializer
    filterset_class = TouchpointFilterSet


class SectionViewSet(FrameworkPartViewSet):
    queryset = Section.objects.select_related("framework")
    serializer_class = SectionSerializer
    filterset_class = SectionFilterSet


class ItemViewSet(FrameworkPartViewSet):
    queryset = Item.objects.select_related("framework", "section")
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet
