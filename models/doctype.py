"""The document type from the body alone, for documents whose header names none.

A headerless copy, a page cut from a longer file or a scan whose type line did not survive OCR
still says what it is in its body: it names itself ("Kế hoạch này", "Trên đây là báo cáo …") and
follows the opening and closing formulas of its type ("Kính gửi", "QUYẾT NGHỊ:", "Điều 1.",
"Trân trọng"). A multinomial logistic regression over those cues was trained with scikit-learn
(models/train_doctype.py) on the bodies of the training documents, headers removed; its weights
live in ``data/doctype.json`` and are applied here in plain Python, so extraction never imports sklearn.

A wrong type is worse than none. ``infer_type`` first takes the type the body names itself most
often (a rule, :func:`self_naming`); for a body that never does, it answers only when the model's
probability reaches the threshold stored with the weights, chosen on leave-one-out predictions
over the training documents (models/train_doctype.py). The weights come from the ``doctype``
artifact (``vanban.models.artifact.active``): when it is missing, unreadable or not in use, the
self-naming rule answers alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from vanban.models import artifact
from vanban.models.linear import softmax

NAME = "doctype"


@dataclass(frozen=True, slots=True)
class Cues:
    """The feature definitions: self-reference patterns per type and genre formulas."""

    types: tuple[str, ...]  # canonical type names, in feature order
    this: str  # pattern with "{type}" for "<type> này"
    closing: str  # pattern with "{type}" for "Trên đây là <type>"
    genre: tuple[tuple[str, str], ...]  # (name, pattern)

    def names(self) -> list[str]:
        out = []
        for t in self.types:
            out += [f"this:{t}", f"closing:{t}"]
        out += [f"genre:{name}" for name, _ in self.genre]
        return [*out, "length"]

    @classmethod
    def from_dict(cls, data: dict[str, Any], types: list[str] | tuple[str, ...]) -> Cues:
        return cls(
            types=tuple(types),
            this=data["self_reference"]["this"],
            closing=data["self_reference"]["closing"],
            genre=tuple((g["name"], g["pattern"]) for g in data["genre"]),
        )


def fold_body(text: str) -> str:
    """The text the cues are matched on: markup removed, folded, blanks collapsed."""
    from vanban.extractor import layout as lay

    return " ".join(lay.fold(lay.clean(text)).split())


@dataclass(frozen=True, slots=True)
class _Compiled:
    this: re.Pattern[str]
    closing: re.Pattern[str]
    keys: dict[str, int]  # folded type name -> index in types
    genre: tuple[re.Pattern[str], ...]


@cache
def _compile(cues: Cues) -> _Compiled:
    from vanban.extractor import layout as lay

    keys = {lay.fold_key(t): i for i, t in enumerate(cues.types)}
    alt = "(" + "|".join(re.escape(k).replace(r"\ ", " ") for k in sorted(keys, key=len, reverse=True)) + ")"
    return _Compiled(
        re.compile(cues.this.replace("{type}", alt)),
        re.compile(cues.closing.replace("{type}", alt)),
        keys,
        tuple(re.compile(p) for _, p in cues.genre),
    )


def features(folded: str, cues: Cues) -> list[float]:
    """The feature vector of a folded body (see ``Cues.names`` for the order)."""
    c = _compile(cues)
    n = len(cues.types)
    this = [0] * n
    closing = [0.0] * n
    for m in c.this.finditer(folded):
        this[c.keys[m.group(1)]] += 1
    for m in c.closing.finditer(folded):
        closing[c.keys[m.group(1)]] = 1.0
    out: list[float] = []
    for i in range(n):
        out += [math.log1p(this[i]), closing[i]]
    out += [math.log1p(sum(1 for _ in rx.finditer(folded))) / 3 for rx in c.genre]
    out.append(math.log(len(folded) + 10) / 10)
    return out


@cache
def _naming() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    from vanban.extractor import layout as lay
    from vanban.extractor.citations import doctypes

    keys = {lay.fold_key(t.name): t.name for t in doctypes() if not t.generic}
    # Longest first, so "Bộ luật này" names a bộ luật and not also a luật.
    alt = "(" + "|".join(re.escape(k).replace(r"\ ", " ") for k in sorted(keys, key=len, reverse=True)) + ")"
    return re.compile(rf"(?<!\w){alt} nay(?!\w)"), re.compile(rf"tren day la {alt}(?!\w)"), keys


def self_naming(folded: str) -> str | None:
    """The rule: the type a folded body names itself most, "<type> này" counting once and the
    closing "Trên đây là <type>" three times, over every type of the citation grammar; None when
    it never names itself. Ties go to the type first in alphabetical order."""
    this, closing, keys = _naming()
    score: dict[str, int] = {}
    for m in this.finditer(folded):
        score[keys[m.group(1)]] = score.get(keys[m.group(1)], 0) + 1
    for m in closing.finditer(folded):
        score[keys[m.group(1)]] = score.get(keys[m.group(1)], 0) + 3
    return max(sorted(score), key=score.__getitem__) if score else None


@dataclass(frozen=True, slots=True)
class DocTypeModel:
    cues: Cues
    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class
    intercept: tuple[float, ...]
    threshold: float  # answer only at or above this probability

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability of each type for the body ``text`` (header not included)."""
        return self.probabilities_of(features(fold_body(text), self.cues))

    def probabilities_of(self, x: list[float]) -> dict[str, float]:
        z = [b + sum(w * v for w, v in zip(row, x, strict=True)) for row, b in zip(self.coef, self.intercept, strict=True)]
        return softmax(self.classes, z)

    def predict(self, text: str) -> tuple[str, float]:
        probs = self.probabilities(text)
        best = max(sorted(probs), key=probs.__getitem__)
        return best, probs[best]

    def infer(self, text: str) -> tuple[str, float] | None:
        """The type the body names itself (the rule), else the model's guess when it is sure enough."""
        folded = fold_body(text)
        probs = self.probabilities_of(features(folded, self.cues))
        named = self_naming(folded)
        if named is not None:
            return named, probs.get(named, 1.0)
        best = max(sorted(probs), key=probs.__getitem__)
        return (best, probs[best]) if probs[best] >= self.threshold else None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocTypeModel:
        return cls(
            cues=Cues.from_dict(data["cues"], data["cue_types"]),
            classes=tuple(data["classes"]),
            coef=tuple(tuple(r) for r in data["coef"]),
            intercept=tuple(data["intercept"]),
            threshold=float(data["threshold"]),
        )


def load_model() -> DocTypeModel | None:
    """The model of the active ``doctype`` artifact, or None (rules only)."""
    return artifact.model(NAME, DocTypeModel.from_dict)


def infer_type(body: str) -> tuple[str, float] | None:
    """(type, probability) for a body whose header names no type, or None when unsure.

    Without a model in use only the self-naming rule answers (probability 1.0). Never raises for a missing or unreadable model file: extraction goes on without the guess.
    """
    if len(body.strip()) < 200:
        return None  # too little text to tell a type by its formulas
    model = load_model()
    if model is not None:
        return model.infer(body)
    named = self_naming(fold_body(body))  # the rule alone: a certain answer or none
    return (named, 1.0) if named is not None else None
