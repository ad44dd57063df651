"""Finding 10 of issue 12: a record of who changed what, and no retiring the only published framework.

Nothing recorded who changed a brand's scoring policy, a framework, an answer or a role, and any HQ
admin could retire the only published framework (after which no auditor could start an audit).
Now every tracked model keeps a change history (django-simple-history), read by HQ admins of the
brand at /api/history/ and /history/, and retiring the last published version answers 409.

The writes below go through the real API with a real token (POST /api/auth/token/, then the
``Authorization: Token`` header — no force_authenticate), because the token user is set by DRF after
the middlewares ran and the history must still name them; the membership's role is changed through
the admin page with a session login.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.services import audit_create
from cx_audit.core.choices import Role
from cx_audit.history.diff import CHANGED, CREATED, DELETED, FieldChange, as_text, field_changes
from cx_audit.history.tracked import TRACKED
from journeys.models import Framework, FrameworkStatus, Item
from journeys.rules import RetireRefusal, retire_refusal
from journeys.services import framework_new_version
from locations.models import Membership
from tests.cx_audit.audit_helpers import published_framework, submitted_audit
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    """An API client signed in the way an integration is: a token from the login endpoint."""
    response = APIClient().post("/api/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def history(client: APIClient, **filters) -> list[dict]:
    response = client.get("/api/history/", filters)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def changes_of(entry: dict) -> dict[str, tuple[str | None, str | None]]:
    return {c["field"]: (c["before"], c["after"]) for c in entry["changes"]}


def assert_recent(entry: dict) -> None:
    from django.utils.dateparse import parse_datetime

    assert timezone.now() - parse_datetime(entry["date"]) < timedelta(minutes=1)


@pytest.fixture
def hq_admin(role_users):
    return role_users["hq_admin"]


@pytest.fixture
def admin_api(hq_admin) -> APIClient:
    return token_client(hq_admin)


@pytest.fixture
def published(chain) -> Framework:
    return published_framework(chain.brand)


class ChangesAreRecordedTests:
    def test_a_scoring_policy_change_names_the_user_and_both_values(self, chain, hq_admin, admin_api):
        bands = [{"name": "Good", "min_score": 80}, {"name": "Poor", "min_score": 0}]
        response = admin_api.patch(
            f"/api/brands/{chain.brand.pk}/",
            {"critical_cap": "40", "score_bands": bands},
            format="json",
        )
        assert response.status_code == 200, response.content
        entry = history(admin_api, model="brand", kind="changed")[0]
        assert (entry["user"], entry["user_id"], entry["object_id"]) == (
            hq_admin.username,
            hq_admin.pk,
            chain.brand.pk,
        )
        assert entry["object_label"] == "Aurora"
        assert_recent(entry)
        changed = changes_of(entry)
        assert changed["critical_cap"] == ("50", "40")
        assert '"min_score": 80' in changed["score_bands"][1]
        assert "name" not in changed  # only what changed

    def test_editing_a_draft_item(self, published, hq_admin, admin_api):
        draft = framework_new_version(framework=published)
        item = Item.objects.get(framework=draft, code="DIS-01")
        response = admin_api.patch(f"/api/items/{item.pk}/", {"target_authorized": "7"}, format="json")
        assert response.status_code == 200, response.content
        entry = history(admin_api, object=f"item:{item.pk}", kind="changed")[0]
        assert entry["user"] == hq_admin.username
        assert changes_of(entry) == {"target_authorized": ("6", "7")}
        # The copy itself was recorded, in bulk, as created (no user: a service call without a request).
        assert history(admin_api, object=f"item:{item.pk}", kind="created")

    def test_publishing_retires_the_previous_version_and_both_are_recorded(
        self, published, hq_admin, admin_api
    ):
        draft = admin_api.post(f"/api/frameworks/{published.pk}/new-version/", {}, format="json").json()
        assert admin_api.post(f"/api/frameworks/{draft['id']}/publish/").status_code == 200
        rows = history(admin_api, model="framework", kind="changed", user=hq_admin.username)
        by_object = {row["object_id"]: changes_of(row) for row in rows}
        assert by_object[draft["id"]]["status"] == ("draft", "published")
        assert by_object[published.pk]["status"] == ("published", "retired")
        assert by_object[published.pk]["retired_at"][0] is None
        assert len(rows) == 2
        created = history(admin_api, object=f"framework:{draft['id']}", kind="created")
        assert {row["model"] for row in created} >= {"framework", "dimension", "section", "item"}

    def test_changing_an_answer_in_a_draft_records_who_changed_it(self, chain, published, hq_admin, user_in):
        auditor = user_in(chain.brand, Role.AUDITOR, regions=[chain.north])
        audit, _ = audit_create(location=chain.direct_north, user=auditor, kind=AuditKind.SCHEDULED)
        url = f"/api/audits/{audit.pk}/answers/"
        first = token_client(auditor).post(url, {"answers": [{"item": "SIG-02", "yes": True}]}, format="json")
        assert first.status_code == 200, first.content
        again = token_client(hq_admin).post(
            url, {"answers": [{"item": "SIG-02", "yes": False}]}, format="json"
        )
        assert again.status_code == 200, again.content
        answer = audit.answers.get(item__code="SIG-02")
        assert answer.updated_by == hq_admin
        rows = history(token_client(hq_admin), object=f"audit:{audit.pk}", model="answer")
        assert [(r["kind"], r["user"]) for r in rows] == [
            ("changed", hq_admin.username),
            ("created", auditor.username),
        ]
        assert changes_of(rows[0])["yes"] == ("true", "false")
        assert changes_of(rows[0])["updated_by_id"] == (str(auditor.pk), str(hq_admin.pk))

    def test_voiding_an_audit(self, chain, published, hq_admin, admin_api):
        audit = submitted_audit(chain.direct_north, hq_admin)
        response = admin_api.post(f"/api/audits/{audit.pk}/void/", {"reason": "Wrong store"}, format="json")
        assert response.status_code == 200, response.content
        entry = history(admin_api, object=f"audit:{audit.pk}", model="audit")[0]
        assert entry["user"] == hq_admin.username
        assert changes_of(entry)["status"] == ("submitted", "voided")
        assert changes_of(entry)["void_reason"] == (None, "Wrong store")

    def test_a_role_change_in_the_admin(self, chain, hq_admin, client_for, user_in):
        hq_admin.is_staff = True
        hq_admin.save()
        analyst = user_in(chain.brand, Role.HQ_ANALYST)
        membership = Membership.objects.get(user=analyst)
        response = client_for(hq_admin).post(
            f"/admin/locations/membership/{membership.pk}/change/",
            {"user": analyst.pk, "brand": chain.brand.pk, "role": Role.AUDITOR, "regions": [chain.north.pk]},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        rows = history(token_client(hq_admin), object=f"membership:{membership.pk}", kind="changed")
        assert {r["user"] for r in rows} == {hq_admin.username}
        merged = {field: change for row in rows for field, change in changes_of(row).items()}
        assert merged["role"] == ("hq_analyst", "auditor")
        assert merged["regions"][1] == f"[{chain.north.pk}]"

    def test_a_password_change_is_not_recorded_but_staff_status_is(self, chain, hq_admin, user_in):
        member = user_in(chain.brand, Role.AUDITOR)
        member.set_password("another-long-passphrase")
        member.save()
        member.is_staff = True
        member.save()
        rows = history(token_client(hq_admin), object=f"user:{member.pk}", kind="changed")
        assert all("password" not in changes_of(row) for row in rows)
        assert any(changes_of(row).get("is_staff") == ("false", "true") for row in rows)


class WhoReadsTheHistoryTests:
    def test_an_hq_admin_sees_only_their_brands_rows(self, chain, role_users, admin_api):
        other_admin_api = token_client(role_users["other_admin"])
        admin_api.patch(f"/api/brands/{chain.brand.pk}/", {"dispute_days": 7}, format="json")
        other_admin_api.patch(f"/api/brands/{chain.other_brand.pk}/", {"dispute_days": 9}, format="json")
        mine = history(admin_api, model="brand")
        theirs = history(other_admin_api, model="brand")
        assert {r["object_id"] for r in mine} == {chain.brand.pk}
        assert {r["object_id"] for r in theirs} == {chain.other_brand.pk}
        # Naming a foreign brand or object gives nothing away.
        assert admin_api.get("/api/history/", {"brand": chain.other_brand.pk}).status_code == 400
        assert history(admin_api, object=f"brand:{chain.other_brand.pk}") == []
        assert history(admin_api, object=f"location:{chain.other.pk}") == []
        assert chain.other_brand.pk not in {r["brand_id"] for r in history(admin_api, page_size=500)}

    @pytest.mark.parametrize("role", ["hq_analyst", "auditor", "franchisee", "outsider"])
    def test_other_roles_are_refused(self, role_users, client_for, role):
        user = role_users[role]
        assert token_client(user).get("/api/history/").status_code == 403
        assert client_for(user).get("/history/").status_code == 403

    def test_anonymous_is_refused(self, client_for):
        assert APIClient().get("/api/history/").status_code == 401
        response = client_for().get("/history/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_the_history_cannot_be_written(self, admin_api, method):
        assert getattr(admin_api, method)("/api/history/", {}, format="json").status_code == 405

    def test_bad_filters_are_a_400_naming_the_field(self, admin_api):
        response = admin_api.get("/api/history/", {"object": "spaceship:1", "date_from": "yesterday"})
        assert response.status_code == 400
        assert set(response.json()) >= {"object", "date_from"}

    def test_the_page_lists_changes_with_their_fields(
        self, chain, hq_admin, admin_api, client_for, table_rows
    ):
        admin_api.patch(f"/api/brands/{chain.brand.pk}/", {"dispute_days": 21}, format="json")
        response = client_for(hq_admin).get(
            "/history/", {"object": f"brand:{chain.brand.pk}", "kind": "changed"}
        )
        assert response.status_code == 200
        rows = table_rows(response)
        assert rows
        assert hq_admin.username in rows[0][1]
        assert "dispute_days 14 → 21" in rows[0][4]
        assert client_for(hq_admin).get("/history/", {"date_to": "not a date"}).status_code == 200
        assert b'href="/history/"' in client_for(hq_admin).get("/").content  # in the navigation

    def test_object_pages_link_to_their_history(self, chain, published, role_users, client_for):
        framework_page = f"/frameworks/{published.pk}/"
        location_page = f"/locations/{chain.direct_north.pk}/"
        admin = client_for(role_users["hq_admin"])
        assert f"/history/?object=framework:{published.pk}" in admin.get(framework_page).content.decode()
        assert (
            f"/history/?object=location:{chain.direct_north.pk}" in admin.get(location_page).content.decode()
        )
        analyst = client_for(role_users["hq_analyst"])
        assert "/history/" not in analyst.get(framework_page).content.decode()


class RetireTheOnlyPublishedFrameworkTests:
    def test_the_api_refuses_with_409_and_it_stays_published(self, chain, published, admin_api):
        response = admin_api.post(f"/api/frameworks/{published.pk}/retire/")
        assert response.status_code == 409
        assert "only published framework of Aurora; publish a new version first" in str(response.json())
        published.refresh_from_db()
        assert published.status == FrameworkStatus.PUBLISHED

    def test_the_admin_action_refuses_too(self, published, hq_admin, client_for):
        hq_admin.is_staff = True
        hq_admin.save()
        client_for(hq_admin).post(
            "/admin/journeys/framework/",
            {"action": "retire", "_selected_action": [published.pk]},
        )
        published.refresh_from_db()
        assert published.status == FrameworkStatus.PUBLISHED

    def test_the_rule(self):
        assert retire_refusal(status="published", other_published=0) is RetireRefusal.LAST_PUBLISHED
        assert retire_refusal(status="published", other_published=1) is None
        assert retire_refusal(status="draft", other_published=1) is RetireRefusal.NOT_PUBLISHED
        assert retire_refusal(status="retired", other_published=0) is RetireRefusal.NOT_PUBLISHED


class EveryTrackedModelTests:
    EXPECTED = {
        "locations.brand",
        "locations.region",
        "locations.franchisee",
        "locations.location",
        "locations.membership",
        "cx_audit.user",
        "journeys.framework",
        "journeys.dimension",
        "journeys.journey",
        "journeys.stage",
        "journeys.touchpoint",
        "journeys.section",
        "journeys.item",
        "cx_audit.audit",
        "cx_audit.answer",
        "cx_audit.auditplan",
        "cx_audit.routingrule",
        "cx_audit.actionpolicy",
        "cx_audit.voicepolicy",
        "cx_audit.lexiconterm",
    }

    def test_the_tracked_list_is_every_model_with_a_history_and_nothing_else(self):
        with_history = {
            m._meta.label_lower
            for m in apps.get_models()
            if hasattr(m._meta, "simple_history_manager_attribute")
        }
        listed = {t.model._meta.label_lower for t in TRACKED}
        assert with_history == listed == self.EXPECTED

    def test_every_history_table_exists_and_keeps_the_brand(self):
        tables = set(connection.introspection.table_names())
        for tracked in TRACKED:
            assert tracked.history._meta.db_table in tables
            columns = {
                c.name
                for c in connection.introspection.get_table_description(
                    connection.cursor(), tracked.history._meta.db_table
                )
            }
            assert {"history_user_id", "history_date", "history_type", "history_brand_id"} <= columns

    def test_the_user_history_keeps_no_password(self):
        fields = {f.name for f in apps.get_model("cx_audit", "HistoricalUser")._meta.fields}
        assert "password" not in fields
        assert "last_login" not in fields


class FieldChangesTests:
    """`cx_audit.history.diff.field_changes`: pure, before and after per field."""

    def test_changed_lists_only_what_differs(self):
        before = {"name": "A", "cap": Decimal("50.00"), "bands": [1]}
        after = {"name": "A", "cap": Decimal("40"), "bands": [1]}
        assert field_changes(CHANGED, before, after, ["name", "cap", "bands"]) == [
            FieldChange("cap", "50", "40")
        ]

    def test_created_and_deleted(self):
        row = {"name": "A", "note": "", "flag": False}
        assert field_changes(CREATED, None, row, ["name", "note", "flag"]) == [
            FieldChange("name", None, "A"),
            FieldChange("flag", None, "false"),
        ]
        assert field_changes(DELETED, None, row, ["name", "note"]) == [FieldChange("name", "A", None)]

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.dictionaries(st.sampled_from("abcde"), st.one_of(st.none(), st.integers(), st.text(max_size=5)))
    )
    def test_a_row_compared_with_itself_changed_nothing(self, row):
        assert field_changes(CHANGED, row, row, list("abcde")) == []

    @given(st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6, min_value=-(10**6)))
    def test_equal_decimals_read_the_same(self, value):
        assert as_text(value) == as_text(value.quantize(Decimal("0.0001")))
