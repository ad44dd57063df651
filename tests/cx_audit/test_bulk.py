"""Bulk PDF scorecards: a job per request, a ZIP of one PDF per location, progress to poll.

The unit tests run the Celery task in-process (``task_always_eager``); one test runs a real
worker (Celery's embedded worker thread, solo pool) against Redis on 127.0.0.1:6379, on whichever
database the suite uses.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from kombu.exceptions import OperationalError

from cx_audit.celery import app as celery_app
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.services import scorecard_job_create, scorecard_job_run
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, passing_answers, scorecard_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager():
    """Run tasks in this process, as they are sent."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def audited(chain, role_users):
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    for location in (chain.f1_south, chain.f2_north_east):
        audit_at(location, admin, failing_answers(location), photo=True)
    audit_at(chain.f1_tier3, admin, passing_answers(chain.f1_tier3))


def zip_names(job: ScorecardJob) -> list[str]:
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        return sorted(archive.namelist())


class BulkServiceTests:
    def test_a_franchisees_locations_as_one_zip(
        self, eager, audited, chain, role_users, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
        job.refresh_from_db()
        assert (job.status, job.done, job.total, job.percent, job.error) == (JobStatus.DONE, 2, 2, 100, "")
        assert job.task_id
        names = zip_names(job)
        assert len(names) == 2
        assert names[0].startswith("scorecard-GZ-101-")
        assert names[1].startswith("scorecard-LY-102-")

    def test_a_region_covers_its_sub_regions_and_only_what_the_user_sees(
        self, eager, audited, chain, role_users, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            hq = scorecard_job_create(user=role_users["hq_analyst"], region=chain.north)
            mine = scorecard_job_create(user=role_users["franchisee"], region=chain.south)
        hq.refresh_from_db()
        mine.refresh_from_db()
        assert [name[: -len("-2026-01-01.pdf")] for name in zip_names(hq)] == [
            "scorecard-BJ-001",
            "scorecard-SY-201",
        ]
        assert len(zip_names(mine)) == 2  # F1's two southern outlets, nothing of the brand's own

    def test_one_of_franchisee_or_region_and_something_to_export(self, chain, role_users):
        user = role_users["hq_admin"]
        with pytest.raises(ValidationError) as error:
            scorecard_job_create(user=user)
        assert "franchisee" in error.value.message_dict
        with pytest.raises(ValidationError):
            scorecard_job_create(user=user, franchisee=chain.f1, region=chain.south)
        with pytest.raises(ValidationError) as error:
            scorecard_job_create(
                user=role_users["franchisee"], region=chain.north
            )  # none of F1's outlets there
        assert "region" in error.value.message_dict
        assert not ScorecardJob.objects.exists()

    def test_a_job_runs_once(self, audited, chain, role_users):
        job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)  # not sent: no commit
        first = scorecard_job_run(job_id=job.pk)
        name = first.file.name
        again = scorecard_job_run(job_id=job.pk)  # a redelivered task
        assert (again.status, again.file.name) == (JobStatus.DONE, name)

    def test_a_failing_pdf_fails_the_job_with_the_reason(self, audited, chain, role_users, monkeypatch):
        job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)

        def broken(*args, **kwargs):
            raise RuntimeError("the font went missing")

        monkeypatch.setattr("cx_audit.scorecards.pdf.scorecard_pdf", broken)
        failed = scorecard_job_run(job_id=job.pk)
        assert (failed.status, failed.error) == (JobStatus.FAILED, "the font went missing")

    def test_an_unreachable_queue_fails_the_job_instead_of_leaving_it_waiting(
        self, audited, chain, role_users, monkeypatch, django_capture_on_commit_callbacks
    ):
        from cx_audit.reports.tasks import scorecard_job_run as task

        def unreachable(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(task, "apply_async", unreachable)
        with django_capture_on_commit_callbacks(execute=True):
            job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert job.error == "The report queue could not be reached; try again later."


class BulkAPITests:
    def test_create_poll_and_download(
        self, eager, audited, api, chain, role_users, django_capture_on_commit_callbacks
    ):
        client = api(role_users["franchisee"])
        with django_capture_on_commit_callbacks(execute=True):
            created = client.post("/api/scorecard-jobs/", {"franchisee": chain.f1.pk}, format="json")
        assert created.status_code == 202, created.content
        status = client.get(f"/api/scorecard-jobs/{created.json()['id']}/").json()
        assert (status["status"], status["done"], status["total"], status["percent"]) == ("done", 2, 2, 100)
        download = client.get(status["download_url"])
        assert download.status_code == 200
        assert download["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
            assert len(archive.namelist()) == 2

    def test_a_job_not_done_is_not_downloaded(self, audited, api, chain, role_users):
        job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
        response = api(role_users["franchisee"]).get(f"/api/scorecard-jobs/{job.pk}/download/")
        assert response.status_code == 409
        assert "status" in response.json()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [({}, "franchisee"), ({"franchisee": "x"}, "franchisee"), ({"region": -1}, "region")],
    )
    def test_bad_input_names_the_field(self, api, role_users, chain, payload, field):
        response = api(role_users["hq_admin"]).post("/api/scorecard-jobs/", payload, format="json")
        assert response.status_code == 400
        assert field in response.json()


class BulkPageTests:
    def test_the_page_asks_and_shows_progress(
        self, eager, audited, client_for, chain, role_users, django_capture_on_commit_callbacks
    ):
        client = client_for(role_users["franchisee"])
        form = client.get("/scorecards/bulk/").content.decode()
        assert "First Partner" in form
        assert "Second Partner" not in form
        refused = client.post("/scorecards/bulk/", {})
        assert refused.status_code == 400
        assert "Choose a franchisee or a region (one of them)." in refused.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            made = client.post("/scorecards/bulk/", {"franchisee": chain.f1.pk})
        assert made.status_code == 302
        page = client.get(made["Location"]).content.decode()
        job = ScorecardJob.objects.get()
        assert f'data-status-url="/api/scorecard-jobs/{job.pk}/"' in page
        assert '<progress id="job-progress" max="2" value="2">' in page
        assert f'href="/api/scorecard-jobs/{job.pk}/download/"' in page
        assert "scorecards.js" in page


def _redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not running at {url} (make system-deps starts it)")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_makes_the_zip(chain, role_users):
    """The whole way: the job is published to Redis, a Celery worker takes it, renders the PDFs,
    stores the ZIP and reports done. The app is the project's configuration on a Redis database
    and a queue of their own, so no other worker (a developer's `make worker`) can take the job."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    url = "redis://127.0.0.1:6379/15"
    _redis_or_skip(url)
    scorecard_framework(chain.brand)
    audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), photo=True)
    app = Celery("cx_audit_test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = f"cx-audit-test-{uuid.uuid4().hex[:8]}"
    app.conf.update(broker_url=url, result_backend=url, task_default_queue=queue, task_always_eager=False)
    app.set_current()  # the project's tasks (shared_task) are sent through this app now
    import cx_audit.reports.tasks  # noqa: F401  (the worker must know the task when it starts, even run alone)

    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], loglevel="WARNING"):
            job = scorecard_job_create(
                user=role_users["franchisee"], franchisee=chain.f1
            )  # sent at once: autocommit
            outcome = app.AsyncResult(job.task_id).get(timeout=30)
        assert outcome == {"job": job.pk, "status": "done", "done": 2, "total": 2}
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
        assert len(zip_names(job)) == 2
    finally:
        # start_worker made the test app the default one too (every other thread's, the live
        # server's included): give both back, or later tests publish to this closed app's queue.
        celery_app.set_current()
        celery_app.set_default()
        app.close()
