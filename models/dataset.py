"""The data every model is trained and measured on, and its one split into train and held-out.

The corpus lives in the repository (``models/corpus/``): the 75 public documents of
``real/`` (types and sources in ``real/SOURCES.md``), the five seed plans of ``seeds/`` with their
hand-made gold in ``seeds-gold/``, and the hand-made gold of 13 real plans kept with the tests
(``tests/fixtures/real-gold/``). Administrative documents of the state are not protected works
under Vietnamese copyright law (Luật Sở hữu trí tuệ, Điều 15), which is why they can be carried.

The split is by whole document and depends on nothing but the document's id: a document is
held out when the hash of its id falls in the first fifth (a third for the 18 documents that
have gold annotations, so that the unit and section figures have enough held-out material).
Training code must never read a held-out document; ``split`` is the only door.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODELS = Path(__file__).resolve().parent
CORPUS = MODELS / "corpus"
REAL_GOLD = MODELS.parent / "tests" / "fixtures" / "real-gold"
LABELS = MODELS / "labels"
SALT = "vanban-heldout-v1"
HELDOUT_SHARE = {True: 1 / 3, False: 1 / 5}  # by "has gold annotations"
#: A small fixed sample for the training test CI runs: three plans to train on, one held out.
TINY = ("001", "031", "s001", "033")


@dataclass(frozen=True, slots=True)
class TrainingDoc:
    id: str  # "031" for real/031.txt, "s001" for the seed file whose name starts "001_"
    path: Path
    written_type: str  # as SOURCES.md writes it ("Nghị quyết HĐND"); "Kế hoạch" for the seeds
    gold: Path | None  # hand-made annotation (extraction.md shape), if any

    @property
    def heldout(self) -> bool:
        return is_heldout(self.id, self.gold is not None)

    def text(self) -> str:
        """The document's text exactly as vanban ingests it (NFC); every offset refers to it."""
        return _text(self.path)


def is_heldout(doc_id: str, has_gold: bool) -> bool:
    h = int.from_bytes(hashlib.sha256(f"{SALT}:{doc_id}".encode()).digest()[:8], "big")
    return h / 2**64 < HELDOUT_SHARE[has_gold]


@cache
def _text(path: Path) -> str:
    from vanban.api import ingest

    return ingest(path).text


def _written_types(real: Path) -> dict[str, str]:
    out = {}
    for line in (real / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def documents(root: Path = CORPUS, *, tiny: bool = False) -> list[TrainingDoc]:
    """Every corpus document, real ones first, in id order (``tiny``: the four of :data:`TINY`)."""
    real = root / "real"
    types = _written_types(real)
    out = []
    for path in sorted(real.glob("*.txt")):
        gold = REAL_GOLD / f"{path.stem}.json"
        out.append(TrainingDoc(path.stem, path, types[path.stem], gold if gold.is_file() else None))
    for path in sorted((root / "seeds").glob("*.txt")):
        gold = root / "seeds-gold" / f"{path.stem}.json"
        out.append(TrainingDoc(f"s{path.stem[:3]}", path, "Kế hoạch", gold if gold.is_file() else None))
    if tiny:
        out = [d for d in out if d.id in TINY]
    return out


def split(docs: Iterable[TrainingDoc]) -> tuple[list[TrainingDoc], list[TrainingDoc]]:
    """(train, held-out), each in id order."""
    docs = list(docs)
    return [d for d in docs if not d.heldout], [d for d in docs if d.heldout]


def sha256_of(paths: Iterable[Path]) -> str:
    """One digest over the files a model was trained from (names relative to the repository and
    contents), recorded in the artifact so a model can be traced to its data."""
    h = hashlib.sha256()
    for p in sorted({Path(p).resolve() for p in paths}):
        try:
            name = p.relative_to(MODELS.parent).as_posix()
        except ValueError:
            name = p.name
        h.update(name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()
