"""Checking an uploaded photo by its content: a real JPEG, PNG or WebP image, not too large.

The extension and the browser's content type are never trusted; Pillow reads the bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class BadPhoto(ValueError):
    """The upload is not an acceptable photo; the message says why."""


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str
    sha256: str
    width: int
    height: int

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
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise BadPhoto(_("The file is not a JPEG, PNG or WebP image.")) from None
    if kind not in FORMATS:
        raise BadPhoto(_("The file is not a JPEG, PNG or WebP image."))
    return Photo(content, FORMATS[kind], hashlib.sha256(content).hexdigest(), width, height)
