"""Finding 13 in the browser: pages work under the Content-Security-Policy, the API docs included.

Every browser test already fails on a CSP refusal (``watch_csp`` in tests/e2e/conftest.py); these
open the two pages whose inline script and style were moved out for it: Swagger UI at /api/docs/
(its start-up script now a file, its styles a stylesheet) and a scorecard with the brand's colour
(an SVG fill instead of a style attribute).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, NO_CHROMIUM, Tablet, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def test_api_docs_render_under_the_policy(tablet: Tablet, role_users: dict) -> None:
    tablet.sign_in(role_users["hq_analyst"])
    response = tablet.page.goto(tablet.base_url + "/api/docs/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(tablet.page.locator(".opblock-tag").first).to_be_visible()
    expect(tablet.page.get_by_role("button", name="GET /api/actions/").first).to_be_visible()


def test_signed_out_docs_send_to_sign_in(tablet: Tablet) -> None:
    tablet.open("/api/docs/")
    expect(tablet.page).to_have_url(f"{tablet.base_url}/accounts/login/?next=/api/docs/")


def test_scorecard_shows_the_brand_colour_without_inline_style(
    tablet: Tablet, chain: Any, role_users: dict
) -> None:
    chain.brand.colour = "#b3261e"
    chain.brand.save()
    tablet.sign_in(role_users["hq_admin"])
    tablet.open(f"/scorecards/{chain.f1_south.pk}/")
    bar = tablet.page.locator("h1.sc-title svg.sc-brand-bar rect")
    expect(bar).to_have_attribute("fill", "#b3261e")
    box = tablet.page.locator("svg.sc-brand-bar").bounding_box()
    assert box is not None
    assert box["height"] == 6
    assert box["width"] > 200


def test_the_watch_sees_a_refusal(browser: Any, live_server: Any) -> None:
    """The guard itself: a page whose inline style the policy refuses is reported."""
    context = browser.new_context()
    violations: list[str] = []
    watch_csp(context, violations)
    page = context.new_page()
    url = live_server.url + "/csp-probe/"
    headers = {"Content-Type": "text/html", "Content-Security-Policy": "style-src 'self'"}
    page.route(url, lambda route: route.fulfill(body='<p style="color: red">x</p>', headers=headers))
    page.goto(url)
    page.wait_for_timeout(200)
    context.close()
    assert violations
    assert "style" in violations[0]
