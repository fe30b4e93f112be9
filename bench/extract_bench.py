"""Extraction speed on real and generated documents (not run by the tests).

    .venv/bin/python bench/extract_bench.py [--repeat 5]

Reports, per corpus: ingest time per document, extraction time (text already ingested) per
document and per 5-page-equivalent (≈ 15,000 characters), median and p95, on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench(paths: list[Path], repeat: int) -> None:
    from vanban.extractor.pipeline import extract_ingested

    from vanban.api import ingest

    ingest_ms: dict[str, list[float]] = {}
    extract_ms: list[float] = []
    per_5_pages: list[float] = []
    for path in paths:
        t0 = time.perf_counter()
        try:
            doc = ingest(path)
        except Exception as err:
            print(f"skip {path.name}: {err}")
            continue
        ingest_ms.setdefault(path.suffix, []).append((time.perf_counter() - t0) * 1000)
        extract_ingested(doc)  # warm caches (compiled patterns, gazetteers)
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            extract_ingested(doc)
            runs.append((time.perf_counter() - t0) * 1000)
        best = min(runs)
        extract_ms.append(best)
        per_5_pages.append(best * 15000 / max(len(doc.text), 1))
    for suffix, values in sorted(ingest_ms.items()):
        print(f"ingest {suffix:6s} n={len(values):3d} median {statistics.median(values):8.2f} ms  "
              f"p95 {_p95(values):8.2f} ms")
    if extract_ms:
        print(f"extract         n={len(extract_ms):3d} median {statistics.median(extract_ms):8.2f} ms  "
              f"p95 {_p95(extract_ms):8.2f} ms  (per 15k chars: median {statistics.median(per_5_pages):.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    real = sorted((SHARED / "real").glob("*.txt"))
    originals = sorted((SHARED / "real" / "originals").glob("*"))
    for name, paths in (("seeds", seeds), ("real .txt", real), ("real originals", originals)):
        print(f"== {name}")
        bench(paths, args.repeat)


if __name__ == "__main__":
    main()
