"""The in-store survey (cx_audit/voice/survey*.py, sticker.py): the signed link, the customer's page
in both languages, stuffing refused (one answer per device per day, no cookie, rates), HQ's link
pages for every role, and the sticker PDF with a QR code that is really the survey's address."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import time
from datetime import timedelta
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cx_audit.core import throttles
from cx_audit.voice import services, survey_pages
from cx_audit.voice.choices import FeedbackChannel, FeedbackSource
from cx_audit.voice.models import Feedback, SurveyLink
from cx_audit.voice.sticker import qr_code
from cx_audit.voice.survey import (
    DEVICE_COOKIE,
    link_for_token,
    survey_link_issue,
    survey_link_revoke,
    survey_token,
    token_payload,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NO_LINK = "此问卷链接无效"


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Rates count in fixed windows: the limits' clock stands still mid-window during a test."""
    standing = (time.time() // 86400) * 86400 + 30
    monkeypatch.setattr(throttles, "clock", lambda: standing)


@pytest.fixture
def admin(role_users):
    return role_users["hq_admin"]


@pytest.fixture
def link(chain, admin) -> SurveyLink:
    return survey_link_issue(location=chain.f1_south, user=admin)


def url_of(link: SurveyLink) -> str:
    return reverse("survey:form", args=[survey_token(link)])


def answer(client: Client, url: str, **data: Any):
    """Open the survey (the page gives the browser its device id), then send ``data``."""
    assert client.get(url).status_code == 200
    return client.post(url, data)


def page_of(response) -> str:
    """The body with the page's own address taken out (the language switch links to it)."""
    return response.content.decode().replace(response.wsgi_request.path, "/s/…/")


def rates(settings, **changed: str) -> None:
    framework = dict(settings.REST_FRAMEWORK)
    framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **changed}
    settings.REST_FRAMEWORK = framework


class TokenTests:
    def test_round_trip(self, link):
        token = survey_token(link)
        assert token_payload(token) == (link.location_id, link.version)
        assert link_for_token(token) == link
        assert token.count(".") == 2
        assert len(token) < 80

    def test_tampered_revoked_and_superseded_links_answer_like_one_never_made(
        self, client, link, admin, chain
    ):
        token = survey_token(link)
        location, version, signature = token.split(".")
        never = client.get(reverse("survey:form", args=["1.1.not-a-signature"]), HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert never.status_code == 404
        assert NO_LINK in never.content.decode()
        forged = [
            f"{chain.f2_north_east.pk}.{version}.{signature}",  # another store under this signature
            f"{location}.{version}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
            f"{location}.{int(version) + 1}.{signature}",
            "x" * 500,
        ]
        for bad in forged:
            response = client.get(reverse("survey:form", args=[bad]), HTTP_ACCEPT_LANGUAGE="zh-CN")
            assert (response.status_code, page_of(response)) == (404, page_of(never)), bad

        renewed = survey_link_issue(location=chain.f1_south, user=admin)
        assert renewed.version == 2
        old_sticker = client.get(url_of(link), HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert page_of(old_sticker) == page_of(never)
        assert client.get(url_of(renewed)).status_code == 200  # new sticker

        survey_link_revoke(link=renewed, user=admin)
        revoked = client.get(url_of(renewed), HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert (revoked.status_code, page_of(revoked)) == (404, page_of(never))
        assert client.post(url_of(renewed), {"nps": 9}).status_code == 404
        reissued = survey_link_issue(location=chain.f1_south, user=admin)
        assert (reissued.version, reissued.active) == (3, True)
        assert client.get(url_of(renewed)).status_code == 404  # revoked stays dead after re-issue


class AnswerTests:
    def test_an_answer_is_stored_as_survey_feedback_with_the_comment_masked(self, client, link, chain):
        url = url_of(link)
        page = client.get(url)
        cookie = page.cookies[DEVICE_COOKIE]
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/s/"
        assert ":" in cookie.value  # signed
        assert page["Cache-Control"] == "private, no-store"
        response = client.post(
            url, {"nps": 3, "csat": 2, "effort": 6, "comment": "Staff rude. Call me on 13812345678 or a@b.cn"}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("survey:thanks", args=[survey_token(link)]))
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200
        assert "Thank you!" in thanks.content.decode()

        stored = Feedback.objects.get()
        assert (stored.location, stored.brand, stored.franchisee) == (chain.f1_south, chain.brand, chain.f1)
        assert (stored.channel, stored.source) == (FeedbackChannel.IN_STORE_SURVEY, FeedbackSource.SURVEY)
        assert (stored.nps, stored.csat, stored.effort) == (3, 2, 6)
        assert stored.external_id.startswith("survey:")
        assert len(stored.external_id) == 71
        assert "13812345678" not in stored.comment
        assert "a@b.cn" not in stored.comment
        assert stored.comment.startswith("Staff rude.")
        assert stored.customer_hash == ""

    def test_one_answer_per_device_per_day(self, client, link, monkeypatch):
        url = url_of(link)
        assert answer(client, url, nps=9).status_code == 302
        again = answer(client, url, nps=0, comment="second try")
        assert again.status_code == 409
        assert "You already told us today" in again.content.decode()
        assert Feedback.objects.count() == 1
        assert Feedback.objects.get().nps == 9

        assert answer(Client(), url, nps=7).status_code == 302  # another phone
        assert Feedback.objects.count() == 2

        tomorrow = timezone.now() + timedelta(days=1)
        monkeypatch.setattr(survey_pages, "clock", lambda: tomorrow)
        assert answer(client, url, csat=4).status_code == 302  # the first phone, the next day
        assert Feedback.objects.count() == 3
        assert answer(client, url, csat=5).status_code == 409

    def test_a_racing_second_answer_is_refused_by_the_database(self, client, link, monkeypatch):
        """Two answers from one phone at once: the second did not see the first when it looked, so
        the unique external id stops it at the insert; the ingest retries and finds it there."""
        url = url_of(link)
        assert answer(client, url, nps=9).status_code == 302
        looked = services._existing_ids
        blind = iter([True])
        monkeypatch.setattr(
            services, "_existing_ids", lambda *args: set() if next(blind, False) else looked(*args)
        )
        assert answer(client, url, nps=1).status_code == 409
        assert next(blind, "used") == "used"  # the blind look did happen
        assert list(Feedback.objects.values_list("nps", flat=True)) == [9]

    def test_an_answer_without_the_device_cookie_is_refused(self, link):
        response = Client().post(url_of(link), {"nps": 10}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "Please open the survey again" in response.content.decode()
        assert not Feedback.objects.exists()

    def test_csrf_is_checked_for_the_anonymous_form(self, link):
        client = Client(enforce_csrf_checks=True)
        url = url_of(link)
        client.get(url)
        assert client.post(url, {"nps": 8}).status_code == 403
        token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
        assert client.post(url, {"nps": 8, "csrfmiddlewaretoken": token}).status_code == 302
        assert Feedback.objects.count() == 1

    def test_answers_are_held_to_a_rate_per_location_and_per_address(self, settings, link, chain, admin):
        rates(settings, **{"survey-location": "2/hour", "survey-answer": "3/hour"})
        url = url_of(link)
        statuses = [answer(Client(), url, nps=9).status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
        refused = answer(Client(), url, nps=9)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "Too many answers right now" in refused.content.decode()
        assert Feedback.objects.count() == 2

        other = survey_link_issue(location=chain.f1_tier3, user=admin)  # same address, another store
        statuses = [answer(Client(), url_of(other), nps=9).status_code for _ in range(4)]
        assert statuses == [302, 302, 429, 429]  # its own location rate, then the address's 3 an hour

    def test_validation_errors_speak_the_visitors_language(self, client, link):
        url = url_of(link)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
        html = page.content.decode()
        assert '<html lang="zh-hans">' in html
        assert "告诉我们您的体验" in html
        assert "?lang=en" in html  # the switch to English

        empty = client.post(url, {"lang": "zh-hans", "comment": "   "})
        assert empty.status_code == 400
        assert "请至少回答一个问题或写下您的意见。" in empty.content.decode()
        long = client.post(url, {"lang": "zh-hans", "nps": 11, "comment": "好" * 1001}).content.decode()
        assert "确保该变量包含不超过 1000 字符" in long
        assert "选择一个有效的选项" in long
        assert "请至少回答一个问题" not in long  # a bad value is not also called "empty"

        english = client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
        assert '<html lang="en">' in english
        assert "Tell us how we did" in english
        refused = client.post(url, {"lang": "en"}).content.decode()
        assert "Please answer at least one question or write a comment." in refused
        assert not Feedback.objects.exists()

    def test_the_compiled_catalogue_is_the_committed_po(self, tmp_path):
        """The .mo is committed (a machine without gettext still speaks Chinese): it must be the .po's."""
        if shutil.which("msgfmt") is None:
            pytest.skip("gettext's msgfmt is not installed")
        folder = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
        fresh = tmp_path / "django.mo"
        subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(folder / "django.po")], check=True)
        with open(fresh, "rb") as new, open(folder / "django.mo", "rb") as committed:
            assert gettext.GNUTranslations(new)._catalog == gettext.GNUTranslations(committed)._catalog


# --- HQ's pages ----------------------------------------------------------------------------------


class HqPageTests:
    def test_the_list_for_every_role(self, client_for, role_users, chain, link):
        listing = reverse("voice:surveys")
        admin_page = client_for(role_users["hq_admin"]).get(listing).content.decode()
        for location in (chain.direct_north, chain.f1_south, chain.f2_north_east, chain.f1_tier3):
            assert f">{location.code}<" in admin_page
        assert chain.other.code not in admin_page
        assert "active · version 1" in admin_page
        assert "no link yet" in admin_page
        assert admin_page.count(">Revoke<") == 1
        assert admin_page.count(">Issue a link<") == 3

        analyst_page = client_for(role_users["hq_analyst"]).get(listing).content.decode()
        assert ">GZ-101<" in analyst_page
        assert "Sticker (PDF)" in analyst_page
        assert "Revoke" not in analyst_page
        assert "Issue" not in analyst_page

        other_page = client_for(role_users["other_admin"]).get(listing).content.decode()
        assert chain.other.code in other_page
        assert "GZ-101" not in other_page
        for role in ("auditor", "franchisee", "outsider"):
            assert client_for(role_users[role]).get(listing).status_code == 404, role
        anonymous = client_for().get(listing)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("login"))

        south = client_for(role_users["hq_admin"]).get(listing, {"region": chain.south.pk}).content.decode()
        assert ">GZ-101<" in south
        assert ">BJ-001<" not in south

    def test_issue_and_revoke_are_hq_admin_posts(self, client_for, role_users, chain, link):
        issue = reverse("voice:survey_issue", args=[chain.f1_south.pk])
        revoke = reverse("voice:survey_revoke", args=[chain.f1_south.pk])
        for role, status in (
            ("hq_analyst", 403),
            ("auditor", 404),
            ("franchisee", 404),
            ("other_admin", 404),
        ):
            client = client_for(role_users[role])
            assert (client.post(issue).status_code, client.post(revoke).status_code) == (status, status), role
        assert client_for().post(revoke).status_code == 302  # to the login
        link.refresh_from_db()
        assert (link.version, link.active) == (1, True)

        admin = client_for(role_users["hq_admin"])
        assert admin.get(revoke).status_code == 405
        assert admin.post(revoke, {"next": "https://evil.example/"})["Location"] == reverse("voice:surveys")
        link.refresh_from_db()
        assert not link.active
        assert link.revoked_at is not None
        back = admin.post(issue, {"next": reverse("voice:surveys") + "?region=1"})
        assert back["Location"] == reverse("voice:surveys") + "?region=1"
        link.refresh_from_db()
        assert (link.version, link.active, link.revoked_at) == (2, True, None)

        made = admin.post(reverse("voice:survey_ensure") + f"?region={chain.south.pk}")
        assert made.status_code == 302
        assert set(SurveyLink.objects.values_list("location__code", flat=True)) == {"GZ-101", "LY-102"}

    def test_stickers_are_hq_reading(self, client_for, role_users, chain, link):
        sticker = reverse("voice:survey_sticker", args=[chain.f1_south.pk])
        sheet = reverse("voice:survey_stickers")
        for role in ("auditor", "franchisee", "other_admin", "outsider"):
            client = client_for(role_users[role])
            assert client.get(sticker).status_code == 404, role
            assert client.get(sheet).status_code in (302, 404), role
        assert client_for(role_users["auditor"]).get(sheet).status_code == 404
        no_link = reverse("voice:survey_sticker", args=[chain.direct_north.pk])
        assert client_for(role_users["hq_admin"]).get(no_link).status_code == 404
        assert client_for().get(sticker)["Location"].startswith(reverse("login"))


# --- The sticker ---------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sticker.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pdf_pages(content: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _runs(row: bytes) -> list[tuple[bool, int, int]]:
    """(dark, start, length) runs of one row of grey pixels."""
    runs, x = [], 0
    for dark, group in groupby(value < 128 for value in row):
        length = len(list(group))
        runs.append((dark, x, length))
        x += length
    return runs


def _finders(runs: list[tuple[bool, int, int]], min_unit: float) -> list[tuple[int, int]]:
    """(start, end) of each dark-light-dark-light-dark run of ratio 1:1:3:1:1 (a QR finder's middle)."""
    found = []
    for i in range(len(runs) - 4):
        five = runs[i : i + 5]
        if not five[0][0]:
            continue
        unit = sum(length for _d, _x, length in five) / 7
        ratios = [length / unit for _d, _x, length in five]
        if unit >= min_unit and all(
            abs(r - e) < 0.5 * e for r, e in zip(ratios, (1, 1, 3, 1, 1), strict=True)
        ):
            found.append((five[0][1], five[4][1] + five[4][2]))
    return found


def read_qr_modules(png: Path, size: int) -> list[list[bool]]:
    """The dark modules of the first QR code of ``size`` × ``size`` modules on a rendered page: find
    the top finder patterns' row, measure the symbol's width between them, sample module centres."""
    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.tobytes()
    row = lambda y: pixels[y * width : (y + 1) * width]  # noqa: E731
    for y in range(height):
        finders = _finders(_runs(row(y)), min_unit=6)
        if len(finders) >= 2:
            break
    else:
        raise AssertionError("no QR code found on the page")
    left, right = finders[0][0], finders[-1][1]
    module = (right - left) / size
    top = y
    while top > 0 and row(top - 1)[left + int(module / 2)] < 128:
        top -= 1
    return [
        [row(int(top + (r + 0.5) * module))[int(left + (c + 0.5) * module)] < 128 for c in range(size)]
        for r in range(size)
    ]


def assert_qr_encodes(content: bytes, url: str, tmp_path: Path) -> None:
    """The PDF's first page shows the QR code of ``url``, module for module (re-encoded with segno,
    which is what a scanner would read back: no QR decoder is installed here)."""
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    expected = [[bool(cell) for cell in line] for line in qr_code(url).matrix]
    seen = read_qr_modules(next(tmp_path.glob("page*.png")), len(expected))
    assert seen == expected


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
class StickerTests:
    def test_a_locations_sticker_carries_its_code_and_a_qr_code_of_its_survey(
        self, client_for, admin, chain, link, tmp_path
    ):
        response = client_for(admin).get(reverse("voice:survey_sticker", args=[chain.f1_south.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="survey-sticker-GZ-101.pdf"'
        assert response.content.startswith(b"%PDF")
        text = pdf_text(response.content, tmp_path)
        url = "http://testserver" + url_of(link)
        assert "GZ-101" in text
        assert "Guangzhou Dealer" in text
        assert "告诉我们您的体验" in text
        assert "Tell us how we did" in text
        # The printed address wraps; pdftotext joins the lines and, where one ends in the token's "-",
        # takes that for a hyphenation and drops it: compare without hyphens (the QR code is exact).
        assert url.replace("-", "") in text.replace("\n", "").replace("-", "")
        assert_qr_encodes(response.content, url, tmp_path)

    def test_the_sheet_prints_the_filtered_locations_with_active_links(
        self, client_for, admin, chain, link, tmp_path
    ):
        client = client_for(admin)
        survey_link_issue(location=chain.f1_tier3, user=admin)
        revoked = survey_link_issue(location=chain.direct_north, user=admin)
        survey_link_revoke(link=revoked, user=admin)
        response = client.get(reverse("voice:survey_stickers"), {"region": chain.south.pk})
        assert response.status_code == 200
        text = pdf_text(response.content, tmp_path)
        assert "GZ-101" in text
        assert "LY-102" in text
        assert "BJ-001" not in text
        assert pdf_pages(response.content, tmp_path) == 1  # two stickers on one A4 sheet
        nothing = client.get(reverse("voice:survey_stickers"), {"region": chain.north.pk})
        assert nothing.status_code == 302  # back to the list, which says why
