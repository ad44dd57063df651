"""The latest audits read once per request (`insights/latest.py`) and what is built on them.

A page showing several tables (the dashboard) picks each location's latest audit once
(`latest_set`) and groups those rows for the key figures, the consistency index and the
comparisons; the gap ranking then selects item results by the ids it read (on PostgreSQL). These
tests hold the shared path to the same answers as each table computed alone, and show that
nothing is kept beyond one request: a new audit counts at once.

Chain and framework as in test_insights_rankings.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import RequestFactory

from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import DimensionResult, ItemResult, SectionResult
from cx_audit.audits.services import audit_void
from cx_audit.insights import comparisons, consistency, standards, summary
from cx_audit.insights.filters import InsightFilterSet, InsightQuery
from cx_audit.insights.latest import latest_set
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import FAKE_SIGN, NO, RATING_3, audit_at, days_ago
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


@pytest.fixture
def audited(chain, framework, role_users):
    """Every kind of row: a repeat, a regression, a critical failure, a partial, a first audit."""
    admin = role_users["hq_admin"]
    nowhere = LocationFactory(brand=chain.brand, code="AA-000", region=None)  # no region, first by id
    audit_at(nowhere, admin, days_ago(7))
    audit_at(chain.direct_north, admin, days_ago(60))
    audit_at(chain.direct_north, admin, days_ago(10), **NO)  # 100 → 50: a regression
    audit_at(chain.f2_north_east, admin, days_ago(50), **NO)
    audit_at(chain.f2_north_east, admin, days_ago(5), **NO)  # 75, a repeat finding
    audit_at(chain.f1_south, admin, days_ago(12), **RATING_3)  # a partial
    audit_at(chain.f1_tier3, admin, days_ago(3), **FAKE_SIGN)  # critical, capped at 50
    return chain


def insight_query(user, **params) -> InsightQuery:
    request = RequestFactory().get("/", params)
    request.user = user
    filters = InsightFilterSet(request.GET, request=request)
    assert filters.is_valid(), filters.errors
    return filters.insight_query()


def fresh(query: InsightQuery) -> InsightQuery:
    """The same filters as a new request: nothing read yet."""
    return replace(query, memo={})


class LatestSetTests:
    def test_one_row_per_location_with_its_previous_score_and_section_points(self, audited, role_users, api):
        query = insight_query(role_users["hq_analyst"])
        rows = {row.location_id: row for row in latest_set(query)}
        league = api(role_users["hq_analyst"]).get("/api/insights/league/").json()["results"]
        assert {row["location_id"]: row["audit_id"] for row in league} == {
            location: row.id for location, row in rows.items()
        }
        for entry in league:
            row = rows[entry["location_id"]]
            assert str(row.score) == entry["score"]
            assert (None if row.previous_score is None else str(row.previous_score)) == entry[
                "previous_score"
            ]
            sections = SectionResult.objects.filter(audit_id=row.id)
            assert row.earned == sum(section.earned for section in sections)
            assert row.possible == sum(section.possible for section in sections)

    def test_read_once_per_request(self, audited, role_users, django_assert_num_queries):
        query = insight_query(role_users["hq_analyst"])
        with django_assert_num_queries(1):
            latest_set(query)
            consistency.chain_consistency(query)
            comparisons.compare(query, "outlet_type")
            comparisons.compare(query, "city_tier")

    def test_figures_are_the_same_from_the_shared_rows(self, audited, role_users):
        """Each table alone (a new request) and after the others (the dashboard) agree."""
        query = insight_query(role_users["hq_analyst"])
        shared = fresh(query)
        latest_set(shared)
        assert summary.summary(fresh(query)) == summary.summary(shared)
        ranked = standards.standards(fresh(query))
        assert standards.standards(shared) == ranked
        for alone in (fresh(query), shared):  # without the region split: the same standards
            assert standards.standards(alone, by_region=False) == replace(ranked, by_region=[])
        for by in comparisons.COMPARE_BY:
            assert comparisons.compare(fresh(query), by) == comparisons.compare(shared, by)
        inside = insight_query(role_users["hq_analyst"], region=audited.north.pk)
        shared = fresh(inside)
        latest_set(shared)
        assert standards.standards(fresh(inside)) == standards.standards(shared)

    def test_summary_counts_the_regressions_the_league_flags(self, audited, role_users, api):
        client = api(role_users["hq_analyst"])
        flagged = client.get("/api/insights/regressions/").json()["count"]
        assert flagged == 1
        assert client.get("/api/insights/summary/").json()["regressions"] == flagged
        audited.brand.regression_threshold = Decimal(50)  # the drop is exactly 50: not more
        audited.brand.save()
        assert client.get("/api/insights/regressions/").json()["count"] == 0
        assert client.get("/api/insights/summary/").json()["regressions"] == 0


class NothingKeptTests:
    """No figure outlives its request: what HQ submits or voids shows on the next page."""

    def test_a_newly_submitted_or_voided_audit_counts_at_once(self, audited, role_users, client_for):
        page = client_for(role_users["hq_analyst"])
        before = page.get("/insights/").context["summary"]
        assert before.locations_audited == 5
        new = audit_at(audited.f1_south, role_users["hq_admin"], days_ago(1), **NO)
        after = page.get("/insights/").context["summary"]
        assert after.locations_audited == 5  # GZ-101's latest is now the new one
        assert after.average_score < before.average_score
        audit_void(audit=new, user=role_users["hq_admin"], reason="Wrong store")
        assert page.get("/insights/").context["summary"] == before


class ScorecardResultsTests:
    def test_every_stored_figure_to_its_last_decimal(self, audited, role_users, api):
        location = audited.f1_south  # the partial: points lost with more than whole numbers
        card = api(role_users["hq_analyst"]).get(f"/api/insights/locations/{location.pk}/").json()
        audit = Audit.objects.get(pk=card["latest"]["audit_id"])
        assert card["sections"] == [
            {
                "section_code": row.section_code,
                "section": row.section.name,
                "score": str(row.score),
                "passed": row.passed,
                "failed": row.failed,
                "na": row.na,
                "cannot_check": row.cannot_check,
            }
            for row in SectionResult.objects.filter(audit=audit)
        ]
        text = lambda value: None if value is None else str(value)  # noqa: E731
        assert card["dimensions"] == [
            {
                "dimension_code": row.dimension_code,
                "dimension": row.dimension.name,
                "experience": text(row.experience),
                "expectation": text(row.expectation),
                "ideal": text(row.ideal),
                "importance": text(row.importance),
                "satisfaction": text(row.satisfaction),
                "weighted_satisfaction": text(row.weighted_satisfaction),
                "ideal_gap": text(row.ideal_gap),
                "key_rank": row.key_rank,
            }
            for row in DimensionResult.objects.filter(audit=audit)
        ]
        failed = ItemResult.objects.filter(audit=audit, outcome__in=("fail", "partial"))
        assert [
            (item["item_code"], item["outcome"], item["points_lost"]) for item in card["failed_items"]
        ] == [
            (row.item_code, row.outcome, str((row.possible - row.earned).quantize(Decimal("0.01"))))
            for row in failed
        ]
        assert card["failed_items"]
