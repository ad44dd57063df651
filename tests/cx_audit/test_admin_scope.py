"""The admin is no back door: an HQ admin of one brand finds nothing of another brand in any
changelist of the site — neither in its rows nor in the names its sidebar filters offer."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from cx_audit.core.choices import Role
from journeys.services import framework_publish
from tests.cx_audit.audit_helpers import published_framework, submitted_audit
from tests.factories import (
    FranchiseeFactory,
    MembershipFactory,
    RegionFactory,
    complete_framework,
)

pytestmark = pytest.mark.django_db

SECRET = "Zenith"  # every name of the other brand contains it


@pytest.fixture
def other_brand_everywhere(chain, user_in):
    """The other brand with a region, a franchisee, a framework and a submitted audit."""
    brand = chain.other_brand
    RegionFactory(brand=brand, code="ZR", name="Zenith West")
    FranchiseeFactory(brand=brand, code="ZF", name="Zenith Partner")
    framework_publish(framework=complete_framework(brand=brand, name="Zenith standard"))
    submitted_audit(chain.other, user_in(brand, Role.HQ_ADMIN))
    MembershipFactory(brand=brand, role=Role.HQ_ANALYST, user__username="Zenith-analyst")


@pytest.fixture
def aurora_admin(chain, role_users) -> Client:
    user = role_users["hq_admin"]
    user.is_staff = True
    user.save()
    published_framework(chain.brand)
    submitted_audit(chain.f1_south, user)
    client = Client()
    client.force_login(user)
    return client


def changelists() -> list[str]:
    urls = []
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        except NoReverseMatch:  # pragma: no cover - every registered model has one
            continue
    return sorted(urls)


def test_every_changelist_is_covered():
    assert "/admin/cx_audit/audit/" in changelists()
    assert "/admin/locations/location/" in changelists()


@pytest.mark.parametrize("url", changelists())
def test_no_other_brand_name_in_rows_or_filters(url, other_brand_everywhere, aurora_admin):
    response = aurora_admin.get(url)
    assert response.status_code in (200, 403), (url, response.status_code)
    assert SECRET not in response.content.decode(), url
