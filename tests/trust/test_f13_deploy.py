"""Finding 13: production is safe by default.

Before: DEBUG was on unless DJANGO_DEBUG=0, so a server started without it ran with tracebacks and
the built-in key; no setting turned HSTS, the HTTPS redirect or secure cookies on (`check --deploy`
warned W004/W008/W012/W016); no Content-Security-Policy; the API schema and docs were open to
anyone. Now: DEBUG is off unless asked for and the start is refused without a key of one's own; the
documented environment (docs/deploy.md) passes `check --deploy` with no warning; every page carries a
strict CSP and the templates hold no inline script or style; the schema and docs need a sign-in.

The start-up tests run `manage.py` in a subprocess with an environment of their own, as a server
would start, not the test suite's development settings.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
ENV_FILE_MARK = "# /etc/cx_audit/env"


def documented_environment() -> dict[str, str]:
    """The production environment file of docs/deploy.md, with a key made as the doc says."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    block = text.split(ENV_FILE_MARK, 1)[1].split("```", 1)[0]
    env: dict[str, str] = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, value = line.split("=", 1)
        env[name.strip()] = value.strip().strip('"')
    assert env["DJANGO_SECRET_KEY"] == "paste-the-generated-key-here"
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc's command
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`manage.py ARGS` as a server starts it: only PATH and the given variables, no DJANGO_DEBUG."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cx_audit.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class ProductionStartTests:
    def test_documented_environment_passes_check_deploy_without_warnings(self):
        done = manage("check", "--deploy", "--fail-level", "WARNING", env=documented_environment())
        assert done.returncode == 0, done.stdout + done.stderr
        assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
        assert "WARNINGS" not in done.stdout + done.stderr

    def test_without_the_https_switch_check_deploy_names_what_is_missing(self):
        env = {k: v for k, v in documented_environment().items() if k != "DJANGO_HTTPS"}
        done = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
        assert done.returncode != 0
        for warning in ("W004", "W008", "W012", "W016"):
            assert f"security.{warning}" in done.stderr

    def test_no_debug_variable_and_no_key_refuses_to_start(self):
        done = manage("check", env={})
        assert done.returncode != 0
        assert "ImproperlyConfigured" in done.stderr
        assert "DJANGO_SECRET_KEY must be set" in done.stderr

    def test_the_built_in_key_is_refused_in_production(self):
        from cx_audit.settings import DEVELOPMENT_SECRET_KEY

        done = manage("check", env={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY})
        assert done.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in done.stderr

    def test_development_mode_needs_nothing_else(self):
        done = manage("check", env={"DJANGO_DEBUG": "1"})
        assert done.returncode == 0, done.stderr

    def test_make_demo_and_lint_run_in_development_mode(self):
        dry = subprocess.run(["make", "-n", "demo", "lint"], cwd=ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, dry.stderr
        django_lines = [line for line in dry.stdout.splitlines() if re.search(r"manage\.py|celery -A", line)]
        assert len(django_lines) >= 5
        for line in django_lines:
            assert "DJANGO_DEBUG=1" in line, line


# --- Content-Security-Policy --------------------------------------------------------------------

TEMPLATE_DIRS = [
    ROOT / "cx_audit" / "templates",
    ROOT / "locations" / "templates",
    ROOT / "journeys" / "templates",
]
# Rendered by WeasyPrint into a PDF, never sent to a browser: its <style> is outside any CSP.
NOT_SERVED = {"cx_audit/scorecards/pdf.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on… event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            name = str(path.relative_to(directory))
            if name in NOT_SERVED:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, found


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, role_users):
    client.force_login(role_users["hq_admin"])
    for url in ("/accounts/login/", "/", "/locations/", "/tablet/"):
        directives = policy(client.get(url))
        assert directives["default-src"] == "default-src 'self'", url
        assert directives["script-src"] == "script-src 'self'", url
        assert directives["style-src"] == "style-src 'self'", url
        assert directives["frame-ancestors"] == "frame-ancestors 'none'", url
        assert directives["object-src"] == "object-src 'none'", url
        assert "blob:" in directives["img-src"], url  # the tablet's photo previews
        assert "unsafe-inline" not in client.get(url)["Content-Security-Policy"], url


# --- the OpenAPI schema and its docs page --------------------------------------------------------


@pytest.mark.django_db
class SchemaAccessTests:
    def test_anonymous_gets_no_schema(self):
        response = APIClient().get("/api/schema/")
        assert response.status_code == 401

    def test_anonymous_docs_page_sends_to_sign_in(self, client):
        response = client.get("/api/docs/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/api/docs/")

    def test_anonymous_docs_script_is_refused(self, client):
        assert client.get("/api/docs/", {"script": ""}).status_code in (401, 403)

    def test_an_api_token_reads_the_schema(self, role_users):
        _, token = AuthToken.objects.create(role_users["auditor"])
        response = APIClient().get("/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 200
        assert "/api/audits/" in response.json()["paths"]

    def test_signed_in_docs_page_has_no_inline_script(self, client, role_users):
        client.force_login(role_users["franchisee"])
        page = client.get("/api/docs/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "swagger-ui" in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert "<style" not in html
        script = client.get("/api/docs/", {"script": ""})
        assert script.status_code == 200
        assert script["Content-Type"].startswith("application/javascript")
        assert "SwaggerUIBundle" in script.content.decode()
