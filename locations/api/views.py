from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.api import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from locations.api.serializers import (
    BrandSerializer,
    FranchiseeSerializer,
    LocationImportSerializer,
    LocationSerializer,
    MembershipSerializer,
    RegionSerializer,
)
from locations.filtersets import FranchiseeFilterSet, LocationFilterSet, MembershipFilterSet, RegionFilterSet
from locations.importing import locations_import
from locations.models import Brand, Franchisee, Location, Membership, Region


class BrandViewSet(ScopedModelViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
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


class LocationImportIssueSerializer(serializers.Serializer):
    """Documents one problem of a bad import file (schema only)."""

    line = serializers.IntegerField(allow_null=True, help_text="Physical line in the file; header = 1.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class LocationImportReportSerializer(serializers.Serializer):
    """Documents the answer to a clean import file (schema only)."""

    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField(help_text="Existing locations (same code) that changed.")
    unchanged = serializers.IntegerField(help_text="Existing locations the file repeats exactly.")
    geocoded = serializers.IntegerField(help_text="Rows whose coordinates came from the geocoder's cache.")
    geocode_pending = serializers.IntegerField(
        help_text="Rows saved without coordinates that a background task geocodes after the import "
        "(their coordinates stay empty until it is done)."
    )
    dry_run = serializers.BooleanField()
    warnings = LocationImportIssueSerializer(many=True, help_text="Imported, but worth a look.")


class LocationImportErrorsSerializer(serializers.Serializer):
    """Documents the answer to a bad import file (schema only); a bad form field (no ``file``, no
    ``brand``) answers the usual field → messages mapping instead, without ``errors``."""

    errors = LocationImportIssueSerializer(many=True, required=False, help_text="The file's problems.")


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

    @extend_schema(
        summary="Import locations from a CSV file (create or update by code)",
        description=(
            "HQ admins of the brand only. Columns: code, name, outlet_type, franchisee (code), "
            "region (code), address, city, country, latitude, longitude, city_tier, status, "
            "opening_date, floor_area, annual_revenue. Every bad row is reported by line and "
            "column, and nothing is written unless the whole file is clean. Coordinates in the "
            "file win; rows without them take the geocoder's cached answer, or are saved "
            "without coordinates and geocoded by a background task after the import (never "
            "inside this request)."
        ),
        request={"multipart/form-data": LocationImportSerializer},
        responses={
            200: OpenApiResponse(
                LocationImportReportSerializer, description="Dry run of a clean file: what would happen."
            ),
            201: OpenApiResponse(
                LocationImportReportSerializer, description="The file was clean and has been imported."
            ),
            400: OpenApiResponse(
                LocationImportErrorsSerializer,
                description="The file is bad (nothing written); a bad form field answers "
                "the usual field → messages mapping instead.",
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        form = LocationImportSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        report = locations_import(
            brand=form.validated_data["brand"],
            file=form.validated_data["file"],
            dry_run=form.validated_data["dry_run"],
            geocode_later=True,  # no network wait inside a web request
        )
        if not report.ok:
            return Response(
                {"errors": [issue.as_dict() for issue in report.errors]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            report.summary(), status=status.HTTP_201_CREATED if report.written else status.HTTP_200_OK
        )


class MembershipViewSet(ScopedReadOnlyModelViewSet):
    """Who has which role in which brand: your own memberships, or all of a brand you administer."""

    queryset = Membership.objects.select_related("brand", "user").prefetch_related("regions", "locations")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
