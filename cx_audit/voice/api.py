"""The feedback API (read, send one, send a batch, upload a CSV file) and the lexicon API.

Reads go through `Feedback.objects.visible_to`: HQ sees its brands, a franchisee its own outlets'
customers, an auditor no record at all (an empty list, a 404 for any id). Writes are for HQ admins
of the location's brand (`may(user, "add", Feedback)`, then only their brands' locations are
found). Feedback is a record: no update, no delete (405). Re-sending an external id the brand
already has never stores it twice: one record answers 200 with the stored one (unchanged), a batch
counts it as existing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.api import MayWrite, ScopedModelViewSet, ScopedQuerysetMixin
from cx_audit.voice.filtersets import FeedbackFilterSet, LexiconTermFilterSet
from cx_audit.voice.importing import CheckedRecords, feedback_import, records_check, records_ingest
from cx_audit.voice.models import Feedback, FeedbackTag, LexiconTerm
from cx_audit.voice.policy import lexicon_seed
from cx_audit.voice.serializers import (
    MAX_BATCH,
    FeedbackBatchErrorsSerializer,
    FeedbackBatchInSerializer,
    FeedbackBatchResultSerializer,
    FeedbackDetailSerializer,
    FeedbackImportErrorsSerializer,
    FeedbackImportReportSerializer,
    FeedbackImportSerializer,
    FeedbackInSerializer,
    FeedbackSerializer,
    LexiconTermSerializer,
)

TRUE = frozenset({"1", "true", "yes", "on"})


def _errors_by_field(checked: CheckedRecords) -> dict[str, list[str]]:
    """A single record's problems in the API's usual shape: field → messages."""
    errors: dict[str, list[str]] = {}
    for problem in checked.problems:
        errors.setdefault(problem.field, []).append(problem.message)
    return errors


@extend_schema(tags=["voice"])
class FeedbackViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Customer feedback, the latest first; ``ordering``: received_at, nps, csat, effort, sentiment."""

    queryset = Feedback.objects.select_related("location").order_by("-received_at", "-pk")
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    ordering_fields = ["received_at", "nps", "csat", "effort", "sentiment"]
    permission_classes = [permissions.IsAuthenticated, MayWrite]

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("tags", queryset=FeedbackTag.objects.order_by("start", "pk"))
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return FeedbackSerializer if self.action == "list" else FeedbackDetailSerializer

    def _detail(self, pk: int, answer: int) -> Response:
        return Response(FeedbackDetailSerializer(self.get_queryset().get(pk=pk)).data, status=answer)

    @extend_schema(
        summary="Send one feedback record",
        request=FeedbackInSerializer,
        responses={
            201: OpenApiResponse(FeedbackDetailSerializer, description="Stored, with its tags."),
            200: OpenApiResponse(
                FeedbackDetailSerializer, description="Its external id was stored before: the stored record."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        if not isinstance(request.data, Mapping):
            return Response(
                {"non_field_errors": ["Send one record as a JSON object."]}, status.HTTP_400_BAD_REQUEST
            )
        checked = records_check(user=request.user, items=[request.data])
        if checked.problems:
            return Response(_errors_by_field(checked), status=status.HTTP_400_BAD_REQUEST)
        result, stored = records_ingest(checked)
        return self._detail(stored[0].id, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary=f"Send up to {MAX_BATCH} feedback records, stored all or none",
        request=FeedbackBatchInSerializer,
        responses={
            201: OpenApiResponse(FeedbackBatchResultSerializer, description="Stored; at least one is new."),
            200: OpenApiResponse(
                FeedbackBatchResultSerializer, description="Every record was stored before."
            ),
            400: OpenApiResponse(
                FeedbackBatchErrorsSerializer,
                description="Bad records (nothing stored); a bad ``records`` itself answers "
                "the usual field → messages mapping.",
            ),
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[])
    def batch(self, request: Request) -> Response:
        records = request.data.get("records") if isinstance(request.data, Mapping) else None
        if not isinstance(records, list) or not 1 <= len(records) <= MAX_BATCH:
            message = f"A list of 1 to {MAX_BATCH} records; send more in further batches."
            return Response({"records": [message]}, status=status.HTTP_400_BAD_REQUEST)
        checked = records_check(user=request.user, items=records)
        if checked.problems:
            errors = [problem.as_dict() for problem in checked.problems]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        result, stored = records_ingest(checked)
        body = {
            "created": result.created,
            "existing": result.existing,
            "recoveries": result.recoveries,
            "results": [vars(item) for item in stored],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        summary="Import feedback from a CSV file (new external ids only)",
        description=(
            "HQ admins of the brand only. Columns: location_code, channel, external_id, received_at "
            "(required), nps, csat, effort, comment, language, touchpoint_code, customer_ref, and one "
            "expect_<dimension> column per dimension asked. Every bad row is reported by line and column, "
            "and nothing is written unless the whole file is clean; rows whose external id the brand "
            "already has are counted as existing and left as they are, so importing a file twice stores "
            "it once. A file that repeats an external id is refused, naming both lines."
        ),
        parameters=[
            OpenApiParameter("dry_run", bool, description="Check the file only (like the form field).")
        ],
        request={"multipart/form-data": FeedbackImportSerializer},
        responses={
            200: OpenApiResponse(
                FeedbackImportReportSerializer,
                description="A dry run, or a file with nothing new: what it holds.",
            ),
            201: OpenApiResponse(
                FeedbackImportReportSerializer, description="Clean, and new records stored."
            ),
            400: OpenApiResponse(
                FeedbackImportErrorsSerializer,
                description="The file is bad (nothing written); a bad form field answers the usual "
                "field → messages mapping instead.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def import_file(self, request: Request) -> Response:
        form = FeedbackImportSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        dry_run = form.validated_data["dry_run"] or request.query_params.get("dry_run", "").lower() in TRUE
        report = feedback_import(
            brand=form.validated_data["brand"], file=form.validated_data["file"], dry_run=dry_run
        )
        if not report.ok:
            errors = [issue.as_dict() for issue in report.errors]
            return Response(
                {"errors": errors, "error_count": report.error_count}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            report.summary(), status=status.HTTP_201_CREATED if report.written else status.HTTP_200_OK
        )


@extend_schema(tags=["voice"])
class LexiconTermViewSet(ScopedModelViewSet):
    """The brand's lexicon: HQ roles read it, HQ admins edit it. A change tags feedback stored from
    then on; ``manage.py retag_feedback <brand>`` re-tags what is stored."""

    queryset = LexiconTerm.objects.all()
    serializer_class = LexiconTermSerializer
    filterset_class = LexiconTermFilterSet
    ordering_fields = ["text", "weight", "polarity"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        """A brand reads the default lexicon until it has terms of its own: its first term is added
        to its own copy of the defaults, so adding one word never drops the other six hundred."""
        with transaction.atomic():
            data = serializer.validated_data
            if not LexiconTerm.objects.filter(brand=data["brand"]).exists():
                lexicon_seed(data["brand"].pk, leave_out=data["text"])
            serializer.save()
