"""The audit pages: each role sees exactly its audits; the score page explains every point."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.services import AnswerInput, answers_upsert, audit_create, audit_submit, evidence_add
from tests.cx_audit.audit_helpers import answers_for, png_bytes, published_framework, submitted_audit

pytestmark = pytest.mark.django_db

LIST = "/audits/"


@pytest.fixture
def audits(chain, role_users):
    published_framework(chain.brand)
    admin = role_users["hq_admin"]
    return {
        "north": submitted_audit(chain.direct_north, admin),
        "f1": submitted_audit(
            chain.f1_south,
            admin,
            answers_for(
                chain.f1_south, SIG_01=AnswerInput(item="SIG-01", text="Aurora 体验店 Authorized Dealer")
            ),
        ),
        "f1_draft": audit_create(location=chain.f1_south, user=admin, kind=AuditKind.UNANNOUNCED)[0],
        "f2": submitted_audit(chain.f2_north_east, admin),
    }


VISIBLE = {
    "hq_admin": {"north", "f1", "f1_draft", "f2"},
    "hq_analyst": {"north", "f1", "f1_draft", "f2"},
    "auditor": {"north", "f2"},
    "franchisee": {"f1"},
    "other_admin": set(),
    "outsider": set(),
}


class AuditPageVisibilityTests:
    @pytest.mark.parametrize("role", list(VISIBLE))
    def test_list_and_detail_per_role(self, client_for, role_users, audits, table_rows, role):
        client = client_for(role_users[role])
        response = client.get(LIST)
        assert response.status_code == 200
        listed = {row[1] for row in table_rows(response)}
        expected = {f"{audits[name].location.name} {audits[name].location.code}" for name in VISIBLE[role]}
        assert listed == expected
        for name, audit in audits.items():
            status = client.get(f"{LIST}{audit.pk}/").status_code
            assert status == (200 if name in VISIBLE[role] else 404), name

    def test_anonymous_is_sent_to_sign_in(self, client_for, audits):
        response = client_for().get(f"{LIST}{audits['f1'].pk}/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class ScorePageTests:
    def test_score_band_cap_sections_delta_and_reasons(self, client_for, chain, role_users, audits):
        audit = audits["f1"]
        html = client_for(role_users["franchisee"]).get(f"{LIST}{audit.pk}/").content.decode()
        assert '<p class="big-number">50.00</p>' in html
        assert "Raw score 75.00" in html
        assert "capped at 50.00" in html
        assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
        assert "forbidden term" in html
        assert "体验店" in html
        assert chain.f2.name not in html
        assert chain.f2_north_east.name not in html

    def test_draft_lists_what_is_missing(self, client_for, role_users, audits):
        draft = audits["f1_draft"]
        admin = role_users["hq_admin"]
        answers_upsert(audit=draft, user=admin, answers=[AnswerInput(item="SIG-02", yes=True)])
        html = client_for(admin).get(f"{LIST}{draft.pk}/").content.decode()
        assert "Not submitted yet" in html
        assert "4 items still missing" in html
        assert "<strong>DIS-01</strong>" in html

    def test_photos_link_to_the_scoped_file(self, client_for, chain, role_users, audits):
        admin = role_users["hq_admin"]
        audit, _ = audit_create(location=chain.direct_north, user=admin, kind="scheduled")
        photo, _ = evidence_add(audit=audit, user=admin, item_code="SIG-02", upload=io.BytesIO(png_bytes()))
        answers_upsert(audit=audit, user=admin, answers=answers_for(chain.direct_north))
        audit_submit(audit=audit, user=admin)
        html = client_for(role_users["auditor"]).get(f"{LIST}{audit.pk}/").content.decode()
        assert f'src="/api/evidence/{photo.pk}/file/"' in html
        assert client_for(role_users["auditor"]).get(f"/api/evidence/{photo.pk}/file/").status_code == 200

    def test_location_page_shows_its_history(self, client_for, chain, role_users, audits):
        html = client_for(role_users["franchisee"]).get(chain.f1_south.get_absolute_url()).content.decode()
        assert f'href="/audits/{audits["f1"].pk}/"' in html
        assert f'href="/audits/{audits["f1_draft"].pk}/"' not in html  # an unannounced draft stays hidden


class AuditPageQueryTests:
    def _queries(self, client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_list_and_detail_do_not_grow_with_data(self, client_for, chain, role_users):
        published_framework(chain.brand)
        admin = role_users["hq_admin"]
        client = client_for(role_users["hq_analyst"])
        first = submitted_audit(chain.f1_south, admin)
        small_list, small_detail = self._queries(client, LIST), self._queries(client, f"{LIST}{first.pk}/")
        for _ in range(6):
            latest = submitted_audit(
                chain.f1_south,
                admin,
                answers_for(chain.f1_south, DIS_01=AnswerInput(item="DIS-01", number=Decimal("2"))),
            )
        assert self._queries(client, LIST) == small_list
        assert self._queries(client, f"{LIST}{latest.pk}/") == small_detail


class GeofencePageTests:
    def test_hq_sees_a_visit_checked_in_far_from_the_store(self, client_for, chain, role_users):
        published_framework(chain.brand)
        auditor = role_users["auditor"]
        far, _ = audit_create(
            location=chain.direct_north,
            user=auditor,
            kind="scheduled",
            checkin_latitude=Decimal("39.9200"),
            checkin_longitude=Decimal("116.4074"),
        )
        near, _ = audit_create(location=chain.direct_north, user=auditor, kind="scheduled")
        client = client_for(role_users["hq_analyst"])
        html = client.get(f"{LIST}{far.pk}/").content.decode()
        assert "outside the brand's 300 m geofence" in html
        assert "geofence" not in client.get(f"{LIST}{near.pk}/").content.decode()
        flagged = client.get(LIST, {"outside_geofence": "true"}).context["object_list"]
        assert [audit.pk for audit in flagged] == [far.pk]
