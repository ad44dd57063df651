"""The in-store survey's sticker: a QR code to the location's survey page, printed by HQ.

- The QR code is an SVG drawn by segno (pure Python): vector, so it prints sharp at any size, and
  the same drawing serves the page and the PDF. Error correction M survives a scuffed sticker.
- The PDF is HTML + CSS printed by WeasyPrint, like the scorecards: one A6 sticker, or A4 sheets of
  four A6 stickers with cut lines for a whole region. The wording is in Chinese and English at
  once, whatever the language of the person printing it: the customers read it, not HQ.
- Nothing is fetched while printing: the brand's logo is re-encoded to a PNG and embedded as a
  ``data:`` URL, and the fetcher refuses every other address.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from PIL import Image, UnidentifiedImageError

from locations.models import Brand, Location

TEMPLATE = "cx_audit/voice/survey/sticker_pdf.html"
STYLESHEET = "cx_audit/voice/sticker_print.css"
QR_ERROR = "m"
QR_BORDER = 4  # the quiet zone scanners need, in modules
LOGO_PX = 400
PER_SHEET = 4  # A6 stickers on one A4 sheet, two by two
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#1f5fa8"


@dataclass(frozen=True)
class Sticker:
    """What one sticker shows; ``qr_svg`` is the QR code of ``url``."""

    brand_name: str
    colour: str
    logo: str  # a data: URL of the brand's logo, or ""
    location_name: str
    location_code: str
    url: str
    qr_svg: str


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` as every sticker prints it (the tests re-encode with this to compare)."""
    return segno.make_qr(url, error=QR_ERROR)


def qr_svg(url: str, *, title: str = "") -> str:
    """An inline SVG of the QR code, sized by its viewBox (CSS gives it its size)."""
    return qr_code(url).svg_inline(border=QR_BORDER, omitsize=True, svgclass="qr", title=title or None)


def brand_colour(brand: Brand) -> str:
    """The brand colour, safe inside CSS: anything but #rrggbb falls back to the default."""
    colour = brand.colour or ""
    return colour if COLOUR.fullmatch(colour) else DEFAULT_COLOUR


def logo_data_url(brand: Brand) -> str:
    """The brand's logo as a PNG ``data:`` URL of at most LOGO_PX a side ("" without a readable logo).
    Re-encoded, so whatever file was uploaded, only plain pixels reach the PDF."""
    if not brand.logo:
        return ""
    try:
        with brand.logo.open("rb") as handle, Image.open(handle) as image:
            image.thumbnail((LOGO_PX, LOGO_PX))
            buffer = io.BytesIO()
            image.convert("RGBA").save(buffer, format="PNG", optimize=True)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return ""
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def stickers_for(locations: Sequence[Location], url_of: Any) -> list[Sticker]:
    """One sticker per location (brand loaded with it); ``url_of(location)`` is its survey URL.
    Each brand's logo is read once however many of its stores are printed."""
    logos: dict[int, str] = {}
    stickers = []
    for location in locations:
        brand = location.brand
        if brand.pk not in logos:
            logos[brand.pk] = logo_data_url(brand)
        url = url_of(location)
        stickers.append(
            Sticker(
                brand_name=brand.name,
                colour=brand_colour(brand),
                logo=logos[brand.pk],
                location_name=location.name,
                location_code=location.code,
                url=url,
                qr_svg=qr_svg(url, title=f"QR code: {url}"),
            )
        )
    return stickers


def _sheets(stickers: Sequence[Sticker]) -> Iterator[Sequence[Sticker]]:
    for start in range(0, len(stickers), PER_SHEET):
        yield stickers[start : start + PER_SHEET]


def sticker_pdf(stickers: Sequence[Sticker], *, sheet: bool = False) -> bytes:
    """One A6 page per sticker, or (``sheet``) A4 pages of four with cut lines."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    context = {"sheets": list(_sheets(stickers)) if sheet else [[s] for s in stickers], "sheet": sheet}
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=False)
    html = HTML(string=render_to_string(TEMPLATE, context), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[CSS(filename=_stylesheet())])


def _stylesheet() -> str:
    """The print stylesheet, a static file (a <style> in the template would be the site's only one)."""
    path = finders.find(STYLESHEET)
    if not path:
        raise FileNotFoundError(STYLESHEET)
    return str(path)


def sticker_filename(location: Location | None = None) -> str:
    """``survey-sticker-GZ-101.pdf``, or ``survey-stickers.pdf`` for a sheet: ASCII only."""
    if location is None:
        return "survey-stickers.pdf"
    return f"survey-sticker-{re.sub(r'[^A-Za-z0-9._-]+', '-', location.code)}.pdf"
