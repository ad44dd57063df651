"""Rate limits: DRF throttles for the API, and the same counters for pages no one signs in to.

Every rate lives in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (settings.py), read at each request
so a test or an operator can change one. Counting is a fixed window per scope and client in the
default cache — one ``incr`` per request, however high the rate (DRF's own throttles keep a list of
every request's time, which at 10,000 an hour is a 10,000-item list read and written each time).
In production the cache is Redis (CACHE_URL), so all workers share the counts.

The client is the connecting address, or the one the trusted proxies saw (NUM_PROXIES): a header
the client writes itself never picks its bucket.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle, UserRateThrottle

clock: Callable[[], float] = time.time  # what windows are counted by (a test may hold it still)


def client_ip(request: Any) -> str:
    """The client's address as the limits and the sign-in lockout count it (also AXES_CLIENT_IP_CALLABLE)."""
    return BaseThrottle().get_ident(request)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/min"`` → (10 requests, 60 seconds); the period is s, m, h or d, spelled out or not."""
    count, period = rate.split("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0]]


def rate_for(scope: str) -> str:
    """The configured rate of ``scope`` (a missing scope is a configuration error, raised loudly)."""
    return api_settings.DEFAULT_THROTTLE_RATES[scope]


def take(scope: str, ident: str, rate: str | None = None, *, now: float | None = None) -> int | None:
    """Count one request of ``ident`` in ``scope``: None while within the rate, else the seconds to
    wait until the window ends."""
    limit, period = parse_rate(rate or rate_for(scope))
    now = clock() if now is None else now
    window = int(now // period)
    # Hashed: the identity may hold a share link's secret token, which the cache must not keep.
    key = f"throttle:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.add(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


class FixedWindowThrottle(SimpleRateThrottle):
    """A DRF throttle counted by `take` (fixed window), its rate read from settings at each request."""

    def __init__(self) -> None:  # SimpleRateThrottle reads the rate once here; we read it per request
        self.wait_seconds: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.wait_seconds = take(self.scope, ident)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds


class AnonThrottle(FixedWindowThrottle, AnonRateThrottle):
    """Anonymous calls, per address (signed-in users are counted by the two below instead)."""

    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return None if request.user and request.user.is_authenticated else self.get_ident(request)


class BurstThrottle(FixedWindowThrottle, UserRateThrottle):
    """A signed-in user's requests per minute."""

    scope = "burst"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


class SustainedThrottle(BurstThrottle):
    """A signed-in user's requests per hour."""

    scope = "sustained"


class AuthThrottle(FixedWindowThrottle):
    """Password sign-ins for an API token, per address, whoever they claim to be."""

    scope = "auth"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.get_ident(request)


def too_many_requests(request: HttpRequest, wait: int, detail: str, *, lockout: bool = False) -> HttpResponse:
    """A 429 with Retry-After: JSON for the API and for clients that ask for it, a page otherwise."""
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"detail": detail}, status=429)
    else:
        context = {"detail": detail, "retry_after_minutes": max(1, math.ceil(wait / 60)), "lockout": lockout}
        response = render(request, "registration/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope: str, *, per: Callable[..., str] = lambda request, **kwargs: "") -> Callable:
    """Limit a page view's method to its scope's rate per client address (and per ``per(request,
    **kwargs)``, e.g. the share link's token), answering 429 with Retry-After past it. The count comes
    before any database work, so a loop is refused without touching the database."""

    def decorate(method: Callable) -> Callable:
        @wraps(method)
        def limited(view: Any, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ident = f"{client_ip(request)}:{per(request, **kwargs)}"
            wait = take(scope, ident)
            if wait is not None:
                return too_many_requests(request, wait, _("Too many requests. Please try again later."))
            return method(view, request, *args, **kwargs)

        return limited

    return decorate
