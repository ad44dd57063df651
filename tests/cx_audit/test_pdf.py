"""PDF scorecards, checked as a reader would: pages, the text on them, and a picture of page one.

pdftotext and pdftoppm come from poppler-utils (`make system-deps`). Page one of the scorecard is
left in /tmp/pdf-scorecard-page1.png for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from cx_audit.scorecards.data import scorecard_audits
from cx_audit.scorecards.pdf import PdfFiles, scorecard_pdf
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import (
    BAD_SIGN,
    CHINESE_ITEM,
    audit_at,
    failing_answers,
    passing_answers,
    photo_of,
    scorecard_framework,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (make system-deps)"),
]


ARTIFACT = Path("/tmp/pdf-scorecard-page1.png")


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


@pytest.fixture
def card_pdf(chain, role_users, client_for):
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    audit_at(chain.f1_south, admin, passing_answers(chain.f1_south), days_ago=60)
    audit = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)
    response = client_for(role_users["franchisee"]).get(f"/scorecards/{chain.f1_south.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="scorecard-GZ-101-')
    return response.content, audit


class PdfContentTests:
    def test_a4_pages_with_the_location_the_score_and_chinese_text(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        info = pdf_info(pdf, tmp_path)
        assert info["Pages"] in {"2", "3"}, info
        assert info["Page size"] == "595.276 x 841.89 pts (A4)"
        text = pdf_text(pdf, tmp_path)
        assert "Guangzhou Dealer" in text
        assert "50.00" in text
        assert CHINESE_ITEM in text  # 门头灯箱完好明亮, exactly
        assert "灯箱不亮 light box off" in text
        assert "forbidden term '体验店' found → fail" in text

    def test_brand_page_numbers_and_generated_line(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        pages = pdf_text(pdf, tmp_path).split("\f")
        count = int(pdf_info(pdf, tmp_path)["Pages"])
        for number, page in enumerate(pages[:count], start=1):
            assert f"Page {number} / {count}" in page
            assert "Aurora" in page
            assert "GZ-101 · Scorecard" in page
        assert "Generated " in pages[0]

    def test_the_chinese_font_is_embedded(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        path = tmp_path / "fonts.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = [line for line in fonts.splitlines()[2:] if line.strip()]
        assert any("WenQuanYi" in row for row in rows), fonts
        assert all(" yes " in row for row in rows), fonts  # every font embedded

    def test_the_photo_is_embedded_from_storage(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        path = tmp_path / "images.pdf"
        path.write_bytes(pdf)
        images = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert len(images.splitlines()) - 2 >= 1, images

    def test_page_one_as_a_picture(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        (tmp_path / "card.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(tmp_path / "card.pdf"),
                str(ARTIFACT.with_suffix("")),
            ],
            check=True,
        )
        with Image.open(ARTIFACT) as page:
            assert page.size == (497, 702)  # A4 at 60 dpi
            colours = page.convert("RGB").getcolors(maxcolors=1_000_000)
            assert len(colours) > 50  # text, charts and a photo, not a blank page


class PdfSafetyTests:
    def test_only_this_cards_files_and_never_the_network(self, chain, role_users):
        scorecard_framework(chain.brand)
        audit = audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), photo=True)
        files = PdfFiles()
        with pytest.raises(ValueError, match="not a photo of this scorecard"):
            files.read(f"evidence:{photo_of(audit).pk}")
        files.photo_url(photo_of(audit))
        content, kind = files.read(f"evidence:{photo_of(audit).pk}")
        assert kind == "image/jpeg"
        assert content[:2] == b"\xff\xd8"
        for url in ("http://127.0.0.1:9/x.png", "file:///etc/passwd", "brand-logo:logo", "evidence:abc"):
            with pytest.raises(ValueError, match=r"not a photo of this scorecard|fetch nothing from outside"):
                files.read(url)

    def test_brand_logo_and_colour(self, chain, role_users, tmp_path):
        scorecard_framework(chain.brand)
        chain.brand.colour = "#b3261e"
        chain.brand.logo.save("logo.png", ContentFile(png_bytes((120, 40), "green")), save=True)
        audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
        franchisee = role_users["franchisee"]
        pdf = scorecard_pdf(
            chain.f1_south, audits=scorecard_audits(franchisee), generated_for="First Partner"
        )
        path = tmp_path / "logo.pdf"
        path.write_bytes(pdf)
        images = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert any(" 120 " in line and " 40 " in line for line in images.splitlines()), images
        assert "for First Partner" in pdf_text(pdf, tmp_path)

    def test_a_location_without_audit_still_prints(self, chain, role_users, tmp_path):
        pdf = scorecard_pdf(chain.f1_tier3, audits=scorecard_audits(role_users["franchisee"]))
        text = pdf_text(pdf, tmp_path)
        assert "Luoyang Dealer" in text
        assert "No submitted audit yet" in text

    def test_what_the_sign_said_is_in_the_pdf(self, card_pdf, tmp_path):
        pdf, _ = card_pdf
        assert BAD_SIGN in " ".join(pdf_text(pdf, tmp_path).split())
