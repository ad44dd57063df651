"""The tablet app's page (/tablet/) and its service worker (/tablet/sw.js), without a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
        assert 'type="module" src="/static/cx_audit/tablet/main.js"' in html
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
        for asset in tablet_pages.shell_assets():
            assert f"/static/{asset}" in shell["shell"]
        assert re.fullmatch(r"[0-9a-f]{12}", shell["version"])
        assert 'self.addEventListener("fetch"' in source

    def test_every_module_the_app_imports_is_precached(self):
        """A module missing from the shell would break the app offline: follow the imports from the
        page's entry, main.js, and compare. Every tablet script is reached (none left behind)."""
        from django.contrib.staticfiles import finders

        folder = tablet_pages.TABLET_STATIC
        reached, todo = set(), [f"{folder}/main.js"]
        while todo:
            name = todo.pop()
            if name in reached:
                continue
            reached.add(name)
            with open(finders.find(name), encoding="utf-8") as source:
                todo += [f"{folder}/{module}" for module in re.findall(r'from "\./([\w.-]+)"', source.read())]
        assets = set(tablet_pages.shell_assets())
        assert reached <= assets
        assert {name for name in assets if name.startswith(folder) and name.endswith(".js")} == reached
        assert f"{folder}/sw.js" not in assets

    def test_only_get(self, client):
        assert client.post("/tablet/sw.js").status_code == 405


class ShellVersionTests:
    """The worker's cache is named after shell_version: whatever a release changes in the shell, the
    name changes, so tablets in the field fetch every file again instead of mixing two releases."""

    def version(self, monkeypatch, assets=None, files=None):
        """The version the worker would carry, with the shell's list or some files' bytes replaced."""
        from django.contrib.staticfiles import finders

        real_find = finders.find
        monkeypatch.setattr(
            finders, "find", lambda name, **kw: (files or {}).get(name) or real_find(name, **kw)
        )
        if assets is not None:
            monkeypatch.setattr(tablet_pages, "shell_assets", lambda: assets)
        source = tablet_pages._worker_source()
        return json.loads(re.match(r"const SHELL = (\{.*?\});\n", source).group(1))

    def test_the_caches_are_named_after_the_version(self):
        source = tablet_pages._worker_source()
        assert "const SHELL_CACHE = `${PREFIX}shell-${SHELL.version}`;" in source
        assert "const DATA_CACHE = `${PREFIX}data-${SHELL.version}`;" in source
        # …and a new worker deletes every cache of another version when it takes over.
        assert "![SHELL_CACHE, DATA_CACHE].includes(name)" in source

    def test_the_same_files_give_the_same_version(self, monkeypatch):
        assert self.version(monkeypatch)["version"] == self.version(monkeypatch)["version"]

    def test_a_file_left_out_of_the_shell_changes_the_version(self, monkeypatch):
        assets = tablet_pages.shell_assets()
        before = self.version(monkeypatch)
        after = self.version(monkeypatch, assets=[name for name in assets if not name.endswith("/score.js")])
        assert after["version"] != before["version"]
        assert "/static/cx_audit/tablet/score.js" not in after["shell"]

    def test_a_file_renamed_with_the_same_bytes_changes_the_version(self, monkeypatch):
        from django.contrib.staticfiles import finders

        assets = tablet_pages.shell_assets()
        renamed = [name.replace("/score.js", "/scoring.js") for name in assets]
        before = self.version(monkeypatch, assets=assets)
        after = self.version(
            monkeypatch,
            assets=renamed,
            files={"cx_audit/tablet/scoring.js": finders.find("cx_audit/tablet/score.js")},
        )
        assert after["version"] != before["version"]

    def test_a_file_added_to_the_folder_is_precached_and_changes_the_version(self, monkeypatch, tmp_path):
        from django.contrib.staticfiles import finders

        folder = tmp_path / "tablet"
        folder.mkdir()
        for name in tablet_pages.shell_assets():
            if name.startswith(tablet_pages.TABLET_STATIC):
                (folder / name.rsplit("/", 1)[1]).write_bytes(Path(finders.find(name)).read_bytes())
        (folder / "sw.js").write_bytes(Path(finders.find(tablet_pages.SERVICE_WORKER)).read_bytes())
        before = self.version(monkeypatch, files={tablet_pages.SERVICE_WORKER: str(folder / "sw.js")})
        (folder / "outbox-view.js").write_text("export const added = true;\n")
        after = self.version(
            monkeypatch,
            files={
                tablet_pages.SERVICE_WORKER: str(folder / "sw.js"),
                "cx_audit/tablet/outbox-view.js": str(folder / "outbox-view.js"),
            },
        )
        assert "/static/cx_audit/tablet/outbox-view.js" in after["shell"]
        assert after["version"] != before["version"]

    def test_a_changed_byte_in_any_file_changes_the_version(self, monkeypatch, tmp_path):
        from django.contrib.staticfiles import finders

        before = self.version(monkeypatch)
        for name in ("cx_audit/tablet/score.js", "cx_audit/tablet/tablet.css", "cx_audit/site.js"):
            edited = tmp_path / name.replace("/", "_")
            edited.write_bytes(Path(finders.find(name)).read_bytes() + b" ")
            assert self.version(monkeypatch, files={name: str(edited)})["version"] != before["version"], name
