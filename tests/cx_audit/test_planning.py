"""Due dates and visiting order (pure rules), with properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cx_audit.audits.planning import (
    DEFAULT_INTERVAL_DAYS,
    DueStatus,
    PlanRule,
    Visit,
    due_status,
    interval_for,
    visiting_order,
)

TODAY = date(2026, 11, 22)


class IntervalForTests:
    PLANS = (
        PlanRule(180),
        PlanRule(120, city_tier=4),
        PlanRule(90, outlet_type="authorized"),
        PlanRule(60, outlet_type="authorized", city_tier=1),
    )

    def test_most_specific_plan_wins(self):
        assert interval_for("authorized", 1, self.PLANS) == 60
        assert interval_for("authorized", 4, self.PLANS) == 90  # outlet type beats tier
        assert interval_for("direct", 4, self.PLANS) == 120
        assert interval_for("direct", 2, self.PLANS) == 180

    def test_no_plan_falls_back_to_the_default(self):
        assert interval_for("direct", 1, ()) == DEFAULT_INTERVAL_DAYS


class DueStatusTests:
    def test_never_audited_is_due_today(self):
        assert due_status(None, 90, TODAY) == DueStatus(TODAY, 0, True)

    def test_overdue_counts_days_past_due(self):
        status = due_status(TODAY - timedelta(days=100), 90, TODAY)
        assert status.due_date == TODAY - timedelta(days=10)
        assert status.overdue_days == 10
        assert status.overdue

    def test_not_yet_due(self):
        status = due_status(TODAY - timedelta(days=30), 90, TODAY)
        assert status.overdue_days == 0
        assert status.due_date == TODAY + timedelta(days=60)


visits = st.builds(
    Visit,
    location_id=st.integers(1, 10_000),
    status=st.builds(
        DueStatus,
        due_date=st.dates(date(2025, 1, 1), date(2027, 1, 1)),
        overdue_days=st.integers(0, 400),
        never_audited=st.booleans(),
    ),
    distance_km=st.none() | st.floats(0, 5000, allow_nan=False),
)


class VisitingOrderTests:
    def test_overdue_first_then_nearest(self):
        near = Visit(1, DueStatus(TODAY, 0, False), 1.0)
        far_overdue = Visit(2, DueStatus(TODAY, 5, False), 900.0)
        unknown = Visit(3, DueStatus(TODAY, 0, False), None)
        nearer = Visit(4, DueStatus(TODAY, 0, False), 0.2)
        assert [v.location_id for v in visiting_order([near, unknown, far_overdue, nearer])] == [2, 4, 1, 3]

    @given(st.lists(visits, max_size=40))
    def test_is_a_permutation_with_every_overdue_visit_first(self, given_visits):
        ordered = visiting_order(given_visits)
        assert sorted(map(id, ordered)) == sorted(map(id, given_visits))
        flags = [v.status.overdue for v in ordered]
        assert flags == sorted(flags, reverse=True)

    @given(st.lists(visits, max_size=40))
    def test_within_a_group_distance_never_decreases(self, given_visits):
        ordered = visiting_order(given_visits)
        for group in (True, False):
            known = [
                v.distance_km for v in ordered if v.status.overdue is group and v.distance_km is not None
            ]
            assert known == sorted(known)
