"""The pure rules of bulk export jobs: when a job is given up, when its ZIP goes (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_audit.reports import rules

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
WEEK = timedelta(days=7)


class StalenessTests:
    @pytest.mark.parametrize("status", ["queued", "running"])
    def test_an_unfinished_job_silent_longer_than_the_limit_is_stale(self, status):
        silent = NOW - HALF_HOUR - timedelta(seconds=1)
        assert rules.is_stale(status=status, last_progress_at=silent, now=NOW, stale_after=HALF_HOUR)

    @pytest.mark.parametrize("status", ["queued", "running"])
    def test_exactly_at_the_limit_or_sooner_it_is_still_alive(self, status):
        for silent_for in (HALF_HOUR, timedelta(minutes=29), timedelta(0)):
            assert not rules.is_stale(
                status=status, last_progress_at=NOW - silent_for, now=NOW, stale_after=HALF_HOUR
            )

    @pytest.mark.parametrize("status", ["done", "failed", "expired"])
    def test_a_finished_job_is_never_stale(self, status):
        long_ago = NOW - timedelta(days=365)
        assert not rules.is_stale(status=status, last_progress_at=long_ago, now=NOW, stale_after=HALF_HOUR)

    def test_the_database_cutoff_is_the_same_bound(self):
        cutoff = rules.stale_cutoff(NOW, HALF_HOUR)
        assert cutoff == NOW - HALF_HOUR
        assert rules.is_stale(
            status="running",
            last_progress_at=cutoff - timedelta(microseconds=1),
            now=NOW,
            stale_after=HALF_HOUR,
        )
        assert not rules.is_stale(status="running", last_progress_at=cutoff, now=NOW, stale_after=HALF_HOUR)

    @given(
        silent=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
        later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)),
        limit=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=1)),
    )
    def test_once_stale_a_silent_job_stays_stale(self, silent, later, limit):
        """Time passing without progress never brings a job back to life."""
        last = NOW - silent
        if rules.is_stale(status="running", last_progress_at=last, now=NOW, stale_after=limit):
            assert rules.is_stale(status="running", last_progress_at=last, now=NOW + later, stale_after=limit)


class RetentionTests:
    def test_a_done_zip_is_kept_for_the_retention_then_due(self):
        finished = NOW - WEEK
        assert rules.kept_until(status="done", finished_at=finished, retention=WEEK) == NOW
        assert not rules.is_due_for_purge(status="done", finished_at=finished, now=NOW, retention=WEEK)
        assert rules.is_due_for_purge(
            status="done", finished_at=finished - timedelta(seconds=1), now=NOW, retention=WEEK
        )

    def test_a_failed_job_is_purged_on_the_same_clock_but_has_no_zip_to_keep(self):
        finished = NOW - WEEK - timedelta(hours=1)
        assert rules.is_due_for_purge(status="failed", finished_at=finished, now=NOW, retention=WEEK)
        assert rules.kept_until(status="failed", finished_at=finished, retention=WEEK) is None

    @pytest.mark.parametrize("status", ["queued", "running", "expired"])
    def test_unfinished_and_already_expired_jobs_are_not_purged(self, status):
        long_ago = NOW - timedelta(days=100)
        assert not rules.is_due_for_purge(status=status, finished_at=long_ago, now=NOW, retention=WEEK)
        assert rules.kept_until(status=status, finished_at=long_ago, retention=WEEK) is None

    def test_without_a_finish_time_nothing_is_due(self):
        assert not rules.is_due_for_purge(status="done", finished_at=None, now=NOW, retention=WEEK)
        assert rules.kept_until(status="done", finished_at=None, retention=WEEK) is None


class RestartTests:
    @pytest.mark.parametrize(
        ("status", "allowed"),
        [("failed", True), ("expired", True), ("queued", False), ("running", False), ("done", False)],
    )
    def test_only_failed_or_expired_jobs_start_again(self, status, allowed):
        assert rules.can_restart(status) is allowed
