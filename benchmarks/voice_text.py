"""Customer comments for the voice benchmarks, composed from the default lexicon's own vocabulary.

A comment is an optional filler sentence ("上周六下午过来看新款", "Came in on Saturday
afternoon") and one to three clauses. A clause is an aspect of the lexicon that names where
(店员, 收银台, "the service desk") and a feeling word of the lexicon with an optional degree word
("店员非常热情", "the staff were a bit rude"), or a pain said by negating a pleasure ("店员不耐心",
"the staff were not helpful"), or a feeling word that names its own touchpoint ("排长队",
"hidden charge"). Mixed comments join a pleasure and a pain with 但是 / "but". A few carry a
phone number or an e-mail address, which the ingest masks.

The words come from `cx_audit.voice.lexicon.DEFAULT_TERMS` at import time, so the comments
exercise the tagger the way real ones would: jieba on Chinese runs, word-boundary matching on
English, negation and degree windows, aspects lending their touchpoint. Which tags a comment gets
is whatever the real tagger says (the fixture tags its pool of comments with it); the mix here is
tuned so a commented record carries about 1.5 tags. No Django.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cx_audit.voice.language import CJK
from cx_audit.voice.lexicon import DEFAULT_TERMS, Term

ZH, EN = "zh", "en"
PAIN, MIXED, PLEASURE = "pain", "mixed", "pleasure"
KINDS = (PAIN, MIXED, PLEASURE)

# Cue words (from the tagger's own lists): "" keeps a clause plain more often than not.
ZH_DEGREES = ("", "", "", "很", "非常", "特别", "有点", "太", "挺")
EN_DEGREES = ("", "", "", "very ", "really ", "a bit ", "extremely ", "quite ")
ZH_NEGATORS = ("不", "不太", "一点也不", "不够")
EN_NEGATORS = ("not", "not very", "never")
# Terms that read oddly alone after an aspect; still tagged when the tagger finds them elsewhere.
AWKWARD = frozenset({"理", "实在", "搭理", "理睬", "详细", "帮忙", "pressure", "chatting", "lost", "dead"})

# Filler: what customers say around the point, with no lexicon word in it (checked against the real
# tagger by `python -m benchmarks.voice --check-text`: tagging a filler alone finds nothing).
ZH_FILLER = (
    "上周六下午过来看新出的那款手机",
    "带我妈过来换手机，她用的还是五年前的老款",
    "这是我第二次来这家店了",
    "给孩子买了一台上学用",
    "下班后顺路过来看了看",
    "朋友说这家店可以，就过来了",
    "国庆期间过来的，店里人挺多",
    "今天中午过来买耳机",
    "来换个手机壳和充电器",
    "周末一家人过来逛逛",
    "之前在网上看好了型号，直接来店里买",
    "我是老顾客了，家里的手机都是在这里买的",
    "旧手机用了三年，想换一台新的",
    "公司统一采购，一次买了八台",
)
EN_FILLER = (
    "Came in on Saturday afternoon to look at the new models",
    "Bought a phone for my mother last week",
    "Second visit to this shop",
    "Stopped by after work",
    "A friend told me about this place",
    "Came in for a phone case",
    "Visited during the holiday week",
    "I have been a customer for years",
    "Dropped in with my family on Sunday",
    "Had already picked a model online",
    "My old phone was three years old and I wanted a better camera",
    "Our company bought eight phones for the sales team",
)
ZH_CONTACT = ("我的手机号{mobile}", "有事打{mobile}", "邮箱{email}")
EN_CONTACT = ("my number is {mobile_spaced}", "email me at {email}", "reach me on {mobile}")
CONTACT_SHARE = 0.03


@dataclass(frozen=True)
class Vocabulary:
    """The lexicon's words of one language, sorted by what a clause needs."""

    aspects: tuple[Term, ...]  # polarity 0 with a touchpoint: where
    placed: dict[int, tuple[Term, ...]]  # ±1 with a touchpoint of their own
    loose: dict[int, tuple[Term, ...]]  # ±1 without a touchpoint: need an aspect


def _vocabulary(chinese: bool) -> Vocabulary:
    terms = [t for t in DEFAULT_TERMS if bool(CJK.search(t.text)) == chinese and t.text not in AWKWARD]
    return Vocabulary(
        aspects=tuple(t for t in terms if t.polarity == 0 and t.touchpoint),
        placed={p: tuple(t for t in terms if t.polarity == p and t.touchpoint) for p in (-1, 1)},
        loose={p: tuple(t for t in terms if t.polarity == p and not t.touchpoint) for p in (-1, 1)},
    )


VOCABULARY = {ZH: _vocabulary(True), EN: _vocabulary(False)}


class Composer:
    """Comments drawn from ``rng``: `comment(language, kind)`; deterministic for a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def comment(self, language: str, kind: str, *, contact: bool | None = None) -> str:
        rng = self.rng
        if kind == MIXED:
            first, second = (1, -1) if rng.random() < 0.6 else (-1, 1)
            clauses = [self.clause(language, first), self.clause(language, second)]
            joined = self._join_contrast(clauses, language)
        else:
            polarity = -1 if kind == PAIN else 1
            count = rng.choices((1, 2, 3, 4), weights=(68, 25, 6, 1))[0]
            joined = self._join([self.clause(language, polarity) for _ in range(count)], language)
        parts = [joined]
        fillers = ZH_FILLER if language == ZH else EN_FILLER
        for _ in range(rng.choices((0, 1, 2), weights=(30, 55, 15))[0]):
            parts.insert(0, rng.choice(fillers))
        if contact if contact is not None else rng.random() < CONTACT_SHARE:
            parts.append(self.contact(language))
        if language == ZH:
            return "，".join(parts) + rng.choice(("。", "！", "", "。"))
        return ". ".join(p[:1].upper() + p[1:] for p in parts) + rng.choice((".", "!", "."))

    def clause(self, language: str, polarity: int) -> str:
        """One point about one place; pain is sometimes a negated pleasure."""
        rng, words = self.rng, VOCABULARY[language]
        if rng.random() < 0.35:
            term = rng.choice(words.placed[polarity])
            return self._alone(language, term.text)
        aspect = rng.choice(words.aspects).text
        if polarity < 0 and rng.random() < 0.3:
            feeling = rng.choice(words.loose[1]).text
            negator = rng.choice(ZH_NEGATORS if language == ZH else EN_NEGATORS)
            return (
                f"{aspect}{negator}{feeling}" if language == ZH else f"the {aspect} was {negator} {feeling}"
            )
        feeling = rng.choice(words.loose[polarity]).text
        if language == ZH:
            return f"{aspect}{rng.choice(ZH_DEGREES)}{feeling}"
        return f"the {aspect} was {rng.choice(EN_DEGREES)}{feeling}"

    def _alone(self, language: str, text: str) -> str:
        if language == ZH:
            return self.rng.choice(("", "感觉", "这次")) + text
        return self.rng.choice(("", "there was ", "they ")) + text

    def _join(self, clauses: list[str], language: str) -> str:
        glue = "，" if language == ZH else ", "
        return glue.join(clauses)

    def _join_contrast(self, clauses: list[str], language: str) -> str:
        if language == ZH:
            return f"{clauses[0]}，{self.rng.choice(('但是', '不过', '可是'))}{clauses[1]}"
        return f"{clauses[0]}, but {clauses[1]}"

    def contact(self, language: str) -> str:
        """A phone number or e-mail address the customer left (the ingest masks it)."""
        rng = self.rng
        mobile = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        values = {
            "mobile": mobile,
            "mobile_spaced": f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
            "email": f"{rng.choice(('wang', 'li', 'zhang', 'chen', 'amy', 'tom'))}{rng.randrange(1000)}"
            f"@{rng.choice(('qq.com', '163.com', 'example.com'))}",
        }
        return rng.choice(ZH_CONTACT if language == ZH else EN_CONTACT).format(**values)


def tagged_fillers() -> list[tuple[str, list[str]]]:
    """The fillers the default lexicon's tagger finds a term in (each with the terms): none expected."""
    from cx_audit.voice.tagging import tagger_for

    tagger = tagger_for(DEFAULT_TERMS)
    found = []
    for filler in (*ZH_FILLER, *EN_FILLER):
        tags = tagger.analyse(filler).tags
        if tags:
            found.append((filler, [tag.term for tag in tags]))
    return found
