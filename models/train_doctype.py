"""Train the document-type model of ``vanban.models.doctype`` (needs scikit-learn).

Called by ``python -m models.train doctype``. Each training document is reduced to its BODY: the
header found by ``vanban.extractor.header`` (motto, number, date, type line, summary) is cut off,
so the model has to recognise a type by what the body says, never by reading "KẾ HOẠCH" in the
header. Labels are the types SOURCES.md gives the real documents ("Nghị quyết HĐND" → "Nghị
quyết") and "Kế hoạch" for the seed plans.

The threshold below which the model keeps quiet is chosen on leave-one-out predictions over the
training documents only; the held-out bodies are scored once, at the end, against the rules.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.models import artifact
from vanban.models.dataset import TrainingDoc
from vanban.models.doctype import Cues, DocTypeModel, features, fold_body, self_naming

CUES = Path(__file__).resolve().parent / "data" / "doctype_cues.yaml"
VERSION = 2
C = 10.0  # inverse regularisation; 1-100 give the same leave-one-out accuracy within one document
ROUND = 6


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    label: str
    body: str


# --------------------------------------------------------------------------- data


def canonical_type(written: str, names: Sequence[str]) -> str:
    """"Nghị quyết HĐND" → "Nghị quyết", "Thông báo kết luận (Đảng)" → "Thông báo"."""
    from vanban.extractor import layout as lay

    key = lay.fold_key(written)
    for name in sorted(names, key=len, reverse=True):
        if key.startswith(lay.fold_key(name)):
            return name
    raise ValueError(f"unknown document type in SOURCES.md: {written!r}")


def type_names() -> list[str]:
    from vanban.extractor.citations import doctypes

    return [t.name for t in doctypes() if not t.generic]


def body_of(doc: TrainingDoc) -> str:
    """The document without its header, as a headerless copy would read."""
    from vanban.extractor.header import body_start

    from vanban.api import ingest

    ing = ingest(doc.path)
    return ing.text[body_start(ing) :]


def samples(docs: Sequence[TrainingDoc]) -> list[Sample]:
    names = type_names()
    return [Sample(d.id, canonical_type(d.written_type, names), body_of(d)) for d in docs]


def load_cues(types: Sequence[str]) -> tuple[dict[str, Any], Cues]:
    import yaml

    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))
    spec = {"self_reference": {k: data["self_reference"][k] for k in ("this", "closing")},
            "genre": [{"name": g["name"], "pattern": g["pattern"]} for g in data["genre"]]}
    return spec, Cues.from_dict(spec, list(types))


@contextmanager
def rules_only() -> Iterator[None]:
    """Run the extractor on its rules alone (no shipped model of any kind), so that the rule
    baseline neither depends on the artifacts being retrained nor changes when they do."""
    before = os.environ.get("VANBAN_MODELS_DIR")
    with tempfile.TemporaryDirectory(prefix="vanban-no-models-") as empty:
        os.environ["VANBAN_MODELS_DIR"] = empty
        artifact.load.cache_clear()
        try:
            yield
        finally:
            if before is None:
                del os.environ["VANBAN_MODELS_DIR"]
            else:
                os.environ["VANBAN_MODELS_DIR"] = before
            artifact.load.cache_clear()


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True, slots=True)
class Fitted:
    classes: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    def proba(self, x: list[float]) -> dict[str, float]:
        z = [b + sum(w * v for w, v in zip(row, x, strict=True)) for row, b in zip(self.coef, self.intercept, strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return {c: v / sum(e) for c, v in zip(self.classes, e, strict=True)}


def fit(X: list[list[float]], y: list[str]) -> Fitted:
    """Multinomial logistic regression; a single class (the tiny CI sample) gives a constant model."""
    classes = sorted(set(y))
    if len(classes) == 1:
        return Fitted((classes[0],), ((0.0,) * len(X[0]),), (0.0,))
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, max_iter=5000).fit(X, y)
    coef = [list(r) for r in m.coef_]
    icpt = list(m.intercept_)
    if len(classes) == 2:  # sklearn keeps one row for two classes: spell out both
        coef = [[-w for w in coef[0]], coef[0]]
        icpt = [-icpt[0], icpt[0]]
    return Fitted(tuple(str(c) for c in m.classes_),
                  tuple(tuple(round(float(w), ROUND) for w in r) for r in coef),
                  tuple(round(float(b), ROUND) for b in icpt))


def leave_one_out(X: list[list[float]], y: list[str]) -> list[tuple[str, float]]:
    """(predicted type, probability) for each training body by a model fitted on all the others."""
    out = []
    for i in range(len(y)):
        keep = [j for j in range(len(y)) if j != i]
        if not keep:
            out.append(("", 0.0))
            continue
        p = fit([X[j] for j in keep], [y[j] for j in keep]).proba(X[i])
        best = max(sorted(p), key=p.__getitem__)
        out.append((best, p[best]))
    return out


def combined(loo: list[tuple[str, float]], named: list[str | None], t: float) -> list[str | None]:
    """What ``DocTypeModel.infer`` answers: the self-named type, else the model at or above t."""
    return [n if n is not None else (p if q >= t else None) for n, (p, q) in zip(named, loo, strict=True)]


def choose_threshold(loo: list[tuple[str, float]], named: list[str | None], labels: list[str],
                     lowest: float = 0.30) -> tuple[float, float]:
    """(threshold, target): the lowest model probability (from ``lowest`` up, in steps of 0.05) at
    which the model's own answers, on the training bodies the rules leave unanswered (``named`` is
    None), are at least as precise as the rules are on the bodies they answer (the target); 0.99
    (practically silent) when none is. Shared by the doctype and family trainers."""
    ruled = [(n, y) for n, y in zip(named, labels, strict=True) if n is not None]
    target = sum(n == y for n, y in ruled) / len(ruled) if ruled else 1.0
    rest = [(p, q, y) for n, (p, q), y in zip(named, loo, labels, strict=True) if n is None]
    for t in [x / 100 for x in range(round(lowest * 100), 100, 5)]:
        chosen = [p == y for p, q, y in rest if q >= t]
        if chosen and sum(chosen) / len(chosen) >= target:
            return t, round(target, 3)
    return 0.99, round(target, 3)


# --------------------------------------------------------------------------- scoring


def answer_scores(pred: Sequence[str | None], gold: Sequence[str]) -> dict[str, Any]:
    """accuracy over all documents (no answer counts as a miss), answered, precision of answers."""
    sel = [(p, g) for p, g in zip(pred, gold, strict=True) if p is not None]
    ok = sum(p == g for p, g in sel)
    return {"documents": len(gold), "accuracy": round(ok / len(gold), 3) if gold else None,
            "answered": len(sel), "correct": ok, "wrong": len(sel) - ok,
            "precision": round(ok / len(sel), 3) if sel else None}


def header_rule_types(items: Sequence[Sample]) -> list[str | None]:
    """What vanban's header rules alone say about the type of each body on its own."""
    from vanban.extractor.header import find_header

    from vanban.api import ingest

    with rules_only():
        heads = [find_header(ingest(s.body.encode("utf-8"), name=f"{s.id}.txt")) for s in items]
    return [None if "type" in h.inferred else h.type for h in heads]


def train(train_docs: list[TrainingDoc], heldout_docs: list[TrainingDoc], *, tiny: bool) -> dict[str, Any]:
    tr = samples(train_docs)
    ho = samples(heldout_docs)
    y = [s.label for s in tr]
    types = sorted(set(y))
    spec, cues = load_cues(types)
    X = [features(fold_body(s.body), cues) for s in tr]
    named = [self_naming(fold_body(s.body)) for s in tr]
    loo = leave_one_out(X, y)
    threshold, target = choose_threshold(loo, named, y)
    m = fit(X, y)
    payload = {
        "model": "multinomial logistic regression (scikit-learn), applied by vanban.models.doctype",
        "features": cues.names(),
        "cue_types": types,
        "cues": spec,
        "classes": list(m.classes),
        "coef": [list(r) for r in m.coef],
        "intercept": list(m.intercept),
        "threshold": threshold,
        "C": C,
    }
    model = DocTypeModel.from_dict(payload)

    # Held-out: the header rules on each body, then the self-naming rule (what extraction does
    # without the model); the model alone; and what extraction ships with it (header rules, else
    # the model's infer: self-named or the model sure enough).
    gold = [s.label for s in ho]
    header = header_rule_types(ho)
    keyword = [self_naming(fold_body(s.body)) if len(s.body.strip()) >= 200 else None for s in ho]
    rules = [h if h is not None else k for h, k in zip(header, keyword, strict=True)]
    alone = [model.predict(s.body)[0] for s in ho]
    inferred = [model.infer(s.body) if len(s.body.strip()) >= 200 else None for s in ho]
    shipped = [h if h is not None else (g[0] if g else None) for h, g in zip(header, inferred, strict=True)]
    majority = Counter(y).most_common(1)[0][0]
    held = {
        "rules": answer_scores(rules, gold),
        "model": answer_scores(alone, gold),
        "shipped": answer_scores(shipped, gold),
        "majority": {**answer_scores([majority] * len(gold), gold), "type": majority},
    }
    r, s = held["rules"], held["shipped"]
    in_use = s["correct"] > r["correct"] and (s["precision"] or 0) >= (r["precision"] or 0)
    decision = (
        f"held-out bodies: shipped {s['correct']}/{s['documents']} right at precision {s['precision']} against the "
        f"rules' {r['correct']}/{r['documents']} at {r['precision']}; used only when it answers more bodies "
        f"correctly without lower precision"
        + (" - it does" if in_use else " - it does not, so the rules decide alone")
    )
    train_loo = [p for p, _ in loo]
    return {
        "version": VERSION,
        "description": "The type of a document whose header names none, from its body (self-naming, "
                       "genre formulas), multinomial logistic regression applied in plain Python.",
        "payload": payload,
        "scores": {
            "heldout": held,
            "heldout_errors": sorted(
                f"{d.id}: {g} -> shipped {p}" for d, g, p in zip(ho, gold, shipped, strict=True) if p is not None and p != g
            ),
            "train_loo": {
                "model": answer_scores(train_loo, y),
                "shipped": answer_scores(combined(loo, named, threshold), y),
                "threshold": threshold,
                "target_precision": target,
            },
            "classes_trained": dict(sorted(Counter(y).items())),
        },
        "in_use": in_use,
        "decision": decision,
        "examples": len(tr),
        "files": [CUES],
    }


# --------------------------------------------------------------------------- benchmarks only


def tfidf_loo(items: Sequence[Sample]) -> list[str]:
    """A heavier alternative, for bench/models_eval.py: TF-IDF character 2-5-grams of the folded
    first 1,500 characters, LinearSVC, leave-one-out."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    texts = [fold_body(s.body)[:1500] for s in items]
    y = [s.label for s in items]
    out = []
    for i in range(len(items)):
        keep = [j for j in range(len(items)) if j != i]
        pipe = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2), LinearSVC()
        )
        pipe.fit([texts[j] for j in keep], [y[j] for j in keep])
        out.append(str(pipe.predict([texts[i]])[0]))
    return out
