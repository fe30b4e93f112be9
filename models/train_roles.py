"""Train the section-role model of ``vanban.models.roles`` (needs scikit-learn).

Called by ``python -m models.train roles``. The examples are the heading titles the rule-based
section extractor finds in the TRAINING documents (``vanban.api.extract``), one per distinct title
of a document. Their labels come, in order of precedence, from

1. the gold annotations of the document (``sections[].role``, matched to the extracted top-level
   section by its number) — hand labels;
2. ``models/labels/section_roles.yaml`` — hand labels (a random sample of corpus titles and every
   title of the held-out documents);
3. ``vanban.extractor.sections.role_of`` — weak labels: the rules' own answer.

The model is a multinomial logistic regression over the binary n-gram features of
:func:`vanban.models.roles.features`. The shipped configuration is "rules first, the model only
for titles the rules call other, when its best role reaches a threshold"; the regularisation,
the weight of hand labels and that threshold are chosen by cross-validation over the training
documents (grouped by document), scored on their hand-labelled titles only, since a weak label
is the rules' answer and cannot tell the rules wrong. The held-out documents' hand labels are
read once, at the end, for the scores.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.models.dataset import LABELS, TrainingDoc
from vanban.models.roles import RoleModel, features

VERSION = 1
HAND_LABELS = LABELS / "section_roles.yaml"
ROUND = 4
PRUNE = 0.05  # below this no held-out or cross-validation prediction changes, probabilities move < 0.01
GRID_C = (1.0, 10.0, 100.0)
GRID_HAND_WEIGHT = (1.0, 5.0, 20.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
NEVER = 1.01  # a threshold no probability reaches: the rules alone


@dataclass(frozen=True, slots=True)
class Example:
    doc: str
    title: str
    label: str
    source: str  # "gold" | "hand" | "weak"
    rule: str  # what role_of says


# --------------------------------------------------------------------------- data


def titles_of(doc: TrainingDoc) -> list[tuple[str, str | None, int]]:
    """(title, number, level) of every heading the rules find, blanks collapsed, in text order."""
    from vanban.api import extract

    return [(" ".join(s.title.split()), s.number, s.level)
            for s in extract(doc.path).all_sections() if s.title.strip()]


def hand_labels(path: Path = HAND_LABELS) -> dict[tuple[str, str], str]:
    """(doc, title) → role from the hand-label file (both its lists)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = list(data["titles"]) + list(data.get("heldout_sample", {}).get("titles", []))
    return {(str(e["doc"]), " ".join(str(e["title"]).split())): str(e["role"]) for e in entries}


def gold_labels(doc: TrainingDoc, titles: Sequence[tuple[str, str | None, int]]) -> dict[str, str]:
    """title → role for the gold sections whose number names exactly one extracted top section."""
    if doc.gold is None:
        return {}
    out = {}
    top = [(t, num) for t, num, level in titles if level == 1]
    for g in json.loads(doc.gold.read_text(encoding="utf-8")).get("sections", []):
        hits = [t for t, num in top if num == g.get("number")]
        if len(hits) == 1:
            out[hits[0]] = str(g["role"])
    return out


def examples(docs: Sequence[TrainingDoc], hand: dict[tuple[str, str], str], *,
             labelled_only: bool) -> list[Example]:
    """One example per distinct title of each document (``labelled_only``: hand/gold ones only)."""
    from vanban.extractor.sections import role_of

    out = []
    for doc in docs:
        titles = titles_of(doc)
        gold = gold_labels(doc, titles)
        seen: set[str] = set()
        for title, _, _ in titles:
            if title in seen:
                continue
            seen.add(title)
            rule = role_of(title)
            if title in gold:
                label, source = gold[title], "gold"
            elif (doc.id, title) in hand:
                label, source = hand[(doc.id, title)], "hand"
            elif labelled_only:
                continue
            else:
                label, source = rule, "weak"
            out.append(Example(doc.id, title, label, source, rule))
    return out


# --------------------------------------------------------------------------- model


def fit(train: Sequence[Example], *, c: float, hand_weight: float) -> RoleModel:
    """A logistic regression on ``train``, as the pure-Python model (unpruned, threshold NEVER)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([features(e.title) for e in train])
    y = [e.label for e in train]
    w = [hand_weight if e.source != "weak" else 1.0 for e in train]
    clf = LogisticRegression(C=c, max_iter=5000)
    with threadpool_limits(1):  # BLAS threads on a busy machine make this fit twenty times slower
        clf.fit(x, y, sample_weight=w)
    classes = tuple(str(k) for k in clf.classes_)
    coef = clf.coef_
    if len(classes) == 2:  # sklearn keeps one row for two classes: expand to a softmax pair
        coef = [-coef[0] / 2, coef[0] / 2]
        intercept = [-clf.intercept_[0] / 2, clf.intercept_[0] / 2]
    else:
        intercept = list(clf.intercept_)
    names = vec.get_feature_names_out()
    weights = {str(names[j]): tuple(float(coef[i][j]) for i in range(len(classes))) for j in range(len(names))}
    return RoleModel(classes, tuple(float(b) for b in intercept), weights, NEVER)


def pruned(model: RoleModel, threshold: float) -> RoleModel:
    weights = {k: tuple(round(w, ROUND) for w in row) for k, row in sorted(model.weights.items())
               if max(abs(w) for w in row) >= PRUNE}
    return RoleModel(model.classes, tuple(round(b, ROUND) for b in model.intercept), weights, threshold)


def metrics(truth: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the roles present in the truth, and how ``other`` is confused."""
    n = len(truth)
    f1s = []
    for role in sorted(set(truth)):
        tp = sum(t == p == role for t, p in zip(truth, pred, strict=True))
        fp = sum(p == role != t for t, p in zip(truth, pred, strict=True))
        fn = sum(t == role != p for t, p in zip(truth, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "titles": n,
        "accuracy": round(sum(t == p for t, p in zip(truth, pred, strict=True)) / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "other_called_a_role": sum(t == "other" != p for t, p in zip(truth, pred, strict=True)),
        "role_called_other": sum(p == "other" != t for t, p in zip(truth, pred, strict=True)),
    }


def _folds(docs: Sequence[str], k: int) -> list[set[str]]:
    ids = sorted(set(docs))
    return [set(ids[i::k]) for i in range(min(k, len(ids)))]


def _fallback(probs: dict[str, float], rule: str, threshold: float) -> str:
    """:meth:`RoleModel.fallback` on probabilities already computed."""
    if rule != "other":
        return rule
    roles = sorted(c for c in probs if c != "other")
    best = max(roles, key=probs.__getitem__) if roles else rule
    return best if roles and probs[best] >= threshold else rule


def cross_validate(train: Sequence[Example]) -> dict[str, Any]:
    """Choose C, the hand-label weight and the threshold on folds of whole training documents."""
    folds = _folds([e.doc for e in train], 5)
    results: list[dict[str, Any]] = []
    for c in GRID_C:
        for hw in GRID_HAND_WEIGHT:
            # (truth, rule, probabilities) of every hand-labelled title, predicted by a model that
            # never saw its document
            scored: list[tuple[str, str, dict[str, float]]] = []
            for fold in folds:
                fitted = fit([e for e in train if e.doc not in fold], c=c, hand_weight=hw)
                scored += [(e.label, e.rule, fitted.probabilities(e.title))
                           for e in train if e.doc in fold and e.source != "weak"]
            truth = [t for t, _, _ in scored]
            alone = [max(sorted(p), key=p.__getitem__) for _, _, p in scored]
            for th in (*THRESHOLDS, NEVER):
                pred = [_fallback(p, r, th) for _, r, p in scored]
                results.append({"C": c, "hand_weight": hw, "threshold": th,
                                "shipped": metrics(truth, pred), "model": metrics(truth, alone)})

    # Best combined accuracy; ties go to the rules (higher threshold), then to the simpler model.
    def key(r: dict[str, Any]) -> tuple[float, ...]:
        return (r["shipped"]["accuracy"], r["shipped"]["macro_f1"], r["model"]["macro_f1"], r["threshold"],
                -r["C"], -r["hand_weight"])

    best = max(results, key=key)
    # The best setting where the model does answer, reported to show what the fallback would do.
    forced = max((r for r in results if r["threshold"] < NEVER), key=key)
    return {"folds": len(folds), "best": best, "forced": forced}


def train(train_docs: Sequence[TrainingDoc], heldout_docs: Sequence[TrainingDoc], *, tiny: bool) -> dict[str, Any]:
    hand = hand_labels()
    train_ex = examples(train_docs, hand, labelled_only=False)
    cv = cross_validate(train_ex)
    best = cv["best"]
    full = fit(train_ex, c=best["C"], hand_weight=best["hand_weight"])
    model = pruned(full, best["threshold"])

    held = examples(heldout_docs, hand, labelled_only=True)
    truth = [e.label for e in held]
    rules = [e.rule for e in held]
    alone = [model.predict(e.title)[0] for e in held]
    shipped = [model.fallback(e.title, e.rule) for e in held]
    scores = {"rules": metrics(truth, rules), "model": metrics(truth, alone), "shipped": metrics(truth, shipped)}
    fixes = sum(s == t != r for s, t, r in zip(shipped, truth, rules, strict=True))
    breaks = sum(r == t != s for s, t, r in zip(shipped, truth, rules, strict=True))
    forced_model = fit(train_ex, c=cv["forced"]["C"], hand_weight=cv["forced"]["hand_weight"])
    forced = [_fallback(forced_model.probabilities(e.title), e.rule, cv["forced"]["threshold"]) for e in held]
    train_hand = [e for e in train_ex if e.source != "weak"]
    cv_rules = metrics([e.label for e in train_hand], [e.rule for e in train_hand])

    # The shipped combination must beat the rules on held-out titles without breaking any the
    # rules got right, and it must not change the role of any gold section of the seed plans
    # (the figures of shared/eval/score.py).
    seeds = [d for d in (*train_docs, *heldout_docs) if d.id.startswith("s") and d.gold is not None]
    seed_changes = [(e.doc, e.title) for e in examples(seeds, {}, labelled_only=True)
                    if e.source == "gold" and model.fallback(e.title, e.rule) != e.rule]
    r, s = scores["rules"], scores["shipped"]
    in_use = (s["accuracy"] > r["accuracy"] and s["macro_f1"] >= r["macro_f1"] and breaks == 0
              and not seed_changes)
    if in_use:
        decision = (f"rules first, the model for titles the rules call other at p >= {best['threshold']}: "
                    f"held-out accuracy {r['accuracy']} -> {s['accuracy']}, macro-F1 {r['macro_f1']} -> "
                    f"{s['macro_f1']} ({fixes} fixed, none broken), no seed section changes role")
    else:
        why = ("cross-validation on the training documents found no threshold at which the model helps"
               if best["threshold"] == NEVER else
               f"held-out accuracy {r['accuracy']} -> {s['accuracy']}, macro-F1 {r['macro_f1']} -> "
               f"{s['macro_f1']}, {fixes} fixed, {breaks} broken"
               + (f", {len(seed_changes)} seed sections change role" if seed_changes else ""))
        decision = f"not used, the rules win: {why}"
    counts = Counter(e.source for e in train_ex)
    return {
        "version": VERSION,
        "description": ("Section role of a heading title: logistic regression over word and character n-grams "
                        "of the folded title, a fallback for titles the headings.yaml vocabulary calls other"),
        "payload": {
            "classes": list(model.classes),
            "intercept": list(model.intercept),
            "threshold": model.threshold,
            "weights": {k: list(v) for k, v in model.weights.items()},
        },
        "scores": {
            "heldout": scores,
            "heldout_fixes": fixes,
            "heldout_breaks": breaks,
            "heldout_labels": dict(sorted(Counter(e.source for e in held).items())),
            "heldout_forced_fallback": {
                "C": cv["forced"]["C"], "hand_weight": cv["forced"]["hand_weight"],
                "threshold": cv["forced"]["threshold"], **metrics(truth, forced),
                "fixes": sum(f == t != r for f, t, r in zip(forced, truth, rules, strict=True)),
                "breaks": sum(r == t != f for f, t, r in zip(forced, truth, rules, strict=True)),
            },
            "seed_sections_changed": len(seed_changes),
            "train_examples": dict(sorted(counts.items())),
            "features": {"kept": len(model.weights), "fitted": len(full.weights)},
            "cv": {"folds": cv["folds"], "C": best["C"], "hand_weight": best["hand_weight"],
                   "threshold": best["threshold"], "rules": cv_rules,
                   "shipped": best["shipped"], "model": best["model"],
                   "forced_fallback": {k: cv["forced"][k] for k in ("C", "hand_weight", "threshold", "shipped")}},
        },
        "in_use": in_use,
        "decision": decision,
        "examples": len(train_ex),
        "files": [HAND_LABELS],
    }

