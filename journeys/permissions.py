"""Rules of frameworks (`cx_audit.core.permissions.may`): HQ admins of the brand publish a draft,
retire a published version and start a new draft from one; every part follows the default rule."""

from cx_audit.core.permissions import administers, register
from journeys.models import Framework


def connect() -> None:
    register(Framework, publish=administers, retire=administers, new_version=administers)
