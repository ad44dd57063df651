"""Rules of the chain's own records (`cx_audit.core.permissions.may`).

Everything else of the chain follows the default rule (HQ admins of the brand change it); a brand
itself is created and removed only by the platform operator, not by the brand's own staff.
"""

import rules

from cx_audit.core.permissions import register
from locations.models import Brand


def connect() -> None:
    register(Brand, add=rules.is_superuser, delete=rules.is_superuser)
