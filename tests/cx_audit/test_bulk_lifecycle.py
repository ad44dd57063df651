"""A bulk export's life on its page and in the API: given up when its worker died, kept until its
retention ends then expired, started again as a new job; and never someone else's job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cx_audit.core.choices import Role
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.services import scorecard_job_create
from cx_audit.reports.upkeep import reports_purge, stale_reason

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_report_limits(settings):
    """The limits are the defaults, whatever the environment says (media: tests/conftest.py)."""
    settings.REPORT_JOB_STALE_MINUTES = 30
    settings.REPORT_RETENTION_DAYS = 7


@pytest.fixture
def franchisee_b(chain, user_in):
    return user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)


def job_of(user, *, status, franchisee=None, region=None, minutes_silent=0, finished_days_ago=None):
    """A job in the given state (never sent to a worker: the test transaction does not commit)."""
    job = scorecard_job_create(user=user, franchisee=franchisee, region=region)
    now = timezone.now()
    fields = {"status": status, "last_progress_at": now - timedelta(minutes=minutes_silent)}
    if finished_days_ago is not None:
        fields["finished_at"] = now - timedelta(days=finished_days_ago)
    if status == JobStatus.DONE:
        job.file.save("scorecards.zip", ContentFile(b"PK\x03\x04"), save=False)
        fields.update(file=job.file.name, done=job.total)
    ScorecardJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def page(client, job) -> str:
    response = client.get(f"/scorecards/bulk/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


class JobPageTests:
    def test_a_dead_job_shows_failed_with_the_reason_and_starts_again(self, client_for, chain, role_users):
        user = role_users["franchisee"]
        dead = job_of(user, status=JobStatus.RUNNING, franchisee=chain.f1, minutes_silent=45)
        client = client_for(user)
        html = page(client, dead)
        assert '<span class="job-state">Failed</span>' in html
        assert stale_reason() in html
        assert 'class="job-restart">' in html  # the form is shown, not hidden
        assert 'data-finished="1"' in html  # the page stops polling
        response = client.post(f"/scorecards/bulk/{dead.pk}/restart/")
        assert response.status_code == 302
        again = ScorecardJob.objects.exclude(pk=dead.pk).get()
        assert response["Location"] == f"/scorecards/bulk/{again.pk}/"
        assert (again.franchisee_id, again.status, again.requested_by_id) == (
            chain.f1.pk,
            JobStatus.QUEUED,
            user.pk,
        )
        assert ScorecardJob.objects.get(pk=dead.pk).status == JobStatus.FAILED  # kept as it was

    def test_a_live_job_is_not_started_twice(self, client_for, chain, role_users):
        user = role_users["franchisee"]
        live = job_of(user, status=JobStatus.RUNNING, franchisee=chain.f1, minutes_silent=5)
        client = client_for(user)
        html = page(client, live)
        assert '<span class="job-state">Running</span>' in html
        assert 'class="job-restart" hidden>' in html
        response = client.post(f"/scorecards/bulk/{live.pk}/restart/", follow=True)
        assert "Only a failed or expired export can be started again; this one is running." in (
            response.content.decode()
        )
        assert ScorecardJob.objects.count() == 1

    def test_a_done_job_says_how_long_its_zip_is_kept(self, client_for, chain, role_users):
        user = role_users["hq_admin"]
        done = job_of(user, status=JobStatus.DONE, region=chain.south, finished_days_ago=1)
        html = page(client_for(user), done)
        until = timezone.localtime(done.finished_at + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
        assert f"The ZIP is kept until {until}, then deleted" in html
        assert f'href="/api/scorecard-jobs/{done.pk}/download/"' in html
        assert 'class="job-restart" hidden>' in html

    def test_an_expired_job_says_so_and_starts_again(self, client_for, chain, role_users):
        user = role_users["hq_admin"]
        old = job_of(user, status=JobStatus.DONE, region=chain.south, finished_days_ago=9)
        reports_purge()
        client = client_for(user)
        html = page(client, old)
        assert "Expired: generate it again" in html
        assert "This ZIP expired and was deleted on" in html
        assert 'class="job-download" hidden>' in html
        assert 'class="job-restart">' in html
        response = client.post(f"/scorecards/bulk/{old.pk}/restart/")
        assert response.status_code == 302
        assert ScorecardJob.objects.exclude(pk=old.pk).get().region_id == chain.south.pk

    def test_the_list_of_exports_shows_dead_jobs_as_failed(self, client_for, chain, role_users, table_rows):
        user = role_users["franchisee"]
        job_of(user, status=JobStatus.QUEUED, franchisee=chain.f1, minutes_silent=120)
        rows = table_rows(client_for(user).get("/scorecards/bulk/"))
        assert [row[2] for row in rows] == ["Failed"]

    def test_another_franchisees_job_cannot_be_seen_or_restarted(
        self, client_for, chain, role_users, franchisee_b
    ):
        b_job = job_of(franchisee_b, status=JobStatus.FAILED, franchisee=chain.f2, finished_days_ago=0)
        client = client_for(role_users["franchisee"])
        assert client.get(f"/scorecards/bulk/{b_job.pk}/").status_code == 404
        assert client.post(f"/scorecards/bulk/{b_job.pk}/restart/").status_code == 404
        assert "Second Partner" not in client.get("/scorecards/bulk/").content.decode().split("<h2")[-1]
        assert ScorecardJob.objects.count() == 1


class JobAPITests:
    def test_a_dead_job_answers_failed_and_restarts(self, api, chain, role_users):
        user = role_users["franchisee"]
        dead = job_of(user, status=JobStatus.QUEUED, franchisee=chain.f1, minutes_silent=31)
        client = api(user)
        body = client.get(f"/api/scorecard-jobs/{dead.pk}/").json()
        assert (body["status"], body["error"], body["can_restart"]) == ("failed", stale_reason(), True)
        listed = client.get("/api/scorecard-jobs/").json()["results"]
        assert [job["status"] for job in listed] == ["failed"]
        response = client.post(f"/api/scorecard-jobs/{dead.pk}/restart/")
        assert response.status_code == 202, response.content
        assert (response.json()["franchisee"], response.json()["status"]) == (chain.f1.pk, "queued")

    def test_only_failed_or_expired_jobs_restart(self, api, chain, role_users):
        user = role_users["franchisee"]
        done = job_of(user, status=JobStatus.DONE, franchisee=chain.f1, finished_days_ago=0)
        response = api(user).post(f"/api/scorecard-jobs/{done.pk}/restart/")
        assert response.status_code == 400
        assert "status" in response.json()
        body = api(user).get(f"/api/scorecard-jobs/{done.pk}/").json()
        assert body["kept_until"] is not None
        assert body["can_restart"] is False

    def test_an_expired_zip_is_gone(self, api, chain, role_users):
        user = role_users["franchisee"]
        old = job_of(user, status=JobStatus.DONE, franchisee=chain.f1, finished_days_ago=8)
        reports_purge()
        client = api(user)
        response = client.get(f"/api/scorecard-jobs/{old.pk}/download/")
        assert response.status_code == 410
        assert "expired" in response.json()["status"][0]
        body = client.get(f"/api/scorecard-jobs/{old.pk}/").json()
        assert (body["status"], body["download_url"], body["can_restart"]) == ("expired", None, True)
        assert body["expired_at"] is not None

    def test_another_franchisees_job_is_404(self, api, chain, role_users, franchisee_b):
        b_job = job_of(franchisee_b, status=JobStatus.FAILED, franchisee=chain.f2, finished_days_ago=0)
        client = api(role_users["franchisee"])
        assert client.post(f"/api/scorecard-jobs/{b_job.pk}/restart/").status_code == 404
        assert client.get(f"/api/scorecard-jobs/{b_job.pk}/").status_code == 404

    def test_a_scope_no_longer_seen_is_not_exported_again(self, api, chain, role_users):
        """The franchisee lost F1 (its membership moved to F2): its old F1 export cannot be redone."""
        from cx_audit.core.scope import forget_scope
        from locations.models import Membership

        user = role_users["franchisee"]
        failed = job_of(user, status=JobStatus.FAILED, franchisee=chain.f1, finished_days_ago=0)
        Membership.objects.filter(user=user).update(franchisee=chain.f2)
        forget_scope(user)
        response = api(user).post(f"/api/scorecard-jobs/{failed.pk}/restart/")
        assert response.status_code == 400
        assert response.json() == {"franchisee": ["You no longer see it: there is nothing to export."]}
