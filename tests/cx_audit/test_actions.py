"""Pure rules of corrective actions (cx_audit/actions/rules.py): routing, severity, due dates, escalation."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cx_audit.actions.rules import (
    DEFAULT_DEADLINES,
    FALLBACK_DEPARTMENT,
    Deadlines,
    Finding,
    Level,
    RoutingRule,
    Severity,
    due_date,
    higher_severity,
    is_overdue,
    route,
    severity_of,
    should_escalate,
)

# DESIGN §5's examples, as a brand would set them up.
DEMO_RULES = [
    RoutingRule("store_manager", rule_id=1),  # the brand default
    RoutingRule("franchise_development", section_code="signage", rule_id=2),
    RoutingRule("store_manager", section_code="staffing", rule_id=3),
    RoutingRule("supply_chain_quality", dimension_code="product", rule_id=4),
    RoutingRule("pricing", item_code="PRI-01", rule_id=5),
    RoutingRule("brand_marketing", severity=Severity.CRITICAL, rule_id=6),
]


class RouteTests:
    def test_design_examples(self):
        assert route(Finding("SIG-02", "signage"), DEMO_RULES).department == "franchise_development"
        assert route(Finding("STF-01", "staffing"), DEMO_RULES).department == "store_manager"
        assert route(Finding("DIS-01", "display", "product"), DEMO_RULES).department == "supply_chain_quality"

    def test_item_beats_dimension_beats_section_beats_severity_beats_default(self):
        finding = Finding("PRI-01", "signage", "product", critical=True)
        assert route(finding, DEMO_RULES).department == "pricing"
        assert route(finding, DEMO_RULES[:4]).department == "supply_chain_quality"
        assert (
            route(finding, [DEMO_RULES[0], DEMO_RULES[1], DEMO_RULES[5]]).department
            == "franchise_development"
        )
        assert route(finding, [DEMO_RULES[0], DEMO_RULES[5]]).department == "brand_marketing"
        assert route(finding, [DEMO_RULES[0]]).level == Level.BRAND_DEFAULT

    def test_severity_rule_matches_only_its_severity(self):
        repeat_rule = RoutingRule("training", severity=Severity.REPEAT, rule_id=9)
        assert route(Finding("X", "s", repeat=True), [repeat_rule]).department == "training"
        assert route(Finding("X", "s", critical=True, repeat=True), [repeat_rule]).rule_id is None
        assert route(Finding("X", "s"), [repeat_rule]).department == FALLBACK_DEPARTMENT

    def test_no_rule_at_all_goes_to_the_store_manager(self):
        routed = route(Finding("X", "s"), [])
        assert (routed.department, routed.rule_id, routed.level) == (FALLBACK_DEPARTMENT, None, None)

    def test_duplicates_tie_to_the_oldest_rule_whatever_the_order(self):
        a = RoutingRule("facilities", section_code="s", rule_id=7)
        b = RoutingRule("training", section_code="s", rule_id=3)
        assert route(Finding("X", "s"), [a, b]).department == "training"
        assert route(Finding("X", "s"), [b, a]).department == "training"


class SeverityTests:
    def test_critical_over_repeat_over_normal(self):
        assert severity_of(Finding("X", "s", critical=True, repeat=True)) == Severity.CRITICAL
        assert severity_of(Finding("X", "s", repeat=True)) == Severity.REPEAT
        assert severity_of(Finding("X", "s")) == Severity.NORMAL

    def test_higher_severity(self):
        assert higher_severity(Severity.REPEAT, Severity.CRITICAL) == Severity.CRITICAL
        assert higher_severity(Severity.REPEAT, Severity.NORMAL) == Severity.REPEAT


class DueDateTests:
    def test_days_by_severity(self):
        day = date(2026, 3, 1)
        assert due_date(day, Severity.CRITICAL) == date(2026, 3, 4)
        assert due_date(day, Severity.REPEAT) == date(2026, 3, 8)
        assert due_date(day, Severity.NORMAL) == date(2026, 3, 15)
        assert due_date(day, Severity.NORMAL, Deadlines(normal_days=30)) == date(2026, 3, 31)

    def test_overdue_only_while_the_store_owes_an_answer(self):
        due = date(2026, 3, 4)
        assert not is_overdue(due, due, waiting_on_store=True)
        assert is_overdue(due, due + timedelta(days=1), waiting_on_store=True)
        assert not is_overdue(due, due + timedelta(days=9), waiting_on_store=False)

    def test_escalates_once_after_the_grace(self):
        due = date(2026, 3, 4)
        grace = Deadlines(escalation_grace_days=2)
        late = due + timedelta(days=2)
        assert should_escalate(due, late, waiting_on_store=True, already_escalated=False)
        assert not should_escalate(due, late, waiting_on_store=True, already_escalated=False, deadlines=grace)
        later = due + timedelta(days=3)
        assert should_escalate(due, later, waiting_on_store=True, already_escalated=False, deadlines=grace)
        assert not should_escalate(due, later, waiting_on_store=True, already_escalated=True, deadlines=grace)


codes = st.sampled_from(["A-1", "A-2", "B-1"])
sections = st.sampled_from(["signage", "display", "staffing"])
dimensions = st.one_of(st.none(), st.sampled_from(["product", "service"]))
severities = st.one_of(st.none(), st.sampled_from(list(Severity)))
departments = st.sampled_from(["store_manager", "pricing", "training", "facilities"])
findings = st.builds(Finding, codes, sections, dimensions, st.booleans(), st.booleans())


@st.composite
def one_rule(draw, rule_id: int) -> RoutingRule:
    level = draw(st.sampled_from(list(Level)))
    scope = {
        Level.ITEM: {"item_code": draw(codes)},
        Level.DIMENSION: {"dimension_code": draw(st.sampled_from(["product", "service"]))},
        Level.SECTION: {"section_code": draw(sections)},
        Level.SEVERITY: {"severity": draw(st.sampled_from(list(Severity)))},
        Level.BRAND_DEFAULT: {},
    }[level]
    return RoutingRule(draw(departments), rule_id=rule_id, **scope)


@st.composite
def rule_sets(draw) -> list[RoutingRule]:
    n = draw(st.integers(0, 8))
    return [draw(one_rule(rule_id)) for rule_id in range(1, n + 1)]


class RoutingPropertyTests:
    @given(findings, rule_sets())
    def test_every_finding_routes_somewhere(self, finding, rules):
        routed = route(finding, rules)
        assert routed.department
        if routed.rule_id is not None:
            winner = next(rule for rule in rules if rule.rule_id == routed.rule_id)
            assert winner.matches(finding, severity_of(finding))

    @given(findings, rule_sets())
    def test_no_matching_rule_is_more_specific_than_the_winner(self, finding, rules):
        routed = route(finding, rules)
        matching = [rule for rule in rules if rule.matches(finding, severity_of(finding))]
        if matching:
            assert routed.level == max(rule.level for rule in matching)
        else:
            assert routed.department == FALLBACK_DEPARTMENT

    @given(findings, rule_sets(), departments)
    def test_a_matching_item_rule_always_wins(self, finding, rules, department):
        item_rule = RoutingRule(department, item_code=finding.item_code, rule_id=0)
        assert route(finding, [*rules, item_rule]).department == department

    @given(findings, rule_sets(), st.randoms())
    def test_the_order_of_the_rules_never_matters(self, finding, rules, rng):
        shuffled = list(rules)
        rng.shuffle(shuffled)
        assert route(finding, shuffled) == route(finding, rules)


class DueDatePropertyTests:
    @given(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
        st.sampled_from(list(Severity)),
        st.integers(-5, 365),
        st.integers(-5, 365),
        st.integers(-5, 365),
    )
    def test_never_before_the_audit_and_more_severe_never_later(self, day, severity, c, r, n):
        deadlines = Deadlines(critical_days=c, repeat_days=r, normal_days=n)
        assert due_date(day, severity, deadlines) >= day
        ordered = Deadlines(
            critical_days=min(c, r, n), repeat_days=sorted((c, r, n))[1], normal_days=max(c, r, n)
        )
        dues = [due_date(day, s, ordered) for s in (Severity.CRITICAL, Severity.REPEAT, Severity.NORMAL)]
        assert dues == sorted(dues)

    @given(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
        st.booleans(),
        st.integers(0, 30),
    )
    def test_escalation_implies_overdue(self, due, today, waiting, grace):
        if should_escalate(
            due,
            today,
            waiting_on_store=waiting,
            already_escalated=False,
            deadlines=Deadlines(escalation_grace_days=grace),
        ):
            assert is_overdue(due, today, waiting_on_store=waiting)
            assert (today - due).days > grace

    def test_defaults(self):
        assert DEFAULT_DEADLINES.days_for(Severity.CRITICAL) < DEFAULT_DEADLINES.days_for(Severity.NORMAL)
