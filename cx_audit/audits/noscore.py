"""Why a submitted audit has no score — the words HQ and the franchisee read beside "No score".

A submitted audit whose weighted sections had nothing scored (every applicable item N/A or "cannot
check", say) has no score (docs/scoring.md §3). It is still a visit: rankings list the location as
"visited, not scored" and leave it out of every average, median and rank rather than count it as 0
(docs/insights.md §2). The reason is worked out from the counts the audit keeps, so every reader —
insights, scorecards, the PDF, the audit page — says the same thing without reading the answers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ALL_CANNOT_CHECK = _("every applicable item was 'cannot check'")
ALL_NA = _("every applicable item was N/A")
NA_OR_CANNOT_CHECK = _("every applicable item was N/A or 'cannot check'")
NOTHING_SCORED = _("no item in a weighted section could be scored")


def no_score_reason(score: Decimal | None, na_count: int | None, cannot_check_count: int | None) -> str:
    """'' for a scored audit; otherwise why it has none, from its N/A and cannot-check counts.

    Counts may be None when a reader has only the score (a row from a bulk query): then the reason
    is the general one.
    """
    if score is not None:
        return ""
    na, blind = na_count or 0, cannot_check_count or 0
    if blind and not na:
        return str(ALL_CANNOT_CHECK)
    if na and not blind:
        return str(ALL_NA)
    if na and blind:
        return str(NA_OR_CANNOT_CHECK)
    return str(NOTHING_SCORED)
