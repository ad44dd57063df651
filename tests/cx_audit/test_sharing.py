"""Share links: HQ admins send a scorecard by a link that works without signing in, expires and can
be revoked; anything else about a link is a 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cx_audit.scorecards.models import ShareLink
from cx_audit.scorecards.sharing import share_link_create, share_link_open, share_link_revoke, token_hash
from tests.cx_audit.scorecard_helpers import (
    CHINESE_ITEM,
    audit_at,
    failing_answers,
    photo_of,
    scorecard_framework,
)

pytestmark = pytest.mark.django_db


def expire(link: ShareLink) -> None:
    """As if the link had been made 8 days ago for 7 days."""
    now = timezone.now()
    ShareLink.objects.filter(pk=link.pk).update(
        created_at=now - timedelta(days=8), expires_at=now - timedelta(days=1)
    )


@pytest.fixture
def audit(chain, role_users):
    scorecard_framework(chain.brand)
    return audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), photo=True)


@pytest.fixture
def link(audit, chain, role_users):
    return share_link_create(location=chain.f1_south, user=role_users["hq_admin"], days=7, note="owner")


class ShareLinkServiceTests:
    def test_only_the_hash_is_stored(self, link):
        stored = ShareLink.objects.get()
        assert stored.token_hash == token_hash(link.token) != link.token
        assert len(link.token) >= 43  # 32 random bytes
        assert link.token not in str(ShareLink.objects.values().get())

    def test_expiry_is_1_to_90_days(self, chain, role_users):
        for days in (0, 91, -1):
            with pytest.raises(ValidationError) as error:
                share_link_create(location=chain.f1_south, user=role_users["hq_admin"], days=days)
            assert "days" in error.value.message_dict

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee", "other_admin"])
    def test_only_hq_admins_of_the_brand_share(self, chain, role_users, role, link):
        with pytest.raises(PermissionDenied):
            share_link_create(location=chain.f1_south, user=role_users[role])
        with pytest.raises(PermissionDenied):
            share_link_revoke(link=link.link, user=role_users[role])

    def test_expired_revoked_and_unknown_tokens_open_nothing(self, link, role_users):
        assert share_link_open(link.token) == link.link
        assert share_link_open(link.token[:-1]) is None
        assert share_link_open("") is None
        assert share_link_open("x" * 500) is None
        expire(link.link)
        assert share_link_open(link.token) is None
        ShareLink.objects.filter(pk=link.link.pk).update(expires_at=timezone.now() + timedelta(days=1))
        share_link_revoke(link=link.link, user=role_users["hq_admin"])
        share_link_revoke(link=link.link, user=role_users["hq_admin"])  # twice: no harm
        assert share_link_open(link.token) is None


class SharedPagesTests:
    def test_the_link_opens_a_read_only_scorecard_without_sign_in(self, client, link, chain, audit):
        response = client.get(f"/share/{link.token}/")
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        html = response.content.decode()
        assert "Guangzhou Dealer" in html
        assert CHINESE_ITEM in html
        assert 'data-score="50.00"' in html
        assert "<form" not in html.split('id="main"')[1]  # nothing to dispute, share or sign out
        assert "/api/evidence/" not in html  # photos through the link, not the signed-in URL
        photo = photo_of(audit)
        assert f'src="/share/{link.token}/photos/{photo.pk}/"' in html
        assert client.get(f"/share/{link.token}/photos/{photo.pk}/").status_code == 200
        pdf = client.get(f"/share/{link.token}/pdf/")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert ShareLink.objects.get().opened_count == 2  # page and PDF; photos do not count

    def test_after_expiry_or_revocation_everything_is_404(self, client, link, audit, client_for, role_users):
        photo = photo_of(audit)
        urls = [
            f"/share/{link.token}/",
            f"/share/{link.token}/pdf/",
            f"/share/{link.token}/photos/{photo.pk}/",
        ]
        expire(link.link)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        ShareLink.objects.filter(pk=link.link.pk).update(expires_at=timezone.now() + timedelta(days=1))
        assert client.get(urls[0]).status_code == 200
        admin = client_for(role_users["hq_admin"])
        assert admin.post(f"/scorecards/share-links/{link.link.pk}/revoke/").status_code == 302
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]

    def test_a_link_shows_no_other_photo_and_no_other_location(self, client, link, chain, role_users):
        other = audit_at(
            chain.f2_north_east, role_users["hq_admin"], failing_answers(chain.f2_north_east), photo=True
        )
        assert client.get(f"/share/{link.token}/photos/{photo_of(other).pk}/").status_code == 404
        older_photo_audit = audit_at(
            chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), days_ago=30, photo=True
        )
        assert client.get(f"/share/{link.token}/photos/{photo_of(older_photo_audit).pk}/").status_code == 404
        assert client.get(f"/share/{link.token}/").content.decode().count("Shenyang") == 0

    def test_hq_admin_creates_a_link_on_the_page_and_sees_it_once(self, client_for, chain, role_users, audit):
        admin = client_for(role_users["hq_admin"])
        page = f"/scorecards/{chain.f1_south.pk}/"
        refused = admin.post(f"{page}share-links/", {"days": "200"})
        assert refused.status_code == 400
        assert "Ensure this value is less than or equal to 90" in refused.content.decode()
        made = admin.post(f"{page}share-links/", {"days": "7", "note": "for the owner"})
        assert made.status_code == 200
        url = re.search(
            r'id="new-link" type="text" readonly value="(http://testserver/share/[^"]+/)"',
            made.content.decode(),
        )[1]
        assert "new-link" not in admin.get(page).content.decode()  # shown once
        assert "for the owner" in admin.get(page).content.decode()
        assert client_for().get(url.removeprefix("http://testserver")).status_code == 200


class ShareLinkAPITests:
    def test_create_list_revoke(self, api, chain, role_users, audit):
        admin = api(role_users["hq_admin"])
        created = admin.post("/api/share-links/", {"location": chain.f1_south.pk, "days": 3}, format="json")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["state"] == "active"
        assert body["url"].startswith("http://testserver/share/")
        listed = admin.get("/api/share-links/").json()["results"]
        assert [row["id"] for row in listed] == [body["id"]]
        assert "url" not in listed[0]
        assert api(role_users["hq_analyst"]).get(f"/api/share-links/{body['id']}/").status_code == 200
        assert api(role_users["hq_analyst"]).post(f"/api/share-links/{body['id']}/revoke/").status_code == 403
        revoked = admin.post(f"/api/share-links/{body['id']}/revoke/")
        assert revoked.status_code == 200
        assert revoked.json()["state"] == "revoked"
        assert api().get(body["url"].removeprefix("http://testserver")).status_code == 404

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({}, "location"),
            ({"location": "x"}, "location"),
            ({"location": 1, "days": 0}, "days"),
            ({"location": 1, "days": "many"}, "days"),
        ],
    )
    def test_bad_input_names_the_field(self, api, role_users, chain, payload, field):
        response = api(role_users["hq_admin"]).post("/api/share-links/", payload, format="json")
        assert response.status_code == 400
        assert field in response.json()
