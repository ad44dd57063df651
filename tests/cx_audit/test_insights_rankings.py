"""League table, regressions and location gaps on small hand-built chains, scored by the real engine.

The chain (tests.conftest.Chain): BJ-001 direct in North; SY-201 by F2 in North-East (inside
North); GZ-101 and LY-102 by F1 in South. The framework (tests.factories.complete_framework):
SIG-01 (authorized only, critical, dimension service), SIG-02 (service), DIS-01 (service),
DIS-02 (price, importance 9), DIS-03 (a rating, N/A allowed, no dimension); two sections of
weight 1. All passing scores 100; SIG-02 failed at an authorized outlet scores 75, at a direct
store 50 (its signage section has nothing else); a forbidden word on the sign is a critical
failure capped at 50.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from cx_audit.audits.choices import AuditKind
from cx_audit.audits.services import audit_create, audit_void
from cx_audit.core.choices import Role
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import CHEAP_DIRECT, FAKE_SIGN, NO, RATING_3, audit_at, days_ago

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


@pytest.fixture
def read(api, role_users):
    """``read("league", ordering="change")`` → the rows the HQ analyst gets (one page of 500)."""

    def get(endpoint: str, **params):
        response = api(role_users["hq_analyst"]).get(
            f"/api/insights/{endpoint}/", {"page_size": 500, **params}
        )
        assert response.status_code == 200, response.content
        return response.json()["results"]

    return get


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["location_code"]: row for row in rows}


class LeagueTests:
    def test_ranks_share_ties_and_skip_after_them(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, days_ago(10))
        audit_at(chain.f1_south, admin, days_ago(12))
        audit_at(chain.f2_north_east, admin, days_ago(5), **NO)
        audit_at(chain.f1_tier3, admin, days_ago(3), **FAKE_SIGN)
        rows = read("league")
        assert [(r["rank"], r["location_code"], r["score"]) for r in rows] == [
            (1, "BJ-001", "100.00"),
            (1, "GZ-101", "100.00"),
            (3, "SY-201", "75.00"),
            (4, "LY-102", "50.00"),
        ]
        capped = by_code(rows)["LY-102"]
        assert capped["critical_failure"] is True
        assert capped["band"] == "Poor"
        assert by_code(rows)["SY-201"]["failed_items"] == 1
        worst_first = read("league", ordering="-rank")
        assert [r["location_code"] for r in worst_first] == ["LY-102", "SY-201", "BJ-001", "GZ-101"]

    def test_window_previous_voided_drafts_and_self_assessments(
        self, chain, framework, role_users, read, user_in
    ):
        admin = role_users["hq_admin"]
        operator = user_in(chain.brand, Role.FRANCHISEE, franchisee=chain.f1)
        audit_at(chain.direct_north, admin, days_ago(200), **NO)  # 50, before the window
        audit_at(chain.direct_north, admin, days_ago(20))  # 100
        audit_at(chain.f1_south, admin, days_ago(200))  # only before the window
        audit_at(chain.f2_north_east, admin, days_ago(30))
        voided = audit_at(chain.f2_north_east, admin, days_ago(10), **NO)
        audit_void(audit=voided, user=admin, reason="auditor was at the wrong store")
        audit_at(chain.f1_tier3, admin, days_ago(40))
        audit_at(chain.f1_tier3, operator, days_ago(5), kind=AuditKind.SELF_ASSESSMENT, **NO)
        audit_create(location=chain.f1_tier3, user=admin, kind=AuditKind.UNANNOUNCED)  # a draft never counts

        rows = by_code(read("league"))
        assert set(rows) == {"BJ-001", "SY-201", "LY-102"}  # GZ-101's audit is older than 180 days
        north = rows["BJ-001"]
        assert (north["score"], north["previous_score"], north["change"]) == ("100.00", "50.00", "50.00")
        assert north["days_since_audit"] == 20
        voided_out = rows["SY-201"]  # the voided audit counts nowhere: the one before it is the latest
        assert (voided_out["score"], voided_out["previous_score"], voided_out["change"]) == (
            "100.00",
            None,
            None,
        )
        assert rows["LY-102"]["score"] == "100.00"  # the self-assessment is kept apart

        widened = by_code(read("league", date_from=days_ago(250).date().isoformat()))
        assert widened["GZ-101"]["score"] == "100.00"
        assert widened["BJ-001"]["change"] == "50.00"

        with_self = by_code(read("league", kind=["scheduled", "unannounced", "self_assessment"]))
        assert (with_self["LY-102"]["score"], with_self["LY-102"]["change"]) == ("75.00", "-25.00")
        only_self = read("league", kind="self_assessment")
        assert [r["location_code"] for r in only_self] == ["LY-102"]
        assert only_self[0]["previous_score"] is None

        earlier = by_code(read("league", date_to=days_ago(15).date().isoformat()))
        assert earlier["BJ-001"]["score"] == "100.00"
        assert earlier["LY-102"]["days_since_audit"] == 40

    def test_snapshot_keeps_a_store_with_its_operator_at_the_time(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.f1_south, admin, days_ago(30), **NO)  # 75 under F1
        chain.f1_south.franchisee = chain.f2
        chain.f1_south.save()
        audit_at(chain.f1_south, admin, days_ago(5))  # 100 under F2
        under_f1 = read("league", franchisee=chain.f1.pk)
        assert [(r["location_code"], r["score"], r["franchisee"], r["previous_score"]) for r in under_f1] == [
            ("GZ-101", "75.00", chain.f1.name, None)
        ]
        under_f2 = read("league", franchisee=chain.f2.pk)
        assert [(r["location_code"], r["score"], r["franchisee"]) for r in under_f2] == [
            ("GZ-101", "100.00", chain.f2.name)
        ]
        everyone = by_code(read("league"))
        assert everyone["GZ-101"]["change"] == "25.00"
        groups = {row["key"]: row for row in read("comparisons", by="franchisee")}
        assert groups[str(chain.f2.pk)]["locations"] == 1
        assert str(chain.f1.pk) not in groups  # its latest audit was under F2

    def test_filters_on_snapshot_region_tier_city_and_outlet_type(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        for location in (chain.direct_north, chain.f1_south, chain.f2_north_east, chain.f1_tier3):
            audit_at(location, admin, days_ago(10))
        codes = lambda **params: {r["location_code"] for r in read("league", **params)}  # noqa: E731
        assert codes(region=chain.north.pk) == {"BJ-001", "SY-201"}  # North-East is inside North
        assert codes(region=chain.north_east.pk) == {"SY-201"}
        assert codes(outlet_type="direct") == {"BJ-001"}
        assert codes(city_tier=[2, 3]) == {"SY-201", "LY-102"}
        assert codes(city="luoyang") == {"LY-102"}
        assert codes(location=chain.f1_south.pk) == {"GZ-101"}
        ranked = read("league", outlet_type="authorized")
        assert [r["rank"] for r in ranked] == [1, 1, 1]


class RegressionTests:
    def test_drops_beyond_the_brand_threshold_are_flagged(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.f2_north_east, admin, days_ago(60))  # 100
        audit_at(chain.f2_north_east, admin, days_ago(6), **NO)  # 75: −25
        audit_at(chain.direct_north, admin, days_ago(60), **NO)  # 50
        audit_at(chain.direct_north, admin, days_ago(6))  # 100: +50
        audit_at(chain.f1_south, admin, days_ago(6), **NO)  # first audit: no change
        rows = read("regressions")
        assert [(r["location_code"], r["previous_score"], r["score"], r["change"]) for r in rows] == [
            ("SY-201", "100.00", "75.00", "-25.00")
        ]
        assert rows[0]["threshold"] == "10.00"
        chain.brand.regression_threshold = D("25")
        chain.brand.save()
        assert read("regressions") == []  # a drop of exactly the threshold is not "more than"
        chain.brand.regression_threshold = D("24.99")
        chain.brand.save()
        assert len(read("regressions")) == 1

    def test_threshold_is_part_of_the_brand_api(self, api, chain, role_users):
        url = f"/api/brands/{chain.brand.pk}/"
        client = api(role_users["hq_admin"])
        assert client.get(url).json()["regression_threshold"] == "10.00"
        assert client.patch(url, {"regression_threshold": "15"}, format="json").status_code == 200
        bad = client.patch(url, {"regression_threshold": "120"}, format="json")
        assert bad.status_code == 400
        assert "regression_threshold" in bad.json()


class LocationGapTests:
    def test_points_lost_weighted_by_dimension_importance(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, days_ago(8), **CHEAP_DIRECT)  # price (importance 9)
        audit_at(chain.f2_north_east, admin, days_ago(8), **NO)  # SIG-02: service (importance 8)
        audit_at(chain.f1_tier3, admin, days_ago(8), **FAKE_SIGN)  # SIG-01: service
        audit_at(chain.f1_south, admin, days_ago(8), **RATING_3)  # DIS-03: no dimension, 0.5 lost
        rows = read("location-gaps")
        assert [
            (r["rank"], r["location_code"], r["points_lost"], r["weighted_points_lost"]) for r in rows
        ] == [
            (1, "BJ-001", "1.00", "0.90"),
            (2, "LY-102", "1.00", "0.80"),
            (2, "SY-201", "1.00", "0.80"),
            (4, "GZ-101", "0.50", "0.00"),
        ]
        gaps = by_code(rows)
        assert gaps["BJ-001"]["key_experiences"] == ["price"]
        assert gaps["SY-201"]["key_experiences"] == ["service"]
        assert gaps["GZ-101"]["key_experiences"] == []
        by_lost = read("location-gaps", ordering="lost")
        assert by_lost[-1]["location_code"] == "GZ-101"


class ScorecardTests:
    def test_rank_change_history_and_failed_standards(self, api, chain, framework, role_users):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, days_ago(9))  # 100
        audit_at(chain.f1_south, admin, days_ago(8))  # 100
        audit_at(chain.f2_north_east, admin, days_ago(70))  # 100
        audit_at(chain.f2_north_east, admin, days_ago(6), **NO)  # 75
        audit_at(chain.f1_tier3, admin, days_ago(5), **FAKE_SIGN)  # 50
        client = api(role_users["hq_analyst"])
        card = client.get(f"/api/insights/locations/{chain.f2_north_east.pk}/").json()
        assert (card["rank"], card["ranked"]) == (3, 4)  # behind the two at 100, ahead of LY-102
        assert (card["latest"]["score"], card["previous"]["score"], card["change"]) == (
            "75.00",
            "100.00",
            "-25.00",
        )
        assert card["regression"] is True
        assert [line["score"] for line in card["history"]] == ["75.00", "100.00"]  # latest first
        assert [
            (item["item_code"], item["outcome"], item["points_lost"]) for item in card["failed_items"]
        ] == [("SIG-02", "fail", "1.00")]
        assert card["key_experiences"] == ["service"]
        assert {line["section_code"]: line["score"] for line in card["sections"]} == {
            "signage": "50.00",
            "display": "100.00",
        }
        tied = client.get(f"/api/insights/locations/{chain.f1_south.pk}/").json()
        assert (tied["rank"], tied["ranked"]) == (1, 4)  # a tie shares the best rank
        # Filters other than the window and the kinds do not apply: ranked in the whole brand.
        same = client.get(f"/api/insights/locations/{chain.f1_south.pk}/", {"outlet_type": "direct"}).json()
        assert (same["rank"], same["ranked"]) == (1, 4)
        old = client.get(
            f"/api/insights/locations/{chain.f1_south.pk}/", {"date_to": days_ago(30).date()}
        ).json()
        assert old["latest"] is None
        assert old["rank"] is None

    def test_page_links_to_the_audit_and_its_failed_items(self, client_for, chain, framework, role_users):
        audit = audit_at(chain.f2_north_east, role_users["hq_admin"], days_ago(6), **NO)
        html = (
            client_for(role_users["hq_analyst"])
            .get(f"/insights/locations/{chain.f2_north_east.pk}/")
            .content.decode()
        )
        assert f'href="/audits/{audit.pk}/#item-SIG-02"' in html
        page = client_for(role_users["hq_analyst"]).get(f"/audits/{audit.pk}/").content.decode()
        assert 'id="item-SIG-02"' in page
