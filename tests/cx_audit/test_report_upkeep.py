"""Upkeep of bulk exports with real files in storage: dead jobs given up, old ZIPs deleted, leftover
files swept, a worker that comes back after being given up dropping its work, `purge_reports`."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from cx_audit.celery import app as celery_app
from cx_audit.reports import rules as report_rules
from cx_audit.reports.models import JobStatus, ScorecardJob, retention, stale_after
from cx_audit.reports.services import scorecard_job_create, scorecard_job_run
from cx_audit.reports.upkeep import (
    reports_purge,
    scorecard_job_checked,
    scorecard_job_give_up,
    stale_reason,
)
from cx_audit.settings import env_positive_int

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_report_limits(settings):
    """The limits are the defaults, whatever the environment says (media: tests/conftest.py)."""
    settings.REPORT_JOB_STALE_MINUTES = 30
    settings.REPORT_RETENTION_DAYS = 7


@pytest.fixture
def fast_pdfs(monkeypatch):
    """The worker's PDFs, without WeasyPrint: these tests are about the job, not the PDF."""
    monkeypatch.setattr("cx_audit.scorecards.pdf.scorecard_pdf", lambda *args, **kwargs: b"%PDF-1.7 test")


@pytest.fixture
def make_job(chain, role_users):
    """``make_job(status=…, finished_days_ago=…, progress_minutes_ago=…, zip=True)``: a job of F1's
    outlets as its franchisee asked for it, in that state, its ZIP a real file in storage."""

    def make(
        status: str = JobStatus.DONE,
        *,
        finished_days_ago: float | None = 0,
        progress_minutes_ago: float = 0,
        zip: bool = True,
    ) -> ScorecardJob:
        job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)  # not sent: no commit
        now = timezone.now()
        if zip:
            job.file.save("scorecards.zip", ContentFile(b"PK\x03\x04 a zip"), save=False)
        ScorecardJob.objects.filter(pk=job.pk).update(
            status=status,
            file=job.file.name or "",
            done=job.total if status == JobStatus.DONE else 0,
            last_progress_at=now - timedelta(minutes=progress_minutes_ago),
            finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
        )
        job.refresh_from_db()
        return job

    return make


def on_disk(name: str) -> bool:
    return bool(name) and Path(default_storage.path(name)).exists()


class StaleJobTests:
    @pytest.mark.parametrize("status", [JobStatus.QUEUED, JobStatus.RUNNING])
    def test_a_silent_job_is_shown_and_stored_as_failed_with_the_reason(self, make_job, status):
        job = make_job(status, finished_days_ago=None, progress_minutes_ago=31, zip=False)
        checked = scorecard_job_checked(job)
        assert (checked.status, checked.error) == (JobStatus.FAILED, stale_reason())
        assert "No progress for 30 minutes" in checked.error
        assert "Start it again" in checked.error
        stored = ScorecardJob.objects.get(pk=job.pk)
        assert (stored.status, stored.error, stored.finished_at) == (
            JobStatus.FAILED,
            stale_reason(),
            checked.finished_at,
        )
        assert stored.can_restart

    def test_a_live_job_is_left_alone_without_a_query(self, make_job, django_assert_num_queries):
        job = make_job(JobStatus.RUNNING, finished_days_ago=None, progress_minutes_ago=29, zip=False)
        with django_assert_num_queries(0):
            assert scorecard_job_checked(job).status == JobStatus.RUNNING

    def test_the_limit_is_a_setting(self, make_job, settings):
        settings.REPORT_JOB_STALE_MINUTES = 5
        job = make_job(JobStatus.RUNNING, finished_days_ago=None, progress_minutes_ago=6, zip=False)
        assert scorecard_job_checked(job).error == stale_reason()
        assert "No progress for 5 minutes" in stale_reason()

    def test_the_database_filter_agrees_with_the_rule(self, make_job):
        jobs = [
            make_job(status, finished_days_ago=None, progress_minutes_ago=minutes, zip=False)
            for status in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED)
            for minutes in (0, 29, 31, 600)
        ]
        now = timezone.now()
        by_rule = {job.pk for job in jobs if job.is_stale(now)}
        in_db = set(ScorecardJob.objects.stale(now, stale_after()).values_list("pk", flat=True))
        assert by_rule == in_db
        assert len(by_rule) == 4  # queued and running, 31 and 600 minutes silent

    def test_a_worker_given_up_midway_stops_and_leaves_the_failure(self, make_job, fast_pdfs, monkeypatch):
        job = make_job(JobStatus.QUEUED, finished_days_ago=None, zip=False)

        def pdf_then_given_up(*args, **kwargs):
            scorecard_job_give_up(job=job, reason="Given up by hq in the admin: start it again.")
            return b"%PDF-1.7"

        monkeypatch.setattr("cx_audit.scorecards.pdf.scorecard_pdf", pdf_then_given_up)
        result = scorecard_job_run(job_id=job.pk)
        assert (result.status, result.error) == (
            JobStatus.FAILED,
            "Given up by hq in the admin: start it again.",
        )
        assert (result.done, result.file.name) == (0, "")

    def test_a_worker_given_up_while_saving_deletes_its_zip(
        self, make_job, fast_pdfs, monkeypatch, media_root
    ):
        job = make_job(JobStatus.QUEUED, finished_days_ago=None, zip=False)

        def file_of_a_given_up_job(buffer: io.IOBase) -> File:
            scorecard_job_give_up(job=job, reason=stale_reason())
            return File(buffer)

        monkeypatch.setattr("cx_audit.reports.services.File", file_of_a_given_up_job)
        result = scorecard_job_run(job_id=job.pk)
        assert (result.status, result.error, result.file.name) == (JobStatus.FAILED, stale_reason(), "")
        assert (media_root / "reports").is_dir()  # the ZIP was being saved here
        assert not any(path.is_file() for path in (media_root / "reports").rglob("*"))

    def test_a_given_up_job_is_not_run_when_its_task_arrives_late(self, make_job, fast_pdfs):
        job = make_job(JobStatus.QUEUED, finished_days_ago=None, progress_minutes_ago=45, zip=False)
        scorecard_job_checked(job)
        late = scorecard_job_run(job_id=job.pk)
        assert (late.status, late.done, late.file.name) == (JobStatus.FAILED, 0, "")


class RetentionTests:
    def test_zips_past_retention_expire_and_recent_ones_stay(self, make_job):
        old = make_job(finished_days_ago=7.1)
        recent = make_job(finished_days_ago=6.9)
        old_file, recent_file = old.file.name, recent.file.name
        assert on_disk(old_file)
        assert on_disk(recent_file)
        report = reports_purge()
        assert report.expired_jobs == [old.pk]
        old.refresh_from_db()
        assert (old.status, old.file.name, old.kept_until) == (JobStatus.EXPIRED, "", None)
        assert old.expired_at is not None
        assert not on_disk(old_file)
        assert not Path(default_storage.path(old_file)).parent.exists()  # its folder too
        recent.refresh_from_db()
        assert (recent.status, recent.file.name) == (JobStatus.DONE, recent_file)
        assert on_disk(recent_file)
        assert recent.kept_until == recent.finished_at + timedelta(days=7)

    def test_the_retention_is_a_setting(self, make_job, settings):
        settings.REPORT_RETENTION_DAYS = 1
        job = make_job(finished_days_ago=1.5)
        assert reports_purge().expired_jobs == [job.pk]

    def test_a_failed_job_loses_its_file_and_stays_failed(self, make_job):
        job = make_job(JobStatus.FAILED, finished_days_ago=8)
        name = job.file.name
        report = reports_purge()
        assert (report.expired_jobs, report.deleted_files) == ([], [name])
        job.refresh_from_db()
        assert (job.status, job.file.name) == (JobStatus.FAILED, "")
        assert not on_disk(name)

    def test_a_dry_run_lists_and_changes_nothing(self, make_job):
        old = make_job(finished_days_ago=30)
        stale = make_job(JobStatus.RUNNING, finished_days_ago=None, progress_minutes_ago=60, zip=False)
        report = reports_purge(dry_run=True)
        assert (report.expired_jobs, report.stale_jobs, report.deleted_files) == (
            [old.pk],
            [stale.pk],
            [old.file.name],
        )
        assert on_disk(old.file.name)
        assert ScorecardJob.objects.get(pk=old.pk).status == JobStatus.DONE
        assert ScorecardJob.objects.get(pk=stale.pk).status == JobStatus.RUNNING

    def test_leftover_files_are_swept_but_never_a_zip_being_made(self, make_job):
        kept = make_job(finished_days_ago=1)
        deleted = make_job(finished_days_ago=1)
        orphan = deleted.file.name
        ScorecardJob.objects.filter(pk=deleted.pk).delete()  # e.g. its requester was removed
        being_made = make_job(JobStatus.RUNNING, finished_days_ago=None, zip=False)
        in_progress = default_storage.save(
            f"reports/scorecards/{being_made.pk}/scorecards-{being_made.pk}.zip", ContentFile(b"PK")
        )  # the worker saves the file just before it records the job done
        stray = default_storage.save(f"reports/scorecards/{kept.pk}/stray.zip", ContentFile(b"PK"))
        report = reports_purge()
        assert sorted(report.deleted_files) == sorted([orphan, stray])
        assert not on_disk(orphan)
        assert not on_disk(stray)
        assert on_disk(kept.file.name)
        assert on_disk(in_progress)

    def test_the_database_filter_agrees_with_the_rule(self, make_job):
        jobs = [
            make_job(status, finished_days_ago=days)
            for status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.RUNNING)
            for days in (1, 6.9, 7.1, 40)
        ]
        now = timezone.now()
        by_rule = {
            job.pk
            for job in jobs
            if report_rules.is_due_for_purge(
                status=job.status, finished_at=job.finished_at, now=now, retention=retention()
            )
        }
        in_db = set(ScorecardJob.objects.due_for_purge(now, retention()).values_list("pk", flat=True))
        assert by_rule == in_db
        assert len(by_rule) == 4

    def test_a_new_export_purges_on_the_way(
        self, make_job, chain, role_users, fast_pdfs, django_capture_on_commit_callbacks
    ):
        old = make_job(finished_days_ago=10)
        dead = make_job(JobStatus.RUNNING, finished_days_ago=None, progress_minutes_ago=90, zip=False)
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                new = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
        finally:
            celery_app.conf.task_always_eager = eager
        assert ScorecardJob.objects.get(pk=old.pk).status == JobStatus.EXPIRED
        assert not on_disk(old.file.name)
        assert ScorecardJob.objects.get(pk=dead.pk).status == JobStatus.FAILED
        new.refresh_from_db()
        assert new.status == JobStatus.DONE
        assert on_disk(new.file.name)

    def test_a_failing_upkeep_never_fails_the_export(
        self, chain, role_users, monkeypatch, django_capture_on_commit_callbacks, caplog
    ):
        def broken(**kwargs):
            raise OSError("the disk is read-only")

        monkeypatch.setattr("cx_audit.reports.services.reports_purge", broken)
        monkeypatch.setattr("cx_audit.reports.services.scorecard_job_enqueue", lambda job: None)
        with django_capture_on_commit_callbacks(execute=True):
            job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
        assert ScorecardJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
        assert "report upkeep after a new export failed" in caplog.text


class PurgeCommandTests:
    def test_dry_run_then_purge(self, make_job):
        old = make_job(finished_days_ago=8)
        name = old.file.name
        out = io.StringIO()
        call_command("purge_reports", "--dry-run", stdout=out)
        text = out.getvalue()
        assert "Retention 7 day(s); a job is stale after 30 minute(s) without progress." in text
        assert f"1 ZIP(s) past retention would be expired: #{old.pk}" in text
        assert name in text
        assert "Dry run: nothing was changed." in text
        assert on_disk(name)
        out = io.StringIO()
        call_command("purge_reports", stdout=out)
        assert f"1 ZIP(s) past retention were expired: #{old.pk}" in out.getvalue()
        assert not on_disk(name)
        assert ScorecardJob.objects.get(pk=old.pk).status == JobStatus.EXPIRED


class SettingsTests:
    @pytest.mark.parametrize(("raw", "value"), [(None, 7), ("", 7), ("3", 3), (" 12 ", 12)])
    def test_limits_are_whole_numbers_from_the_environment(self, monkeypatch, raw, value):
        if raw is None:
            monkeypatch.delenv("REPORT_RETENTION_DAYS", raising=False)
        else:
            monkeypatch.setenv("REPORT_RETENTION_DAYS", raw)
        assert env_positive_int("REPORT_RETENTION_DAYS", 7) == value

    @pytest.mark.parametrize("raw", ["0", "-1", "seven", "1.5"])
    def test_a_bad_value_stops_startup_naming_the_variable(self, monkeypatch, raw):
        monkeypatch.setenv("REPORT_JOB_STALE_MINUTES", raw)
        with pytest.raises(ImproperlyConfigured, match="REPORT_JOB_STALE_MINUTES must be a whole number"):
            env_positive_int("REPORT_JOB_STALE_MINUTES", 30)
