"""Archive benchmark: bulk indexing speed, database size and search latency, SQLite and PostgreSQL.

Not run by the tests. It generates a corpus of variations of the real documents in
``shared/corpus/real`` and the seeds (renumbered, re-dated, some paragraphs dropped and one
borrowed from another document, so every file has distinct content), written as .txt, as .docx
(python-docx) and, for a few hundred, as .pdf (LibreOffice converting generated .docx in batches);
then, per engine and worker count, indexes it into a fresh archive with the real pipeline and
rule checks, and times searches.

    .venv/bin/python bench/index_bench.py                      # 10,000 documents, both engines
    .venv/bin/python bench/index_bench.py --docs 2000 --engines sqlite --workers 1,2

PostgreSQL: ``VANBAN_TEST_PG_URL`` (a superuser URL), else a throwaway server is started as in
the tests. Results are printed and written to ``<workdir>/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.append(str(ROOT))  # for tests.pg_server; appended so the installed vanban wins

QUERIES = [
    "dan van kheo", "dân vận khéo", '"dân vận khéo"', "dang uy xa", "Đảng ủy xã", "ke hoach thuc hien",
    "bầu cử đại biểu", '"bau cu dai bieu quoc hoi"', "mat tran to quoc", "hội đồng nhân dân",
    "chuyen doi so", "thiên tai", "phong chong tham nhung", "kiem tra giam sat", "tuyên truyền vận động",
    "nghi quyet 25-NQ/TW", "04/2015/NĐ-CP", "khoang san", "vật liệu nổ", "hoa chat",
    "cum cong nghiep", "ngân sách nhà nước", "bao cao ket qua", "to chuc thuc hien", "kheo*",
    "tiep cong dan", "don thu khieu nai", "thi dua khen thuong", "an toan thuc pham", "dan chu co so",
    "-covid dan van", "hiep thuong OR ung cu", "phòng cháy chữa cháy", "nong thon moi", "cai cach hanh chinh",
]


# --------------------------------------------------------------------------- corpus


def _sources() -> list[str]:
    files = sorted((SHARED / "real").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    if not files:
        raise SystemExit(f"no source documents under {SHARED}")
    return [f.read_text(encoding="utf-8") for f in files]


_NUMBER = re.compile(r"(Số[:\s]*)(\d+)")
_YEAR = re.compile(r"(năm\s+)(20\d\d)")


def vary(texts: list[str], i: int) -> str:
    """A distinct document derived from a real one: new number and year, a few paragraphs dropped,
    one borrowed from another document."""
    rng = random.Random(i)
    base = texts[i % len(texts)]
    text = _NUMBER.sub(lambda m: m.group(1) + str(i + 1), base, count=1)
    text = _YEAR.sub(lambda m: m.group(1) + str(2019 + i % 7), text, count=1)
    paras = text.split("\n")
    head, body = paras[:12], paras[12:]
    body = [p for p in body if not (p.strip() and rng.random() < 0.1)]
    other = texts[rng.randrange(len(texts))].split("\n")
    borrowed = [p for p in other if len(p) > 80]
    if borrowed and body:
        body.insert(rng.randrange(len(body)), rng.choice(borrowed))
    return "\n".join(head + body) + f"\nBản số {i}.\n"


def _write_docx(text: str, path: Path) -> None:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        # XML 1.0 forbids most control characters; python-docx would refuse them.
        d.add_paragraph(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", line))
    d.save(str(path))


def make_corpus(out: Path, n: int, n_pdf: int) -> dict[str, int]:
    marker = out / ".complete.json"
    if marker.is_file():
        info = json.loads(marker.read_text())
        if info.get("docs") == n and info.get("pdf") == n_pdf:
            return dict(info)
    shutil.rmtree(out, ignore_errors=True)
    texts = _sources()
    formats = {"txt": 0, "docx": 0, "pdf": 0}
    pdf_src = out.parent / "pdf-src"
    shutil.rmtree(pdf_src, ignore_errors=True)
    pdf_src.mkdir(parents=True)
    pdf_every = max(1, n // max(n_pdf, 1)) if n_pdf else 0
    t0 = time.monotonic()
    for i in range(n):
        folder = out / f"{i // 500:03}"
        folder.mkdir(parents=True, exist_ok=True)
        text = vary(texts, i)
        if pdf_every and i % pdf_every == 0 and formats["pdf"] < n_pdf:
            _write_docx(text, pdf_src / f"vb-{i:05}.docx")
            formats["pdf"] += 1
        elif i % 2:
            _write_docx(text, folder / f"vb-{i:05}.docx")
            formats["docx"] += 1
        else:
            (folder / f"vb-{i:05}.txt").write_text(text, encoding="utf-8")
            formats["txt"] += 1
    if formats["pdf"]:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            raise SystemExit("LibreOffice (soffice) is needed for the PDF part; use --pdf 0")
        pdf_out = out / "pdf"
        pdf_out.mkdir()
        sources = sorted(pdf_src.glob("*.docx"))
        for k in range(0, len(sources), 100):
            subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(pdf_out),
                            *map(str, sources[k:k + 100])], check=True, capture_output=True, timeout=1800)
    shutil.rmtree(pdf_src, ignore_errors=True)
    info = dict(formats, docs=n, seconds=round(time.monotonic() - t0, 1))
    marker.write_text(json.dumps(info))
    return info


# --------------------------------------------------------------------------- measurements


def _db_size(url: str, store: object) -> int:
    from sqlalchemy import text

    if url.startswith("sqlite"):
        with store.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        path = Path(url.split(":///", 1)[1])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def search_latency(url: str, repeats: int = 5) -> dict[str, float]:
    from vanban.corpus.search import search
    from vanban.corpus.store import Store

    times: list[float] = []
    hits = 0
    with Store.open(url) as store:
        for q in QUERIES:
            search(q, db=store)  # warm the caches once
        for _ in range(repeats):
            for q in QUERIES:
                t = time.perf_counter()
                hits += len(search(q, db=store, limit=20))
                times.append(time.perf_counter() - t)
    times.sort()
    return {"queries": len(times), "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
            "max_ms": round(times[-1] * 1000, 2), "hits_per_query": round(hits / len(times), 1)}


def run_one(corpus: Path, url: str, workers: int) -> dict[str, Any]:
    from vanban.corpus.index import index
    from vanban.corpus.store import Store

    s = index([corpus], db=url, workers=workers, progress=sys.stderr.isatty())
    again = time.monotonic()
    s2 = index([corpus], db=url, workers=workers, progress=False)
    rerun = time.monotonic() - again
    with Store.open(url) as store:
        counts = store.counts()
        size = _db_size(url, store)
    docs = counts.get("documents_indexed", 0)
    return {
        "workers": workers, "indexed": s.indexed, "failed": s.failed, "seconds": round(s.seconds, 1),
        "docs_per_s": round(s.indexed / s.seconds, 1) if s.seconds else None,
        "rerun_unchanged": s2.unchanged, "rerun_seconds": round(rerun, 2),
        "db_bytes": size, "bytes_per_doc": round(size / docs) if docs else None,
        "failures": sorted({f["code"] for f in s.failures}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--pdf", type=int, default=300)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/vanban-index-bench"))
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()

    corpus = args.workdir / "corpus"
    info = make_corpus(corpus, args.docs, args.pdf)
    print(f"corpus: {json.dumps(info)}", flush=True)
    runs: list[dict[str, Any]] = []
    results: dict[str, object] = {"corpus": info, "cpus": os.cpu_count(), "runs": runs}
    for engine in args.engines.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            if engine == "sqlite":
                db = args.workdir / f"archive-{workers}.sqlite"
                for p in args.workdir.glob(db.name + "*"):
                    p.unlink()
                url = f"sqlite:///{db}"
                row = run_one(corpus, url, workers)
                row["search"] = search_latency(url)
            else:
                from tests.pg_server import Unavailable, create_database, drop_database, throwaway_postgres

                try:
                    with throwaway_postgres() as server:
                        url = create_database(server)
                        try:
                            row = run_one(corpus, url, workers)
                            row["search"] = search_latency(url)
                        finally:
                            drop_database(server, url)
                except Unavailable as err:
                    print(f"postgresql skipped: {err}")
                    continue
            row["engine"] = engine
            runs.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print("\n| engine | workers | docs | s | docs/s | re-run (unchanged) | DB bytes/doc | search median | p95 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        sr = r["search"]
        print(f"| {r['engine']} | {r['workers']} | {r['indexed']} | {r['seconds']} | {r['docs_per_s']} | "
              f"{r['rerun_seconds']} s | {r['bytes_per_doc']:,} | {sr['median_ms']} ms | {sr['p95_ms']} ms |")


if __name__ == "__main__":
    main()
