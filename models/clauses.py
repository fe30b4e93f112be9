"""What kind of sentence or clause a piece of a plan is: ``task``, ``target``, ``deadline`` or ``other``.

The rules find targets by their numbers (``extractor/targets.py``), deadlines by their dates
(``extractor/deadlines.py``) and tasks by the units that open a paragraph of the implementation
section (``extractor/tasks.py``). A plan also commits to things without a number ("Phấn đấu
không để xảy ra khiếu kiện đông người"), sets time limits without a date ("Hoàn thành trước Tết
Nguyên đán") and gives tasks outside the implementation section ("Tăng cường công tác tuyên
truyền …"). This module cuts a text into clauses (:func:`split`, shared by training and run time)
and labels each with a logistic regression over word and character n-grams of the folded clause,
trained with scikit-learn by ``models/train_clauses.py`` and applied here in plain Python from the
weights in ``data/clauses.json``.

The extractor does not call it (see the artifact's ``decision``): the JSON contract has no place
for a bare clause label. Library users get :func:`classify` (the model alone; raises
:class:`~vanban.extractor.errors.ModelError` when the artifact cannot be read) and
:func:`labels_of` (the rules' labels, completed by the model where they say "other"; the rules
alone, with a warning naming the file, when the artifact cannot be read).
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.extractor.errors import ModelError
from vanban.models.linear import softmax, sparse_scores

if TYPE_CHECKING:
    from vanban.extractor.model import ExtractedDocument

LABELS = ("task", "target", "deadline", "other")


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    start: int
    end: int  # text[start:end] == self.text in the text that was split


@dataclass(frozen=True, slots=True)
class Labelled:
    clause: Clause
    label: str
    probability: float


# --------------------------------------------------------------------------- splitting

# Where a clause may end: a line break, a semicolon, a full stop before a blank.
_BOUNDARY_RE = re.compile(r"\n|;|\.(?=\s|$)")
# What opens a list item or a heading and is not part of the clause ("- ", "2.1. ", "a) ", "**").
_MARKER_RE = re.compile(
    r"[\s*_#>|]*(?:(?:[-+•–—▪●◦]|\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[a-zđ])[.)](?!\d)|\(\d{1,2}\))[\s*_]*)*",
    re.IGNORECASE,
)
_ONLY_MARKER_RE = re.compile(
    _MARKER_RE.pattern + r"\(?(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[a-zđ]|tp|tt|ths|ts|gs|pgs|st|v\.v)",
    re.IGNORECASE,
)
_TRAIL = " \t\r\n*_|:,"


def _soft_break(text: str, nl: int) -> bool:
    """A line break inside a sentence (hard-wrapped text): no stop before it, lower case after it."""
    before = text[max(0, nl - 8):nl].rstrip(" \t\r*_")
    after = text[nl:nl + 8].lstrip(" \t\n\r*_")
    return bool(before) and before[-1] not in ".;:!?" and bool(after) and after[0].islower()


def split(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """The clauses of ``text[start:end]`` in order: pieces between line breaks (a wrapped line
    that goes on in lower case stays joined), semicolons and full stops, list markers and
    markdown stripped. Pieces without a letter are left out."""
    end = len(text) if end is None else end
    out: list[Clause] = []
    seg = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        p = m.start()
        ch = text[p]
        if ch == "\n" and _soft_break(text, p):
            continue
        if ch == "." and _ONLY_MARKER_RE.fullmatch(text, seg, p):
            continue  # "1." / "II." / "a." of a heading, "TP." of a name: not the end of anything
        _emit(text, seg, p, out)
        seg = p + 1
    _emit(text, seg, end, out)
    return out


def _emit(text: str, s: int, e: int, out: list[Clause]) -> None:
    m = _MARKER_RE.match(text, s, e)
    if m:
        s = m.end()
    while e > s and text[e - 1] in _TRAIL:
        e -= 1
    while s < e and text[s] in _TRAIL:
        s += 1
    if s < e and any(c.isalpha() for c in text[s:e]):
        out.append(Clause(text[s:e], s, e))


# --------------------------------------------------------------------------- features

_DIGITS_RE = re.compile(r"\d+")
_TOKEN_RE = re.compile(r"[a-z0]+|%|/")


def fold_clause(text: str) -> str:
    """Lower case, no diacritics, every run of digits → "0", blanks collapsed."""
    from vanban.extractor.units import fold_keep_length

    return " ".join(_DIGITS_RE.sub("0", fold_keep_length(text)).split())


def features(text: str) -> list[str]:
    """The feature names of a clause: its first three words (where a clause says what it is),
    word 1-2-grams, character 3-5-grams inside words, and a length bucket. Sorted, unique."""
    folded = fold_clause(text)
    words = _TOKEN_RE.findall(folded)
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in itertools.pairwise(words))
    feats.update(f"f:{i}:{w}" for i, w in enumerate(words[:3]))
    for w in words:
        padded = f" {w} "
        for n in (3, 4, 5):
            feats.update(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    feats.add(f"len:{min(6, int(math.log2(len(words) + 1)))}")
    if "%" in folded:
        feats.add("has:%")
    if "0" in folded:
        feats.add("has:0")
    return sorted(feats)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class ClauseModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]  # feature -> one weight per class
    thresholds: dict[str, float]  # least probability for a label the rules did not give

    def probabilities(self, text: str) -> dict[str, float]:
        return softmax(self.classes, sparse_scores(self.intercept, self.weights, ((f, 1.0) for f in features(text))))

    def predict(self, text: str) -> tuple[str, float]:
        p = self.probabilities(text)
        best = max(self.classes, key=p.__getitem__)
        return best, p[best]

    @classmethod
    def from_payload(cls, payload: dict[str, Any], path: Path | None = None) -> ClauseModel:
        try:
            classes = tuple(str(c) for c in payload["classes"])
            n = len(classes)
            intercept = tuple(float(b) for b in payload["intercept"])
            weights = {str(f): tuple(float(v) for v in w) for f, w in payload["weights"].items()}
            thresholds = {str(k): float(v) for k, v in payload.get("thresholds", {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"clauses model payload is malformed ({exc!r})", path=path) from None
        if set(classes) != set(LABELS) or len(intercept) != n or any(len(w) != n for w in weights.values()):
            raise ModelError("clauses model payload does not fit its classes", path=path)
        return cls(classes, intercept, weights, thresholds)


_loaded: dict[tuple[str, int, int], ClauseModel] = {}


def load(folder: Path | None = None) -> ClauseModel:
    """The shipped model (whether or not the extractor uses it); :class:`ModelError` naming the
    file when it is missing or unreadable. ``$VANBAN_MODELS_DIR`` is honoured."""
    from vanban.models import artifact

    path = artifact.path_of("clauses", folder)
    try:
        st = path.stat()
    except OSError:
        raise ModelError("model file is missing", path=path) from None
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _loaded:
        art = artifact.read(path, "clauses")
        _loaded[key] = ClauseModel.from_payload(art.payload, path)
    return _loaded[key]


def classify(text: str, *, folder: Path | None = None) -> list[Labelled]:
    """Every clause of ``text`` with the model's label and its probability.

    Raises :class:`ModelError` when the model file cannot be used; :func:`labels_of` falls back
    to the rules instead.
    """
    model = load(folder)
    out = []
    for c in split(text):
        label, p = model.predict(c.text)
        out.append(Labelled(c, label, p))
    return out


def rule_labels(doc: ExtractedDocument, start: int = 0) -> list[Labelled]:
    """The clauses of an extracted document from ``start`` on, labelled by the rule extractors:
    a clause overlapping a target is ``target``, else one overlapping a deadline ``deadline``,
    else one inside a task ``task``, else ``other`` (probability 1). Training's weak labels."""
    spans = {
        "target": [(t.start, t.end) for t in doc.targets],
        "deadline": [(d.start, d.end) for d in doc.deadlines],
        "task": [(t.start, t.end) for t in doc.tasks],
    }
    out = []
    for c in split(doc.text, start):
        label = next((k for k, sp in spans.items() if any(s < c.end and c.start < e for s, e in sp)), "other")
        out.append(Labelled(c, label, 1.0))
    return out


def combine(rule: str, probs: dict[str, float], thresholds: dict[str, float]) -> str:
    """The rules' label where they give one; else the model's when it is sure enough."""
    if rule != "other":
        return rule
    best = max(LABELS, key=probs.__getitem__)
    return best if best != "other" and probs[best] >= thresholds.get(best, 1.01) else "other"


def labels_of(doc: ExtractedDocument, *, folder: Path | None = None) -> list[Labelled]:
    """The clauses of an extracted document, labelled by the rules and, where they say "other",
    by the model when it is sure enough (the thresholds stored with it). When the model file
    cannot be used, a warning naming it and the rules' labels alone."""
    rules = rule_labels(doc)
    try:
        model = load(folder)
    except ModelError as exc:
        warnings.warn(f"{exc} [{exc.code}]; using the rules instead", RuntimeWarning, stacklevel=2)
        return rules
    out = []
    for r in rules:
        if r.label != "other":
            out.append(r)
            continue
        probs = model.probabilities(r.clause.text)
        label = combine("other", probs, model.thresholds)
        out.append(Labelled(r.clause, label, probs[label]))
    return out
