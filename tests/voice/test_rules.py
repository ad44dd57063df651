"""Who gets a customer-recovery call (pure rules), and the recovery rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cx_audit.voice.rules import CRITICAL_TOUCHPOINT, DETRACTOR, recovery_rate, recovery_reason

CRITICAL = ("checkout", "repair-updates")


def reason(nps: int | None, comment: str = "", pains: tuple[str, ...] = ()) -> str | None:
    return recovery_reason(nps=nps, comment=comment, pain_touchpoints=pains, critical_touchpoints=CRITICAL)


class RecoveryReasonTests:
    @pytest.mark.parametrize(
        ("nps", "comment", "expected"),
        [
            (6, "店员不热情", DETRACTOR),
            (0, "never called back", DETRACTOR),
            (6, "   \n", None),  # a detractor with nothing to answer to
            (7, "it was ok", None),  # a passive is not a detractor
            (None, "no score given", None),
        ],
    )
    def test_a_detractor_with_a_comment(self, nps, comment, expected):
        assert reason(nps, comment) == expected

    def test_pain_at_a_critical_touchpoint_whatever_the_score(self):
        assert reason(10, "", ("checkout",)) == CRITICAL_TOUCHPOINT
        assert reason(None, "", ("advice", "repair-updates")) == CRITICAL_TOUCHPOINT
        assert reason(10, "", ("advice",)) is None

    def test_the_critical_touchpoint_wins_when_both_hold(self):
        assert reason(2, "结账排队太久", ("checkout",)) == CRITICAL_TOUCHPOINT

    def test_the_values_are_the_stored_choices(self):
        assert (DETRACTOR, CRITICAL_TOUCHPOINT) == ("detractor", "critical_touchpoint")


class RecoveryRateTests:
    def test_share_of_closed_actions_won_back(self):
        assert recovery_rate(2, 3) == Decimal("66.7")
        assert recovery_rate(0, 4) == 0
        assert recovery_rate(5, 5) == 100

    def test_none_closed_is_no_rate(self):
        assert recovery_rate(0, 0) is None

    @pytest.mark.parametrize(("recovered", "closed"), [(4, 3), (-1, 3)])
    def test_impossible_counts_are_refused(self, recovered, closed):
        with pytest.raises(ValueError, match="recovered"):
            recovery_rate(recovered, closed)
