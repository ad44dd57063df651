"""The voice dashboard as JSON: /api/voice/summary/, trends/, pain-points/, warnings/, locations/<id>/.

The same filters (`dashboard_filters`), selectors and scoping as the pages: HQ roles read their
brands, a franchisee its own outlets; an auditor reads the figures of a location it audits (no
comment, no customer data); anyone else gets 404. A bad filter or parameter is a 400 naming it.
Every answer is written by the serializer the OpenAPI document shows (`dashboard_serializers`).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.voice import dashboard_serializers as out
from cx_audit.voice import flags, location_reads, points, selectors
from cx_audit.voice.choices import FeedbackChannel
from cx_audit.voice.dashboard_filters import (
    BadParameter,
    VoiceFilterForm,
    VoiceQuery,
    choice,
    location_mode,
    location_query,
    voice_brands,
)
from cx_audit.voice.metrics import Period
from locations.models import Location, OutletType

WORST_LOCATIONS = 20
MAX_POINTS = 20

FILTER_PARAMETERS = [
    OpenApiParameter("brand", int, description="Brand id (default: your first brand)."),
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        description="First day of the period (default: 89 days before date_to).",
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day of the period (default: today)."),
    OpenApiParameter("region", int, description="Region id; its sub-regions are included."),
    OpenApiParameter(
        "franchisee", int, description="Franchisee id: who ran the store when the customer spoke."
    ),
    OpenApiParameter("outlet_type", str, enum=list(OutletType.values)),
    OpenApiParameter("channel", str, enum=list(FeedbackChannel.values)),
    OpenApiParameter(
        "touchpoint",
        {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 40},
        description="Touchpoint code: records asked about it or naming it.",
    ),
]
PERIOD_PARAMETERS = [p for p in FILTER_PARAMETERS if p.name in ("date_from", "date_to")]


class VoiceAPIView(GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    filter_backends: list = []
    pagination_class = None

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, BadParameter):
            exc = ValidationError({exc.field: [str(exc)]})
        return super().handle_exception(exc)

    def checked(self, form: VoiceFilterForm) -> VoiceQuery:
        if not form.is_valid():
            raise ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): list(errors)
                    for name, errors in form.errors.items()
                }
            )
        return form.voice_query()

    def voice_query(self) -> VoiceQuery:
        if not voice_brands(self.request.user).exists():
            raise NotFound(_("The customers' voice is for HQ and franchisees."))
        return self.checked(VoiceFilterForm(self.request.query_params, user=self.request.user))


def limit_of(params: Any) -> int:
    value = params.get("limit") or str(points.TOP_POINTS)
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_POINTS:
        raise BadParameter("limit", _("A whole number from 1 to %(n)s.") % {"n": MAX_POINTS})
    return int(value)


def summary_data(query: VoiceQuery) -> dict[str, Any]:
    return {
        "brand": query.brand,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "headline": selectors.headline(query),
        **{f"by_{name}": selectors.ordered(selectors.cut(query, name)) for name in selectors.CUTS},
        "worst_locations": selectors.ordered(selectors.location_rows(query))[:WORST_LOCATIONS],
        "revenue": location_reads.revenue_view(query),
    }


@extend_schema(parameters=FILTER_PARAMETERS, responses={200: out.VoiceSummarySerializer})
class SummaryView(VoiceAPIView):
    """The headline figures with their change, every cut, the worst locations and revenue at risk."""

    def get(self, request: Request) -> Response:
        return Response(out.VoiceSummarySerializer(summary_data(self.voice_query())).data)


@extend_schema(
    parameters=[
        *FILTER_PARAMETERS,
        OpenApiParameter(
            "interval", str, enum=[p.value for p in Period], description="Buckets (default week)."
        ),
    ],
    responses={200: out.VoiceTrendSerializer},
)
class TrendsView(VoiceAPIView):
    """The figures per ISO week (from Monday) or calendar month of the period, empty ones included."""

    def get(self, request: Request) -> Response:
        query = self.voice_query()
        interval = choice(request.query_params, "interval", tuple(p.value for p in Period), Period.WEEK.value)
        data = {
            "interval": interval,
            "date_from": query.date_from,
            "date_to": query.date_to,
            "points": selectors.trend(query, interval),
        }
        return Response(out.VoiceTrendSerializer(data).data)


@extend_schema(
    parameters=[
        *FILTER_PARAMETERS,
        OpenApiParameter(
            "by", str, enum=list(points.POINT_FIELDS), description="Rank by (default touchpoint)."
        ),
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_POINTS},
            description="Points of each kind.",
        ),
    ],
    responses={200: out.VoicePointsSerializer},
)
class PainPointsView(VoiceAPIView):
    """The top pain and pleasure points with up to three example comments, the matched span of each
    given as character offsets (``start``, ``end``) into the comment."""

    def get(self, request: Request) -> Response:
        query = self.voice_query()
        by = choice(request.query_params, "by", tuple(points.POINT_FIELDS), "touchpoint")
        limit = limit_of(request.query_params)
        comments = points.commented(query)
        return Response(
            out.VoicePointsSerializer(points.points(query, by, comments=comments, limit=limit)).data
        )


@extend_schema(parameters=FILTER_PARAMETERS, responses={200: out.VoiceFlagsSerializer})
class WarningsView(VoiceAPIView):
    """Early-warning flags of every location and touchpoint: the windows end on ``date_to``."""

    def get(self, request: Request) -> Response:
        return Response(out.VoiceFlagsSerializer(flags.early_warning_flags(self.voice_query())).data)


@extend_schema(parameters=PERIOD_PARAMETERS, responses={200: out.VoiceLocationVoiceSerializer})
class LocationVoiceView(VoiceAPIView):
    """One location's customers. HQ and the franchisee running it: everything; an auditor of it:
    the figures only (``mode`` "summary": the comment, Delta, revenue and flag fields are null)."""

    def get_queryset(self) -> Any:
        return Location.objects.visible_to(self.request.user)

    def get(self, request: Request, pk: int) -> Response:
        location = get_object_or_404(self.get_queryset().select_related("brand"), pk=pk)
        mode = location_mode(request.user, location)
        if mode is None:
            raise NotFound()
        form = VoiceFilterForm(request.query_params, user=request.user, brand=location.brand)
        query = location_query(self.checked(form), location, mode)
        return Response(out.VoiceLocationVoiceSerializer(location_data(query, location, mode)).data)


def location_data(query: VoiceQuery, location: Location, mode: str) -> dict[str, Any]:
    top = selectors.headline(query)
    found = points.points(query, "touchpoint", comments=top.comments, examples=False)
    data: dict[str, Any] = {
        "location": location,
        "mode": mode,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "headline": top,
        "trend": selectors.trend(query, Period.WEEK),
        "pain": found.pain,
        "pleasure": found.pleasure,
        **dict.fromkeys(("flags", "delta", "revenue", "lever", "recovery", "comments")),
    }
    if mode == "full":
        revenue = location_reads.revenue_view(query)
        data.update(
            flags=flags.early_warning_flags(query, touchpoints=False).of_location(location.pk),
            delta=location_reads.delta_comparison(query, location),
            revenue=revenue.by_location.get(location.pk),
            lever=revenue.lever,
            recovery=location_reads.recovery_of(query, location),
            comments=location_reads.recent_comments(query),
        )
    return data


urlpatterns = [
    path("summary/", SummaryView.as_view(), name="voice-summary"),
    path("trends/", TrendsView.as_view(), name="voice-trends"),
    path("pain-points/", PainPointsView.as_view(), name="voice-pain-points"),
    path("warnings/", WarningsView.as_view(), name="voice-warnings"),
    path("locations/<int:pk>/", LocationVoiceView.as_view(), name="voice-location"),
]
