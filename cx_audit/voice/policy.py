"""A brand's voice settings as the pure rules want them (one query each; defaults without a row)."""

from __future__ import annotations

from cx_audit.voice.lexicon import DEFAULT_TERMS, Term
from cx_audit.voice.models import LexiconTerm, VoicePolicy
from cx_audit.voice.revenue import FunnelShares
from cx_audit.voice.warnings import WarningPolicy


def policy_for(brand_id: int) -> VoicePolicy:
    """The brand's policy, or an unsaved one holding the defaults of DESIGN §6."""
    return VoicePolicy.objects.filter(brand_id=brand_id).first() or VoicePolicy(brand_id=brand_id)


def funnel_of(policy: VoicePolicy) -> FunnelShares:
    return FunnelShares(
        complaint_rate=policy.complaint_rate,
        complainer_retained=policy.complainer_retained,
        complainer_at_risk=policy.complainer_at_risk,
        complainer_lost=policy.complainer_lost,
        silent_at_risk=policy.silent_at_risk,
        silent_lost=policy.silent_lost,
    )


def warning_policy_of(policy: VoicePolicy) -> WarningPolicy:
    return WarningPolicy(
        nps_drop=policy.warning_nps_drop,
        complaint_rise=policy.warning_complaint_rise,
        min_sample=policy.warning_min_sample,
        baseline_weeks=policy.warning_baseline_weeks,
        window_days=policy.warning_window_days,
    )


def lexicon_of(brand_id: int) -> tuple[Term, ...]:
    """The brand's lexicon; a brand that has not written one yet tags with the default terms.

    Returned as a sorted tuple so equal lexicons share one cached tagger (`tagger_for`).
    """
    rows = LexiconTerm.objects.filter(brand_id=brand_id).order_by("text")
    terms = tuple(
        Term(
            text=row.text,
            polarity=row.polarity,
            weight=float(row.weight),
            touchpoint=row.touchpoint_code,
            dimension=row.dimension_code,
        )
        for row in rows
    )
    return terms or DEFAULT_TERMS


def lexicon_seed(brand_id: int, leave_out: str = "") -> int:
    """Give a brand its own editable copy of the default lexicon (idempotent); returns terms added.
    ``leave_out`` is a term about to be added with the brand's own polarity and weight."""
    have = set(LexiconTerm.objects.filter(brand_id=brand_id).values_list("text", flat=True)) | {leave_out}
    new = [
        LexiconTerm(
            brand_id=brand_id,
            text=term.text,
            polarity=term.polarity,
            weight=term.weight,
            touchpoint_code=term.touchpoint,
            dimension_code=term.dimension,
        )
        for term in DEFAULT_TERMS
        if term.text not in have
    ]
    LexiconTerm.objects.bulk_create(new)
    return len(new)
