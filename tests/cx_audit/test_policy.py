"""A brand's scoring policy: bands that cover 0–100 and a critical ceiling, checked on every route."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cx_audit.audits.policy import policy_for
from cx_audit.core.bands import bands_from_json, default_score_bands


class BandsFromJsonTests:
    def test_default_bands_are_valid_and_ordered_highest_first(self):
        bands = bands_from_json(default_score_bands())
        assert [b.name for b in bands] == ["Excellent", "Good", "Needs improvement", "Poor"]
        assert bands[-1].min_score == 0

    @pytest.mark.parametrize(
        ("data", "says"),
        [
            ([], "list"),
            ("Good", "list"),
            ([{"name": "Good", "min_score": 50}], "0"),
            ([{"name": "", "min_score": 0}], "name"),
            ([{"name": "Good", "min_score": "lots"}], "numeric"),
            ([{"name": "Good", "min_score": "NaN"}], "numeric"),
            ([{"name": "A", "min_score": 0}, {"name": "B", "min_score": 120}], "100"),
            ([{"name": "A", "min_score": 0}, {"name": "B", "min_score": 0}], "both start at 0"),
        ],
    )
    def test_bad_bands_are_refused_with_a_reason(self, data, says):
        with pytest.raises(ValueError, match=says):
            bands_from_json(data)


@pytest.mark.django_db
class BrandPolicyAPITests:
    def test_admin_sets_bands_and_ceiling(self, api, chain, role_users):
        url = f"/api/brands/{chain.brand.pk}/"
        bands = [{"name": "Pass", "min_score": 70}, {"name": "Fail", "min_score": 0}]
        response = api(role_users["hq_admin"]).patch(
            url, {"score_bands": bands, "critical_cap": "40"}, format="json"
        )
        assert response.status_code == 200, response.content
        chain.brand.refresh_from_db()
        policy = policy_for(chain.brand)
        assert policy.critical_cap == Decimal("40")
        assert [b.name for b in policy.bands] == ["Pass", "Fail"]

    def test_a_gap_at_zero_or_a_ceiling_over_100_is_a_400_naming_the_field(self, api, chain, role_users):
        url = f"/api/brands/{chain.brand.pk}/"
        client = api(role_users["hq_admin"])
        gap = client.patch(url, {"score_bands": [{"name": "Good", "min_score": 60}]}, format="json")
        assert gap.status_code == 400
        assert "score_bands" in gap.json()
        high = client.patch(url, {"critical_cap": "120"}, format="json")
        assert high.status_code == 400
        assert "critical_cap" in high.json()
        chain.brand.refresh_from_db()
        assert chain.brand.score_bands == default_score_bands()
