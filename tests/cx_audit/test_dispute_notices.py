"""Disputes told without asking: HQ admins see how many wait for them in the navigation (one
query, whatever the brands), a franchisee sees HQ's recent decisions on its portal — its own
outlets' only, never another franchisee's."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cx_audit.core.choices import Role
from cx_audit.core.scope import access_scope, forget_scope
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import dispute_accept, dispute_raise, dispute_reject
from cx_audit.home.navigation import disputes_badge, navigation
from locations.models import Membership
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, scorecard_framework
from tests.factories import FranchiseeFactory, LocationFactory

pytestmark = pytest.mark.django_db
BADGE = re.compile(r'<a class="nav-badge" href="(/scorecards/disputes/[^"]*)" title="([^"]+)">')


@pytest.fixture
def world(chain, role_users, user_in):
    """F1's GZ-101: SIG-01 rejected, SIG-03 accepted; F2's SY-201: SIG-01 rejected, SIG-03 open."""
    scorecard_framework(chain.brand)
    admin, franchisee_a = role_users["hq_admin"], role_users["franchisee"]
    franchisee_b = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
    a_audit = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south))
    b_audit = audit_at(chain.f2_north_east, admin, failing_answers(chain.f2_north_east))
    a_rejected = dispute_raise(audit=a_audit, user=franchisee_a, item_code="SIG-01", note="A one")
    a_accepted = dispute_raise(audit=a_audit, user=franchisee_a, item_code="SIG-03", note="A two")
    b_rejected = dispute_raise(audit=b_audit, user=franchisee_b, item_code="SIG-01", note="B one")
    b_open = dispute_raise(audit=b_audit, user=franchisee_b, item_code="SIG-03", note="B two")
    dispute_reject(dispute=a_rejected, user=admin, reason="The old sign is in the photo.")
    dispute_accept(dispute=a_accepted, user=admin, reason="The lamp was fixed that morning.")
    dispute_reject(dispute=b_rejected, user=admin, reason="Reason meant for B only.")
    return SimpleNamespace(
        franchisee_b=franchisee_b, a_audit=a_audit, b_audit=b_audit, b_open=b_open, a_rejected=a_rejected
    )


def badge(html: str) -> tuple[str, str] | None:
    found = BADGE.search(html)
    return (found[1], found[2]) if found else None


class NavBadgeTests:
    def test_hq_admin_sees_the_open_disputes_and_reaches_them(
        self, client_for, role_users, world, table_rows
    ):
        client = client_for(role_users["hq_admin"])
        assert badge(client.get("/").content.decode()) == (
            "/scorecards/disputes/?status=open",
            "1 open dispute to decide",
        )
        rows = table_rows(client.get("/scorecards/disputes/", {"status": "open"}))
        assert [row[1].split()[0] for row in rows] == ["SY-201"]

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee", "other_admin", "outsider"])
    def test_no_one_else_gets_a_badge(self, client_for, role_users, world, role):
        assert badge(client_for(role_users[role]).get("/").content.decode()) is None

    def test_no_badge_when_nothing_waits(self, client_for, role_users, world):
        dispute_reject(dispute=world.b_open, user=role_users["hq_admin"], reason="Seen.")
        assert badge(client_for(role_users["hq_admin"]).get("/").content.decode()) is None

    def test_one_query_for_every_brand_the_admin_decides(self, chain, role_users, world, user_in):
        """An admin of both brands: brand B's open dispute counts too, still in one query."""
        admin = role_users["hq_admin"]
        Membership.objects.create(user=admin, brand=chain.other_brand, role=Role.HQ_ADMIN)
        partner = FranchiseeFactory(brand=chain.other_brand, code="Z1", name="Zenith Partner")
        outlet = LocationFactory(brand=chain.other_brand, code="ZX-1", franchisee=partner)
        scorecard_framework(chain.other_brand)
        audit = audit_at(outlet, role_users["other_admin"], failing_answers(outlet))
        dispute_raise(
            audit=audit,
            user=user_in(chain.other_brand, Role.FRANCHISEE, franchisee=partner),
            item_code="SIG-01",
            note="Z",
        )
        forget_scope(admin)  # its memberships changed
        access_scope(admin)  # the scope is read once per request, before the navigation
        with CaptureQueriesContext(connection) as queries:
            found = disputes_badge(admin)
        assert len(queries) == 1
        assert found["count"] == 2
        assert found["label"] == "2 open disputes to decide"

    def test_no_query_for_those_who_decide_nothing(self, role_users, world, django_assert_num_queries):
        for role in ("hq_analyst", "franchisee", "auditor"):
            user = role_users[role]
            access_scope(user)
            with django_assert_num_queries(0):
                assert disputes_badge(user) is None

    def test_the_navigation_costs_the_same_however_many_disputes_wait(
        self, client_for, chain, role_users, world
    ):
        admin = role_users["hq_admin"]
        request = RequestFactory().get("/")
        request.user = admin
        access_scope(admin)
        with CaptureQueriesContext(connection) as few:
            assert navigation(request)["nav_items"]
        for days in range(1, 5):
            audit = audit_at(chain.f1_south, admin, failing_answers(chain.f1_south), days_ago=days)
            dispute_raise(audit=audit, user=role_users["franchisee"], item_code="SIG-01", note="again")
        with CaptureQueriesContext(connection) as many:
            nav = navigation(request)["nav_items"]
        assert len(many) == len(few)
        assert sum("cx_audit_dispute" in query["sql"] for query in many.captured_queries) == 1
        scorecards = next(item for item in nav if item["url"] == "/scorecards/")
        assert scorecards["badge"]["count"] == 5


def decision_rows(table_rows, response) -> list[list[str]]:
    html = response.content.decode()
    if 'id="decisions-heading"' not in html:
        return []
    return [row for row in table_rows(response) if len(row) == 5]


class FranchiseeDecisionsTests:
    def test_the_portal_lists_hqs_decisions_on_its_own_disputes(
        self, client_for, role_users, world, table_rows
    ):
        response = client_for(role_users["franchisee"]).get("/scorecards/")
        html = response.content.decode()
        assert "HQ's decisions on your disputes, last 30 days" in html
        rows = decision_rows(table_rows, response)
        assert [(row[1].split()[0], row[2].split()[0], row[3]) for row in rows] == [
            ("GZ-101", "SIG-03", "Accepted Passed: full points"),
            ("GZ-101", "SIG-01", "Rejected"),
        ]
        assert rows[0][4] == "The lamp was fixed that morning."
        assert rows[1][4] == "The old sign is in the photo."
        assert f'href="/scorecards/disputes/{world.a_rejected.pk}/"' in html
        assert "Reason meant for B only." not in html
        assert "SY-201" not in html

    def test_the_other_franchisee_sees_only_its_own(self, client_for, world, table_rows):
        response = client_for(world.franchisee_b).get("/scorecards/")
        rows = decision_rows(table_rows, response)
        assert [(row[1].split()[0], row[2].split()[0], row[4]) for row in rows] == [
            ("SY-201", "SIG-01", "Reason meant for B only.")
        ]  # its open dispute is not a decision
        assert "The old sign is in the photo." not in response.content.decode()

    def test_old_decisions_drop_off(self, client_for, role_users, world, table_rows):
        Dispute.objects.filter(audit=world.a_audit).update(decided_at=timezone.now() - timedelta(days=31))
        response = client_for(role_users["franchisee"]).get("/scorecards/")
        assert decision_rows(table_rows, response) == []

    @pytest.mark.parametrize("role", ["hq_admin", "hq_analyst", "other_admin"])
    def test_hq_gets_no_decisions_panel(self, client_for, role_users, world, role):
        assert (
            'id="decisions-heading"' not in client_for(role_users[role]).get("/scorecards/").content.decode()
        )

    def test_portal_queries_do_not_grow_with_decisions(self, client_for, chain, role_users, world):
        client = client_for(role_users["franchisee"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/scorecards/").status_code == 200
            return len(captured)

        few = queries()
        for days in range(1, 5):
            audit = audit_at(
                chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), days_ago=days
            )
            dispute = dispute_raise(audit=audit, user=role_users["franchisee"], item_code="SIG-01", note="n")
            dispute_reject(dispute=dispute, user=role_users["hq_admin"], reason=f"no {days}")
        assert queries() == few
