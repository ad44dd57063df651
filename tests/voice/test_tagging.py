"""The text analysis (pure): lexicon terms in Chinese and English, negation, degree, clauses, spans."""

from __future__ import annotations

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_audit.voice.language import detect_language
from cx_audit.voice.lexicon import (
    DEFAULT_TERMS,
    DEGREES,
    DIMENSIONS,
    NEGATORS,
    TOUCHPOINTS,
    Term,
    term_problems,
)
from cx_audit.voice.tagging import AFTER_BUT, BEFORE_BUT, MISSING, SOFTENED, Analysis, Tag, tagger_for

TAGGER = tagger_for(DEFAULT_TERMS)


def tags_of(text: str) -> dict[str, Tag]:
    return {tag.term: tag for tag in TAGGER.analyse(text).tags}


class NegationTests:
    @pytest.mark.parametrize(
        ("text", "term", "span"),
        [
            ("店员不热情。", "热情", "店员不热情"),
            ("进门没有人理，站了十分钟。", "理", "进门没有人理"),
            ("The salesman was not friendly.", "friendly", "salesman was not friendly"),
            ("They never called back.", "call back", "never called back"),
        ],
    )
    def test_a_negator_before_a_term_flips_it(self, text, term, span):
        tag = tags_of(text)[term]
        assert (tag.polarity, tag.negated) == (-1, True)
        assert Analysis.span_text(text, tag) == span
        assert TAGGER.analyse(text).polarity == -1

    @pytest.mark.parametrize(
        "text", ["店员很热情。", "The salesman was friendly.", "They called back the next day."]
    )
    def test_without_the_negator_the_term_keeps_its_polarity(self, text):
        assert [(t.polarity, t.negated) for t in TAGGER.analyse(text).tags] == [(1, False)]

    def test_no_queue_is_good_news(self):
        assert [(t.term, t.touchpoint, t.polarity) for t in TAGGER.analyse("There was no queue.").tags] == [
            ("queue", "checkout", 1)
        ]

    def test_a_negator_beyond_the_window_or_the_clause_does_not_reach(self):
        assert tags_of("不，店员很热情。")["热情"].polarity == 1
        assert tags_of("I did not know the staff would be this friendly")["friendly"].polarity == 1

    def test_a_degree_word_inside_a_negation_softens_it(self):
        tag = tags_of("The staff were not very friendly.")["friendly"]
        assert (tag.polarity, tag.weight) == (-1, pytest.approx(SOFTENED))
        assert tags_of("不太满意")["满意"].weight == pytest.approx(NEGATORS["不太"])

    def test_a_negated_aspect_is_something_missing(self):
        tag = tags_of("不给开发票。")["发票"]
        assert (tag.touchpoint, tag.polarity, tag.weight) == ("checkout", -1, pytest.approx(MISSING))


class DegreeTests:
    @pytest.mark.parametrize(
        ("text", "term", "degree"),
        [("店员非常热情", "热情", "非常"), ("有点慢", "慢", "有点"), ("extremely rude", "rude", "extremely")],
    )
    def test_degree_words_scale_the_weight(self, text, term, degree):
        tag = tags_of(text)[term]
        assert tag.weight == pytest.approx(DEGREES[degree])
        assert degree in Analysis.span_text(text, tag)

    def test_a_phrase_degree_word(self):
        assert tags_of("the wait was a bit slow")["slow"].weight == pytest.approx(DEGREES["a bit"])

    def test_jieba_glued_degree_words_are_split_back(self):
        # jieba's dictionary holds "很快" and "太慢" as words; the term inside still counts.
        assert tags_of("取机很快")["快"].weight == pytest.approx(DEGREES["很"])
        assert tags_of("取机很快")["快"].touchpoint == "pickup"
        assert tags_of("打电话问也说不清楚")["清楚"].negated


class ClauseTests:
    def test_a_comma_and_but_end_the_window_and_but_weighs_what_follows(self):
        text = "Staff were friendly, but the queue was not short"
        tags = tags_of(text)
        assert (tags["friendly"].polarity, tags["friendly"].touchpoint) == (1, "advice")
        assert (tags["queue"].polarity, tags["queue"].touchpoint) == (-1, "checkout")
        assert (tags["short"].polarity, tags["short"].negated) == (-1, True)
        assert tags["friendly"].weight == pytest.approx(BEFORE_BUT)
        assert tags["queue"].weight == pytest.approx(AFTER_BUT)
        assert TAGGER.analyse(text).polarity == -1

    def test_chinese_contrast(self):
        analysis = TAGGER.analyse("虽然价格贵了点，但是服务很到位。")
        assert {t.term: t.polarity for t in analysis.tags} == {"贵": -1, "到位": 1}
        assert analysis.polarity == 1

    def test_pain_and_pleasure_in_balance_read_neutral(self):
        assert TAGGER.analyse("").polarity == 0
        assert TAGGER.analyse("买了个手机壳。").tags == ()


class AspectTests:
    def test_an_aspect_places_a_feeling_word_and_joins_its_span(self):
        text = "样机一半都是坏的，开不了机。"
        tag = tags_of(text)["坏"]
        assert (tag.touchpoint, tag.dimension, tag.polarity) == ("demo-table", "product", -1)
        assert Analysis.span_text(text, tag) == "样机一半都是坏"

    def test_the_nearest_aspect_wins(self):
        assert tags_of("Service desk staff were rude.")["rude"].touchpoint == "service-desk"
        assert tags_of("The staff were rude.")["rude"].touchpoint == "advice"

    def test_a_term_keeps_its_own_touchpoint(self):
        assert tags_of("Hidden charges for a setup service.")["hidden charge"].touchpoint == "price-tags"


class MixedAndJiebaTests:
    def test_a_mixed_comment_is_read_by_both_matchers(self):
        text = "Staff很热情，but the checkout queue was too long."
        analysis = TAGGER.analyse(text)
        found = {(t.term, t.touchpoint, t.polarity) for t in analysis.tags}
        assert {("热情", "advice", 1), ("queue", "checkout", -1)} <= found
        assert analysis.polarity == -1
        assert analysis.language == detect_language(text) == "en"
        assert TAGGER.analyse("店员讲解很专业，very helpful.").polarity == 1

    def test_lexicon_words_are_kept_whole_by_a_private_tokenizer(self):
        plain = jieba.Tokenizer()
        # Plain jieba cuts "没有人理" as 没有 / 人理 and "不好用" as 不好 / 用: neither term is a word.
        assert plain.lcut("没有人理", HMM=False) == ["没有", "人理"]
        assert plain.lcut("不好用", HMM=False) == ["不好", "用"]
        assert tags_of("没有人理")["理"].negated
        assert (tags_of("WiFi 不好用")["好用"].polarity, tags_of("WiFi 不好用")["好用"].negated) == (-1, True)
        # The tagger's words never leak into jieba's global tokenizer.
        assert jieba.lcut("没有人理", HMM=False) == ["没有", "人理"]

    def test_a_term_inside_another_word_is_not_the_term(self):
        assert "理" not in tags_of("经理很热情")  # 经理: manager
        assert "好" not in tags_of("叫了好几次才过来")  # 好几次: several times

    def test_a_lexicon_of_the_brands_own(self):
        tagger = tagger_for((Term("极光会员", 1, 2.0, "member-app", "relationship"),))
        tag = tagger.analyse("我是极光会员，服务一般").tags[0]
        assert (tag.term, tag.weight, tag.touchpoint) == ("极光会员", 2.0, "member-app")
        assert tagger_for((Term("极光会员", 1, 2.0, "member-app", "relationship"),)) is tagger

    def test_english_inflections_and_case(self):
        assert tags_of("CALLS BACK promptly")["call back"].polarity == 1
        assert tags_of("They were Queuing for ages")["queue"].polarity == -1


class LexiconTests:
    def test_the_default_lexicon_is_valid_and_unique(self):
        problems = {
            t.text: p
            for t in DEFAULT_TERMS
            if (p := term_problems(t, touchpoints=TOUCHPOINTS, dimensions=DIMENSIONS))
        }
        assert problems == {}
        texts = [t.text.lower() for t in DEFAULT_TERMS]
        assert len(texts) == len(set(texts))  # LexiconTerm is unique per brand and text
        assert all(len(t.text) <= 60 for t in DEFAULT_TERMS)

    def test_problems_are_named(self):
        assert len(term_problems(Term(" x", 2, 0.0, "nowhere", ""), touchpoints=TOUCHPOINTS)) == 4
        assert term_problems(Term("店员", 0)) == ["An aspect must name a touchpoint or a dimension."]


PIECES = [t.text for t in DEFAULT_TERMS[::7]] + list(NEGATORS)[::5] + list(DEGREES)[::5]
PIECES += ["，", "。", "but", "但是", " ", "!", "Mate 60", "138****5678", "😀", "经理", "好几次"]


class PropertyTests:
    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join))
    def test_spans_lie_in_the_text_and_the_sentiment_adds_up(self, text):
        analysis = TAGGER.analyse(text)
        for tag in analysis.tags:
            assert 0 <= tag.start < tag.end <= len(text)
            assert tag.polarity in (-1, 1)
            assert tag.weight > 0
            assert tag.term.lower()[:3] in text[tag.start : tag.end].lower()  # the term, maybe inflected
        assert analysis.sentiment == pytest.approx(sum(t.polarity * t.weight for t in analysis.tags))
        assert analysis.polarity in (-1, 0, 1)
        assert analysis.polarity * analysis.sentiment >= 0
