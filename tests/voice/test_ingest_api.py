"""The feedback API (one record, a batch, reads and filters) and the lexicon API, with re-tagging.

`FEEDBACK` and `LEXICON_TERMS` are rows of the role matrix (`tests.generic.ScopedResourceTests`):
every role against every object, list, detail and each write (one record, a batch, a CSV upload;
the lexicon's create, update and delete), and 405 for what feedback never allows (update, delete).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.models import Feedback, LexiconTerm
from cx_audit.voice.services import FeedbackIn, feedback_ingest
from tests.conftest import Chain
from tests.generic import (
    NO_ADMIN_BRAND,
    Resource,
    Scene,
    Write,
    as_read,
    visibility,
)
from tests.voice.test_feedback_import import csv_text, publish_framework, row

URL = "/api/feedback/"
BATCH_URL = "/api/feedback/batch/"
LEXICON_URL = "/api/lexicon-terms/"
ADMINS = frozenset({"superuser", "hq_admin"})
MEMBERS_OF_A = frozenset({"superuser", "hq_admin", "hq_analyst", "auditor", "franchisee"})
WHEN = "2026-03-01T10:00:00+08:00"
PHONE, EMAIL = "13812345678", "li.lei@example.com"


def record(location, external_id: str, **values: Any) -> dict[str, Any]:
    return {
        "location": location.pk,
        "channel": "app",
        "external_id": external_id,
        "received_at": WHEN,
    } | values


def ingest(brand, *records: tuple[Any, str, str]) -> list[Feedback]:
    """Store (location, external id, comment) records of one brand through the service."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    when = datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    items = [
        FeedbackIn(
            location_id=loc.pk, channel="hotline", external_id=eid, received_at=when, nps=3, comment=text
        )
        for loc, eid, text in records
    ]
    feedback_ingest(brand=brand, records=items, source=FeedbackSource.API)
    return list(Feedback.objects.filter(brand=brand, external_id__in=[eid for _l, eid, _t in records]))


# --- the role matrix --------------------------------------------------------------------------------


def feedback_objects(s: Scene) -> dict[str, Any]:
    """Feedback at the direct store (North), at F1's and F2's outlets, and one of Zenith's."""
    c = s.chain
    publish_framework(c.brand)
    ingest(
        c.brand, (c.direct_north, "north", "rude"), (c.f1_south, "f1", "rude"), (c.f2_north_east, "f2", "")
    )
    ingest(c.other_brand, (c.other, "b", "fine"))
    return {f.external_id: f for f in Feedback.objects.all()}


def one_record(s: Scene, objs: dict[str, Any], url: str) -> dict:
    return record(s.chain.f1_south, "NEW-1", nps=9, comment="店员很热情")


def two_records(s: Scene, objs: dict[str, Any], url: str) -> dict:
    return {"records": [record(s.chain.f1_south, "NEW-1"), record(s.chain.direct_north, "NEW-2", csat=5)]}


def feedback_file(s: Scene, objs: dict[str, Any], url: str) -> dict:
    upload = SimpleUploadedFile(
        "feedback.csv", csv_text(row(external_id="NEW-1")).encode(), content_type="text/csv"
    )
    return {"brand": s.chain.brand.pk, "file": upload}


def adding(name: str, route: str, payload: Any, **extra: Any) -> Write:
    """A write that adds feedback: HQ admins of the location's brand (and the superuser); roles that
    administer no brand are refused first (403), the other brand's admin finds no such location (400)."""
    return Write(
        name,
        route,
        payload=payload,
        allowed=ADMINS,
        ok=201,
        seen_by=MEMBERS_OF_A,
        hidden=400,
        gated=NO_ADMIN_BRAND,
        **extra,
    )


FEEDBACK = Resource(
    "feedback",
    feedback_objects,
    # HQ the brand's; F1 its own outlet's; auditors no record at all.
    visibility(
        superuser="north f1 f2 b",
        hq_admin="north f1 f2",
        hq_analyst="north f1 f2",
        franchisee="f1",
        other_admin="b",
    ),
    writes=(
        adding("create", "create", one_record),
        adding("batch", "batch", two_records),
        adding("import", "import_file", feedback_file, format="multipart"),
    ),
)


def lexicon_objects(s: Scene) -> dict[str, Any]:
    publish_framework(s.chain.brand)  # its terms: "rude" and "热情"
    LexiconTerm.objects.create(brand=s.chain.other_brand, text="slow", polarity=-1)
    return {term.text: term for term in LexiconTerm.objects.all()}


LEXICON_TERMS = Resource(
    "lexicon-terms",
    lexicon_objects,
    visibility(
        superuser="rude 热情 slow",
        hq_admin="rude 热情",
        hq_analyst="rude 热情",
        other_admin="slow",
    ),
    writes=(
        Write(
            "create",
            "create",
            payload=lambda s, objs, url: {"brand": s.chain.brand.pk, "text": "queue", "polarity": -1},
            ok=201,
            allowed=ADMINS,
            seen_by=MEMBERS_OF_A,
            hidden=400,
            gated=NO_ADMIN_BRAND,
        ),
        Write("update", "update", "rude", payload=as_read(weight="2.00"), allowed=ADMINS),
        Write("partial-update", "partial_update", "rude", payload={"weight": "3"}, allowed=ADMINS),
        Write("destroy", "destroy", "rude", ok=204, allowed=ADMINS),
    ),
)


def recovery_objects(s: Scene) -> dict[str, Any]:
    """Recovery actions opened by detractors' comments at North, F1's outlet and Zenith's store
    (F2's detractor left no comment, so no action)."""
    from cx_audit.voice.models import RecoveryAction

    feedback_objects(s)
    return {
        action.feedback.external_id: action for action in RecoveryAction.objects.select_related("feedback")
    }


RECOVERY_ACTIONS = Resource(
    "recovery-actions",
    recovery_objects,
    # HQ the brand's; F1 its own outlet's; auditors none (a customer's comment is not theirs to read).
    visibility(
        superuser="north f1 b", hq_admin="north f1", hq_analyst="north f1", franchisee="f1", other_admin="b"
    ),
    writes=(
        Write(
            "close",
            "close",
            "f1",
            payload={"recovered": True, "note": "Called back; apologised and sent a voucher."},
            allowed=frozenset({"superuser", "hq_admin", "franchisee"}),  # the outlet's franchisee, and HQ
        ),
        Write("close-north", "close", "north", payload={"recovered": False}, allowed=ADMINS),
    ),
)


# --- sending feedback -------------------------------------------------------------------------------


@pytest.fixture
def aurora(chain: Chain) -> Chain:
    publish_framework(chain.brand)
    return chain


@pytest.fixture
def admin(api, role_users):
    return api(role_users["hq_admin"])


@pytest.mark.django_db
class TestSendOne:
    def test_created_then_resent_never_duplicates(self, admin, aurora):
        sent = record(aurora.f1_south, "CRM-1", nps=2, comment=f"Staff were rude; call {PHONE} or {EMAIL}")
        first = admin.post(URL, sent, format="json")
        assert first.status_code == 201, first.content
        body = first.json()
        assert (body["location_code"], body["nps"], body["franchisee"]) == ("GZ-101", 2, aurora.f1.pk)
        assert [(t["term"], t["polarity"], t["touchpoint_code"]) for t in body["tags"]] == [
            ("rude", -1, "advice")
        ]
        tag = body["tags"][0]
        assert body["comment"][tag["start"] : tag["end"]] == tag["matched"] == "rude"
        again = admin.post(URL, sent | {"nps": 10}, format="json")
        assert again.status_code == 200
        assert again.json() == body  # the stored record, unchanged
        assert Feedback.objects.count() == 1

    def test_location_by_code_and_expectations(self, admin, aurora):
        sent = record(aurora.f1_south, "CRM-1", expectations={"service": 8, "price": "6.5"})
        del sent["location"]
        response = admin.post(
            URL, sent | {"location_code": "GZ-101", "received_at": "2026-03-01T10:00"}, format="json"
        )
        assert response.status_code == 201, response.content
        assert response.json()["expectations"] == {"service": "8", "price": "6.5"}
        assert response.json()["received_at"] == "2026-03-01T10:00:00+08:00"

    def test_every_bad_field_named(self, admin, aurora):
        sent = record(
            aurora.f1_south,
            "x" * 121,
            nps=4.5,
            csat="4.5",
            effort=True,
            channel="fax",
            received_at="2101-01-01T00:00:00",
            touchpoint_code="parking",
            expectations={"mood": 5},
            comment="a\x07b",
            NPS=7,
        )
        response = admin.post(URL, sent, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {
            "external_id",
            "nps",
            "csat",
            "effort",
            "channel",
            "received_at",
            "touchpoint_code",
            "expectations",
            "comment",
            "NPS",
        }
        assert Feedback.objects.count() == 0

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"location": 987654}, "location"),
            ({"location": 10**30}, "location"),  # past any database integer: refused, never a 500
            ({"location": -1}, "location"),
            ({"location": True}, "location"),
            ({"location_code": "GZ-101"}, "location"),  # both given
            ({"location": "GZ-101"}, "location"),
        ],
    )
    def test_location_problems(self, admin, aurora, change, field):
        response = admin.post(URL, record(aurora.f1_south, "CRM-1") | change, format="json")
        assert response.status_code == 400
        assert field in response.json()

    def test_other_brands_location_is_unknown(self, api, aurora, role_users):
        response = api(role_users["other_admin"]).post(URL, record(aurora.f1_south, "CRM-1"), format="json")
        assert response.status_code == 400
        assert "location" in response.json()

    def test_not_an_object(self, admin, aurora):
        assert admin.post(URL, [record(aurora.f1_south, "CRM-1")], format="json").status_code == 400


@pytest.mark.django_db
class TestSendBatch:
    def test_batch_then_resent(self, admin, aurora):
        records = [record(aurora.f1_south, "CRM-1"), record(aurora.direct_north, "CRM-2", comment="rude")]
        first = admin.post(BATCH_URL, {"records": records}, format="json")
        assert first.status_code == 201, first.content
        body = first.json()
        assert (body["created"], body["existing"]) == (2, 0)
        ids = [item["id"] for item in body["results"]]
        assert [item["external_id"] for item in body["results"]] == ["CRM-1", "CRM-2"]
        again = admin.post(
            BATCH_URL, {"records": [*records, record(aurora.f1_tier3, "CRM-3")]}, format="json"
        )
        assert again.status_code == 201
        assert (again.json()["created"], again.json()["existing"]) == (1, 2)
        assert [item["id"] for item in again.json()["results"]][:2] == ids
        assert [item["created"] for item in again.json()["results"]] == [False, False, True]
        resent = admin.post(BATCH_URL, {"records": records}, format="json")
        assert resent.status_code == 200
        assert Feedback.objects.count() == 3

    def test_all_or_nothing(self, admin, aurora):
        records = [
            record(aurora.f1_south, "CRM-1"),
            record(aurora.f1_south, "CRM-2", nps=11),
            "not a record",
            record(aurora.f1_south, "CRM-1", nps=5),  # the same external id again
        ]
        response = admin.post(BATCH_URL, {"records": records}, format="json")
        assert response.status_code == 400
        assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [
            (1, "nps"),
            (2, "non_field_errors"),
            (3, "external_id"),
        ]
        assert "record 0" in response.json()["errors"][2]["message"]
        assert Feedback.objects.count() == 0

    @pytest.mark.parametrize("records", [[], "CRM-1", None, 1001])
    def test_batch_size(self, admin, aurora, records):
        if records == 1001:
            records = [record(aurora.f1_south, f"CRM-{n}") for n in range(1001)]
        response = admin.post(BATCH_URL, {"records": records}, format="json")
        assert response.status_code == 400
        assert "records" in response.json()


# --- reading feedback -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRead:
    def test_comments_masked_and_no_customer_hash(self, admin, aurora):
        sent = record(aurora.f1_south, "CRM-1", comment=f"call {PHONE} / {EMAIL}", customer_ref=PHONE)
        created = admin.post(URL, sent, format="json").json()
        stored = Feedback.objects.get()
        assert stored.customer_hash
        for response in (admin.get(URL), admin.get(f"{URL}{created['id']}/")):
            text = response.content.decode()
            assert PHONE not in text
            assert EMAIL not in text
            assert "customer_hash" not in text
            assert stored.customer_hash not in text
        assert admin.get(URL).json()["results"][0]["comment"] == stored.comment

    def test_filters(self, admin, aurora):
        c = aurora
        records = [
            record(c.direct_north, "N-1", nps=10, channel="wechat"),
            record(c.f1_south, "S-1", nps=1, comment="rude", received_at="2026-02-01T09:00:00+08:00"),
            record(c.f2_north_east, "NE-1", csat=5, touchpoint_code="checkout"),
        ]
        assert admin.post(BATCH_URL, {"records": records}, format="json").status_code == 201

        def listed(**params: Any) -> set[str]:
            response = admin.get(URL, params)
            assert response.status_code == 200, response.content
            return {item["external_id"] for item in response.json()["results"]}

        assert listed(region=c.north.pk) == {"N-1", "NE-1"}  # with its sub-region
        assert listed(franchisee=c.f1.pk) == {"S-1"}
        assert listed(location=c.f2_north_east.pk) == {"NE-1"}
        assert listed(channel=["wechat", "hotline"]) == {"N-1"}
        assert listed(polarity=-1) == {"S-1"}
        assert listed(complaint=True) == {"S-1"}
        assert listed(touchpoint="advice") == {"S-1"}  # by its tag
        assert listed(touchpoint="checkout") == {"NE-1"}  # named by the record
        assert listed(received_from="2026-03-01") == {"N-1", "NE-1"}
        assert listed(received_to="2026-02-01") == {"S-1"}
        assert admin.get(URL, {"received_from": "1999-12-31"}).status_code == 400

    def test_feedback_is_a_record(self, admin, aurora):
        stored = ingest(aurora.brand, (aurora.f1_south, "CRM-1", "rude"))[0]
        detail = f"{URL}{stored.pk}/"
        assert admin.put(detail, {"nps": 10}, format="json").status_code == 405
        assert admin.patch(detail, {"nps": 10}, format="json").status_code == 405
        assert admin.delete(detail).status_code == 405
        assert Feedback.objects.get().nps == 3

    @pytest.mark.parametrize("role", ["hq_admin", "franchisee"])
    def test_list_queries_do_not_grow(self, api, aurora, role_users, role):
        user = role_users[role]

        def queries() -> int:
            """One request as a fresh user object, as a real request is (its access scope unloaded)."""
            client = api(type(user).objects.get(pk=user.pk))
            with CaptureQueriesContext(connection) as captured:
                assert client.get(URL, {"page_size": 100}).status_code == 200
            return len(captured)

        ingest(aurora.brand, *[(aurora.f1_south, f"A-{n}", "rude") for n in range(5)])
        few = queries()
        ingest(
            aurora.brand,
            *[
                (loc, f"B-{n}-{loc.pk}", "rude")
                for n in range(15)
                for loc in (aurora.f1_south, aurora.f1_tier3, aurora.direct_north)
            ],
        )
        assert queries() == few


# --- the lexicon --------------------------------------------------------------------------------------


@pytest.mark.django_db
class TestLexicon:
    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"touchpoint_code": "parking"}, "touchpoint_code"),
            ({"dimension_code": "mood"}, "dimension_code"),
            ({"weight": "0.05"}, "weight"),
            ({"weight": "11"}, "weight"),
            ({"polarity": 2}, "polarity"),
            ({"text": "   "}, "text"),
            ({"text": "x" * 61}, "text"),
            ({"text": "rude"}, "text"),  # the brand has it already
        ],
    )
    def test_validation(self, admin, aurora, change, field):
        term = {"brand": aurora.brand.pk, "text": "slow", "polarity": -1, "weight": "1.5"}
        response = admin.post(LEXICON_URL, term | change, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_a_brands_first_term_keeps_the_default_lexicon(self, admin, chain):
        from cx_audit.voice.lexicon import DEFAULT_TERMS
        from cx_audit.voice.policy import lexicon_of

        known = next(t for t in DEFAULT_TERMS if t.weight != 9.5 and not t.touchpoint and not t.dimension)
        term = {"brand": chain.brand.pk, "text": known.text, "polarity": known.polarity, "weight": "9.5"}
        assert admin.post(LEXICON_URL, term, format="json").status_code == 201, term
        terms = {t.text: t for t in lexicon_of(chain.brand.pk)}
        assert set(terms) == {t.text for t in DEFAULT_TERMS}
        assert terms[known.text].weight == 9.5  # the brand's own weight, not the default's

    def test_new_term_tags_old_feedback_after_retag(self, admin, aurora, capsys):
        stored = ingest(aurora.brand, (aurora.f1_south, "CRM-1", "The queue was endless"))[0]
        assert admin.get(f"{URL}{stored.pk}/").json()["tags"] == []
        term = {
            "brand": aurora.brand.pk,
            "text": "queue",
            "polarity": -1,
            "weight": "2",
            "touchpoint_code": "checkout",
            "dimension_code": "",
        }
        assert admin.post(LEXICON_URL, term, format="json").status_code == 201
        call_command("retag_feedback", "--brand", "aurora")
        assert "Re-tagged 1 feedback" in capsys.readouterr().out
        detail = admin.get(f"{URL}{stored.pk}/").json()
        assert [(t["term"], t["touchpoint_code"]) for t in detail["tags"]] == [("queue", "checkout")]
        assert detail["polarity"] == -1
