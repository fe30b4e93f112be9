"""Train the family model of ``vanban.models.family`` (needs scikit-learn).

Called by ``python -m models.train family``. Examples are the BODIES of the training documents
(header cut off as for the document-type model), labelled with the family of the whole document:
the hand-made gold's ``document.family`` where there is one, else what the header rules say on
the full document (a weak label from a high-precision rule), both overridden by the hand-checked
``models/labels/family.yaml``. Documents labelled ``joint`` or ``unknown`` are not fitted on.

The threshold is chosen on leave-one-out predictions over the training bodies (the vocabulary is
rebuilt inside each fold); the held-out bodies are scored once, against the rules run on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.models.dataset import LABELS, TrainingDoc
from vanban.models.family import FamilyModel, terms
from vanban.models.train_doctype import answer_scores, body_of, choose_threshold, rules_only

LABEL_FILE = LABELS / "family.yaml"
VERSION = 1
C_GRID = (1.0, 10.0, 100.0)  # inverse regularisation tried, chosen by leave-one-out on training bodies
MIN_DF = 3  # a term must occur in three training bodies: no single document's names
PRUNE = 0.01  # weights smaller than this are dropped (they move no decision; keeps the file small)
ROUND = 6
CLASSES = ("state", "party")  # negative, positive


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    label: str
    body: str


def labels(docs: Sequence[TrainingDoc]) -> dict[str, str]:
    """The family of each document: hand correction, else gold, else the header rules."""
    import json

    import yaml
    from vanban.extractor.header import find_header

    from vanban.api import ingest

    hand = yaml.safe_load(LABEL_FILE.read_text(encoding="utf-8"))
    fixed = {str(k): str(v["family"]) for part in ("corrections", "checked") for k, v in (hand.get(part) or {}).items()}
    out = {}
    with rules_only():
        for d in docs:
            gold = json.loads(d.gold.read_text(encoding="utf-8"))["document"].get("family") if d.gold else None
            out[d.id] = fixed.get(d.id) or gold or find_header(ingest(d.path)).family
    return out


def samples(docs: Sequence[TrainingDoc]) -> list[Sample]:
    lab = labels(docs)
    return [Sample(d.id, lab[d.id], body_of(d)) for d in docs]


def rule_families(items: Sequence[Sample]) -> list[str | None]:
    """What the extractor's rules say about each body's family on its own (None for unknown)."""
    from vanban.extractor.header import find_header

    from vanban.api import ingest

    with rules_only():
        fams = [find_header(ingest(s.body.encode("utf-8"), name=f"{s.id}.txt")).family for s in items]
    return [None if f == "unknown" else f for f in fams]


@dataclass(frozen=True, slots=True)
class Fitted:
    weights: dict[str, float]
    intercept: float

    def model(self, threshold: float) -> FamilyModel:
        return FamilyModel(CLASSES[1], CLASSES[0], self.weights, self.intercept, threshold)


def fit(term_sets: list[set[str]], y: list[str], c: float) -> Fitted:
    """L2 logistic regression, classes balanced (party bodies are few); one class → constant."""
    classes = set(y)
    if len(classes) == 1:
        return Fitted({}, 20.0 if classes == {CLASSES[1]} else -20.0)
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    df = Counter(t for ts in term_sets for t in ts)
    vocab = sorted(t for t, n in df.items() if n >= MIN_DF)
    index = {t: i for i, t in enumerate(vocab)}
    rows, cols = [], []
    for r, ts in enumerate(term_sets):
        for col in sorted(index[t] for t in ts if t in index):
            rows.append(r)
            cols.append(col)
    X = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(term_sets), len(vocab)))
    m = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=0)
    m.fit(X, [int(v == CLASSES[1]) for v in y])
    weights = {t: round(float(w), ROUND) for t, w in zip(vocab, m.coef_[0], strict=True) if abs(w) >= PRUNE}
    return Fitted(weights, round(float(m.intercept_[0]), ROUND))


def train(train_docs: list[TrainingDoc], heldout_docs: list[TrainingDoc], *, tiny: bool) -> dict[str, Any]:
    tr = [s for s in samples(train_docs) if s.label in CLASSES]
    ho = samples(heldout_docs)
    ts = [terms(s.body) for s in tr]
    y = [s.label for s in tr]
    ruled_train = rule_families(tr)
    tried = {}
    for c in C_GRID:
        loo = []
        for i in range(len(tr)):
            keep = [j for j in range(len(tr)) if j != i]
            fitted_i = fit([ts[j] for j in keep], [y[j] for j in keep], c) if keep else Fitted({}, 0.0)
            loo.append(fitted_i.model(0.0).probability(tr[i].body))
        t, target = choose_threshold(loo, ruled_train, y, lowest=0.50)
        ship = [rf if rf is not None else (p if q >= t else None) for rf, (p, q) in zip(ruled_train, loo, strict=True)]
        alone_ok = sum(p == g for (p, _), g in zip(loo, y, strict=True))
        tried[c] = (answer_scores(ship, y), loo, t, target, alone_ok)
    # The C whose rules-then-model answers are right most often (then fewest wrong, then the model
    # alone right most often - it tells party from state at all - then the smallest C).
    c_best = max(C_GRID, key=lambda c: (tried[c][0]["correct"] - tried[c][0]["wrong"], -tried[c][0]["wrong"],
                                        tried[c][4], -c))
    _, loo, threshold, target, _ = tried[c_best]
    fitted = fit(ts, y, c_best)
    model = fitted.model(threshold)
    payload = {
        "model": "binary logistic regression (scikit-learn) over folded word uni- and bigrams, "
                 "applied by vanban.models.family",
        "classes": list(CLASSES),
        "weights": dict(sorted(fitted.weights.items())),
        "intercept": fitted.intercept,
        "threshold": threshold,
        "C": c_best,
        "min_df": MIN_DF,
    }

    # Held-out: the rules on each body; the model alone; the rules, else the sure model.
    gold = [s.label for s in ho]
    rules = rule_families(ho)
    alone = [model.probability(s.body)[0] for s in ho]
    guess = [model.infer(s.body) if len(s.body.strip()) >= 200 else None for s in ho]
    shipped = [r if r is not None else (g[0] if g else None) for r, g in zip(rules, guess, strict=True)]
    majority = Counter(y).most_common(1)[0][0] if y else CLASSES[0]
    held = {
        "rules": answer_scores(rules, gold),
        "model": answer_scores(alone, gold),
        "shipped": answer_scores(shipped, gold),
        # A floor, not a candidate: the rules, else the commonest training family for every body
        # they leave (it would call every party body the rules miss "state").
        "rules_then_majority": {**answer_scores([r if r is not None else majority for r in rules], gold),
                                "family": majority},
    }
    r, s = held["rules"], held["shipped"]
    in_use = s["correct"] > r["correct"] and (s["precision"] or 0) >= (r["precision"] or 0)
    decision = (
        f"held-out bodies: rules then model {s['correct']}/{s['documents']} right at precision {s['precision']} "
        f"against the rules' {r['correct']}/{r['documents']} at {r['precision']}; used only when it answers more "
        f"bodies correctly without lower precision" + (" - it does" if in_use else " - it does not, so the rules decide alone")
    )
    strongest = sorted(fitted.weights.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:12]
    return {
        "version": VERSION,
        "description": "The family (party/state) of a document whose header shows none, from its body's "
                       "words, binary logistic regression applied in plain Python.",
        "payload": payload,
        "scores": {
            "heldout": held,
            "heldout_labels": dict(sorted(Counter(gold).items())),
            "heldout_errors": sorted(
                f"{d.id}: {g} -> shipped {p}" for d, g, p in zip(ho, gold, shipped, strict=True) if p is not None and p != g
            ),
            "train_loo": {
                "rules": answer_scores(ruled_train, y),
                "model": answer_scores([p for p, _ in loo], y),
                "shipped": answer_scores(
                    [rf if rf is not None else (p if q >= threshold else None) for rf, (p, q) in zip(ruled_train, loo, strict=True)], y),
                "threshold": threshold,
                "target_precision": target,
                "C": c_best,
                "by_C": {str(c): tried[c][0] for c in C_GRID},
            },
            "classes_trained": dict(sorted(Counter(y).items())),
            "strongest_terms": {t: w for t, w in strongest},
        },
        "in_use": in_use,
        "decision": decision,
        "examples": len(tr),
        "files": [Path(LABEL_FILE)],
    }
