"""The user account."""

from django.contrib.auth.models import AbstractUser

from cx_audit.core.history import TrackedHistory


class User(AbstractUser):
    """A person who signs in: HQ staff, an auditor, a franchisee, or an integration.

    What the user may see and do is decided per brand by `locations.Membership`, so one
    account can be HQ admin of one brand and auditor of another.
    """

    # Who was made active, staff or superuser, and by whom; never the password hash or the last login.
    history = TrackedHistory(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
