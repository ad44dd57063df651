"""Finding 4 of issue 12: a replay of one's own submit answers the same 200, whenever it arrives.

A tablet that lost the answer to its submit sends it again; if the second request arrives while
the first is still scoring, both used to read "draft", and the second then met the submitted audit
under the row lock and answered 409. The service now decides under that lock: a submit of an audit
its own auditor already submitted is a replay and answers the stored score.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cx_audit.audits.choices import AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import ItemResult
from cx_audit.audits.services import answers_upsert, audit_create, audit_submit, audit_void
from tests.cx_audit.audit_helpers import answers_for, published_framework, submitted_audit

ROUNDS = 10


def filled_draft(location, user) -> Audit:
    """A draft at ``location`` with every item answered, ready to submit."""
    draft, _ = audit_create(location=location, user=user, kind="scheduled")
    answers_upsert(audit=draft, user=user, answers=answers_for(location))
    return draft


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
class SubmitReplayTests:
    def test_a_replay_after_the_submit_is_the_same_200(self, chain, role_users):
        published_framework(chain.brand)
        auditor = role_users["auditor"]
        draft = filled_draft(chain.direct_north, auditor)
        client = client_for(auditor)
        first = client.post(f"/api/audits/{draft.pk}/submit/")
        assert first.status_code == 200, first.content
        results = ItemResult.objects.filter(audit=draft).count()
        for url in (f"/api/audits/{draft.pk}/submit/", f"/api/audits/{draft.uuid}/submit/"):
            again = client.post(url)
            assert (again.status_code, again.json()) == (200, first.json())
        assert ItemResult.objects.filter(audit=draft).count() == results

    def test_the_service_returns_the_stored_audit_to_its_auditor(self, chain, role_users):
        published_framework(chain.brand)
        auditor = role_users["auditor"]
        audit = submitted_audit(chain.direct_north, auditor)
        stale = Audit.objects.get(pk=audit.pk)
        stale.status = AuditStatus.DRAFT  # what a racing request read before the first committed
        again = audit_submit(audit=stale, user=auditor)
        assert (again.status, again.submitted_at, again.score) == (
            AuditStatus.SUBMITTED,
            audit.submitted_at,
            audit.score,
        )

    def test_someone_elses_submit_of_a_submitted_audit_stays_409(self, chain, role_users):
        published_framework(chain.brand)
        audit = submitted_audit(chain.direct_north, role_users["auditor"])
        response = client_for(role_users["hq_admin"]).post(f"/api/audits/{audit.pk}/submit/")
        assert response.status_code == 409, response.content
        assert "status" in response.json()

    def test_a_voided_audit_is_409_even_for_its_auditor(self, chain, role_users):
        published_framework(chain.brand)
        audit = submitted_audit(chain.direct_north, role_users["auditor"])
        audit_void(audit=audit, user=role_users["hq_admin"], reason="Audited the wrong store.")
        response = client_for(role_users["auditor"]).post(f"/api/audits/{audit.pk}/submit/")
        assert response.status_code == 409, response.content


def _submit_together(users_and_urls: list[tuple[object, str]]) -> list[tuple[int, object]]:
    """POST each URL from its own thread (own client, own connection), released at once."""
    barrier = threading.Barrier(len(users_and_urls))
    answers: list[tuple[int, object] | None] = [None] * len(users_and_urls)

    def run(index: int, user: object, url: str) -> None:
        try:
            client = client_for(user)
            barrier.wait(timeout=10)
            response = client.post(url)
            answers[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, user, url)) for i, (user, url) in enumerate(users_and_urls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(answer is not None for answer in answers), answers
    return answers  # type: ignore[return-value]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_client_both_answer_the_same_200(chain, role_users):
    """On PostgreSQL, two threads submit the same audit at once, ten times over: both 200, same body."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs real row locks and concurrent connections: SQLite (in memory for the tests) "
            "serialises the whole database; run with DATABASE_URL=postgres://… to exercise the race"
        )
    published_framework(chain.brand)
    auditor = role_users["auditor"]
    for _ in range(ROUNDS):
        draft = filled_draft(chain.direct_north, auditor)
        urls = [f"/api/audits/{draft.pk}/submit/", f"/api/audits/{draft.uuid}/submit/"]
        (status_a, body_a), (status_b, body_b) = _submit_together([(auditor, url) for url in urls])
        assert (status_a, status_b) == (200, 200), (body_a, body_b)
        assert body_a == body_b
        assert ItemResult.objects.filter(audit=draft).count() == len(body_a["items"])
