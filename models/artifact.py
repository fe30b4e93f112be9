"""The shipped model files: one JSON document per model in ``models/data/<name>.json``.

Every artifact carries, beside its weights (``payload``), where it came from and how well it did:

    {"format": "vanban-model/1", "name": "roles", "version": 1,
     "description": "...",
     "data": {"sha256": "...", "documents": 61, "examples": 1204, "heldout": ["003", ...]},
     "scores": {"heldout": {"rules": {...}, "model": {...}, "shipped": {...}}},
     "in_use": true, "decision": "why the extractor does or does not call it",
     "payload": {...}}

``in_use`` is decided by training (``python -m models.train``) from the held-out scores: the
extractor asks :func:`active` and gets ``None`` both for a model that lost to the rules and for a
file that is missing or unreadable, so extraction never depends on a model being there. A bad
file is reported once (a warning naming the file) and ``vanban --version`` lists it.

Weights are applied in plain Python by each model's module; nothing here imports scikit-learn or
spaCy, so loading a model costs a JSON parse.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from vanban.extractor.errors import ModelError

FORMAT = "vanban-model/1"
DATA = Path(__file__).resolve().parent / "data"  # resolved: the strict editable install links each file
#: Every model vanban knows how to use, in the order ``vanban --version`` lists them.
KNOWN = ("doctype", "family", "roles", "units", "clauses")
_REQUIRED = {"format": str, "name": str, "version": int, "description": str, "data": dict,
             "scores": dict, "in_use": bool, "decision": str, "payload": dict}


@dataclass(frozen=True, slots=True)
class Artifact:
    name: str
    version: int
    path: Path
    description: str
    data: dict[str, Any]
    scores: dict[str, Any]
    in_use: bool
    decision: str
    payload: dict[str, Any]

    @property
    def data_sha256(self) -> str:
        return str(self.data.get("sha256", ""))


@dataclass(frozen=True, slots=True)
class Status:
    """What ``vanban --version`` says about one model."""

    name: str
    state: str  # "in use" | "not used" | "absent" | "unreadable"
    artifact: Artifact | None
    error: str | None = None

    def line(self) -> str:
        if self.artifact is None:
            why = f" ({self.error})" if self.error else ""
            return f"{self.name}: {self.state}{why}; rules only"
        a = self.artifact
        return f"{self.name} v{a.version} (data {a.data_sha256[:12]}): {self.state}"


def models_dir() -> Path:
    """Where the models are read from: ``$VANBAN_MODELS_DIR`` when set (an empty folder runs
    vanban on its rules alone, to compare), else the shipped ``models/data``."""
    env = os.environ.get("VANBAN_MODELS_DIR")
    return Path(env) if env else DATA


def path_of(name: str, folder: Path | None = None) -> Path:
    return (folder or models_dir()) / f"{name}.json"


def read(path: Path, name: str | None = None) -> Artifact:
    """The artifact in ``path``; :class:`ModelError` naming the file when it cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError("model file is missing", path=path) from None
    except OSError as exc:
        raise ModelError(f"model file cannot be read: {exc.strerror or exc}", path=path) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ModelError("model file is not UTF-8 text (corrupted?)", path=path) from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"model file is not valid JSON (line {exc.lineno}: {exc.msg})", path=path) from None
    if not isinstance(data, dict):
        raise ModelError("model file does not hold a JSON object", path=path)
    for key, kind in _REQUIRED.items():
        if key not in data:
            raise ModelError(f"model file has no {key!r}", path=path)
        if not isinstance(data[key], kind) or (kind is int and isinstance(data[key], bool)):
            raise ModelError(f"model file's {key!r} is not a {kind.__name__}", path=path)
    if data["format"] != FORMAT:
        raise ModelError(f"model format {data['format']!r} is not {FORMAT!r}", path=path)
    if name is not None and data["name"] != name:
        raise ModelError(f"model file holds {data['name']!r}, expected {name!r}", path=path)
    return Artifact(
        name=data["name"], version=data["version"], path=path, description=data["description"],
        data=data["data"], scores=data["scores"], in_use=data["in_use"], decision=data["decision"],
        payload=data["payload"],
    )


@cache
def load(name: str, folder: Path | None = None) -> Artifact:
    """The shipped artifact ``name`` (cached); raises :class:`ModelError`."""
    return read(path_of(name, folder), name)


_warned: set[str] = set()
_built: dict[str, tuple[Artifact, Any]] = {}
T = TypeVar("T")


def _warn_once(name: str, exc: ModelError) -> None:
    if name not in _warned:
        _warned.add(name)
        warnings.warn(f"{exc} [{exc.code}]; using the rules instead", RuntimeWarning, stacklevel=3)


def clear_cache() -> None:
    """Forget loaded artifacts, built models and given warnings (tests, a changed models folder)."""
    load.cache_clear()
    _warned.clear()
    _built.clear()


def active(name: str, folder: Path | None = None) -> Artifact | None:
    """The artifact when it exists, reads cleanly and training chose to use it; else None.

    An unreadable file is not an extraction error: the rules answer instead, and the problem is
    reported once per process as a warning that names the file.
    """
    try:
        art = load(name, folder)
    except ModelError as exc:
        if path_of(name, folder).exists():  # absent is not a problem
            _warn_once(name, exc)
        return None
    return art if art.in_use else None


def build(art: Artifact, make: Callable[[dict[str, Any]], T]) -> T:
    """The model ``make`` builds from the artifact's payload. A payload in the right envelope but
    of the wrong shape is as unusable as a bad file: :class:`ModelError` naming the file."""
    try:
        return make(art.payload)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ModelError(f"model payload cannot be used ({type(exc).__name__}: {exc})", path=art.path) from None


def model(name: str, make: Callable[[dict[str, Any]], T]) -> T | None:
    """The model ``make`` builds from the payload of the active artifact ``name`` (once per
    artifact), or None for the rules: absent, not in use, unreadable or an unusable payload, the
    last two reported once, naming the file."""
    art = active(name)
    if art is None:
        return None
    hit = _built.get(name)
    if hit is not None and hit[0] is art:
        return hit[1]
    built: T | None = None
    try:
        built = build(art, make)
    except ModelError as exc:
        _warn_once(name, exc)
    _built[name] = (art, built)
    return built


def status(folder: Path | None = None) -> list[Status]:
    out = []
    for name in KNOWN:
        path = path_of(name, folder)
        if not path.exists():
            out.append(Status(name, "absent", None))
            continue
        try:
            art = read(path, name)
        except ModelError as exc:
            out.append(Status(name, "unreadable", None, f"{exc.message} [{exc.code}]"))
            continue
        out.append(Status(name, "in use" if art.in_use else "not used (rules win)", art))
    return out


def dumps(artifact: dict[str, Any]) -> str:
    """The bytes training writes: sorted keys, so retraining on the same data is byte-identical."""
    return json.dumps(artifact, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
