"""Corrective actions through the services: opened on submit, repeated, verified, cancelled on void
and on an accepted dispute, answered, decided and escalated — on the real database."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cx_audit.actions.models import (
    ActionEvent,
    ActionStatus,
    CorrectiveAction,
    Department,
    EventKind,
    Severity,
)
from cx_audit.actions.services import (
    ActionStateConflict,
    action_accept,
    action_respond,
    action_send_back,
    actions_escalate,
)
from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.amendments import Ruling
from cx_audit.audits.services import audit_void
from cx_audit.core.choices import Role
from cx_audit.disputes.services import dispute_accept, dispute_raise
from tests.cx_audit.action_helpers import default_policy, demo_rules
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, passing_answers, scorecard_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(chain):
    scorecard_framework(chain.brand)
    demo_rules(chain.brand)
    return chain


def actions_of(location) -> dict[str, CorrectiveAction]:
    return {a.item_code: a for a in CorrectiveAction.objects.filter(location=location).order_by("pk")}


class OpenOnSubmitTests:
    def test_each_failed_finding_opens_one_routed_and_dated_action(self, setup, role_users):
        audit = audit_at(setup.f1_south, role_users["hq_admin"], failing_answers(setup.f1_south), days_ago=2)
        found = actions_of(setup.f1_south)
        assert set(found) == {"SIG-01", "SIG-03"}
        sig01, sig03 = found["SIG-01"], found["SIG-03"]
        audited_on = timezone.localdate(audit.submitted_at)
        assert (sig01.severity, sig01.due_date, sig01.critical) == (
            Severity.CRITICAL,
            audited_on + timedelta(days=3),
            True,
        )
        assert (sig03.severity, sig03.due_date) == (Severity.NORMAL, audited_on + timedelta(days=14))
        # SIG-01 matches the signage section rule and the critical-severity rule: the section wins.
        assert sig01.department == sig03.department == Department.FRANCHISE_DEVELOPMENT
        assert sig01.routing_rule.section_code == "signage"
        assert sig01.status == ActionStatus.OPEN
        assert sig01.franchisee == setup.f1
        assert sig01.item_result.item_code == "SIG-01"
        assert "体验店" in sig01.reason
        assert list(sig01.events.values_list("kind", flat=True)) == [EventKind.OPENED]

    def test_brand_deadlines_are_used(self, setup, role_users):
        default_policy(setup.brand, critical_days=1, normal_days=30)
        audit = audit_at(setup.f1_south, role_users["hq_admin"], failing_answers(setup.f1_south))
        day = timezone.localdate(audit.submitted_at)
        assert {code: a.due_date - day for code, a in actions_of(setup.f1_south).items()} == {
            "SIG-01": timedelta(days=1),
            "SIG-03": timedelta(days=30),
        }

    def test_a_passing_audit_opens_nothing_and_self_assessments_never_do(self, setup, role_users):
        audit_at(setup.f1_south, role_users["hq_admin"], passing_answers(setup.f1_south))
        audit_at(
            setup.f1_south,
            role_users["franchisee"],
            failing_answers(setup.f1_south),
            kind=AuditKind.SELF_ASSESSMENT,
        )
        assert not CorrectiveAction.objects.exists()


class RepeatAndVerifyTests:
    def test_a_repeat_updates_the_live_action_never_a_second_one(self, setup, role_users):
        admin = role_users["hq_admin"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=20)
        first = actions_of(setup.f1_south)["SIG-03"]
        second_audit = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=1)
        found = actions_of(setup.f1_south)
        assert CorrectiveAction.objects.count() == 2
        again = found["SIG-03"]
        assert again.pk == first.pk
        assert (again.repeat, again.severity, again.last_audit_id) == (True, Severity.REPEAT, second_audit.pk)
        # still due by the earlier date: failing again never buys time
        assert again.due_date == first.due_date
        assert found["SIG-01"].severity == Severity.CRITICAL  # never lowered
        assert list(again.events.values_list("kind", flat=True)) == [EventKind.OPENED, EventKind.REPEATED]

    def test_a_later_passing_visit_verifies(self, setup, role_users):
        admin = role_users["hq_admin"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=20)
        passing = audit_at(setup.f1_south, admin, passing_answers(setup.f1_south), days_ago=1)
        for action in actions_of(setup.f1_south).values():
            assert (action.status, action.verified_by_id) == (ActionStatus.VERIFIED, passing.pk)
            assert action.closed_at == passing.submitted_at
        # the next failure opens a new action: the verified one is history
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south))
        assert CorrectiveAction.objects.live().count() == 2
        assert CorrectiveAction.objects.count() == 4

    def test_an_older_visit_synced_late_changes_nothing(self, setup, role_users):
        admin = role_users["hq_admin"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=1)
        audit_at(setup.f1_south, admin, passing_answers(setup.f1_south), days_ago=5)
        assert {a.status for a in actions_of(setup.f1_south).values()} == {ActionStatus.OPEN}

    def test_an_accepted_fix_that_fails_again_reopens_with_a_new_due_date(self, setup, role_users):
        admin, franchisee = role_users["hq_admin"], role_users["franchisee"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=30)
        action = actions_of(setup.f1_south)["SIG-03"]
        action_respond(action=action, user=franchisee, note="New light box fitted.")
        action_accept(action=action, user=admin)
        latest = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south))
        action.refresh_from_db()
        assert (action.status, action.closed_at) == (ActionStatus.OPEN, None)
        assert action.due_date == timezone.localdate(latest.submitted_at) + timedelta(days=7)

    def test_a_store_that_changed_hands_gets_a_fresh_action(self, setup, role_users, user_in):
        admin = role_users["hq_admin"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=20)
        old = actions_of(setup.f1_south)["SIG-03"]
        action_respond(action=old, user=role_users["franchisee"], note="F1's private note")
        setup.f1_south.franchisee = setup.f2
        setup.f1_south.save()
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south))
        old.refresh_from_db()
        assert old.status == ActionStatus.CANCELLED
        new = CorrectiveAction.objects.live().get(location=setup.f1_south, item_code="SIG-03")
        assert new.franchisee == setup.f2
        f2_user = user_in(setup.brand, Role.FRANCHISEE, franchisee=setup.f2)
        assert set(CorrectiveAction.objects.visible_to(f2_user).values_list("franchisee", flat=True)) == {
            setup.f2.pk
        }
        assert (
            not CorrectiveAction.objects.visible_to(role_users["franchisee"])
            .filter(location=setup.f1_south)
            .exists()
        )


class CancelTests:
    def test_voiding_the_audit_cancels_what_it_opened(self, setup, role_users):
        admin = role_users["hq_admin"]
        audit = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south))
        audit_void(audit=audit, user=admin, reason="Wrong store")
        assert {a.status for a in actions_of(setup.f1_south).values()} == {ActionStatus.CANCELLED}
        event = ActionEvent.objects.filter(kind=EventKind.CANCELLED).first()
        assert "Wrong store" in event.note
        assert event.by == admin

    @pytest.mark.parametrize(
        ("ruling", "fraction", "status"),
        [
            (Ruling.PASS, None, ActionStatus.CANCELLED),
            (Ruling.STRUCK, None, ActionStatus.CANCELLED),
            (Ruling.PARTIAL, Decimal("0.5"), ActionStatus.OPEN),
        ],
    )
    def test_an_accepted_dispute_cancels_only_when_the_finding_is_overturned(
        self, setup, role_users, ruling, fraction, status
    ):
        admin = role_users["hq_admin"]
        audit = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south))
        dispute = dispute_raise(audit=audit, user=role_users["franchisee"], item_code="SIG-03", note="lit")
        dispute_accept(dispute=dispute, user=admin, ruling=ruling, fraction=fraction)
        found = actions_of(setup.f1_south)
        assert found["SIG-03"].status == status
        assert found["SIG-01"].status == ActionStatus.OPEN
        # the audit's results were stored anew; the actions point at the new rows
        assert found["SIG-03"].item_result.audit_id == audit.pk
        assert found["SIG-01"].item_result.item_code == "SIG-01"


class RespondAndDecideTests:
    @pytest.fixture
    def action(self, setup, role_users):
        audit_at(setup.f1_south, role_users["hq_admin"], failing_answers(setup.f1_south))
        return actions_of(setup.f1_south)["SIG-03"]

    def test_answer_accept(self, action, role_users):
        event = action_respond(
            action=action,
            user=role_users["franchisee"],
            note="Light box repaired.",
            photo=io.BytesIO(png_bytes((20, 10))),
        )
        assert (event.photo_content_type, event.photo_size, len(event.photo_sha256)) == (
            "image/png",
            len(png_bytes((20, 10))),
            64,
        )
        action.refresh_from_db()
        assert action.status == ActionStatus.ANSWERED
        accepted = action_accept(action=action, user=role_users["hq_admin"], note="Good.")
        assert accepted.status == ActionStatus.ACCEPTED
        assert accepted.closed_at is not None

    def test_send_back_reopens_with_the_reason(self, action, role_users):
        action_respond(action=action, user=role_users["franchisee"], note="Done.")
        with pytest.raises(ValidationError) as refused:
            action_send_back(action=action, user=role_users["hq_admin"], reason=" ")
        assert "reason" in refused.value.message_dict
        back = action_send_back(action=action, user=role_users["hq_admin"], reason="No photo.")
        assert back.status == ActionStatus.OPEN
        assert action.events.last().note == "No photo."

    def test_bad_input_names_the_field(self, action, role_users):
        franchisee = role_users["franchisee"]
        for kwargs, field in [
            ({"note": ""}, "note"),
            ({"note": "x" * 4001}, "note"),
            ({"note": "ok", "photo": io.BytesIO(b"not an image")}, "photo"),
        ]:
            with pytest.raises(ValidationError) as refused:
                action_respond(action=action, user=franchisee, **kwargs)
            assert field in refused.value.message_dict

    def test_roles_and_states(self, action, role_users, user_in, chain):
        with pytest.raises(PermissionDenied):
            action_respond(action=action, user=role_users["hq_analyst"], note="x")
        with pytest.raises(PermissionDenied):
            action_respond(
                action=action, user=user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2), note="x"
            )
        with pytest.raises(ActionStateConflict):
            action_accept(action=action, user=role_users["hq_admin"])  # not answered yet
        action_respond(action=action, user=role_users["hq_admin"], note="HQ answers for the store.")
        with pytest.raises(PermissionDenied):
            action_accept(action=action, user=role_users["franchisee"])
        with pytest.raises(ActionStateConflict):
            action_respond(action=action, user=role_users["franchisee"], note="again")


class EscalationTests:
    def test_overdue_open_actions_escalate_once(self, setup, role_users):
        admin = role_users["hq_admin"]
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=5)
        found = actions_of(setup.f1_south)
        assert actions_escalate() == 1  # SIG-01 was due in 3 days; SIG-03 in 14
        assert actions_escalate() == 0
        found["SIG-01"].refresh_from_db()
        assert found["SIG-01"].escalated_at is not None
        assert found["SIG-01"].events.last().kind == EventKind.ESCALATED
        # an answered action waits on HQ: not escalated, however late
        action_respond(action=found["SIG-03"], user=role_users["franchisee"], note="Fixed.")
        assert actions_escalate(now=timezone.now() + timedelta(days=60)) == 0

    def test_the_brand_grace_and_the_command(self, setup, role_users):
        default_policy(setup.brand, escalation_grace_days=3)
        audit_at(setup.f1_south, role_users["hq_admin"], failing_answers(setup.f1_south), days_ago=5)
        assert actions_escalate() == 0  # 2 days overdue, 3 days' grace
        out = io.StringIO()
        call_command("escalate_actions", stdout=out)
        assert "Escalated 0" in out.getvalue()
        assert actions_escalate(now=timezone.now() + timedelta(days=2)) == 1

    def test_beat_runs_the_task(self, settings):
        from cx_audit.actions.tasks import actions_escalate as task

        schedule = settings.CELERY_BEAT_SCHEDULE["escalate-overdue-actions"]
        assert schedule["task"] == task.name
        assert task.apply().get() == 0


class LaterFailureKeepsTheActionTests:
    def test_voiding_the_opening_audit_hands_the_action_to_the_later_failing_visit(self, setup, role_users):
        admin = role_users["hq_admin"]
        first = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=10)
        second = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=1)
        audit_void(audit=first, user=admin, reason="Wrong store")
        for action in actions_of(setup.f1_south).values():
            assert (action.status, action.audit_id) == (ActionStatus.OPEN, second.pk)
            assert action.item_result.audit_id == second.pk

    def test_overturning_the_first_finding_keeps_an_action_failed_again_since(self, setup, role_users):
        admin = role_users["hq_admin"]
        first = audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=2)
        audit_at(setup.f1_south, admin, failing_answers(setup.f1_south), days_ago=1)
        dispute = dispute_raise(audit=first, user=role_users["franchisee"], item_code="SIG-03", note="lit")
        dispute_accept(dispute=dispute, user=admin, ruling=Ruling.PASS)
        assert actions_of(setup.f1_south)["SIG-03"].status == ActionStatus.OPEN
