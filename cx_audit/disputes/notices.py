"""What the pages tell people about disputes without their asking.

HQ admins see how many disputes wait for their decision (a badge in the navigation, on every
page); a franchisee sees on its portal what HQ decided lately on its outlets' disputes, with the
status and HQ's reason, so a decision is not missed because nobody reopened the scorecard.

One query each, whatever the number of brands, outlets or disputes, and both read through the
scoping querysets: a franchisee never learns of another company's disputes, and a count covers
only the brands the user may decide for.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from cx_audit.disputes.models import Dispute, DisputeStatus

RECENT_DAYS = 30
RECENT_LIMIT = 10


def open_disputes_to_decide(user: Any) -> int:
    """Open disputes of the brands the user is HQ admin of (no query for anyone else)."""
    return Dispute.objects.awaiting_decision_by(user).count()


def dispute_decisions_for(user: Any, now: datetime | None = None) -> list[Dispute]:
    """HQ's decisions of the last RECENT_DAYS on disputes of the user's own outlets, newest first
    (at most RECENT_LIMIT); nothing for a user who runs no outlet."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    return list(
        Dispute.objects.of_own_outlets(user)
        .exclude(status=DisputeStatus.OPEN)
        .filter(decided_at__gte=since)
        .select_related("audit__location", "item", "amendment")
        .order_by("-decided_at", "-pk")[:RECENT_LIMIT]
    )
