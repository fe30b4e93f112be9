"""Train the unit tagger of ``vanban.models.units`` (needs scikit-learn).

Called by ``python -m models.train units``. Training targets, on the TRAINING documents only:

* weak labels: every span the rule extractor finds (``find_units`` over the whole text, header
  included) — the rules' precision on annotated documents is ~0.98, so these are mostly right;
* the gold units of the training documents that have gold (tests/fixtures/real-gold, seeds-gold)
  and of bench/data/units_gold.yaml (hand annotations of 005 and 014), located in the text;
* the hand-checked sample of names the gazetteer misses (models/labels/units.yaml, ``train``) and
  the model proposals on training documents checked by reading (``train_checked``).

Overlapping spans are resolved longest first. Tokens are tagged B/I/O; a multinomial logistic
regression learns the tag from word features and the previous tag (gold while training, decoded
while tagging). The threshold a model span must reach before the extractor adds it is chosen by
3-fold cross-validation over the training documents (folds by document). Held-out documents are
scored once, at the end: the gold units of the held-out gold documents (recall, as
shared/eval/score.py counts it) and exhaustive hand labels of four held-out documents (precision,
recall, F1 of distinct names, exact and lenient).

``python -m vanban.models.train_units --spacy`` also trains and scores a small spaCy NER on the
same data, for comparison (not shipped).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.models.dataset import LABELS, MODELS, TrainingDoc
from vanban.models.units import TAGS, Span, Token, UnitTagger, features, fold_word, may_add, tokenize

VERSION = 1
C = 1.0  # inverse regularisation
MIN_COUNT = 2  # features seen fewer times are dropped before fitting
PRUNE = 0.02  # features whose three weights are all smaller are not shipped
ROUND = 4
FOLDS = 3
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)
HAND = LABELS / "units.yaml"
BENCH = MODELS.parent / "bench" / "data" / "units_gold.yaml"
GAZETTEER = MODELS.parent / "extractor" / "data" / "units.yaml"


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    toks: list[Token]
    targets: list[tuple[int, int]]  # the spans the tagger should find (train) / rules' units (held-out)


# --------------------------------------------------------------------------- labels


def fold_name(s: str) -> str:
    """As shared/eval/score.py compares names: case, diacritics and spacing folded."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


def lexicon() -> tuple[list[str], list[str]]:
    """(head words, all words) of the gazetteer's names, folded."""
    import yaml

    data = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))
    names = [str(n) for e in data["entries"] for n in [e["name"], *e.get("also", [])]]
    names += [str(h["name"]) for h in data["field_heads"]]
    heads: set[str] = set()
    words: set[str] = set()
    for n in names:
        ws = [fold_word(w) for w in re.findall(r"\w+", n)]
        if ws:
            heads.add(ws[0])
            words.update(w for w in ws if not w.isdigit())
    return sorted(heads), sorted(words)


def hand_labels() -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(HAND.read_text(encoding="utf-8"))
    return data


def train_labels(hl: dict[str, Any]) -> dict[str, list[str]]:
    """The hand labels of training documents: names found by reading (``train``) and model
    proposals checked by reading (``train_checked``), by document id."""
    out: dict[str, list[str]] = {}
    for part in ("train", "train_checked"):
        for k, v in (hl.get(part) or {}).items():
            out.setdefault(str(k), []).extend(str(x) for x in v)
    return out


def bench_labels() -> dict[str, list[str]]:
    """Exhaustive hand annotations made for bench/units_nlp.py, by document id."""
    import yaml

    data = yaml.safe_load(BENCH.read_text(encoding="utf-8"))
    return {d["file"].removesuffix(".txt"): [str(u) for u in d["units"]] for d in data["docs"]}


def gold_units(doc: TrainingDoc) -> list[str]:
    import json

    if doc.gold is None:
        return []
    return [str(u) for u in json.loads(doc.gold.read_text(encoding="utf-8")).get("units", [])]


def locate(text: str, name: str) -> list[tuple[int, int]]:
    """Every place ``name`` is written in ``text`` (any blanks between words; whole words)."""
    words = name.split()
    if not words:
        return []
    rx = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def resolve(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, longest first."""
    kept: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (x[0] - x[1], x[0])):
        if not any(a < e and s < b for a, b in kept):
            kept.append((s, e))
    return sorted(kept)


def rule_spans(text: str) -> list[tuple[int, int]]:
    from vanban.extractor.units import find_units

    return [(u.start, u.end) for u in find_units(text, exclude=[], use_model=False)]


def training_doc(doc: TrainingDoc, hand: dict[str, list[str]], bench: dict[str, list[str]]) -> Doc:
    text = doc.text()
    spans = rule_spans(text)
    for name in gold_units(doc) + hand.get(doc.id, []) + bench.get(doc.id, []):
        spans += locate(text, name)
    return Doc(doc.id, text, tokenize(text), resolve(spans))


def tags_of(toks: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    out = ["O"] * len(toks)
    j = 0
    for s, e in spans:
        while j < len(toks) and toks[j].start < s:
            j += 1
        first = True
        while j < len(toks) and toks[j].end <= e:
            out[j] = "B" if first else "I"
            first = False
            j += 1
    return out


# --------------------------------------------------------------------------- fitting


def fit(docs: Sequence[Doc], heads: frozenset[str], words: frozenset[str]) -> UnitTagger:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows: list[list[str]] = []
    y: list[str] = []
    for d in docs:
        tags = tags_of(d.toks, d.targets)
        for i in range(len(d.toks)):
            rows.append(features(d.toks, i, tags[i - 1] if i else "O", heads, words))
            y.append(tags[i])
    counts = Counter(f for r in rows for f in r)
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1 for f in r if counts[f] >= MIN_COUNT} for r in rows])
    clf = LogisticRegression(C=C, max_iter=300, tol=1e-4)
    clf.fit(X, y)
    order = [list(clf.classes_).index(t) for t in TAGS]
    coef = clf.coef_[order]
    weights: dict[str, tuple[float, float, float]] = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        w = (round(float(coef[0, j]), ROUND), round(float(coef[1, j]), ROUND), round(float(coef[2, j]), ROUND))
        if max(abs(v) for v in w) >= PRUNE:
            weights[str(name)] = w
    bias = tuple(round(float(clf.intercept_[k]), ROUND) for k in order)
    return UnitTagger(weights, (bias[0], bias[1], bias[2]), heads, words, 0.0)


def payload_of(t: UnitTagger) -> dict[str, Any]:
    return {
        "tags": list(TAGS),
        "bias": list(t.bias),
        "threshold": t.threshold,
        "heads": sorted(t.heads),
        "words": sorted(t.words),
        "weights": {k: list(t.weights[k]) for k in sorted(t.weights)},
    }


# --------------------------------------------------------------------------- scoring


def names(text: str, spans: Sequence[tuple[int, int]]) -> set[str]:
    return {n for n in (fold_name(text[s:e]) for s, e in spans) if n}


def prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 1.0
    r = tp_g / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "pred": n_pred, "gold": n_gold}


def contains(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def score_names(pairs: Sequence[tuple[set[str], set[str]]]) -> dict[str, dict[str, float]]:
    """Micro-averaged over documents, on distinct names: exact (folded equality) and lenient
    (containment either way, as shared/eval/score.py matches units)."""
    ex = [0, 0, 0, 0]
    le = [0, 0, 0, 0]
    for pred, gold in pairs:
        tp = len(pred & gold)
        ex = [ex[0] + tp, ex[1] + len(pred), ex[2] + tp, ex[3] + len(gold)]
        lp = sum(any(contains(p, g) for g in gold) for p in pred)
        lg = sum(any(contains(g, p) for p in pred) for g in gold)
        le = [le[0] + lp, le[1] + len(pred), le[2] + lg, le[3] + len(gold)]
    return {"exact": prf(*ex), "lenient": prf(*le)}


def shipped_spans(tagger: UnitTagger, d: Doc, spans: list[Span], threshold: float,
                  exclude: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    taken = list(d.targets) + list(exclude)
    add = [(s.start, s.end) for s in spans if s.prob >= threshold and may_add(d.text, s, taken)]
    return list(d.targets) + add


def cross_validate(docs: Sequence[Doc], heads: frozenset[str], words: frozenset[str]) -> dict[str, Any]:
    """Threshold chosen on out-of-fold predictions over the training documents. The rules' spans are
    part of the targets there, so only the gold and hand-labelled names can reward an addition: the
    figures are a lower bound for the model, which makes the chosen threshold a cautious one."""
    folds = [[d for k, d in enumerate(docs) if k % FOLDS == f] for f in range(FOLDS)]
    oof: list[tuple[Doc, list[tuple[int, int]], list[Span]]] = []
    for f in range(FOLDS):
        rest = [d for k, fold in enumerate(folds) if k != f for d in fold]
        if not rest or not folds[f]:
            continue
        t = fit(rest, heads, words)
        for d in folds[f]:
            oof.append((d, rule_spans(d.text), t.spans(d.text)))
    table: dict[str, Any] = {}
    rules_pairs = [(names(d.text, r), names(d.text, d.targets)) for d, r, _ in oof]
    table["rules"] = score_names(rules_pairs)
    best, best_f1 = THRESHOLDS[-1], -1.0
    wrong: list[str] = []
    for th in THRESHOLDS:
        pairs = []
        for d, r, sp in oof:
            add = [(s.start, s.end) for s in sp
                   if s.prob >= th and not any(a < s.end and s.start < b for a, b in r)]
            pairs.append((names(d.text, r + add), names(d.text, d.targets)))
            if th == 0.9:
                gold = names(d.text, d.targets)
                wrong += sorted({f"{d.id}: {d.text[a:b]}" for a, b in add if fold_name(d.text[a:b]) not in gold})
        table[f"shipped@{th}"] = sc = score_names(pairs)
        if sc["exact"]["f1"] > best_f1:
            best, best_f1 = th, sc["exact"]["f1"]
    return {"documents": len(oof), "threshold": best, "beats_rules": best_f1 > table["rules"]["exact"]["f1"],
            "table": table, "additions_not_in_targets@0.9": len(wrong),
            "additions_not_in_targets@0.9_sample": wrong[:: max(1, len(wrong) // 40)][:40]}


def heldout_scores(tagger: UnitTagger, heldout: Sequence[TrainingDoc], hand: dict[str, Any],
                   bench: dict[str, list[str]]) -> dict[str, Any]:
    """Rules (the extractor's units), model (its spans alone) and shipped (rules + additions) on the
    held-out documents: against exhaustive hand labels, and against gold units (recall)."""
    from vanban.extractor.layout import portal_footer
    from vanban.extractor.units import find_units

    from vanban.api import extract

    exhaustive: dict[str, list[str]] = {i: [str(u) for u in v["units"]] for i, v in hand.items()}
    for i, units in bench.items():
        exhaustive.setdefault(i, units)
    ex_pairs: dict[str, list[tuple[set[str], set[str]]]] = {"rules": [], "model": [], "shipped": []}
    gold_found = {"rules": 0, "model": 0, "shipped": 0}
    gold_total = 0
    gaz_missed: list[str] = []
    added: list[str] = []
    by_th: dict[float, list[tuple[set[str], set[str]]]] = {}
    for doc in heldout:
        ext = extract(doc.path)
        text = ext.text
        h = ext.document
        header_end = max((s.end for s in (h.number_span, h.date_span, h.title_span) if s), default=0)
        footer = portal_footer(text, header_end)
        exclude = [(s.start, s.end) for s in (h.issuer_span,) if s is not None]
        if footer is not None:
            exclude.append((footer, len(text)))
        # The pipeline's units without the model, whatever artifact is shipped (retraining must not
        # depend on the previous model).
        rules = [(u.start, u.end) for u in find_units(text, exclude=exclude, use_model=False)]
        d = Doc(doc.id, text, [], rules)
        spans = tagger.spans(text)
        model = [(s.start, s.end) for s in spans if s.prob >= tagger.threshold
                 and not any(a < s.end and s.start < b for a, b in exclude)]
        shipped = shipped_spans(tagger, d, spans, tagger.threshold, exclude)
        added += sorted({f"{doc.id}: {text[s:e]}" for s, e in shipped[len(rules):]})
        preds = {"rules": names(text, rules), "model": names(text, model), "shipped": names(text, shipped)}
        if doc.id in exhaustive:
            gold = {fold_name(u) for u in exhaustive[doc.id]}
            for k, p in preds.items():
                ex_pairs[k].append((p, gold))
            for th in THRESHOLDS:
                by_th.setdefault(th, []).append((names(text, shipped_spans(tagger, d, spans, th, exclude)), gold))
        for u in gold_units(doc):
            gold_total += 1
            fu = fold_name(u)
            for k, p in preds.items():
                gold_found[k] += any(contains(fu, o) for o in p)
            if not any(contains(fu, o) for o in preds["rules"]):
                gaz_missed.append(f"{doc.id}: {u}")
    out: dict[str, Any] = {}
    for k in ("rules", "model", "shipped"):
        out[k] = {**score_names(ex_pairs[k]),
                  "gold_recall": round(gold_found[k] / gold_total, 4) if gold_total else 1.0}
    out["documents"] = {"exhaustive": sorted(i for i in exhaustive if i in {d.id for d in heldout}),
                        "gold": sorted(d.id for d in heldout if d.gold is not None), "gold_units": gold_total}
    out["gold_units_rules_miss"] = gaz_missed
    out["shipped_additions"] = added
    # For the record only: the threshold is chosen on the training documents, never here.
    out["shipped_by_threshold"] = {str(th): {k: v["f1"] for k, v in score_names(p).items()} for th, p in by_th.items()}
    return out


# --------------------------------------------------------------------------- entry point


def train(train_docs: Sequence[TrainingDoc], heldout_docs: Sequence[TrainingDoc], *, tiny: bool) -> dict[str, Any]:
    hl = hand_labels()
    hand_train = train_labels(hl)
    hand_heldout: dict[str, Any] = {str(k): v for k, v in (hl.get("heldout") or {}).items()}
    bench = bench_labels()
    train_ids = {d.id for d in train_docs}
    heldout_ids = {d.id for d in heldout_docs}
    lh, lw = lexicon()
    heads, words = frozenset(lh), frozenset(lw)
    docs = [training_doc(d, hand_train, {k: v for k, v in bench.items() if k in train_ids}) for d in train_docs]
    cv = cross_validate(docs, heads, words)
    t = fit(docs, heads, words)
    tagger = UnitTagger(t.weights, t.bias, heads, words, cv["threshold"])
    ho = heldout_scores(tagger, heldout_docs,
                        {k: v for k, v in hand_heldout.items() if k in heldout_ids},
                        {k: v for k, v in bench.items() if k in heldout_ids})
    r, s = ho["rules"], ho["shipped"]
    wins = (s["lenient"]["f1"] > r["lenient"]["f1"] and s["exact"]["f1"] >= r["exact"]["f1"]
            and s["gold_recall"] >= r["gold_recall"])
    n_add = len(ho["shipped_additions"])
    if wins:
        decision = (f"in use: on held-out documents rules + model additions (threshold {cv['threshold']}) reach "
                    f"lenient F1 {s['lenient']['f1']} against the rules' {r['lenient']['f1']} "
                    f"(exact {s['exact']['f1']} vs {r['exact']['f1']}), gold recall unchanged")
    else:
        decision = (f"not used: on held-out documents rules + model additions ({n_add} added names, threshold "
                    f"{cv['threshold']}) reach lenient F1 {s['lenient']['f1']} / exact {s['exact']['f1']} against "
                    f"the rules' {r['lenient']['f1']} / {r['exact']['f1']}; the rules keep the job")
    n_examples = sum(len(d.toks) for d in docs)
    return {
        "version": VERSION,
        "description": ("token tagger (B/I/O, multinomial logistic regression, greedy decoding) for responsible "
                        "units the gazetteer misses; adds non-overlapping spans above a threshold to the rules' units"),
        "payload": payload_of(tagger),
        "scores": {
            "heldout": {"rules": r, "model": ho["model"], "shipped": s},
            "heldout_documents": ho["documents"],
            "heldout_gold_units_rules_miss": ho["gold_units_rules_miss"],
            "heldout_shipped_additions": ho["shipped_additions"],
            "heldout_shipped_by_threshold_not_used_for_choice": ho["shipped_by_threshold"],
            "cv": cv,
            "training": {
                "tokens": n_examples,
                "target_spans": sum(len(d.targets) for d in docs),
                "hand_labelled_names": sum(len(v) for k, v in hand_train.items() if k in train_ids),
                "features": len(tagger.weights),
            },
        },
        "in_use": bool(wins),
        "decision": decision,
        "examples": n_examples,
        "files": [HAND, BENCH, GAZETTEER],
    }


# --------------------------------------------------------------------------- spaCy, for comparison


def spacy_compare(epochs: int = 3, seed: int = 0) -> dict[str, Any]:
    """Train a blank multilingual spaCy NER on the same targets and score it like the tagger
    (shipped = the rules' units + the NER's spans that overlap none of them). Not shipped: run
    ``python -m vanban.models.train_units --spacy`` to reproduce the comparison in models/README.md."""
    import itertools
    import random
    import shutil
    import subprocess
    import sys
    import tempfile

    import spacy
    from spacy.tokens import Doc as SpacyDoc
    from spacy.training import Example
    from vanban.models import dataset

    train_docs, heldout = dataset.split(dataset.documents())
    hl = hand_labels()
    hand_train = train_labels(hl)
    bench = bench_labels()
    train_ids = {d.id for d in train_docs}
    docs = [training_doc(d, hand_train, {k: v for k, v in bench.items() if k in train_ids}) for d in train_docs]
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = spacy.blank("xx")
    ner = nlp.add_pipe("ner")
    ner.add_label("UNIT")  # type: ignore[attr-defined]

    def chunks(d: Doc) -> list[tuple[list[Token], list[str]]]:
        tags = tags_of(d.toks, d.targets)
        out, i = [], 0
        while i < len(d.toks):
            j = min(len(d.toks), i + 60)
            while j < len(d.toks) and tags[j] == "I":  # never cut a unit in two
                j += 1
            out.append((d.toks[i:j], tags[i:j]))
            i = j
        return out

    def spaces(toks: list[Token]) -> list[bool]:
        return [a.end < b.start for a, b in itertools.pairwise(toks)] + [False]

    def sdoc(toks: list[Token]) -> SpacyDoc:
        return SpacyDoc(nlp.vocab, words=[t.text for t in toks], spaces=spaces(toks))

    examples = []
    for d in docs:
        for toks, tags in chunks(d):
            iob = [f"{t}-UNIT" if t != "O" else "O" for t in tags]
            examples.append(Example(sdoc(toks), SpacyDoc(nlp.vocab, words=[t.text for t in toks],
                                                         spaces=spaces(toks), ents=iob)))
    started = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        rng.shuffle(examples)
        for k in range(0, len(examples), 32):
            nlp.update(examples[k:k + 32], sgd=optimizer, drop=0.2)
    fit_s = time.perf_counter() - started

    def predict(text: str) -> list[tuple[int, int]]:
        toks = tokenize(text)
        out = []
        for i in range(0, len(toks), 200):
            part = toks[i:i + 200]
            doc = nlp(sdoc(part))
            out += [(part[e.start].start, part[e.end - 1].end) for e in doc.ents]
        return out

    class _Fixed:  # the scoring code asks a tagger for spans; spaCy's are all "sure"
        threshold = 0.0

        def spans(self, text: str) -> list[Span]:
            return [Span(s, e, 1.0) for s, e in predict(text)]

    hand_heldout = {str(k): v for k, v in (hl.get("heldout") or {}).items()}
    heldout_ids = {d.id for d in heldout}
    started = time.perf_counter()
    ho = heldout_scores(_Fixed(), heldout, {k: v for k, v in hand_heldout.items() if k in heldout_ids},  # type: ignore[arg-type]
                        {k: v for k, v in bench.items() if k in heldout_ids})
    chars = sum(len(d.text()) for d in heldout)
    tag_s = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="vanban-units-spacy-"))
    nlp.to_disk(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    probe = ("import time; t = time.perf_counter(); import spacy; a = time.perf_counter(); "
             f"spacy.load({str(folder)!r}); print(a - t, time.perf_counter() - a)")
    import_s, load_s = (float(x) for x in subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                                        text=True, check=True).stdout.split())
    shutil.rmtree(folder)
    return {"heldout": {k: ho[k] for k in ("rules", "model", "shipped")}, "additions": ho["shipped_additions"],
            "epochs": epochs, "fit_seconds": round(fit_s, 1), "size_bytes": size,
            "import_seconds": round(import_s, 2), "load_seconds": round(load_s, 2),
            "extract_and_tag_ms_per_10k_chars": round(tag_s * 1000 / chars * 10_000, 1)}


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(description="compare a small spaCy NER with the shipped unit tagger")
    ap.add_argument("--spacy", action="store_true", help="train and score the spaCy NER")
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    if a.spacy:
        print(json.dumps(spacy_compare(a.epochs), ensure_ascii=False, indent=1))
