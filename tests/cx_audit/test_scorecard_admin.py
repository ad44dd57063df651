"""The admin of disputes, amendments, share links and bulk export jobs: HQ admins of the brand see
and search them, act only through the services, never edit a record; amendments are untouchable
even for a superuser; another brand's admin and franchisees see none of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from cx_audit.audits.models.amendments import Amendment
from cx_audit.core.choices import Role
from cx_audit.disputes.services import dispute_accept, dispute_raise
from cx_audit.reports.models import JobStatus, ScorecardJob
from cx_audit.reports.services import scorecard_job_create
from cx_audit.reports.upkeep import stale_reason
from cx_audit.scorecards.sharing import share_link_create
from locations.models import Membership
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, scorecard_framework

pytestmark = pytest.mark.django_db
ADMIN = "/admin/cx_audit"


@pytest.fixture
def staff(role_users):
    """The HQ admins of brand A and of brand B, and the franchisee, all with staff status."""
    for role in ("hq_admin", "other_admin", "franchisee"):
        role_users[role].is_staff = True
        role_users[role].save()
    return role_users


@pytest.fixture
def world(chain, staff, user_in):
    """Brand A: F1's GZ-101 with an accepted dispute (so an amendment) and a share link, F2's
    SY-201 with an open dispute; a job of F1's franchisee, a dead one and a done one of HQ's."""
    scorecard_framework(chain.brand)
    admin = staff["hq_admin"]
    franchisee_b = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
    a_audit = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south))
    b_audit = audit_at(chain.f2_north_east, admin, failing_answers(chain.f2_north_east))
    accepted = dispute_raise(audit=a_audit, user=staff["franchisee"], item_code="SIG-01", note="New sign")
    amendment = dispute_accept(dispute=accepted, user=admin, reason="Sign replaced.")
    open_one = dispute_raise(audit=b_audit, user=franchisee_b, item_code="SIG-03", note="Lamp fixed")
    link = share_link_create(location=chain.f1_south, user=admin, note="for the landlord").link
    f1_job = scorecard_job_create(user=staff["franchisee"], franchisee=chain.f1)
    dead = scorecard_job_create(user=admin, region=chain.north)
    ScorecardJob.objects.filter(pk=dead.pk).update(
        status=JobStatus.RUNNING, last_progress_at=timezone.now() - timedelta(hours=2)
    )
    done = scorecard_job_create(user=admin, region=chain.south)
    done.file.save("scorecards.zip", ContentFile(b"PK\x03\x04"), save=False)
    ScorecardJob.objects.filter(pk=done.pk).update(
        status=JobStatus.DONE, file=done.file.name, done=done.total, finished_at=timezone.now()
    )
    return SimpleNamespace(
        accepted=accepted,
        open_one=open_one,
        amendment=amendment,
        link=link,
        f1_job=f1_job,
        dead=dead,
        done=ScorecardJob.objects.get(pk=done.pk),
    )


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class DisputeAdminTests:
    def test_hq_admin_finds_the_brands_disputes_by_status_franchisee_and_search(self, staff, world, chain):
        client = browser(staff["hq_admin"])
        html = client.get(f"{ADMIN}/dispute/").content.decode()
        assert "GZ-101 Guangzhou Dealer" in html
        assert "SY-201 Shenyang Dealer" in html
        assert "First Partner" in html  # the franchisee column and its filter
        assert "Second Partner" in html
        opened = client.get(f"{ADMIN}/dispute/", {"status": "open"}).content.decode()
        assert "SY-201 Shenyang Dealer" in opened
        assert "GZ-101 Guangzhou Dealer" not in opened
        found = client.get(f"{ADMIN}/dispute/", {"q": "Lamp fixed"}).content.decode()
        assert "SY-201 Shenyang Dealer" in found
        assert "GZ-101 Guangzhou Dealer" not in found
        by_partner = client.get(f"{ADMIN}/dispute/", {"audit__franchisee__id__exact": chain.f1.pk})
        assert "SY-201 Shenyang Dealer" not in by_partner.content.decode()

    def test_a_dispute_is_decided_on_its_page_not_edited_here(self, staff, world):
        client = browser(staff["hq_admin"])
        url = f"{ADMIN}/dispute/{world.open_one.pk}/change/"
        html = client.get(url).content.decode()
        assert f'href="/scorecards/disputes/{world.open_one.pk}/">Decide on the dispute&#x27;s page' in html
        assert 'name="_save"' not in html
        assert client.post(url, {"status": "accepted"}).status_code == 403
        assert client.post(f"{ADMIN}/dispute/{world.open_one.pk}/delete/", {"post": "yes"}).status_code == 403
        world.open_one.refresh_from_db()
        assert world.open_one.status == "open"

    def test_another_brands_admin_sees_none_and_no_names_in_the_filters(self, staff, world):
        client = browser(staff["other_admin"])
        for model in ("dispute", "amendment", "sharelink", "scorecardjob"):
            html = client.get(f"{ADMIN}/{model}/").content.decode()
            for text in ("GZ-101", "SY-201", "First Partner", "Second Partner", "Aurora"):
                assert text not in html, (model, text)
        assert client.get(f"{ADMIN}/dispute/{world.open_one.pk}/change/").status_code == 302  # not found

    def test_a_franchisee_with_staff_status_gets_nothing(self, staff, world):
        client = browser(staff["franchisee"])
        for model in ("dispute", "amendment", "sharelink", "scorecardjob"):
            assert client.get(f"{ADMIN}/{model}/").status_code == 403, model


class AmendmentAdminTests:
    @pytest.mark.parametrize("who", ["hq_admin", "superuser"])
    def test_an_amendment_can_never_be_added_edited_or_deleted(self, staff, world, admin_user, who):
        client = browser(admin_user if who == "superuser" else staff[who])
        amendment = world.amendment
        listing = client.get(f"{ADMIN}/amendment/")
        assert listing.status_code == 200
        html = listing.content.decode()
        assert "SIG-01" in html
        assert "delete_selected" not in html
        assert 'href="/admin/cx_audit/amendment/add/"' not in html
        change = f"{ADMIN}/amendment/{amendment.pk}/change/"
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert "Sign replaced." in page.content.decode()
        assert client.post(change, {"reason": "edited", "ruling": "na"}).status_code == 403
        assert client.get(f"{ADMIN}/amendment/{amendment.pk}/delete/").status_code == 403
        assert client.post(f"{ADMIN}/amendment/{amendment.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.get(f"{ADMIN}/amendment/add/").status_code == 403
        bulk = client.post(
            f"{ADMIN}/amendment/",
            {"action": "delete_selected", "_selected_action": [amendment.pk], "post": "yes"},
        )
        assert bulk.status_code in (200, 302)  # "no action selected": the action does not exist
        stored = Amendment.objects.get(pk=amendment.pk)
        assert (stored.reason, stored.ruling) == ("Sign replaced.", "pass")


class ShareLinkAdminTests:
    def test_hq_admin_revokes_a_link_and_filters_by_state(self, staff, world):
        client = browser(staff["hq_admin"])
        html = client.get(f"{ADMIN}/sharelink/", {"state": "active"}).content.decode()
        assert "for the landlord" in html
        assert (
            world.link.token_hash
            not in client.get(f"{ADMIN}/sharelink/{world.link.pk}/change/").content.decode()
        )
        response = client.post(
            f"{ADMIN}/sharelink/", {"action": "revoke", "_selected_action": [world.link.pk]}
        )
        assert response.status_code == 302
        world.link.refresh_from_db()
        assert (world.link.state, world.link.revoked_by_id) == ("revoked", staff["hq_admin"].pk)
        assert (
            "for the landlord" not in client.get(f"{ADMIN}/sharelink/", {"state": "active"}).content.decode()
        )
        assert "for the landlord" in client.get(f"{ADMIN}/sharelink/", {"state": "revoked"}).content.decode()

    def test_an_analyst_seeing_a_brand_cannot_revoke_its_links(self, staff, world, chain):
        """Admin of brand B, analyst of brand A: A's links are listed (HQ reads them) but stay."""
        user = staff["other_admin"]
        Membership.objects.create(user=user, brand=chain.brand, role=Role.HQ_ANALYST)
        client = browser(user)
        assert "for the landlord" in client.get(f"{ADMIN}/sharelink/").content.decode()
        response = client.post(
            f"{ADMIN}/sharelink/", {"action": "revoke", "_selected_action": [world.link.pk]}, follow=True
        )
        assert "1 link was left: only HQ admins of its brand revoke it." in response.content.decode()
        world.link.refresh_from_db()
        assert world.link.state == "active"


class ScorecardJobAdminTests:
    def test_hq_admin_sees_every_job_of_the_brand_and_dead_ones_as_failed(self, staff, world):
        client = browser(staff["hq_admin"])
        html = client.get(f"{ADMIN}/scorecardjob/").content.decode()
        assert "First Partner" in html  # the franchisee's own export, for HQ to follow
        world.dead.refresh_from_db()
        assert (world.dead.status, world.dead.error) == (JobStatus.FAILED, stale_reason())
        assert client.get(f"{ADMIN}/scorecardjob/", {"status__exact": "failed"}).status_code == 200
        found = client.get(f"{ADMIN}/scorecardjob/", {"q": staff["franchisee"].username}).content.decode()
        assert "First Partner" in found
        assert "South" not in found

    def test_give_up_and_delete_zip_actions(self, staff, world):
        client = browser(staff["hq_admin"])
        client.post(f"{ADMIN}/scorecardjob/", {"action": "give_up", "_selected_action": [world.f1_job.pk]})
        world.f1_job.refresh_from_db()
        assert world.f1_job.status == JobStatus.FAILED
        assert world.f1_job.error == f"Given up by {staff['hq_admin'].username} in the admin: start it again."
        name = world.done.file.name
        assert Path(default_storage.path(name)).exists()
        client.post(f"{ADMIN}/scorecardjob/", {"action": "delete_zip", "_selected_action": [world.done.pk]})
        world.done.refresh_from_db()
        assert (world.done.status, world.done.file.name) == (JobStatus.EXPIRED, "")
        assert not Path(default_storage.path(name)).exists()

    def test_a_job_row_is_never_edited_or_deleted(self, staff, world):
        client = browser(staff["hq_admin"])
        assert (
            client.post(f"{ADMIN}/scorecardjob/{world.done.pk}/change/", {"status": "queued"}).status_code
            == 403
        )
        assert (
            client.post(f"{ADMIN}/scorecardjob/{world.done.pk}/delete/", {"post": "yes"}).status_code == 403
        )
        assert ScorecardJob.objects.get(pk=world.done.pk).status == JobStatus.DONE
