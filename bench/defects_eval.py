"""Planted-defect evaluation: plant each defect of tests/defects.py into every document it applies
to and see whether `vanban check` reports it (not run by the tests; tests/test_planted_defects.py
runs a subset).

    .venv/bin/python bench/defects_eval.py [--docs DIR_OR_FILE ...] [--only MUTATION ...]
                                           [--misses] [--collateral] [--fp] [--json out.json]

Defaults: the real corpus (../shared/corpus/real/*.txt) and the seeds (../shared/corpus/seeds).
Per rule it reports the documents a mutation applied to, how many originals already had that very
finding ("pre": nothing new to detect), how often the expected rule fired on the mutated text
("fires"), and how often it fired *newly* with the planted subject ("new"); rate = new / (applied −
pre). ``--fp`` lists every finding on the clean plans (Kế hoạch) of the corpus — each reviewed in
tests/fixtures/defects/clean_findings.yaml as a real defect of the source.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
# The plans (Kế hoạch) of the real corpus, by SOURCES.md; every seed is a plan.
PLANS = {f"{n:03d}" for n in [*range(1, 8), 13, 14, *range(30, 43), *range(54, 60)]}
IGNORED_RULES = {"CIT-UNKNOWN"}  # info about the registry's coverage, not about the document


def _load() -> tuple[object, object]:
    import vanban  # the installed package, bound before the checkout root joins sys.path

    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    from tests import defects

    return vanban, defects


def _findings(vanban: object, text: str) -> list[tuple[str, str | None, str]]:
    from vanban.rules.engine import check

    doc = vanban.extract(text.encode("utf-8"), name="x.txt")  # type: ignore[attr-defined]
    return [(f.rule, f.subject, f.message) for f in check(doc).findings if f.rule not in IGNORED_RULES]


def _docs(args: argparse.Namespace) -> list[Path]:
    if args.docs:
        out: list[Path] = []
        for d in args.docs:
            p = Path(d)
            out.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
        return out
    return sorted((SHARED / "real").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))


def rate(c: Counter[str]) -> float:
    return c["new"] / max(1, c["applied"] - c["pre"])


def is_plan(path: Path) -> bool:
    return path.stem in PLANS or path.parent.name == "seeds"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", nargs="*", help="files or folders of .txt documents")
    ap.add_argument("--only", nargs="*", help="mutation names to run")
    ap.add_argument("--plans-only", action="store_true", help="plant only into plans (Kế hoạch)")
    ap.add_argument("--misses", action="store_true", help="list every document where a planted defect was missed")
    ap.add_argument("--collateral", action="store_true", help="list rules that newly fired besides the planted one")
    ap.add_argument("--fp", action="store_true", help="list the findings on the clean plans")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    vanban, defects = _load()
    muts = [m for m in defects.MUTATIONS if not args.only or m.name in args.only]  # type: ignore[attr-defined]
    docs = [p for p in _docs(args) if not args.plans_only or is_plan(p)]

    t0 = time.perf_counter()
    per_mut: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[tuple[str, str, str, str, list[tuple[str, str | None, str]]]] = []
    collateral: Counter[tuple[str, str]] = Counter()
    clean: dict[str, list[tuple[str, str | None, str]]] = {}
    for path in docs:
        text = path.read_text(encoding="utf-8")
        base = _findings(vanban, text)
        clean[path.name] = base
        base_keys = {(r, s) for r, s, _ in base}
        for m in muts:
            if m.plan_only and not is_plan(path):
                continue
            planted = m.apply(text)
            if planted is None:
                continue
            c = per_mut[m.name]
            c["applied"] += 1
            try:
                got = _findings(vanban, planted.text)
            except Exception as err:
                c["error"] += 1
                misses.append((m.name, path.name, planted.edit, f"error {type(err).__name__}: {err}", []))
                continue
            hits = [(r, s) for r, s, _ in got if r == m.rule and defects.subject_matches(s, planted.subject)]
            if hits:
                c["fires"] += 1
            new = [(r, s) for r, s in hits if (r, s) not in base_keys]
            if new:
                c["new"] += 1
            elif hits and planted.subject is not None:
                c["pre"] += 1  # the document had this very defect already: nothing new to detect
                misses.append((m.name, path.name, planted.edit, "present on the original already", got))
            else:
                why = "fired already on the original" if hits else "did not fire"
                misses.append((m.name, path.name, planted.edit, why, got))
            for r, s, _ in got:
                if (r, s) not in base_keys and r != m.rule:
                    collateral[(m.name, r)] += 1
    elapsed = time.perf_counter() - t0

    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for m in muts:
        for k, v in per_mut[m.name].items():
            by_rule[m.rule][k] += v
    print(f"{len(docs)} documents, {sum(c['applied'] for c in per_mut.values())} planted defects, {elapsed:.0f} s\n")
    # rate: planted defects newly reported, among those the original did not already have
    print(f"{'rule':22} {'mutation':34} {'applied':>7} {'pre':>4} {'fires':>6} {'new':>6} {'rate':>6}")
    for m in muts:
        c = per_mut[m.name]
        if not c["applied"]:
            print(f"{m.rule:22} {m.name:34} {0:7d}")
            continue
        print(f"{m.rule:22} {m.name:34} {c['applied']:7d} {c['pre']:4d} {c['fires']:6d} {c['new']:6d} "
              f"{rate(c):6.2f}")
    print()
    print(f"{'rule':22} {'applied':>7} {'pre':>4} {'new':>6} {'rate':>6}")
    for rule in sorted(by_rule):
        c = by_rule[rule]
        print(f"{rule:22} {c['applied']:7d} {c['pre']:4d} {c['new']:6d} {rate(c):6.2f}")
    total: Counter[str] = Counter()
    for c in by_rule.values():
        total.update(c)
    print(f"{'ALL':22} {total['applied']:7d} {total['pre']:4d} {total['new']:6d} {rate(total):6.3f}")

    if args.misses:
        print("\nmisses:")
        for name, doc, edit, why, got in misses:
            print(f"  {name:30} {doc:28} {why}: {edit}")
            rel = [f"{r}:{s}" for r, s, _ in got if r.split("-")[0] == defects.BY_NAME[name].rule.split("-")[0]]
            if rel:
                print(f"      related findings: {', '.join(rel)}")
    if args.collateral:
        print("\ncollateral (other rules newly firing on the mutated text):")
        for (name, rule), n in sorted(collateral.items()):
            print(f"  {name:34} {rule:22} {n}")
    if args.fp:
        print("\nfindings on the clean plans:")
        for name, found in clean.items():
            if not is_plan(next(p for p in docs if p.name == name)):
                continue
            for r, s, msg in found:
                print(f"  {name:28} {r:20} {s or '':20} {msg[:140]}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "per_mutation": {k: dict(v) for k, v in per_mut.items()},
            "per_rule": {k: dict(v) for k, v in by_rule.items()},
            "clean_findings": {k: [list(f) for f in v] for k, v in clean.items()},
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
