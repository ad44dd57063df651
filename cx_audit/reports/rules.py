"""When a bulk report job is given up for lost, and when its ZIP is deleted (pure rules).

No Django here: a job's status and times in, a yes/no or a date out. The services apply these to
rows (`cx_audit.reports.upkeep`), and the database filters that pick rows in bulk are
tested to agree with them.

Why a staleness rule: a worker that dies (killed, out of memory, a lost machine) never reports
back, so without one its job would show "running" forever and the person who asked would wait
for nothing. Why a retention rule: a ZIP holds copies of every scorecard of a franchisee or a
region, so it is kept only long enough to be downloaded, then deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
UNFINISHED = (QUEUED, RUNNING)
RESTARTABLE = (FAILED, EXPIRED)


def stale_cutoff(now: datetime, stale_after: timedelta) -> datetime:
    """Jobs whose last progress is before this moment are stale (the bulk filter's bound)."""
    return now - stale_after


def is_stale(*, status: str, last_progress_at: datetime, now: datetime, stale_after: timedelta) -> bool:
    """A queued or running job that has shown no progress for longer than ``stale_after``.

    "Progress" is any sign of life: being queued, a worker starting it, each PDF written. A job
    that is done, failed or expired is never stale: it has nothing left to do.
    """
    return status in UNFINISHED and last_progress_at < stale_cutoff(now, stale_after)


def kept_until(*, status: str, finished_at: datetime | None, retention: timedelta) -> datetime | None:
    """When a finished job's ZIP will be deleted; None while there is no ZIP to keep."""
    if status != DONE or finished_at is None:
        return None
    return finished_at + retention


def is_due_for_purge(
    *, status: str, finished_at: datetime | None, now: datetime, retention: timedelta
) -> bool:
    """A job that finished (done or failed) more than ``retention`` ago: its file goes.

    A failed job normally has no file, but one that failed after writing its ZIP (the row could
    not be saved, the worker was given up while finishing) may; it is purged on the same clock.
    """
    return status in (DONE, FAILED) and finished_at is not None and finished_at < now - retention


def can_restart(status: str) -> bool:
    """A job that failed or whose ZIP expired may be asked for again (as a new job)."""
    return status in RESTARTABLE
