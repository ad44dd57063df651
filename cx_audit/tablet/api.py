"""What the auditor's tablet needs to work offline, in one request: due locations, frameworks, drafts.

The tablet caches this answer (service worker) and IndexedDB holds what the auditor enters, so
an audit can be started, filled and submitted with no connection once the app was opened online.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from cx_audit.audits.choices import AuditStatus
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.selectors import DueLocation, due_locations
from cx_audit.audits.serializers import AnswerSerializer, AuditSerializer
from cx_audit.core.scope import access_scope
from journeys.models import Framework, Item
from locations.geo import parse_position
from locations.models import Brand


class DueLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="location.pk")
    code = serializers.CharField(source="location.code")
    name = serializers.CharField(source="location.name")
    brand = serializers.IntegerField(source="location.brand_id")
    outlet_type = serializers.CharField(source="location.outlet_type")
    address = serializers.CharField(source="location.address")
    city = serializers.CharField(source="location.city")
    latitude = serializers.DecimalField(source="location.latitude", max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(source="location.longitude", max_digits=9, decimal_places=6)
    due_date = serializers.DateField(source="status.due_date")
    overdue_days = serializers.IntegerField(source="status.overdue_days")
    never_audited = serializers.BooleanField(source="status.never_audited")
    last_audit_at = serializers.DateTimeField(allow_null=True)
    distance_km = serializers.FloatField(allow_null=True)


class TabletItemSerializer(serializers.ModelSerializer):
    """An item with its rules per outlet type, as the tablet's checklist and live score need it."""

    section = serializers.CharField(source="section.code")
    dimension = serializers.CharField(source="dimension.code", default=None, allow_null=True)
    applies_to = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    price_bands = serializers.SerializerMethodField()
    example_photo_url = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "code",
            "section",
            "question",
            "guidance",
            "answer_type",
            "weight",
            "critical",
            "photo_required",
            "na_allowed",
            "cannot_check_allowed",
            "applies_to",
            "targets",
            "pass_fail",
            "price_bands",
            "required_terms",
            "forbidden_terms",
            "dimension",
            "example_photo_url",
        ]

    def get_applies_to(self, item: Item) -> list[str]:
        return [kind for kind in ("direct", "authorized") if item.applies_to(kind)]

    def get_targets(self, item: Item) -> dict[str, str]:
        targets = {kind: item.target_for(kind) for kind in self.get_applies_to(item)}
        return {kind: str(target) for kind, target in targets.items() if target is not None}

    def get_price_bands(self, item: Item) -> dict[str, list[str]]:
        bands = {kind: item.price_band_for(kind) for kind in self.get_applies_to(item)}
        return {kind: [str(low), str(high)] for kind, (low, high) in bands.items() if None not in (low, high)}

    def get_example_photo_url(self, item: Item) -> str | None:
        return reverse("item-example-photo", args=[item.pk]) if item.example_photo else None


class TabletFrameworkSerializer(serializers.ModelSerializer):
    sections = serializers.SerializerMethodField()
    dimensions = serializers.SerializerMethodField()
    items = TabletItemSerializer(many=True)

    class Meta:
        model = Framework
        fields = ["id", "brand", "version", "name", "sections", "dimensions", "items"]

    def get_sections(self, framework: Framework) -> list[dict[str, Any]]:
        return [
            {"code": s.code, "name": s.name, "order": s.order, "weight": str(s.weight)}
            for s in framework.sections.all()
        ]

    def get_dimensions(self, framework: Framework) -> list[dict[str, Any]]:
        return [
            {
                "code": d.code,
                "name": d.name,
                "importance": str(d.importance),
                "expectation": str(d.expectation),
                "ideal": str(d.ideal),
            }
            for d in framework.dimensions.all()
        ]


class DraftSerializer(AuditSerializer):
    answers = AnswerSerializer(many=True)

    class Meta(AuditSerializer.Meta):
        fields = [*AuditSerializer.Meta.fields, "answers"]
        read_only_fields = fields


class FrameworkVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    brand = serializers.IntegerField(source="brand_id")
    version = serializers.IntegerField()


class BootstrapSerializer(serializers.Serializer):
    user = serializers.DictField()
    brands = serializers.ListField(child=serializers.DictField())
    locations = DueLocationSerializer(many=True, help_text="One page of the due list, in visiting order.")
    locations_count = serializers.IntegerField(help_text="Due locations in all pages.")
    locations_next = serializers.URLField(allow_null=True, help_text="The next page of the due list.")
    frameworks = TabletFrameworkSerializer(
        many=True, help_text="The current frameworks, except those the tablet said it has (`have`)."
    )
    framework_versions = FrameworkVersionSerializer(
        many=True, help_text="Every current framework: keep cached copies of these, drop the rest."
    )
    drafts = DraftSerializer(many=True)


def current_frameworks(brand_ids: set[int], *, have: set[tuple[int, int]] = frozenset()) -> QuerySet:
    """The published framework of each brand with everything the checklist shows: four queries.

    Those in ``have`` ((id, version) pairs the tablet already holds) are left out: a framework
    is sent once per version, not on every bootstrap.
    """
    items = Item.objects.select_related("section", "dimension").order_by("section__order", "order", "pk")
    frameworks = Framework.objects.current().filter(brand_id__in=brand_ids)
    for framework_id, version in have:
        frameworks = frameworks.exclude(pk=framework_id, version=version)
    return frameworks.prefetch_related("sections", "dimensions", Prefetch("items", queryset=items))


DUE_PAGE_SIZE = 200  # the auditor's most overdue and nearest first; a day's work, many times over
MAX_DUE_PAGE_SIZE = 500
MAX_HAVE = 50


def _query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise serializers.ValidationError({name: [f"Give a whole number from {low} to {high}."]})
    return int(raw)


def parse_have(raw: str) -> set[tuple[int, int]]:
    """``<framework id>:<version>,…`` — the frameworks the tablet has cached."""
    pairs: set[tuple[int, int]] = set()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        framework_id, _sep, version = part.partition(":")
        if not (part.isascii() and framework_id.isdigit() and version.isdigit()) or len(pairs) >= MAX_HAVE:
            raise serializers.ValidationError(
                {"have": [f"Use <framework id>:<version>,… (at most {MAX_HAVE}), e.g. 3:2,7:1."]}
            )
        pairs.add((int(framework_id), int(version)))
    return pairs


def own_drafts(user: Any) -> QuerySet:
    answers = Answer.objects.select_related("item").prefetch_related(
        Prefetch("photos", queryset=Evidence.objects.order_by("created_at", "pk"))
    )
    return (
        Audit.objects.visible_to(user)
        .filter(auditor_id=user.pk, status=AuditStatus.DRAFT)
        .select_related("location", "framework", "auditor")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )


def brand_data(brand: Brand) -> dict[str, Any]:
    """What the tablet needs of a brand: its geofence, and its scoring policy for the live score."""
    return {
        "id": brand.pk,
        "name": brand.name,
        "geofence_m": brand.geofence_m,
        "policy": {"critical_cap": str(brand.critical_cap), "bands": brand.score_bands},
    }


class TabletBootstrapView(APIView):
    """Due locations (overdue first, then nearest), current frameworks and the user's drafts."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "position", description="The tablet's position, <lat>,<lon>: orders by geodesic distance."
            ),
            OpenApiParameter("page", int, description="Page of the due list, from 1 (see locations_next)."),
            OpenApiParameter(
                "page_size",
                int,
                description=f"Due locations per page, 1–{MAX_DUE_PAGE_SIZE} (default {DUE_PAGE_SIZE}).",
            ),
            OpenApiParameter(
                "have",
                description="Frameworks the tablet has cached, <id>:<version>,…: they are not sent again.",
            ),
        ],
        responses=BootstrapSerializer,
    )
    def get(self, request: Request) -> Response:
        position = None
        if request.query_params.get("position"):
            try:
                position = parse_position(request.query_params["position"])
            except ValueError as error:
                raise serializers.ValidationError({"position": [str(error)]}) from error
        size = _query_int(request, "page_size", DUE_PAGE_SIZE, 1, MAX_DUE_PAGE_SIZE)
        page = _query_int(request, "page", 1, 1, 10**6)
        have = parse_have(request.query_params.get("have", ""))
        visits: list[DueLocation] = due_locations(request.user, today=timezone.localdate(), position=position)
        start = (page - 1) * size
        brands = list(Brand.objects.visible_to(request.user))
        scope = access_scope(request.user)
        data = {
            "user": {
                "id": request.user.pk,
                "username": request.user.get_username(),
                "is_superuser": scope.is_superuser,
                "roles": scope.roles_by_brand,
            },
            "brands": [brand_data(b) for b in brands],
            "locations": visits[start : start + size],
            "locations_count": len(visits),
            "locations_next": _page_url(request, page + 1) if start + size < len(visits) else None,
            "frameworks": current_frameworks({b.pk for b in brands}, have=have),
            "framework_versions": Framework.objects.current().filter(brand_id__in=[b.pk for b in brands]),
            "drafts": own_drafts(request.user),
        }
        return Response(BootstrapSerializer(data, context={"request": request}).data)


def _page_url(request: Request, page: int) -> str:
    return replace_query_param(request.build_absolute_uri(), "page", page)


class ItemExamplePhotoView(APIView):
    """The example photo HQ gave an item, for anyone who may read the framework."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> FileResponse:
        item = get_object_or_404(Item.objects.visible_to(request.user).exclude(example_photo=""), pk=pk)
        response = FileResponse(item.example_photo.open("rb"))
        response["Cache-Control"] = "private, max-age=86400"
        return response
