"""Finding 14: a newcomer can get from the demo to their own chain.

Before: nothing said how to create the first brand and its HQ admin, back up and restore the
database and the photos, or upgrade; there was no LICENSE although the README calls the project
open; without `pdftotext` a test failed instead of skipping. Now: docs/deploy.md covers each step
(and names every variable the settings read, checked here so it cannot drift), `manage.py
create_brand` makes the brand and its HQ admin in one go, `manage.py data_fingerprint` is the
backup check that scripts/backup_roundtrip.sh runs with the doc's own commands, and LICENSE holds
the Apache License 2.0.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cx_audit.core.choices import Role
from journeys.models import Framework, FrameworkStatus
from locations.models import Brand, Franchisee, Location, Membership, Region
from tests.factories import BrandFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_license_is_apache_2():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert "Copyright 2026 The cx_audit authors" in text


def settings_variables() -> set[str]:
    """Every environment variable cx_audit/settings.py reads, found in its source."""
    source = (ROOT / "cx_audit" / "settings.py").read_text(encoding="utf-8")
    readers = r"(?:os\.environ\.get|os\.environ\[|environ\.get|environ\[|env_bool|env_list|env_positive_int)"
    names = set(re.findall(readers + r'\(?\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(
        re.findall(r'\(\s*"[a-z_]+",\s*"([A-Z][A-Z0-9_]+)"\s*\)', source)
    )  # (option, VARIABLE) pairs
    names.add("DATABASE_URL")  # read by dj_database_url.config()
    # One rate variable per throttle scope: API_RATE_<SCOPE>.
    names |= {
        f"API_RATE_{scope.upper().replace('-', '_')}"
        for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    }
    return names


def test_deploy_doc_names_every_variable_the_settings_read():
    names = settings_variables()
    assert {"DJANGO_SECRET_KEY", "DJANGO_HTTPS", "S3_BUCKET", "S3_ENDPOINT_URL", "API_RATE_ANON"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in DEPLOY and f"{name}=" not in DEPLOY)
    assert not missing, f"docs/deploy.md does not mention: {missing}"


def test_backup_script_runs_the_documented_commands_word_for_word():
    script = (ROOT / "scripts" / "backup_roundtrip.sh").read_text(encoding="utf-8")
    commands = [
        line
        for line in script.splitlines()
        if re.match(r"(pg_dump|pg_restore|tar|mkdir -p \"\$DJANGO)", line)
    ]
    assert len(commands) == 5, commands
    for command in commands:
        assert command in DEPLOY, f"docs/deploy.md lacks: {command}"


@pytest.mark.django_db
class CreateBrandTests:
    def run(self, *args: str) -> str:
        out = io.StringIO()
        call_command("create_brand", *args, stdout=out)
        return out.getvalue()

    def test_brand_and_hq_admin_in_one_step(self):
        output = self.run("--name", "Acme Mobile", "--slug", "acme", "--admin-username", "alice")
        brand = Brand.objects.get(slug="acme")
        alice = get_user_model().objects.get(username="alice")
        assert alice.is_staff
        assert not alice.is_superuser
        assert not alice.has_usable_password()
        assert Membership.objects.get(user=alice).role == Role.HQ_ADMIN
        assert Membership.objects.get(user=alice).brand == brand
        assert "changepassword alice" in output
        # Once the password is set, alice works in her brand through the API.
        alice.set_password("a-long-passphrase-2026")
        alice.save()
        api = APIClient()
        api.force_authenticate(alice)
        assert [row["slug"] for row in api.get("/api/brands/").json()["results"]] == ["acme"]

    def test_an_existing_user_is_given_the_role(self):
        bob = UserFactory(username="bob", is_staff=False)
        self.run("--name", "Acme", "--slug", "acme", "--admin-username", "bob")
        bob.refresh_from_db()
        assert bob.is_staff
        assert bob.has_usable_password()
        assert Membership.objects.get(user=bob).role == Role.HQ_ADMIN

    def test_a_taken_slug_changes_nothing(self):
        BrandFactory(slug="acme")
        with pytest.raises(CommandError, match="slug"):
            self.run("--name", "Acme", "--slug", "acme", "--admin-username", "carol")
        assert not get_user_model().objects.filter(username="carol").exists()

    def test_starter_framework_is_a_draft_the_new_admin_publishes(self):
        self.run("--name", "Acme", "--slug", "acme", "--admin-username", "dana", "--starter-framework")
        draft = Framework.objects.get(brand__slug="acme")
        assert draft.status == FrameworkStatus.DRAFT
        assert draft.items.count() > 20
        api = APIClient()
        api.force_authenticate(get_user_model().objects.get(username="dana"))
        response = api.post(f"/api/frameworks/{draft.pk}/publish/")
        assert response.status_code == 200, response.content
        draft.refresh_from_db()
        assert draft.status == FrameworkStatus.PUBLISHED


@pytest.mark.django_db
def test_the_docs_sample_csv_imports(tmp_path):
    """Step 4 of "Your first brand", with the regions and franchisees of step 3."""
    brand = BrandFactory(slug="acme")
    Region.objects.create(brand=brand, code="south", name="South")
    Franchisee.objects.create(brand=brand, code="F-GZ1", name="Guangzhou Partner")
    sample = DEPLOY.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "stores.csv"
    path.write_text("\n".join(line.strip() for line in sample.splitlines()) + "\n", encoding="utf-8")
    call_command("import_locations", str(path), "--brand", "acme", stdout=io.StringIO())
    assert sorted(Location.objects.filter(brand=brand).values_list("code", flat=True)) == ["FS-101", "GZ-001"]


@pytest.mark.django_db
def test_data_fingerprint_sees_rows_scores_and_photos(media_root):
    def fingerprint() -> list[str]:
        out = io.StringIO()
        call_command("data_fingerprint", stdout=out)
        return out.getvalue().splitlines()

    before = fingerprint()
    assert "table locations_brand 0" in before
    assert any(line.startswith("audit-scores 0 ") for line in before)
    assert any(line.startswith("media 0 ") for line in before)
    assert fingerprint() == before  # stable: two runs over the same data agree
    BrandFactory()
    (Path(settings.MEDIA_ROOT) / "evidence").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "evidence" / "photo.jpg").write_bytes(b"not really a photo")
    after = fingerprint()
    assert "table locations_brand 1" in after
    assert any(line.startswith("media 1 ") for line in after)


def test_pdf_text_test_skips_without_pdftotext():
    """The dispute scorecard test reads the PDF with pdftotext: absent, it skips with the reason."""
    env = {**os.environ, "PATH": "/nonexistent"}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-rs",
            "-q",
            "tests/cx_audit/test_disputes.py",
            "-k",
            "test_pdf",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "1 skipped" in done.stdout, done.stdout + done.stderr
    assert "failed" not in done.stdout.splitlines()[-1]
    assert "needs pdftotext" in done.stdout
