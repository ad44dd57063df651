"""Early warning from the database (DESIGN §6): every location's and touchpoint's current window
against its trailing baseline, cut the way the pure rule (`warnings.early_warnings`) says, flagged
at the brand's minimum sample and not below it, seen by HQ and by the franchisee of the outlet only,
in the same number of queries however many locations there are.

The brand's policy here: a 7-day window against a 2-week baseline, at least 5 answers in each.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cx_audit.core.choices import Role
from cx_audit.voice import metrics
from cx_audit.voice.flags import covered_weeks, early_warning_flags
from cx_audit.voice.models import Feedback, VoicePolicy
from cx_audit.voice.warnings import WarningPolicy, early_warnings, windows
from tests.factories import LocationFactory
from tests.voice.test_dashboard import Say, ingest, lexicon, query_for

pytestmark = pytest.mark.django_db

POLICY = WarningPolicy(
    nps_drop=Decimal(15), complaint_rise=Decimal("0.5"), min_sample=5, baseline_weeks=2, window_days=7
)


def turned(location, *, before: int, now: int) -> list[Say]:
    """Happy customers in the baseline, angry ones in the current window."""
    return [Say(location, nps=10, comment="friendly", days_ago=10) for _ in range(before)] + [
        Say(location, nps=0, comment="rude", days_ago=1) for _ in range(now)
    ]


@pytest.fixture
def turning(chain):
    lexicon(chain.brand)
    VoicePolicy.objects.create(
        brand=chain.brand,
        warning_nps_drop=POLICY.nps_drop,
        warning_complaint_rise=POLICY.complaint_rise,
        warning_min_sample=POLICY.min_sample,
        warning_baseline_weeks=POLICY.baseline_weeks,
        warning_window_days=POLICY.window_days,
    )
    ingest(
        *turned(chain.direct_north, before=5, now=5),  # the minimum in both windows: flagged
        *turned(chain.f1_south, before=5, now=4),  # one answer short now
        *turned(chain.f2_north_east, before=4, now=5),  # one answer short before
    )
    return chain


def signals(flags, scope: str) -> set[tuple[str, str]]:
    return {(flag.key, flag.kind) for flag in flags.flags if flag.scope == scope}


def pure_tally(location, start: date, end: date) -> metrics.Tally:
    lo = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    hi = timezone.make_aware(timezone.datetime.combine(end + timedelta(days=1), timezone.datetime.min.time()))
    rows = Feedback.objects.filter(location=location, received_at__gte=lo, received_at__lt=hi)
    return metrics.tally(metrics.Response(f.nps, f.csat, f.effort, f.complaint) for f in rows)


class FlagTests:
    def test_a_location_is_flagged_at_the_minimum_sample_and_not_below(self, turning, role_users):
        c = turning
        flags = early_warning_flags(query_for(role_users["hq_admin"]))
        north = str(c.direct_north.pk)
        assert signals(flags, "location") == {(north, "nps_drop"), (north, "complaint_rise")}
        drop = next(f for f in flags.flags if f.key == north and f.kind == "nps_drop")
        span = windows(timezone.localdate(), POLICY)
        (expected,) = [
            s
            for s in early_warnings(
                pure_tally(c.direct_north, span.current_start, span.current_end),
                pure_tally(c.direct_north, span.baseline_start, span.baseline_end),
                POLICY.baseline_weeks,
                POLICY,
            )
            if s.kind == "nps_drop"
        ]
        assert (
            (drop.current, drop.baseline, drop.change, drop.sample)
            == (
                expected.current,
                expected.baseline,
                expected.change,
                expected.sample,
            )
            == (Decimal("-100.0"), Decimal("100.0"), Decimal("-200.0"), 5)
        )
        # The touchpoint the comments name turned too, over the brand: 14 answers now against 14.
        assert ("advice", "nps_drop") in signals(flags, "touchpoint")

        ingest(Say(c.f1_south, nps=0, comment="rude", days_ago=2))  # Guangzhou reaches the minimum
        flags = early_warning_flags(query_for(role_users["hq_admin"]))
        assert (str(c.f1_south.pk), "nps_drop") in signals(flags, "location")
        assert str(c.f2_north_east.pk) not in {key for key, _kind in signals(flags, "location")}

    def test_the_windows_end_on_the_periods_last_day(self, turning, role_users):
        earlier = (timezone.localdate() - timedelta(days=20)).isoformat()
        flags = early_warning_flags(query_for(role_users["hq_admin"], date_to=earlier))
        assert flags.flags == ()
        assert flags.windows.current_end == date.fromisoformat(earlier)

    def test_a_franchisee_sees_the_flags_of_its_own_outlets_only(self, turning, role_users, api, user_in):
        c = turning
        ingest(Say(c.f1_south, nps=0, comment="rude", days_ago=2))
        f1 = api(role_users["franchisee"]).get("/api/voice/warnings/").json()
        assert {(flag["key"], flag["scope"]) for flag in f1["flags"] if flag["scope"] == "location"} == {
            (str(c.f1_south.pk), "location")
        }
        assert c.direct_north.name not in str(f1)
        assert c.direct_north.code not in str(f1)
        f2 = api(user_in(c.brand, Role.FRANCHISEE, franchisee=c.f2)).get("/api/voice/warnings/").json()
        assert [flag for flag in f2["flags"] if flag["scope"] == "location"] == []
        hq = api(role_users["hq_admin"]).get("/api/voice/warnings/").json()
        assert hq["policy"]["min_sample"] == 5
        assert hq["windows"]["current_end"] == timezone.localdate().isoformat()

    def test_the_location_page_shows_its_flag_and_a_calm_one_none(self, turning, role_users, client_for):
        client = client_for(role_users["hq_admin"])
        flagged = client.get(f"/voice/locations/{turning.direct_north.pk}/").content.decode()
        calm = client.get(f"/voice/locations/{turning.f2_north_east.pk}/").content.decode()
        assert 'class="tag flag"' in flagged
        assert "NPS drop" in flagged
        assert 'class="tag flag"' not in calm
        dashboard = client.get("/voice/").content.decode()
        assert f'href="/voice/locations/{turning.direct_north.pk}/?' in dashboard

    def test_the_queries_do_not_grow_with_the_locations(self, turning, role_users):
        admin = role_users["hq_admin"]
        query_for(admin)  # the scope and the brand, read once

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                early_warning_flags(query_for(admin))
            return len(queries)

        few = count()
        more = [LocationFactory(brand=turning.brand, region=turning.south) for _ in range(4)]
        ingest(*[say for location in more for say in turned(location, before=6, now=6)])
        assert count() == few
        assert len(signals(early_warning_flags(query_for(admin)), "location")) == 2 * (1 + len(more))


class BaselineTests:
    def test_a_baseline_covers_the_weeks_from_its_first_answer(self):
        span = windows(date(2025, 3, 31), POLICY)  # baseline 2025-03-11 … 2025-03-24
        assert covered_weeks(None, span, POLICY) == 0
        assert covered_weeks(date(2025, 3, 22), span, POLICY) == 1  # three days: one week begun
        assert covered_weeks(date(2025, 3, 17), span, POLICY) == 2
        assert covered_weeks(date(2025, 3, 11), span, POLICY) == 2  # never more than the policy's

    def test_a_store_that_started_recently_is_not_diluted_by_its_silence(self, chain, role_users):
        lexicon(chain.brand)
        VoicePolicy.objects.create(brand=chain.brand, warning_min_sample=5, warning_window_days=7)
        # Eight weeks of baseline by default, but this store's customers spoke only 9–10 days ago:
        # 5 complaints in the one week it covers is 5 a week, and 6 a week now is no 50 % rise.
        ingest(
            *[Say(chain.direct_north, nps=2, days_ago=9 + n % 2) for n in range(5)],
            *[Say(chain.direct_north, nps=2, days_ago=1) for _ in range(6)],
        )
        flags = early_warning_flags(query_for(role_users["hq_admin"]))
        assert [flag for flag in flags.flags if flag.kind == "complaint_rise"] == []
