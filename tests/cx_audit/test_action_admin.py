"""HQ admins edit their brand's routing rules and deadlines in the Django admin, and only theirs."""

from __future__ import annotations

import pytest

from cx_audit.actions.models import RoutingRule

pytestmark = pytest.mark.django_db

ADD = "/admin/cx_audit/routingrule/add/"


@pytest.fixture
def hq_admin(role_users):
    user = role_users["hq_admin"]
    user.is_staff = True
    user.save()
    return user


def test_hq_admin_adds_a_rule_for_its_brand(client_for, chain, hq_admin):
    client = client_for(hq_admin)
    response = client.post(
        ADD, {"brand": chain.brand.pk, "section_code": "signage", "department": "franchise_development"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RoutingRule.objects.get().brand == chain.brand


def test_a_rule_naming_two_scopes_is_refused_with_a_reason(client_for, chain, hq_admin):
    response = client_for(hq_admin).post(
        ADD,
        {"brand": chain.brand.pk, "section_code": "signage", "item_code": "SIG-01", "department": "pricing"},
    )
    assert response.status_code == 200
    assert "Name at most one of item code, dimension, section or severity." in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_another_brands_rules_stay_out_of_reach(client_for, chain, hq_admin):
    foreign = RoutingRule.objects.create(brand=chain.other_brand, department="pricing")
    client = client_for(hq_admin)
    assert client.get(f"/admin/cx_audit/routingrule/{foreign.pk}/change/").status_code in (302, 404)
    refused = client.post(ADD, {"brand": chain.other_brand.pk, "department": "pricing"})
    assert refused.status_code == 200  # "Select a valid choice": not one of the brands it manages
    assert RoutingRule.objects.count() == 1
