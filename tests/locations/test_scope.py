"""The access scope (`cx_audit/core/scope.py`): built once per request, from one query for most users, and
never kept across requests — a change to a membership is obeyed by the very next request."""

from __future__ import annotations

import pytest

from cx_audit.core.choices import Role
from cx_audit.core.models import User
from cx_audit.core.scope import access_scope

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    """The user as a new request loads it (nothing cached on the object)."""
    return User.objects.get(pk=user.pk)


class ScopeQueriesTests:
    def test_hq_user_costs_one_query_and_the_request_keeps_it(
        self, chain, user_in, django_assert_num_queries
    ):
        user = fresh(user_in(chain.brand, Role.HQ_ANALYST))
        with django_assert_num_queries(1):
            scope = access_scope(user)
        assert scope.hq_brand_ids == {chain.brand.pk}
        assert not scope.admin_brand_ids
        assert not scope.auditor_region_ids
        assert not scope.franchisee_ids
        with django_assert_num_queries(0):
            assert access_scope(user) is scope

    def test_franchisee_costs_one_query(self, chain, user_in, django_assert_num_queries):
        user = fresh(user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f1))
        with django_assert_num_queries(1):
            scope = access_scope(user)
        assert scope.franchisee_ids == {chain.f1.pk}
        assert scope.member_brand_ids == {chain.brand.pk}
        assert not scope.hq_brand_ids

    def test_auditor_reaches_sub_regions_and_assigned_locations(self, chain, user_in):
        user = user_in(chain.brand, Role.AUDITOR, regions=[chain.north], locations=[chain.f1_south])
        scope = access_scope(fresh(user))
        assert scope.auditor_region_ids == {chain.north.pk, chain.north_east.pk}
        assert scope.auditor_location_ids == {chain.f1_south.pk}
        assert scope.roles_by_brand == {chain.brand.pk: Role.AUDITOR}

    def test_roles_in_several_brands(self, chain, user_in):
        user = user_in(chain.brand, Role.HQ_ADMIN)
        user.memberships.create(brand=chain.other_brand, role=Role.AUDITOR)
        scope = access_scope(fresh(user))
        assert scope.hq_brand_ids == scope.admin_brand_ids == {chain.brand.pk}
        assert scope.member_brand_ids == {chain.brand.pk, chain.other_brand.pk}
        assert not scope.auditor_region_ids
        assert not scope.auditor_location_ids


class ScopeFreshnessTests:
    """A scope kept across requests would have to be dropped on every one of these changes."""

    def test_membership_changes_are_obeyed_by_the_next_request(self, chain, user_in, client_for):
        user = user_in(chain.brand, Role.AUDITOR, regions=[chain.north])
        client = client_for(user)  # signed in: each request loads the user afresh, as in production
        url = f"/api/locations/{chain.f2_north_east.pk}/"  # in North-East, below North
        assert client.get(url).status_code == 200
        membership = user.memberships.get()
        membership.regions.set([chain.south])
        assert client.get(url).status_code == 404
        chain.north_east.parent = chain.south  # re-parented below the assigned region
        chain.north_east.save()
        assert client.get(url).status_code == 200
        membership.regions.clear()
        membership.locations.add(chain.f2_north_east)
        assert client.get(url).status_code == 200
        membership.delete()
        assert client.get(url).status_code == 404

    def test_a_new_hq_role_opens_the_insights_at_once(self, chain, user_in, client_for):
        user = user_in(chain.brand, Role.AUDITOR, regions=[chain.north])
        client = client_for(user)
        assert client.get("/api/insights/summary/").status_code == 403
        user.memberships.update(role=Role.HQ_ANALYST)
        assert client.get("/api/insights/summary/").status_code == 200
