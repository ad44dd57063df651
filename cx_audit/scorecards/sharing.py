"""Share links: made and revoked by HQ admins, opened by anyone who holds the link until it ends.

The token is 32 random bytes (`secrets.token_urlsafe`), shown once to its maker; the database keeps
only its SHA-256, so neither a database dump nor the admin can open a scorecard. Looking a link up
hashes the presented token and asks for an active row: expired, revoked and unknown tokens are all
"not found", indistinguishable from outside.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cx_audit.core.permissions import may
from cx_audit.scorecards.models import ShareLink
from locations.models import Location

DEFAULT_DAYS = 14
MAX_DAYS = 90
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewShareLink:
    """A link just made: the row, and the token that only its maker ever sees."""

    link: ShareLink
    token: str


def share_link_create(
    *, location: Location, user: Any, days: int = DEFAULT_DAYS, note: str = ""
) -> NewShareLink:
    """A new link to ``location``'s scorecard, valid for ``days`` (1 to 90)."""
    if not may(user, "share", location):
        raise PermissionDenied(_("Only HQ admins of the brand may share scorecards."))
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": [_("A link lasts from 1 to %(max)s days.") % {"max": MAX_DAYS}]})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": [_("Keep the note under 200 characters.")]})
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    link = ShareLink.objects.create(
        location=location,
        token_hash=token_hash(token),
        note=note,
        created_by=user,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return NewShareLink(link, token)


def share_link_revoke(*, link: ShareLink, user: Any) -> ShareLink:
    """End a link now; revoking twice changes nothing."""
    if not may(user, "revoke", link):
        raise PermissionDenied(_("Only HQ admins of the brand may revoke share links."))
    with transaction.atomic():
        locked = ShareLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = user
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def share_link_open(token: str, *, count: bool = True) -> ShareLink | None:
    """The active link for ``token`` (counted as opened when ``count``); None for any token that
    opens nothing."""
    if not token or len(token) > 128:
        return None
    now = timezone.now()
    link = (
        ShareLink.objects.select_related("location__brand", "location__franchisee", "location__region")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is not None and count:
        ShareLink.objects.filter(pk=link.pk).update(opened_count=F("opened_count") + 1, last_opened_at=now)
    return link
