"""Shared setup of the web app tests: an archive with two seed plans and one failed file."""

from __future__ import annotations

from pathlib import Path

from tests.paths import SEEDS

FAILED_PATH = "/luu-tru/ke-hoach-hong.docx"
FAILED_MESSAGE = "not a valid .docx file: damaged zip archive"


def seed_archive(db: str, n: int = 2) -> list[Path]:
    """The first ``n`` seed plans stored through the corpus API as `vanban index` would store
    them (with their findings), the registry synced, and one file that failed."""
    from vanban.corpus.registry import Registry
    from vanban.corpus.store import Store

    from vanban.api import check, extract

    seeds = sorted(SEEDS.glob("*.txt"))[:n]
    with Store.open(db) as store:
        store.sync_registry(Registry.load_default(user=False))
        for seed in seeds:
            doc = extract(seed)
            store.write_document(doc, check(doc).findings, path=str(seed), mtime=seed.stat().st_mtime)
        store.path_failed(FAILED_PATH, "VB104", f"{FAILED_PATH}: {FAILED_MESSAGE}", size=10, mtime=0.0,
                          format=".docx")
    return seeds
