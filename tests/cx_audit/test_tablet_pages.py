"""The tablet app's page (/tablet/) and its service worker (/tablet/sw.js), without a browser."""

from __future__ import annotations

import json
import re

import pytest

from cx_audit.tablet import pages as tablet_pages

pytestmark = pytest.mark.django_db


def config_of(response) -> dict:
    match = re.search(
        r'<script id="tablet-config" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, "the page carries its configuration for app.js"
    return json.loads(match.group(1))


class TabletPageTests:
    def test_sign_in_is_required(self, client):
        response = client.get("/tablet/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/tablet/"

    @pytest.mark.parametrize("role", ["auditor", "hq_admin", "franchisee"])
    def test_those_who_fill_audits_get_the_app_shell(self, client_for, role_users, role):
        user = role_users[role]
        response = client_for(user).get("/tablet/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="tablet-app"' in html
        assert 'id="tablet-view"' in html
        assert 'type="module" src="/static/cx_audit/tablet/app.js"' in html
        assert re.search(r'<span id="sync-text"[^>]*role="status"[^>]*aria-live="polite"', html)
        assert config_of(response) == {
            "userId": user.pk,
            "api": "/api/",
            "serviceWorker": "/tablet/sw.js",
            "scope": "/tablet/",
            "loginUrl": "/accounts/login/?next=/tablet/",
        }
        assert '<a href="/tablet/" aria-current="page">My audits</a>' in html

    @pytest.mark.parametrize(
        ("role", "offered"), [("auditor", True), ("franchisee", True), ("hq_analyst", False)]
    )
    def test_my_audits_is_in_the_navigation_of_those_who_audit(self, client_for, role_users, role, offered):
        html = client_for(role_users[role]).get("/").content.decode()
        assert ('<a href="/tablet/">My audits</a>' in html) is offered


class ServiceWorkerTests:
    def test_served_as_script_for_the_tablet_scope_never_cached(self, client):
        response = client.get("/tablet/sw.js")  # no sign-in: a browser fetches it on its own
        assert response.status_code == 200
        assert response["Content-Type"] == "application/javascript"
        assert response["Service-Worker-Allowed"] == "/tablet/"
        assert response["Cache-Control"] == "no-cache"

    def test_precaches_the_page_and_every_script_it_imports(self, client):
        source = client.get("/tablet/sw.js").content.decode()
        shell = json.loads(re.match(r"const SHELL = (\{.*?\});\n", source).group(1))
        assert shell["shell"][0] == "/tablet/"
        for asset in tablet_pages.SHELL_ASSETS:
            assert f"/static/{asset}" in shell["shell"]
        assert re.fullmatch(r"[0-9a-f]{12}", shell["version"])
        assert 'self.addEventListener("fetch"' in source

    def test_every_module_the_app_imports_is_precached(self):
        """A module missing from SHELL_ASSETS would break the app offline: compare with the imports."""
        from django.contrib.staticfiles import finders

        folder = tablet_pages.TABLET_STATIC
        imported = set()
        for name in tablet_pages.SHELL_ASSETS:
            if name.startswith(folder) and name.endswith(".js"):
                with open(finders.find(name), encoding="utf-8") as source:
                    imported |= {f"{folder}/{m}" for m in re.findall(r'from "\./([\w.]+)"', source.read())}
        assert imported <= set(tablet_pages.SHELL_ASSETS)

    def test_only_get(self, client):
        assert client.post("/tablet/sw.js").status_code == 405
