"""The API behind the tablet: bootstrap, uuid addressing, conflicts, geofence, photos, plans."""

from __future__ import annotations

import io
import os
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.planning import AuditPlan
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit, audit_void
from tests.cx_audit.audit_helpers import answers_for, png_bytes, published_framework, submitted_audit
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

BOOTSTRAP = "/api/tablet/bootstrap/"


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


def backdate(audit: Audit, days: int) -> None:
    Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now() - timedelta(days=days))


class BootstrapTests:
    def test_auditor_gets_due_locations_nearest_first_with_overdue_on_top(
        self, api, chain, role_users, framework
    ):
        admin = role_users["hq_admin"]
        AuditPlan.objects.create(brand=chain.brand, interval_days=90)
        backdate(submitted_audit(chain.direct_north, admin), 100)  # 10 days overdue, Beijing
        backdate(submitted_audit(chain.f2_north_east, admin), 10)  # due in 80 days, Shenyang
        # Standing in Shenyang: the overdue Beijing store still comes first.
        body = api(role_users["auditor"]).get(BOOTSTRAP, {"position": "41.80,123.43"}).json()
        rows = [(row["code"], row["overdue_days"]) for row in body["locations"]]
        assert rows == [("BJ-001", 10), ("SY-201", 0)]
        assert body["locations"][1]["distance_km"] < body["locations"][0]["distance_km"]
        assert body["locations"][0]["due_date"] == str(timezone.localdate() - timedelta(days=10))

    def test_self_assessments_and_voided_audits_do_not_reset_the_clock(
        self, api, chain, role_users, framework
    ):
        admin = role_users["hq_admin"]
        voided = submitted_audit(chain.direct_north, admin)
        audit_void(audit=voided, user=admin, reason="Wrong store")
        own, _ = audit_create(
            location=chain.f1_south, user=role_users["franchisee"], kind=AuditKind.SELF_ASSESSMENT
        )
        answers_upsert(audit=own, user=role_users["franchisee"], answers=answers_for(chain.f1_south))
        audit_submit(audit=own, user=role_users["franchisee"])
        body = api(admin).get(BOOTSTRAP).json()
        never = {row["code"]: row["never_audited"] for row in body["locations"]}
        assert never["BJ-001"] is True
        assert never["GZ-101"] is True

    def test_frameworks_and_drafts_for_offline_work(self, api, chain, role_users, framework):
        auditor = role_users["auditor"]
        draft, _ = audit_create(location=chain.direct_north, user=auditor, kind="scheduled")
        answers_upsert(audit=draft, user=auditor, answers=[AnswerInput(item="SIG-02", yes=True)])
        body = api(auditor).get(BOOTSTRAP).json()
        (current,) = body["frameworks"]
        assert current["id"] == framework.pk
        items = {item["code"]: item for item in current["items"]}
        assert items["SIG-01"]["applies_to"] == ["authorized"]
        assert items["SIG-01"]["forbidden_terms"] == ["Experience Store", "体验店"]
        assert items["DIS-01"]["targets"] == {"direct": "12.00", "authorized": "6.00"}
        assert items["DIS-02"]["price_bands"]["authorized"] == ["90.00", "100.00"]
        assert [s["code"] for s in current["sections"]] == ["signage", "display"]
        (mine,) = body["drafts"]
        assert mine["uuid"] == str(draft.uuid)
        assert mine["answers"][0]["item"] == "SIG-02"
        assert mine["answers"][0]["revision"] == 1
        (brand,) = body["brands"]
        assert (brand["id"], brand["geofence_m"], brand["policy"]["critical_cap"]) == (
            chain.brand.pk,
            300,
            "50.00",
        )
        assert brand["policy"]["bands"][-1] == {"name": "Poor", "min_score": 0}
        assert body["user"]["is_superuser"] is False

    def test_nothing_of_another_brand_or_franchisee(self, api, chain, role_users, framework):
        published_framework(chain.other_brand)
        body = api(role_users["franchisee"]).get(BOOTSTRAP).json()
        assert {row["code"] for row in body["locations"]} == {"GZ-101", "LY-102"}
        assert {f["brand"] for f in body["frameworks"]} == {chain.brand.pk}
        assert api(role_users["outsider"]).get(BOOTSTRAP).json()["locations"] == []
        assert api().get(BOOTSTRAP).status_code == 401

    @pytest.mark.parametrize("position", ["north pole", "91,0", "10", "1,2,3", "nan,1"])
    def test_a_bad_position_is_a_400_naming_it(self, api, role_users, position):
        response = api(role_users["auditor"]).get(BOOTSTRAP, {"position": position})
        assert response.status_code == 400
        assert "position" in response.json()

    def test_queries_do_not_grow_with_the_chain(self, api, chain, role_users, framework):
        client = api(role_users["hq_admin"])

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(BOOTSTRAP, {"position": "31.2,121.4"}).status_code == 200
            return len(queries)

        count()  # the first request also works out the user's access scope
        small = count()
        for n in range(20):
            LocationFactory(brand=chain.brand, code=f"X-{n}", region=chain.south)
        assert count() == small


class UuidAddressingTests:
    def test_every_audit_route_takes_the_client_uuid(self, api, chain, role_users, framework):
        client = api(role_users["auditor"])
        client_id = uuid.uuid4()
        client.post(
            "/api/audits/", {"uuid": str(client_id), "location": chain.direct_north.pk}, format="json"
        )
        url = f"/api/audits/{client_id}/"
        assert client.get(url).json()["uuid"] == str(client_id)
        answers = {"answers": [{"item": "SIG-02", "yes": True}]}
        assert client.post(f"{url}answers/", answers, format="json").status_code == 200
        assert client.get(f"{url}score/").status_code == 409  # still a draft
        assert api(role_users["franchisee"]).get(url).status_code == 404
        assert client.get(f"/api/audits/{uuid.uuid4()}/").status_code == 404


class ConflictTests:
    @pytest.fixture
    def draft(self, chain, role_users, framework):
        return audit_create(location=chain.direct_north, user=role_users["auditor"], kind="scheduled")[0]

    def post(self, api, user, draft, **answer):
        return api(user).post(f"/api/audits/{draft.uuid}/answers/", {"answers": [answer]}, format="json")

    def test_two_devices_get_a_409_naming_the_item(self, api, role_users, draft):
        auditor = role_users["auditor"]
        first = self.post(api, auditor, draft, item="SIG-02", yes=True, base_revision=0)
        assert first.json()[0]["revision"] == 1
        # Device B saw revision 1 and changes it: revision 2.
        assert self.post(api, auditor, draft, item="SIG-02", yes=False, base_revision=1).status_code == 200
        # Device A, still at revision 1, sends something else: conflict, nothing saved.
        stale = self.post(api, auditor, draft, item="SIG-02", yes=True, comment="A's note", base_revision=1)
        assert stale.status_code == 409
        body = stale.json()
        assert body["conflicts"][0]["item"] == "SIG-02"
        assert body["conflicts"][0]["server"]["yes"] is False
        assert body["conflicts"][0]["server"]["revision"] == 2
        assert "SIG-02" in body["detail"]
        assert Answer.objects.get(audit=draft).comment == ""
        # A decides: resend against the server's revision.
        assert self.post(api, auditor, draft, item="SIG-02", yes=True, base_revision=2).status_code == 200
        assert Answer.objects.get(audit=draft).revision == 3

    def test_replaying_the_same_values_is_never_a_conflict(self, api, role_users, draft):
        auditor = role_users["auditor"]
        for _ in range(3):
            response = self.post(api, auditor, draft, item="DIS-01", number="12", base_revision=0)
            assert response.status_code == 200
        assert Answer.objects.get(audit=draft).revision == 1

    def test_a_photo_before_the_answer_is_no_conflict(self, api, role_users, draft):
        auditor = role_users["auditor"]
        photo = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
        api(auditor).post(f"/api/audits/{draft.uuid}/evidence/", {"item": "SIG-02", "file": photo})
        assert self.post(api, auditor, draft, item="SIG-02", yes=True, base_revision=0).status_code == 200


class GeofenceTests:
    @pytest.mark.parametrize(
        ("latitude", "outside"),
        [("39.9060", False), ("39.9100", True)],  # ≈ 200 m and ≈ 650 m north of the store
    )
    def test_checkin_beyond_the_geofence_is_flagged(
        self, api, chain, role_users, framework, latitude, outside
    ):
        body = {
            "location": chain.direct_north.pk,
            "checkin_latitude": latitude,
            "checkin_longitude": "116.407400",
        }
        response = api(role_users["auditor"]).post("/api/audits/", body, format="json")
        assert response.status_code == 201
        assert response.json()["outside_geofence"] is outside

    def test_the_brand_sets_the_fence(self, api, chain, role_users, framework):
        chain.brand.geofence_m = 1000
        chain.brand.save()
        body = {
            "location": chain.direct_north.pk,
            "checkin_latitude": "39.9100",
            "checkin_longitude": "116.4074",
        }
        assert (
            api(role_users["auditor"]).post("/api/audits/", body, format="json").json()["outside_geofence"]
            is False
        )


class PhotoOrientationTests:
    def test_exif_orientation_is_honoured_in_the_display_copy(self, api, chain, role_users, framework):
        image = Image.new("RGB", (40, 20), "blue")
        exif = image.getexif()
        exif[0x0112] = 6  # "rotate 90° clockwise to view"
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", exif=exif)
        draft = audit_create(location=chain.direct_north, user=role_users["auditor"], kind="scheduled")[0]
        upload = SimpleUploadedFile("sideways.jpg", buffer.getvalue(), content_type="image/jpeg")
        body = (
            api(role_users["auditor"])
            .post(f"/api/audits/{draft.uuid}/evidence/", {"item": "SIG-02", "file": upload})
            .json()
        )
        assert (body["width"], body["height"]) == (20, 40)
        stored = Evidence.objects.get()
        assert stored.file.read() == buffer.getvalue()  # the original is kept untouched
        response = api(role_users["auditor"]).get(body["thumb_url"])
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as display:
            assert display.size == (20, 40)


class AuditPlanAPITests:
    def test_admin_plans_others_read_or_are_refused(self, api, chain, role_users):
        body = {"brand": chain.brand.pk, "outlet_type": "authorized", "city_tier": 3, "interval_days": 60}
        assert api(role_users["hq_analyst"]).post("/api/audit-plans/", body, format="json").status_code == 403
        created = api(role_users["hq_admin"]).post("/api/audit-plans/", body, format="json")
        assert created.status_code == 201, created.content
        again = api(role_users["hq_admin"]).post("/api/audit-plans/", body, format="json")
        assert again.status_code == 400
        foreign = {**body, "brand": chain.other_brand.pk}
        assert (
            api(role_users["hq_admin"]).post("/api/audit-plans/", foreign, format="json").status_code == 400
        )
        bad = {**body, "city_tier": None, "interval_days": 0}
        assert (
            "interval_days"
            in api(role_users["hq_admin"]).post("/api/audit-plans/", bad, format="json").json()
        )
        listed = api(role_users["auditor"]).get("/api/audit-plans/").json()["results"]
        assert [row["interval_days"] for row in listed] == [60]
        assert api(role_users["other_admin"]).get("/api/audit-plans/").json()["results"] == []


class AuditPlanConstraintTests:
    def test_one_plan_per_scope_also_when_the_tier_is_any(self, chain):
        from django.db import IntegrityError, transaction

        AuditPlan.objects.create(brand=chain.brand, outlet_type="direct", interval_days=60)
        AuditPlan.objects.create(brand=chain.brand, outlet_type="direct", city_tier=1, interval_days=30)
        with pytest.raises(IntegrityError), transaction.atomic():
            AuditPlan.objects.create(brand=chain.brand, outlet_type="direct", interval_days=90)
        with pytest.raises(IntegrityError), transaction.atomic():
            AuditPlan.objects.create(brand=chain.brand, outlet_type="direct", city_tier=1, interval_days=90)


class ReplayAfterSubmitTests:
    """A sync replayed after the audit was submitted gets the same answer and changes nothing."""

    def test_same_answers_and_photo_again_are_200_a_change_is_409(self, api, chain, role_users, framework):
        auditor = role_users["auditor"]
        client = api(auditor)
        draft = audit_create(location=chain.direct_north, user=auditor, kind="scheduled")[0]
        url = f"/api/audits/{draft.uuid}/"
        photo = png_bytes()
        client.post(f"{url}evidence/", {"item": "SIG-02", "file": SimpleUploadedFile("a.png", photo)})
        payload = {
            "answers": [
                {
                    "item": a.item,
                    "yes": a.yes,
                    "number": a.number and str(a.number),
                    "list_price": a.list_price and str(a.list_price),
                    "text": a.text,
                }
                for a in answers_for(chain.direct_north)
            ]
        }
        assert client.post(f"{url}answers/", payload, format="json").status_code == 200
        assert client.post(f"{url}submit/").status_code == 200
        stamps = list(Answer.objects.order_by("pk").values_list("revision", "updated_at"))

        assert client.post(f"{url}answers/", payload, format="json").status_code == 200
        again = client.post(f"{url}evidence/", {"item": "SIG-02", "file": SimpleUploadedFile("a.png", photo)})
        assert again.status_code == 200
        assert list(Answer.objects.order_by("pk").values_list("revision", "updated_at")) == stamps
        assert Evidence.objects.count() == 1

        changed = {"answers": [{"item": "SIG-02", "yes": False}]}
        assert client.post(f"{url}answers/", changed, format="json").status_code == 409
        other = client.post(
            f"{url}evidence/",
            {"item": "SIG-02", "file": SimpleUploadedFile("b.png", png_bytes(colour="blue"))},
        )
        assert other.status_code == 409
        assert client.delete(f"{url}answers/SIG-02/").status_code == 409


class TakingThingsBackTests:
    def test_clear_an_answer_and_remove_a_photo_in_a_draft(
        self, api, chain, role_users, framework, django_capture_on_commit_callbacks
    ):
        auditor = role_users["auditor"]
        client = api(auditor)
        draft = audit_create(location=chain.direct_north, user=auditor, kind="scheduled")[0]
        url = f"/api/audits/{draft.uuid}/"
        client.post(f"{url}answers/", {"answers": [{"item": "DIS-01", "number": "7"}]}, format="json")
        photo = client.post(
            f"{url}evidence/", {"item": "DIS-01", "file": SimpleUploadedFile("a.png", png_bytes())}
        ).json()
        stored = Evidence.objects.get()
        path = stored.file.path

        for _ in range(2):  # the second time is a replay: still fine
            assert client.delete(f"{url}answers/DIS-01/").status_code == 204
        answer = Answer.objects.get(audit=draft)
        assert (answer.number, answer.revision) == (None, 2)
        assert client.get(f"{url}answers/").json()[0]["photos"][0]["id"] == photo["id"]

        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert client.delete(f"{url}evidence/{photo['id']}/").status_code == 204
        assert not Evidence.objects.exists()
        assert not os.path.exists(path)
        assert api(role_users["franchisee"]).delete(f"{url}answers/DIS-01/").status_code == 404


class FrameworkVersionAtStartTests:
    def test_a_tablet_may_name_the_version_it_started_with(self, api, chain, role_users, framework):
        from journeys.services import framework_new_version, framework_publish

        newer = framework_publish(framework=framework_new_version(framework=framework))
        client = api(role_users["auditor"])
        body = {"location": chain.direct_north.pk, "framework": framework.pk}
        started = client.post("/api/audits/", body, format="json")
        assert started.status_code == 201, started.content
        assert started.json()["framework"] == framework.pk
        assert (
            client.post("/api/audits/", {"location": chain.direct_north.pk}, format="json").json()[
                "framework"
            ]
            == newer.pk
        )
        draft = framework_new_version(framework=newer)
        refused = client.post("/api/audits/", {**body, "framework": draft.pk}, format="json")
        assert refused.status_code == 400
        assert "framework" in refused.json()
        foreign = published_framework(chain.other_brand)
        refused = client.post("/api/audits/", {**body, "framework": foreign.pk}, format="json")
        assert refused.status_code == 400
        assert "framework" in refused.json()


class TakingBackReplaysTests:
    def test_replayed_removals_after_submit_are_204_and_unknown_items_400(
        self, api, chain, role_users, framework
    ):
        auditor = role_users["auditor"]
        client = api(auditor)
        draft = audit_create(location=chain.direct_north, user=auditor, kind="scheduled")[0]
        url = f"/api/audits/{draft.uuid}/"
        unknown = client.delete(f"{url}answers/NOPE-9/")
        assert unknown.status_code == 400
        assert "item" in unknown.json()
        answers_upsert(audit=draft, user=auditor, answers=answers_for(chain.direct_north))
        client.delete(f"{url}answers/DIS-03/")  # cleared while a draft…
        answers_upsert(audit=draft, user=auditor, answers=answers_for(chain.direct_north))
        audit_submit(audit=draft, user=auditor)
        # …replays after submission: gone stays gone, already-clear is fine, a real change is refused.
        assert client.delete(f"{url}evidence/999999/").status_code == 204
        assert client.delete(f"{url}answers/SIG-01/").status_code == 204  # never answered here
        assert client.delete(f"{url}answers/DIS-03/").status_code == 409  # it holds an answer now
