"""Serializers of the feedback API and the lexicon API.

Feedback is read here and never written through a model serializer: the records a client sends are
checked by `cx_audit.voice.import_file.check_record` (the one validation of every way in, CSV rows
included) and stored by `feedback_ingest`. The input serializers below only document that shape in
the OpenAPI document. No answer carries ``customer_hash``: the hash is for counting repeat
customers inside the service, not for anyone to match against a phone list.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cx_audit.core.serializers import ModelCleanMixin, ScopedRelatedField
from cx_audit.voice.choices import FeedbackChannel, Language
from cx_audit.voice.import_file import CONTROL_CHARACTERS, MAX_COMMENT, MAX_CUSTOMER_REF, MAX_EXTERNAL_ID
from cx_audit.voice.importing import rules_for
from cx_audit.voice.lexicon import Term, term_problems
from cx_audit.voice.models import Feedback, FeedbackTag, LexiconTerm
from locations.models import Brand

MAX_BATCH = 1000
MAX_IMPORT_BYTES = 64 * 1024 * 1024  # ~300,000 rows with comments


# --- reading feedback -------------------------------------------------------------------------------


class FeedbackTagSerializer(serializers.ModelSerializer):
    """What the comment said about a touchpoint or dimension, and the words (``start``…``end`` of
    the stored comment) that said it."""

    class Meta:
        model = FeedbackTag
        fields = [
            "term",
            "touchpoint_code",
            "dimension_code",
            "polarity",
            "weight",
            "start",
            "end",
            "matched",
            "negated",
        ]
        read_only_fields = fields


FEEDBACK_FIELDS = [
    "id",
    "brand",
    "location",
    "location_code",
    "franchisee",
    "channel",
    "source",
    "external_id",
    "received_at",
    "nps",
    "csat",
    "effort",
    "comment",
    "language",
    "touchpoint_code",
    "expectations",
    "sentiment",
    "polarity",
    "complaint",
    "created_at",
]


class FeedbackSerializer(serializers.ModelSerializer):
    """One customer's say; the comment is stored with phone numbers and e-mails masked."""

    location_code = serializers.CharField(source="location.code", read_only=True)

    class Meta:
        model = Feedback
        fields = FEEDBACK_FIELDS
        read_only_fields = fields


class FeedbackDetailSerializer(FeedbackSerializer):
    tags = FeedbackTagSerializer(many=True, read_only=True)

    class Meta(FeedbackSerializer.Meta):
        fields = [*FEEDBACK_FIELDS, "tags"]
        read_only_fields = fields


# --- sending feedback (schema only: `check_record` validates) --------------------------------------


class FeedbackInSerializer(serializers.Serializer):
    """One record as a client sends it (documents the shape; `check_record` validates it). Unknown
    keys are refused, so a misspelt ``NPS`` is not silently dropped."""

    location = serializers.IntegerField(required=False, help_text="The location's id; or give location_code.")
    location_code = serializers.CharField(
        required=False, help_text="The location's code, when only one of your brands uses it."
    )
    channel = serializers.ChoiceField(choices=FeedbackChannel.choices)
    external_id = serializers.CharField(
        max_length=MAX_EXTERNAL_ID, help_text="Your id of the record; re-sending it never stores it twice."
    )
    received_at = serializers.DateTimeField(help_text="ISO 8601; without an offset, the site's local time.")
    nps = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10)
    csat = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    effort = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=7)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        help_text="Empty: detected from the comment.",
    )
    touchpoint_code = serializers.CharField(
        required=False, allow_blank=True, help_text="A touchpoint of the brand's published framework."
    )
    customer_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_CUSTOMER_REF,
        help_text="Your customer's id or phone: stored only as a keyed hash.",
    )
    expectations = serializers.DictField(
        child=serializers.DecimalField(max_digits=3, decimal_places=1, min_value=0, max_value=10),
        required=False,
        help_text="What the customer expected per dimension code of the framework, 0–10.",
    )


class FeedbackBatchInSerializer(serializers.Serializer):
    records = FeedbackInSerializer(many=True, help_text=f"1 to {MAX_BATCH} records, stored all or none.")


class RecordProblemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The record's position in ``records``, from 0.")
    field = serializers.CharField()
    message = serializers.CharField()


class FeedbackBatchErrorsSerializer(serializers.Serializer):
    """Documents the answer to bad records (schema only); a bad ``records`` itself (not a list, too
    many) answers the usual field → messages mapping instead, without ``errors``."""

    errors = RecordProblemSerializer(
        many=True, required=False, help_text="Every problem (nothing was stored)."
    )


class StoredRecordSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    id = serializers.IntegerField(help_text="The stored feedback.")
    external_id = serializers.CharField()
    created = serializers.BooleanField(help_text="False: it was stored before and is left as it was.")


class FeedbackBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
    recoveries = serializers.IntegerField(help_text="Customer-recovery actions opened.")
    results = StoredRecordSerializer(many=True)


class FeedbackImportSerializer(serializers.Serializer):
    """The upload form of the feedback import."""

    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")
    file = serializers.FileField(help_text="CSV, UTF-8, first line the column names.")
    dry_run = serializers.BooleanField(default=False, help_text="Check only; ?dry_run=1 does the same.")

    def validate_file(self, file: Any) -> Any:
        if file.size > MAX_IMPORT_BYTES:
            raise serializers.ValidationError(
                f"At most {MAX_IMPORT_BYTES // (1024 * 1024)} MB; split the file."
            )
        return file


class ImportIssueSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="Physical line in the file; header = 1.")
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class FeedbackImportReportSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    existing = serializers.IntegerField(help_text="External ids stored before: skipped, left as they are.")
    recoveries = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class FeedbackImportErrorsSerializer(serializers.Serializer):
    """Documents the answer to a bad file (schema only); a bad form field (no ``file``, no ``brand``)
    answers the usual field → messages mapping instead, without ``errors``."""

    errors = ImportIssueSerializer(
        many=True, required=False, help_text="The first 1,000 problems, in file order."
    )
    error_count = serializers.IntegerField(required=False, help_text="How many problems the file has in all.")


# --- the lexicon -------------------------------------------------------------------------------------


class LexiconTermSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A term of the brand's lexicon. Touchpoint and dimension are codes of the brand's published
    framework (or blank); a change tags new feedback — ``manage.py retag_feedback`` re-tags the old."""

    brand = ScopedRelatedField(queryset=Brand.objects.all(), scope="managed_by")

    class Meta:
        model = LexiconTerm
        fields = ["id", "brand", "text", "polarity", "weight", "touchpoint_code", "dimension_code"]

    def validate_text(self, text: str) -> str:
        if found := CONTROL_CHARACTERS.search(text):
            raise serializers.ValidationError(f"Contains the control character U+{ord(found.group()):04X}.")
        return text

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The codes against the brand's published framework, then the tagger's own rules for a
        term (`term_problems`: an aspect must name where it is, …), so no term the tagger would
        misread is stored."""
        attrs = super().validate(attrs)
        stored = self.instance
        current = {name: getattr(stored, name) for name in self.Meta.fields[1:]} if stored else {}
        term = {"touchpoint_code": "", "dimension_code": "", "weight": 1, **current, **attrs}
        rules = rules_for(term["brand"])
        errors = {
            name: [f"Unknown {what} “{term[name]}” (not in the published framework of {rules.brand_slug})."]
            for name, what, known in (
                ("touchpoint_code", "touchpoint", rules.touchpoints),
                ("dimension_code", "dimension", rules.dimensions),
            )
            if term[name] and term[name] not in known
        }
        if errors:
            raise serializers.ValidationError(errors)
        codes = (term["touchpoint_code"], term["dimension_code"])
        as_term = Term(term["text"], term["polarity"], float(term["weight"]), *codes)
        problems = term_problems(as_term, touchpoints=rules.touchpoints, dimensions=rules.dimensions)
        if problems:
            raise serializers.ValidationError({"non_field_errors": problems})
        return attrs
