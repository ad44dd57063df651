"""Checking an uploaded photo by its content: a real JPEG, PNG or WebP image, not too large.

The extension and the browser's content type are never trusted; Pillow reads the bytes. The
original is kept untouched as evidence; a display copy is made upright (tablets store the
camera's rotation in EXIF) and small enough for pages and PDFs.

Memory is bounded before anything is decoded (issue 12, finding 7: a 57 kB PNG declaring 59 Mpx
cost a worker ~370 MB). The checks run cheapest first: the byte count, then the image's header
(``Image.open`` reads only the header: format, width and height), then ``verify()`` (chunk
checksums, no pixels). Only then is the image decoded, and only to make the display copy:
``thumbnail`` lets the JPEG decoder scale down by up to 8 while decoding (``draft``), so a 12 Mpx
camera photo is decoded at a quarter of its pixels. PNG and WebP have no such reduced decode, so a
tiny file claiming a large image is refused as a decompression bomb before it gets there.
Callers that may already hold the file (a replay from the tablet's outbox) compare
``fingerprint(content)`` with what is stored before calling ``read_photo``, so a replay decodes
nothing.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DISPLAY_SIZE = (1600, 1600)
# A 12 MP phone camera takes 4032 × 3024 ≈ 12.2 Mpx; 24 Mpx leaves room for 24 MP cameras and
# stitched shots while bounding a full decode (PNG, WebP) to ~100 MB even with an alpha channel.
MAX_PIXELS = 24_000_000
# Pillow's own guard, for every image the service opens (logos, example photos, PDFs): it warns
# above this and refuses above twice this, before decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Formats decoded at full size (no reduced decode): a file this much smaller than its pixel count
# is a decompression bomb. Real PNG and WebP photos and screenshots take well over 0.1 byte a
# pixel; a blank 8600 × 6860 PNG takes 0.001. Small images are cheap to decode whatever their size.
FULLY_DECODED = frozenset({"PNG", "WEBP"})
MIN_BYTES_PER_PIXEL = 0.01
BOMB_CHECK_FROM_PIXELS = 2_000_000
# EXIF orientations that turn the picture a quarter: the upright width is the stored height.
QUARTER_TURNS = frozenset({5, 6, 7, 8})
EXIF_ORIENTATION = 0x0112
NOT_AN_IMAGE = "The file is not a JPEG, PNG or WebP image."


class BadPhoto(ValueError):
    """The upload is not an acceptable photo; the message says why."""


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str
    sha256: str
    width: int  # upright, after the EXIF orientation
    height: int
    display: bytes  # upright JPEG, at most DISPLAY_SIZE

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Header:
    """What an image file declares about itself, read without decoding a pixel."""

    kind: str  # a key of FORMATS
    width: int  # as stored, before the EXIF orientation
    height: int


def upload_bytes(upload: io.IOBase | bytes) -> bytes:
    """The upload's bytes, read no further than the size limit (BadPhoto when empty or too big)."""
    limit = settings.EVIDENCE_MAX_BYTES
    content = upload if isinstance(upload, bytes) else upload.read(limit + 1)
    if not content:
        raise BadPhoto(_("The file is empty."))
    if len(content) > limit:
        raise BadPhoto(_("The photo is larger than %(mb)s MB.") % {"mb": round(limit / 1_000_000, 1)})
    return content


def fingerprint(content: bytes) -> str:
    """The SHA-256 a stored photo is known by: compare it before decoding anything."""
    return hashlib.sha256(content).hexdigest()


def read_header(content: bytes) -> Header:
    """The format and declared size, checked against the pixel budget and the compression floor.

    Nothing is decoded: ``Image.open`` parses the header and ``verify`` walks the file's chunks."""
    try:
        with warnings.catch_warnings():
            # Above MAX_PIXELS Pillow only warns; the check below refuses it with a clear message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                header = Header(image.format or "", image.width, image.height)
                _check_budget(header, len(content))
                image.verify()
    except BadPhoto:
        raise
    except Image.DecompressionBombError:
        raise BadPhoto(_too_many_pixels()) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise BadPhoto(_(NOT_AN_IMAGE)) from None
    if header.kind not in FORMATS:
        raise BadPhoto(_(NOT_AN_IMAGE))
    return header


def _check_budget(header: Header, size: int) -> None:
    pixels = header.width * header.height
    if pixels > MAX_PIXELS:
        raise BadPhoto(_too_many_pixels())
    bomb = pixels >= BOMB_CHECK_FROM_PIXELS and size < pixels * MIN_BYTES_PER_PIXEL
    if header.kind in FULLY_DECODED and bomb:
        raise BadPhoto(
            _(
                "The file is far too small for the %(width)s × %(height)s pixels it declares "
                "(a decompression bomb)."
            )
            % {"width": header.width, "height": header.height}
        )


def _too_many_pixels() -> str:
    return _("The photo has too many pixels (at most %(mpx)s million).") % {"mpx": MAX_PIXELS // 1_000_000}


def read_photo(upload: io.IOBase | bytes) -> Photo:
    """The upload as a checked photo, or BadPhoto naming the reason."""
    content = upload_bytes(upload)
    header = read_header(content)
    try:
        with Image.open(io.BytesIO(content)) as image:
            orientation = image.getexif().get(EXIF_ORIENTATION, 1)
            display = _display_copy(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise BadPhoto(_(NOT_AN_IMAGE)) from None
    width, height = (header.width, header.height)
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return Photo(content, FORMATS[header.kind], fingerprint(content), width, height, display)


def _display_copy(image: Image.Image) -> bytes:
    """An upright JPEG of at most DISPLAY_SIZE. Shrunk first, while decoding where the format
    allows (JPEG is drafted at 1/2–1/8 scale), then turned and converted: the full-size picture is
    never copied."""
    # draft() scales only as far as both sides stay at or above the size asked for: ask for the
    # picture's own proportions, or a 4032 × 3024 photo is decoded whole for a 1600 × 1600 box.
    ratio = min(DISPLAY_SIZE[0] / image.width, DISPLAY_SIZE[1] / image.height, 1)
    image.draft(None, (max(1, int(image.width * ratio)), max(1, int(image.height * ratio))))
    image.thumbnail(DISPLAY_SIZE)
    copy = ImageOps.exif_transpose(image).convert("RGB")
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
