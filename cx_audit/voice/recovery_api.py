"""The customer-recovery API: list and detail (scoped by `RecoveryAction.objects.visible_to`) and
closing an action as recovered or not.

Someone else's action is a 404; an action the user sees but may not close (an HQ analyst, an
auditor never sees one) is a 403; closing one already closed is a 409 naming ``status``.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.api import ScopedQuerysetMixin
from cx_audit.core.parsers import BoundedJSONParser
from cx_audit.core.permissions import may
from cx_audit.voice.models import Feedback, FeedbackTag, RecoveryAction
from cx_audit.voice.recovery_filters import RecoveryActionFilterSet
from cx_audit.voice.serializers import FeedbackTagSerializer
from cx_audit.voice.services import recovery_close

MAX_NOTE = 2000
CLOSE_REFUSED = "Only the outlet's franchisee or HQ admins may close this recovery action."


def recovery_actions() -> QuerySet:
    """Actions with their feedback and its tags: a fixed number of queries for any number of actions."""
    return RecoveryAction.objects.select_related("location", "feedback", "closed_by").prefetch_related(
        Prefetch("feedback__tags", queryset=FeedbackTag.objects.order_by("start", "pk"))
    )


class RecoveryFeedbackSerializer(serializers.ModelSerializer):
    """What the customer said; the comment is stored masked, so no phone number or e-mail is shown."""

    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    tags = FeedbackTagSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "channel",
            "channel_label",
            "received_at",
            "nps",
            "csat",
            "effort",
            "comment",
            "language",
            "touchpoint_code",
            "polarity",
            "tags",
        ]
        read_only_fields = fields


class RecoveryLocationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class RecoveryActionSerializer(serializers.ModelSerializer):
    location = RecoveryLocationSerializer(read_only=True)
    feedback = RecoveryFeedbackSerializer(read_only=True)
    department_label = serializers.CharField(source="get_department_display", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text="Open and past its deadline.")
    closed_by = serializers.CharField(
        source="closed_by.get_username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RecoveryAction
        fields = [
            "id",
            "brand",
            "location",
            "franchisee",
            "feedback",
            "reason",
            "touchpoint_code",
            "dimension_code",
            "department",
            "department_label",
            "routing_rule_id",
            "status",
            "opened_at",
            "due_at",
            "overdue",
            "closed_at",
            "closed_by",
            "note",
        ]
        read_only_fields = fields


class RecoveryCloseSerializer(serializers.Serializer):
    recovered = serializers.BooleanField(help_text="True: the customer was won back.")
    note = serializers.CharField(
        max_length=MAX_NOTE, required=False, allow_blank=True, default="", help_text="What was done."
    )


@extend_schema(tags=["voice"])
class RecoveryActionViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Customer-recovery actions opened by detractors' comments and pain at critical touchpoints,
    the soonest due first."""

    queryset = recovery_actions().order_by("due_at", "pk")
    serializer_class = RecoveryActionSerializer
    filterset_class = RecoveryActionFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=RecoveryCloseSerializer,
        responses={
            200: RecoveryActionSerializer,
            403: OpenApiResponse(description="Visible, but only its franchisee or HQ admins close it."),
            409: OpenApiResponse(description="Already closed."),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: str | None = None) -> Response:
        found = self.get_object()
        if not may(request.user, "close", found):
            raise PermissionDenied(CLOSE_REFUSED)
        form = RecoveryCloseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        done = recovery_close(action=found, user=request.user, recovered=data["recovered"], note=data["note"])
        return Response(self.get_serializer(self.get_queryset().get(pk=done.pk)).data)
