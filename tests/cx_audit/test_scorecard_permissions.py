"""Who reaches what of the scorecards: every role against every new page and endpoint, and above
all franchisee A against franchisee B — by id, by a guessed URL and by a filter, always a 404 (or,
for a filter, a refused filter and no data), never B's data."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from cx_audit.core.choices import Role
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import dispute_raise
from cx_audit.reports.models import ScorecardJob
from cx_audit.reports.services import scorecard_job_create
from cx_audit.scorecards.sharing import share_link_create
from locations.models import Location
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, photo_of, scorecard_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(chain, role_users, user_in):
    """F1's GZ-101 and F2's SY-201, each audited with a photo, disputed, shared and exported."""
    scorecard_framework(chain.brand)
    admin = role_users["hq_admin"]
    franchisee_b = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
    a_audit = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), photo=True)
    b_audit = audit_at(chain.f2_north_east, admin, failing_answers(chain.f2_north_east), photo=True)
    a_dispute = dispute_raise(audit=a_audit, user=role_users["franchisee"], item_code="SIG-01", note="A's")
    b_dispute = dispute_raise(
        audit=b_audit, user=franchisee_b, item_code="SIG-01", note="B's", photo=io.BytesIO(png_bytes())
    )
    b_link = share_link_create(location=chain.f2_north_east, user=admin).link
    b_job = scorecard_job_create(user=franchisee_b, franchisee=chain.f2)
    a_job = scorecard_job_create(user=role_users["franchisee"], franchisee=chain.f1)
    return SimpleNamespace(
        a=chain.f1_south,
        b=chain.f2_north_east,
        a_audit=a_audit,
        b_audit=b_audit,
        a_dispute=a_dispute,
        b_dispute=b_dispute,
        b_link=b_link,
        b_job=b_job,
        a_job=a_job,
        b_photo=photo_of(b_audit),
        a_photo=photo_of(a_audit),
        franchisee_b=franchisee_b,
    )


def b_urls(w) -> list[str]:
    """Every URL that shows or serves something of franchisee B."""
    return [
        f"/scorecards/{w.b.pk}/",
        f"/scorecards/{w.b.pk}/pdf/",
        f"/api/scorecards/{w.b.pk}/",
        f"/api/scorecards/{w.b.pk}/pdf/",
        f"/api/evidence/{w.b_photo.pk}/file/",
        f"/api/evidence/{w.b_photo.pk}/file/?size=display",
        f"/scorecards/disputes/{w.b_dispute.pk}/",
        f"/api/disputes/{w.b_dispute.pk}/",
        f"/api/disputes/{w.b_dispute.pk}/photo/",
        f"/api/scorecard-jobs/{w.b_job.pk}/",
        f"/api/scorecard-jobs/{w.b_job.pk}/download/",
        f"/scorecards/bulk/{w.b_job.pk}/",
        f"/api/share-links/{w.b_link.pk}/",
        f"/audits/{w.b_audit.pk}/",
    ]


class FranchiseeAgainstFranchiseeTests:
    def test_by_id_every_b_url_is_404_for_a(self, client_for, role_users, world):
        client = client_for(role_users["franchisee"])
        assert {url: client.get(url).status_code for url in b_urls(world)} == dict.fromkeys(
            b_urls(world), 404
        )

    def test_and_b_reaches_its_own(self, client_for, world):
        client = client_for(world.franchisee_b)
        own = [url for url in b_urls(world) if "share-links" not in url and "download" not in url]
        assert {url: client.get(url).status_code for url in own} == dict.fromkeys(own, 200)

    def test_by_guessed_urls_nothing_exists_beyond_what_a_sees(self, client_for, role_users, world):
        """Every id around the real ones (B's among them) is tried: only A's own answer."""
        client = client_for(role_users["franchisee"])
        own_locations = {world.a.pk, Location.objects.get(code="LY-102").pk}
        for template, own, foreign in [
            ("/scorecards/{}/", own_locations, world.b.pk),
            ("/api/scorecards/{}/pdf/", own_locations, world.b.pk),
            ("/api/disputes/{}/", {world.a_dispute.pk}, world.b_dispute.pk),
            ("/api/scorecard-jobs/{}/", {world.a_job.pk}, world.b_job.pk),
            ("/api/evidence/{}/file/", {world.a_photo.pk}, world.b_photo.pk),
        ]:
            ids = {*own, foreign}
            guesses = range(max(min(ids) - 3, 1), max(ids) + 4)
            reached = {guess for guess in guesses if client.get(template.format(guess)).status_code == 200}
            assert reached == own, template

    def test_by_filter_the_filter_is_refused_and_nothing_shown(
        self, api, client_for, role_users, world, table_rows
    ):
        client = api(role_users["franchisee"])
        for url, params, field in [
            ("/api/scorecards/", {"franchisee": world.b.franchisee_id}, "franchisee"),
            ("/api/disputes/", {"franchisee": world.b.franchisee_id}, "franchisee"),
            ("/api/disputes/", {"location": world.b.pk}, "location"),
            ("/api/share-links/", {"location": world.b.pk}, "location"),
        ]:
            response = client.get(url, params)
            assert response.status_code == 400, url
            assert field in response.json(), (url, response.json())
        page = client_for(role_users["franchisee"]).get("/scorecards/", {"franchisee": world.b.franchisee_id})
        assert "Select a valid choice" in page.content.decode()
        assert table_rows(page) == []
        disputes = client_for(role_users["franchisee"]).get("/scorecards/disputes/", {"location": world.b.pk})
        assert "Select a valid choice" in disputes.content.decode()
        assert table_rows(disputes) == []

    def test_lists_hold_only_as_own(self, api, role_users, world):
        client = api(role_users["franchisee"])
        codes = {row["location"]["code"] for row in client.get("/api/scorecards/").json()["results"]}
        assert codes == {"GZ-101", "LY-102"}
        assert [d["id"] for d in client.get("/api/disputes/").json()["results"]] == [world.a_dispute.pk]
        assert [j["id"] for j in client.get("/api/scorecard-jobs/").json()["results"]] == [world.a_job.pk]
        assert client.get("/api/share-links/").json()["results"] == []

    def test_b_ids_in_request_bodies_are_404_naming_the_field(self, api, client_for, role_users, world):
        client = api(role_users["franchisee"])
        for url, payload, field in [
            ("/api/share-links/", {"location": world.b.pk}, "location"),
            ("/api/scorecard-jobs/", {"franchisee": world.b.franchisee_id}, "franchisee"),
            ("/api/disputes/", {"audit": world.b_audit.pk, "item": "SIG-03", "note": "mine?"}, "audit"),
        ]:
            response = client.post(url, payload, format="json")
            assert response.status_code == 404, (url, response.content)
            assert field in response.json()
        pages = client_for(role_users["franchisee"])
        assert pages.post(f"/scorecards/{world.b.pk}/share-links/", {"days": 3}).status_code == 404
        assert (
            pages.post(f"/scorecards/{world.b.pk}/disputes/", {"item": "SIG-03", "note": "x"}).status_code
            == 404
        )
        assert (
            pages.post(f"/scorecards/disputes/{world.b_dispute.pk}/", {"decision": "reject"}).status_code
            == 404
        )
        assert pages.post(f"/scorecards/share-links/{world.b_link.pk}/revoke/").status_code == 404
        bulk = pages.post("/scorecards/bulk/", {"franchisee": world.b.franchisee_id})
        assert bulk.status_code == 400
        assert "Select a valid choice" in bulk.content.decode()
        assert Dispute.objects.count() == 2
        assert ScorecardJob.objects.count() == 2

    def test_a_cannot_act_on_its_own_scorecard_beyond_its_role(self, api, role_users, world):
        client = api(role_users["franchisee"])
        assert client.post("/api/share-links/", {"location": world.a.pk}, format="json").status_code == 403
        assert (
            client.post(f"/api/disputes/{world.a_dispute.pk}/accept/", {}, format="json").status_code == 403
        )
        assert (
            client.post(
                f"/api/disputes/{world.a_dispute.pk}/reject/", {"reason": "x"}, format="json"
            ).status_code
            == 403
        )


# Every role against every page and endpoint: what each may read (200) or not (404), and the writes.
READS = {
    # url template → roles that get 200; everyone else signed in gets 404 (lists: 200 for all)
    "/scorecards/{a}/": {"hq_admin", "hq_analyst", "franchisee"},
    "/scorecards/{a}/pdf/": {"hq_admin", "hq_analyst", "franchisee"},
    "/api/scorecards/{a}/": {"hq_admin", "hq_analyst", "franchisee"},
    "/api/scorecards/{a}/pdf/": {"hq_admin", "hq_analyst", "franchisee"},
    "/api/evidence/{a_photo}/file/": {"hq_admin", "hq_analyst", "franchisee"},
    "/scorecards/disputes/{a_dispute}/": {"hq_admin", "hq_analyst", "franchisee"},
    "/api/disputes/{a_dispute}/": {"hq_admin", "hq_analyst", "franchisee"},
    "/api/share-links/{b_link}/": {"hq_admin", "hq_analyst"},
    "/api/scorecard-jobs/{a_job}/": {"franchisee"},
    "/scorecards/bulk/{a_job}/": {"franchisee"},
}
LISTS = [
    "/scorecards/",
    "/scorecards/disputes/",
    "/scorecards/bulk/",
    "/api/scorecards/",
    "/api/disputes/",
    "/api/share-links/",
    "/api/scorecard-jobs/",
]
ROLES = ["hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin", "outsider"]


def fill(url: str, w) -> str:
    return url.format(
        a=w.a.pk, a_photo=w.a_photo.pk, a_dispute=w.a_dispute.pk, b_link=w.b_link.pk, a_job=w.a_job.pk
    )


class EveryRoleTests:
    @pytest.mark.parametrize("role", ROLES)
    def test_reads(self, client_for, role_users, world, role):
        client = client_for(role_users[role])
        got = {url: client.get(fill(url, world)).status_code for url in READS}
        assert got == {url: 200 if role in roles else 404 for url, roles in READS.items()}
        assert {url: client.get(url).status_code for url in LISTS} == dict.fromkeys(LISTS, 200)

    def test_anonymous_is_sent_to_sign_in_or_refused(self, client, api, world):
        for url in READS:
            response = client.get(fill(url, world))
            if url.startswith("/api/"):
                assert response.status_code in (401, 403), url
            else:
                assert response.status_code == 302, url
                assert "/accounts/login/" in response["Location"], url
        assert api().get("/api/scorecards/").status_code == 401
        assert api().post("/api/disputes/", {}, format="json").status_code == 401

    @pytest.mark.parametrize(
        ("role", "share", "decide", "dispute"),
        [
            ("hq_admin", 201, 200, 403),
            ("hq_analyst", 403, 403, 403),
            ("auditor", 404, 404, 404),
            ("franchisee", 403, 403, 201),
            ("other_admin", 404, 404, 404),
            ("outsider", 404, 404, 404),
        ],
    )
    def test_writes(self, api, role_users, world, role, share, decide, dispute):
        client = api(role_users[role])
        assert client.post("/api/share-links/", {"location": world.a.pk}, format="json").status_code == share
        decided = client.post(f"/api/disputes/{world.a_dispute.pk}/reject/", {"reason": "no"}, format="json")
        assert decided.status_code == decide
        raised = client.post(
            "/api/disputes/", {"audit": world.a_audit.pk, "item": "SIG-03", "note": "lit"}, format="json"
        )
        assert raised.status_code == dispute

    @pytest.mark.parametrize(
        ("role", "status"),
        [("hq_admin", 202), ("hq_analyst", 202), ("auditor", 404), ("franchisee", 202), ("outsider", 404)],
    )
    def test_bulk_job_of_franchisee_f1(self, api, role_users, world, role, status):
        response = api(role_users[role]).post(
            "/api/scorecard-jobs/", {"franchisee": world.a.franchisee_id}, format="json"
        )
        assert response.status_code == status, response.content


class EveryRolePageWriteTests:
    @pytest.mark.parametrize(
        ("role", "share", "revoke", "dispute", "decide"),
        [
            ("hq_admin", 200, 302, 403, 302),
            ("hq_analyst", 403, 403, 403, 403),
            ("auditor", 404, 404, 404, 404),
            ("franchisee", 403, 404, 302, 403),
            ("other_admin", 404, 404, 404, 404),
            ("outsider", 404, 404, 404, 404),
        ],
    )
    def test_page_forms(self, client_for, role_users, world, chain, role, share, revoke, dispute, decide):
        from cx_audit.scorecards.sharing import share_link_create

        own_link = share_link_create(location=world.a, user=role_users["hq_admin"]).link
        client = client_for(role_users[role])
        assert client.post(f"/scorecards/{world.a.pk}/share-links/", {"days": 3}).status_code == share
        assert client.post(f"/scorecards/share-links/{own_link.pk}/revoke/").status_code == revoke
        raised = client.post(f"/scorecards/{world.a.pk}/disputes/", {"item": "SIG-03", "note": "lit"})
        assert raised.status_code == dispute
        decided = client.post(
            f"/scorecards/disputes/{world.a_dispute.pk}/", {"decision": "reject", "reason": "no"}
        )
        assert decided.status_code == decide
