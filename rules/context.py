"""What a check function sees (the document, its reference date, the registry) and what it returns.

A check is ``fn(ctx, params) -> Iterable[Hit]``. It decides *whether and where* a rule fires;
the engine turns each hit into a ``Finding`` with the rule's severity, message template, basis
and suggestion. ``Hit.vars`` fill the templates' placeholders; a value may be a ``Text`` with
Vietnamese and English forms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from vanban.extractor.model import Citation, ExtractedDocument, Section
from vanban.extractor.normalize import ascii_dashes

if TYPE_CHECKING:
    from vanban.corpus.registry import Registry

FAMILIES: tuple[str, ...] = ("party", "state", "joint", "unknown")


@dataclass(frozen=True, slots=True)
class Text:
    """A placeholder value in both languages."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi

    def __str__(self) -> str:
        return self.vi


Value = str | int | float | Text


@dataclass(frozen=True, slots=True)
class Hit:
    """One place where a rule fires."""

    start: int = 0
    end: int = 0
    subject: str | None = None
    vars: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter of a check family: its type, default and meaning."""

    kind: type | tuple[type, ...]
    default: Any = None
    doc: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Check:
    """A check family: the function, the parameters it accepts and the placeholders it fills."""

    fn: Callable[[CheckContext, Mapping[str, Any]], Iterable[Hit]]
    params: Mapping[str, Param] = field(default_factory=dict)
    vars: tuple[str, ...] = ()
    manual: bool = False  # lists a "kiểm tra thủ công" item instead of a finding
    doc: str = ""


# --------------------------------------------------------------------------- text helpers



@lru_cache(maxsize=8192)
def fold(s: str | None) -> str:
    """Case-, diacritic- and spacing-insensitive form (đ → d), for matching words."""
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = ascii_dashes(s)
    return re.sub(r"\s+", " ", s).strip().casefold()


def vi_date(iso: str | date | None) -> str:
    """18/3/2024 — the way Vietnamese texts write a date (no leading zero on day or month)."""
    if iso is None:
        return "?"
    d = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def clip(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- reference date


@dataclass(frozen=True, slots=True)
class Bound:
    """A date the document's own date is known to be at or after (lower) or at or before (upper)."""

    value: date
    kind: str  # own_date | header_partial | title_year | cited_dates
    evidence: Text


EVIDENCE_KINDS: tuple[str, ...] = ("own_date", "header_partial", "title_year", "cited_dates")


@dataclass(frozen=True, slots=True)
class Reference:
    """What is known about when the document was issued, with the evidence for each bound."""

    lower: tuple[Bound, ...] = ()
    upper: tuple[Bound, ...] = ()

    def lo(self, kinds: Iterable[str] = EVIDENCE_KINDS) -> Bound | None:
        allowed = set(kinds)
        cands = [b for b in self.lower if b.kind in allowed]
        return max(cands, key=lambda b: b.value) if cands else None

    def hi(self, kinds: Iterable[str] = EVIDENCE_KINDS) -> Bound | None:
        allowed = set(kinds)
        cands = [b for b in self.upper if b.kind in allowed]
        return min(cands, key=lambda b: b.value) if cands else None

    @property
    def exact(self) -> date | None:
        own = [b for b in self.lower if b.kind == "own_date"]
        return own[0].value if own else None

    def describe(self) -> Text | None:
        """One line for the report: which evidence dates the document."""
        lo, hi = self.lo(), self.hi()
        if lo and lo.kind == "own_date":
            return lo.evidence
        parts = [b.evidence for b in (lo, hi) if b is not None]
        if not parts:
            return None
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        return Text("; ".join(p.vi for p in parts), "; ".join(p.en for p in parts))


# --------------------------------------------------------------------------- context


@dataclass
class CheckContext:
    """The document under check and what the checks share about it (computed once, on demand)."""

    doc: ExtractedDocument
    family: str  # the document's family as checked: party | state | joint (never unknown)
    reference: Reference
    pack_family: str | None = None  # the family of the pack whose rule runs (party/state), or None
    registry_factory: Callable[[], Registry] | None = None
    _registry: Registry | None = None

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def header(self):
        return self.doc.document

    @property
    def registry(self) -> Registry | None:
        if self._registry is None and self.registry_factory is not None:
            self._registry = self.registry_factory()
        return self._registry

    @cached_property
    def type_code(self) -> str | None:
        from vanban.rules.checks.symbols import document_type_code

        return document_type_code(self.doc)

    @cached_property
    def sections(self) -> list[Section]:
        return self.doc.all_sections()

    @cached_property
    def citations(self) -> list[Citation]:
        """Citations in text order."""
        return sorted(self.doc.citations, key=lambda c: c.start)

    @cached_property
    def citation_index(self) -> dict[int, int]:
        """Position of each citation (by identity) in ``citations``."""
        return {id(c): i for i, c in enumerate(self.citations)}

    @cached_property
    def mentions(self) -> dict[str, list[Citation]]:
        """Citations grouped by key, in text order."""
        out: dict[str, list[Citation]] = {}
        for c in self.citations:
            out.setdefault(c.key, []).append(c)
        return out

    def line_of(self, offset: int) -> str:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start: end if end >= 0 else len(self.text)]
