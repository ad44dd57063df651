"""The brand's logo on the scorecard page and a shared scorecard, from the same card data as the
PDF: served re-encoded as PNG, only to those who belong to the brand or hold a live share link."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cx_audit.scorecards.sharing import share_link_create, share_link_revoke
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, scorecard_framework

pytestmark = pytest.mark.django_db
LOGO = re.compile(r'<img class="brand-logo" src="([^"]+)" alt="([^"]+)">')


@pytest.fixture
def with_logo(chain, role_users):
    scorecard_framework(chain.brand)
    chain.brand.logo.save("aurora.png", ContentFile(png_bytes((120, 40), "green")), save=True)
    audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
    return chain.brand


def logo_on(html: str) -> tuple[str, str]:
    found = LOGO.search(html)
    assert found, "no brand logo on the page"
    return found[1], found[2]


class ScorecardPageLogoTests:
    @pytest.mark.parametrize("role", ["franchisee", "hq_admin", "hq_analyst"])
    def test_the_page_shows_the_logo_with_alt_text_to_each_role(
        self, client_for, chain, role_users, with_logo, role
    ):
        client = client_for(role_users[role])
        src, alt = logo_on(client.get(f"/scorecards/{chain.f1_south.pk}/").content.decode())
        assert alt == "Aurora logo"
        assert re.fullmatch(rf"/scorecards/brands/{with_logo.pk}/logo/\?v=[0-9a-f]{{12}}", src)
        image = client.get(src)
        assert image.status_code == 200
        assert image["Content-Type"] == "image/png"
        assert image.content.startswith(b"\x89PNG")
        assert image["X-Content-Type-Options"] == "nosniff"
        assert image["Cache-Control"] == "private, max-age=86400"

    def test_a_new_logo_gets_a_new_address(self, client_for, chain, role_users, with_logo):
        client = client_for(role_users["franchisee"])
        before, _alt = logo_on(client.get(f"/scorecards/{chain.f1_south.pk}/").content.decode())
        with_logo.logo.save("aurora-2027.png", ContentFile(png_bytes((90, 30), "red")), save=True)
        after, _alt = logo_on(client.get(f"/scorecards/{chain.f1_south.pk}/").content.decode())
        assert before != after

    def test_no_logo_no_image(self, client_for, chain, role_users):
        scorecard_framework(chain.brand)
        client = client_for(role_users["franchisee"])
        assert 'class="brand-logo"' not in client.get(f"/scorecards/{chain.f1_south.pk}/").content.decode()
        assert client.get(f"/scorecards/brands/{chain.brand.pk}/logo/").status_code == 404

    def test_only_members_of_the_brand_get_its_logo(self, client, client_for, chain, role_users, with_logo):
        url = f"/scorecards/brands/{with_logo.pk}/logo/"
        for role in ("other_admin", "outsider"):
            assert client_for(role_users[role]).get(url).status_code == 404, role
        assert client.get(url).status_code == 302  # to sign in

    def test_a_logo_missing_from_storage_is_a_404_not_an_error(
        self, client_for, chain, role_users, with_logo
    ):
        default_storage.delete(with_logo.logo.name)
        response = client_for(role_users["franchisee"]).get(f"/scorecards/brands/{with_logo.pk}/logo/")
        assert response.status_code == 404

    def test_the_api_gives_the_same_address(self, api, chain, role_users, with_logo, client_for):
        body = api(role_users["franchisee"]).get(f"/api/scorecards/{chain.f1_south.pk}/").json()
        html = client_for(role_users["franchisee"]).get(f"/scorecards/{chain.f1_south.pk}/").content.decode()
        assert body["logo_url"] == logo_on(html)[0]


class SharedLogoTests:
    def test_a_share_link_shows_the_logo_until_it_is_revoked(self, client, chain, role_users, with_logo):
        created = share_link_create(location=chain.f1_south, user=role_users["hq_admin"])
        src, alt = logo_on(client.get(f"/share/{created.token}/").content.decode())
        assert alt == "Aurora logo"
        assert src.startswith(f"/share/{created.token}/logo/?v=")
        image = client.get(src)
        assert image.status_code == 200
        assert image.content.startswith(b"\x89PNG")
        assert image["Cache-Control"] == "private, no-store"
        share_link_revoke(link=created.link, user=role_users["hq_admin"])
        assert client.get(src).status_code == 404
