"""Responsible units the gazetteer does not know, found by a token tagger.

The rules (``vanban.extractor.units``) find units by a gazetteer of ~140 names and a small
grammar; they miss organisations and posts whose names are not listed ("Hội Làm vườn tỉnh Bình
Thuận", "Cục Hóa chất", "Tổ kiểm phiếu"). This model tags tokens B/I/O with a multinomial logistic
regression over simple features (the word, its folded form, its shape, its neighbours, whether it
is a head word or a word of the gazetteer, line breaks, the previous tag) and decodes greedily left
to right. It was trained with scikit-learn (models/train_units.py) on the rules' own spans in the
training documents, the gold units and a hand-checked sample; the weights live in
``data/units.json`` and are applied here in plain Python.

The extractor adds a model span only when it does not overlap a rule span and the tagger is sure
enough (the threshold stored with the weights, chosen by cross-validation on the training
documents), and only when the ``units`` artifact is in use (``vanban.models.artifact.active``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from vanban.models import artifact

NAME = "units"
TAGS = ("B", "I", "O")
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
# "đại biểu Quốc hội", "đại biểu Hội đồng nhân dân" are the deputies, not the body acting.
_DEPUTIES = re.compile(r"đại\s+biểu\s*$", re.IGNORECASE)


def may_add(text: str, span: Span, taken: list[tuple[int, int]]) -> bool:
    """Whether a tagged span may join the rules' units: it overlaps none of ``taken`` (rule units,
    excluded zones) and does not name the body whose deputies are meant."""
    return (not any(a < span.end and span.start < b for a, b in taken)
            and not _DEPUTIES.search(text, max(0, span.start - 12), span.start))


class Token(NamedTuple):
    """A word or mark of the text (a named tuple: documents have hundreds of thousands of them,
    and a tuple is built several times faster than a frozen dataclass)."""

    start: int
    end: int
    text: str
    lower: str
    folded: str
    shape: str
    nl_before: bool  # a line break between the previous token and this one


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Lower case, no diacritics, đ → d (what a typed-without-accents copy would show)."""
    s = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


@lru_cache(maxsize=65536)
def _shape(word: str) -> str:
    if word[0].isdigit():
        return "d"
    if not word[0].isalnum() and word[0] != "_":
        return "p" + word  # punctuation is its own shape: "," and "-" behave differently
    if len(word) > 1 and word.isupper():
        return "X"
    return "Xx" if word[0].isupper() else "x"


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, str, str]:
    return word.lower(), fold_word(word), _shape(word)


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    append, find, word = out.append, text.find, _word
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        w = m.group()
        start, end = m.span()
        append(Token(start, end, w, *word(w), find("\n", prev_end, start) >= 0))
        prev_end = end
    return out


# The features of a token come in groups, each fixed by one word (the token itself, a neighbour),
# so that tagging can add up each group once per distinct word instead of once per token.
def _own(t: Token, heads: frozenset[str], words: frozenset[str]) -> list[str]:
    f = [f"w={t.lower}", f"f={t.folded}", f"s={t.shape}"]
    if t.folded in heads:
        f.append("head")
    if t.folded in words:
        f.append(f"gw|{t.shape}")
    return f


def _prev1(p1: Token | None, heads: frozenset[str]) -> list[str]:
    if p1 is None:
        return ["p1=<s>", "p1s=<s>"]
    return [f"p1={p1.lower}", f"p1s={p1.shape}"] + (["p1head"] if p1.folded in heads else [])


def _next1(n1: Token | None, words: frozenset[str]) -> list[str]:
    if n1 is None:
        return ["n1=</s>", "n1s=</s>"]
    return [f"n1={n1.lower}", f"n1s={n1.shape}"] + (["n1gw"] if n1.folded in words else [])


def _pair(toks: list[Token], i: int) -> list[str]:
    t = toks[i]
    p1 = toks[i - 1].lower if i > 0 else "<s>"
    n1 = toks[i + 1] if i + 1 < len(toks) else None
    f = [f"p1w={p1}|{t.lower}", f"wn1={t.lower}|{n1.lower if n1 else '</s>'}"]
    if t.nl_before:
        f.append(f"nl|{t.shape}")
    if n1 is not None and n1.nl_before:
        f.append("nl_after")
    return f


def _tagged(t: Token, prev_tag: str) -> list[str]:
    return [f"t1={prev_tag}", f"t1s={prev_tag}|{t.shape}", f"t1w={prev_tag}|{t.lower}"]


def features(toks: list[Token], i: int, prev_tag: str, heads: frozenset[str], words: frozenset[str]) -> list[str]:
    """The feature names of token ``i`` given the tag decoded for token ``i - 1``."""
    p2 = toks[i - 2].lower if i > 1 else "<s>"
    n2 = toks[i + 2].lower if i + 2 < len(toks) else "</s>"
    return (_own(toks[i], heads, words) + _prev1(toks[i - 1] if i > 0 else None, heads) + [f"p2={p2}"]
            + _next1(toks[i + 1] if i + 1 < len(toks) else None, words) + [f"n2={n2}"]
            + _pair(toks, i) + _tagged(toks[i], prev_tag))


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    prob: float  # the lowest probability of a tag decoded inside the span


@dataclass(frozen=True, slots=True)
class UnitTagger:
    weights: dict[str, tuple[float, float, float]]  # feature -> score of B, I, O
    bias: tuple[float, float, float]
    heads: frozenset[str]
    words: frozenset[str]
    threshold: float

    def spans(self, text: str) -> list[Span]:
        """Every span the tagger decodes, greedily: each token takes its most probable tag given the
        previous one (I never follows O).

        After an O, a token in lower case (or punctuation, a number) that is no head word is taken
        as O without scoring it: a name opens with a capital or a head word. On the 80 corpus
        documents none of the tagger's 8,145 spans opens anywhere else, at any probability, and
        skipping those tokens makes tagging about four times faster.
        """
        toks = tokenize(text)
        static = _Static(self, toks)
        tagged: dict[tuple[str, str], tuple[float, float, float]] = {}
        out: list[Span] = []
        prev = "O"
        cur: tuple[int, int, float] | None = None
        for i, t in enumerate(toks):
            if prev == "O" and t.shape not in ("Xx", "X") and t.folded not in self.heads:
                continue
            z0, z1, z2 = static.at(i)
            w = tagged.get((prev, t.text))
            if w is None:
                w = tagged[(prev, t.text)] = self._sum(_tagged(t, prev))
            z0, z1, z2 = z0 + w[0], z1 + w[1], z2 + w[2]
            if prev == "O":
                z1 = -math.inf  # I never follows O
            top = max(z0, z1, z2)
            e0, e1, e2 = math.exp(z0 - top), math.exp(z1 - top), math.exp(z2 - top)
            # Ties go to the earlier tag, as max over (B, I, O) would.
            k = 0 if e0 >= e1 and e0 >= e2 else (1 if e1 >= e2 else 2)
            p = (e0, e1, e2)[k] / (e0 + e1 + e2)
            tag = TAGS[k]
            if tag != "I" and cur is not None:
                out.append(Span(*cur))
                cur = None
            if tag == "B":
                cur = (t.start, t.end, p)
            elif tag == "I" and cur is not None:
                cur = (cur[0], t.end, min(cur[2], p))
            prev = tag
        if cur is not None:
            out.append(Span(*cur))
        return out

    def _sum(self, names: list[str]) -> tuple[float, float, float]:
        a = b = c = 0.0
        for name in names:
            w = self.weights.get(name)
            if w is not None:
                a, b, c = a + w[0], b + w[1], c + w[2]
        return a, b, c

    def additions(self, text: str, taken: list[tuple[int, int]]) -> list[Span]:
        """Spans sure enough to add to the rules' units: none overlapping a span in ``taken``."""
        return [s for s in self.spans(text) if s.prob >= self.threshold and may_add(text, s, taken)]

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> UnitTagger:
        weights = {}
        for name, w in data["weights"].items():
            if len(w) != 3:
                raise ValueError(f"weight of {name!r} has {len(w)} values, not 3")
            weights[name] = (float(w[0]), float(w[1]), float(w[2]))
        bias = tuple(float(b) for b in data["bias"])
        if len(bias) != 3:
            raise ValueError("bias has not 3 values")
        return cls(weights, (bias[0], bias[1], bias[2]), frozenset(data["heads"]), frozenset(data["words"]),
                   float(data["threshold"]))


class _Static:
    """Bias plus every feature of a token that does not depend on the previous tag, computed on
    demand; each feature group is fixed by one word, so it is summed once per distinct word."""

    def __init__(self, tagger: UnitTagger, toks: list[Token]) -> None:
        self.t = tagger
        self.toks = toks
        self.cache: dict[tuple[str, str], tuple[float, float, float]] = {}

    def _group(self, kind: str, key: str, names: Callable[[], list[str]]) -> tuple[float, float, float]:
        v = self.cache.get((kind, key))
        if v is None:
            v = self.cache[(kind, key)] = self.t._sum(names())
        return v

    def at(self, i: int) -> tuple[float, float, float]:
        toks, t, n = self.toks, self.toks[i], len(self.toks)
        heads, words = self.t.heads, self.t.words
        p1 = toks[i - 1] if i > 0 else None
        p2 = toks[i - 2].lower if i > 1 else "<s>"
        n1 = toks[i + 1] if i + 1 < n else None
        n2 = toks[i + 2].lower if i + 2 < n else "</s>"
        # Summed in the order training's feature list has them, so the floats are the same.
        z0, z1, z2 = self.t.bias
        for v in (
            self._group("own", t.text, lambda: _own(t, heads, words)),
            self.t._sum(_pair(toks, i)),
            self._group("p1", p1.text if p1 else "\0<s>", lambda: _prev1(p1, heads)),
            self._group("p2", p2, lambda: [f"p2={p2}"]),
            self._group("n1", n1.text if n1 else "\0</s>", lambda: _next1(n1, words)),
            self._group("n2", n2, lambda: [f"n2={n2}"]),
        ):
            z0, z1, z2 = z0 + v[0], z1 + v[1], z2 + v[2]
        return z0, z1, z2


def load_tagger() -> UnitTagger | None:
    """The tagger of the active ``units`` artifact, or None (rules only)."""
    return artifact.model(NAME, UnitTagger.from_payload)
