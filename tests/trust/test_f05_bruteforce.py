"""Finding 5 of issue 12: passwords cannot be guessed at leisure, and no one floods the API or a
share link.

Forty wrong passwords on ``POST /api/auth/token/`` and on the login page used to be answered 400 and
200 every time, and nothing limited the API or the anonymous share-link PDF. Now a username is held
up from one address after AXES_FAILURE_LIMIT failures (429 with Retry-After, even for the right
password) until the cool-off has passed; the API has per-user and per-address rates, the token
endpoint a strict one, and each share link a rate per address.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from cx_audit.core import throttles
from cx_audit.core.throttles import parse_rate, take
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
COOL_OFF = int(settings.AXES_COOLOFF_TIME.total_seconds())
TOKEN = "/api/auth/token/"
LOGIN = "/accounts/login/"


def wrong_token_requests(client: APIClient, username: str, times: int) -> list[int]:
    return [client.post(TOKEN, {"username": username, "password": "guess"}).status_code for _ in range(times)]


def wrong_logins(client: Client, path: str, username: str, times: int) -> list[int]:
    return [client.post(path, {"username": username, "password": "guess"}).status_code for _ in range(times)]


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Rates count in fixed windows (a minute, an hour, a day from the epoch); a test that crossed a
    window's end would see its count start again, so the limits' clock stands still mid-window."""
    standing = (time.time() // 86400) * 86400 + 30
    monkeypatch.setattr(throttles, "clock", lambda: standing)


def after_the_cool_off() -> None:
    """As if the last failure were one cool-off and a minute ago (axes forgets older ones)."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=COOL_OFF + 60))


def test_the_production_defaults_are_real_limits():
    assert 3 <= LIMIT <= 10
    assert 5 * 60 <= COOL_OFF <= 60 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "cx_audit.core.lockout.LockoutBackend"
    rates = {
        scope: parse_rate(rate) for scope, rate in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items()
    }
    assert rates["auth"] == (10, 60)
    # A tablet syncing a 72-item audit with three photos an item stays well inside a minute's burst.
    assert rates["burst"][0] >= 72 * 4 * 2
    assert rates["burst"][1] == 60


class TokenEndpointLockoutTests:
    def test_forty_wrong_passwords_end_in_a_lockout(self, role_users):
        user = role_users["auditor"]
        statuses = wrong_token_requests(APIClient(), user.username, 40)
        assert statuses[: LIMIT - 1] == [400] * (LIMIT - 1)
        assert set(statuses[LIMIT - 1 :]) == {429}
        assert AccessAttempt.objects.get(username=user.username).failures_since_start >= LIMIT

    def test_the_lockout_answers_json_with_retry_after_and_refuses_the_right_password(self, role_users):
        user, client = role_users["auditor"], APIClient()
        wrong_token_requests(client, user.username, LIMIT)
        cache.clear()  # the per-address rate is not what refuses it: the lockout is
        response = client.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json")
        assert response.status_code == 429
        assert "failed sign-in attempts" in response.json()["detail"]
        assert int(response["Retry-After"]) == COOL_OFF
        assert not AuthToken.objects.filter(user=user).exists()

    def test_another_address_and_another_user_are_not_held_up(self, role_users):
        user = role_users["auditor"]
        wrong_token_requests(APIClient(), user.username, LIMIT)
        elsewhere = APIClient(REMOTE_ADDR="203.0.113.9")
        assert elsewhere.post(TOKEN, {"username": user.username, "password": PASSWORD}).status_code == 200
        other = role_users["franchisee"]
        assert APIClient().post(TOKEN, {"username": other.username, "password": PASSWORD}).status_code == 200

    def test_a_forged_forwarded_for_header_does_not_change_the_address(self, role_users):
        user = role_users["auditor"]
        statuses = [
            APIClient(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
            .post(TOKEN, {"username": user.username, "password": "guess"})
            .status_code
            for n in range(LIMIT + 1)
        ]
        assert statuses[-1] == 429

    def test_after_the_cool_off_the_right_password_works_again(self, role_users):
        user, client = role_users["auditor"], APIClient()
        wrong_token_requests(client, user.username, LIMIT)
        cache.clear()
        assert client.post(TOKEN, {"username": user.username, "password": PASSWORD}).status_code == 429
        after_the_cool_off()
        assert client.post(TOKEN, {"username": user.username, "password": PASSWORD}).status_code == 200

    def test_a_success_clears_the_count(self, role_users):
        user, client = role_users["auditor"], APIClient()
        wrong_token_requests(client, user.username, LIMIT - 1)
        assert client.post(TOKEN, {"username": user.username, "password": PASSWORD}).status_code == 200
        assert wrong_token_requests(client, user.username, LIMIT - 1) == [400] * (LIMIT - 1)


class LoginPageLockoutTests:
    def test_forty_wrong_passwords_on_the_login_page_end_in_a_lockout_page(self, role_users):
        user, client = role_users["franchisee"], Client()
        statuses = wrong_logins(client, LOGIN, user.username, 40)
        assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
        assert set(statuses[LIMIT - 1 :]) == {429}
        cache.clear()  # past the per-address rate too; the lockout still refuses
        page = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
        assert page.status_code == 429
        assert int(page["Retry-After"]) == COOL_OFF
        assert page["Content-Type"].startswith("text/html")
        text = page.content.decode()
        assert "Too many attempts" in text
        assert "/accounts/password_reset/" in text
        assert "_auth_user_id" not in client.session  # the right password did not sign in

    def test_after_the_cool_off_the_login_page_signs_in(self, role_users):
        user, client = role_users["franchisee"], Client()
        wrong_logins(client, LOGIN, user.username, LIMIT)
        after_the_cool_off()
        response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_one_address_spraying_many_usernames_is_slowed(self, db):
        client = Client()
        statuses = [
            client.post(LOGIN, {"username": f"staff{n}", "password": "Summer2025"}).status_code
            for n in range(31)
        ]
        assert statuses == [200] * 30 + [429]
        assert (
            Client(REMOTE_ADDR="203.0.113.5").post(LOGIN, {"username": "x", "password": "y"}).status_code
            == 200
        )

    def test_the_admin_login_is_guarded_too(self, admin_user):
        client = Client()
        statuses = wrong_logins(client, "/admin/login/?next=/admin/", admin_user.username, LIMIT + 1)
        assert statuses[-1] == 429

    def test_a_sign_in_without_a_request_is_server_code_and_is_not_counted(self, role_users):
        """``authenticate()`` from a command or the test client's ``login`` has no address to lock."""
        user = role_users["auditor"]
        for _ in range(LIMIT + 1):
            assert authenticate(username=user.username, password="guess") is None
        assert authenticate(username=user.username, password=PASSWORD) == user
        assert Client().login(username=user.username, password=PASSWORD)
        assert not AccessAttempt.objects.exists()


class ApiRateTests:
    def test_past_a_users_burst_rate_the_api_answers_429_with_retry_after(self, settings, api, role_users):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "burst": "3/min"},
        }
        client = api(role_users["hq_admin"])
        assert [client.get("/api/regions/").status_code for _ in range(3)] == [200] * 3
        response = client.get("/api/regions/")
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert api(role_users["hq_analyst"]).get("/api/regions/").status_code == 200  # per user

    def test_the_token_endpoint_takes_ten_sign_ins_a_minute_from_one_address(self, role_users):
        client = APIClient()
        statuses = [
            client.post(TOKEN, {"username": f"nobody{n}", "password": "guess"}).status_code for n in range(11)
        ]
        assert statuses == [400] * 10 + [429]
        right = client.post(TOKEN, {"username": role_users["auditor"].username, "password": PASSWORD})
        assert right.status_code == 429
        assert "throttled" in right.json()["detail"]
        assert (
            APIClient(REMOTE_ADDR="203.0.113.7").post(TOKEN, {"username": "x", "password": "y"}).status_code
            == 400
        )

    def test_a_window_counts_to_its_rate_and_then_says_how_long_to_wait(self):
        now = 1_000_000.0  # 40 s into a minute
        assert [take("t", "ip", "2/min", now=now) for _ in range(2)] == [None, None]
        assert take("t", "ip", "2/min", now=now) == 20
        assert take("t", "ip", "2/min", now=now + 20) is None  # the next window


@pytest.fixture
def link(chain, role_users):
    from cx_audit.scorecards.sharing import share_link_create

    return share_link_create(location=chain.f1_south, user=role_users["hq_admin"], days=7)


class ShareLinkRateTests:
    def test_a_share_links_pdf_is_limited_per_address_and_link(self, settings, link):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                "share-pdf": "2/min",
            },
        }
        client = Client()
        assert [client.get(f"/share/{link.token}/pdf/").status_code for _ in range(2)] == [200, 200]
        refused = client.get(f"/share/{link.token}/pdf/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) >= 1
        assert Client(REMOTE_ADDR="203.0.113.8").get(f"/share/{link.token}/pdf/").status_code == 200

    def test_a_loop_on_an_unknown_token_is_limited_like_one_on_a_real_link(self):
        """The default rates: 30 pages and 10 PDFs a minute per address and token, counted before the
        token is looked up."""
        client = Client()
        pages = [client.get("/share/not-a-token/").status_code for _ in range(31)]
        assert pages == [404] * 30 + [429]
        pdfs = [client.get("/share/not-a-token/pdf/").status_code for _ in range(11)]
        assert pdfs == [404] * 10 + [429]
        assert "Too many requests" in client.get("/share/not-a-token/pdf/").content.decode()

    def test_a_share_page_and_its_photos_open_normally(self, link):
        client = Client()
        assert client.get(f"/share/{link.token}/").status_code == 200
        assert client.get(f"/share/{link.token}/logo/").status_code in (200, 404)


class PasswordResetRateTests:
    def test_reset_emails_are_limited_per_address(self, mailoutbox, role_users):
        client = Client()
        email = role_users["auditor"].email
        statuses = [client.post("/accounts/password_reset/", {"email": email}).status_code for _ in range(6)]
        assert statuses == [302] * 5 + [429]
        assert len(mailoutbox) == 5
