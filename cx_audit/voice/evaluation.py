"""How well the lexicon reads comments, measured on a labelled sample (docs/voice.md).

The sample (`data/labelled_comments.jsonl`) holds comments labelled by a person before the
lexicon was tuned: the overall polarity (−1, 0, +1) and the touchpoints the customer expresses a
feeling about. About 40 % are marked "test" and were never looked at while tuning; the figures
are reported for the dev part, the test part and the whole.

- **Polarity accuracy**: the share of comments whose `Analysis.polarity` equals the label.
- **Touchpoint precision / recall** over (comment, touchpoint) pairs: a tag's touchpoint is right
  when the label names it for that comment; several tags at one touchpoint count once.

Each comment is masked first (`pii.mask`), as the services mask before they tag.

    python -m cx_audit.voice.evaluation            # the table
    python -m cx_audit.voice.evaluation --errors dev   # and the dev comments it gets wrong

Pure: no Django.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cx_audit.voice.pii import mask
from cx_audit.voice.tagging import Tagger

__all__ = ["SAMPLE", "Labelled", "Mistake", "Report", "by_split", "evaluate", "load_sample", "main", "table"]

SAMPLE = Path(__file__).resolve().parent / "data" / "labelled_comments.jsonl"


@dataclass(frozen=True)
class Labelled:
    id: int
    text: str
    polarity: int
    touchpoints: frozenset[str]
    split: str  # "dev" or "test"


@dataclass(frozen=True)
class Mistake:
    id: int
    text: str
    polarity: tuple[int, int]  # (label, analysis)
    missed: frozenset[str]  # labelled touchpoints no tag found
    extra: frozenset[str]  # tagged touchpoints the label does not have


@dataclass
class Report:
    comments: int = 0
    polarity_right: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def polarity_accuracy(self) -> float:
        return self.polarity_right / self.comments if self.comments else 0.0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0


def load_sample(path: Path | str = SAMPLE) -> list[Labelled]:
    """The labelled comments of a JSON-lines file (one object per line; blank lines skipped)."""
    sample = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            sample.append(
                Labelled(row["id"], row["text"], row["polarity"], frozenset(row["touchpoints"]), row["split"])
            )
    return sample


def evaluate(sample: Iterable[Labelled], tagger: Tagger) -> Report:
    """Polarity accuracy and touchpoint precision / recall of the tagger on the sample."""
    report = Report()
    for item in sample:
        analysis = tagger.analyse(mask(item.text))
        found = frozenset(tag.touchpoint for tag in analysis.tags if tag.touchpoint)
        report.comments += 1
        report.polarity_right += analysis.polarity == item.polarity
        report.true_positives += len(found & item.touchpoints)
        report.false_positives += len(found - item.touchpoints)
        report.false_negatives += len(item.touchpoints - found)
        if analysis.polarity != item.polarity or found != item.touchpoints:
            report.mistakes.append(
                Mistake(
                    item.id,
                    item.text,
                    (item.polarity, analysis.polarity),
                    item.touchpoints - found,
                    found - item.touchpoints,
                )
            )
    return report


def table(reports: dict[str, Report]) -> str:
    """The figures as a Markdown table, one row per part of the sample."""
    lines = [
        "| part | comments | polarity accuracy | touchpoint precision | touchpoint recall |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, r in reports.items():
        lines.append(
            f"| {name} | {r.comments} | {r.polarity_accuracy:.1%} | {r.precision:.1%} "
            f"({r.true_positives}/{r.true_positives + r.false_positives}) | {r.recall:.1%} "
            f"({r.true_positives}/{r.true_positives + r.false_negatives}) |"
        )
    return "\n".join(lines)


def by_split(sample: Sequence[Labelled], tagger: Tagger) -> dict[str, Report]:
    """Reports for the dev part, the test part and the whole sample."""
    return {
        "dev": evaluate([s for s in sample if s.split == "dev"], tagger),
        "test": evaluate([s for s in sample if s.split == "test"], tagger),
        "all": evaluate(sample, tagger),
    }


def main(argv: Sequence[str] = ()) -> None:
    from cx_audit.voice.lexicon import DEFAULT_TERMS
    from cx_audit.voice.tagging import tagger_for

    reports = by_split(load_sample(), tagger_for(DEFAULT_TERMS))
    print(table(reports))
    if len(argv) == 2 and argv[0] == "--errors":
        for m in reports[argv[1]].mistakes:
            print(
                f"{m.id:>4} {m.polarity[0]:+d}→{m.polarity[1]:+d} missed={sorted(m.missed)} "
                f"extra={sorted(m.extra)} {m.text}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
