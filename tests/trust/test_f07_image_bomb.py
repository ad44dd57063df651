"""Finding 7 of issue 12: a 57 kB PNG declaring 59 Mpx cost a worker ~370 MB to check, and it was
decoded before the SHA-256 de-duplication, so every replay cost the same again.

Now the bytes are fingerprinted first (a replay of a stored photo decodes nothing), the header's
declared size is held to a 24 Mpx budget and a compression floor (a tiny PNG claiming a big image
is a decompression bomb) before any pixel is decoded, and a camera JPEG is decoded at reduced size.

Memory is measured as the process's peak resident set (Linux ``VmHWM``, reset through
``/proc/self/clear_refs``): Pillow allocates its pixels outside Python's allocator, where
``tracemalloc`` cannot see them. ``Image.Image.load`` (where Pillow decodes) is watched too.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cx_audit.audits.models.audits import Evidence
from cx_audit.audits.services import audit_create
from cx_audit.core import photos
from tests.cx_audit.audit_helpers import png_bytes, published_framework

pytestmark = pytest.mark.django_db

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
MB = 1024 * 1024


def _png(size: tuple[int, int], mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def _camera_jpeg(orientation: int = 6) -> bytes:
    """A 12 MP phone photo (4032 × 3024) held sideways: EXIF says turn it a quarter."""
    image = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation  # EXIF Orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class PeakMemory:
    """The growth of the process's peak resident set while the block runs (Linux only)."""

    def __enter__(self) -> PeakMemory:
        CLEAR_REFS.write_text("5")  # resets VmHWM to the current resident set
        self.start = self._kb("VmHWM")
        return self

    def __exit__(self, *exc: object) -> None:
        self.growth = (self._kb("VmHWM") - self.start) * 1024

    @staticmethod
    def _kb(field: str) -> int:
        line = next(line for line in STATUS.read_text().splitlines() if line.startswith(field))
        return int(line.split()[1])


def _can_measure() -> bool:
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@pytest.fixture
def decodes(monkeypatch):
    """How many times Pillow decodes pixels (a spy: ``load`` still runs as before)."""
    calls: list[tuple[int, int]] = []
    load = Image.Image.load

    def counting_load(image: Image.Image):
        if getattr(image, "tile", None):  # pixels still to be decoded from the file
            calls.append(image.size)
        return load(image)

    monkeypatch.setattr(Image.Image, "load", counting_load)
    return calls


@pytest.fixture
def evidence_url(chain, role_users):
    published_framework(chain.brand)
    audit = audit_create(location=chain.f1_south, user=role_users["auditor"], kind="scheduled")[0]
    return f"/api/audits/{audit.pk}/evidence/"


class ImageBombTests:
    def test_the_bomb_of_the_finding_is_what_it_says(self):
        bomb = _png((8600, 6870))
        assert len(bomb) < 60_000
        assert 8600 * 6870 > 59_000_000

    def test_a_tiny_png_declaring_59_mpx_is_refused_without_decoding(
        self, api, role_users, evidence_url, decodes
    ):
        bomb = _png((8600, 6870))
        client = api(role_users["auditor"])
        with PeakMemory() if _can_measure() else _NoMeasure() as memory:
            response = client.post(evidence_url, {"item": "SIG-02", "file": _upload(bomb, "bomb.png")})
        assert response.status_code == 400, response.content
        assert "pixels" in response.json()["file"][0]
        assert decodes == []
        assert memory.growth < 50 * MB
        assert not Evidence.objects.exists()

    def test_under_the_pixel_cap_but_far_too_small_is_a_decompression_bomb(
        self, api, role_users, evidence_url, decodes
    ):
        bomb = _png((5000, 4000))  # 20 Mpx in 20 kB
        response = api(role_users["auditor"]).post(
            evidence_url, {"item": "SIG-02", "file": _upload(bomb, "flat.png")}
        )
        assert response.status_code == 400
        assert "decompression bomb" in response.json()["file"][0]
        assert decodes == []

    def test_a_camera_photo_is_accepted_upright_and_decoded_at_reduced_size(
        self, api, role_users, evidence_url, decodes
    ):
        client = api(role_users["auditor"])
        # Warm the request path up with a small photo, so the figure is the camera photo's own.
        assert (
            client.post(evidence_url, {"item": "SIG-01", "file": _upload(png_bytes(), "a.png")}).status_code
            == 201
        )
        upload = _upload(_camera_jpeg(), "IMG.jpg")
        with PeakMemory() if _can_measure() else _NoMeasure() as memory:
            response = client.post(evidence_url, {"item": "SIG-02", "file": upload})
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["width"], body["height"], body["content_type"]) == (3024, 4032, "image/jpeg")
        # JPEG drafting decoded a quarter of the width and height at most, never 4032 × 3024.
        assert decodes
        assert all(w * h <= 4032 * 3024 // 4 for w, h in decodes), decodes
        assert memory.growth < 50 * MB
        display = Image.open(Evidence.objects.get(pk=body["id"]).display_file)
        assert display.size[1] > display.size[0]  # upright

    def test_a_replay_is_deduplicated_before_anything_is_decoded(
        self, api, role_users, evidence_url, decodes
    ):
        client = api(role_users["auditor"])
        camera = _camera_jpeg()
        first = client.post(evidence_url, {"item": "SIG-02", "file": _upload(camera, "IMG.jpg")})
        assert first.status_code == 201
        decodes.clear()
        with PeakMemory() if _can_measure() else _NoMeasure() as memory:
            again = client.post(evidence_url, {"item": "SIG-02", "file": _upload(camera, "IMG (1).jpg")})
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert decodes == []
        assert memory.growth < 20 * MB
        assert Evidence.objects.count() == 1

    def test_pillow_refuses_a_bomb_anywhere_in_the_service(self):
        """Logos, example photos and PDFs open images too: Pillow's own guard is the project's cap."""
        assert Image.MAX_IMAGE_PIXELS == photos.MAX_PIXELS
        with pytest.raises(photos.BadPhoto):
            photos.read_header(_png((8600, 6870)))


class _NoMeasure:
    """Where /proc/self/clear_refs is not writable, the decode spy alone carries the test."""

    growth = 0

    def __enter__(self) -> _NoMeasure:
        return self

    def __exit__(self, *exc: object) -> None:
        return None
