"""The in-store survey on a customer's phone (390 × 844): a Chinese phone scans the sticker, answers
with its thumb, is thanked, and is refused a second answer the same day; an English phone without
JavaScript answers with the keyboard after switching the page to Chinese and back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cx_audit.core.choices import Role
from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.models import Feedback
from cx_audit.voice.survey import survey_link_issue, survey_token
from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Any]:
    """``phone(locale, javascript=True)``: a fresh phone-sized touch context; CSP violations and
    script errors in any of its pages fail the test."""
    contexts: list[BrowserContext] = []
    violations: list[str] = []
    errors: list[str] = []

    def make(locale: str, javascript: bool = True) -> Page:
        context = browser.new_context(
            viewport=PHONE, has_touch=True, is_mobile=True, locale=locale, java_script_enabled=javascript
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        watch_csp(context, violations)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def survey_url(chain: Any, user_in: Any, live_server: Any) -> str:
    link = survey_link_issue(location=chain.f1_south, user=user_in(chain.brand, Role.HQ_ADMIN))
    return f"{live_server.url}/s/{survey_token(link)}/"


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_chinese_phone_answers_once_a_day(phone: Any, survey_url: str, chain: Any) -> None:
    page = phone("zh-CN")
    page.goto(survey_url)
    expect(page.locator("html[lang^=zh]")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("告诉我们您的体验")
    expect(page.get_by_text("Guangzhou Dealer")).to_be_visible()
    fits_the_phone(page)

    nps = page.get_by_role("group", name=re.compile("推荐"))
    nps.get_by_role("radio", name="9", exact=True).tap()
    expect(nps.get_by_role("radio", name="9", exact=True)).to_be_checked()
    csat = page.get_by_role("group", name=re.compile("满意"))
    csat.get_by_role("radio", name="5", exact=True).tap()
    expect(csat.get_by_role("radio", name="5", exact=True)).to_be_checked()
    page.get_by_label(re.compile("还有什么想告诉我们")).fill("店员很热情，讲解很专业。")
    page.screenshot(path="/tmp/e2e-phone-survey.png", full_page=True)
    page.get_by_role("button", name="提交").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("谢谢您！")
    fits_the_phone(page)

    page.goto(survey_url)
    page.get_by_role("group", name=re.compile("推荐")).get_by_role("radio", name="10", exact=True).tap()
    page.get_by_role("button", name="提交").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("您今天已经评价过了，谢谢您")
    fits_the_phone(page)

    stored = Feedback.objects.get()
    assert (stored.location_id, stored.source, stored.nps, stored.csat) == (
        chain.f1_south.pk,
        FeedbackSource.SURVEY,
        9,
        5,
    )


def test_without_javascript_by_keyboard_and_in_either_language(phone: Any, survey_url: str) -> None:
    page = phone("en-US", javascript=False)
    page.goto(survey_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us how we did")
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("告诉我们您的体验")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Send").click()  # nothing answered yet
    expect(page.get_by_role("alert")).to_contain_text(
        "Please answer at least one question or write a comment."
    )
    nps = page.get_by_role("group", name=re.compile("recommend"))
    nps.get_by_role("radio", name="0", exact=True).focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")  # a radio group moves its choice with the arrows
    expect(nps.get_by_role("radio", name="7", exact=True)).to_be_checked()
    fits_the_phone(page)
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    assert Feedback.objects.get().nps == 7
