"""Gap ranking of standards, consistency, comparisons and trends on small hand-built chains.

See test_insights_rankings for the chain and the framework. Points: every standard weighs 1;
a direct store can earn 4 (SIG-01 does not apply to it), an authorized outlet 5.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.utils import timezone

from journeys.services import framework_new_version, framework_publish
from tests.cx_audit.audit_helpers import published_framework
from tests.cx_audit.insight_helpers import FAKE_SIGN, NA, NO, RATING_3, audit_at, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(chain):
    return published_framework(chain.brand)


@pytest.fixture
def read(api, role_users):
    def get(endpoint: str, **params):
        response = api(role_users["hq_analyst"]).get(
            f"/api/insights/{endpoint}/", {"page_size": 500, **params}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        return body.get("results", body)

    return get


def csv_rows(client, endpoint: str, **params) -> list[list[str]]:
    response = client.get(f"/api/insights/{endpoint}/", {"format": "csv", **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def four(chain, framework, role_users):
    """100 (BJ-001), 100 (GZ-101), 75 (SY-201: SIG-02 failed twice, a repeat), 50 (LY-102: critical)."""
    admin = role_users["hq_admin"]
    audit_at(chain.direct_north, admin, days_ago(10))
    audit_at(chain.f1_south, admin, days_ago(12))
    audit_at(chain.f2_north_east, admin, days_ago(50), **NO)
    audit_at(chain.f2_north_east, admin, days_ago(5), **NO)
    audit_at(chain.f1_tier3, admin, days_ago(3), **FAKE_SIGN)
    return chain


class GapRankingTests:
    def test_fail_rate_points_lost_repeats_and_pareto(self, four, read):
        rows = {row["item_code"]: row for row in read("standards")}
        sign, logo = rows["SIG-01"], rows["SIG-02"]
        assert (sign["rank"], sign["assessed"], sign["failing"], sign["fail_rate"]) == (1, 3, 1, "33.33")
        assert (logo["rank"], logo["assessed"], logo["failing"], logo["fail_rate"]) == (2, 4, 1, "25.00")
        assert (sign["points_lost"], sign["share_of_points_lost"], sign["cumulative_share"]) == (
            "1.00",
            "50.00",
            "50.00",
        )
        assert logo["cumulative_share"] == "100.00"
        assert sign["vital_few"]
        assert logo["vital_few"]
        assert not rows["DIS-01"]["vital_few"]  # lost nothing
        assert (logo["repeat_findings"], logo["repeat_rate"]) == (1, "100.00")
        assert (sign["repeat_findings"], sign["repeat_rate"]) == (0, "0.00")
        assert sign["critical"] is True
        assert rows["DIS-02"]["fail_rate"] == "0.00"
        assert (sign["direct_assessed"], sign["authorized_assessed"], sign["authorized_failing"]) == (0, 3, 1)
        assert sign["direct_fail_rate"] is None
        assert (logo["direct_assessed"], logo["direct_failing"], logo["authorized_fail_rate"]) == (
            1,
            0,
            "33.33",
        )
        assert [row["item_code"] for row in read("standards", ordering="fail_rate")][:2] == [
            "SIG-01",
            "SIG-02",
        ]

    def test_region_split_rolls_sub_regions_up_to_the_level_shown(self, four, read):
        split = {(row["item_code"], row["region_code"]): row for row in read("standards/by-region")}
        assert (split["SIG-02", "N"]["assessed"], split["SIG-02", "N"]["failing"]) == (
            2,
            1,
        )  # BJ-001 + SY-201
        assert (split["SIG-01", "S"]["assessed"], split["SIG-01", "S"]["failing"]) == (2, 1)
        assert ("SIG-02", "NE") not in split
        inside = {
            (row["item_code"], row["region_code"])
            for row in read("standards/by-region", region=four.north.pk)
        }
        assert ("SIG-02", "NE") in inside
        assert ("SIG-02", "N") in inside
        assert ("SIG-01", "S") not in inside

    def test_na_is_neither_assessed_nor_lost(self, chain, framework, role_users, read):
        audit_at(chain.direct_north, role_users["hq_admin"], days_ago(3), **NA)
        audit_at(chain.f1_south, role_users["hq_admin"], days_ago(3), **RATING_3)
        rating = {row["item_code"]: row for row in read("standards")}["DIS-03"]
        assert (rating["assessed"], rating["na"], rating["failing"], rating["points_lost"]) == (
            1,
            1,
            1,
            "0.50",
        )

    def test_failing_locations_link_the_evidence(self, four, read):
        rows = read("standards/failing-locations", item_code="SIG-01")
        assert [(r["location_code"], r["outcome"], r["points_lost"]) for r in rows] == [
            ("LY-102", "fail", "1.00")
        ]
        assert "forbidden term" in rows[0]["reason"]

    def test_standards_line_up_across_framework_versions_by_code(
        self, api, chain, framework, role_users, read
    ):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, days_ago(20), **NO)
        framework_publish(framework=framework_new_version(framework=framework))
        audit_at(chain.f2_north_east, admin, days_ago(2), **NO)  # against version 2
        logo = {row["item_code"]: row for row in read("standards")}["SIG-02"]
        assert (logo["assessed"], logo["failing"]) == (2, 2)
        header, *rows = csv_rows(api(role_users["hq_analyst"]), "standards")
        assert header[:3] == ["rank", "item_code", "question"]
        assert [row[1] for row in rows].count("SIG-02") == 1


class ConsistencyTests:
    def test_chain_index_sections_and_items(self, four, read):
        # Scores 50, 75, 100, 100: Q1 = 68.75, median 87.5, Q3 = 100 → IQR 31.25, index 68.75.
        summary = read("summary")
        assert summary["consistency_index"] == "68.75"
        assert summary["average_score"] == "81.25"
        sections = {row["section_code"]: row for row in read("consistency/sections")}
        signage = sections["signage"]  # 100, 100, 50, 50 → two meet it
        assert (signage["locations"], signage["meeting"], signage["meeting_share"]) == (4, 2, "50.00")
        assert (signage["median"], signage["iqr"], signage["consistency"]) == ("75.00", "50.00", "50.00")
        assert (signage["direct_locations"], signage["direct_meeting_share"]) == (1, "100.00")
        assert signage["authorized_meeting_share"] == "33.33"
        items = {row["item_code"]: row for row in read("consistency/items")}
        assert (items["SIG-02"]["meeting_share"], items["SIG-02"]["direct_minus_authorized"]) == (
            "75.00",
            "33.33",
        )
        assert read("consistency/items")[0]["item_code"] == "SIG-01"  # least met first (66.67 %)


class ComparisonTests:
    def test_pooled_points_are_not_a_mean_of_means(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, days_ago(4), **NO)  # 3 of 4 points: 75 %, score 50
        audit_at(chain.f2_north_east, admin, days_ago(4), **RATING_3)  # 4.5 of 5: 90 %, score 91.67
        audit_at(chain.f1_south, admin, days_ago(4))  # 5 of 5, score 100
        regions = {row["label"]: row for row in read("comparisons", by="region")}
        north = regions["North"]  # North-East rolls up into North
        assert north["locations"] == 2
        assert (north["earned"], north["possible"]) == ("7.5000", "9.0000")
        assert north["pooled_pct"] == "83.33"  # 7.5 / 9, not (75 + 90) / 2 = 82.5
        assert north["mean_score"] == "70.84"  # (50 + 91.67) / 2: each location once
        whole = regions["Whole selection"]
        assert whole["pooled_pct"] == "89.29"  # 12.5 / 14, not the mean of North (83.33) and South (100)
        assert whole["locations"] == 3
        inside = {row["label"] for row in read("comparisons", by="region", region=chain.north.pk)}
        assert inside == {"North", "North-East", "Whole selection"}
        types = {row["key"]: row for row in read("comparisons", by="outlet_type")}
        assert (types["direct"]["pooled_pct"], types["authorized"]["pooled_pct"]) == ("75.00", "95.00")
        tiers = {row["key"]: row["locations"] for row in read("comparisons", by="city_tier")}
        assert tiers == {"1": 2, "2": 1, "": 3}


def local(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


class TrendTests:
    def test_monthly_series_keep_empty_months(self, chain, framework, role_users, read):
        admin = role_users["hq_admin"]
        audit_at(chain.direct_north, admin, local(2025, 1, 15))  # 4 / 4
        audit_at(chain.f2_north_east, admin, local(2025, 1, 20), **NO)  # 4 / 5
        audit_at(chain.f1_south, admin, local(2025, 2, 10))
        window = {"date_from": "2025-01-01", "date_to": "2025-03-31"}
        chain_rows = read("trends", **window)
        assert [(r["month"], r["audits"], r["mean_score"], r["pooled_pct"]) for r in chain_rows] == [
            ("2025-01-01", 2, "87.50", "88.89"),
            ("2025-02-01", 1, "100.00", "100.00"),
            ("2025-03-01", 0, None, None),
        ]
        by_type = read("trends", by="outlet_type", **window)
        assert {(r["series_key"], r["month"], r["audits"]) for r in by_type if r["audits"]} == {
            ("direct", "2025-01-01", 1),
            ("authorized", "2025-01-01", 1),
            ("authorized", "2025-02-01", 1),
        }
        one = read("trends", location=chain.f2_north_east.pk, **window)
        assert [r["audits"] for r in one] == [1, 0, 0]
