"""Every value that flows through the pipeline: ingested text, extracted entities, the document.

All offsets are half-open ``[start, end)`` into one string: the normalized text (NFC, legacy
encodings converted) that ingest produces. For every entity ``text[e.start:e.end] == e.text``.
Each type serializes to exactly the JSON of ``shared/spec/extraction.md`` through ``to_dict``
and comes back through ``from_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

SCHEMA_VERSION = 1

Family = Literal["party", "state", "joint", "unknown"]
Role = Literal["purpose", "content", "implementation", "timeline", "funding", "other"]
DeadlineKind = Literal["before", "by", "on", "from", "period", "recurring"]


def _plain(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class _Serial:
    """to_dict/from_dict for flat frozen dataclasses (nested ones override)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
        return cls(**kwargs)


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class Block(_Serial):
    """One paragraph, heading, table cell or PDF line of the normalized text, with style hints.

    ``start``/``end`` cover the block's text without its trailing newline.
    """

    start: int
    end: int
    kind: Literal["paragraph", "heading", "cell", "line"] = "paragraph"
    bold: bool | None = None  # True when all (non-space) text of the block is bold
    italic: bool | None = None
    align: Literal["left", "center", "right", "justify"] | None = None
    heading_level: int | None = None  # from a Word heading style or a markdown '#'
    page: int | None = None  # 1-based PDF page
    table: int | None = None  # table index, for cells
    row: int | None = None
    col: int | None = None
    numbering: str | None = None  # list label Word generates ("1.", "a)"), already in the text


@dataclass(frozen=True, slots=True)
class Origin(_Serial):
    """Where ``text[start:end]`` came from in the source file.

    ``locator`` is format specific: ``"p12"`` (.docx body paragraph 12), ``"t0r1c0p0"`` (.docx
    table 0, row 1, cell 0, paragraph 0), ``"page3"`` (.pdf), ``"line40"`` (.txt/.md).
    ``run`` is the .docx run index within that paragraph, ``offset`` the character offset
    within the run (or the raw file offset for text formats). Text vanban generated itself
    (auto numbers, inserted newlines) has ``generated=True``.
    """

    start: int
    end: int
    locator: str
    run: int | None = None
    offset: int | None = None
    page: int | None = None
    generated: bool = False


@dataclass(frozen=True, slots=True)
class Quality(_Serial):
    """How much the text looks like real Vietnamese; garbled or scanned input is reported."""

    chars: int
    syllables: int
    valid_syllable_ratio: float  # share of letter tokens that are valid Vietnamese/ASCII syllables
    replacement_chars: int  # U+FFFD and '?' inside words
    broken_diacritics: int  # stray combining marks, legacy-font leftovers
    verdict: Literal["ok", "suspect", "garbled", "empty"]


@dataclass(frozen=True, slots=True)
class Source(_Serial):
    path: str | None
    format: str
    sha256: str
    pages: int | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class IngestedDocument:
    """The normalized text of one file, its block structure and its way back to the source."""

    source: Source
    text: str
    blocks: tuple[Block, ...]
    origins: tuple[Origin, ...]
    quality: Quality
    encoding: str | None = None  # byte encoding of a text file ("utf-8", "utf-16", "cp1258")
    conversions: tuple[str, ...] = ()  # "tcvn3", "vni", "nfc", "u01a3", "ocr", …
    warnings: tuple[str, ...] = ()

    def origin_at(self, offset: int) -> Origin | None:
        """The source location of the character at ``offset`` (binary search)."""
        lo, hi = 0, len(self.origins)
        while lo < hi:
            mid = (lo + hi) // 2
            o = self.origins[mid]
            if o.end <= offset:
                lo = mid + 1
            elif o.start > offset:
                hi = mid
            else:
                return o
        return None

    def block_at(self, offset: int) -> Block | None:
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if b.end < offset:
                lo = mid + 1
            elif b.start > offset:
                hi = mid
            else:
                return b
        return None


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class Span(_Serial):
    """A located piece of text with no further structure (header lines, motto, …)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Citation(_Serial):
    text: str
    start: int
    end: int
    type: str | None
    type_code: str | None
    number: str | None
    symbol: str | None
    date: str | None
    issuer: str | None
    title: str | None
    key: str
    date_text: str | None = None  # the date as written, kept when it is impossible
    date_valid: bool = True
    relation: Literal["implements", "basis", "mention"] = "mention"  # "Thực hiện"/"Căn cứ" …
    year: int | None = None  # year inside a normative symbol (04/2015/NĐ-CP)


@dataclass(frozen=True, slots=True)
class Reference(_Serial):
    """A short back-reference ("Nghị quyết trên"); ``key`` only when exactly one citation fits."""

    text: str
    start: int
    end: int
    type: str | None
    key: str | None


@dataclass(frozen=True, slots=True)
class Deadline(_Serial):
    text: str
    start: int
    end: int
    date: str | None
    kind: DeadlineKind
    end_date: str | None = None  # for periods ("quý III/2024" → 2024-07-01 … 2024-09-30)
    valid: bool = True  # False for impossible dates ("31/4/2024"), kept with their text
    inferred_year: bool = False  # year taken from the plan's own date


@dataclass(frozen=True, slots=True)
class Target(_Serial):
    text: str
    start: int
    end: int
    value: float | None
    unit: str | None
    kind: Literal["percent", "count", "rank", "level", "other"] = "other"


@dataclass(frozen=True, slots=True)
class Unit(_Serial):
    name: str
    start: int
    end: int
    kind: str | None = None  # "party", "state", "mass", "post", "other"


@dataclass(frozen=True, slots=True)
class Task(_Serial):
    unit: str
    text: str
    start: int
    end: int
    deadline: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    number: str | None
    title: str
    role: Role
    level: int
    start: int  # start of the heading line
    end: int  # end of the section's body (start of the next heading at the same or a higher level)
    heading_end: int = 0  # end of the heading line
    children: tuple[Section, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "role": self.role,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "heading_end": self.heading_end,
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            number=data.get("number"),
            title=data["title"],
            role=data["role"],
            level=data["level"],
            start=data["start"],
            end=data["end"],
            heading_end=data.get("heading_end", 0),
            children=tuple(cls.from_dict(c) for c in data.get("children", [])),
        )

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


@dataclass(frozen=True, slots=True)
class Signer(_Serial):
    authority: str | None  # "TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ỦY", "KT. CHỦ TỊCH"
    position: str | None
    name: str | None
    start: int = 0  # span of the whole signature block
    end: int = 0


@dataclass(frozen=True, slots=True)
class Header:
    """The ``document`` object of the contract, plus the located evidence the checks need."""

    family: Family = "unknown"
    type: str | None = None
    type_code: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    signers: tuple[Signer, ...] = ()
    recipients: tuple[str, ...] = ()
    # Evidence, located in the text (None when absent):
    motto: Span | None = None  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "ĐẢNG CỘNG SẢN VIỆT NAM"
    slogan: Span | None = None  # "Độc lập - Tự do - Hạnh phúc"
    issuer_span: Span | None = None
    number_span: Span | None = None  # the whole "Số: 22/KH-UBND" line part
    date_span: Span | None = None  # the whole "<place>, ngày … tháng … năm …" part
    date_valid: bool = True
    type_span: Span | None = None  # "KẾ HOẠCH"
    title_span: Span | None = None
    recipients_span: Span | None = None  # the whole "Nơi nhận" block
    recipient_spans: tuple[Span, ...] = ()
    inferred: tuple[str, ...] = ()  # names of fields inferred from the body, not the header

    _CONTRACT = (
        "family", "type", "type_code", "number", "symbol", "date", "place", "issuer", "title",
    )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self._CONTRACT}
        out["signers"] = [s.to_dict() for s in self.signers]
        out["recipients"] = list(self.recipients)
        for name in ("motto", "slogan", "issuer_span", "number_span", "date_span", "type_span",
                     "title_span", "recipients_span"):
            span = getattr(self, name)
            out[name] = span.to_dict() if span else None
        out["recipient_spans"] = [s.to_dict() for s in self.recipient_spans]
        out["date_valid"] = self.date_valid
        out["inferred"] = list(self.inferred)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Header:
        def span(v: Any) -> Span | None:
            return Span.from_dict(v) if v else None

        return cls(
            **{name: data.get(name) for name in cls._CONTRACT if name != "family"},
            family=data.get("family") or "unknown",
            signers=tuple(Signer.from_dict(s) for s in data.get("signers", [])),
            recipients=tuple(data.get("recipients", [])),
            motto=span(data.get("motto")),
            slogan=span(data.get("slogan")),
            issuer_span=span(data.get("issuer_span")),
            number_span=span(data.get("number_span")),
            date_span=span(data.get("date_span")),
            date_valid=data.get("date_valid", True),
            type_span=span(data.get("type_span")),
            title_span=span(data.get("title_span")),
            recipients_span=span(data.get("recipients_span")),
            recipient_spans=tuple(Span.from_dict(s) for s in data.get("recipient_spans", [])),
            inferred=tuple(data.get("inferred", [])),
        )


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """Everything vanban knows about one document; ``to_dict`` is the extraction contract."""

    source: Source
    text: str
    document: Header
    sections: tuple[Section, ...] = ()
    citations: tuple[Citation, ...] = ()
    references: tuple[Reference, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    targets: tuple[Target, ...] = ()
    units: tuple[Unit, ...] = ()
    tasks: tuple[Task, ...] = ()
    quality: Quality | None = None
    conversions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    ingested: IngestedDocument | None = field(default=None, compare=False, repr=False)

    def all_sections(self) -> list[Section]:
        out: list[Section] = []
        for s in self.sections:
            out.extend(s.walk())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source.to_dict(),
            "text": self.text,
            "document": self.document.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "citations": [c.to_dict() for c in self.citations],
            "references": [r.to_dict() for r in self.references],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "targets": [t.to_dict() for t in self.targets],
            "units": [u.to_dict() for u in self.units],
            "tasks": [t.to_dict() for t in self.tasks],
            "quality": self.quality.to_dict() if self.quality else None,
            "conversions": list(self.conversions),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedDocument:
        return cls(
            source=Source.from_dict(data["source"]),
            text=data["text"],
            document=Header.from_dict(data.get("document") or {}),
            sections=tuple(Section.from_dict(s) for s in data.get("sections", [])),
            citations=tuple(Citation.from_dict(c) for c in data.get("citations", [])),
            references=tuple(Reference.from_dict(r) for r in data.get("references", [])),
            deadlines=tuple(Deadline.from_dict(d) for d in data.get("deadlines", [])),
            targets=tuple(Target.from_dict(t) for t in data.get("targets", [])),
            units=tuple(Unit.from_dict(u) for u in data.get("units", [])),
            tasks=tuple(Task.from_dict(t) for t in data.get("tasks", [])),
            quality=Quality.from_dict(data["quality"]) if data.get("quality") else None,
            conversions=tuple(data.get("conversions", [])),
            warnings=tuple(data.get("warnings", [])),
        )
