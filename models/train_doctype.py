"""Train (and evaluate) the document-type model of ``vanban.models.doctype``. Needs scikit-learn.

Training data: every real document of shared/corpus/real (its type from SOURCES.md) and the seed
plans, each reduced to its BODY: the header found by ``vanban.extractor.header`` (motto, number,
date, type line, summary) is cut off, so the model has to recognise a type by what the body says,
never by reading "KẾ HOẠCH" in the header.

    .venv/bin/python -m vanban.models.train_doctype            # retrain, write models/data/doctype.json
    .venv/bin/python -m vanban.models.train_doctype --eval     # leave-one-out numbers and baselines

(run from outside the checkout, or with the console environment; see tests/conftest.py)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.models.doctype import DATA, MODEL, Cues, features, fold_body, self_named

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CUES = DATA / "doctype_cues.yaml"
C = 10.0  # inverse regularisation; 1-100 give the same leave-one-out accuracy within one document
TARGET_PRECISION = 0.92  # about the precision of self-naming alone (56 of 60)


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    label: str
    body: str


def canonical_type(written: str, names: list[str]) -> str:
    """"Nghị quyết HĐND" → "Nghị quyết", "Thông báo kết luận (Đảng)" → "Thông báo"."""
    from vanban.extractor import layout as lay

    key = lay.fold_key(written)
    for name in sorted(names, key=len, reverse=True):
        if key.startswith(lay.fold_key(name)):
            return name
    raise ValueError(f"unknown document type in SOURCES.md: {written!r}")


def _type_names() -> list[str]:
    from vanban.extractor.citations import doctypes

    return [t.name for t in doctypes() if not t.generic]


def load_corpus(corpus: Path = CORPUS) -> list[Sample]:
    """Bodies of the real documents and the seeds, with their types."""
    from vanban.extractor.header import body_start, find_header

    from vanban.api import ingest

    names = _type_names()
    real = corpus / "real"
    written: dict[str, str] = {}
    for line in (real / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            written[m.group(1)] = m.group(2)
    out: list[Sample] = []
    paths = sorted(real.glob("*.txt")) + sorted((corpus / "seeds").glob("*.txt"))
    for path in paths:
        doc = ingest(path)
        key = path.stem[:3]
        if path.parent == real:
            label = canonical_type(written[key], names)
        else:
            # The seeds are plans with a full header; the header rules read its type.
            label = find_header(doc).type or ""
            key = f"seed{key}"
        if label:
            out.append(Sample(key, label, doc.text[body_start(doc) :]))
    return out


def load_cues(types: list[str]) -> tuple[dict[str, Any], Cues]:
    import yaml

    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))
    spec = {"self_reference": {k: data["self_reference"][k] for k in ("this", "closing")},
            "genre": [{"name": g["name"], "pattern": g["pattern"]} for g in data["genre"]]}
    return spec, Cues.from_dict(spec, types)


def _matrix(samples: list[Sample], cues: Cues) -> list[list[float]]:
    return [features(fold_body(s.body), cues) for s in samples]


def _fit(X: list[list[float]], y: list[str]) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000).fit(X, y)


def leave_one_out(samples: list[Sample], X: list[list[float]]) -> list[tuple[str, float]]:
    """(predicted type, probability) for each sample by a model trained on all the others."""
    y = [s.label for s in samples]
    out = []
    for i in range(len(samples)):
        keep = [j for j in range(len(samples)) if j != i]
        m = _fit([X[j] for j in keep], [y[j] for j in keep])
        p = m.predict_proba([X[i]])[0]
        k = max(range(len(p)), key=lambda j: p[j])
        out.append((str(m.classes_[k]), float(p[k])))
    return out


def combined(loo: list[tuple[str, float]], named: list[str | None], t: float) -> list[str | None]:
    """What ``DocTypeModel.infer`` answers: the self-named type, else the model at or above t."""
    return [n if n is not None else (p if q >= t else None) for n, (p, q) in zip(named, loo, strict=True)]


def choose_threshold(loo: list[tuple[str, float]], named: list[str | None], labels: list[str]) -> float:
    """The lowest model probability at which the combined answers keep TARGET_PRECISION."""
    for t in [x / 100 for x in range(30, 100, 5)]:
        chosen = [(p, y) for p, y in zip(combined(loo, named, t), labels, strict=True) if p is not None]
        if chosen and sum(p == y for p, y in chosen) / len(chosen) >= TARGET_PRECISION:
            return t
    return 0.99


def train(samples: list[Sample], *, threshold: float | None = None) -> dict[str, Any]:
    """The JSON of a model trained on ``samples`` (the leave-one-out threshold when not given)."""
    types = sorted({s.label for s in samples})
    spec, cues = load_cues(types)
    X = _matrix(samples, cues)
    y = [s.label for s in samples]
    if threshold is None:
        threshold = choose_threshold(leave_one_out(samples, X), [self_named(x, cues) for x in X], y)
    m = _fit(X, y)
    return {
        "model": "multinomial logistic regression (scikit-learn), applied by vanban.models.doctype",
        "features": cues.names(),
        "cue_types": types,
        "cues": spec,
        "classes": [str(c) for c in m.classes_],
        "coef": [[round(float(w), 8) for w in row] for row in m.coef_],
        "intercept": [round(float(b), 8) for b in m.intercept_],
        "threshold": threshold,
        "C": C,
        "trained_on": dict(sorted(Counter(y).items())),
    }


# --------------------------------------------------------------------------- evaluation


def keyword_rule(body: str, types: list[str]) -> str | None:
    """Baseline: the type the body names most often as "<type> này" / "Trên đây là <type>"."""
    from vanban.extractor import layout as lay

    folded = fold_body(body)
    score = Counter[str]()
    for t in types:
        k = lay.fold_key(t)
        score[t] += len(re.findall(rf"(?<!\w){k} nay(?!\w)", folded))
        score[t] += 3 * len(re.findall(rf"tren day la {k}(?!\w)", folded))
    best, n = score.most_common(1)[0]
    return best if n else None


def header_rules(samples: list[Sample]) -> list[str | None]:
    """What vanban's header rules say about the type of each body on its own (the model's own
    guesses, marked inferred, left out)."""
    from vanban.extractor.header import find_header

    from vanban.api import ingest

    heads = [find_header(ingest(s.body.encode("utf-8"), name=f"{s.id}.txt")) for s in samples]
    return [None if "type" in h.inferred else h.type for h in heads]


def tfidf_loo(samples: list[Sample]) -> list[str]:
    """Baseline: TF-IDF over character 2-5-grams of the folded first 1,500 characters, LinearSVC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    texts = [fold_body(s.body)[:1500] for s in samples]
    y = [s.label for s in samples]
    out = []
    for i in range(len(samples)):
        keep = [j for j in range(len(samples)) if j != i]
        pipe = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2), LinearSVC()
        )
        pipe.fit([texts[j] for j in keep], [y[j] for j in keep])
        out.append(str(pipe.predict([texts[i]])[0]))
    return out


def evaluate(samples: list[Sample]) -> dict[str, Any]:
    types = sorted({s.label for s in samples})
    _, cues = load_cues(types)
    y = [s.label for s in samples]
    n = len(y)
    X = _matrix(samples, cues)
    loo = leave_one_out(samples, X)
    named = [self_named(x, cues) for x in X]
    t = choose_threshold(loo, named, y)
    kw = [keyword_rule(s.body, types) for s in samples]
    majority = Counter(y).most_common(1)[0]
    hr = header_rules(samples)
    started = time.perf_counter()
    tf = tfidf_loo(samples)
    tf_time = time.perf_counter() - started

    def counts(answers: list[str | None], th: float) -> dict[str, Any]:
        sel = [(p, g) for p, g in zip(answers, y, strict=True) if p is not None]
        ok = sum(p == g for p, g in sel)
        return {"threshold": th, "answered": len(sel), "correct": ok, "wrong": len(sel) - ok,
                "precision": round(ok / len(sel), 3) if sel else None}

    def prec_at(th: float) -> dict[str, Any]:
        return counts([p if q >= th else None for p, q in loo], th)

    kw_ok = sum(p == g for p, g in zip(kw, y, strict=True))
    kw_answered = sum(p is not None for p in kw)
    return {
        "documents": n,
        "classes": dict(sorted(Counter(y).items())),
        "majority_baseline": {"type": majority[0], "accuracy": round(majority[1] / n, 3)},
        "header_rules_on_body": {"correct": sum(p == g for p, g in zip(hr, y, strict=True)),
                                 "wrong": sum(p is not None and p != g for p, g in zip(hr, y, strict=True)),
                                 "none": sum(p is None for p in hr)},
        "keyword_rule": {"answered": kw_answered, "correct": kw_ok,
                         "precision": round(kw_ok / kw_answered, 3),
                         "accuracy_with_majority_fallback": round(
                             (kw_ok + sum(p is None and g == majority[0] for p, g in zip(kw, y, strict=True))) / n, 3)},
        "tfidf_char_svc_loo": {"accuracy": round(sum(p == g for p, g in zip(tf, y, strict=True)) / n, 3),
                               "seconds": round(tf_time, 1)},
        "model_loo": {"accuracy": round(sum(p == g for (p, _), g in zip(loo, y, strict=True)) / n, 3),
                      "at_threshold": prec_at(t),
                      "curve": [prec_at(x) for x in (0.5, 0.6, 0.7, 0.8, 0.9)]},
        "shipped_combination": {
            "at_threshold": counts(combined(loo, named, t), t),
            "curve": [counts(combined(loo, named, x), x) for x in (0.5, 0.6, 0.7, 0.8, 0.9)],
        },
        "model_errors": [f"{s.id}: {g} -> {p} ({q:.2f})" for s, (p, q), g in zip(samples, loo, y, strict=True) if p != g],
        "per_class_loo": {
            c: f"{sum(1 for (p, _), g in zip(loo, y, strict=True) if g == c and p == c)}/{y.count(c)}" for c in types
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder with real/ and seeds/")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "data" / MODEL.name)
    ap.add_argument("--eval", action="store_true", help="print leave-one-out numbers instead of training")
    args = ap.parse_args(argv)
    if not (args.corpus / "real" / "SOURCES.md").is_file():
        print(f"vanban: no training corpus at {args.corpus}", file=sys.stderr)
        return 2
    samples = load_corpus(args.corpus)
    if args.eval:
        print(json.dumps(evaluate(samples), ensure_ascii=False, indent=1))
        return 0
    model = train(samples)
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(samples)} documents, threshold {model['threshold']}, "
          f"{sum(math.isfinite(w) for r in model['coef'] for w in r)} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
