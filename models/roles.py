"""The role of a section heading from its title, for titles the vocabulary cannot place.

``vanban.extractor.sections.role_of`` gives a title its role (purpose, content, implementation,
timeline, funding, other) from the phrases of ``extractor/data/headings.yaml``. This module holds
the statistical second opinion: a multinomial logistic regression over binary n-gram features of
the folded title (words, word pairs, the opening and closing words, character n-grams), trained
with scikit-learn by ``models/train_roles.py`` on the rule roles of the training documents' titles
(weak labels) corrected by hand labels (``models/labels/section_roles.yaml``). Its weights live in
``data/roles.json`` and are applied here in plain Python.

It is only a fallback: the rules answer first, and the model may turn a title the rules call
``other`` into a role when its probability reaches the threshold chosen by cross-validation on the
training documents (:func:`fallback_role`). When the artifact is missing, unreadable or not in use
(``vanban.models.artifact.active``), the rules answer alone.

Feature values are 1/sqrt(n) for the n distinct features of a title, all of them counted whether
the model knows them or not, so the pruned weight table gives exactly the scores of the full one
up to the pruned weights.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from vanban.models import artifact
from vanban.models.linear import softmax, sparse_scores

NAME = "roles"
ROLES = ("content", "funding", "implementation", "other", "purpose", "timeline")
_WORD = re.compile(r"\w+")
_CHAR_N = (3, 4, 5)
_EDGE = 3  # opening and closing phrases of up to this many words


def fold_title(title: str) -> str:
    """The title the features are read from: folded like ``role_of`` folds it (lower case, no
    diacritics, đ → d), quotes and list marks dropped, only its words kept."""
    from vanban.extractor import layout as lay

    return " ".join(_WORD.findall(lay.fold_key(title)))


def features(title: str) -> dict[str, float]:
    """Binary n-gram features of ``title`` scaled to unit length (training and inference alike)."""
    words = fold_title(title).split()
    keys: set[str] = {f"w:{w}" for w in words}
    keys.update(f"b:{a} {b}" for a, b in pairwise(words))
    for k in range(1, min(_EDGE, len(words)) + 1):
        keys.add(f"f{k}:{' '.join(words[:k])}")  # the opening phrase is where a role is named
        keys.add(f"l{k}:{' '.join(words[-k:])}")  # "… chịu trách nhiệm thi hành Quyết định này"
    for w in words:
        padded = f" {w} "
        for n in _CHAR_N:
            keys.update(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    if not words:
        keys.add("empty")
    value = 1.0 / math.sqrt(len(keys))
    return dict.fromkeys(sorted(keys), value)


@dataclass(frozen=True, slots=True)
class RoleModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # feature → one weight per class
    threshold: float  # a fallback role needs at least this probability

    def probabilities(self, title: str) -> dict[str, float]:
        return softmax(self.classes, sparse_scores(self.intercept, self.weights, features(title).items()))

    def predict(self, title: str) -> tuple[str, float]:
        """The most probable role of ``title`` (the model alone) and its probability."""
        probs = self.probabilities(title)
        best = max(sorted(probs), key=probs.__getitem__)
        return best, probs[best]

    def fallback(self, title: str, rule_role: str) -> str:
        """The rules' role, or the model's best role other than ``other`` when the rules found
        none and the model is sure enough."""
        if rule_role != "other":
            return rule_role
        probs = self.probabilities(title)
        roles = sorted(c for c in probs if c != "other")
        if not roles:
            return rule_role
        best = max(roles, key=probs.__getitem__)
        return best if probs[best] >= self.threshold else rule_role

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> RoleModel:
        classes = tuple(str(c) for c in payload["classes"])
        if not classes or any(c not in ROLES for c in classes):
            raise ValueError(f"unknown classes {classes!r}")
        intercept = tuple(float(b) for b in payload["intercept"])
        weights = {str(k): tuple(float(w) for w in row) for k, row in payload["weights"].items()}
        if len(intercept) != len(classes) or any(len(r) != len(classes) for r in weights.values()):
            raise ValueError("weights do not have one column per class")
        return cls(classes, intercept, weights, float(payload["threshold"]))


def load_model() -> RoleModel | None:
    """The model of the active ``roles`` artifact, or None (rules only; a bad payload warns once)."""
    return artifact.model(NAME, RoleModel.from_payload)


def fallback_role(title: str, rule_role: str) -> str:
    """The role the extractor ships: the rules' role, corrected by the model when it is in use."""
    if rule_role != "other":
        return rule_role
    model = load_model()
    return rule_role if model is None else model.fallback(title, rule_role)
