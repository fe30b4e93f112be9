#!/usr/bin/env python3
"""Do statistical models beat vanban's rules? Measures the three candidates of models/.

1. doctype   the type of a body whose header names none (vanban.models.doctype): the trainer's
             held-out scores (rules / model / shipped) and latency, plus TF-IDF character n-grams +
             LinearSVC and (--spacy) a spaCy bag-of-words classifier cross-validated on the
             training bodies. `family` does the same for vanban.models.family.
2. roles     a fallback for section titles the headings.yaml vocabulary calls "other": a character
             n-gram logistic regression trained on the vocabulary's own labels of all corpus titles
             (the gold titles left out), scored on models/labels/section_roles.yaml.
3. headings  a line classifier (numbering style, length, case, emphasis, final mark, next line)
             trained on the rule-based headings with documents grouped in 5 folds; prints the lines
             it adds so they can be judged by hand.

Run from the project root:  .venv/bin/python bench/models_eval.py [--spacy] [--show 40]
Needs scikit-learn and shared/corpus beside the checkout.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "models" / "labels" / "section_roles.yaml"


def _corpus_files() -> list[Path]:
    return sorted((CORPUS / "real").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt"))


# --------------------------------------------------------------------------- 1. doctype


def doctype(use_spacy: bool) -> dict[str, Any]:
    """The doctype trainer's own held-out scores, inference latency, and heavier alternatives
    cross-validated (leave-one-out / 5-fold) on the TRAINING bodies only."""
    from vanban.models import dataset
    from vanban.models.doctype import fold_body, infer_type
    from vanban.models.train_doctype import samples, tfidf_loo, train

    train_docs, heldout = dataset.split(dataset.documents())
    started = time.perf_counter()
    out: dict[str, Any] = {"trained": train(train_docs, heldout, tiny=False)}
    out["trained"].pop("payload")
    out["trained"].pop("files")
    out["training_seconds"] = round(time.perf_counter() - started, 1)
    items = samples(train_docs) + samples(heldout)
    out["latency_ms"] = _latency([s.body for s in items], infer_type)
    tr = samples(train_docs)
    started = time.perf_counter()
    tf = tfidf_loo(tr)
    out["tfidf_char_svc_train_loo"] = {"accuracy": round(sum(p == s.label for p, s in zip(tf, tr, strict=True)) / len(tr), 3),
                                       "seconds": round(time.perf_counter() - started, 1)}
    if use_spacy:
        out["spacy_textcat_bow_5fold_train"] = _spacy_textcat([fold_body(s.body) for s in tr], [s.label for s in tr])
    return out


def family() -> dict[str, Any]:
    """The family trainer's held-out scores and inference latency."""
    from vanban.models import dataset
    from vanban.models.family import infer_family
    from vanban.models.train_doctype import body_of
    from vanban.models.train_family import train

    train_docs, heldout = dataset.split(dataset.documents())
    started = time.perf_counter()
    out: dict[str, Any] = {"trained": train(train_docs, heldout, tiny=False)}
    out["trained"].pop("payload")
    out["trained"].pop("files")
    out["training_seconds"] = round(time.perf_counter() - started, 1)
    out["latency_ms"] = _latency([body_of(d) for d in train_docs + heldout], infer_family)
    return out


def _latency(bodies: list[str], fn: Any) -> dict[str, float]:
    fn(bodies[0])  # the first call loads the artifact
    times = []
    for b in bodies:
        t = time.perf_counter()
        fn(b)
        times.append(time.perf_counter() - t)
    times.sort()
    return {"median": round(times[len(times) // 2] * 1000, 2), "max": round(times[-1] * 1000, 2)}


def _spacy_textcat(texts: list[str], labels: list[str]) -> dict[str, Any]:
    import spacy
    from sklearn.model_selection import KFold
    from spacy.training import Example

    docs = [t[:1500] + " " + t[-1500:] for t in texts]
    classes = sorted(set(labels))
    pred: list[str] = [""] * len(docs)
    started = time.perf_counter()
    for tr, te in KFold(5, shuffle=True, random_state=0).split(docs):
        nlp = spacy.blank("xx")
        tc: Any = nlp.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3",
                                                        "exclusive_classes": True, "ngram_size": 2,
                                                        "no_output_layer": False}})
        for c in classes:
            tc.add_label(c)
        ex = [Example.from_dict(nlp.make_doc(docs[i]), {"cats": {c: float(c == labels[i]) for c in classes}}) for i in tr]
        opt = nlp.initialize(lambda: ex)  # noqa: B023 (called right here)
        random.seed(0)
        for _ in range(20):
            random.shuffle(ex)
            nlp.update(ex, sgd=opt, drop=0.2)
        for i in te:
            cats = nlp(docs[i]).cats
            pred[i] = max(cats, key=cats.__getitem__)
    ok = sum(p == y for p, y in zip(pred, labels, strict=True))
    return {"accuracy": round(ok / len(labels), 3), "seconds": round(time.perf_counter() - started, 1)}


# --------------------------------------------------------------------------- 2. roles


def _all_titles() -> list[tuple[str, str]]:
    from vanban.extractor.sections import find_sections

    from vanban.api import ingest

    out: list[tuple[str, str]] = []
    for path in _corpus_files():
        for top in find_sections(ingest(path)):
            out += [(" ".join(s.title.split()), s.role) for s in top.walk() if s.title.strip()]
    return out


def roles() -> dict[str, Any]:
    import yaml
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from vanban.extractor import layout as lay
    from vanban.extractor.sections import role_of

    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["titles"]
    titles = [g["title"] for g in gold]
    truth = [g["role"] for g in gold]
    rule = [role_of(t) for t in titles]
    held = set(titles)
    train = [(t, r) for t, r in _all_titles() if t not in held]
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, preprocessor=lay.fold_key),
        LogisticRegression(C=10, max_iter=3000),
    ).fit([t for t, _ in train], [r for _, r in train])
    probs = model.predict_proba(titles)
    classes = list(model.classes_)
    n = len(truth)
    res: dict[str, Any] = {
        "gold_titles": n,
        "rule_accuracy": round(sum(a == b for a, b in zip(rule, truth, strict=True)) / n, 3),
        "rule_other_but_gold_has_role": sum(r == "other" and g != "other" for r, g in zip(rule, truth, strict=True)),
        "rule_role_but_gold_other": sum(r != "other" and g == "other" for r, g in zip(rule, truth, strict=True)),
        "fallback": [],
    }
    for th in (0.3, 0.5, 0.7):
        combined = []
        for r, p in zip(rule, probs, strict=True):
            k = max((i for i, c in enumerate(classes) if c != "other"), key=lambda i: p[i])
            combined.append(classes[k] if r == "other" and p[k] >= th else r)
        fixes = sum(c == g != r for c, r, g in zip(combined, rule, truth, strict=True))
        breaks = sum(r == g != c for c, r, g in zip(combined, rule, truth, strict=True))
        res["fallback"].append({"threshold": th, "fixes": fixes, "breaks": breaks,
                                "accuracy": round(sum(c == g for c, g in zip(combined, truth, strict=True)) / n, 3)})
    return res


# --------------------------------------------------------------------------- 3. headings


def headings(show: int) -> dict[str, Any]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from vanban.extractor import layout as lay
    from vanban.extractor.header import body_start, find_header
    from vanban.extractor.sections import _grammar, find_sections

    from vanban.api import ingest

    g = _grammar()
    X: list[dict[str, float]] = []
    y: list[int] = []
    groups: list[str] = []
    info: list[str] = []
    for path in _corpus_files():
        d = ingest(path)
        text = d.text
        starts = {s.start for top in find_sections(d) for s in top.walk()}
        b = body_start(d)
        h = find_header(d)
        ends = [s.start for s in h.signers if s.start > b]
        if h.recipients_span is not None and h.recipients_span.start > b:
            ends.append(h.recipients_span.start)
        e = min(ends) if ends else len(text)
        L = lay.layout(text)
        for li in range(len(L)):
            line = L.line(li)
            if not line.segs or not b <= line.segs[0].start < e or not line.text.strip():
                continue
            t = line.text.strip()
            st = line.segs[0].start
            style = next((s.name for s in g.styles if s.label.match(t)), "none")
            letters = [c for c in t if c.isalpha()]
            blk = d.block_at(st)
            emph = text[line.start : line.end].lstrip().startswith(("#", "**")) or bool(
                blk and (blk.bold or blk.kind == "heading"))
            nxt = L.line(li + 1).text.strip() if li + 1 < len(L) else ""
            first = lay.first_letter(t)
            X.append({f"style={style}": 1.0, "len": math.log1p(len(t)), "words": min(len(t.split()), 40) / 40,
                      "upper": sum(c.isupper() for c in letters) / max(1, len(letters)),
                      "caps": float(lay.is_caps(t)), f"end={t[-1] if t[-1] in '.:;,!?' else 'x'}": 1.0,
                      "emph": float(emph), "first_upper": float(bool(first) and first.isupper()),
                      "next_label": float(bool(g.any_label.match(nxt))), "next_caps": float(lay.is_caps(nxt))})
            y.append(int(any(s <= st < s + 3 for s in starts)))
            groups.append(path.name)
            info.append(f"{path.name[:3]}: {t[:100]}")
    Y = np.array(y)
    M = DictVectorizer().fit_transform(X)
    prob = np.zeros(len(Y))
    for tr, te in GroupKFold(5).split(M, Y, groups):
        prob[te] = LogisticRegression(C=1, max_iter=3000).fit(M[tr], Y[tr]).predict_proba(M[te])[:, 1]
    pred = prob >= 0.5
    added = sorted((i for i in range(len(Y)) if pred[i] and not Y[i]), key=lambda i: -prob[i])
    return {
        "body_lines": len(Y), "rule_headings": int(Y.sum()),
        "agreement_with_rules": round(float((pred == Y.astype(bool)).mean()), 4),
        "model_adds": len(added), "model_drops": int(((~pred) & (Y == 1)).sum()),
        "most_confident_additions": [f"{prob[i]:.2f} {info[i]}" for i in added[:show]],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spacy", action="store_true", help="also train a spaCy text classifier (slower)")
    ap.add_argument("--show", type=int, default=40, help="heading lines the model adds to print")
    ap.add_argument("--only", choices=["doctype", "family", "roles", "headings"])
    args = ap.parse_args()
    if not (CORPUS / "real" / "SOURCES.md").is_file():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    report: dict[str, Any] = {}
    if args.only in (None, "doctype"):
        report["doctype"] = doctype(args.spacy)
    if args.only in (None, "family"):
        report["family"] = family()
    if args.only in (None, "roles"):
        report["roles"] = roles()
    if args.only in (None, "headings"):
        report["headings"] = headings(args.show)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
