"""Corrective actions of the demo chain: the routing rules and deadlines (before the year of audits,
whose submissions open the actions), then a few answers and HQ decisions so every state shows.

Everything goes through the services; the answers are made once — a re-run finds them and does
nothing — and overdue actions are escalated as `manage.py escalate_actions` would.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cx_audit.actions.models import (
    ActionEvent,
    ActionPolicy,
    ActionStatus,
    CorrectiveAction,
    Department,
    EventKind,
)
from cx_audit.actions.models import RoutingRule as RoutingRuleRow
from cx_audit.actions.services import action_accept, action_respond, action_send_back, actions_escalate
from cx_audit.demo import history as demo_history
from locations.models import Brand


@dataclass(frozen=True)
class RuleSpec:
    department: str
    section_code: str = ""
    dimension_code: str = ""
    item_code: str = ""
    note: str = ""


# DESIGN §5: product quality to the supply-chain quality team, signage to franchise development,
# staffing to the store manager; the rest where a phone brand would send it.
ROUTING = (
    RuleSpec(Department.STORE_MANAGER, note="Anything without a more specific rule."),
    RuleSpec(
        Department.FRANCHISE_DEVELOPMENT, section_code="signage", note="Shop front, dealer name, marks."
    ),
    RuleSpec(Department.STORE_MANAGER, section_code="staffing"),
    RuleSpec(Department.PRICING, section_code="pricing"),
    RuleSpec(Department.FACILITIES, section_code="facilities"),
    RuleSpec(Department.TRAINING, section_code="service"),
    RuleSpec(Department.CUSTOMER_SERVICE, section_code="after-sales"),
    RuleSpec(Department.SUPPLY_CHAIN_QUALITY, dimension_code="product", note="Genuine, working devices."),
)
DEADLINES = {"critical_days": 3, "repeat_days": 7, "normal_days": 14, "escalation_grace_days": 2}
ANSWERS_PER_OPERATOR = 3


def seed_routing(brand: Brand) -> int:
    """The demo rules and deadlines, matched on their scope; returns how many rows were written."""
    written = 0
    for spec in ROUTING:
        scope = {
            "item_code": spec.item_code,
            "dimension_code": spec.dimension_code,
            "section_code": spec.section_code,
        }
        rule = RoutingRuleRow.objects.filter(brand=brand, severity="", **scope).first()
        if rule is None:
            RoutingRuleRow.objects.create(brand=brand, department=spec.department, note=spec.note, **scope)
            written += 1
        elif (rule.department, rule.note) != (spec.department, spec.note):
            rule.department, rule.note = spec.department, spec.note
            rule.save(update_fields=["department", "note"])
            written += 1
    policy, created = ActionPolicy.objects.get_or_create(brand=brand, defaults=DEADLINES)
    if not created and any(getattr(policy, name) != days for name, days in DEADLINES.items()):
        ActionPolicy.objects.filter(pk=policy.pk).update(**DEADLINES)
        written += 1
    return written + created


def seed_action_states(*, brand: Brand, users: Mapping[str, Any]) -> None:
    """Each demo franchisee answers a few of its open actions (one accepted by HQ, one sent back,
    one waiting), HQ answers one of a direct store and accepts it; then overdue ones escalate."""
    if not ActionEvent.objects.filter(action__brand=brand, kind=EventKind.ANSWERED).exists():
        hq_admin = users["hq-admin"]
        for username, user in sorted(users.items()):
            if username.startswith("franchisee-"):
                _answer_some(user, hq_admin, ANSWERS_PER_OPERATOR)
        _answer_some(hq_admin, hq_admin, 1, direct_only=True)
    actions_escalate()


def _answer_some(user: Any, hq_admin: Any, count: int, *, direct_only: bool = False) -> None:
    open_actions = CorrectiveAction.objects.visible_to(user).filter(status=ActionStatus.OPEN)
    if direct_only:
        open_actions = open_actions.filter(franchisee__isnull=True)
    chosen = list(open_actions.select_related("location").order_by("location__code", "item_code")[:count])
    for number, action in enumerate(chosen):
        action_respond(
            action=action,
            user=user,
            note=f"Fixed at {action.location.code}: {action.item_code} checked by the store manager.",
            photo=io.BytesIO(demo_history.photo_png(f"fix-{action.item_code}")),
        )
        if number == 0:
            action_accept(action=action, user=hq_admin, note="Thanks — the next visit will check it.")
        elif number == 1:
            action_send_back(
                action=action, user=hq_admin, reason="The photo does not show the whole shop front."
            )
