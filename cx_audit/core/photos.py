"""Checking an uploaded photo by its content: a real JPEG, PNG or WebP image, not too large.

The extension and the browser's content type are never trusted; Pillow reads the bytes. The
original is kept untouched as evidence; a display copy is made upright (tablets store the
camera's rotation in EXIF) and small enough for pages and PDFs.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
DISPLAY_SIZE = (1600, 1600)
MAX_PIXELS = 60_000_000  # refuse decompression bombs long before Pillow's own warning


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


def read_photo(upload: io.IOBase | bytes) -> Photo:
    """The upload as a checked photo, or BadPhoto naming the reason."""
    limit = settings.EVIDENCE_MAX_BYTES
    content = upload if isinstance(upload, bytes) else upload.read(limit + 1)
    if not content:
        raise BadPhoto(_("The file is empty."))
    if len(content) > limit:
        raise BadPhoto(_("The photo is larger than %(mb)s MB.") % {"mb": round(limit / 1_000_000, 1)})
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = image.format
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise BadPhoto(_("The photo has too many pixels."))
            upright = ImageOps.exif_transpose(image)
            width, height = upright.size
            display = _display_copy(upright)
    except BadPhoto:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise BadPhoto(_("The file is not a JPEG, PNG or WebP image.")) from None
    if kind not in FORMATS:
        raise BadPhoto(_("The file is not a JPEG, PNG or WebP image."))
    return Photo(content, FORMATS[kind], hashlib.sha256(content).hexdigest(), width, height, display)


def _display_copy(image: Image.Image) -> bytes:
    copy = image.convert("RGB")
    copy.thumbnail(DISPLAY_SIZE)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()
