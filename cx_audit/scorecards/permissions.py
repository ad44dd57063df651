"""Who may send a scorecard by share link and revoke one (`cx_audit.core.permissions.may`)."""

from cx_audit.core.permissions import administers, register
from cx_audit.scorecards.models import ShareLink
from locations.models import Location


def connect() -> None:
    """HQ admins of the brand share a location's scorecard and revoke the links."""
    register(Location, share=administers)
    register(ShareLink, revoke=administers)
