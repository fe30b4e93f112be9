"""Speed and fidelity of the binary readers on the real originals (not run by the tests).

    .venv/bin/python bench/ingest_binary_bench.py [--repeat 3]

Per file: the vanban reader's time (median of the runs), time per page and the word-sequence
similarity with the corpus .txt sibling. For PDFs, the same for plain pypdfium2
(``get_text_bounded``, no layout repairs) and pdfplumber (``extract_text``), which decided
the library choice.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import statistics
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
# The corpus siblings keep a PDF font-map bug (ƣ for ư) that the reader repairs.
_REFERENCE_FIXES = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})


def similarity(ours: str, reference: str) -> float:
    """difflib ratio of the whitespace-separated word sequences (as tests/ingest_binary_support.py)."""
    a = unicodedata.normalize("NFC", ours).split()
    b = unicodedata.normalize("NFC", reference).translate(_REFERENCE_FIXES).split()
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def _pypdfium2_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        out.append(page.get_textpage().get_text_bounded())
    return "\n".join(out)


def _pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def main() -> None:
    from vanban.extractor.ingest.options import IngestOptions

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    options = IngestOptions()
    rows: dict[str, list[tuple[float, float, float]]] = {}
    alt: dict[str, list[tuple[float, float]]] = {"pypdfium2": [], "pdfplumber": []}
    for path in sorted((REAL / "originals").iterdir()):
        fmt = path.suffix[1:]
        if fmt not in {"docx", "pdf", "doc"}:
            continue
        reader = importlib.import_module(f"vanban.extractor.ingest.{fmt}")
        data = path.read_bytes()
        ms, doc = _median_ms(lambda: reader.read(data, path=str(path), options=options), args.repeat)  # noqa: B023
        reference = (REAL / f"{path.stem}.txt").read_text(encoding="utf-8")
        sim = similarity(doc.text, reference)  # type: ignore[attr-defined]
        pages = doc.source.pages or 0  # type: ignore[attr-defined]
        per_page = ms / pages if pages else float("nan")
        rows.setdefault(fmt, []).append((ms, per_page, sim))
        line = f"{path.name:10} {pages:3} p  {ms:8.1f} ms  {per_page:7.1f} ms/p  sim {sim:.4f}"
        if fmt == "pdf":
            for name, fn in (("pypdfium2", lambda: _pypdfium2_text(data)), ("pdfplumber", lambda: _pdfplumber_text(path))):  # noqa: B023
                alt_ms, text = _median_ms(fn, args.repeat)
                alt_sim = similarity(text, reference)  # type: ignore[arg-type]
                alt[name].append((alt_ms / pages, alt_sim))
                line += f" | {name} {alt_ms / pages:6.1f} ms/p sim {alt_sim:.4f}"
        print(line, flush=True)
    print()
    for fmt, values in rows.items():
        per_doc = statistics.median([v[0] for v in values])
        page_times = [v[1] for v in values if v[1] == v[1]]
        sims = [v[2] for v in values]
        print(f"{fmt:5} {len(values):2} files: median {per_doc:.1f} ms/doc"
              + (f", median {statistics.median(page_times):.1f} ms/page" if page_times else "")
              + f"; similarity min {min(sims):.4f} mean {statistics.mean(sims):.4f}")
    for name, measured in alt.items():
        if measured:
            print(f"  {name:10} median {statistics.median(v[0] for v in measured):.1f} ms/page; "
                  f"similarity min {min(v[1] for v in measured):.4f} mean {statistics.mean(v[1] for v in measured):.4f}")


if __name__ == "__main__":
    main()
