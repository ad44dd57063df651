"""The lexicon measured on the labelled sample (docs/voice.md): the targets of issue 13, and the
figures per part of the sample printed so a run shows them."""

from __future__ import annotations

from collections import Counter

import pytest

from cx_audit.voice.evaluation import by_split, load_sample, table
from cx_audit.voice.language import detect_language
from cx_audit.voice.lexicon import DEFAULT_TERMS, TOUCHPOINTS
from cx_audit.voice.tagging import tagger_for

SAMPLE = load_sample()


class SampleTests:
    def test_the_sample_is_large_mixed_and_split(self):
        assert len(SAMPLE) >= 240
        assert len({item.id for item in SAMPLE}) == len(SAMPLE)
        languages = Counter(detect_language(item.text) for item in SAMPLE)
        assert min(languages["zh"], languages["en"]) >= 0.4 * len(SAMPLE)
        assert sum(item.split == "test" for item in SAMPLE) == pytest.approx(0.4 * len(SAMPLE), abs=5)
        assert Counter(item.polarity for item in SAMPLE).keys() == {-1, 0, 1}

    def test_labels_use_the_frameworks_codes(self):
        assert {code for item in SAMPLE for code in item.touchpoints} <= set(TOUCHPOINTS)
        assert {item.split for item in SAMPLE} == {"dev", "test"}


class AccuracyTests:
    def test_the_lexicon_meets_the_targets_on_the_whole_sample(self, capsys):
        reports = by_split(SAMPLE, tagger_for(DEFAULT_TERMS))
        with capsys.disabled():
            print("\n" + table(reports))
        whole = reports["all"]
        assert whole.polarity_accuracy >= 0.85
        assert whole.precision >= 0.80
        assert whole.recall >= 0.80
