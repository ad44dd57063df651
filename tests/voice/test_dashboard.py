"""The voice dashboard and a location's voice (issue 13): figures equal the pure metrics on the same
records, by every cut and over time; pain points show why (the matched words marked, the rest
escaped); each role sees what it may and nothing more; the queries do not grow with the feedback.

The brand's lexicon is written here (four terms), so the tests do not depend on the default one.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cx_audit.audits.models.results import DimensionResult
from cx_audit.voice import metrics, selectors
from cx_audit.voice.charts import TrendPoint, trend_chart
from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.dashboard_filters import VoiceFilterForm, VoiceQuery
from cx_audit.voice.delta import DimensionVoice, customer_delta
from cx_audit.voice.highlight import segments
from cx_audit.voice.models import Feedback, FeedbackTag, LexiconTerm
from cx_audit.voice.revenue import quantize_money, roll_up
from cx_audit.voice.selectors import Figures
from cx_audit.voice.services import FeedbackIn, feedback_ingest
from cx_audit.voice.tallies import location_voice
from journeys.models import Dimension
from tests.cx_audit.scorecard_helpers import audit_at, passing_answers, scorecard_framework
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

TERMS = (
    ("rude", -1, "advice", "service"),
    ("queue", -1, "checkout", "convenience"),
    ("friendly", 1, "advice", "service"),
    ("clean", 1, "shop-front", "brand_image"),
)
SCRIPT = "<script>alert(1)</script>"
_ids = itertools.count(1)


def lexicon(brand) -> None:
    for text, polarity, touchpoint, dimension in TERMS:
        LexiconTerm.objects.create(
            brand=brand, text=text, polarity=polarity, touchpoint_code=touchpoint, dimension_code=dimension
        )


@dataclass(frozen=True)
class Say:
    """One customer's say, as a test writes it."""

    location: object
    nps: int | None = None
    csat: int | None = None
    effort: int | None = None
    comment: str = ""
    channel: str = "hotline"
    days_ago: float = 1
    touchpoint: str = ""
    at: datetime | None = None
    expectations: dict | None = None


def ingest(*says: Say) -> None:
    by_brand = defaultdict(list)
    for say in says:
        by_brand[say.location.brand].append(
            FeedbackIn(
                location_id=say.location.pk,
                channel=say.channel,
                external_id=f"t-{next(_ids)}",
                received_at=say.at or timezone.now() - timedelta(days=say.days_ago),
                nps=say.nps,
                csat=say.csat,
                effort=say.effort,
                comment=say.comment,
                touchpoint_code=say.touchpoint,
                expectations={k: Decimal(v) for k, v in (say.expectations or {}).items()},
            )
        )
    for brand, records in by_brand.items():
        feedback_ingest(brand=brand, records=records, source=FeedbackSource.API)


def query_for(user, **params) -> VoiceQuery:
    form = VoiceFilterForm(params, user=user)
    assert form.is_valid(), form.errors
    return form.voice_query()


def pure(feedback) -> Figures:
    """The pure metrics on records read back one by one (no SQL aggregate)."""
    responses = [metrics.Response(f.nps, f.csat, f.effort, f.complaint) for f in feedback]
    return Figures.of(metrics.tally(responses))


@pytest.fixture
def voiced(chain):
    """Brand A heard from customers at its four stores (North, North-East, South), one of them
    twice in the previous period; Zenith's one store once."""
    lexicon(chain.brand)
    c = chain
    ingest(
        Say(c.direct_north, nps=10, csat=5, effort=2, comment="friendly staff", channel="app"),
        Say(c.direct_north, nps=9, csat=4, comment="clean shop"),
        Say(c.direct_north, nps=3, csat=2, effort=6, comment="rude staff, long queue"),
        Say(c.f1_south, nps=6, csat=3, comment="the queue was long", channel="wechat"),
        Say(c.f1_south, nps=8, channel="app"),
        Say(c.f1_south, nps=2, comment=f"so rude {SCRIPT}"),
        Say(c.f2_north_east, nps=10, comment="friendly", channel="app"),
        Say(c.f2_north_east, nps=0, comment="rude rude"),
        Say(c.f1_tier3, nps=7, csat=4, touchpoint="checkout", channel="in_store_survey"),
        Say(c.direct_north, nps=10, days_ago=100),
        Say(c.direct_north, nps=10, days_ago=120),
        Say(c.other, nps=0, comment="rude"),
    )
    return c


def period(query: VoiceQuery):
    return Feedback.objects.filter(brand=query.brand, received_at__gte=query.start, received_at__lt=query.end)


class FiguresTests:
    def test_the_headline_and_every_cut_equal_the_pure_metrics_on_the_same_records(self, voiced, role_users):
        query = query_for(role_users["hq_admin"])
        records = list(period(query).select_related("location"))
        top = selectors.headline(query)
        assert top.current == pure(records)
        assert top.current.volume == 9
        before = period(query.previous())
        assert top.previous == pure(before)
        assert top.previous.volume == 2
        assert top.change.nps == top.current.nps - top.previous.nps
        assert top.comments == sum(1 for f in records if f.comment)

        c = voiced
        top_region = {c.direct_north.pk: "North", c.f2_north_east.pk: "North", c.f1_south.pk: "South"}
        tagged = defaultdict(set)
        for tag in FeedbackTag.objects.filter(feedback__in=records).exclude(touchpoint_code=""):
            tagged[tag.touchpoint_code].add(tag.feedback_id)
        keys = {
            "region": lambda f: top_region.get(f.location_id, "South"),
            "franchisee": lambda f: f.franchisee_id,
            "outlet_type": lambda f: f.location.outlet_type,
            "channel": lambda f: f.channel,
        }
        for name, key in keys.items():
            expected = defaultdict(list)
            for f in records:
                expected[key(f)].append(f)
            rows = selectors.cut(query, name)
            got = {row.label if name == "region" else row.key: row.figures for row in rows}  # regions by name
            want = {(k if name == "region" else str(k or "")): pure(v) for k, v in expected.items()}
            assert got == want, name
        touchpoints = {row.key: row.figures for row in selectors.cut(query, "touchpoint")}
        for f in records:
            if f.touchpoint_code:
                tagged[f.touchpoint_code].add(f.pk)
        assert touchpoints == {
            code: pure([f for f in records if f.pk in ids]) for code, ids in tagged.items()
        }
        assert set(touchpoints) == {"advice", "checkout", "shop-front"}
        locations = {int(row.key): row.figures for row in selectors.location_rows(query)}
        assert locations == {
            pk: pure([f for f in records if f.location_id == pk]) for pk in {f.location_id for f in records}
        }

    def test_the_page_shows_the_figures_worst_location_first(
        self, voiced, role_users, client_for, table_rows
    ):
        query = query_for(role_users["hq_admin"])
        client = client_for(role_users["hq_analyst"])
        response = client.get("/voice/")
        assert response.status_code == 200
        assert f">{selectors.headline(query).current.nps}<" in response.content.decode()

        def store_order(page) -> list[str]:
            codes = ("GZ-101", "SY-201", "LY-102", "BJ-001")
            return [code for row in table_rows(page) for code in codes if row and row[0].endswith(code)]

        # Guangzhou −66.7; Shenyang and Luoyang 0.0 (more answers first); Beijing 33.3.
        assert store_order(response) == ["GZ-101", "SY-201", "LY-102", "BJ-001"]
        by_volume = client.get("/voice/", {"table": "locations", "sort": "-volume"})
        assert store_order(by_volume) == ["BJ-001", "GZ-101", "SY-201", "LY-102"]

    def test_filters_cut_every_figure(self, voiced, role_users):
        c = voiced
        query = query_for(role_users["hq_admin"], region=c.north.pk, channel="app")
        records = [f for f in period(query) if f.location_id in (c.direct_north.pk, c.f2_north_east.pk)]
        assert selectors.headline(query).current == pure([f for f in records if f.channel == "app"])
        regions = {row.label: row.figures.volume for row in selectors.cut(query, "region")}
        assert regions == {"North (itself)": 1, "North-East": 1}
        checkout = query_for(role_users["hq_admin"], touchpoint="checkout")
        assert selectors.headline(checkout).current.volume == 3  # asked about it, or naming it


class TrendTests:
    def test_weeks_run_monday_to_sunday_and_months_by_the_calendar_in_local_time(self, chain, role_users):
        local = timezone.get_current_timezone()
        moments = [
            datetime(2025, 3, 2, 23, 30, tzinfo=local),  # a Sunday night: ISO week 9
            datetime(2025, 3, 3, 0, 30, tzinfo=local),  # the Monday after: week 10
            datetime(2025, 3, 31, 23, 0, tzinfo=local),  # March's last hour
            datetime(2025, 4, 1, 1, 0, tzinfo=local),  # April
        ]
        ingest(*[Say(chain.direct_north, nps=10 - 3 * n, at=at) for n, at in enumerate(moments)])
        query = query_for(role_users["hq_admin"], date_from="2025-02-24", date_to="2025-04-06")
        weeks = selectors.trend(query, "week")
        assert [row.period_start for row in weeks] == [
            metrics.week_start(datetime(2025, 2, 24) + timedelta(weeks=n)) for n in range(6)
        ]
        volumes = {row.label: row.figures.volume for row in weeks if row.figures.volume}
        assert volumes == {"2025-W09": 1, "2025-W10": 1, "2025-W14": 2}
        months = {row.label: (row.figures.volume, row.figures.nps) for row in selectors.trend(query, "month")}
        assert months == {
            "2025-02": (0, None),
            "2025-03": (3, Decimal("0.0")),
            "2025-04": (1, Decimal("-100.0")),
        }
        for row in weeks:
            records = [
                f
                for f in period(query)
                if metrics.week_start(timezone.localtime(f.received_at)) == row.period_start
            ]
            assert row.figures == pure(records)


class PointsTests:
    def test_pain_points_show_their_examples_with_the_words_marked_and_the_rest_escaped(
        self, voiced, role_users, client_for, api
    ):
        body = client_for(role_users["hq_admin"]).get("/voice/").content.decode()
        assert "<mark>rude</mark>" in body
        # The tagger's span takes the degree word in ("so rude"); the customer's markup is text.
        assert "<mark>so rude</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert SCRIPT not in body
        answer = api(role_users["hq_admin"]).get("/api/voice/pain-points/").json()
        pain = {point["key"]: point for point in answer["pain"]}
        assert set(pain) == {"advice", "checkout"}
        advice = pain["advice"]
        tags = FeedbackTag.objects.filter(brand=voiced.brand, touchpoint_code="advice", polarity=-1)
        assert advice["mentions"] == tags.count() == 4  # "rude rude" twice
        assert advice["comments"] == 3
        assert Decimal(advice["share"]) == (Decimal(100) * 3 / answer["comments"]).quantize(Decimal("0.1"))
        assert 2 <= len(advice["examples"]) <= 3
        for example in advice["examples"]:
            assert example["comment"][example["start"] : example["end"]] == example["matched"]
            assert example["matched"].endswith("rude")
        assert len({example["feedback_id"] for example in advice["examples"]}) == len(advice["examples"])
        terms = api(role_users["hq_admin"]).get("/api/voice/pain-points/", {"by": "term", "limit": 1}).json()
        assert [point["key"] for point in terms["pain"]] == ["rude"]


class ScopingTests:
    def test_a_franchisee_sees_its_own_outlets_and_another_franchisees_feedback_changes_nothing(
        self, voiced, role_users, api
    ):
        client = api(role_users["franchisee"])
        before = client.get("/api/voice/summary/").json()
        assert before["headline"]["current"]["volume"] == 4  # F1: Guangzhou 3, Luoyang 1
        assert {int(row["key"]) for row in before["worst_locations"]} == {
            voiced.f1_south.pk,
            voiced.f1_tier3.pk,
        }
        ingest(
            Say(voiced.f2_north_east, nps=0, comment="rude"), Say(voiced.direct_north, nps=0, comment="rude")
        )
        assert client.get("/api/voice/summary/").json() == before
        assert api(role_users["hq_admin"]).get("/api/voice/summary/").json() != before

    def test_an_auditor_reads_the_figures_of_the_stores_it_audits_and_no_comment(
        self, voiced, role_users, client_for, api
    ):
        auditor = role_users["auditor"]  # North, with North-East
        assert client_for(auditor).get("/voice/").status_code == 404
        page = client_for(auditor).get(f"/voice/locations/{voiced.direct_north.pk}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert "friendly staff" not in body
        assert "rude staff" not in body
        assert "clean shop" not in body
        assert "<mark>" not in body
        answer = api(auditor).get(f"/api/voice/locations/{voiced.direct_north.pk}/").json()
        assert answer["mode"] == "summary"
        assert answer["headline"]["current"]["volume"] == 3
        assert answer["comments"] is None
        assert answer["delta"] is None
        assert answer["revenue"] is None
        assert all(point["examples"] == [] for point in answer["pain"] + answer["pleasure"])
        assert "staff" not in str(answer)
        assert client_for(auditor).get(f"/voice/locations/{voiced.f1_south.pk}/").status_code == 404
        assert api(auditor).get(f"/api/voice/locations/{voiced.f1_south.pk}/").status_code == 404
        assert api(auditor).get("/api/voice/summary/").status_code == 404

    def test_another_brand_finds_nothing_and_the_anonymous_sign_in_first(
        self, voiced, role_users, client_for, api, client
    ):
        other = role_users["other_admin"]
        assert client_for(other).get(f"/voice/locations/{voiced.direct_north.pk}/").status_code == 404
        assert api(other).get(f"/api/voice/locations/{voiced.direct_north.pk}/").status_code == 404
        refused = api(other).get("/api/voice/summary/", {"brand": voiced.brand.pk})
        assert refused.status_code == 400
        assert "brand" in refused.json()
        own = api(other).get("/api/voice/summary/").json()
        assert own["brand"]["name"] == "Zenith"
        assert own["headline"]["current"]["volume"] == 1
        assert client_for(role_users["outsider"]).get("/voice/").status_code == 404
        assert api(role_users["outsider"]).get("/api/voice/warnings/").status_code == 404
        assert client.get("/voice/").status_code == 302
        assert api().get("/api/voice/summary/").status_code == 401
        assert api().get(f"/api/voice/locations/{voiced.direct_north.pk}/").status_code == 401


class LocationTests:
    def test_the_customers_delta_sits_beside_the_auditors(self, voiced, role_users, api, client_for):
        c, admin = voiced, role_users["hq_admin"]
        scorecard_framework(c.brand)  # dimensions service and price
        audit = audit_at(c.direct_north, admin, passing_answers(c.direct_north))
        ingest(
            *[
                Say(c.direct_north, nps=9, comment="friendly", expectations={"service": "8"})
                for _ in range(4)
            ],
            Say(c.direct_north, nps=4, comment="rude", expectations={"service": "6"}),
        )
        answer = api(admin).get(f"/api/voice/locations/{c.direct_north.pk}/").json()
        lines = {line["code"]: line for line in answer["delta"]["lines"]}
        assert answer["delta"]["audit"]["id"] == audit.pk
        for result in DimensionResult.objects.filter(audit=audit):
            line = lines[result.dimension_code]
            assert line["auditor_experience"] == (
                None if result.experience is None else str(result.experience)
            )
            assert Decimal(line["auditor_expectation"]) == result.expectation
        query = query_for(admin)
        tags = FeedbackTag.objects.filter(location=c.direct_north, received_at__gte=query.start)
        service = tags.filter(dimension_code="service")
        framework = Dimension.objects.get(framework__brand=c.brand, code="service")
        voice = DimensionVoice(
            code="service",
            importance=framework.importance,
            expectation=framework.expectation,
            pleasure=sum((t.weight for t in service if t.polarity > 0), Decimal(0)),
            pain=sum((t.weight for t in service if t.polarity < 0), Decimal(0)),
            mentions=len({t.feedback_id for t in service}),
            asked_expectation=Decimal("7.60"),  # (8 × 4 + 6) ÷ 5
        )
        (expected,) = customer_delta([voice])
        assert lines["service"]["mentions"] == expected.mentions == 7
        assert lines["service"]["expectation_source"] == "asked"
        assert Decimal(lines["service"]["customer_expectation"]) == Decimal("7.60")
        assert Decimal(lines["service"]["customer_experience"]) == expected.experience
        assert Decimal(lines["service"]["customer_weighted"]) == expected.weighted
        assert lines["price"]["customer_experience"] is None  # nobody spoke of it
        page = client_for(role_users["franchisee"]).get(f"/voice/locations/{c.f1_south.pk}/")
        assert page.status_code == 200
        assert "<mark>so rude</mark> &lt;script&gt;" in page.content.decode()  # the recent comments

    def test_revenue_at_risk_is_the_locations_voice_rolled_up(self, voiced, role_users, api):
        c = voiced
        for location, revenue in ((c.direct_north, "2000000"), (c.f1_south, "1500000.50")):
            type(location).objects.filter(pk=location.pk).update(annual_revenue=Decimal(revenue))
            location.refresh_from_db()
        voices = location_voice([c.direct_north, c.f1_south, c.f2_north_east, c.f1_tier3])
        client = api(role_users["hq_admin"])
        answer = client.get(f"/api/voice/locations/{c.f1_south.pk}/").json()
        assert Decimal(answer["revenue"]["lost"]) == quantize_money(voices[c.f1_south.pk].revenue.lost)
        total = roll_up(v.revenue for v in voices.values() if v.revenue is not None)
        summary = client.get("/api/voice/summary/").json()["revenue"]
        assert Decimal(summary["total"]["lost"]) == quantize_money(total.lost)
        assert Decimal(summary["total"]["at_risk"]) == quantize_money(total.at_risk)
        assert summary["without_revenue"] == 2
        assert Decimal(summary["lever"]["saved"]) > 0  # complaining more loses less (DESIGN §6)


class InputTests:
    @pytest.mark.parametrize(
        ("url", "field"),
        [
            ("/api/voice/summary/?date_from=2025-02-10&date_to=2025-01-01", "date_to"),
            ("/api/voice/summary/?date_from=2020-01-01&date_to=2025-01-01", "date_from"),
            ("/api/voice/summary/?date_to=9999-12-31", "date_to"),
            ("/api/voice/summary/?brand=abc", "brand"),
            ("/api/voice/warnings/?channel=fax", "channel"),
            ("/api/voice/summary/?touchpoint=a%20b", "touchpoint"),
            ("/api/voice/trends/?interval=year", "interval"),
            ("/api/voice/pain-points/?by=mood", "by"),
            ("/api/voice/pain-points/?limit=0", "limit"),
        ],
    )
    def test_a_bad_filter_is_a_400_naming_it(self, chain, role_users, api, url, field):
        response = api(role_users["hq_admin"]).get(url)
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_a_bad_page_parameter_is_a_400_naming_it(self, chain, role_users, client_for):
        client = client_for(role_users["hq_admin"])
        for params, field in (({"sort": "mood"}, "sort"), ({"table": "x"}, "table"), ({"page": "0"}, "page")):
            response = client.get("/voice/", params)
            assert response.status_code == 400
            assert field in response.content.decode()
        assert client.get("/voice/", {"date_to": "2025-13-01"}).status_code == 400


class QueryCountTests:
    def test_the_queries_do_not_grow_with_the_feedback(self, chain, role_users, client_for, api):
        lexicon(chain.brand)
        admin = role_users["hq_admin"]
        first, second = chain.direct_north, chain.f1_south
        more = [first, second, chain.f2_north_east, chain.f1_tier3] + [
            LocationFactory(brand=chain.brand, region=chain.south) for _ in range(2)
        ]
        comments = ("rude", "friendly", "queue", "clean and friendly", "")

        def spread(count: int, stores: list) -> list[Say]:
            return [
                Say(
                    stores[n % len(stores)],
                    nps=n % 11,
                    csat=1 + n % 5,
                    comment=comments[n % 5],
                    days_ago=1 + n % 80,
                )
                for n in range(count)
            ]

        urls = ["/voice/", f"/voice/locations/{first.pk}/"]
        api_urls = ["/api/voice/summary/", "/api/voice/warnings/", f"/api/voice/locations/{first.pk}/"]

        def counts() -> list[int]:
            found = []
            for url in urls + api_urls:
                fresh = type(admin).objects.get(pk=admin.pk)  # as a request reads it: no scope cached
                client = client_for(fresh) if url in urls else api(fresh)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                found.append(len(queries))
            return found

        ingest(*spread(5, [first, second]))
        small = counts()
        ingest(*spread(55, more))
        assert counts() == small, small


class PureHelperTests:
    def test_segments_mark_the_spans_clipped_and_merged_and_keep_every_character(self):
        text = "so rude <b>x</b>"
        parts = segments(text, [(3, 7), (0, 2), (5, 9), (40, 50), (4, 4)])
        assert "".join(part.text for part in parts) == text
        assert [part.text for part in parts if part.marked] == ["so", "rude <"]

    def test_the_trend_chart_draws_a_negative_nps_below_zero_and_escapes_its_labels(self):
        svg = trend_chart(
            [
                TrendPoint("<w1>", Decimal("-50.0"), 3),
                TrendPoint("w2", None, 0),
                TrendPoint("w3", Decimal("50"), 1),
            ],
            title="NPS & volume",
        )
        assert "<w1>" not in svg
        assert "&lt;w1&gt;" in svg
        assert "NPS &amp; volume" in svg
        ys = [float(y) for y in re.findall(r'class="point" cx="[\d.]+" cy="([\d.]+)"', svg)]
        assert len(ys) == 2  # the week nobody scored is a gap, not a zero
        assert ys[0] > ys[1]  # −50 is drawn lower than +50
