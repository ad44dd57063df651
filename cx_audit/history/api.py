"""GET /api/history/: the change history for HQ admins, read-only (the history is append-only).

HQ admins read the history of their brands' records (users: of their brands' members); superusers
of every brand; every other role gets 403 for the whole endpoint, like the chain insights.
"""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.history.filtersets import HistoryFilterSet
from cx_audit.history.selectors import can_read_history, entries, filtered_history
from cx_audit.history.serializers import HistoryEntrySerializer
from cx_audit.history.tracked import BY_KEY


class IsHistoryReader(permissions.BasePermission):
    message = "The change history is for HQ admins."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_read_history(request.user)


class HistoryView(GenericAPIView):
    """Every change to the records of your brands, newest first: who, when, what, before and after."""

    permission_classes = [permissions.IsAuthenticated, IsHistoryReader]
    serializer_class = HistoryEntrySerializer
    filterset_class = HistoryFilterSet
    filter_backends = [DjangoFilterBackend]  # describes the filters in the schema; `get` applies them
    queryset = BY_KEY["brand"].history.objects.none()

    @extend_schema(
        parameters=[  # the filters' types, which their methods do not tell the schema generator
            OpenApiParameter("brand", OpenApiTypes.INT, description="Brand id (one of yours)."),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="Changes on or after this day."),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Changes on or before this day."),
        ],
        responses={
            200: HistoryEntrySerializer(many=True),
            400: OpenApiResponse(description="A filter is invalid; the answer names it."),
        },
    )
    def get(self, request: Request) -> Response:
        filterset = HistoryFilterSet(request.query_params, queryset=self.queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = self.paginate_queryset(filtered_history(request.user, filterset))
        return self.get_paginated_response(self.get_serializer(entries(page), many=True).data)
