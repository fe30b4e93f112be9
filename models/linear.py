"""Applying a trained linear classifier in plain Python: what scikit-learn's ``predict_proba``
computes, from the weights an artifact stores, without importing scikit-learn."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def sparse_scores(intercept: Sequence[float], weights: Mapping[str, Sequence[float]],
                  features: Iterable[tuple[str, float]]) -> list[float]:
    """One score per class: the intercept plus each known feature's weights times its value
    (a feature training pruned away, or never saw, adds nothing)."""
    z = list(intercept)
    for name, value in features:
        row = weights.get(name)
        if row is not None:
            for i, w in enumerate(row):
                z[i] += w * value
    return z


def softmax(classes: Sequence[str], z: Sequence[float]) -> dict[str, float]:
    """The probability of each class from its score (multinomial logistic regression)."""
    top = max(z)  # shifted so that exp() cannot overflow
    e = [math.exp(v - top) for v in z]
    s = sum(e)
    return {c: v / s for c, v in zip(classes, e, strict=True)}
