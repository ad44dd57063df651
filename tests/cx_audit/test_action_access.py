"""Who reaches what of corrective actions: every role against every page, endpoint and photo URL,
franchisee A against franchisee B (by id, guessed id and filter), the 400s that name the field, and
list query counts that do not grow with the number of actions."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cx_audit.actions.models import ActionEvent, ActionStatus, CorrectiveAction, EventKind
from cx_audit.actions.services import action_respond
from cx_audit.core.choices import Role
from tests.cx_audit.action_helpers import demo_rules
from tests.cx_audit.audit_helpers import png_bytes
from tests.cx_audit.scorecard_helpers import audit_at, failing_answers, scorecard_framework

pytestmark = pytest.mark.django_db

ROLES = ["hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin", "outsider"]
SEES_A = {"hq_admin", "hq_analyst", "franchisee"}


@pytest.fixture
def world(chain, role_users, user_in):
    """F1's GZ-101 and F2's SY-201 audited with failures; on each, SIG-03 answered with a photo."""
    scorecard_framework(chain.brand)
    rules = demo_rules(chain.brand)
    admin = role_users["hq_admin"]
    franchisee_b = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f2)
    audit_at(chain.f1_south, admin, failing_answers(chain.f1_south))
    audit_at(chain.f2_north_east, admin, failing_answers(chain.f2_north_east))
    a = {x.item_code: x for x in CorrectiveAction.objects.filter(location=chain.f1_south)}
    b = {x.item_code: x for x in CorrectiveAction.objects.filter(location=chain.f2_north_east)}
    photo = io.BytesIO(png_bytes((30, 20), "green"))
    a_event = action_respond(action=a["SIG-03"], user=role_users["franchisee"], note="A's fix", photo=photo)
    b_event = action_respond(
        action=b["SIG-03"], user=franchisee_b, note="B's private note", photo=io.BytesIO(png_bytes())
    )
    return SimpleNamespace(
        a_open=a["SIG-01"],
        a_answered=a["SIG-03"],
        a_event=a_event,
        b_open=b["SIG-01"],
        b_answered=b["SIG-03"],
        b_event=b_event,
        franchisee_b=franchisee_b,
        rule=rules[1],
    )


def reads(w) -> list[str]:
    return [
        f"/actions/{w.a_open.pk}/",
        f"/actions/{w.a_answered.pk}/",
        f"/api/actions/{w.a_open.pk}/",
        f"/api/actions/{w.a_answered.pk}/photos/{w.a_event.pk}/",
    ]


LISTS = ["/actions/", "/api/actions/", "/api/routing-rules/"]


class EveryRoleTests:
    @pytest.mark.parametrize("role", ROLES)
    def test_reads(self, client_for, role_users, world, role):
        client = client_for(role_users[role])
        expected = 200 if role in SEES_A else 404
        assert {url: client.get(url).status_code for url in reads(world)} == dict.fromkeys(
            reads(world), expected
        )
        assert {url: client.get(url).status_code for url in LISTS} == dict.fromkeys(LISTS, 200)

    @pytest.mark.parametrize(
        ("role", "listed"),
        [
            ("hq_admin", {"GZ-101", "SY-201"}),
            ("hq_analyst", {"GZ-101", "SY-201"}),
            ("auditor", {"SY-201"}),  # North, with North-East below it
            ("franchisee", {"GZ-101"}),
            ("other_admin", set()),
            ("outsider", set()),
        ],
    )
    def test_lists_hold_what_the_role_sees(self, api, role_users, world, role, listed):
        rows = api(role_users[role]).get("/api/actions/").json()["results"]
        assert {row["location"]["code"] for row in rows} == listed

    @pytest.mark.parametrize("role", ROLES)
    def test_routing_rules_are_for_hq(self, api, role_users, world, role):
        client = api(role_users[role])
        hq = role in {"hq_admin", "hq_analyst"}
        assert bool(client.get("/api/routing-rules/").json()["results"]) is hq
        assert client.get(f"/api/routing-rules/{world.rule.pk}/").status_code == (200 if hq else 404)
        assert client.post("/api/routing-rules/", {}, format="json").status_code in (403, 405)

    def test_anonymous(self, client, api, world):
        for url in reads(world):
            response = client.get(url)
            if url.startswith("/api/"):
                assert response.status_code in (401, 403), url
            else:
                assert response.status_code == 302, url
        assert api().get("/api/actions/").status_code == 401

    @pytest.mark.parametrize(
        ("role", "respond", "decide"),
        [
            ("hq_admin", 200, 200),
            ("hq_analyst", 403, 403),
            ("auditor", 404, 404),
            ("franchisee", 200, 403),
            ("other_admin", 404, 404),
            ("outsider", 404, 404),
        ],
    )
    def test_api_writes(self, api, role_users, world, role, respond, decide):
        client = api(role_users[role])
        answered = client.post(
            f"/api/actions/{world.a_open.pk}/respond/", {"note": "Fixed."}, format="multipart"
        )
        assert answered.status_code == respond, answered.content
        sent_back = client.post(
            f"/api/actions/{world.a_answered.pk}/send-back/", {"reason": "No."}, format="json"
        )
        assert sent_back.status_code == decide

    @pytest.mark.parametrize(
        ("role", "respond", "decide"),
        [
            ("hq_admin", 302, 302),
            ("hq_analyst", 403, 403),
            ("auditor", 404, 404),
            ("franchisee", 302, 403),
            ("other_admin", 404, 404),
            ("outsider", 404, 404),
        ],
    )
    def test_page_writes(self, client_for, role_users, world, role, respond, decide):
        client = client_for(role_users[role])
        assert client.post(f"/actions/{world.a_open.pk}/respond/", {"note": "Fixed."}).status_code == respond
        decided = client.post(f"/actions/{world.a_answered.pk}/decide/", {"decision": "accept"})
        assert decided.status_code == decide


class FranchiseeAgainstFranchiseeTests:
    def b_urls(self, w) -> list[str]:
        return [
            f"/actions/{w.b_open.pk}/",
            f"/actions/{w.b_answered.pk}/",
            f"/api/actions/{w.b_answered.pk}/",
            f"/api/actions/{w.b_answered.pk}/photos/{w.b_event.pk}/",
        ]

    def test_every_b_url_is_404_for_a_and_200_for_b(self, client_for, role_users, world):
        a, b = client_for(role_users["franchisee"]), client_for(world.franchisee_b)
        assert {url: a.get(url).status_code for url in self.b_urls(world)} == dict.fromkeys(
            self.b_urls(world), 404
        )
        assert {url: b.get(url).status_code for url in self.b_urls(world)} == dict.fromkeys(
            self.b_urls(world), 200
        )

    def test_b_photo_under_a_own_action_is_404(self, client_for, role_users, world):
        client = client_for(role_users["franchisee"])
        assert client.get(f"/api/actions/{world.a_answered.pk}/photos/{world.b_event.pk}/").status_code == 404

    def test_guessed_ids_reach_only_a_own(self, client_for, role_users, world):
        client = client_for(role_users["franchisee"])
        own = set(
            CorrectiveAction.objects.filter(location=world.a_open.location).values_list("pk", flat=True)
        )
        ids = own | {world.b_open.pk, world.b_answered.pk}
        for template in ("/actions/{}/", "/api/actions/{}/"):
            reached = {
                guess
                for guess in range(max(min(ids) - 3, 1), max(ids) + 4)
                if client.get(template.format(guess)).status_code == 200
            }
            assert reached == own, template

    def test_b_in_a_filter_is_refused_naming_the_field(self, api, client_for, role_users, world, table_rows):
        client = api(role_users["franchisee"])
        for params, field in [
            ({"location": world.b_open.location_id}, "location"),
            ({"franchisee": world.b_open.franchisee_id}, "franchisee"),
        ]:
            response = client.get("/api/actions/", params)
            assert response.status_code == 400
            assert field in response.json()
        page = client_for(role_users["franchisee"]).get("/actions/", {"location": world.b_open.location_id})
        assert "Select a valid choice" in page.content.decode()
        assert table_rows(page) == []

    def test_b_writes_are_404_and_change_nothing(self, api, client_for, role_users, world):
        client = api(role_users["franchisee"])
        assert client.post(f"/api/actions/{world.b_open.pk}/respond/", {"note": "x"}).status_code == 404
        pages = client_for(role_users["franchisee"])
        assert pages.post(f"/actions/{world.b_open.pk}/respond/", {"note": "x"}).status_code == 404
        world.b_open.refresh_from_db()
        assert world.b_open.status == ActionStatus.OPEN


class InputTests:
    def test_api_400s_name_the_field(self, api, role_users, world):
        client = api(role_users["hq_admin"])
        for url, payload, fmt, field in [
            (f"/api/actions/{world.a_open.pk}/respond/", {}, "multipart", "note"),
            (f"/api/actions/{world.a_open.pk}/respond/", {"note": "  "}, "multipart", "note"),
            (
                f"/api/actions/{world.a_open.pk}/respond/",
                {"note": "ok", "photo": io.BytesIO(b"GIF89a not really")},
                "multipart",
                "photo",
            ),
            (f"/api/actions/{world.a_answered.pk}/send-back/", {}, "json", "reason"),
            (f"/api/actions/{world.a_answered.pk}/send-back/", {"reason": " "}, "json", "reason"),
        ]:
            response = client.post(url, payload, format=fmt)
            assert response.status_code == 400, (url, response.content)
            assert field in response.json(), response.json()
        assert "status" in client.get("/api/actions/", {"status": "nonsense"}).json()

    def test_a_step_the_state_does_not_allow_is_409(self, api, role_users, world):
        client = api(role_users["hq_admin"])
        response = client.post(f"/api/actions/{world.a_open.pk}/accept/", {}, format="json")
        assert response.status_code == 409
        assert "status" in response.json()

    def test_respond_then_accept_through_the_api(self, api, role_users, world):
        franchisee, admin = api(role_users["franchisee"]), api(role_users["hq_admin"])
        photo = io.BytesIO(png_bytes((12, 9), "yellow"))
        photo.name = "fix.png"
        answered = franchisee.post(
            f"/api/actions/{world.a_open.pk}/respond/",
            {"note": "Sign replaced.", "photo": photo},
            format="multipart",
        )
        assert answered.json()["status"] == "answered"
        photo_url = answered.json()["events"][-1]["photo_url"]
        assert franchisee.get(photo_url).status_code == 200
        accepted = admin.post(f"/api/actions/{world.a_open.pk}/accept/", {"note": "Good."}, format="json")
        assert accepted.json()["status"] == "accepted"

    def test_page_form_errors_name_the_field(self, client_for, role_users, world):
        response = client_for(role_users["franchisee"]).post(
            f"/actions/{world.a_open.pk}/respond/", {"note": ""}
        )
        assert response.status_code == 400
        assert "What was done to fix it?" in response.content.decode()
        admin = client_for(role_users["hq_admin"])
        refused = admin.post(f"/actions/{world.a_answered.pk}/decide/", {"decision": "send_back", "note": ""})
        assert refused.status_code == 400
        assert "Say what is still missing." in refused.content.decode()


class FilterAndPageTests:
    def test_filters_and_overdue(self, api, role_users, world):
        client = api(role_users["hq_admin"])

        def codes(**params) -> set[tuple[str, str]]:
            rows = client.get("/api/actions/", params).json()["results"]
            return {(row["location"]["code"], row["item_code"]) for row in rows}

        assert codes(status="answered") == {("GZ-101", "SIG-03"), ("SY-201", "SIG-03")}
        assert codes(severity="critical", location=world.a_open.location_id) == {("GZ-101", "SIG-01")}
        assert codes(department="franchise_development", franchisee=world.b_open.franchisee_id) == {
            ("SY-201", "SIG-01"),
            ("SY-201", "SIG-03"),
        }
        assert codes(overdue="true") == set()
        CorrectiveAction.objects.filter(pk=world.a_open.pk).update(
            due_date=timezone.localdate() - timedelta(days=1)
        )
        assert codes(overdue="true") == {("GZ-101", "SIG-01")}
        assert [
            row["severity"]
            for row in client.get("/api/actions/", {"ordering": "-severity"}).json()["results"]
        ][:2] == ["critical", "critical"]

    def test_list_page_highlights_overdue_and_sorts(self, client_for, role_users, world, table_rows):
        CorrectiveAction.objects.filter(pk=world.a_open.pk).update(
            due_date=timezone.localdate() - timedelta(days=2)
        )
        response = client_for(role_users["franchisee"]).get("/actions/")
        html = response.content.decode()
        assert 'class="overdue"' in html
        rows = table_rows(response)
        assert [row[1].split()[0] for row in rows] == ["GZ-101", "GZ-101"]
        assert "overdue" in rows[0][-1]
        assert 'aria-sort="none"' in html
        assert client_for(role_users["franchisee"]).get("/actions/", {"ordering": "-due"}).status_code == 200

    def test_detail_shows_finding_history_photo_and_the_right_form(self, client_for, role_users, world):
        html = client_for(role_users["franchisee"]).get(f"/actions/{world.a_answered.pk}/").content.decode()
        assert "A&#x27;s fix" in html
        assert f"/api/actions/{world.a_answered.pk}/photos/{world.a_event.pk}/" in html
        assert "Record the decision" not in html  # answered: nothing for the store to do now
        own_open = client_for(role_users["franchisee"]).get(f"/actions/{world.a_open.pk}/").content.decode()
        assert "Send the answer to HQ" in own_open
        admin = client_for(role_users["hq_admin"]).get(f"/actions/{world.a_answered.pk}/").content.decode()
        assert "Record the decision" in admin

    def test_nav_shows_the_open_count(self, client_for, role_users, world):
        html = client_for(role_users["franchisee"]).get("/").content.decode()
        assert "1 open action" in html  # SIG-01 at GZ-101; SIG-03 is answered


def _many_actions(world, n: int) -> None:
    """n more actions at GZ-101 (each with one event), written directly: the data, not the service."""
    template = world.a_open
    now = timezone.now()
    start = CorrectiveAction.objects.count()
    rows = CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                brand_id=template.brand_id,
                location_id=template.location_id,
                franchisee_id=template.franchisee_id,
                audit_id=template.audit_id,
                item_id=template.item_id,
                item_code=f"X-{start + i:04d}",
                section_code="signage",
                outcome="fail",
                reason="r",
                severity="normal",
                department="store_manager",
                opened_at=now,
                last_found_at=now,
                due_date=timezone.localdate(),
            )
            for i in range(n)
        ]
    )
    ActionEvent.objects.bulk_create([ActionEvent(action=row, kind=EventKind.OPENED, at=now) for row in rows])


class QueryCountTests:
    @pytest.mark.parametrize("url", ["/actions/", "/api/actions/?page_size=500"])
    def test_lists_do_not_grow_with_actions(self, client_for, role_users, world, url):
        client = client_for(role_users["franchisee"])

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        _many_actions(world, 10)
        few = queries()
        _many_actions(world, 190)
        assert queries() == few
