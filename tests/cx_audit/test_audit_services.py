"""The audit services against a real database: create, answer, submit, void, recompute."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cx_audit.audits.choices import AuditKind, AuditStatus, Outcome
from cx_audit.audits.models.audits import Answer, Audit
from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.audits.services import (
    AnswerInput,
    AuditIncomplete,
    AuditLocked,
    answers_upsert,
    audit_create,
    audit_submit,
    audit_void,
    evidence_add,
)
from cx_audit.core.choices import Role
from locations.models import OutletType
from tests.cx_audit.audit_helpers import (
    answers_for,
    png_bytes,
    published_framework,
    submitted_audit,
    yes_answers,
    yes_no_framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


class AuditCreateTests:
    def test_draft_against_the_current_framework_with_checkin_distance(self, chain, role_users, framework):
        audit, created = audit_create(
            location=chain.direct_north,
            user=role_users["auditor"],
            kind=AuditKind.UNANNOUNCED,
            checkin_latitude=Decimal("39.9060"),
            checkin_longitude=Decimal("116.4074"),
        )
        assert created
        assert audit.status == AuditStatus.DRAFT
        assert audit.framework == framework
        assert audit.brand == chain.brand
        assert 170 <= audit.checkin_distance_m <= 210  # 0.0018° of latitude ≈ 200 m

    def test_same_client_id_returns_the_same_audit(self, chain, role_users, framework):
        client_id = uuid.uuid4()
        first, created = audit_create(
            location=chain.direct_north, user=role_users["auditor"], kind="scheduled", client_id=client_id
        )
        again, created_again = audit_create(
            location=chain.direct_north, user=role_users["auditor"], kind="scheduled", client_id=client_id
        )
        assert created
        assert not created_again
        assert first.pk == again.pk
        assert Audit.objects.count() == 1

    def test_franchisee_may_only_assess_itself(self, chain, role_users, framework):
        user = role_users["franchisee"]
        with pytest.raises(PermissionDenied):
            audit_create(location=chain.f1_south, user=user, kind=AuditKind.SCHEDULED)
        audit, _ = audit_create(location=chain.f1_south, user=user, kind=AuditKind.SELF_ASSESSMENT)
        assert audit.kind == AuditKind.SELF_ASSESSMENT
        with pytest.raises(PermissionDenied):
            audit_create(location=chain.f2_north_east, user=user, kind=AuditKind.SELF_ASSESSMENT)

    def test_analyst_cannot_audit(self, chain, role_users, framework):
        with pytest.raises(PermissionDenied):
            audit_create(location=chain.direct_north, user=role_users["hq_analyst"], kind="scheduled")

    def test_no_published_framework_is_a_clear_error(self, chain, role_users):
        with pytest.raises(ValidationError) as error:
            audit_create(location=chain.direct_north, user=role_users["hq_admin"], kind="scheduled")
        assert "location" in error.value.message_dict


class AnswersUpsertTests:
    def test_saves_and_a_replay_changes_nothing(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=user, kind="scheduled")
        answers_upsert(audit=audit, user=user, answers=answers_for(chain.f1_south))
        stamps = dict(Answer.objects.values_list("item__code", "updated_at"))
        assert answers_upsert(audit=audit, user=user, answers=answers_for(chain.f1_south)) == []
        assert dict(Answer.objects.values_list("item__code", "updated_at")) == stamps
        assert Answer.objects.count() == 5

    def test_one_bad_answer_saves_none_and_names_the_item(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=user, kind="scheduled")
        bad = answers_for(chain.f1_south, DIS_03=AnswerInput(item="DIS-03", number=Decimal("7")))
        bad.append(AnswerInput(item="NOPE-1", yes=True))
        with pytest.raises(ValidationError) as error:
            answers_upsert(audit=audit, user=user, answers=bad)
        messages = " ".join(error.value.message_dict["answers"])
        assert "DIS-03:" in messages
        assert "NOPE-1:" in messages
        assert not Answer.objects.exists()

    def test_na_only_where_allowed(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=user, kind="scheduled")
        answers_upsert(audit=audit, user=user, answers=[AnswerInput(item="DIS-03", kind="na")])
        with pytest.raises(ValidationError, match="SIG-02"):
            answers_upsert(audit=audit, user=user, answers=[AnswerInput(item="SIG-02", kind="na")])

    def test_someone_elses_draft_is_not_theirs_to_fill(self, chain, role_users, framework, user_in):
        audit, _ = audit_create(location=chain.direct_north, user=role_users["auditor"], kind="scheduled")
        colleague = user_in(chain.brand, Role.AUDITOR, regions=[chain.north])
        with pytest.raises(PermissionDenied):
            answers_upsert(audit=audit, user=colleague, answers=[AnswerInput(item="SIG-02", yes=True)])


class AuditSubmitTests:
    def test_incomplete_lists_exactly_what_is_missing_and_keeps_the_answers(
        self, chain, role_users, framework
    ):
        user = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=user, kind="scheduled")
        given = [a for a in answers_for(chain.f1_south) if a.item not in ("DIS-01", "SIG-01")]
        answers_upsert(audit=audit, user=user, answers=given)
        with pytest.raises(AuditIncomplete) as incomplete:
            audit_submit(audit=audit, user=user)
        assert [code for code, _ in incomplete.value.missing] == ["SIG-01", "DIS-01"]
        audit.refresh_from_db()
        assert audit.status == AuditStatus.DRAFT
        assert Answer.objects.filter(audit=audit).count() == 3

    def test_items_that_do_not_apply_are_not_missing(self, chain, role_users, framework):
        audit = submitted_audit(chain.direct_north, role_users["hq_admin"])
        sig = ItemResult.objects.get(audit=audit, item_code="SIG-01")
        assert sig.outcome == Outcome.NOT_APPLICABLE
        assert sig.possible == 0

    def test_photo_required_item_needs_a_photo(self, chain, role_users, framework):
        framework.items.filter(code="SIG-02").update(photo_required=True)  # test setup, not an API route
        user = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=user, kind="scheduled")
        answers_upsert(audit=audit, user=user, answers=answers_for(chain.f1_south))
        with pytest.raises(AuditIncomplete) as incomplete:
            audit_submit(audit=audit, user=user)
        assert [code for code, _ in incomplete.value.missing] == ["SIG-02"]
        evidence_add(audit=audit, user=user, item_code="SIG-02", upload=io.BytesIO(png_bytes()))
        assert audit_submit(audit=audit, user=user).status == AuditStatus.SUBMITTED

    def test_scores_stores_results_and_snapshot(self, chain, role_users, framework):
        answers = answers_for(
            chain.f1_south,
            DIS_01=AnswerInput(item="DIS-01", number=Decimal("3")),
            DIS_03=AnswerInput(item="DIS-03", number=Decimal("4")),
        )
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"], answers)
        audit.refresh_from_db()
        assert audit.status == AuditStatus.SUBMITTED
        assert audit.submitted_at is not None
        assert (audit.outlet_type, audit.franchisee, audit.region, audit.city_tier) == (
            OutletType.AUTHORIZED,
            chain.f1,
            chain.south,
            chain.f1_south.city_tier,
        )
        # signage: 2 of 2; display: DIS-01 3/6 = 0.5, DIS-02 1, DIS-03 (4-1)/4 = 0.75 → 2.25 of 3
        sections = dict(SectionResult.objects.filter(audit=audit).values_list("section_code", "score"))
        assert sections == {"signage": Decimal("100.00"), "display": Decimal("75.00")}
        assert audit.raw_score == audit.score == Decimal("87.50")
        assert audit.band == "Good"
        assert not audit.critical_failure
        results = {r.item_code: r for r in ItemResult.objects.filter(audit=audit)}
        assert results["DIS-01"].outcome == Outcome.PARTIAL
        assert results["DIS-01"].fraction == Decimal("0.5")
        assert "6" in results["DIS-01"].reason
        assert "0.50" in results["DIS-01"].reason
        assert audit.failed_count == 2

    def test_forbidden_signage_is_a_critical_failure_with_the_raw_score_kept(
        self, chain, role_users, framework
    ):
        answers = answers_for(
            chain.f1_south, SIG_01=AnswerInput(item="SIG-01", text="华信 Aurora 体验店 Authorized Dealer")
        )
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"], answers)
        assert audit.critical_failure
        assert audit.raw_score == Decimal("75.00")  # signage 50, display 100
        assert audit.score == Decimal("50.00")
        assert audit.band == "Poor"
        result = ItemResult.objects.get(audit=audit, item_code="SIG-01")
        assert result.matched_forbidden == ["体验店"]
        assert result.critical_failed
        assert "体验店" in result.reason

    def test_brand_ceiling_and_bands_are_the_brands(self, chain, role_users, framework):
        chain.brand.critical_cap = Decimal("40")
        chain.brand.score_bands = [{"name": "Fine", "min_score": 50}, {"name": "Not fine", "min_score": 0}]
        chain.brand.save()
        answers = answers_for(chain.f1_south, SIG_01=AnswerInput(item="SIG-01", text="Aurora Flagship"))
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"], answers)
        assert audit.score == Decimal("40.00")
        assert audit.band == "Not fine"

    def test_failed_again_is_a_repeat_finding(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        failing = answers_for(chain.direct_north, SIG_02=AnswerInput(item="SIG-02", yes=False))
        first = submitted_audit(chain.direct_north, user, failing)
        assert not ItemResult.objects.get(audit=first, item_code="SIG-02").repeat
        second = submitted_audit(chain.direct_north, user, failing)
        assert ItemResult.objects.get(audit=second, item_code="SIG-02").repeat
        assert second.repeat_count == 1
        third = submitted_audit(chain.direct_north, user)
        assert third.repeat_count == 0

    def test_a_self_assessment_between_visits_is_kept_apart(self, chain, role_users, framework):
        admin, franchisee = role_users["hq_admin"], role_users["franchisee"]
        failing = answers_for(chain.f1_south, SIG_02=AnswerInput(item="SIG-02", yes=False))
        submitted_audit(chain.f1_south, admin, failing)
        own, _ = audit_create(location=chain.f1_south, user=franchisee, kind=AuditKind.SELF_ASSESSMENT)
        answers_upsert(audit=own, user=franchisee, answers=answers_for(chain.f1_south))
        assert audit_submit(audit=own, user=franchisee).repeat_count == 0
        again = submitted_audit(chain.f1_south, admin, failing)
        assert ItemResult.objects.get(audit=again, item_code="SIG-02").repeat

    def test_voided_previous_audit_does_not_make_repeats(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        failing = answers_for(chain.direct_north, SIG_02=AnswerInput(item="SIG-02", yes=False))
        first = submitted_audit(chain.direct_north, user, failing)
        audit_void(audit=first, user=user, reason="Wrong store")
        assert submitted_audit(chain.direct_north, user, failing).repeat_count == 0

    def test_voiding_the_previous_visit_re_derives_the_next_ones_repeats(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        failing = answers_for(chain.direct_north, SIG_02=AnswerInput(item="SIG-02", yes=False))
        oldest = submitted_audit(chain.direct_north, user, failing)
        middle = submitted_audit(chain.direct_north, user)
        latest = submitted_audit(chain.direct_north, user, failing)
        assert latest.repeat_count == 0  # the middle visit passed SIG-02

        audit_void(audit=middle, user=user, reason="Audited the wrong store")
        latest.refresh_from_db()
        assert latest.repeat_count == 1  # it now follows the oldest visit, which failed SIG-02
        assert ItemResult.objects.get(audit=latest, item_code="SIG-02").repeat
        oldest.refresh_from_db()
        assert oldest.repeat_count == 0  # audits before the voided one are untouched

    def test_a_visit_submitted_late_makes_the_later_visit_a_repeat(self, chain, role_users, framework):
        user = role_users["hq_admin"]
        failing = answers_for(chain.direct_north, SIG_02=AnswerInput(item="SIG-02", yes=False))
        today = submitted_audit(chain.direct_north, user, failing)
        assert today.repeat_count == 0
        offline, _ = audit_create(location=chain.direct_north, user=user, kind=AuditKind.SCHEDULED)
        answers_upsert(audit=offline, user=user, answers=failing)
        audit_submit(audit=offline, user=user, submitted_at=today.submitted_at - timedelta(days=3))

        today.refresh_from_db()
        assert today.repeat_count == 1
        assert ItemResult.objects.get(audit=today, item_code="SIG-02").repeat

    def test_a_self_assessment_after_a_voided_visit_is_re_derived_too(self, chain, role_users, framework):
        admin, franchisee = role_users["hq_admin"], role_users["franchisee"]
        failing = answers_for(chain.f1_south, SIG_02=AnswerInput(item="SIG-02", yes=False))
        visit = submitted_audit(chain.f1_south, admin, failing)
        own, _ = audit_create(location=chain.f1_south, user=franchisee, kind=AuditKind.SELF_ASSESSMENT)
        answers_upsert(audit=own, user=franchisee, answers=failing)
        own = audit_submit(audit=own, user=franchisee)
        assert own.repeat_count == 1  # a self-assessment compares with whatever came last

        audit_void(audit=visit, user=admin, reason="Auditor at the wrong outlet")
        own.refresh_from_db()
        assert own.repeat_count == 0
        assert not ItemResult.objects.filter(audit=own, repeat=True).exists()


class ImmutabilityTests:
    @pytest.fixture
    def audit(self, chain, role_users, framework):
        return submitted_audit(chain.f1_south, role_users["hq_admin"])

    def test_no_service_changes_a_submitted_audit(self, audit, role_users):
        user = role_users["hq_admin"]
        with pytest.raises(AuditLocked):
            answers_upsert(audit=audit, user=user, answers=[AnswerInput(item="SIG-02", yes=False)])
        with pytest.raises(AuditLocked):
            evidence_add(audit=audit, user=user, item_code="SIG-02", upload=io.BytesIO(png_bytes()))
        with pytest.raises(AuditLocked):
            audit_submit(audit=audit, user=role_users["auditor"])
        # Its own auditor's submit again is a replay: the audit comes back as it was (issue 12, #4).
        assert audit_submit(audit=audit, user=user).submitted_at == audit.submitted_at
        assert Answer.objects.get(audit=audit, item__code="SIG-02").yes is True

    def test_a_stale_copy_in_memory_cannot_sneak_past(self, audit, role_users):
        stale = Audit.objects.get(pk=audit.pk)
        stale.status = AuditStatus.DRAFT  # as if read before submission
        with pytest.raises(AuditLocked):
            answers_upsert(
                audit=stale, user=role_users["hq_admin"], answers=[AnswerInput(item="SIG-02", yes=False)]
            )

    def test_void_needs_hq_admin_and_a_reason_and_is_final(self, audit, role_users):
        with pytest.raises(PermissionDenied):
            audit_void(audit=audit, user=role_users["auditor"], reason="no")
        with pytest.raises(ValidationError):
            audit_void(audit=audit, user=role_users["hq_admin"], reason="  ")
        voided = audit_void(audit=audit, user=role_users["hq_admin"], reason="Auditor at the wrong store")
        assert voided.status == AuditStatus.VOIDED
        assert voided.void_reason == "Auditor at the wrong store"
        assert not Audit.objects.submitted().filter(pk=audit.pk).exists()
        with pytest.raises(AuditLocked):
            audit_void(audit=voided, user=role_users["hq_admin"], reason="again")


class SnapshotTests:
    def test_history_stays_with_the_operator_at_the_time(self, chain, role_users, framework, user_in):
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"])
        chain.f1_south.franchisee = chain.f2
        chain.f1_south.save()
        audit.refresh_from_db()
        assert audit.franchisee == chain.f1
        new_operator = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
        assert not Audit.objects.visible_to(new_operator).filter(pk=audit.pk).exists()
        assert Audit.objects.visible_to(role_users["franchisee"]).filter(pk=audit.pk).exists()


class SubmitQueryCountTests:
    def _submit_queries(self, chain, user, items: int, yes: bool = True, location=None) -> int:
        framework = yes_no_framework(chain.brand, items)
        audit, _ = audit_create(location=location or chain.direct_north, user=user, kind="scheduled")
        answers_upsert(audit=audit, user=user, answers=yes_answers(framework, yes=yes))
        audit = Audit.objects.get(pk=audit.pk)
        with CaptureQueriesContext(connection) as queries:
            audit_submit(audit=audit, user=user)
        assert ItemResult.objects.filter(audit=audit).count() == items
        return len(queries)

    def test_submission_runs_a_fixed_number_of_queries(self, chain, role_users):
        user = role_users["hq_admin"]
        small = self._submit_queries(chain, user, 12)
        large = self._submit_queries(chain, user, 150)
        assert small == large
        # 14 to score and store, 2 for corrective actions (the results, the location's live actions),
        # 1 for the audit's change-history row
        assert large <= 17, large

    def test_failing_everything_opens_every_action_in_a_fixed_number_of_queries(self, chain, role_users):
        from cx_audit.actions.models import CorrectiveAction

        user = role_users["hq_admin"]
        small = self._submit_queries(chain, user, 12, yes=False, location=chain.f1_south)
        large = self._submit_queries(chain, user, 150, yes=False)
        assert small == large
        # 17 as above, and 4 to open actions: routing rules, deadlines, the actions, their history
        assert large <= 21, large
        assert CorrectiveAction.objects.filter(location=chain.direct_north).count() == 150


class RecomputeTests:
    def test_reports_changes_and_applies_only_when_asked(self, chain, role_users, framework):
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"])
        out = io.StringIO()
        call_command("recompute_scores", stdout=out)
        assert "0 audit(s) would change" in out.getvalue()

        Audit.objects.filter(pk=audit.pk).update(score=Decimal("12.00"))
        ItemResult.objects.filter(audit=audit, item_code="SIG-02").update(outcome=Outcome.FAIL, earned=0)
        out = io.StringIO()
        call_command("recompute_scores", stdout=out)
        report = out.getvalue()
        assert "score: 12.00 → 100.00" in report
        assert "item SIG-02: fail 0/1 → pass 1/1" in report
        assert Audit.objects.get(pk=audit.pk).score == Decimal("12.00")

        call_command("recompute_scores", "--apply", stdout=io.StringIO())
        assert Audit.objects.get(pk=audit.pk).score == Decimal("100.00")
        assert ItemResult.objects.get(audit=audit, item_code="SIG-02").outcome == Outcome.PASS
        out = io.StringIO()
        call_command("recompute_scores", stdout=out)
        assert "0 audit(s) would change" in out.getvalue()


class LatestPerLocationTests:
    def test_latest_among_the_filtered_audits_never_drafts_or_voided(self, chain, role_users, framework):
        admin, franchisee = role_users["hq_admin"], role_users["franchisee"]
        visit = submitted_audit(chain.f1_south, admin)
        own, _ = audit_create(location=chain.f1_south, user=franchisee, kind=AuditKind.SELF_ASSESSMENT)
        answers_upsert(audit=own, user=franchisee, answers=answers_for(chain.f1_south))
        audit_submit(audit=own, user=franchisee)
        voided = submitted_audit(chain.f1_south, admin)
        audit_void(audit=voided, user=admin, reason="Wrong store")
        audit_create(location=chain.f1_south, user=admin, kind="scheduled")  # a draft
        assert list(Audit.objects.latest_per_location()) == [own]
        visits = Audit.objects.exclude(kind=AuditKind.SELF_ASSESSMENT).latest_per_location()
        assert list(visits) == [visit]
