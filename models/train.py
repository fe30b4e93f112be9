"""Train every shipped model from the data in the repository, deterministically.

    python -m models.train                      # all models → models/data/<name>.json
    python -m models.train roles units          # some of them
    python -m models.train --check              # retrain in a temporary folder, compare with
                                                #   the shipped files byte for byte
    python -m models.train --tiny --out DIR     # the four-document sample CI trains on

(run from the checkout root; ``python -m vanban.models.train`` does the same from anywhere else.)
Needs the ``train`` extra (scikit-learn, spaCy); nothing at run time does.

Each model's trainer lives in ``train_<name>.py`` and has one entry point::

    train(train_docs, heldout_docs, *, tiny) -> dict

It fits on ``train_docs`` only, scores the rules and the model on ``heldout_docs``, decides
whether the extractor should use the model (``in_use`` and the reason, ``decision``) and returns
``version``, ``description``, ``payload``, ``scores``, ``in_use``, ``decision``, ``examples``
and ``files`` (label files it read besides the corpus). This module adds the provenance.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vanban.models import artifact, dataset

TRAINERS = {name: f"vanban.models.train_{name}" for name in artifact.KNOWN}


def build(name: str, *, tiny: bool = False) -> dict[str, Any]:
    """The artifact (as a dict) for model ``name``, trained now."""
    docs = dataset.documents(tiny=tiny)
    train_docs, heldout = dataset.split(docs)
    if tiny and not heldout:
        train_docs, heldout = docs[:-1], docs[-1:]
    trained = importlib.import_module(TRAINERS[name]).train(train_docs, heldout, tiny=tiny)
    files = [d.path for d in docs] + [d.gold for d in docs if d.gold] + list(trained.pop("files", []))
    examples = trained.pop("examples")
    return {
        "format": artifact.FORMAT,
        "name": name,
        **trained,
        "data": {
            "sha256": dataset.sha256_of(files),
            "documents": len(train_docs),
            "examples": examples,
            "heldout": [d.id for d in heldout],
            "split": f"whole documents, {dataset.SALT}" + (" (tiny sample)" if tiny else ""),
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", metavar="MODEL", help=f"which models ({', '.join(TRAINERS)}); all by default")
    ap.add_argument("--out", type=Path, default=artifact.DATA, help="where to write <name>.json")
    ap.add_argument("--tiny", action="store_true", help="train on the four-document sample (for tests)")
    ap.add_argument("--check", action="store_true", help="retrain and compare with the shipped artifacts")
    args = ap.parse_args(argv)
    names = args.names or list(TRAINERS)
    unknown = [n for n in names if n not in TRAINERS]
    if unknown:
        print(f"vanban: unknown model {unknown[0]!r}; known: {', '.join(TRAINERS)}", file=sys.stderr)
        return 2
    if not (dataset.CORPUS / "real" / "SOURCES.md").is_file():
        print(f"vanban: no training corpus at {dataset.CORPUS}", file=sys.stderr)
        return 2
    out = Path(tempfile.mkdtemp(prefix="vanban-models-")) if args.check else args.out
    out.mkdir(parents=True, exist_ok=True)
    differ = []
    for name in names:
        started = time.perf_counter()
        text = artifact.dumps(build(name, tiny=args.tiny))
        target = artifact.path_of(name, out)
        target.write_text(text, encoding="utf-8")
        art = artifact.read(target, name)
        note = ""
        if args.check:
            shipped = artifact.path_of(name)
            same = shipped.is_file() and shipped.read_text(encoding="utf-8") == text
            note = "  identical to the shipped file" if same else "  DIFFERS from the shipped file"
            if not same:
                differ.append(name)
        print(f"{name}: v{art.version}, {art.data['documents']} documents, {art.data['examples']} examples, "
              f"{'in use' if art.in_use else 'not used'}, {len(text) // 1024} KB, "
              f"{time.perf_counter() - started:.1f} s -> {target}{note}")
    if differ:
        print(f"vanban: retraining does not reproduce {', '.join(differ)} (new files in {out})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
