#!/usr/bin/env python3
"""Does an NLP library find responsible units better than vanban's gazetteer?

Compares, on the five seed plans (gold units from shared/corpus/seeds-gold) and three real
documents annotated by hand (bench/data/units_gold.yaml):

  gazetteer            vanban.extractor.units.find_units (pyahocorasick + grammar)
  uts-ner-org          underthesea.ner, ORG entities
  uts-ner-org+loc      underthesea.ner, ORG and LOC entities ("UBND xã Ba Nam" comes out as LOC)
  gaz+uts-org          gazetteer mentions plus underthesea ORG entities
  gaz/uts-tokens       gazetteer mentions whose ends do not cut through an underthesea word token
  spacy-xx-ruler       spacy.blank("xx") + EntityRuler over the gazetteer's names (no grammar)

Scoring mirrors shared/eval/score.py: a gold unit is found when a predicted mention contains it
or is contained in it (case, diacritics and spacing folded). Recall is over all eight documents.
Precision counts distinct predicted names that match some gold unit the same way, on the three
fully annotated real documents only (the seeds' gold names a few units per plan, not all).
Times are per 10k characters, models already loaded.

Run from the project root:  .venv/bin/python bench/units_nlp.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


def load_docs() -> list[tuple[str, str, list[str]]]:
    import yaml

    docs: list[tuple[str, str, list[str]]] = []
    for g in sorted((SHARED / "corpus" / "seeds-gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        text = (SHARED / "corpus" / "seeds" / gold["file"]).read_text(encoding="utf-8")
        docs.append((f"seed/{gold['file'][:3]}", text, gold["units"]))
    data = yaml.safe_load((ROOT / "bench" / "data" / "units_gold.yaml").read_text(encoding="utf-8"))
    for d in data["docs"]:
        text = (SHARED / "corpus" / "real" / d["file"]).read_text(encoding="utf-8")
        docs.append((f"real/{d['file'][:3]}", text, d["units"]))
    return docs


def score(pred: list[str], gold: list[str]) -> tuple[int, int, int, int]:
    """(gold found, gold total, predicted names matching gold, predicted names)."""
    fp = {fold(p) for p in pred if p.strip()}
    fg = [fold(g) for g in gold]
    found = sum(any(g in p or p in g for p in fp) for g in fg)
    good = sum(any(g in p or p in g for g in fg) for p in fp)
    return found, len(fg), good, len(fp)


# --------------------------------------------------------------------------- methods


def gazetteer(text: str) -> list[str]:
    from vanban.extractor.units import find_units

    return [u.name for u in find_units(text, exclude=[])]


def _uts_entities(text: str, labels: tuple[str, ...]) -> list[str]:
    from underthesea import ner

    out: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        current: list[str] = []
        for token in ner(line):
            word, tag = token[0], token[-1]
            if tag.startswith("B-") and tag[2:] in labels:
                if current:
                    out.append(" ".join(current))
                current = [word]
            elif tag.startswith("I-") and tag[2:] in labels and current:
                current.append(word)
            else:
                if current:
                    out.append(" ".join(current))
                current = []
        if current:
            out.append(" ".join(current))
    return out


def uts_org(text: str) -> list[str]:
    return _uts_entities(text, ("ORG",))


def uts_org_loc(text: str) -> list[str]:
    return _uts_entities(text, ("ORG", "LOC"))


def gaz_plus_uts(text: str) -> list[str]:
    return gazetteer(text) + uts_org(text)


def gaz_token_filtered(text: str) -> list[str]:
    """Gazetteer mentions that start and end on underthesea word-token boundaries."""
    from underthesea import word_tokenize
    from vanban.extractor.units import find_units

    starts: set[int] = set()
    ends: set[int] = set()
    for line_match in re.finditer(r"[^\n]+", text):
        line, base = line_match.group(0), line_match.start()
        pos = 0
        for tok in word_tokenize(line):
            i = line.find(tok, pos)
            if i < 0:
                continue
            starts.add(base + i)
            ends.add(base + i + len(tok))
            pos = i + len(tok)
    return [u.name for u in find_units(text, exclude=[]) if u.start in starts and u.end in ends]


_SPACY: list[Any] = []


def spacy_ruler(text: str) -> list[str]:
    if not _SPACY:
        import spacy
        import yaml

        data = yaml.safe_load((ROOT / "extractor" / "data" / "units.yaml").read_text(encoding="utf-8"))
        names = [str(n) for e in data["entries"] for n in [e["name"], *e.get("also", [])]]
        names += [f"{h['name']} {f}" for h in data["field_heads"] for f in data["fields"]]
        nlp = spacy.blank("xx")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns([{"label": "ORG", "pattern": n} for n in names])  # type: ignore[attr-defined]
        _SPACY.append(nlp)
    return [e.text for e in _SPACY[0](text).ents]


METHODS: dict[str, Callable[[str], list[str]]] = {
    "gazetteer": gazetteer,
    "uts-ner-org": uts_org,
    "uts-ner-org+loc": uts_org_loc,
    "gaz+uts-org": gaz_plus_uts,
    "gaz/uts-tokens": gaz_token_filtered,
    "spacy-xx-ruler": spacy_ruler,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--only", nargs="*", help="method names to run")
    a = ap.parse_args()
    docs = load_docs()
    results: dict[str, dict[str, float]] = {}
    for name, fn in METHODS.items():
        if a.only and name not in a.only:
            continue
        t0 = time.perf_counter()
        fn(docs[0][1][:200])  # load models
        load = time.perf_counter() - t0
        found = total = good = npred = 0
        elapsed = 0.0
        misses: list[str] = []
        wrong: list[str] = []
        for label, text, gold in docs:
            t0 = time.perf_counter()
            pred = fn(text)
            elapsed += time.perf_counter() - t0
            f, n, g, p = score(pred, gold)
            found, total = found + f, total + n
            # The seeds' gold lists a few units per plan, the annotated real documents all of them:
            # precision is measured on the latter only.
            if label.startswith("real/"):
                good, npred = good + g, npred + p
                fg = [fold(x) for x in gold]
                wrong += sorted({f"{label}: {x}" for x in pred if not any(fold(x) in y or y in fold(x) for y in fg)})
            fp = {fold(x) for x in pred}
            misses += [f"{label}: {u}" for u in gold if not any(fold(u) in x or (x and x in fold(u)) for x in fp)]
        chars = sum(len(t) for _, t, _ in docs)
        results[name] = {
            "recall": found / total,
            "precision": good / npred if npred else 0.0,
            "ms_per_10k_chars": elapsed * 1000 / chars * 10_000,
            "load_s": load,
        }
        r = results[name]
        print(f"{name:16s} recall {r['recall']:.3f}  precision {r['precision']:.3f}  "
              f"{r['ms_per_10k_chars']:8.1f} ms/10k chars  load {r['load_s']:.2f} s", flush=True)
        for m in misses[:8]:
            print(f"{'':18s}miss {m}")
        for m in wrong[:8]:
            print(f"{'':18s}not a unit {m}")
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
