"""PDF scorecards: the scorecard's own data through an HTML template, printed by WeasyPrint.

- Same data, same drawings: `scorecard_for` builds the card and the SVG charts the page shows.
- Nothing is fetched over the network: photos and the brand logo are read from storage by a URL
  fetcher that knows only the files of this card (``evidence:<id>``, ``brand-logo:``) and refuses
  every other URL, so a PDF can neither leak a request nor pull in someone else's photo.
- Fonts come from the system (fontconfig): the Makefile installs WenQuanYi Micro Hei, which
  WeasyPrint subsets and embeds, so Chinese prints on any reader.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image

from cx_audit.audits.models.audits import Evidence
from cx_audit.scorecards.data import Scorecard, scorecard_for
from locations.models import Brand, Location

PHOTO_PX = 480  # longest side of a photo in the PDF: sharp at ~4 cm, small files
LOGO_PX = 400
TEMPLATE = "cx_audit/scorecards/pdf.html"
LOGO_URL = "brand-logo:logo"


class PdfFiles:
    """The files one PDF may embed: this card's photos and the brand logo, read from storage."""

    def __init__(self) -> None:
        self.photos: dict[int, Evidence] = {}
        self.logo: Any = None

    def photo_url(self, evidence: Evidence) -> str:
        self.photos[evidence.pk] = evidence
        return f"evidence:{evidence.pk}"

    def logo_url(self, brand: Brand) -> str:
        self.logo = brand.logo
        return LOGO_URL

    def read(self, url: str) -> tuple[bytes, str]:
        """(content, type) for a URL of this card; ValueError for anything else, the web included."""
        if url.startswith("evidence:"):
            number = url.removeprefix("evidence:")
            evidence = self.photos.get(int(number)) if number.isdigit() else None
            if evidence is None:
                raise ValueError(f"not a photo of this scorecard: {url}")
            return _resized(evidence.display_file or evidence.file, PHOTO_PX), "image/jpeg"
        if url == LOGO_URL and self.logo:
            return logo_png(self.logo), "image/png"
        raise ValueError(f"PDFs fetch nothing from outside: {url}")


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    """WeasyPrint takes a second to import: only processes that print a PDF pay for it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StorageFetcher(URLFetcher):
        def __init__(self, files: PdfFiles) -> None:
            super().__init__(allowed_protocols=("evidence", "brand-logo"), fail_on_errors=False)
            self.files = files

        def fetch(self, url: str, headers: Any = None) -> Any:
            content, content_type = self.files.read(url)
            return URLFetcherResponse(url, content, {"Content-Type": content_type})

    return StorageFetcher


def _resized(stored: Any, longest: int, keep_alpha: bool = False) -> bytes:
    with stored.open("rb") as handle, Image.open(handle) as image:
        image.thumbnail((longest, longest))
        buffer = io.BytesIO()
        if keep_alpha:
            image.convert("RGBA").save(buffer, format="PNG", optimize=True)
        else:
            image.convert("RGB").save(buffer, format="JPEG", quality=80)
        return buffer.getvalue()


def logo_png(logo: Any) -> bytes:
    """The brand's logo as a PNG of at most LOGO_PX a side: what the PDF embeds and the page shows
    (re-encoded, so whatever image was uploaded, only plain pixels are ever served)."""
    return _resized(logo, LOGO_PX, keep_alpha=True)


def render_pdf(card: Scorecard, files: PdfFiles, *, generated_for: str = "") -> bytes:
    """The card as an A4 PDF."""
    from weasyprint import HTML

    context = {"card": card, "mode": "pdf", "generated_for": generated_for}
    fetcher = _fetcher_class()(files)
    return HTML(string=render_to_string(TEMPLATE, context), url_fetcher=fetcher).write_pdf()


def scorecard_pdf(
    location: Location,
    *,
    audits: QuerySet,
    generated_for: str = "",
    now: datetime | None = None,
    shared: bool = False,
    viewer: Any = None,
) -> bytes:
    """Build the scorecard of ``location`` from ``audits`` (already scoped) and print it (``shared``:
    for a share link, and ``viewer``, as `scorecard_for` says)."""
    files = PdfFiles()
    card = scorecard_for(
        location,
        audits=audits,
        photo_url=files.photo_url,
        logo_url=files.logo_url,
        now=now or timezone.now(),
        shared=shared,
        viewer=viewer,
    )
    return render_pdf(card, files, generated_for=generated_for)


def pdf_filename(location: Location, when: datetime | None = None) -> str:
    """e.g. ``scorecard-GZ-101-2026-11-23.pdf``: the code only, safe in every mail client and ZIP."""
    day = timezone.localtime(when or timezone.now()).strftime("%Y-%m-%d")
    return f"scorecard-{re.sub(r'[^A-Za-z0-9._-]+', '-', location.code)}-{day}.pdf"
