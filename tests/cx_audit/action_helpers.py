"""Routing rules and audited locations with corrective actions, for the action tests.

With `scorecard_helpers.failing_answers` at an authorized outlet, SIG-01 (critical, signage) and
SIG-03 (signage) fail: two actions, SIG-01 critical (due in 3 days), SIG-03 normal (14 days), both
routed to franchise development by the signage rule.
"""

from __future__ import annotations

from cx_audit.actions.models import ActionPolicy, Department, RoutingRule, Severity
from locations.models import Brand


def demo_rules(brand: Brand) -> list[RoutingRule]:
    """DESIGN §5's examples: a brand default, signage, staffing, product quality, and critical findings."""
    specs = [
        {"department": Department.STORE_MANAGER},
        {"section_code": "signage", "department": Department.FRANCHISE_DEVELOPMENT},
        {"section_code": "staffing", "department": Department.STORE_MANAGER},
        {"dimension_code": "product", "department": Department.SUPPLY_CHAIN_QUALITY},
        {"item_code": "DIS-02", "department": Department.PRICING},
        {"severity": Severity.CRITICAL, "department": Department.BRAND_MARKETING},
    ]
    return [RoutingRule.objects.create(brand=brand, **spec) for spec in specs]


def default_policy(brand: Brand, **days: int) -> ActionPolicy:
    return ActionPolicy.objects.create(brand=brand, **days)
