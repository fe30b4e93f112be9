"""The family of a document (party / state) from its body alone, for a copy whose header is gone.

The header rules read the family off the motto or banner, the number's shape and the issuer; a
headerless copy has none of them, and the rules then fall back to an issuer named in the body or
the signing authority, which many bodies lack. The body still speaks its family's language: a
party document addresses "chi bộ", "đảng viên", "cấp ủy" and signs "T/M BAN THƯỜNG VỤ"; a state
one cites laws and decrees and signs "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH". A binary logistic
regression over the folded body's word unigrams and bigrams was trained with scikit-learn
(models/train_family.py); its vocabulary weights live in ``data/family.json`` and are applied
here in plain Python. The model never says ``joint``: no training document is joint, and a joint
document shows both languages.

``infer_family`` answers only when the model's probability reaches the threshold stored with the
weights, and only while the artifact is in use (``vanban.models.artifact.active``); otherwise it
returns None and the family stays what the rules found.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any

from vanban.models import artifact

NAME = "family"
_WORD = re.compile(r"\w+")


def terms(text: str) -> set[str]:
    """The features of a text: the words and word pairs of its folded, markup-free form."""
    from vanban.extractor import layout as lay

    words = _WORD.findall(lay.fold(lay.clean(text)))
    return {*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))}


@dataclass(frozen=True, slots=True)
class FamilyModel:
    positive: str  # the family a positive score stands for ("party")
    negative: str  # ("state")
    weights: dict[str, float]  # term -> weight (terms with negligible weight pruned)
    intercept: float
    threshold: float  # answer only at or above this probability

    def probability(self, text: str) -> tuple[str, float]:
        """The likelier family of ``text`` and its probability."""
        z = self.intercept + sum(self.weights.get(t, 0.0) for t in terms(text))
        p = 1 / (1 + math.exp(-max(-50.0, min(50.0, z))))
        return (self.positive, p) if p >= 0.5 else (self.negative, 1 - p)

    def infer(self, text: str) -> tuple[str, float] | None:
        fam, p = self.probability(text)
        return (fam, p) if p >= self.threshold else None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FamilyModel:
        return cls(
            positive=str(data["classes"][1]),
            negative=str(data["classes"][0]),
            weights={str(k): float(v) for k, v in data["weights"].items()},
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )


def load_model() -> FamilyModel | None:
    """The model of the active ``family`` artifact, or None (rules only)."""
    return artifact.model(NAME, FamilyModel.from_dict)


def infer_family(body: str) -> tuple[str, float] | None:
    """("party" | "state", probability) for a body whose header shows no family, or None."""
    if len(body.strip()) < 200:
        return None  # a few lines say too little about who wrote them
    model = load_model()
    return model.infer(body) if model is not None else None
