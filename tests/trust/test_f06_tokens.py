"""Finding 6 of issue 12: API tokens are stored hashed, expire, end with the password and on sign-out;
every user can change and reset their own password.

Tokens were rest_framework.authtoken keys: kept in plain text (a database dump handed out live
keys, the superuser's included), valid for ever, untouched by a password change; and users who
are not staff had no way to change or reset a password. Now tokens are django-rest-knox digests with
an expiry, a new password ends them all (and the user's other sessions), and /accounts/ has the
password change and e-mail reset pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-Harder-passphrase-42"


def obtain(user, password: str = PASSWORD, **extra) -> str:
    response = APIClient(**extra).post("/api/auth/token/", {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(token: str) -> int:
    return APIClient().get("/api/locations/", HTTP_AUTHORIZATION=f"Token {token}").status_code


class TokenStorageTests:
    def test_only_a_digest_of_the_token_is_stored(self, role_users):
        token = obtain(role_users["hq_admin"])
        row = AuthToken.objects.values().get()
        assert token not in str(row)
        assert row["digest"] == hash_token(token)
        assert len(token) >= 64

    def test_the_json_answer_and_the_header_scheme_are_kept(self, client, role_users):
        response = client.post(
            "/api/auth/token/",
            {"username": role_users["franchisee"].username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert set(response.json()) == {"token", "expiry"}
        assert status_with(response.json()["token"]) == 200
        assert APIClient().get("/api/locations/").headers["WWW-Authenticate"] == "Token"


class TokenExpiryTests:
    def test_a_token_expires(self, role_users):
        token = obtain(role_users["hq_admin"])
        stored = AuthToken.objects.get()
        ttl = settings.REST_KNOX["TOKEN_TTL"]
        assert timedelta(0) < stored.expiry - timezone.now() <= ttl
        AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
        assert status_with(token) == 401
        assert not AuthToken.objects.exists()  # an expired token is deleted when met

    def test_use_renews_a_token_but_never_past_its_maximum_age(self, role_users):
        token = obtain(role_users["hq_admin"])
        AuthToken.objects.update(expiry=timezone.now() + timedelta(hours=1))
        assert status_with(token) == 200
        assert AuthToken.objects.get().expiry > timezone.now() + timedelta(days=1)
        max_age = settings.REST_KNOX["AUTO_REFRESH_MAX_TTL"]
        AuthToken.objects.update(
            created=timezone.now() - max_age, expiry=timezone.now() + timedelta(minutes=5)
        )
        assert status_with(token) == 200
        assert AuthToken.objects.get().expiry <= timezone.now() + timedelta(minutes=5)

    def test_an_eleventh_token_retires_the_oldest(self, role_users):
        user = role_users["auditor"]
        tokens = [obtain(user, REMOTE_ADDR=f"203.0.113.{n}") for n in range(11)]
        assert AuthToken.objects.filter(user=user).count() == 10
        assert status_with(tokens[0]) == 401
        assert status_with(tokens[-1]) == 200


class TokenSignOutTests:
    def test_logout_ends_this_token_only(self, role_users):
        user = role_users["hq_admin"]
        first, second = obtain(user), obtain(user)
        response = APIClient().post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {first}")
        assert response.status_code == 204
        assert (status_with(first), status_with(second)) == (401, 200)

    def test_logout_all_ends_every_token_of_the_user(self, role_users):
        user, other = role_users["hq_admin"], role_users["auditor"]
        first, second, others = obtain(user), obtain(user), obtain(other)
        response = APIClient().post("/api/auth/logout-all/", HTTP_AUTHORIZATION=f"Token {first}")
        assert response.status_code == 204
        assert (status_with(first), status_with(second), status_with(others)) == (401, 401, 200)

    def test_logout_all_from_a_signed_in_browser(self, role_users):
        user = role_users["hq_admin"]
        token = obtain(user)
        browser = APIClient(enforce_csrf_checks=True)
        browser.force_login(user)
        browser.get("/accounts/password_change/")  # sets the CSRF cookie
        response = browser.post("/api/auth/logout-all/", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
        assert response.status_code == 204
        assert status_with(token) == 401


class PasswordChangeTests:
    def test_changing_the_password_ends_tokens_and_other_sessions_but_not_this_one(self, role_users):
        user = role_users["auditor"]
        assert not user.is_staff
        token = obtain(user)
        here, elsewhere = Client(), Client()
        here.force_login(user)
        elsewhere.force_login(user)
        page = here.get("/")
        assert 'href="/accounts/password_change/"' in page.content.decode()  # the user menu's link
        assert here.get("/accounts/password_change/").status_code == 200
        response = here.post(
            "/accounts/password_change/",
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_change/done/"
        assert status_with(token) == 401
        assert here.get("/").status_code == 200
        assert elsewhere.get("/").status_code == 302  # sent to sign in
        assert obtain(user, NEW_PASSWORD)

    def test_the_wrong_old_password_changes_nothing(self, role_users):
        user = role_users["auditor"]
        token, client = obtain(user), Client()
        client.force_login(user)
        response = client.post(
            "/accounts/password_change/",
            {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 200
        assert "old_password" in response.context["form"].errors
        assert status_with(token) == 200

    def test_any_new_password_ends_tokens_and_a_sign_in_does_not(self, role_users):
        user = role_users["franchisee"]
        token = obtain(user)
        Client().post(
            "/accounts/login/", {"username": user.username, "password": PASSWORD}
        )  # last_login saved
        user.refresh_from_db()
        user.first_name = "Renamed"
        user.save()
        assert status_with(token) == 200
        user.set_password(NEW_PASSWORD)  # as the admin and `manage.py changepassword` do
        user.save()
        assert status_with(token) == 401


class PasswordResetTests:
    def test_a_non_staff_auditor_resets_the_password_by_email(self, mailoutbox, role_users):
        user = role_users["auditor"]
        assert not user.is_staff
        assert user.email
        token = obtain(user)
        client = Client()
        login = client.get("/accounts/login/").content.decode()
        assert 'href="/accounts/password_reset/"' in login
        assert client.get("/accounts/password_reset/").status_code == 200
        response = client.post("/accounts/password_reset/", {"email": user.email})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_reset/done/"
        assert client.get(response["Location"]).status_code == 200
        [mail] = mailoutbox
        assert mail.to == [user.email]
        assert user.username in mail.body
        link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.body).group(1)
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200
        assert form_page.context["validlink"]
        done = client.post(
            form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert done.status_code == 302
        assert done["Location"] == "/accounts/reset/done/"
        assert client.get(done["Location"]).status_code == 200
        assert status_with(token) == 401
        assert (
            client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}).status_code
            == 302
        )
        assert client.get(link, follow=True).context["validlink"] is False  # the link works once

    def test_an_unknown_address_is_answered_the_same_and_sends_nothing(self, mailoutbox, db):
        response = Client().post("/accounts/password_reset/", {"email": "nobody@example.com"})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password_reset/done/"
        assert mailoutbox == []
