"""Re-tagging stored feedback after the brand's lexicon changed.

`feedback_ingest` tags a comment once, with the lexicon of the day; a term added or re-weighted
later changes only what comes in after it. `feedback_retag` runs the brand's current lexicon over
the stored comments again and replaces their tags, sentiment, polarity and complaint flag — the
same analysis the ingest does, written the same way (`cx_audit.voice.services`).

Recovery actions are left alone: they were opened for what the customer said at the time and are
someone's work by now; a re-tag opens none for year-old feedback and closes none either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from cx_audit.voice.metrics import is_complaint
from cx_audit.voice.models import Feedback, FeedbackTag
from cx_audit.voice.policy import lexicon_of
from cx_audit.voice.services import tag_rows
from cx_audit.voice.tagging import Tagger, tagger_for
from locations.models import Brand

BATCH = 2000
ANALYSED = ("sentiment", "polarity", "complaint")


@dataclass(frozen=True)
class RetagResult:
    feedback: int  # records re-analysed
    changed: int  # records whose sentiment, polarity or complaint flag changed
    tags_before: int
    tags_after: int


def feedback_retag(
    *, brand: Brand, batch_size: int = BATCH, progress: Callable[[int], None] | None = None
) -> RetagResult:
    """Re-tag every stored comment of the brand with its current lexicon, ``batch_size`` records per
    transaction (a long re-tag never holds one huge transaction; each record is consistent with its
    tags at every moment). ``progress`` hears the number of records done after each batch."""
    tagger = tagger_for(lexicon_of(brand.pk))
    totals = [0, 0, 0, 0]
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Feedback.objects.filter(brand=brand, pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "brand_id", "location_id", "received_at", "comment", "nps", "csat", *ANALYSED)[
                    :batch_size
                ]
            )
            if not rows:
                break
            for total, count in enumerate(_retag(rows, tagger)):
                totals[total] += count
        last_pk = rows[-1].pk
        if progress:
            progress(totals[0])
    return RetagResult(*totals)


def _retag(rows: list[Feedback], tagger: Tagger) -> tuple[int, int, int, int]:
    analyses = [tagger.analyse(row.comment) for row in rows]
    changed = []
    for row, analysis in zip(rows, analyses, strict=True):
        before = tuple(getattr(row, name) for name in ANALYSED)
        row.sentiment = Decimal(str(round(analysis.sentiment, 2)))
        row.polarity = analysis.polarity
        row.complaint = is_complaint(nps=row.nps, csat=row.csat, polarity=row.polarity)
        if tuple(getattr(row, name) for name in ANALYSED) != before:
            changed.append(row)
    removed, _by_model = FeedbackTag.objects.filter(feedback_id__in=[row.pk for row in rows]).delete()
    added = len(FeedbackTag.objects.bulk_create(tag_rows(rows, analyses), batch_size=BATCH))
    Feedback.objects.bulk_update(changed, list(ANALYSED), batch_size=500)
    return len(rows), len(changed), removed, added
