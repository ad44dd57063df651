"""Browser tests: the system Chromium, driven by Playwright, against pytest-django's live server.

Nothing is downloaded: Playwright is pointed at /usr/bin/chromium (never `playwright install`).
Each test runs on a 10" tablet held both ways, 1280×800 landscape and 800×1280 portrait.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from journeys.models import Framework
from tests.conftest import Chain
from tests.factories import PASSWORD, LocationFactory, complete_framework

CHROMIUM = Path("/usr/bin/chromium")
# Generous waits: CI shares two CPUs between pytest, the live server and Chromium, and a wait
# that runs out on a busy moment says nothing about the page. A page that never shows what is
# expected still fails, only later.
expect.set_options(timeout=10_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"landscape": {"width": 1280, "height": 800}, "portrait": {"width": 800, "height": 1280}}
SCREENSHOTS = Path("/tmp")
NO_CHROMIUM = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium); it is not installed"


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    """Collect what the Content-Security-Policy refused in any page of the context: Chromium reports
    each refusal (an inline script or style, a source not allowed) as a console error."""

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", note)


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright_loop() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in the test thread, and Django then
    refuses ORM calls there (factories, the database flush between tests). The calls are in
    fact synchronous, so tell Django so, for the browser tests only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, with the system Chromium and no network chatter."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@dataclass
class Tablet:
    """A page on a tablet-sized screen, with the live server's address and a screenshot helper."""

    page: Page
    base_url: str
    orientation: str

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def shot(self, name: str) -> Path:
        path = SCREENSHOTS / f"e2e-{self.orientation}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, user: Any) -> None:
        """Sign in the way a person does: the form, not a forged session."""
        self.open("/accounts/login/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Welcome")


@pytest.fixture(params=list(TABLET))
def tablet(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Tablet]:
    """A fresh browser context (no cookies) on a touch screen of the orientation under test."""
    context = browser.new_context(viewport=TABLET[request.param], has_touch=True, locale="en-US")
    context.set_default_timeout(20_000)
    violations: list[str] = []
    watch_csp(context, violations)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield Tablet(page=page, base_url=live_server.url, orientation=request.param)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def framework(chain: Chain) -> Framework:
    """Brand A's framework, the one the viewer shows."""
    return complete_framework(brand=chain.brand, name="Aurora store standard")


@pytest.fixture
def busy_chain(chain: Chain) -> Chain:
    """The shared chain plus enough outlets for a list that looks like a real one."""
    cities = [
        ("Beijing", 1, chain.north, None),
        ("Tianjin", 2, chain.north, chain.f2),
        ("Harbin", 2, chain.north_east, chain.f2),
        ("Dalian", 3, chain.north_east, chain.f2),
        ("Shenzhen", 1, chain.south, None),
        ("Foshan", 2, chain.south, chain.f1),
        ("Zhuhai", 3, chain.south, chain.f1),
        ("Shantou", 4, chain.south, chain.f1),
    ]
    for n, (city, tier, region, franchisee) in enumerate(cities):
        LocationFactory(
            brand=chain.brand,
            code=f"{city[:2].upper()}-{300 + n}",
            name=f"{city} {'Authorized Dealer' if franchisee else 'Experience Store'}",
            city=city,
            city_tier=tier,
            region=region,
            franchisee=franchisee,
            address=f"{100 + n} {city} Road, {city}",
            latitude=Decimal("30.0") + n,
            longitude=Decimal("115.0") + n,
        )
    return chain


@pytest.fixture
def field_tablet(browser: Browser, live_server: Any) -> Iterator[Any]:
    """Tablets in the field: ``field_tablet("portrait", position=(lat, lon))`` opens a fresh context
    at that orientation whose geolocation is granted and set to the position (none: refused).

    JavaScript errors in any of its pages fail the test, as with ``tablet``.
    """
    contexts = []
    errors: list[str] = []
    violations: list[str] = []

    def make(orientation: str = "landscape", position: tuple[float, float] | None = None) -> Tablet:
        options: dict[str, Any] = {"viewport": TABLET[orientation], "has_touch": True, "locale": "en-US"}
        if position is not None:
            options["permissions"] = ["geolocation"]
            options["geolocation"] = {"latitude": position[0], "longitude": position[1], "accuracy": 15}
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        watch_csp(context, violations)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return Tablet(page=page, base_url=live_server.url, orientation=orientation)

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"
