"""The audit API over real HTTP (DRF's test client): every route, every role, every refusal."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit
from tests.cx_audit.audit_helpers import answers_for, png_bytes, published_framework, submitted_audit

pytestmark = pytest.mark.django_db

AUDITS = "/api/audits/"


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


def answer_payload(answers: list[AnswerInput]) -> dict:
    rows = []
    for a in answers:
        row = {"item": a.item, "kind": a.kind, "text": a.text, "comment": a.comment}
        if a.yes is not None:
            row["yes"] = a.yes
        if a.number is not None:
            row["number"] = str(a.number)
        if a.list_price is not None:
            row["list_price"] = str(a.list_price)
        rows.append(row)
    return {"answers": rows}


def photo(name: str = "front.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type="image/png")


class AuditFlowTests:
    def test_a_whole_audit_through_the_api(self, api, chain, role_users, framework):
        client = api(role_users["hq_admin"])
        client_id = str(uuid.uuid4())
        body = {"uuid": client_id, "location": chain.f1_south.pk, "kind": "unannounced"}
        created = client.post(AUDITS, body, format="json")
        assert created.status_code == 201, created.content
        audit_id = created.json()["id"]
        replay = client.post(AUDITS, body, format="json")
        assert replay.status_code == 200
        assert replay.json()["id"] == audit_id

        url = f"{AUDITS}{audit_id}/"
        partial = [a for a in answers_for(chain.f1_south) if a.item != "DIS-01"]
        saved = client.post(f"{url}answers/", answer_payload(partial), format="json")
        assert saved.status_code == 200, saved.content
        assert {row["item"] for row in saved.json()} == {"SIG-01", "SIG-02", "DIS-02", "DIS-03"}

        incomplete = client.post(f"{url}submit/")
        assert incomplete.status_code == 400
        assert incomplete.json()["missing"] == [
            {"item": "DIS-01", "reason": incomplete.json()["missing"][0]["reason"]}
        ]
        assert Answer.objects.filter(audit_id=audit_id).count() == 4

        assert client.get(f"{url}score/").status_code == 409
        rest = [AnswerInput(item="DIS-01", number=Decimal("3"))]
        assert client.post(f"{url}answers/", answer_payload(rest), format="json").status_code == 200
        submitted = client.post(f"{url}submit/")
        assert submitted.status_code == 200, submitted.content
        score = submitted.json()
        assert score["audit"]["status"] == "submitted"
        assert score["audit"]["score"] == "91.67"
        assert {s["section_code"]: s["score"] for s in score["sections"]} == {
            "signage": "100.00",
            "display": "83.33",
        }
        dis01 = next(i for i in score["items"] if i["item_code"] == "DIS-01")
        assert dis01["outcome"] == "partial"
        assert dis01["reason"]

        again = client.post(f"{url}submit/")
        assert again.status_code == 200
        assert again.json() == score
        assert client.get(f"{url}score/").json() == score

    def test_bad_answers_are_400_naming_the_item_and_nothing_is_saved(
        self, api, chain, role_users, framework
    ):
        client = api(role_users["hq_admin"])
        audit, _ = audit_create(location=chain.f1_south, user=role_users["hq_admin"], kind="scheduled")
        url = f"{AUDITS}{audit.pk}/answers/"
        bad = answer_payload(
            [AnswerInput(item="SIG-02", yes=True), AnswerInput(item="DIS-03", number=Decimal(9))]
        )
        response = client.post(url, bad, format="json")
        assert response.status_code == 400
        assert any(message.startswith("DIS-03:") for message in response.json()["answers"])
        assert not Answer.objects.exists()

    @pytest.mark.parametrize(
        "payload",
        [
            {},
            {"answers": "yes"},
            {"answers": []},
            {"answers": [{"item": "SIG-02", "number": "many"}]},
            {"answers": [{"item": "SIG-02", "kind": "maybe"}]},
            {"answers": [{"yes": True}]},
            [1, 2],
        ],
    )
    def test_garbage_is_a_400_never_a_500(self, api, chain, role_users, framework, payload):
        audit, _ = audit_create(location=chain.f1_south, user=role_users["hq_admin"], kind="scheduled")
        response = api(role_users["hq_admin"]).post(f"{AUDITS}{audit.pk}/answers/", payload, format="json")
        assert response.status_code == 400, response.content

    def test_submitted_audit_refuses_every_change(self, api, chain, role_users, framework):
        audit = submitted_audit(chain.f1_south, role_users["hq_admin"])
        client = api(role_users["hq_admin"])
        url = f"{AUDITS}{audit.pk}/"
        change = answer_payload([AnswerInput(item="SIG-02", yes=False)])
        assert client.post(f"{url}answers/", change, format="json").status_code == 409
        assert client.post(f"{url}evidence/", {"item": "SIG-02", "file": photo()}).status_code == 409
        assert client.patch(url, {"score": "100"}, format="json").status_code == 405
        assert client.put(url, {"score": "100"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
        assert Answer.objects.get(audit=audit, item__code="SIG-02").yes is True
        assert not Evidence.objects.exists()


class EvidenceTests:
    @pytest.fixture
    def audit(self, chain, role_users, framework):
        return audit_create(location=chain.f1_south, user=role_users["hq_admin"], kind="scheduled")[0]

    def test_real_image_is_stored_once_with_size_type_and_hash(self, api, role_users, audit):
        client = api(role_users["hq_admin"])
        url = f"{AUDITS}{audit.pk}/evidence/"
        first = client.post(url, {"item": "SIG-02", "file": photo("IMG_1.jpg")})
        assert first.status_code == 201, first.content
        body = first.json()
        assert body["content_type"] == "image/png"
        assert body["size"] == len(png_bytes())
        assert len(body["sha256"]) == 64
        assert (body["width"], body["height"]) == (8, 6)
        again = client.post(url, {"item": "SIG-02", "file": photo("copy.png")})
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]
        assert Evidence.objects.count() == 1
        stored = Evidence.objects.get()
        assert stored.file.read() == png_bytes()
        answers = client.get(f"{AUDITS}{audit.pk}/answers/").json()
        assert answers[0]["photos"][0]["sha256"] == body["sha256"]

    def test_not_an_image_is_refused_by_content(self, api, role_users, audit):
        response = api(role_users["hq_admin"]).post(
            f"{AUDITS}{audit.pk}/evidence/",
            {"item": "SIG-02", "file": photo("shop.jpg", b"GIF89a not really")},
        )
        assert response.status_code == 400
        assert "file" in response.json()
        assert not Evidence.objects.exists()

    def test_too_large_is_refused_with_the_limit(self, api, role_users, audit, settings):
        settings.EVIDENCE_MAX_BYTES = 50
        response = api(role_users["hq_admin"]).post(
            f"{AUDITS}{audit.pk}/evidence/", {"item": "SIG-02", "file": photo()}
        )
        assert response.status_code == 400
        assert "larger" in response.json()["file"][0]

    def test_unknown_item_names_the_field(self, api, role_users, audit):
        response = api(role_users["hq_admin"]).post(
            f"{AUDITS}{audit.pk}/evidence/", {"item": "NOPE", "file": photo()}
        )
        assert response.status_code == 400
        assert "item" in response.json()


class VoidTests:
    def test_only_hq_admin_voids_with_a_reason(self, api, chain, role_users, framework):
        audit = submitted_audit(chain.direct_north, role_users["hq_admin"])
        url = f"{AUDITS}{audit.pk}/void/"
        assert api(role_users["auditor"]).post(url, {"reason": "x"}).status_code == 403
        assert api(role_users["hq_analyst"]).post(url, {"reason": "x"}).status_code == 403
        assert api(role_users["hq_admin"]).post(url, {}).status_code == 400
        done = api(role_users["hq_admin"]).post(url, {"reason": "Audited the wrong store"})
        assert done.status_code == 200
        assert done.json()["status"] == "voided"
        assert api(role_users["hq_admin"]).post(url, {"reason": "again"}).status_code == 409


class ExperienceTests:
    def test_delta_model_of_the_latest_counting_audit(self, api, chain, role_users, framework):
        admin = role_users["hq_admin"]
        weak_price = answers_for(
            chain.f1_south,
            DIS_02=AnswerInput(item="DIS-02", number=Decimal("120"), list_price=Decimal("100")),
        )
        older = submitted_audit(chain.f1_south, admin, weak_price)
        latest = submitted_audit(chain.f1_south, admin)
        url = f"/api/locations/{chain.f1_south.pk}/experience/"
        body = api(role_users["hq_analyst"]).get(url).json()
        assert body["audit"]["id"] == latest.pk
        assert body["key_experiences"] == []  # everything passed: experience 10 beats expectation 7

        Audit.objects.filter(pk=latest.pk).update(
            status=AuditStatus.VOIDED, void_reason="x", voided_at=older.submitted_at
        )
        body = api(role_users["franchisee"]).get(url).json()
        assert body["audit"]["id"] == older.pk
        price = next(d for d in body["dimensions"] if d["dimension_code"] == "price")
        assert price["experience"] == "0.00"
        assert price["satisfaction"] == "-7.00"
        assert price["weighted_satisfaction"] == "-63.00"
        assert price["ideal_gap"] == "-9.00"
        assert body["key_experiences"] == ["price"]

    def test_someone_elses_location_is_404(self, api, chain, role_users, framework):
        assert (
            api(role_users["franchisee"])
            .get(f"/api/locations/{chain.f2_north_east.pk}/experience/")
            .status_code
            == 404
        )
        assert (
            api(role_users["hq_admin"]).get(f"/api/locations/{chain.other.pk}/experience/").status_code == 404
        )

    def test_no_audit_yet(self, api, chain, role_users, framework):
        body = api(role_users["hq_admin"]).get(f"/api/locations/{chain.direct_north.pk}/experience/").json()
        assert body == {
            "location": chain.direct_north.pk,
            "audit": None,
            "dimensions": [],
            "key_experiences": [],
        }


class AuditVisibilityTests:
    """Each role sees exactly its audits; anything else is a 404."""

    @pytest.fixture
    def audits(self, chain, role_users, framework):
        admin = role_users["hq_admin"]
        return {
            "north_submitted": submitted_audit(chain.direct_north, admin),
            "f1_submitted": submitted_audit(chain.f1_south, admin),
            "f1_draft": audit_create(location=chain.f1_south, user=admin, kind=AuditKind.UNANNOUNCED)[0],
            "f2_submitted": submitted_audit(chain.f2_north_east, admin),
        }

    EXPECTED = {
        "hq_admin": {"north_submitted", "f1_submitted", "f1_draft", "f2_submitted"},
        "hq_analyst": {"north_submitted", "f1_submitted", "f1_draft", "f2_submitted"},
        "auditor": {"north_submitted", "f2_submitted"},
        "franchisee": {"f1_submitted"},
        "other_admin": set(),
        "outsider": set(),
    }

    @pytest.mark.parametrize("role", list(EXPECTED))
    def test_list_and_detail_per_role(self, api, role_users, audits, role):
        client = api(role_users[role])
        listed = {row["id"] for row in client.get(AUDITS, {"page_size": 500}).json()["results"]}
        expected = {audits[name].pk for name in self.EXPECTED[role]}
        assert listed == expected
        for name, audit in audits.items():
            for suffix in ("", "score/", "answers/"):
                status = client.get(f"{AUDITS}{audit.pk}/{suffix}").status_code
                if name in self.EXPECTED[role]:
                    assert status in (200, 409), (name, suffix, status)
                else:
                    assert status == 404, (name, suffix, status)

    @pytest.mark.parametrize("role", ["franchisee", "other_admin", "outsider"])
    def test_filters_cannot_reach_further(self, api, chain, role_users, audits, role):
        client = api(role_users[role])
        for query in (
            {"franchisee": chain.f2.pk},
            {"location": chain.f2_north_east.pk},
            {"brand": chain.brand.pk},
        ):
            response = client.get(AUDITS, query)
            rows = response.json().get("results", []) if response.status_code == 200 else []
            assert audits["f2_submitted"].pk not in {row["id"] for row in rows}

    def test_anonymous_is_401(self, api, audits):
        assert api().get(AUDITS).status_code == 401
        assert api().get(f"{AUDITS}{audits['f1_submitted'].pk}/").status_code == 401

    def test_filters(self, api, chain, role_users, audits):
        client = api(role_users["hq_analyst"])

        def ids(**query):
            return {row["id"] for row in client.get(AUDITS, query).json()["results"]}

        assert ids(status="draft") == {audits["f1_draft"].pk}
        assert ids(outlet_type="direct") == {audits["north_submitted"].pk}
        assert ids(franchisee=chain.f1.pk) == {audits["f1_submitted"].pk}
        assert ids(region=chain.north.pk) == {audits["north_submitted"].pk, audits["f2_submitted"].pk}
        assert ids(region=chain.south.pk) == {audits["f1_submitted"].pk, audits["f1_draft"].pk}
        assert ids(kind="unannounced") == {audits["f1_draft"].pk}
        assert client.get(AUDITS, {"status": "nonsense"}).status_code == 400


class AuditAdminTests:
    def test_admin_shows_but_never_changes_an_audit(self, chain, role_users, framework):
        admin = role_users["hq_admin"]
        admin.is_staff = True
        admin.save()
        audit = submitted_audit(chain.f1_south, admin)
        client = Client()
        client.force_login(admin)
        url = f"/admin/cx_audit/audit/{audit.pk}/change/"
        page = client.get(url)
        assert page.status_code == 200
        assert b"SIG-02" in page.content
        response = client.post(url, {"status": "draft", "score": "100"})
        assert response.status_code == 403
        assert client.get("/admin/cx_audit/audit/add/").status_code == 403
        assert client.post(f"/admin/cx_audit/audit/{audit.pk}/delete/", {"post": "yes"}).status_code == 403
        audit.refresh_from_db()
        assert audit.status == AuditStatus.SUBMITTED
        assert audit.score == Decimal("100.00")


class EvidenceFileTests:
    """A photo is served only to those who may see its audit, never from a public path."""

    def test_photo_bytes_follow_audit_visibility(self, api, chain, role_users, framework, user_in):
        admin = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.f1_south, user=admin, kind="scheduled")
        upload = api(admin).post(f"{AUDITS}{audit.pk}/evidence/", {"item": "SIG-02", "file": photo()})
        url = upload.json()["url"]
        assert url == f"/api/evidence/{upload.json()['id']}/file/"

        own = api(admin).get(url)
        assert own.status_code == 200
        assert own["Content-Type"] == "image/png"
        assert b"".join(own.streaming_content) == png_bytes()
        other_franchisee = user_in(chain.brand, "franchisee", franchisee=chain.f2)
        assert api(role_users["franchisee"]).get(url).status_code == 404  # a draft: not theirs to see yet
        assert api(other_franchisee).get(url).status_code == 404
        assert api(role_users["other_admin"]).get(url).status_code == 404
        assert api().get(url).status_code == 401

        answers_upsert(audit=audit, user=admin, answers=answers_for(chain.f1_south))
        audit_submit(audit=audit, user=admin)
        assert api(role_users["franchisee"]).get(url).status_code == 200
        assert api(other_franchisee).get(url).status_code == 404
        assert Client().get(f"/media/evidence/{audit.pk}/").status_code == 404
