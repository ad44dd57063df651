"""The corrective-action API: list and detail (scoped by `CorrectiveAction.objects.visible_to`), the
store's answer (multipart note and photo), HQ's accept and send-back, the answer photos, and the
brand's routing rules (read-only, HQ).

Another franchisee's action is a 404, its photo too; what a role that sees an action may do with it
is decided by the services (403), and a step the action's state does not allow is a 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.actions.filtersets import CorrectiveActionFilterSet, RoutingRuleFilterSet
from cx_audit.actions.models import ActionEvent, CorrectiveAction, RoutingRule
from cx_audit.actions.serializers import (
    ActionAcceptSerializer,
    ActionRespondSerializer,
    ActionSendBackSerializer,
    CorrectiveActionSerializer,
    RoutingRuleSerializer,
)
from cx_audit.actions.services import ActionStateConflict, action_accept, action_respond, action_send_back
from cx_audit.core.api import ScopedQuerysetMixin, ScopedReadOnlyModelViewSet
from cx_audit.core.parsers import BoundedJSONParser


def actions_with_history() -> QuerySet:
    """Actions with what their pages and the API show: a fixed number of queries for any number."""
    return (
        CorrectiveAction.objects.with_severity_rank()
        .select_related("location", "item")
        .prefetch_related(Prefetch("events", queryset=ActionEvent.objects.select_related("by")))
        .order_by("due_date", "pk")
    )


def photo_response(event: ActionEvent) -> FileResponse:
    response = FileResponse(event.photo.open("rb"), content_type=event.photo_content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema(tags=["actions"])
class CorrectiveActionViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Corrective actions opened by failed findings; ``ordering``: due, severity, found, location,
    status (``-`` for descending)."""

    queryset = actions_with_history()
    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilterSet
    filter_backends = [DjangoFilterBackend]  # ``ordering`` is the filterset's (severity by rank, not name)
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def _stepped(self, step: Any) -> Response:
        try:
            done = step()
        except ActionStateConflict as conflict:
            return Response({"status": [str(conflict)]}, status=status.HTTP_409_CONFLICT)
        return Response(CorrectiveActionSerializer(self.get_queryset().get(pk=done.pk)).data)

    @extend_schema(
        request={"multipart/form-data": ActionRespondSerializer, "application/json": ActionRespondSerializer},
        responses={200: CorrectiveActionSerializer, 409: OpenApiResponse(description="Not open.")},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def respond(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        form = ActionRespondSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return self._stepped(
            lambda: (
                action_respond(
                    action=found, user=request.user, note=data["note"], photo=data.get("photo")
                ).action
            )
        )

    @extend_schema(
        request=ActionAcceptSerializer,
        responses={200: CorrectiveActionSerializer, 409: OpenApiResponse(description="Not answered.")},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        form = ActionAcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._stepped(
            lambda: action_accept(action=found, user=request.user, note=form.validated_data["note"])
        )

    @extend_schema(
        request=ActionSendBackSerializer,
        responses={200: CorrectiveActionSerializer, 409: OpenApiResponse(description="Not answered.")},
    )
    @action(detail=True, methods=["post"], url_path="send-back", filter_backends=[])
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        form = ActionSendBackSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._stepped(
            lambda: action_send_back(action=found, user=request.user, reason=form.validated_data["reason"])
        )

    @extend_schema(
        parameters=[OpenApiParameter("event_id", int, OpenApiParameter.PATH)],
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<event_id>\d+)", filter_backends=[])
    def photo(self, request: Request, pk: str | None = None, event_id: str | None = None) -> FileResponse:
        found = self.get_object()
        event = ActionEvent.objects.filter(action=found, pk=event_id).exclude(photo="").first()
        if event is None:
            raise NotFound({"photo": ["No such photo of this action."]})
        return photo_response(event)


@extend_schema(tags=["actions"])
class RoutingRuleViewSet(ScopedReadOnlyModelViewSet):
    """Where each brand sends failed findings (HQ roles read them; HQ admins edit them in the admin)."""

    queryset = RoutingRule.objects.all()
    serializer_class = RoutingRuleSerializer
    filterset_class = RoutingRuleFilterSet
