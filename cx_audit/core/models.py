"""The user account."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in: HQ staff, an auditor, a franchisee, or an integration.

    What the user may see and do is decided per brand by `locations.Membership`, so one
    account can be HQ admin of one brand and auditor of another.
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
