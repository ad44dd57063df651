"""Tagging a comment with its brand's lexicon: pure, offline and explainable (DESIGN §6).

How a comment is read (docs/voice.md, "Text analysis"):

1. **Tokens.** Chinese runs are segmented with jieba (offline, its own dictionary) by a private
   tokenizer that knows every lexicon term and cue word as a word, so "乱收费" stays whole and
   "理" inside "经理" is not the term "理"; a word jieba glues from a cue and a term ("很快",
   "说不清楚") is split back. Latin words are matched case-insensitively on word boundaries, with
   plural and -ed/-ing forms tolerated ("call back" finds "called back"). Commas end a clause;
   full stops end a sentence; contrast words ("but", "但是") end both.
2. **Terms.** The longest lexicon term starting at each token wins; a term may span tokens.
3. **Negation and degree.** Up to three ordinary tokens before a term, within its clause and not
   past another feeling word, a negator flips the polarity ("不热情", "没有人理", "never called
   back") and degree words scale the weight ("非常", "a bit"); a degree word between the negator
   and the term softens the negation instead ("not very friendly"). A negated aspect speaks of
   something missing ("没有发票", "no signs"): pain, at half weight.
4. **Contrast.** In a sentence with "but" (但是, 不过, …) what comes after weighs 1.5 and what
   comes before 0.5; a concessive clause ("although", 虽然) weighs 0.5.
5. **Where.** A term keeps its own touchpoint; a feeling word that names none takes the one named
   nearest to it in its clause (by an aspect such as "样机", or another term), else in its sentence.
6. **Spans.** Each tag keeps the characters of the original text it stands on: the negation and
   degree words, the term, and the aspect that placed it when that sits in the same clause.

Pure: no Django. jieba is silenced (it logs its dictionary loading at INFO).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import NamedTuple

import jieba

from cx_audit.voice.language import detect_language
from cx_audit.voice.lexicon import CONCESSIVES, CONTRASTS, DEGREES, KEEP_WHOLE, NEGATORS, Term

__all__ = ["Analysis", "Tag", "Tagger", "tagger_for"]

jieba.setLogLevel(logging.WARNING)

WINDOW = 3  # ordinary tokens a negator or degree word may sit before its term
SOFTENED = 0.7  # a negation with a degree word inside it ("not very friendly")
MISSING = 0.5  # the weight of a negated aspect ("no signs")
BEFORE_BUT, AFTER_BUT = 0.5, 1.5
BOOST = 10**5  # jieba frequency of a lexicon word: above almost any rival segmentation
_SPAN = 6  # tokens a term may span

_CLAUSE, _SENTENCE, _BUT, _ALTHOUGH = "b", "s", "but", "although"
_WORD = frozenset("hw")  # token kinds that are words, not boundaries
_SCAN = re.compile(
    r"(?P<h>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<w>[A-Za-z0-9]+(?:['’][A-Za-z]+)*)"
    r"|(?P<s>[。！？.!?…\n]+)"
    r"|(?P<b>[，；,;：:~～]|——)"
)


@dataclass(frozen=True)
class Tag:
    """What one term said in one comment, and where."""

    term: str
    touchpoint: str
    dimension: str
    polarity: int  # after negation
    weight: float  # term weight × degree (× contrast)
    start: int  # span in the ORIGINAL text covering negation/degree words and the term (and its aspect)
    end: int
    negated: bool


@dataclass(frozen=True)
class Analysis:
    """A comment's language, its tags and its sentiment (Σ polarity × weight)."""

    language: str
    tags: tuple[Tag, ...]
    sentiment: float

    @property
    def polarity(self) -> int:
        """−1, 0 or +1: the sign of the sentiment (0 without tags or when pain and pleasure balance)."""
        if abs(self.sentiment) < 1e-9:
            return 0
        return 1 if self.sentiment > 0 else -1

    @staticmethod
    def span_text(text: str, tag: Tag) -> str:
        """The words a tag stands on, for the page that shows why."""
        return text[tag.start : tag.end]


class _Token(NamedTuple):
    text: str  # lower case; ’ as '
    start: int
    end: int
    kind: str  # "h" Chinese, "w" Latin word or number; boundaries: _CLAUSE, _SENTENCE, _BUT, _ALTHOUGH


class _Match(NamedTuple):
    first: int  # token indices [first, last)
    last: int
    term: Term


class _Place(NamedTuple):
    clause: list[int]  # each token's clause number
    sentence: list[int]  # each token's sentence number
    contrast: list[float]  # each token's contrast weight


class Tagger:
    """Tags comments with one lexicon. Build it once per lexicon (`tagger_for`): the tokenizer costs."""

    def __init__(self, terms: Iterable[Term]):
        terms = tuple(terms)
        self._jieba = _private_tokenizer()
        for word in _chinese_words(terms):
            self._jieba.add_word(word, freq=max(BOOST, self._jieba.FREQ.get(word) or 0))
        self._terms: dict[str, Term] = {}
        keys = {term: _variants(self._tokens(term.text)) for term in terms}
        for term, variants in keys.items():
            for key in variants:
                self._terms.setdefault(key, term)
        self._prefixes = {key[:n] for key in self._terms for n in range(1, len(key) + 1)}

    def analyse(self, text: str) -> Analysis:
        tokens = self._tokens(text)
        matches = self._matches(tokens)
        taken = {i for m in matches if m.term.polarity for i in range(m.first, m.last)}
        place = _places(tokens)
        tags = tuple(tag for m in matches if (tag := self._tag(m, tokens, taken, place, matches)))
        return Analysis(detect_language(text), tags, sum(tag.polarity * tag.weight for tag in tags))

    def _tokens(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        for match in _SCAN.finditer(text):
            kind = match.lastgroup or _CLAUSE
            if kind == "h":
                base = match.start()
                for word, a, b in self._jieba.tokenize(match[0], HMM=False):
                    tokens += self._split(_Token(word, base + a, base + b, "h"))
            else:
                tokens.append(_Token(match[0].lower().replace("’", "'"), match.start(), match.end(), kind))
        return [_boundary(t) for t in tokens]

    def _split(self, token: _Token) -> list[_Token]:
        """A word jieba made of a cue and a term ("很快", "说不清楚"): its parts, so the term is seen."""
        word = token.text
        if len(word) < 2 or word in self._terms or not self._terms:
            return [token]
        for cut in range(1, len(word)):
            head, tail = word[:cut], word[cut:]
            if tail not in self._terms:
                continue
            if cue := next((c for c in _cue_suffixes(head) if c in NEGATORS or c in DEGREES), None):
                s, c, e = token.start, token.start + cut - len(cue), token.start + cut
                parts = [
                    _Token(head[: -len(cue)], s, c, "h"),
                    _Token(cue, c, e, "h"),
                    _Token(tail, e, token.end, "h"),
                ]
                return [p for p in parts if p.text]
        return [token]

    def _matches(self, tokens: list[_Token]) -> list[_Match]:
        """Longest term first, left to right, terms never overlapping or crossing a boundary."""
        found, i = [], 0
        while i < len(tokens):
            hit, key = None, ""
            for j in range(i, min(len(tokens), i + _SPAN)):
                key = _extend(key, tokens[j - 1] if j > i else None, tokens[j])
                if tokens[j].kind not in _WORD or key not in self._prefixes:
                    break
                if key in self._terms:
                    hit = _Match(i, j + 1, self._terms[key])
            if hit:
                found.append(hit)
                i = hit.last
            else:
                i += 1
        return found

    def _tag(
        self, match: _Match, tokens: list[_Token], taken: set[int], place: _Place, matches: list[_Match]
    ) -> Tag | None:
        term = match.term
        negations, factor, first = _modifiers(tokens, match.first, taken)
        negated = negations % 2 == 1
        if term.polarity == 0 and not negated:
            return None
        polarity = (-1 if negated else 1) * (term.polarity or 1)
        weight = term.weight * factor * (MISSING if term.polarity == 0 else 1) * place.contrast[match.first]
        start, end = tokens[first].start, tokens[match.last - 1].end
        touchpoint, dimension = term.touchpoint, term.dimension
        if not touchpoint and (where := _nearest(match, matches, place, lambda t: bool(t.touchpoint))):
            touchpoint = where.term.touchpoint
            if place.clause[where.first] == place.clause[match.first]:
                start, end = min(start, tokens[where.first].start), max(end, tokens[where.last - 1].end)
        if not dimension and (what := _nearest(match, matches, place, lambda t: bool(t.dimension))):
            dimension = what.term.dimension
        return Tag(term.text, touchpoint, dimension, polarity, weight, start, end, negated)


def _boundary(token: _Token) -> _Token:
    if token.text in CONTRASTS:
        return token._replace(kind=_BUT)
    if token.text in CONCESSIVES:
        return token._replace(kind=_ALTHOUGH)
    return token


def _modifiers(tokens: list[_Token], index: int, taken: set[int]) -> tuple[int, float, int]:
    """Negators and degree words before the term at `index`: (negations, weight factor, first token).

    Walks back at most WINDOW ordinary tokens, stopping at a boundary or another feeling word.
    Degree words met before any negator sit inside the negation ("not very friendly") and soften it.
    """
    negations, inner, outer, negator, first = 0, 1.0, 1.0, 1.0, index
    k, ordinary = index - 1, 0
    while k >= 0 and tokens[k].kind in _WORD and k not in taken:
        cue, size = _cue(tokens, k)
        if cue in NEGATORS:
            negations += 1
            negator = NEGATORS[cue] if negations == 1 else negator
        elif cue in DEGREES:
            if negations:
                outer *= DEGREES[cue]
            else:
                inner *= DEGREES[cue]
        else:
            ordinary += 1
            if ordinary > WINDOW:
                break
            k -= 1
            continue
        first = k - size + 1
        k -= size
    if negations and inner != 1.0:
        return negations, outer * negator * SOFTENED, first
    return negations, outer * inner * negator, first


def _cue(tokens: list[_Token], k: int) -> tuple[str, int]:
    """The longest negator or degree phrase ending at token k (up to four tokens), and its size."""
    best, key = (tokens[k].text, 1), tokens[k].text
    for size in (2, 3, 4):
        first = k - size + 1
        if first < 0 or tokens[first].kind not in _WORD:
            break
        key = tokens[first].text + _sep(tokens[first], tokens[first + 1]) + key
        if key in NEGATORS or key in DEGREES:
            best = (key, size)
    return best


def _cue_suffixes(head: str) -> list[str]:
    return [head[i:] for i in range(len(head))]


def _nearest(
    match: _Match, matches: list[_Match], place: _Place, wanted: Callable[[Term], bool]
) -> _Match | None:
    """The nearest other match naming what `wanted` asks for: in the clause, else in the sentence
    (ties: the one before)."""
    for scope in (place.clause, place.sentence):
        here = scope[match.first]
        near = [m for m in matches if m is not match and scope[m.first] == here and wanted(m.term)]
        if near:
            return min(near, key=lambda m: (_gap(match, m), m.first > match.first))
    return None


def _gap(a: _Match, b: _Match) -> int:
    return b.first - a.last if b.first >= a.last else a.first - b.last


def _places(tokens: list[_Token]) -> _Place:
    """Clause and sentence numbers, and the contrast weight, of every token."""
    clause, sentence, contrast = [], [], []
    c = s = 0
    weight, sentence_start = 1.0, 0
    for i, token in enumerate(tokens):
        if token.kind not in _WORD:
            c += 1
            if token.kind in (_SENTENCE, _BUT, _ALTHOUGH):
                s += 1
            if token.kind == _BUT:  # before "but" in its sentence: less; after it: more
                contrast[sentence_start:i] = [min(w, BEFORE_BUT) for w in contrast[sentence_start:i]]
                weight = AFTER_BUT
            elif token.kind == _ALTHOUGH:
                weight = BEFORE_BUT
            elif token.kind == _SENTENCE:
                weight, sentence_start = 1.0, i + 1
            elif weight == BEFORE_BUT:  # a concessive clause ends at its comma
                weight = 1.0
        clause.append(c)
        sentence.append(s)
        contrast.append(weight)
    return _Place(clause, sentence, contrast)


def _join(tokens: Iterable[_Token]) -> str:
    """Tokens as one key: Chinese joined directly, Latin words with a space between them."""
    key, previous = "", None
    for token in tokens:
        key, previous = _extend(key, previous, token), token
    return key


def _extend(key: str, previous: _Token | None, token: _Token) -> str:
    return key + (_sep(previous, token) if previous else "") + token.text


def _sep(a: _Token, b: _Token) -> str:
    """Latin words are joined by a space, Chinese words directly."""
    return " " if a.kind == "w" and b.kind == "w" else ""


def _variants(tokens: list[_Token]) -> list[str]:
    """Every key a term matches: each Latin word of three letters or more in its simple inflections."""
    options = [_inflections(t.text) if t.kind == "w" and len(t.text) >= 3 else (t.text,) for t in tokens]
    return [
        _join(_Token(w, 0, 0, t.kind) for w, t in zip(combo, tokens, strict=True))
        for combo in product(*options)
    ]


@cache
def _inflections(word: str) -> tuple[str, ...]:
    forms = [word, word + "s", word + "es", word + "ed", word + "d", word + "ing"]
    if word.endswith("e"):
        forms.append(word[:-1] + "ing")
    if word.endswith("y") and len(word) > 3:
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", word):
        forms += [word + word[-1] + "ed", word + word[-1] + "ing"]
    return tuple(dict.fromkeys(forms))


def _chinese_words(terms: tuple[Term, ...]) -> set[str]:
    """What the tokenizer must keep whole: multi-character Chinese terms and cue words, and the
    words that protect one-character terms ("好几次" is not "好"). Single characters keep jieba's
    own frequency: boosting "好" would cut it out of words that merely contain it."""
    words = {t.text for t in terms} | set(NEGATORS) | set(DEGREES) | CONTRASTS | CONCESSIVES | KEEP_WHOLE
    return {run for word in words for run in re.findall(r"[\u3400-\u9fff]{2,}", word)}


@cache
def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's dictionary, loaded once per process (≈ 0.5–1 s, ~60 MB): each tagger copies its table."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _private_tokenizer() -> jieba.Tokenizer:
    """A tokenizer of the tagger's own, never jieba's global one: adding a brand's words must not
    change how another brand's comments (or any other code's text) are cut. Copying the loaded
    table (`FREQ`, `total`: jieba 0.42's attributes, pinned) takes ms where a reload takes 0.5 s."""
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    return tokenizer


@lru_cache(maxsize=8)
def tagger_for(terms: tuple[Term, ...]) -> Tagger:
    """The tagger of a lexicon, built once: lexicons are brand-specific, and a tagger costs ≈ 0.1 s
    and ~15 MB (plus jieba's dictionary, ≈ 0.5–1 s and ~60 MB, once per process). Callers pass the
    lexicon as a tuple in a stable order (`policy.lexicon_of`)."""
    return Tagger(terms)
