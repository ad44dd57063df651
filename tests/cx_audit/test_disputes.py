"""Disputes of findings: raised by the outlet's franchisee in time, decided once by HQ; an accepted
one rescored through a recorded amendment that keeps the original everywhere the item appears."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cx_audit.audits.models.amendments import Amendment
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.core.choices import Role
from cx_audit.disputes.models import Dispute
from cx_audit.disputes.services import DisputeClosed, dispute_accept, dispute_raise, dispute_reject
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import (
    AMENDED_SCORE,
    EXPECTED_RAW,
    EXPECTED_SCORE,
    audit_at,
    failing_answers,
    scorecard_framework,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(chain, role_users):
    scorecard_framework(chain.brand)
    return audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south), photo=True)


@pytest.fixture
def dispute(audit, role_users):
    return dispute_raise(
        audit=audit,
        user=role_users["franchisee"],
        item_code="SIG-01",
        note="The sign was replaced on Monday.",
    )


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return error.value.message_dict[field][0]


class RaiseTests:
    def test_the_outlets_franchisee_disputes_a_failed_item_with_a_photo(self, audit, role_users):
        dispute = dispute_raise(
            audit=audit,
            user=role_users["franchisee"],
            item_code="SIG-03",
            note="灯箱在检查时正在维修",
            photo=io.BytesIO(png_bytes()),
        )
        assert (dispute.status, dispute.item_code, dispute.photo_content_type) == (
            "open",
            "SIG-03",
            "image/png",
        )
        assert dispute.photo.name.startswith(f"disputes/{audit.pk}/")

    @pytest.mark.parametrize("role", ["hq_admin", "hq_analyst", "auditor"])
    def test_other_roles_may_not_dispute(self, audit, role_users, role):
        with pytest.raises(PermissionDenied):
            dispute_raise(audit=audit, user=role_users[role], item_code="SIG-01", note="no")

    def test_bad_input_is_refused_naming_the_field(self, audit, role_users):
        franchisee = role_users["franchisee"]

        def raise_(**changes):
            return lambda: dispute_raise(
                **{"audit": audit, "user": franchisee, "item_code": "SIG-01", "note": "why"} | changes
            )

        assert refused(raise_(note="  "), "note") == "Say why the finding is wrong."
        assert refused(raise_(item_code="NOPE"), "item") == "No item with this code in the audit."
        assert (
            refused(raise_(item_code="SIG-02"), "item")
            == "Only a failed or partly met finding can be disputed."
        )
        assert (
            refused(raise_(photo=io.BytesIO(b"not a photo")), "photo")
            == "The file is not a JPEG, PNG or WebP image."
        )
        raise_()()
        assert refused(raise_(), "item") == "This finding has already been disputed."
        assert Dispute.objects.count() == 1

    def test_only_within_the_brands_days(self, audit, role_users, chain):
        later = audit.submitted_at + timedelta(days=chain.brand.dispute_days, minutes=1)
        message = refused(
            lambda: dispute_raise(
                audit=audit, user=role_users["franchisee"], item_code="SIG-01", note="late", now=later
            ),
            "audit",
        )
        assert message.startswith("The time to dispute this audit ended on ")
        assert "(14 days after submission)" in message

    def test_not_on_a_voided_audit(self, audit, role_users):
        from cx_audit.audits.services import audit_void

        audit_void(audit=audit, user=role_users["hq_admin"], reason="wrong store")
        assert refused(
            lambda: dispute_raise(audit=audit, user=role_users["franchisee"], item_code="SIG-01", note="x"),
            "audit",
        )


class DecisionTests:
    def test_reject_keeps_the_finding_and_says_why(self, dispute, role_users, audit):
        admin = role_users["hq_admin"]
        assert refused(lambda: dispute_reject(dispute=dispute, user=admin, reason=" "), "reason")
        rejected = dispute_reject(dispute=dispute, user=admin, reason="The photo shows the old sign.")
        assert (rejected.status, rejected.decided_by, rejected.decision_reason) == (
            "rejected",
            admin,
            "The photo shows the old sign.",
        )
        assert Audit.objects.get(pk=audit.pk).score == EXPECTED_SCORE
        with pytest.raises(DisputeClosed):
            dispute_accept(dispute=dispute, user=admin)

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee", "other_admin"])
    def test_only_hq_admins_of_the_brand_decide(self, dispute, role_users, role):
        with pytest.raises(PermissionDenied):
            dispute_accept(dispute=dispute, user=role_users[role])
        with pytest.raises(PermissionDenied):
            dispute_reject(dispute=dispute, user=role_users[role], reason="no")

    def test_accept_rescores_the_item_and_the_audit_and_records_the_original(
        self, dispute, role_users, audit
    ):
        admin = role_users["hq_admin"]
        amendment = dispute_accept(dispute=dispute, user=admin, reason="New sign confirmed by photo.")
        audit.refresh_from_db()
        assert (audit.score, audit.raw_score, audit.critical_failure, audit.band) == (
            AMENDED_SCORE,
            AMENDED_SCORE,
            False,
            "Good",
        )
        item = ItemResult.objects.get(audit=audit, item_code="SIG-01")
        assert (item.outcome, item.earned, item.critical_failed) == ("pass", 1, False)
        assert item.reason == "amended by HQ after a dispute: passed — New sign confirmed by photo."
        assert SectionResult.objects.get(audit=audit, section_code="signage").score == Decimal("66.67")
        assert (
            amendment.original_outcome,
            amendment.original_earned,
            amendment.original_critical_failed,
        ) == (
            "fail",
            0,
            True,
        )
        assert amendment.original_reason == "forbidden term '体验店' found → fail"
        assert (amendment.score_before, amendment.raw_score_before, amendment.band_before) == (
            EXPECTED_SCORE,
            EXPECTED_RAW,
            "Poor",
        )
        assert amendment.sections_before == {"signage": "33.33", "display": "100.00"}
        assert (amendment.amended_by, amendment.score_after) == (admin, AMENDED_SCORE)
        dispute.refresh_from_db()
        assert (dispute.status, dispute.decided_by) == ("accepted", admin)

    def test_partial_and_struck_out_rulings(self, audit, role_users):
        franchisee, admin = role_users["franchisee"], role_users["hq_admin"]
        first = dispute_raise(audit=audit, user=franchisee, item_code="SIG-03", note="half lit")
        assert refused(lambda: dispute_accept(dispute=first, user=admin, ruling="partial"), "fraction")
        assert refused(lambda: dispute_accept(dispute=first, user=admin, ruling="maybe"), "ruling")
        dispute_accept(
            dispute=first, user=admin, ruling="partial", fraction=Decimal("0.5"), reason="half lit"
        )
        second = dispute_raise(audit=audit, user=franchisee, item_code="SIG-01", note="not our sign")
        dispute_accept(dispute=second, user=admin, ruling="na", reason="the neighbour's sign")
        audit.refresh_from_db()
        # signage: SIG-01 struck out, SIG-02 1/1, SIG-03 0.5/1 → 75.00; display 100 → 87.50, no cap
        assert (audit.score, audit.critical_failure, audit.na_count) == (Decimal("87.50"), False, 1)
        amendments = list(Amendment.objects.filter(audit=audit).order_by("pk"))
        assert [a.score_before for a in amendments] == [
            EXPECTED_SCORE,
            EXPECTED_SCORE,
        ]  # still capped after one
        assert [a.score_after for a in amendments] == [EXPECTED_SCORE, Decimal("87.50")]

    def test_a_recompute_keeps_the_amendment(self, dispute, role_users, audit):
        dispute_accept(dispute=dispute, user=role_users["hq_admin"])
        out = io.StringIO()
        call_command("recompute_scores", stdout=out)
        assert "0 audit(s) would change" in out.getvalue()
        call_command("recompute_scores", "--apply", stdout=io.StringIO())
        assert Audit.objects.get(pk=audit.pk).score == AMENDED_SCORE


class EverywhereTests:
    """The accepted item shows its original and amended result on the page, the audit page, the
    PDF and the API, and the rankings read the amended score."""

    @pytest.fixture
    def accepted(self, dispute, role_users):
        return dispute_accept(dispute=dispute, user=role_users["hq_admin"], reason="New sign confirmed.")

    def test_scorecard_page(self, accepted, client_for, chain, role_users):
        html = client_for(role_users["franchisee"]).get(f"/scorecards/{chain.f1_south.pk}/").content.decode()
        assert 'data-score="83.33"' in html
        assert "Originally 50.00 (Poor); HQ amended findings after a dispute." in html
        finding = html.split('id="finding-SIG-01"')[1].split("</article>")[0]
        assert "Fail</span> 0.00 of 1.00 points — forbidden term &#x27;体验店&#x27; found → fail" in finding
        assert "Pass, 1.00 of 1.00 points — by" in finding
        assert "New sign confirmed." in finding
        assert "(was 33.33)" in html

    def test_audit_page(self, accepted, client_for, role_users, audit):
        html = client_for(role_users["hq_analyst"]).get(f"/audits/{audit.pk}/").content.decode()
        assert "83.33" in html
        assert "Originally 50.00 (Poor)" in html
        assert "was: Fail 0.00 / 1.00" in html

    def test_api(self, accepted, api, chain, role_users, audit):
        card = api(role_users["franchisee"]).get(f"/api/scorecards/{chain.f1_south.pk}/").json()
        assert (card["audit"]["score"], card["original_score"], card["amended"]) == ("83.33", "50.00", True)
        finding = next(f for f in card["findings"] if f["item_code"] == "SIG-01")
        assert (finding["outcome"], finding["amendment"]["original_outcome"]) == ("pass", "fail")
        assert finding["amendment"]["original_reason"] == "forbidden term '体验店' found → fail"
        assert next(s for s in card["sections"] if s["code"] == "signage")["original_score"] == "33.33"
        score = api(role_users["hq_analyst"]).get(f"/api/audits/{audit.pk}/score/").json()
        assert score["audit"]["score"] == "83.33"
        assert score["amendments"][0]["original_outcome"] == "fail"
        dispute = api(role_users["franchisee"]).get(f"/api/disputes/{accepted.dispute_id}/").json()
        assert dispute["amendment"]["score_before"] == "50.00"

    @pytest.mark.skipif(
        shutil.which("pdftotext") is None,
        reason="needs pdftotext: apt-get install poppler-utils (make system-deps)",
    )
    def test_pdf(self, accepted, client_for, chain, role_users, tmp_path):
        pdf = client_for(role_users["franchisee"]).get(f"/scorecards/{chain.f1_south.pk}/pdf/").content
        (tmp_path / "card.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "card.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        assert "83.33" in flat
        assert "Originally 50.00 (Poor)" in flat
        assert "Original" in flat
        assert "Fail 0.00 of 1.00 points — forbidden term '体验店' found → fail" in flat
        assert "Amended" in flat
        assert "Pass, 1.00 of 1.00 points — by" in flat

    def test_rankings_and_portal_read_the_amended_score(self, accepted, api, client_for, chain, role_users):
        league = api(role_users["hq_analyst"]).get("/api/insights/league/", {"brand": chain.brand.pk}).json()
        row = next(r for r in league["results"] if r["location_code"] == "GZ-101")
        assert row["score"] == "83.33"
        rows = api(role_users["franchisee"]).get("/api/scorecards/").json()["results"]
        assert next(r for r in rows if r["location"]["code"] == "GZ-101")["score"] == "83.33"
        assert Audit.objects.latest_per_location().get(location=chain.f1_south).score == AMENDED_SCORE


class DisputeAPITests:
    def test_franchisee_raises_hq_accepts_over_the_api(self, api, audit, role_users):
        franchisee = api(role_users["franchisee"])
        created = franchisee.post(
            "/api/disputes/",
            {"audit": audit.pk, "item": "SIG-01", "note": "new sign", "photo": io.BytesIO(png_bytes())},
            format="multipart",
        )
        assert created.status_code == 201, created.content
        body = created.json()
        assert (body["status"], body["item_code"], body["location"]) == ("open", "SIG-01", audit.location_id)
        assert franchisee.get(body["photo_url"]).status_code == 200
        assert franchisee.post(f"/api/disputes/{body['id']}/accept/", {}, format="json").status_code == 403
        admin = api(role_users["hq_admin"])
        accepted = admin.post(f"/api/disputes/{body['id']}/accept/", {"reason": "ok"}, format="json")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["amendment"]["score_after"] == "83.33"
        again = admin.post(f"/api/disputes/{body['id']}/reject/", {"reason": "no"}, format="json")
        assert again.status_code == 409
        assert "status" in again.json()

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"item": "SIG-01", "note": "x"}, "audit"),
            ({"audit": "abc", "item": "SIG-01", "note": "x"}, "audit"),
            ({"audit": 1, "note": "x"}, "item"),
            ({"audit": 1, "item": "SIG-01", "note": ""}, "note"),
        ],
    )
    def test_bad_input_names_the_field(self, api, role_users, audit, payload, field):
        response = api(role_users["franchisee"]).post("/api/disputes/", payload, format="json")
        assert response.status_code == 400
        assert field in response.json()

    def test_service_refusals_are_400_naming_the_field(self, api, role_users, audit):
        client = api(role_users["franchisee"])
        response = client.post(
            "/api/disputes/", {"audit": audit.pk, "item": "SIG-02", "note": "x"}, format="json"
        )
        assert response.status_code == 400
        assert "item" in response.json()
        bad = client.post(
            "/api/disputes/", {"audit": audit.pk, "item": "SIG-01", "note": "x"}, format="json"
        ).json()
        partial = api(role_users["hq_admin"]).post(
            f"/api/disputes/{bad['id']}/accept/", {"ruling": "partial", "fraction": "7"}, format="json"
        )
        assert partial.status_code == 400
        assert "fraction" in partial.json()
        empty = api(role_users["hq_admin"]).post(f"/api/disputes/{bad['id']}/reject/", {}, format="json")
        assert empty.status_code == 400
        assert "reason" in empty.json()

    def test_status_filter(self, api, dispute, role_users):
        client = api(role_users["hq_admin"])
        assert [d["id"] for d in client.get("/api/disputes/", {"status": "open"}).json()["results"]] == [
            dispute.pk
        ]
        assert client.get("/api/disputes/", {"status": "rejected"}).json()["results"] == []
        assert client.get("/api/disputes/", {"status": "nonsense"}).status_code == 400


class DisputePageTests:
    def test_franchisee_disputes_from_the_scorecard_and_hq_decides_on_the_page(
        self, client_for, chain, audit, role_users
    ):
        page = f"/scorecards/{chain.f1_south.pk}/"
        franchisee = client_for(role_users["franchisee"])
        empty = franchisee.post(f"{page}disputes/", {"item": "SIG-01", "note": ""})
        assert empty.status_code == 400
        assert (
            'id="dispute-SIG-01-note_error"' in empty.content.decode()
            or "This field is required" in empty.content.decode()
        )
        sent = franchisee.post(f"{page}disputes/", {"item": "SIG-01", "note": "The sign was replaced."})
        assert sent.status_code == 302
        html = franchisee.get(page).content.decode()
        assert "Your dispute of SIG-01 was sent to HQ." in html
        assert html.count("Dispute this finding") == 1  # SIG-03 only now
        dispute = Dispute.objects.get()
        admin = client_for(role_users["hq_admin"])
        detail = admin.get(f"/scorecards/disputes/{dispute.pk}/").content.decode()
        assert "The sign was replaced." in detail
        assert "Record the decision" in detail
        assert (
            "Record the decision"
            not in franchisee.get(f"/scorecards/disputes/{dispute.pk}/").content.decode()
        )
        refused = admin.post(f"/scorecards/disputes/{dispute.pk}/", {"decision": "reject", "reason": ""})
        assert refused.status_code == 400
        assert "Say why the dispute is rejected." in refused.content.decode()
        assert (
            franchisee.post(f"/scorecards/disputes/{dispute.pk}/", {"decision": "accept"}).status_code == 403
        )
        done = admin.post(
            f"/scorecards/disputes/{dispute.pk}/", {"decision": "accept", "ruling": "pass", "reason": "ok"}
        )
        assert done.status_code == 302
        assert Audit.objects.get(pk=audit.pk).score == AMENDED_SCORE
        listing = franchisee.get("/scorecards/disputes/").content.decode()
        assert "Accepted" in listing
        assert "SIG-01" in listing
        assert (
            "Accepted"
            not in franchisee.get("/scorecards/disputes/?status=open").content.decode().split("<tbody>")[1]
        )

    def test_a_late_dispute_is_refused_on_the_page(self, client_for, chain, audit, role_users):
        Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now() - timedelta(days=15))
        response = client_for(role_users["franchisee"]).post(
            f"/scorecards/{chain.f1_south.pk}/disputes/", {"item": "SIG-01", "note": "late"}
        )
        assert response.status_code == 400
        assert "The time to dispute this audit ended on" in response.content.decode()
        assert not Dispute.objects.exists()


def _repeats(audit: Audit) -> set[str]:
    return set(ItemResult.objects.filter(audit=audit, repeat=True).values_list("item_code", flat=True))


class RepeatAfterAmendmentTests:
    def test_a_passed_ruling_breaks_the_repeat_in_the_next_audit(self, chain, role_users, dispute):
        dispute_accept(dispute=dispute, user=role_users["hq_admin"])
        later = audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
        repeats = set(ItemResult.objects.filter(audit=later, repeat=True).values_list("item_code", flat=True))
        assert repeats == {"SIG-03"}  # SIG-01 passed after the amendment; SIG-03 failed both times

    def test_accepting_after_the_next_visit_clears_its_repeat(self, chain, role_users, dispute):
        later = audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
        assert (later.repeat_count, _repeats(later)) == (2, {"SIG-01", "SIG-03"})

        dispute_accept(dispute=dispute, user=role_users["hq_admin"])
        later.refresh_from_db()
        assert (later.repeat_count, _repeats(later)) == (1, {"SIG-03"})

    def test_a_partly_met_ruling_keeps_the_repeat(self, chain, role_users, dispute):
        later = audit_at(chain.f1_south, role_users["hq_admin"], failing_answers(chain.f1_south))
        dispute_accept(
            dispute=dispute, user=role_users["hq_admin"], ruling="partial", fraction=Decimal("0.5")
        )
        later.refresh_from_db()
        assert (later.repeat_count, _repeats(later)) == (2, {"SIG-01", "SIG-03"})

    def test_a_new_operator_cannot_dispute_the_previous_operators_audit(self, chain, audit, user_in):
        chain.f1_south.franchisee = chain.f2
        chain.f1_south.save()
        new_operator = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
        with pytest.raises(PermissionDenied):
            dispute_raise(audit=audit, user=new_operator, item_code="SIG-01", note="not us")


class DisputePageInputTests:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"note": "x"}, "This field is required."),
            ({"item": "NOPE", "note": "x"}, "No item with this code in the audit."),
            ({"item": "SIG-02", "note": "x"}, "Only a failed or partly met finding can be disputed."),
        ],
    )
    def test_a_bad_item_is_said_above_the_findings(self, client_for, chain, audit, role_users, data, message):
        response = client_for(role_users["franchisee"]).post(
            f"/scorecards/{chain.f1_south.pk}/disputes/", data
        )
        assert response.status_code == 400
        alert = (
            response.content.decode().split('<div class="error-summary" role="alert">')[1].split("</div>")[0]
        )
        assert message in alert

    def test_a_bad_photo_is_said_beside_the_field(self, client_for, chain, audit, role_users):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_for(role_users["franchisee"]).post(
            f"/scorecards/{chain.f1_south.pk}/disputes/",
            {"item": "SIG-01", "note": "x", "photo": SimpleUploadedFile("x.jpg", b"not an image")},
        )
        assert response.status_code == 400
        assert 'id="dispute-SIG-01-photo_error" role="alert">The file is not a JPEG, PNG or WebP image.' in (
            response.content.decode()
        )
        assert not Dispute.objects.exists()

    def test_a_bad_decision_is_400_naming_the_field(self, client_for, dispute, role_users):
        admin = client_for(role_users["hq_admin"])
        url = f"/scorecards/disputes/{dispute.pk}/"
        for data, text in [
            ({"decision": "accept", "ruling": "partial", "fraction": "abc"}, "Enter a number."),
            ({"decision": "accept", "ruling": "partial"}, "give the share of the points between 0 and 1"),
            ({"decision": "maybe"}, "Select a valid choice."),
        ]:
            response = admin.post(url, data)
            assert response.status_code == 400, data
            assert text in response.content.decode(), data
        dispute.refresh_from_db()
        assert dispute.status == "open"
