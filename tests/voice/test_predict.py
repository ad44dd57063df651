"""Do audit scores predict NPS? The page and its API: ρ overall and per section, n, no claim below 30.

Chains are written straight into the tables (the shape `audit_submit` and `feedback_ingest` write),
so thirty stores take a fraction of a second: location i scores 40 + i on its latest audit (its
signage section the same, its display section the reverse) and has i promoters among 30 answers,
so NPS rises with the audit score exactly — ρ is 1 overall and for signage, −1 for display.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from cx_audit.audits.choices import AuditKind, AuditStatus
from cx_audit.audits.models.audits import Audit
from cx_audit.audits.models.results import SectionResult
from cx_audit.core import charts
from cx_audit.core.choices import Role
from cx_audit.core.tokens import AuthToken
from cx_audit.voice.choices import FeedbackSource
from cx_audit.voice.correlation import MIN_LOCATIONS
from cx_audit.voice.models import Feedback
from locations.models import Location, OutletType
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.test_insights_queries import count_queries
from tests.factories import FranchiseeFactory
from tests.trust.test_f12_schema import connection_kept, fuzz  # noqa: F401 (a fixture, used by name)

pytestmark = pytest.mark.django_db

ANSWERS = 30


def compared(brand, admin, count: int, *, prefix: str = "P", answers: int = ANSWERS) -> list[Location]:
    """``count`` stores of ``brand``, store i audited 10 days ago at 40 + i and heard from ``answers``
    customers, i of them promoters (the rest passives): NPS = 100·i/answers."""
    framework = brand.frameworks.get() if brand.frameworks.exists() else published_framework(brand)
    sections = {section.code: section for section in framework.sections.all()}
    locations = Location.objects.bulk_create(
        Location(
            brand=brand,
            code=f"{prefix}{n:03d}",
            name=f"Compared store {prefix}{n:03d}",
            outlet_type=OutletType.DIRECT,
            city="Hangzhou",
            city_tier=1,
            latitude=Decimal("30.27"),
            longitude=Decimal("120.15"),
        )
        for n in range(count)
    )
    when = timezone.now() - timedelta(days=10)
    audits = Audit.objects.bulk_create(
        Audit(
            brand=brand,
            location=location,
            framework=framework,
            auditor=admin,
            kind=AuditKind.SCHEDULED,
            status=AuditStatus.SUBMITTED,
            started_at=when,
            submitted_at=when,
            outlet_type=location.outlet_type,
            city_tier=location.city_tier,
            score=Decimal(40 + n),
            raw_score=Decimal(40 + n),
            band="Good",
        )
        for n, location in enumerate(locations)
    )
    SectionResult.objects.bulk_create(
        SectionResult(
            audit=audit,
            section=sections[code],
            section_code=code,
            earned=Decimal(1),
            possible=Decimal(1),
            score=score,
            weight=Decimal(1),
        )
        for n, audit in enumerate(audits)
        for code, score in (("signage", Decimal(40 + n)), ("display", Decimal(100 - n)))
    )
    Feedback.objects.bulk_create(
        Feedback(
            brand=brand,
            location=location,
            channel="in_store_survey",
            source=FeedbackSource.DEMO,
            external_id=f"{location.code}-{m}",
            received_at=timezone.now() - timedelta(days=1 + m),
            nps=10 if m < n else 8,
        )
        for n, location in enumerate(locations)
        for m in range(answers)
    )
    return locations


def predicted(api, user, **params):
    response = api(user).get("/api/insights/predict/", params)
    assert response.status_code == 200, response.content
    return response.json()


class PredictTests:
    def test_perfectly_ranked_stores_give_rho_one_overall_and_per_section(self, chain, role_users, api):
        compared(chain.brand, role_users["hq_admin"], MIN_LOCATIONS)
        result = predicted(api, role_users["hq_analyst"])
        overall = result["overall"]
        assert (overall["rho"], overall["n"], overall["claim"]) == (1.0, MIN_LOCATIONS, True)
        assert overall["strength"] == "strong"
        assert "locations with a higher audit score tend to have a higher NPS" in overall["reading"]
        sections = {row["code"]: row for row in result["sections"]}
        assert (sections["signage"]["rho"], sections["signage"]["n"]) == (1.0, MIN_LOCATIONS)
        assert (sections["display"]["rho"], sections["display"]["direction"]) == (-1.0, "negative")
        assert len(result["points"]) == MIN_LOCATIONS
        best = result["points"][0]
        assert (best["score"], best["nps"], best["nps_answers"]) == ("69.00", "96.7", ANSWERS)

    def test_below_thirty_locations_no_claim_is_made_but_n_is_shown(self, chain, role_users, client_for):
        compared(chain.brand, role_users["hq_admin"], 12)
        response = client_for(role_users["hq_analyst"]).get("/insights/predict/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "No claim below 30 locations" in html
        assert "No claim is made below 30 locations" in html
        assert '<td class="num">12</td>' in html
        assert html.count('<span class="tag">no claim</span>') == 3  # the audit score and both sections
        assert 'data-section="signage"' in html
        assert 'data-section="display"' in html
        assert html.count('<circle class="dot"') == 12
        assert "<title>Audit score and NPS of each location</title>" in html

    def test_stores_with_too_few_answers_are_left_out_and_counted(self, chain, role_users, api):
        admin = role_users["hq_admin"]
        compared(chain.brand, admin, 5)
        compared(chain.brand, admin, 3, prefix="F", answers=2)
        result = predicted(api, role_users["hq_analyst"])
        assert (result["overall"]["n"], result["too_few_answers"]) == (5, 3)

    def test_another_brands_stores_are_never_counted(self, chain, role_users, api, user_in):
        compared(chain.brand, role_users["hq_admin"], 6)
        other_admin = role_users["other_admin"]
        compared(chain.other_brand, other_admin, 4, prefix="Z")
        assert predicted(api, role_users["hq_analyst"])["overall"]["n"] == 6
        assert predicted(api, other_admin)["overall"]["n"] == 4
        refused = api(role_users["hq_analyst"]).get("/api/insights/predict/", {"brand": chain.other_brand.pk})
        assert refused.status_code == 400  # not a brand of theirs: the filter says so, and shows nothing
        partner = FranchiseeFactory(brand=chain.other_brand)
        both = user_in(chain.other_brand, Role.FRANCHISEE, franchisee=partner)  # and HQ in Aurora:
        both.memberships.create(brand=chain.brand, role=Role.HQ_ANALYST)
        assert predicted(api, both)["overall"]["n"] == 6

    def test_franchisees_and_auditors_are_answered_not_found(self, chain, role_users, api, client_for):
        compared(chain.brand, role_users["hq_admin"], 3)
        for role in ("franchisee", "auditor", "outsider"):
            user = role_users[role]
            assert client_for(user).get("/insights/predict/").status_code == 404, role
            assert api(user).get("/api/insights/predict/").status_code == 404, role
        assert client_for().get("/insights/predict/").status_code == 302  # to the sign-in
        assert api().get("/api/insights/predict/").status_code in {401, 403}

    def test_queries_do_not_grow_with_the_chain(self, chain, role_users):
        admin, analyst = role_users["hq_admin"], role_users["hq_analyst"].pk
        compared(chain.brand, admin, 5)
        urls = ("/api/insights/predict/", "/insights/predict/")
        few = [count_queries(url, analyst) for url in urls]
        compared(chain.brand, admin, 40, prefix="Q")
        assert [count_queries(url, analyst) for url in urls] == few
        assert few[0] == (200, 7)  # scope, brand, latest audits, names, sections, section names, feedback


def test_the_scatter_chart_escapes_labels_and_keeps_dots_in_the_plot():
    svg = charts.scatter_chart(
        [charts.Dot("<b>A&B</b>", Decimal("120"), Decimal("-250")), charts.Dot("C", 50, 0)],
        title="Audit & NPS",
        x_label="Audit score",
        y_label="NPS",
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in svg
    assert "<title>Audit &amp; NPS</title><desc>2 locations;" in svg
    xs = [float(x) for x in re.findall(r'<circle class="dot" cx="([\d.]+)"', svg)]
    ys = [float(y) for y in re.findall(r'<circle class="dot" cx="[\d.]+" cy="([\d.]+)"', svg)]
    left, top = charts.SCATTER_LEFT, charts.SCATTER_TOP
    right = charts.SCATTER_WIDTH - 12
    bottom = charts.SCATTER_HEIGHT - charts.SCATTER_BOTTOM
    assert all(left <= x <= right for x in xs)
    assert all(top <= y <= bottom for y in ys)
    assert ys[0] == bottom  # −250 drawn at −100, the plot's floor


@pytest.mark.usefixtures("connection_kept")
def test_fuzzed_answers_conform_to_the_schema(chain, role_users):
    compared(chain.brand, role_users["hq_admin"], 4)
    token = AuthToken.objects.create(role_users["hq_analyst"])[1]
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    fuzz(schema["/api/insights/predict/"]["GET"], headers, examples=25)
