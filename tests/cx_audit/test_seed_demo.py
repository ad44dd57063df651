"""`manage.py seed_demo`: a believable chain that tells the DESIGN §2 story, and idempotent.

The assertions restate the rules independently of `cx_audit.demo.data` (reserved words,
tiers, roles, what a repeat finding is), so a change to the data that breaks the story fails here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import override_settings
from django.utils import timezone

from cx_audit.actions.models import ActionEvent, CorrectiveAction, RoutingRule
from cx_audit.audits.adapters import framework_rules
from cx_audit.audits.choices import AnswerKind, AuditKind, AuditStatus, Outcome
from cx_audit.audits.models.audits import Answer, Audit, Evidence
from cx_audit.audits.models.results import ItemResult, SectionResult
from cx_audit.core.choices import Role
from cx_audit.demo import data as demo_data
from cx_audit.demo.history import history_uuid, plan_visits
from journeys.models import (
    AnswerType,
    Dimension,
    Framework,
    FrameworkStatus,
    Item,
    Journey,
    Phase,
    Section,
    Stage,
    Touchpoint,
)
from locations.models import Brand, Franchisee, Location, LocationStatus, Membership, OutletType, Region

PASSWORD = "demo-pass-2026"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
RESERVED_EN = (
    "Store",
    "Retail",
    "Experience Store",
    "Experience Center",
    "Flagship",
    "Exclusive",
    "Monopoly",
)
RESERVED_ZH = ("体验店", "旗舰店", "专卖店", "体验中心")
DIMENSIONS = {"product", "service", "relationship", "price", "convenience", "brand_image"}
SECTIONS = {"signage", "display", "staffing", "pricing", "facilities", "service"}
SEEDED_MODELS = (
    Brand,
    Region,
    Franchisee,
    Location,
    Membership,
    Framework,
    Dimension,
    Journey,
    Stage,
    Touchpoint,
    Section,
    Item,
)


def seed() -> str:
    """Run the command as `make demo` does: DEBUG on (pytest-django turns it off)."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_media(tmp_path_factory) -> Path:
    """Where the seed's evidence photos go: a temporary directory shared by the module's tests."""
    return tmp_path_factory.mktemp("seed-media")


@pytest.fixture
def media_root(seed_media) -> Path:
    """The suite's ``media_root`` (tests/conftest.py), overridden: each test reads the photos the
    module's seed stored, so it keeps the seed's directory instead of one of its own."""
    return seed_media


@pytest.fixture(scope="module")
def output(django_db_setup, django_db_blocker, seed_media) -> Iterator[str]:
    """The demo seeded twice, as `make demo` on a machine that already ran it; the last output.

    The first seed writes a year of audits through the audit services and takes a while, so every
    test of this module shares one seeded database, inside a transaction rolled back when the module
    is done (each test nests a savepoint in it). The evidence photos go to a temporary directory.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=[FAST_HASHER], MEDIA_ROOT=seed_media),
        transaction.atomic(),
    ):
        seed()
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def brand(db, output) -> Brand:
    return Brand.objects.get(slug="aurora")


@pytest.fixture
def framework(brand) -> Framework:
    return Framework.objects.get(brand=brand, status=FrameworkStatus.PUBLISHED)


def names_reserved_word(text: str) -> bool:
    """The scoring rule: English words match whole and case-insensitively, Chinese as substrings."""
    english = any(re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) for word in RESERVED_EN)
    return english or any(word in text for word in RESERVED_ZH)


def snapshot() -> dict[str, object]:
    """Everything a re-run could disturb: which rows exist (so their count), timestamps, password hashes."""
    user_model = get_user_model()
    return {
        **{model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in SEEDED_MODELS},
        "users": sorted(user_model.objects.values_list("username", "password", "is_staff", "is_superuser")),
        "locations": sorted(Location.objects.values_list("code", "updated_at", "latitude", "longitude")),
        "scopes": sorted(
            Membership.objects.values_list("user__username", "regions__code", "locations__code")
        ),
        "audits": sorted(Audit.objects.values_list("pk", "uuid", "status", "submitted_at", "score")),
        "audit parts": [model.objects.count() for model in (Answer, Evidence, ItemResult, SectionResult)],
        "actions": sorted(CorrectiveAction.objects.values_list("pk", "status", "severity", "due_date")),
        "action history": ActionEvent.objects.count(),
        "routing": sorted(RoutingRule.objects.values_list("pk", "department")),
    }


class TestChain:
    def test_locations_spread_over_real_cities_of_every_tier(self, brand):
        locations = Location.objects.filter(brand=brand)
        assert locations.count() >= 60
        assert locations.values("city").distinct().count() >= 12
        assert set(locations.values_list("city_tier", flat=True)) == {1, 2, 3, 4}
        assert {"Beijing", "Shanghai", "Guangzhou", "Shenzhen"} <= set(
            locations.filter(city_tier=1).values_list("city", flat=True)
        )
        for location in locations:
            # Mainland China, roughly; the seed spreads stores a few km around real city centres.
            assert Decimal("18") < location.latitude < Decimal("54"), location.code
            assert Decimal("73") < location.longitude < Decimal("135"), location.code
        assert len(set(locations.values_list("latitude", "longitude"))) == locations.count()

    def test_codes_say_city_and_outlet_type(self, brand):
        for code, outlet_type in Location.objects.filter(brand=brand).values_list("code", "outlet_type"):
            assert re.fullmatch(r"[A-Z]{2}-[DA]\d{2}", code), code
            assert code[3] == ("D" if outlet_type == OutletType.DIRECT else "A"), code

    def test_direct_stores_only_in_tier_one_but_for_one_visible_exception(self, brand, output):
        direct = Location.objects.filter(brand=brand, outlet_type=OutletType.DIRECT)
        outside_tier_one = list(direct.exclude(city_tier=1))
        assert direct.filter(city_tier=1).count() >= 4
        assert len(outside_tier_one) == 1
        assert outside_tier_one[0].city_tier == 3
        assert list(Location.objects.filter(brand=brand).policy_exceptions()) == outside_tier_one
        assert f"policy exceptions: 1 — {outside_tier_one[0].code}" in output

    def test_every_location_sits_in_nested_regions(self, brand):
        locations = Location.objects.filter(brand=brand).select_related("region__parent__parent")
        assert not locations.filter(region=None).exists()
        assert all(loc.region.parent and loc.region.parent.parent for loc in locations)
        assert Region.objects.filter(brand=brand, parent=None).count() == 1

    def test_franchisees_run_the_authorized_outlets_under_honest_names(self, brand):
        franchisees = Franchisee.objects.filter(brand=brand)
        assert franchisees.count() >= 8
        for franchisee in franchisees:
            assert re.search(r"[\u4e00-\u9fff]", franchisee.legal_name), franchisee.code
            assert franchisee.contact_name, franchisee.code
            assert "@" in franchisee.contact_email, franchisee.code
            assert franchisee.contact_phone.startswith("+86"), franchisee.code
            assert franchisee.locations.exists(), f"{franchisee.code} runs no outlet"
        authorized = Location.objects.filter(brand=brand, outlet_type=OutletType.AUTHORIZED)
        assert not authorized.filter(franchisee=None).exists()
        # The demo dealers obey the signage rule themselves; only audits should find breaches.
        assert [loc.name for loc in authorized if names_reserved_word(loc.name)] == []

    def test_statuses_areas_and_revenue_look_real(self, brand):
        locations = Location.objects.filter(brand=brand)
        statuses = Counter(locations.values_list("status", flat=True))
        assert statuses[LocationStatus.OPEN] > 0.8 * locations.count()
        assert statuses[LocationStatus.PLANNED] >= 1
        assert statuses[LocationStatus.TEMPORARILY_CLOSED] >= 1
        assert locations.exclude(annual_revenue=None).count() >= 50
        assert locations.exclude(floor_area=None).count() == locations.count()
        direct_area = min(
            locations.filter(outlet_type=OutletType.DIRECT).values_list("floor_area", flat=True)
        )
        assert direct_area > max(
            locations.filter(outlet_type=OutletType.AUTHORIZED).values_list("floor_area", flat=True)
        )


class TestFramework:
    def test_one_published_version_with_every_part(self, brand, framework):
        assert Framework.objects.filter(brand=brand).count() == 1
        assert set(framework.dimensions.values_list("code", flat=True)) == DIMENSIONS
        for dimension in framework.dimensions.all():
            assert 0 <= dimension.expectation <= dimension.ideal <= 10, dimension.code
            assert dimension.importance >= 5, dimension.code
        assert framework.journeys.count() >= 2
        stages = Stage.objects.filter(journey__framework=framework)
        assert set(stages.values_list("phase", flat=True)) == set(Phase.values)
        channels = set(Touchpoint.objects.filter(stage__in=stages).values_list("channel", flat=True))
        assert {"in_store", "phone", "web", "app"} <= channels
        assert set(framework.sections.values_list("code", flat=True)) >= SECTIONS

    def test_items_use_every_answer_type_and_option(self, framework):
        items = Item.objects.filter(framework=framework)
        assert items.count() >= 50
        assert set(items.values_list("answer_type", flat=True)) == set(AnswerType.values)
        assert items.filter(critical=True).count() >= 3
        assert items.filter(photo_required=True).exists()
        assert items.filter(na_allowed=True).exists()
        assert items.filter(applies_to_direct=False).exists()
        assert items.filter(applies_to_authorized=False).exists()
        assert items.exclude(touchpoint=None).count() > 0.8 * items.count()
        assert items.exclude(dimension=None).count() > 0.8 * items.count()
        for item in items:
            item.clean()

    def test_authorized_signage_must_say_dealer_and_avoid_reserved_words(self, framework):
        signage = Item.objects.filter(framework=framework, answer_type=AnswerType.SIGNAGE_TEXT)
        dealer_signs = list(signage.filter(applies_to_direct=False, applies_to_authorized=True))
        assert len(dealer_signs) >= 2
        for item in dealer_signs:
            forbidden = {term.casefold() for term in item.forbidden_terms}
            assert {w.casefold() for w in RESERVED_EN + RESERVED_ZH} <= forbidden, item.code
        fascia = [item for item in dealer_signs if item.required_terms]
        assert fascia
        assert {"Authorized Dealer", "授权经销商"} <= set(fascia[0].required_terms)
        assert fascia[0].critical
        assert signage.filter(applies_to_authorized=False).exists(), "no signage standard for direct stores"

    def test_direct_stores_carry_more_demo_units_and_sell_at_list_price(self, framework):
        items = Item.objects.filter(framework=framework)
        demo_units = items.filter(answer_type=AnswerType.NUMBER, question__icontains="working demo")
        assert demo_units.count() >= 2
        for item in demo_units:
            assert item.target_direct > item.target_authorized, item.code
        both_targets = items.filter(answer_type=AnswerType.NUMBER, target_authorized__isnull=False)
        for item in both_targets.exclude(target_direct=None):
            assert item.target_direct >= item.target_authorized, f"{item.code}: dealers held to more"
        prices = items.filter(answer_type=AnswerType.PRICE)
        assert prices.count() >= 2
        for item in prices:
            assert item.price_band_for(OutletType.DIRECT) == (100, 100), item.code
            low, high = item.price_band_for(OutletType.AUTHORIZED)
            assert low < 100, item.code
            assert high == 100, f"{item.code}: an authorized outlet must never charge above list"

    def test_staffing_covers_screening_training_languages_greeting_and_dress(self, framework):
        staffing = Item.objects.filter(framework=framework, section__code="staffing")
        text = " ".join(staffing.values_list("question", flat=True)).lower()
        for topic in ("screening", "training", "languages", "greeted", "uniform", "name badge"):
            assert topic in text, topic
        greeting = staffing.get(question__icontains="greeted")
        assert greeting.answer_type == AnswerType.NUMBER
        assert greeting.pass_fail


class TestUsers:
    def test_one_login_per_role_printed_with_the_shared_password(self, brand, output):
        user_model = get_user_model()
        admin = user_model.objects.get(username="admin")
        assert admin.is_superuser
        assert admin.is_staff
        roles = set(Membership.objects.filter(brand=brand).values_list("role", flat=True))
        assert roles == set(Role.values)
        assert Membership.objects.get(role=Role.HQ_ADMIN).user.is_staff
        assert PASSWORD in output
        for user in user_model.objects.filter(username__in=[u.username for u in demo_data.USERS]):
            assert user.username in output
            assert authenticate(username=user.username, password=PASSWORD) == user

    def test_auditor_covers_a_region_and_one_extra_location(self, brand):
        auditor = Membership.objects.get(brand=brand, role=Role.AUDITOR)
        assert list(auditor.regions.values_list("name", flat=True)) == ["East China"]
        assert auditor.locations.count() == 1
        assert not auditor.locations.filter(region__parent__name="East China").exists()

    def test_franchisee_users_belong_to_different_franchisees(self, brand):
        memberships = Membership.objects.filter(brand=brand, role=Role.FRANCHISEE)
        assert memberships.count() >= 2
        assert memberships.values("franchisee").distinct().count() == memberships.count()
        assert all(m.franchisee.locations.exists() for m in memberships)


class TestIdempotence:
    """Each test runs the command again on the shared, already seeded database."""

    def test_second_run_changes_nothing(self, brand):
        before = snapshot()
        output = seed()
        assert snapshot() == before
        assert "This run changed nothing." in output
        assert "(unchanged)" in output

    def test_changed_demo_framework_publishes_one_new_version(self, brand, monkeypatch):
        first = Framework.objects.get()
        audits = Audit.objects.count()
        items = list(demo_data.ITEMS)
        items[0] = replace(items[0], question=items[0].question + " (2026 wording)")
        monkeypatch.setattr(demo_data, "ITEMS", tuple(items))
        seed()
        seed()
        first.refresh_from_db()
        current = Framework.objects.get(status=FrameworkStatus.PUBLISHED)
        assert (first.status, current.version, Framework.objects.count()) == (FrameworkStatus.RETIRED, 2, 2)
        assert current.items.get(code=items[0].code).question.endswith("(2026 wording)")
        # The year already audited stays as it was, against the version it was taken on.
        assert Audit.objects.count() == audits
        assert not Audit.objects.filter(framework=current).exists()

    def test_rerun_repairs_what_was_changed_by_hand(self, brand):
        hq_admin = get_user_model().objects.get(username="hq-admin")
        hq_admin.set_password("forgotten")
        hq_admin.save()
        Location.objects.filter(code="SH-D01").update(name="Renamed", status=LocationStatus.CLOSED)
        output = seed()
        assert authenticate(username="hq-admin", password=PASSWORD) == hq_admin
        assert Location.objects.get(code="SH-D01").name == "Aurora Flagship Store Nanjing Road"
        this_run = next(line for line in output.splitlines() if line.startswith("This run"))
        assert this_run == "This run updated 1 location, 1 user."

    def test_refuses_a_database_that_looks_like_production(self, brand, settings):
        before = snapshot()
        settings.DEBUG = False
        with pytest.raises(CommandError, match="--allow-production"):
            call_command("seed_demo", stdout=StringIO())
        assert snapshot() == before


class TestHistory:
    """Issue 3: a year of audits in which dealers are weaker in signage and display, some fail a
    critical standard, findings repeat and a few outlets get worse."""

    def test_every_open_location_has_four_submitted_audits_in_the_last_year(self, brand):
        now = timezone.now()
        in_last_year = Q(
            audits__status=AuditStatus.SUBMITTED,
            audits__submitted_at__gt=now - timedelta(days=365),
            audits__submitted_at__lte=now,
        )
        open_locations = Location.objects.filter(brand=brand, status=LocationStatus.OPEN)
        counts = dict(
            open_locations.annotate(n=Count("audits", filter=in_last_year)).values_list("code", "n")
        )
        assert len(counts) >= 50
        assert min(counts.values()) >= 4, [code for code, n in counts.items() if n < 4]
        assert not Audit.objects.exclude(location__status=LocationStatus.OPEN).exists()
        assert not Audit.objects.exclude(status=AuditStatus.SUBMITTED).exists(), "a draft was left behind"

    def test_audits_spread_over_the_year_each_a_visit_of_an_hour_or_so(self, brand):
        dates = defaultdict(list)
        rows = Audit.objects.filter(brand=brand).values_list("location__code", "started_at", "submitted_at")
        for code, started_at, submitted_at in rows:
            assert timedelta(minutes=15) < submitted_at - started_at < timedelta(hours=3), code
            dates[code].append(submitted_at)
        for code, moments in dates.items():
            assert max(moments) - min(moments) > timedelta(days=200), f"{code}: not spread over the year"
            assert timezone.now() - max(moments) < timedelta(days=60), f"{code}: no recent audit"

    def test_auditors_audit_what_they_see_and_franchisees_only_assess_themselves(self, brand):
        kinds = Counter(Audit.objects.filter(brand=brand).values_list("kind", flat=True))
        assert kinds[AuditKind.SCHEDULED] > kinds[AuditKind.UNANNOUNCED] > 0
        assert kinds[AuditKind.SELF_ASSESSMENT] > 0
        auditor = get_user_model().objects.get(username="auditor-east")
        theirs = Audit.objects.filter(auditor=auditor)
        assert theirs.exists()
        assert not theirs.exclude(location__in=Location.objects.visible_to(auditor)).exists()
        for audit in Audit.objects.select_related("location").exclude(kind=AuditKind.SELF_ASSESSMENT):
            role = Membership.objects.get(user_id=audit.auditor_id, brand=brand).role
            assert role in (Role.AUDITOR, Role.HQ_ADMIN), audit.pk
        for audit in Audit.objects.select_related("location").filter(kind=AuditKind.SELF_ASSESSMENT):
            membership = Membership.objects.get(user_id=audit.auditor_id, brand=brand)
            assert membership.role == Role.FRANCHISEE
            assert membership.franchisee_id == audit.location.franchisee_id

    def test_authorized_outlets_are_weaker_in_signage_and_display(self, brand):
        for section in ("signage", "display"):
            pooled = {}
            for outlet_type in OutletType.values:
                totals = SectionResult.objects.filter(
                    audit__brand=brand,
                    audit__status=AuditStatus.SUBMITTED,
                    audit__outlet_type=outlet_type,
                    section_code=section,
                ).aggregate(earned=Sum("earned"), possible=Sum("possible"))
                pooled[outlet_type] = 100 * totals["earned"] / totals["possible"]
            assert pooled[OutletType.AUTHORIZED] < pooled[OutletType.DIRECT] - 5, (section, pooled)

    def test_some_audits_fail_a_critical_item_and_are_capped(self, brand):
        failed = Audit.objects.filter(brand=brand, critical_failure=True)
        assert failed.count() >= 5
        for audit in failed:
            assert audit.score <= min(brand.critical_cap, audit.raw_score), audit.pk
            assert audit.item_results.filter(critical_failed=True).exists(), audit.pk
        # The commonest sign of a rogue dealer: a word reserved for Aurora's own stores on the fascia.
        signs = Answer.objects.filter(
            audit__in=failed,
            item__code="SIG-01",
            audit__item_results__item_code="SIG-01",
            audit__item_results__critical_failed=True,
        ).values_list("text", flat=True)
        assert any(names_reserved_word(text) for text in signs), list(signs)

    def test_findings_repeat_where_the_previous_audit_failed_the_same_item(self, brand):
        repeats = ItemResult.objects.filter(audit__brand=brand, repeat=True).select_related("audit")
        assert repeats.count() >= 20
        for result in repeats.order_by("pk")[:40]:
            previous = Audit.objects.filter(
                location_id=result.audit.location_id,
                status=AuditStatus.SUBMITTED,
                submitted_at__lt=result.audit.submitted_at,
            )
            if result.audit.kind != AuditKind.SELF_ASSESSMENT:  # self-assessments are kept apart
                previous = previous.exclude(kind=AuditKind.SELF_ASSESSMENT)
            previous = previous.order_by("-submitted_at").first()
            assert previous.item_results.get(item_code=result.item_code).outcome in (
                Outcome.FAIL,
                Outcome.PARTIAL,
            )
        # Some standards fail at the same store audit after audit, not just twice by chance.
        chains = Counter(repeats.values_list("audit__location_id", "item_code"))
        assert max(chains.values()) >= 2

    def test_a_few_locations_got_clearly_worse(self, brand):
        scores = defaultdict(list)
        audits = Audit.objects.filter(brand=brand, status=AuditStatus.SUBMITTED).order_by(
            "submitted_at", "pk"
        )
        for code, score in audits.values_list("location__code", "score"):
            scores[code].append(score)
        worse = [code for code, history in scores.items() if history[-1] <= history[0] - 15]
        assert 3 <= len(worse) <= len(scores) // 3, worse

    def test_auditors_use_na_and_cannot_check_only_where_allowed(self, brand):
        answers = Answer.objects.filter(audit__brand=brand)
        assert answers.filter(kind=AnswerKind.NA).count() >= 50
        assert answers.filter(kind=AnswerKind.CANNOT_CHECK).count() >= 20
        assert not answers.filter(kind=AnswerKind.NA, item__na_allowed=False).exists()
        assert not answers.filter(kind=AnswerKind.CANNOT_CHECK, item__cannot_check_allowed=False).exists()
        totals = Audit.objects.filter(brand=brand).aggregate(Sum("na_count"), Sum("cannot_check_count"))
        assert totals["na_count__sum"] > 0
        assert totals["cannot_check_count__sum"] > 0

    def test_photo_items_carry_a_real_photo(self, brand):
        photographed = Answer.objects.filter(audit__brand=brand, kind=AnswerKind.VALUE).filter(
            Q(item__photo_required=True) | Q(item__answer_type=AnswerType.PHOTO)
        )
        assert photographed.count() > 1000
        assert not photographed.filter(photos=None).exists()
        evidence = Evidence.objects.filter(answer__audit__brand=brand).first()
        assert evidence.content_type == "image/png"
        with evidence.file.open("rb") as stored:
            assert stored.read(8) == b"\x89PNG\r\n\x1a\n"

    def test_the_history_is_drawn_the_same_way_every_run(self, brand, framework):
        location = Location.objects.get(brand=brand, code="ZZ-A03")
        items = framework_rules(framework).items
        now = timezone.now()
        plan = plan_visits(location, items, now)
        assert plan_visits(location, items, now) == plan
        first = next(visit for visit in plan if visit.key == "1")
        stored = Audit.objects.get(uuid=history_uuid(location, "1"))
        fields = ("kind", "yes", "number", "list_price", "text")
        assert {
            answer.item.code: tuple(getattr(answer, name) for name in fields)
            for answer in stored.answers.select_related("item")
        } == {answer.item: tuple(getattr(answer, name) for name in fields) for answer in first.answers}

    def test_a_second_seed_creates_no_audit(self, brand, output):
        assert "This run changed nothing." in output
        per_location = Counter(Audit.objects.filter(brand=brand).values_list("location_id", flat=True))
        assert max(per_location.values()) <= demo_data.HISTORY_VISITS + 1  # + a franchisee's own check

    def test_the_report_sums_the_history_up(self, brand, output):
        line = next(line for line in output.splitlines() if line.startswith("Audit history:"))
        audits = Audit.objects.filter(brand=brand)
        assert f"{audits.count()} submitted audits" in line
        assert f"{audits.filter(critical_failure=True).count()} with a critical failure" in line
        assert f"{ItemResult.objects.filter(repeat=True).count()} repeat findings" in line


class TestCorrectiveActions:
    """The demo's audits open routed actions, and every state of an action shows somewhere."""

    def test_routing_rules_follow_the_design_examples(self, brand):
        rules = {(r.section_code, r.dimension_code): r.department for r in RoutingRule.objects.all()}
        assert rules[("signage", "")] == "franchise_development"
        assert rules[("staffing", "")] == "store_manager"
        assert rules[("", "product")] == "supply_chain_quality"
        assert rules[("", "")] == "store_manager"  # the brand default

    def test_every_state_shows_and_failed_findings_have_actions(self, brand):
        states = set(CorrectiveAction.objects.filter(brand=brand).values_list("status", flat=True))
        assert {"open", "answered", "accepted", "verified"} <= states
        assert CorrectiveAction.objects.filter(brand=brand, escalated_at__isnull=False).exists()
        assert CorrectiveAction.objects.filter(brand=brand, repeat=True).exists()
        assert set(CorrectiveAction.objects.values_list("severity", flat=True)) >= {"normal", "repeat"}
        signage = CorrectiveAction.objects.filter(brand=brand, section_code="signage").first()
        assert signage.department == "franchise_development"
        assert ActionEvent.objects.filter(kind="sent_back").exists()
        assert ActionEvent.objects.exclude(photo="").exists()

    def test_one_live_action_per_location_and_item(self, brand):
        from django.db.models import Count

        live = CorrectiveAction.objects.live().values("location", "item_code").annotate(n=Count("pk"))
        assert max(row["n"] for row in live) == 1
