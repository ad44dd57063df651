"""API tokens (django-rest-knox): issued for a username and password, stored only as a digest,
expiring, ended by sign-out or by a change of password.

``POST /api/auth/token/`` answers ``{"token": ..., "expiry": ...}``; the client then sends
``Authorization: Token <token>``. How long a token lasts and how many one user may hold is in
settings (REST_KNOX). The sign-in goes through Django's ``authenticate`` with the request, so the
lockout (django-axes) counts it like the login page, and a locked-out username and address is
answered 429 even with the right password.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings
from knox.views import LoginView, LogoutAllView, LogoutView
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cx_audit.core.lockout import lockout_message, lockout_seconds
from cx_audit.core.throttles import AnonThrottle, AuthThrottle

_TOKEN = inline_serializer(
    "ApiToken",
    {
        "token": serializers.CharField(help_text="Send as `Authorization: Token <token>`."),
        "expiry": serializers.DateTimeField(help_text="Renewed on each use, up to the token's maximum age."),
    },
)


class AccountLocked(Throttled):
    """Too many wrong passwords for this username from this address (django-axes)."""

    default_detail = _("Too many failed sign-in attempts for this account.")
    default_code = "account_locked"


class ObtainTokenView(LoginView):
    """Exchange a username and password for a new API token of that user."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AuthThrottle, AnonThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: _TOKEN,
            400: OpenApiResponse(description="The username or password is wrong or missing."),
            429: OpenApiResponse(description="Too many attempts: wait for Retry-After seconds."),
        },
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        form = AuthTokenSerializer(data=request.data, context={"request": request})
        if not form.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked(wait=lockout_seconds(request), detail=lockout_message())
            raise ValidationError(form.errors)
        request.user = form.validated_data["user"]
        retire_oldest_tokens(request.user)
        return super().post(request, format)


def retire_oldest_tokens(user: Any) -> None:
    """Make room for one more token: past the per-user limit the oldest live ones end (a script
    that never signs out keeps working; knox itself would refuse the new token instead)."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is None:
        return
    live = AuthToken.objects.filter(user=user).filter(Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True))
    surplus = live.order_by("-created").values_list("pk", flat=True)[limit - 1 :]
    AuthToken.objects.filter(pk__in=list(surplus)).delete()


class TokenLogoutView(LogoutView):
    """End the token this request is signed in with."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="The token no longer works.")})
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)


class TokenLogoutAllView(LogoutAllView):
    """End every API token of the signed-in user (by token, or from the browser's session)."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    @extend_schema(
        request=None, responses={204: OpenApiResponse(description="None of the user's tokens work.")}
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format)


def end_tokens_on_password_change(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Before a user is saved with a new password hash, end all their API tokens (pre_save on the
    user model, connected in cx_audit/wiring.py).

    Whatever changed it — the password pages, a reset, the admin, ``changepassword`` — a stolen
    token must not outlive the password it was issued for. Sessions end by Django's own check of
    the session's password hash. A save that leaves the password out (``update_fields``, as the
    last-login stamp does) is not asked about.
    """
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        AuthToken.objects.filter(user_id=instance.pk).delete()


def connect() -> None:
    """Watch the user model for new passwords (called once by cx_audit/wiring.py)."""
    pre_save.connect(end_tokens_on_password_change, sender=get_user_model(), dispatch_uid="tokens.password")
