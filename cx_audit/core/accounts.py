"""Every user's own password: change it signed in, or reset it by e-mail (Django's views, our pages).

Under /accounts/ beside the login page (cx_audit/urls.py), with Django's URL names
(``password_change``, ``password_reset``, ``password_reset_confirm`` …) so its views find each other.
The templates have names of their own: the admin's ``registration/password_*`` templates would
otherwise win (django.contrib.admin comes first in INSTALLED_APPS).

A new password ends the user's other sessions (Django checks each session against the password
hash; the view keeps the current one) and every API token (cx_audit/core/tokens.py). Reset e-mails
are limited per address (the "password-reset" rate), and the page never says whether an address
belongs to an account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cx_audit.core.throttles import rate_limited


class LoginView(auth_views.LoginView):
    """The sign-in page; one address may post it "login" times a minute, whichever usernames it
    tries (the lockout holds one username; this holds a spray of one password over many)."""

    @rate_limited("login")
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/reset_password.html"
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"

    @rate_limited("password-reset")
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(template_name="registration/change_password.html"),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_password_done.html"),
        name="password_change_done",
    ),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="registration/reset_password_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_password_done.html"),
        name="password_reset_complete",
    ),
]
