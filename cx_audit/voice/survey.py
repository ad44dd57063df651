"""The in-store survey's link: a signed, revocable token per location, and who answered today.

The QR code on a store's sticker carries ``/s/<token>/``, where the token is the location's id and
its link's version signed with the secret key (`django.core.signing`, salted for this use only).
Nothing else is stored: the database holds the version and whether the link is active, so
revoking a link (active off) kills every printed sticker at once, and re-issuing it (version + 1)
kills the old stickers while the new ones work. A tampered, revoked, superseded or never-made token
all answer the same "not found".

One answer per device per day: the survey page gives each browser a random device id in a signed
cookie, and an answer's external id is a keyed hash of (location, device, local date). The feedback
table's unique (brand, external id) then refuses a second answer that day however the two requests
race, and the hash tells nobody which device answered.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cx_audit.core.permissions import administered_by, may
from cx_audit.voice.models import SurveyLink
from locations.models import Location, LocationStatus

SALT = "cx_audit.voice.survey.link"
DEVICE_COOKIE = "cx_survey_device"
DEVICE_SALT = "cx_audit.voice.survey.device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600  # a customer's phone keeps its id for two years
ANSWER_KEY_SALT = "cx_audit.voice.survey.answer"
_SEP = "."  # not a base64 character: the token reads "<location>.<version>.<signature>"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=_SEP)


def survey_token(link: SurveyLink) -> str:
    """The token the link's QR code carries: ``<location id>.<version>.<signature>``."""
    return _signer().sign(f"{link.location_id}{_SEP}{link.version}")


def token_payload(token: str) -> tuple[int, int] | None:
    """(location id, version) of a genuine token, None for anything else (no database involved)."""
    if not token or len(token) > 120:
        return None
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    location, _sep, version = value.partition(_SEP)
    if not (location.isdigit() and version.isdigit()):
        return None
    return int(location), int(version)


def link_for_token(token: str) -> SurveyLink | None:
    """The active link the token is the current version of (with its location and brand), or None.

    A closed store's link opens nothing either: its stickers should be gone with it.
    """
    payload = token_payload(token)
    if payload is None:
        return None
    location_id, version = payload
    return (
        SurveyLink.objects.select_related("location__brand")
        .filter(location_id=location_id, version=version, active=True)
        .exclude(location__status=LocationStatus.CLOSED)
        .first()
    )


def new_device_id() -> str:
    return secrets.token_urlsafe(18)


def answer_external_id(location_id: int, device_id: str, day: date) -> str:
    """``survey:`` + HMAC(location, device, local date): the same for every answer a device gives a
    location on one day, different on the next day or from another device; one-way, so neither
    the device id nor the day can be read back from the stored feedback."""
    digest = salted_hmac(ANSWER_KEY_SALT, f"{location_id}:{device_id}:{day.isoformat()}", algorithm="sha256")
    return "survey:" + digest.hexdigest()


# --- Issuing and revoking (HQ admins) ------------------------------------------------------------


def survey_link_issue(*, location: Location, user: Any) -> SurveyLink:
    """Give the location a working link: the first one, or a new version that retires every sticker
    printed before (whether the old link was active or revoked)."""
    existing = SurveyLink.objects.filter(location=location).first()
    if not may(user, "change" if existing else "add", existing or SurveyLink(location=location)):
        raise PermissionDenied(_("Only HQ admins of the brand may issue survey links."))
    with transaction.atomic():
        link, created = SurveyLink.objects.select_for_update().get_or_create(location=location)
        if not created:
            link.version += 1  # the row is locked: no other issue counts from the same version
            link.active = True
            link.revoked_at = None
            link.save(update_fields=["version", "active", "revoked_at"])
    return link


def survey_link_revoke(*, link: SurveyLink, user: Any) -> SurveyLink:
    """Stop the link: its stickers open "not found" until HQ issues a new version (revoking twice
    changes nothing)."""
    if not may(user, "change", link):
        raise PermissionDenied(_("Only HQ admins of the brand may revoke survey links."))
    with transaction.atomic():
        locked = SurveyLink.objects.select_for_update().get(pk=link.pk)
        if locked.active:
            locked.active = False
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["active", "revoked_at"])
    return locked


def survey_links_ensure(*, locations: QuerySet, user: Any | None = None) -> int:
    """A first link for every location of ``locations`` that has none (revoked ones stay revoked);
    the number made. With a ``user``, only the locations of brands they administer count — the demo
    passes none."""
    missing = locations.filter(survey_link__isnull=True)
    if user is not None:
        missing = administered_by(missing, user)
    links = [SurveyLink(location_id=pk) for pk in missing.values_list("pk", flat=True)]
    SurveyLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)  # a racing twin: kept
    return len(links)
