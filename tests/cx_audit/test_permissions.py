"""The one permission point (`cx_audit.core.permissions.may`): each rule, for every role.

The rule tables below are the product's write rules as a reader would state them; each row is
asked through `may`, the function the API, pages, templates, admin and services all call.
"""

from __future__ import annotations

import pytest

from cx_audit.core.permissions import administered_by, brand_id_of, may
from journeys.models import Framework, Item
from locations.models import Brand, Location, Region
from tests.factories import UserFactory, complete_framework

ROLES = ["superuser", "hq_admin", "hq_analyst", "auditor", "franchisee", "other_admin", "outsider"]


@pytest.fixture
def people(role_users):
    return {**role_users, "superuser": UserFactory(is_superuser=True, is_staff=True)}


def _answers(people, action, obj):
    return {role: may(people[role], action, obj) for role in ROLES}


def _only(*roles):
    return {role: role in roles for role in ROLES}


class DefaultRuleTests:
    """add / change / delete without a rule of their own: HQ admins of the brand, and superusers."""

    def test_chain_records_follow_the_may_write_rule(self, chain, people):
        for obj in (chain.north, chain.f1, chain.direct_north, chain.f1_south):
            for action in ("change", "delete"):
                assert _answers(people, action, obj) == _only("superuser", "hq_admin"), (obj, action)

    def test_framework_parts_find_their_brand_through_the_framework(self, chain, people):
        framework = complete_framework(chain.brand)
        item = Item.objects.filter(section__framework=framework).first()
        assert brand_id_of(item) == chain.brand.pk
        assert _answers(people, "change", item) == _only("superuser", "hq_admin")

    def test_adding_needs_admin_rights_in_some_brand(self, chain, people):
        assert _answers(people, "add", Region) == _only("superuser", "hq_admin", "other_admin")

    def test_another_brands_admin_changes_nothing_here(self, chain, people):
        assert not may(people["other_admin"], "change", chain.direct_north)
        assert may(people["other_admin"], "change", chain.other)

    def test_the_query_form_gives_the_same_rows(self, chain, people):
        for role in ROLES:
            rows = set(administered_by(Location.objects.all(), people[role]))
            assert rows == {loc for loc in Location.objects.all() if may(people[role], "change", loc)}, role


class RuleTests:
    def test_brands_are_added_and_deleted_by_the_platform_operator_only(self, chain, people):
        assert _answers(people, "add", Brand) == _only("superuser")
        assert _answers(people, "delete", chain.brand) == _only("superuser")
        assert _answers(people, "change", chain.brand) == _only("superuser", "hq_admin")

    def test_auditing_a_location(self, chain, people):
        assert _answers(people, "audit", chain.f1_south) == _only("superuser", "hq_admin", "auditor")
        assert _answers(people, "self_assess", chain.f1_south) == _only("superuser", "franchisee")
        assert _answers(people, "self_assess", chain.f2_north_east) == _only("superuser")

    def test_sharing_a_scorecard(self, chain, people):
        assert _answers(people, "share", chain.f1_south) == _only("superuser", "hq_admin")

    def test_publishing_a_framework(self, chain, people):
        framework = Framework.objects.get(pk=complete_framework(chain.brand).pk)
        for action in ("publish", "retire", "new_version"):
            assert _answers(people, action, framework) == _only("superuser", "hq_admin")

    def test_an_action_no_rule_knows_is_a_programming_error(self, chain, people):
        with pytest.raises(LookupError, match=r"locations\.location\.teleport"):
            may(people["superuser"], "teleport", chain.direct_north)

    def test_anonymous_users_may_nothing(self, chain):
        from django.contrib.auth.models import AnonymousUser

        assert not may(AnonymousUser(), "change", chain.direct_north)
        assert not may(AnonymousUser(), "audit", chain.direct_north)
