"""Sign-in, sign-out, the home page and the navigation each role is offered."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cx_audit.core.choices import Role
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def nav_links(response) -> dict[str, str]:
    """Label → URL of the main navigation, as rendered."""
    html = response.content.decode()
    block = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.DOTALL)
    assert block, "the page has no main navigation"
    return {label.strip(): url for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block[1])}


@pytest.mark.django_db
class TestSignIn:
    def test_login_page_is_labelled_and_declares_its_language(self, client):
        page = client.get(LOGIN)
        assert page.status_code == 200
        html = page.content.decode()
        assert re.search(r'<html lang="en">', html)
        assert '<label for="id_username">' in html
        assert '<label for="id_password">' in html
        assert 'autocomplete="current-password"' in html

    def test_signing_in_with_the_form_opens_home(self, client):
        user = UserFactory()
        response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert "Welcome" in client.get("/").content.decode()

    def test_wrong_password_is_refused_with_an_error_and_no_session(self, client):
        user = UserFactory()
        response = client.post(LOGIN, {"username": user.username, "password": "wrong"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "username and password didn't match" in html
        assert f'value="{user.username}"' in html  # what was typed is kept
        assert client.get("/").status_code == 302

    def test_a_protected_page_sends_to_sign_in_and_back(self, client):
        user = UserFactory()
        response = client.get("/locations/")
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=/locations/"
        assert 'name="next" value="/locations/"' in client.get(response["Location"]).content.decode()
        signed_in = client.post(
            LOGIN, {"username": user.username, "password": PASSWORD, "next": "/locations/"}
        )
        assert signed_in["Location"] == "/locations/"

    def test_signing_out_is_a_post_that_ends_the_session(self, client_for):
        client = client_for(UserFactory())
        assert client.get("/").status_code == 200
        assert client.get(LOGOUT).status_code == 405  # a link or prefetch cannot sign anyone out
        assert client.get("/").status_code == 200
        response = client.post(LOGOUT)
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert client.get("/").status_code == 302

    def test_sign_out_form_carries_a_csrf_token(self, client_for):
        html = client_for(UserFactory()).get("/").content.decode()
        form = re.search(rf'<form method="post" action="{LOGOUT}">(.*?)</form>', html, re.DOTALL)
        assert form
        assert 'name="csrfmiddlewaretoken"' in form[1]

    def test_logout_rejects_a_post_without_csrf_token(self, db):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory())
        assert client.post(LOGOUT).status_code == 403
        assert client.get("/").status_code == 200


@pytest.mark.django_db
class TestHome:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

    @pytest.mark.parametrize(
        ("role", "brand", "count", "direct"),
        [
            ("hq_admin", "Aurora", 4, 1),
            ("hq_analyst", "Aurora", 4, 1),
            ("auditor", "Aurora", 2, 1),
            ("franchisee", "Aurora", 2, 0),
            ("other_admin", "Zenith", 1, 1),
        ],
    )
    def test_each_brand_shows_the_part_of_the_chain_the_user_sees(
        self, client_for, role_users, role, brand, count, direct
    ):
        html = client_for(role_users[role]).get("/").content.decode()
        card = re.search(rf"<h2>{brand}</h2>(.*?)</section>", html, re.DOTALL)
        assert card, html
        assert f'<p class="big-number">{count}</p>' in card[1]
        assert f"{direct} direct" in card[1]
        other = {"Aurora": "Zenith", "Zenith": "Aurora"}[brand]
        assert f"<h2>{other}</h2>" not in html

    def test_a_user_without_brand_is_told_what_to_do(self, client_for, role_users):
        html = client_for(role_users["outsider"]).get("/").content.decode()
        assert "You do not belong to any brand yet" in html

    @pytest.mark.parametrize(
        ("role", "shown"),
        [("hq_admin", True), ("hq_analyst", True), ("auditor", False), ("franchisee", False)],
    )
    def test_policy_card_only_for_hq(self, client_for, role_users, role, shown):
        html = client_for(role_users[role]).get("/").content.decode()
        assert ("<h2>Policy check</h2>" in html) is shown


@pytest.mark.django_db
class TestNavigation:
    @pytest.mark.parametrize(
        ("role", "policy", "admin"),
        [
            ("hq_admin", True, True),
            ("hq_analyst", True, False),
            ("auditor", False, False),
            ("franchisee", False, False),
            ("other_admin", True, True),
            ("outsider", False, False),
        ],
    )
    def test_links_by_role(self, client_for, role_users, role, policy, admin):
        links = nav_links(client_for(role_users[role]).get("/"))
        assert {"Home", "Locations", "Audits", "Framework", "API"} <= set(links)
        assert ("Policy check" in links) is policy
        assert ("Insights" in links) is policy  # both are HQ's
        assert ("Admin" in links) is admin
        if policy:
            assert links["Policy check"] == "/locations/policy-check/"
            assert links["Insights"] == "/insights/"
        if admin:
            assert links["Admin"] == "/admin/"

    @pytest.mark.parametrize(
        ("role", "labels"),
        [
            (
                "hq_admin",
                [
                    "Home",
                    "My audits",
                    "Locations",
                    "Audits",
                    "Insights",
                    "Scorecards",
                    "Customers",
                    "Actions",
                    "Framework",
                    "Policy check",
                    "History",
                    "Admin",
                    "API",
                ],
            ),
            (
                "hq_analyst",
                [
                    "Home",
                    "Locations",
                    "Audits",
                    "Insights",
                    "Scorecards",
                    "Customers",
                    "Actions",
                    "Framework",
                    "Policy check",
                    "API",
                ],
            ),
            ("auditor", ["Home", "My audits", "Locations", "Audits", "Actions", "Framework", "API"]),
            (
                "franchisee",
                [
                    "Home",
                    "My audits",
                    "Locations",
                    "Audits",
                    "Scorecards",
                    "Customers",
                    "Actions",
                    "Framework",
                    "API",
                ],
            ),
            ("outsider", ["Home", "Locations", "Audits", "Framework", "API"]),
        ],
    )
    def test_exact_links_by_role(self, client_for, role_users, role, labels):
        links = nav_links(client_for(role_users[role]).get("/"))
        assert list(links) == labels
        if "Scorecards" in links:
            assert links["Scorecards"] == "/scorecards/"
        if "Actions" in links:
            assert links["Actions"] == "/actions/"

    def test_superuser_gets_every_link(self, client_for, admin_user):
        links = nav_links(client_for(admin_user).get("/"))
        assert {"Policy check", "Admin"} <= set(links)
        assert "Superuser" in client_for(admin_user).get("/").content.decode()

    def test_a_user_with_two_roles_gets_the_widest_navigation(self, client_for, chain, role_users):
        from locations.models import Membership

        franchisee = role_users["franchisee"]
        Membership.objects.create(user=franchisee, brand=chain.other_brand, role=Role.HQ_ADMIN)
        links = nav_links(client_for(franchisee).get("/"))
        assert {"Policy check", "Admin"} <= set(links)

    def test_current_section_is_marked(self, client_for, role_users):
        html = client_for(role_users["hq_admin"]).get("/locations/").content.decode()
        assert '<a href="/locations/" aria-current="page">Locations</a>' in html
        assert '<a href="/" aria-current="page">' not in html

    def test_only_the_most_specific_section_is_marked(self, client_for, role_users):
        html = client_for(role_users["hq_admin"]).get("/locations/policy-check/").content.decode()
        assert re.findall(r'<a href="([^"]+)" aria-current="page">', html) == ["/locations/policy-check/"]

    def test_role_is_shown_beside_the_name(self, client_for, role_users):
        html = client_for(role_users["auditor"]).get("/").content.decode()
        assert "(Auditor)" in html

    def test_anonymous_sees_no_navigation(self, client):
        assert '<nav aria-label="Main">' not in client.get(LOGIN).content.decode()


@pytest.mark.django_db
class TestErrorPages:
    def test_not_found_keeps_the_navigation_and_tells_nothing(self, client_for, chain, role_users):
        response = client_for(role_users["franchisee"]).get(chain.direct_north.get_absolute_url())
        assert response.status_code == 404
        html = response.content.decode()
        assert "<h1>Page not found</h1>" in html
        assert "Beijing" not in html
        assert "Locations" in nav_links(response)

    def test_server_error_page_needs_no_request_context(self, rf):
        from django.views.defaults import server_error

        response = server_error(rf.get("/"))
        assert response.status_code == 500
        assert "Something went wrong on our side" in response.content.decode()
        assert '<html lang="en">' in response.content.decode()
