"""The demo's year of customer feedback (issue 13): seeded with the demo chain, believable, consistent
with the audit history, and the same on every run.

The checks restate what a demo user should see, independently of `cx_audit.demo.voice`'s numbers:
a year at every open store, mostly Chinese, the weak stores hearing it from customers too, masked
contact details, the loop closed on most old recovery actions, and warnings where customers turned.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.test import override_settings
from django.utils import timezone

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.models.audits import Audit
from cx_audit.demo import voice as demo_voice
from cx_audit.demo import voice_phrases as phrases
from cx_audit.voice.choices import FeedbackChannel, FeedbackSource, Language, RecoveryStatus
from cx_audit.voice.lexicon import DEFAULT_TERMS
from cx_audit.voice.models import Feedback, LexiconTerm, RecoveryAction, SurveyLink
from cx_audit.voice.policy import policy_for, warning_policy_of
from cx_audit.voice.recovery_stats import recovery_counts
from cx_audit.voice.tagging import tagger_for
from cx_audit.voice.tallies import tally_of
from cx_audit.voice.warnings import early_warnings, windows
from locations.models import Brand, Location, LocationStatus

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
MOBILE_SHOWN = re.compile(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}")
MAILBOX_SHOWN = re.compile(r"[A-Za-z0-9._]{2,}@")


def seed() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seed-media")


@pytest.fixture
def media_root(seed_media) -> Path:
    return seed_media


@pytest.fixture(scope="module")
def outputs(django_db_setup, django_db_blocker, seed_media) -> Iterator[tuple[str, str]]:
    """The demo seeded twice in one rolled-back transaction (the first seed takes most of a minute)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[FAST_HASHER], MEDIA_ROOT=seed_media),
        transaction.atomic(),
    ):
        yield seed(), seed()
        transaction.set_rollback(True)


@pytest.fixture
def brand(db, outputs) -> Brand:
    return Brand.objects.get(slug="aurora")


@pytest.fixture
def open_locations(brand) -> list[Location]:
    return list(Location.objects.filter(brand=brand, status=LocationStatus.OPEN))


class DemoFeedbackTests:
    def test_every_open_location_hears_from_customers_all_year(self, brand, open_locations):
        demo = Feedback.objects.filter(brand=brand, source=FeedbackSource.DEMO)
        months = dict(
            demo.annotate(month=TruncMonth("received_at"))
            .values_list("location_id")
            .annotate(n=Count("month", distinct=True))
        )
        assert {location.pk for location in open_locations} == set(months)
        assert min(months.values()) >= 11
        total = demo.count()
        assert total >= 20_000  # tens of thousands
        assert 30 <= total / len(open_locations) / 12 <= 100  # per location and month
        assert not demo.exclude(location__status=LocationStatus.OPEN).exists()

    def test_mostly_chinese_some_english_over_every_channel(self, brand):
        demo = Feedback.objects.filter(brand=brand).exclude(comment="")
        languages = dict(demo.values_list("language").annotate(n=Count("pk")))
        assert languages[Language.ZH] > 0.75 * sum(languages.values())
        assert languages[Language.EN] > 0.02 * sum(languages.values())
        channels = dict(Feedback.objects.filter(brand=brand).values_list("channel").annotate(n=Count("pk")))
        assert set(channels) == set(FeedbackChannel.values) - {FeedbackChannel.OTHER}
        assert max(channels, key=channels.get) == FeedbackChannel.IN_STORE_SURVEY

    def test_weak_audits_hear_it_from_customers_too(self, brand):
        latest = dict(
            Audit.objects.filter(brand=brand)
            .exclude(kind=AuditKind.SELF_ASSESSMENT)
            .exclude(score=None)
            .latest_per_location()
            .values_list("location_id", "score")
        )
        ranked = sorted(latest, key=latest.get)
        quarter = len(ranked) // 4
        weak, strong = ranked[:quarter], ranked[-quarter:]
        mean = Feedback.objects.filter(brand=brand).exclude(nps=None)

        def nps_mean(ids: list[int]) -> Decimal:
            return mean.filter(location_id__in=ids).aggregate(m=Avg("nps"))["m"]

        assert nps_mean(weak) < nps_mean(strong) - 1

        def pain_share(ids: list[int]) -> float:
            feedback = Feedback.objects.filter(brand=brand, location_id__in=ids)
            return feedback.filter(polarity=-1).count() / feedback.count()

        assert pain_share(weak) > pain_share(strong) + 0.05

    def test_contact_details_are_masked_and_some_were_left(self, brand):
        comments = Feedback.objects.filter(brand=brand).exclude(comment="").values_list("comment", flat=True)
        in_clear = [text for text in comments if MOBILE_SHOWN.search(text) or MAILBOX_SHOWN.search(text)]
        assert not in_clear
        assert sum("****" in text for text in comments) >= 50
        assert sum("***@" in text for text in comments) >= 20
        assert Feedback.objects.filter(brand=brand).exclude(customer_hash="").exists()

    def test_where_customers_turned_the_warnings_fire(self, brand):
        policy = warning_policy_of(policy_for(brand.pk))
        window = windows(timezone.localdate(), policy)
        for code in demo_voice.DROPPING:
            feedback = Feedback.objects.filter(location__code=code, brand=brand)
            current = tally_of(feedback.filter(received_at__gte=midnight(window.current_start)))
            baseline = tally_of(
                feedback.filter(
                    received_at__gte=midnight(window.baseline_start),
                    received_at__lt=midnight(window.current_start),
                )
            )
            kinds = {
                signal.kind for signal in early_warnings(current, baseline, policy.baseline_weeks, policy)
            }
            assert "nps_drop" in kinds, code


class DemoSettingsTests:
    def test_a_survey_link_per_open_location_the_lexicon_and_the_policy(self, brand, open_locations):
        links = SurveyLink.objects.filter(location__brand=brand, active=True)
        assert set(links.values_list("location_id", flat=True)) == {
            location.pk for location in open_locations
        }
        assert LexiconTerm.objects.filter(brand=brand).count() == len({term.text for term in DEFAULT_TERMS})
        policy = policy_for(brand.pk)
        assert policy.pk
        assert sorted(policy.critical_touchpoints) == ["checkout", "diagnosis"]
        assert all(location.annual_revenue for location in open_locations)

    def test_most_old_recovery_actions_are_closed_the_recent_ones_open(self, brand):
        actions = RecoveryAction.objects.filter(brand=brand)
        counts = recovery_counts(actions)
        assert counts.closed > 0.9 * counts.opened
        assert counts.open > 0
        assert Decimal(60) <= counts.rate <= Decimal(80)
        assert counts.on_time_share > Decimal(70)
        recent = timezone.now() - timedelta(days=2)
        assert not actions.filter(opened_at__gte=recent).exclude(status=RecoveryStatus.OPEN).exists()
        assert not actions.filter(closed_at__gt=timezone.now()).exists()
        assert set(actions.values_list("reason", flat=True)) == {"detractor", "critical_touchpoint"}

    def test_a_second_seed_writes_no_feedback(self, db, outputs):
        assert "feedback" in outputs[0]
        assert "This run changed nothing." in outputs[1]


def base_forms(words: str) -> set[str]:
    """``words`` and what it is with one word's ending taken off ("called back" → "call back")."""
    parts = words.split(" ")
    forms = {words}
    for n, word in enumerate(parts):
        for ending in ("s", "es", "ed", "d", "ing"):
            if word.endswith(ending):
                stem = word[: -len(ending)]
                for base in (stem, stem + "e", stem[:-1] if stem[-2:-1] == stem[-1:] else stem):
                    forms.add(" ".join([*parts[:n], base, *parts[n + 1 :]]))
    return forms


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- the generator, without a database --------------------------------------------------------------


class PhraseTests:
    def test_templates_speak_the_lexicon(self):
        """Every bracketed word is a term, or a plural or -ed / -ing form the tagger accepts for one."""
        known = {term.text.lower() for term in DEFAULT_TERMS}
        unknown = {word for word in phrases.lexicon_words() if not known & base_forms(word)}
        assert not unknown

    def test_each_clause_is_tagged_as_what_it_says(self):
        tagger, rng = tagger_for(DEFAULT_TERMS), random.Random(7)
        for touchpoint, templates in phrases.PHRASES.items():
            for language, polarity, template in templates:
                text = phrases.fill(template, language, rng)
                analysis = tagger.analyse(text)
                assert analysis.polarity == polarity, text
                assert touchpoint in {tag.touchpoint for tag in analysis.tags if tag.polarity == polarity}, (
                    text
                )

    def test_a_day_is_the_same_whenever_it_is_drawn_and_weak_stores_score_lower(self):
        def outlet(score: float) -> demo_voice.Outlet:
            return demo_voice.Outlet(
                1, f"X-{score}", None, 1, Decimal(50_000_000), False, ((date(2026, 1, 1), score),)
            )

        today = date(2026, 6, 1)
        days = [today - timedelta(days=n) for n in range(1, 120)]
        weak = [r for day in days for r in demo_voice.day_records(outlet(60), day, today)]
        strong = [r for day in days for r in demo_voice.day_records(outlet(97), day, today)]
        assert demo_voice.day_records(outlet(60), days[0], today) == demo_voice.day_records(
            outlet(60), days[0], today
        )

        def mean(records) -> float:
            scores = [r.nps for r in records if r.nps is not None]
            return sum(scores) / len(scores)

        assert mean(weak) < mean(strong) - 1.5
