from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.api.views import ScopedModelViewSet, ScopedReadOnlyModelViewSet

from ..filtersets import FranchiseeFilterSet, LocationFilterSet, MembershipFilterSet, RegionFilterSet
from ..models import Brand, Franchisee, Location, Membership, Region
from .serializers import (
    BrandSerializer,
    FranchiseeSerializer,
    LocationSerializer,
    MembershipSerializer,
    RegionSerializer,
)


class IsSuperuserToCreateOrDelete(permissions.BasePermission):
    """Brands are created and removed by the platform operator, not by a brand's own staff."""

    def has_permission(self, request: Request, view: object) -> bool:
        if request.method in ("POST", "DELETE"):
            return bool(request.user and request.user.is_superuser)
        return True


class BrandViewSet(ScopedModelViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    brand_path = "pk"
    permission_classes = [*ScopedModelViewSet.permission_classes, IsSuperuserToCreateOrDelete]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug"]


class RegionViewSet(ScopedModelViewSet):
    queryset = Region.objects.select_related("brand", "parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name"]


class FranchiseeViewSet(ScopedModelViewSet):
    queryset = Franchisee.objects.select_related("brand")
    serializer_class = FranchiseeSerializer
    filterset_class = FranchiseeFilterSet
    ordering_fields = ["code", "name"]


class LocationViewSet(ScopedModelViewSet):
    queryset = Location.objects.select_related("brand", "region", "franchisee")
    serializer_class = LocationSerializer
    filterset_class = LocationFilterSet
    ordering_fields = ["code", "name", "city", "city_tier", "opening_date", "annual_revenue"]

    @extend_schema(
        summary="Policy check: direct stores in cities the brand does not allow for them",
        responses=LocationSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="policy-exceptions")
    def policy_exceptions(self, request: Request) -> Response:
        locations = self.filter_queryset(self.get_queryset()).policy_exceptions()
        page = self.paginate_queryset(locations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MembershipViewSet(ScopedReadOnlyModelViewSet):
    """Who has which role in which brand: your own memberships, or all of a brand you administer."""

    queryset = Membership.objects.select_related("brand", "user").prefetch_related("regions", "locations")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
