"""The feedback CSV import: one check per record (`check_record`), the service, the command and the
API upload. Every bad row by line and column, nothing written until the file is clean, and a
re-import stores nothing twice."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.import_file import COLUMNS, RecordRules, check_record
from cx_audit.voice.importing import FeedbackImportReport, feedback_import
from cx_audit.voice.models import Feedback, FeedbackTag, LexiconTerm
from journeys.models import FrameworkStatus
from tests.conftest import Chain
from tests.factories import DimensionFactory, FrameworkFactory, StageFactory, TouchpointFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/api/feedback/import/"


def publish_framework(brand) -> None:
    """A published framework with two dimensions and two touchpoints, and a small lexicon."""
    framework = FrameworkFactory(brand=brand, status=FrameworkStatus.PUBLISHED, published_at=timezone.now())
    for code in ("service", "price"):
        DimensionFactory(framework=framework, code=code, name=code.title())
    stage = StageFactory(journey__framework=framework)
    for code in ("advice", "checkout"):
        TouchpointFactory(stage=stage, code=code)
    LexiconTerm.objects.create(
        brand=brand, text="rude", polarity=-1, touchpoint_code="advice", dimension_code="service"
    )
    LexiconTerm.objects.create(
        brand=brand, text="热情", polarity=1, touchpoint_code="advice", dimension_code="service"
    )


@pytest.fixture
def aurora(chain: Chain) -> Chain:
    publish_framework(chain.brand)
    return chain


def row(**values: str) -> dict[str, str]:
    """A clean row for GZ-101 of brand Aurora; keyword arguments override cells."""
    base = {
        "location_code": "GZ-101",
        "channel": "hotline",
        "external_id": "CRM-1",
        "received_at": "2026-03-01 10:30",
        "nps": "3",
        "csat": "2",
        "effort": "6",
        "comment": "The staff were rude. Call me on 13812345678 or mail li.lei@example.com",
        "language": "",
        "touchpoint_code": "advice",
        "customer_ref": "13812345678",
        "expect_service": "9",
    }
    return base | values


def csv_text(*rows: dict[str, str], columns: list[str] | None = None) -> str:
    out = io.StringIO()
    names = columns or [*COLUMNS, "expect_service"]
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def run(chain: Chain, text: str | bytes, *, dry_run: bool = False) -> FeedbackImportReport:
    data = text.encode() if isinstance(text, str) else text
    return feedback_import(brand=chain.brand, file=io.BytesIO(data), dry_run=dry_run)


def where(report: FeedbackImportReport) -> list[tuple[int | None, str | None]]:
    return [(issue.line, issue.column) for issue in report.errors]


@pytest.mark.django_db
class TestImport:
    def test_clean_file_is_stored_masked_hashed_and_tagged(self, aurora):
        text = csv_text(
            row(), row(external_id="CRM-2", location_code="BJ-001", nps="10", comment="店员很热情")
        )
        report = run(aurora, text)
        assert report.ok, report.errors
        assert (report.rows, report.created, report.existing) == (2, 2, 0)
        first = Feedback.objects.get(external_id="CRM-1")
        assert first.source == FeedbackSource.CSV
        assert first.location == aurora.f1_south
        assert first.franchisee == aurora.f1
        # A time without an offset is the site's local time.
        assert first.received_at == datetime(2026, 3, 1, 10, 30, tzinfo=SHANGHAI)
        assert (first.nps, first.csat, first.effort, first.touchpoint_code) == (3, 2, 6, "advice")
        assert first.expectations == {"service": "9"}
        assert "13812345678" not in first.comment
        assert "li.lei@example.com" not in first.comment
        assert first.customer_hash
        assert "13812345678" not in first.customer_hash
        assert first.language == "en"
        assert FeedbackTag.objects.filter(feedback=first, term="rude", polarity=-1).exists()
        assert Feedback.objects.get(external_id="CRM-2").language == "zh"

    def test_reimport_creates_nothing_and_changes_nothing(self, aurora):
        text = csv_text(row(), row(external_id="CRM-2"))
        assert run(aurora, text).created == 2
        stored = list(Feedback.objects.order_by("pk").values())
        again = run(aurora, csv_text(row(nps="10"), row(external_id="CRM-2"), row(external_id="CRM-3")))
        assert (again.created, again.existing) == (1, 2)
        assert (
            list(Feedback.objects.filter(external_id__in=["CRM-1", "CRM-2"]).order_by("pk").values())
            == stored
        )

    def test_dry_run_writes_nothing_and_counts_what_is_new(self, aurora):
        run(aurora, csv_text(row()))
        report = run(aurora, csv_text(row(), row(external_id="CRM-2")), dry_run=True)
        assert report.ok
        assert report.dry_run
        assert (report.created, report.existing) == (1, 1)
        assert Feedback.objects.count() == 1

    def test_every_bad_row_by_line_and_column_and_nothing_written(self, aurora):
        text = csv_text(
            row(external_id="OK-1"),
            row(external_id="B-2", nps="11"),
            row(external_id="B-3", nps="4.5", csat="0"),
            row(external_id="B-4", location_code="XX-999"),
            row(external_id="B-5", received_at="yesterday"),
            row(external_id="B-6", channel="fax"),
            row(external_id="B-7", touchpoint_code="parking"),
            row(external_id="B-8", comment="bad\x00byte"),
            row(external_id="OK-1"),
            row(external_id="B-10", received_at="1999-12-31T10:00:00+08:00", expect_service="11"),
            row(external_id="", effort="8", language="fr"),
        )
        report = run(aurora, text)
        assert where(report) == [
            (3, "nps"),
            (4, "nps"),
            (4, "csat"),
            (5, "location_code"),
            (6, "received_at"),
            (7, "channel"),
            (8, "touchpoint_code"),
            (9, "comment"),
            (10, "external_id"),
            (11, "received_at"),
            (11, "expect_service"),
            (12, "external_id"),
            (12, "effort"),
            (12, "language"),
        ]
        messages = {(issue.line, issue.column): issue.message for issue in report.errors}
        assert "XX-999" in messages[(5, "location_code")]
        assert "parking" in messages[(8, "touchpoint_code")]
        assert "U+0000" in messages[(9, "comment")]
        assert "line 2" in messages[(10, "external_id")]
        assert "“4.5” is not a whole number" in messages[(4, "nps")]
        assert report.error_count == len(report.errors)
        assert report.created == 0
        assert Feedback.objects.count() == 0

    def test_quoted_comment_over_lines_keeps_physical_lines(self, aurora):
        text = csv_text(row(comment="first line\nsecond line"), row(external_id="CRM-2", nps="x"))
        assert where(run(aurora, text)) == [(4, "nps")]

    @pytest.mark.parametrize(
        ("header", "column"),
        [
            ("location_code,channel,external_id,received_at,NPS,score", "score"),
            ("location_code,channel,received_at", "external_id"),
            ("location_code,channel,external_id,received_at,expect_happiness", "expect_happiness"),
            ("location_code,channel,external_id,received_at,nps,nps", "nps"),
        ],
    )
    def test_bad_header_is_fatal(self, aurora, header, column):
        report = run(aurora, header + "\nGZ-101,hotline,X,2026-03-01\n")
        assert (1, column) in where(report)
        assert Feedback.objects.count() == 0

    def test_unreadable_files(self, aurora):
        assert "UTF-8" in str(run(aurora, "location_code\n".encode("utf-16")).errors[0])
        assert "separated by commas" in str(run(aurora, "location_code;channel\n").errors[0])
        assert "no rows" in str(run(aurora, csv_text()).errors[0])

    def test_brand_without_published_framework_refuses_touchpoints(self, chain):
        report = run(chain, csv_text(row(), columns=list(COLUMNS)))
        assert where(report) == [(2, "touchpoint_code")]
        assert "no published framework" in report.errors[0].message


RULES = RecordRules(
    brand_slug="aurora",
    touchpoints=frozenset({"advice"}),
    dimensions=frozenset({"service"}),
    published=True,
    zone=SHANGHAI,
)
FIELD_NAMES = [*COLUMNS, "expectations", "expect_service", "expect_x"]
CELL = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-5, 20), st.floats(allow_nan=True), st.booleans()
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(CELL, st.dictionaries(st.text(max_size=8), CELL)))
)
def test_check_record_never_raises(values):
    """Whatever a client sends, the check answers a record or problems naming known fields, never
    an exception (which would be a 500)."""
    record, problems = check_record(values, RULES, 1)
    assert (record is None) == bool(problems)
    assert {problem.field for problem in problems} <= {*FIELD_NAMES, "expectations"}


@pytest.mark.django_db
class TestCommand:
    def test_import_dry_run_and_errors(self, aurora, tmp_path, capsys):
        path = tmp_path / "feedback.csv"
        path.write_text(csv_text(row(), row(external_id="CRM-2")), encoding="utf-8")
        call_command("import_feedback", "aurora", str(path), "--dry-run")
        assert "would create 2" in capsys.readouterr().out
        assert Feedback.objects.count() == 0
        call_command("import_feedback", "aurora", str(path))
        assert "created 2, existing 0" in capsys.readouterr().out
        call_command("import_feedback", "aurora", str(path))
        assert "created 0, existing 2" in capsys.readouterr().out
        path.write_text(csv_text(row(external_id="CRM-3", nps="12")), encoding="utf-8")
        with pytest.raises(CommandError, match=r"line 2, column nps"):
            call_command("import_feedback", "aurora", str(path))
        with pytest.raises(CommandError, match="No brand"):
            call_command("import_feedback", "nova", str(path))
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_feedback", "aurora", str(tmp_path / "missing.csv"))


def upload(text: str, brand) -> dict:
    file = io.BytesIO(text.encode())
    file.name = "feedback.csv"
    return {"brand": brand.pk, "file": file}


@pytest.mark.django_db
class TestImportAPI:
    def test_dry_run_then_import_then_reimport(self, api, aurora, role_users):
        client = api(role_users["hq_admin"])
        text = csv_text(row(), row(external_id="CRM-2"))
        dry = client.post(f"{URL}?dry_run=1", upload(text, aurora.brand))
        assert dry.status_code == 200, dry.content
        assert dry.json() == {"rows": 2, "created": 2, "existing": 0, "recoveries": 0, "dry_run": True}
        assert Feedback.objects.count() == 0
        done = client.post(URL, upload(text, aurora.brand))
        assert done.status_code == 201, done.content
        assert done.json()["created"] == 2
        again = client.post(URL, upload(text, aurora.brand))
        assert again.status_code == 200
        assert (again.json()["created"], again.json()["existing"]) == (0, 2)
        assert Feedback.objects.count() == 2

    def test_bad_file_lists_every_row(self, api, aurora, role_users):
        text = csv_text(
            row(), row(external_id="CRM-2", nps="eleven"), row(external_id="CRM-3", channel="fax")
        )
        response = api(role_users["hq_admin"]).post(URL, upload(text, aurora.brand))
        assert response.status_code == 400
        body = response.json()
        assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "nps"), (4, "channel")]
        assert body["error_count"] == 2
        assert Feedback.objects.count() == 0

    def test_only_the_brands_admins_upload(self, api, aurora, role_users):
        text = csv_text(row())
        assert api(role_users["hq_analyst"]).post(URL, upload(text, aurora.brand)).status_code == 403
        assert api(role_users["franchisee"]).post(URL, upload(text, aurora.brand)).status_code == 403
        other = api(role_users["other_admin"]).post(URL, upload(text, aurora.brand))
        assert other.status_code == 400
        assert "brand" in other.json()
        assert api().post(URL, upload(text, aurora.brand)).status_code == 401
        assert Feedback.objects.count() == 0
