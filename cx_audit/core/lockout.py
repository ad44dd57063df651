"""What a locked-out sign-in is told (django-axes' AXES_LOCKOUT_CALLABLE, and the token view).

A lockout holds one username from one address for the cool-off (settings AXES_*), and every try
during it — the right password included — starts the wait again, so Retry-After is the whole
cool-off. The login page and the admin answer a page; the API answers JSON.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cx_audit.core.throttles import too_many_requests


def lockout_seconds(request: Any = None) -> int:
    """How long a locked-out username and address must wait before trying again."""
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_message() -> str:
    return _("Too many failed sign-in attempts for this account. Please try again later.")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """429 with Retry-After: the "too many attempts" page, or JSON for the API."""
    return too_many_requests(request, lockout_seconds(request), lockout_message(), lockout=True)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' guard (first in AUTHENTICATION_BACKENDS), for sign-ins that come with a request.

    A lockout is per username and address, so a sign-in without a request has nothing to count:
    that is server code — a management command, the shell, the test client's ``login`` — never a
    visitor. Axes would raise for it; here the password backends simply decide. Every sign-in
    form of the site passes its request (Django's login and admin views, the token view), and
    tests/trust/test_f05_bruteforce.py holds each of them to the lockout.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
