#!/usr/bin/env python3
"""Time find_units, find_deadlines, find_targets and find_tasks on the real corpus.

Each document is ingested and its header, sections and citations extracted once; then the four
entity extractors run ``--repeat`` times in pipeline order on a fresh copy of the text (so the
folded text kept between them is rebuilt each time, as for a new document). Prints milliseconds
per 30,000 characters for each extractor and for the four together, over all documents and for
the slowest one.

Run from the project root:  .venv/bin/python bench/entities_speed.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    from vanban.extractor.citations import extract_citations
    from vanban.extractor.deadlines import find_deadlines
    from vanban.extractor.header import find_header
    from vanban.extractor.sections import find_sections
    from vanban.extractor.targets import find_targets
    from vanban.extractor.tasks import find_tasks
    from vanban.extractor.units import find_units

    from vanban.api import ingest

    names = ("deadlines", "targets", "units", "tasks")
    total = dict.fromkeys(names, 0.0)
    chars = 0
    worst = (0.0, "")
    files = sorted((CORPUS / "real").glob("*.txt")) + sorted((CORPUS / "seeds").glob("*.txt"))
    for path in files:
        doc = ingest(str(path))
        header = find_header(doc)
        sections = find_sections(doc)
        own = [(s.start, s.end) for s in (header.number_span, header.date_span) if s is not None]
        cited = own + [(c.start, c.end) for c in extract_citations(doc.text, exclude=own)]
        doc_date = date.fromisoformat(header.date) if header.date else None
        spent = dict.fromkeys(names, 0.0)
        for i in range(a.repeat):
            text = doc.text + " " * (i + 1)  # a new string: nothing cached from the last run
            t0 = time.perf_counter()
            deadlines = find_deadlines(text, doc_date=doc_date, exclude=cited)
            t1 = time.perf_counter()
            find_targets(text, exclude=cited)
            t2 = time.perf_counter()
            units = find_units(text, exclude=[])
            t3 = time.perf_counter()
            find_tasks(text, sections, units, deadlines)
            t4 = time.perf_counter()
            for name, dt in zip(names, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                spent[name] += dt / a.repeat
        for name in names:
            total[name] += spent[name]
        chars += len(doc.text)
        per30k = sum(spent.values()) * 1000 / len(doc.text) * 30_000
        if len(doc.text) >= 5_000 and per30k > worst[0]:
            worst = (per30k, f"{path.name} ({len(doc.text)} chars)")
    scale = 1000 / chars * 30_000
    print(f"{len(files)} documents, {chars} characters; ms per 30,000 characters:")
    for name in names:
        print(f"  {name:10s} {total[name] * scale:6.2f}")
    print(f"  {'all four':10s} {sum(total.values()) * scale:6.2f}")
    print(f"  slowest document (>= 5k chars): {worst[0]:.2f} ms per 30k chars, {worst[1]}")


if __name__ == "__main__":
    main()
