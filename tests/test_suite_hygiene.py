"""The suite's housekeeping (tests/conftest.py): uploaded files go to each test's ``media_root``,
the live server's included; hypothesis keeps nothing in the checkout; the checkout snapshot that
fails a run leaving files behind names what was created, changed or deleted."""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import storage_directory
from knox.models import AuthToken

from cx_audit.audits.models.audits import Evidence
from cx_audit.audits.services import audit_create
from tests.conftest import CHECKOUT, checkout_changes, checkout_snapshot
from tests.cx_audit.audit_helpers import png_bytes, published_framework


def inside(path: Path | str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


class MediaRootTests:
    def test_files_are_saved_under_the_tests_own_media_root(self, media_root, tmp_path):
        assert Path(settings.MEDIA_ROOT) == media_root
        assert inside(media_root, tmp_path)
        assert not inside(media_root, CHECKOUT)
        name = default_storage.save("hygiene/note.txt", ContentFile(b"not in ./media"))
        assert (media_root / name).read_bytes() == b"not in ./media"
        assert inside(default_storage.path(name), media_root)

    def test_the_next_test_starts_with_an_empty_one(self, media_root):
        assert list(media_root.iterdir()) == []

    def test_a_photo_sent_to_the_live_server_is_stored_under_media_root(
        self, live_server, chain, role_users, media_root
    ):
        """The live server is a session-wide thread; the file it writes follows this test's setting."""
        published_framework(chain.brand)
        admin = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=admin, kind="scheduled")
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\nSIG-02\r\n'.encode(),
                f"--{boundary}\r\nContent-Disposition: form-data; "
                'name="file"; filename="front.png"\r\nContent-Type: image/png\r\n\r\n'.encode(),
                png_bytes(),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        request = urllib.request.Request(
            f"{live_server.url}/api/audits/{audit.pk}/evidence/",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Token {AuthToken.objects.create(user=admin)[1]}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            assert json.load(response)["size"] == len(png_bytes())
        evidence = Evidence.objects.get(answer__audit=audit)
        assert inside(evidence.file.path, media_root)
        assert Path(evidence.file.path).read_bytes() == png_bytes()


def test_hypothesis_keeps_no_example_database_and_no_cache_in_the_checkout():
    assert hypothesis_settings().database is None
    assert not inside(storage_directory("constants", intent_to_write=False).path, CHECKOUT)


def test_the_checkout_snapshot_names_what_was_created_changed_and_deleted(tmp_path):
    tmp_path = tmp_path / "checkout"  # beside this test's media_root, not around it
    tmp_path.mkdir()
    (tmp_path / "kept.txt").write_text("same")
    (tmp_path / "changed.txt").write_text("before")
    (tmp_path / "deleted.txt").write_text("gone soon")
    (tmp_path / ".venv").mkdir()
    before = checkout_snapshot(tmp_path)
    (tmp_path / "changed.txt").write_text("after, longer")
    (tmp_path / "deleted.txt").unlink()
    (tmp_path / "media" / "brands").mkdir(parents=True)
    (tmp_path / "media" / "brands" / "aurora.png").write_bytes(b"png")
    (tmp_path / ".venv" / "ignored.txt").write_text("the virtualenv is not watched")
    assert checkout_changes(before, checkout_snapshot(tmp_path)) == [
        "changed: changed.txt",
        "deleted: deleted.txt",
        "created: media/",
        "created: media/brands/",
        "created: media/brands/aurora.png",
    ]
    assert checkout_changes(before, before) == []
