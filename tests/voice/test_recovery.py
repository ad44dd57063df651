"""Closing the loop (DESIGN §6): which feedback opens a customer-recovery action, where it is routed
and by when; who closes it (API and page) and who does not even see it; the recovery rate.

The brand's lexicon is written here (a few terms), so the tests do not depend on the default one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cx_audit.actions.models import Department
from cx_audit.core.choices import Role
from cx_audit.voice.choices import FeedbackSource, RecoveryReason, RecoveryStatus
from cx_audit.voice.models import LexiconTerm, RecoveryAction, VoicePolicy
from cx_audit.voice.recovery_stats import opened_between, recovery_breakdown, recovery_counts
from cx_audit.voice.services import FeedbackIn, feedback_ingest, recovery_close
from tests.factories import RoutingRuleFactory

pytestmark = pytest.mark.django_db

TERMS = (
    ("rude", -1, "advice", "service"),
    ("queue", -1, "checkout", "convenience"),
    ("friendly", 1, "advice", "service"),
)


def lexicon(brand) -> None:
    for text, polarity, touchpoint, dimension in TERMS:
        LexiconTerm.objects.create(
            brand=brand, text=text, polarity=polarity, touchpoint_code=touchpoint, dimension_code=dimension
        )


def record(location, external_id: str, *, nps: int | None = 2, comment: str = "", at: datetime | None = None):
    return FeedbackIn(
        location_id=location.pk,
        channel="hotline",
        external_id=external_id,
        received_at=at or timezone.now() - timedelta(hours=1),
        nps=nps,
        comment=comment,
    )


def ingest(location, *records: FeedbackIn):
    return feedback_ingest(brand=location.brand, records=list(records), source=FeedbackSource.API)


@pytest.fixture
def routed(chain):
    """Brand A: a default rule (store manager), a service-dimension rule (training), 24 h to recover,
    and checkout a critical touchpoint."""
    lexicon(chain.brand)
    VoicePolicy.objects.create(brand=chain.brand, recovery_hours=24, critical_touchpoints=["checkout"])
    default = RoutingRuleFactory(brand=chain.brand, department=Department.STORE_MANAGER)
    service = RoutingRuleFactory(brand=chain.brand, department=Department.TRAINING, dimension_code="service")
    return {"default": default, "service": service}


class OpeningTests:
    def test_a_detractor_with_a_comment_is_routed_by_the_dimension_rule_and_due_after_the_brand_hours(
        self, chain, routed
    ):
        at = timezone.now() - timedelta(hours=3)
        result = ingest(
            chain.f1_south,
            record(chain.f1_south, "rude-1", comment="The staff were rude to me.", at=at),
            record(chain.f1_south, "vague-1", comment="Just disappointing.", at=at),
        )
        assert result.recoveries == 2
        rude = RecoveryAction.objects.get(feedback__external_id="rude-1")
        assert (rude.reason, rude.dimension_code, rude.department) == (
            RecoveryReason.DETRACTOR,
            "service",
            Department.TRAINING,
        )
        assert rude.routing_rule_id == routed["service"].pk
        assert rude.opened_at == at
        assert rude.due_at - at == timedelta(hours=24)
        assert (rude.status, rude.franchisee_id, rude.location_id) == ("open", chain.f1.pk, chain.f1_south.pk)
        vague = RecoveryAction.objects.get(feedback__external_id="vague-1")
        assert (vague.department, vague.routing_rule_id) == (Department.STORE_MANAGER, routed["default"].pk)

    def test_no_action_without_a_comment_or_from_a_passive(self, chain, routed):
        result = ingest(
            chain.f1_south,
            record(chain.f1_south, "silent", nps=0),
            record(chain.f1_south, "blank", nps=1, comment="   "),
            record(chain.f1_south, "passive", nps=7, comment="The staff were rude."),
        )
        assert (result.created, result.recoveries) == (3, 0)
        assert not RecoveryAction.objects.exists()

    def test_pain_at_a_critical_touchpoint_opens_one_whatever_the_score(self, chain, routed):
        result = ingest(chain.f1_south, record(chain.f1_south, "q-1", nps=8, comment="The queue took ages."))
        action = RecoveryAction.objects.get()
        assert result.recoveries == 1
        assert (action.reason, action.touchpoint_code) == (RecoveryReason.CRITICAL_TOUCHPOINT, "checkout")

    def test_a_resent_record_opens_no_second_action(self, chain, routed):
        first = record(chain.f1_south, "again", comment="The staff were rude.")
        ingest(chain.f1_south, first)
        again = ingest(chain.f1_south, first, record(chain.f1_south, "again", nps=0, comment="rude!"))
        assert (again.created, again.existing, again.recoveries) == (0, 2, 0)
        assert RecoveryAction.objects.count() == 1


# --- who sees and closes what --------------------------------------------------------------------


@dataclass
class World:
    a_f1: RecoveryAction  # F1's GZ-101
    a_direct: RecoveryAction  # Beijing Flagship (direct, North)
    a_f2: RecoveryAction  # F2's SY-201 (North-East)
    b: RecoveryAction  # the other brand's
    users: dict[str, Any]

    def mine(self, role: str) -> set[int]:
        brand_a = {self.a_f1.pk, self.a_direct.pk, self.a_f2.pk}
        return {
            "hq_admin": brand_a,
            "hq_analyst": brand_a,
            "auditor": set(),
            "franchisee": {self.a_f1.pk},
            "other_admin": {self.b.pk},
            "outsider": set(),
        }[role]

    def closes(self, role: str) -> set[int]:
        return {
            "hq_admin": self.mine("hq_admin"),
            "franchisee": {self.a_f1.pk},
            "other_admin": {self.b.pk},
        }.get(role, set())


@pytest.fixture
def world(chain, routed, role_users) -> World:
    past = timezone.now() - timedelta(days=3)
    for location in (chain.f1_south, chain.direct_north, chain.f2_north_east, chain.other):
        ingest(location, record(location, f"w-{location.code}", comment="The staff were rude.", at=past))
    by_location = {action.location_id: action for action in RecoveryAction.objects.all()}
    return World(
        a_f1=by_location[chain.f1_south.pk],
        a_direct=by_location[chain.direct_north.pk],
        a_f2=by_location[chain.f2_north_east.pk],
        b=by_location[chain.other.pk],
        users=role_users,
    )


ROLES = ["hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin", "outsider"]
EVERY = ("a_f1", "a_direct", "a_f2", "b")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_reads_and_closes_exactly_its_own(role, world, api, client_for):
    user = world.users[role]
    client = api(user)
    listed = client.get("/api/recovery-actions/")
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()["results"]} == world.mine(role)
    pages = client_for(user)
    assert pages.get("/voice/recovery/").status_code == (
        200 if role in ("hq_admin", "hq_analyst", "franchisee", "other_admin") else 404
    )
    for name in EVERY:
        action = getattr(world, name)
        seen = action.pk in world.mine(role)
        assert client.get(f"/api/recovery-actions/{action.pk}/").status_code == (200 if seen else 404)
        assert pages.get(f"/voice/recovery/{action.pk}/").status_code == (200 if seen else 404)
        closed = client.post(f"/api/recovery-actions/{action.pk}/close/", {"recovered": True}, format="json")
        expected = 200 if action.pk in world.closes(role) else 403 if seen else 404
        assert closed.status_code == expected, (name, closed.content)
        action.refresh_from_db()
        assert (action.status == RecoveryStatus.RECOVERED) == (expected == 200)


def test_anonymous_is_asked_to_sign_in(world, api, client_for):
    assert api().get("/api/recovery-actions/").status_code in (401, 403)
    assert api().post(f"/api/recovery-actions/{world.a_f1.pk}/close/", {"recovered": True}).status_code in (
        401,
        403,
    )
    page = client_for().get(f"/voice/recovery/{world.a_f1.pk}/")
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


def test_another_franchisee_cannot_find_it_even_by_filter(world, api, chain, user_in):
    other = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
    client = api(other)
    assert (
        client.post(
            f"/api/recovery-actions/{world.a_f1.pk}/close/", {"recovered": True}, format="json"
        ).status_code
        == 404
    )
    by_location = client.get("/api/recovery-actions/", {"location": chain.f1_south.pk})
    assert by_location.status_code == 400  # not one of the locations it may choose
    assert client.get("/api/recovery-actions/").json()["count"] == 1


class ClosingTests:
    def test_the_outlets_franchisee_closes_it_once_and_twice_is_a_conflict(self, world, api):
        client = api(world.users["franchisee"])
        url = f"/api/recovery-actions/{world.a_f1.pk}/close/"
        done = client.post(url, {"recovered": False, "note": "Called back, still unhappy."}, format="json")
        assert done.status_code == 200
        body = done.json()
        assert (body["status"], body["note"], body["closed_by"]) == (
            "not_recovered",
            "Called back, still unhappy.",
            world.users["franchisee"].username,
        )
        again = client.post(url, {"recovered": True}, format="json")
        assert again.status_code == 409
        assert "status" in again.json()
        world.a_f1.refresh_from_db()
        assert world.a_f1.status == RecoveryStatus.NOT_RECOVERED

    @pytest.mark.parametrize(
        "body", [{}, {"recovered": "perhaps"}, {"recovered": True, "note": "x" * 2001}, []]
    )
    def test_a_bad_body_is_a_400_and_changes_nothing(self, world, api, body):
        answer = api(world.users["hq_admin"]).post(
            f"/api/recovery-actions/{world.a_f1.pk}/close/", body, format="json"
        )
        assert answer.status_code == 400
        world.a_f1.refresh_from_db()
        assert world.a_f1.status == RecoveryStatus.OPEN

    def test_the_page_closes_it_with_csrf_and_says_so_the_second_time(self, world, client_for):
        from django.test import Client

        franchisee = world.users["franchisee"]
        client = Client(enforce_csrf_checks=True)
        client.force_login(franchisee)
        url = f"/voice/recovery/{world.a_f1.pk}/"
        page = client.get(url)
        assert page.status_code == 200
        assert b'name="outcome"' in page.content
        token = page.cookies["csrftoken"].value
        assert client.post(f"{url}close/", {"outcome": "recovered"}).status_code == 403  # no token
        done = client.post(
            f"{url}close/", {"outcome": "recovered", "note": "Replaced it.", "csrfmiddlewaretoken": token}
        )
        assert done.status_code == 302
        world.a_f1.refresh_from_db()
        assert (world.a_f1.status, world.a_f1.note) == (RecoveryStatus.RECOVERED, "Replaced it.")
        again = client.post(f"{url}close/", {"outcome": "not_recovered", "csrfmiddlewaretoken": token})
        assert again.status_code == 409
        assert "closed already" in again.content.decode()
        world.a_f1.refresh_from_db()
        assert world.a_f1.status == RecoveryStatus.RECOVERED

    def test_the_page_offers_no_form_to_an_analyst_and_refuses_the_post(self, world, client_for):
        client = client_for(world.users["hq_analyst"])
        page = client.get(f"/voice/recovery/{world.a_f1.pk}/")
        assert page.status_code == 200
        assert b'name="outcome"' not in page.content
        assert (
            client.post(f"/voice/recovery/{world.a_f1.pk}/close/", {"outcome": "recovered"}).status_code
            == 403
        )

    def test_the_detail_page_marks_the_words_that_opened_it(self, world, client_for):
        page = client_for(world.users["hq_admin"]).get(f"/voice/recovery/{world.a_f1.pk}/")
        html = page.content.decode()
        assert '<mark class="pain"' in html
        assert ">rude</mark>" in html
        assert "Retail training" in html  # routed by the service rule


# --- the rate --------------------------------------------------------------------------------------


def close_as(action: RecoveryAction, user, recovered: bool, *, late: bool = False) -> None:
    recovery_close(action=action, user=user, recovered=recovered, note="")
    if late:  # the service stamps now; move the deadline back so this one counts as late
        RecoveryAction.objects.filter(pk=action.pk).update(due_at=timezone.now() - timedelta(hours=1))


class RateTests:
    @pytest.fixture
    def four(self, chain, routed, role_users):
        """Four actions at GZ-101: two recovered (one late), one not recovered, one open and overdue."""
        now = timezone.now()
        ingest(
            chain.f1_south,
            *(
                record(chain.f1_south, f"r{n}", comment="rude", at=now - timedelta(hours=n))
                for n in range(1, 4)
            ),
            record(chain.f1_south, "r-old", comment="rude", at=now - timedelta(hours=27)),
        )
        actions = list(RecoveryAction.objects.order_by("-opened_at"))
        admin = role_users["hq_admin"]
        close_as(actions[0], admin, True)
        close_as(actions[1], admin, True, late=True)
        close_as(actions[2], admin, False)
        return actions

    def test_two_recovered_and_one_not_is_66_7_percent(self, four):
        counts = recovery_counts(RecoveryAction.objects.all())
        assert (counts.opened, counts.open, counts.closed, counts.recovered) == (4, 1, 3, 2)
        assert counts.rate == Decimal("66.7")
        assert counts.on_time == 2
        assert counts.on_time_share == Decimal("66.7")
        assert counts.overdue == 1  # opened 27 h ago with 24 h to recover

    def test_the_breakdowns_agree_with_the_total(self, four, chain):
        for by in ("location", "region", "department", "franchisee", "reason"):
            rows = recovery_breakdown(RecoveryAction.objects.all(), by)
            assert len(rows) == 1
            assert rows[0].counts == recovery_counts(RecoveryAction.objects.all())
        [row] = recovery_breakdown(RecoveryAction.objects.all(), "location")
        assert row.key == chain.f1_south.pk
        assert chain.f1_south.code in row.label

    def test_a_period_counts_only_the_actions_opened_in_it(self, four):
        today = timezone.localdate()
        assert (
            recovery_counts(opened_between(RecoveryAction.objects.all(), today + timedelta(days=1))).opened
            == 0
        )
        assert recovery_counts(opened_between(RecoveryAction.objects.all(), None, today)).opened == 4

    def test_the_list_page_shows_the_rate_open_first_and_the_overdue_marked(
        self, four, client_for, role_users
    ):
        page = client_for(role_users["franchisee"]).get("/voice/recovery/")
        html = page.content.decode()
        assert page.status_code == 200
        assert html.count("66.7 %") >= 2  # overall and the location's row
        rows = list(page.context["object_list"])
        assert rows[0].status == RecoveryStatus.OPEN
        assert 'class="overdue"' in html
        only_open = client_for(role_users["franchisee"]).get("/voice/recovery/", {"status": "open"})
        assert [a.status for a in only_open.context["object_list"]] == ["open"]
        assert only_open.context["overall"].rate == Decimal("66.7")  # the rate ignores the state filter

    def test_bad_filters_are_a_400_in_the_api_and_no_rows_on_the_page(
        self, four, api, client_for, role_users
    ):
        client = api(role_users["hq_admin"])
        for query in ({"status": "lost"}, {"opened_from": "9999-12-31"}, {"reason": "x"}, {"location": "x"}):
            assert client.get("/api/recovery-actions/", query).status_code == 400, query
        page = client_for(role_users["hq_admin"]).get("/voice/recovery/", {"opened_from": "0001-01-01"})
        assert page.status_code == 200
        assert not page.context["object_list"]


def test_list_queries_do_not_grow_with_the_actions(chain, routed, role_users, api, client_for):
    admin = role_users["hq_admin"]
    client, pages = api(admin), client_for(admin)

    def counts() -> tuple[int, int]:
        found = []
        for get, path in ((client.get, "/api/recovery-actions/"), (pages.get, "/voice/recovery/")):
            get(path)  # the first request of a user also reads its memberships
            with CaptureQueriesContext(connection) as queries:
                assert get(path).status_code == 200
            found.append(len(queries))
        return found[0], found[1]

    ingest(chain.f1_south, record(chain.f1_south, "n0", comment="rude queue friendly"))
    few = counts()
    ingest(chain.f1_south, *(record(chain.f1_south, f"n{n}", comment="rude queue") for n in range(1, 8)))
    ingest(chain.f2_north_east, record(chain.f2_north_east, "m1", comment="rude"))
    assert RecoveryAction.objects.count() == 9
    assert counts() == few
