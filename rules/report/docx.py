"""`vanban check --annotate OUT.docx`: a copy of the user's own .docx with one Word comment per
finding, anchored on the text the finding is about.

How a finding finds its place: the span's first and last characters are mapped through
``IngestedDocument.origins`` to the source paragraph (the .docx reader's own
``find_paragraph(locator)``) and to a run and an offset inside it; runs are then split at those
offsets, keeping their formatting, so that Word highlights exactly the span. A run whose text
was converted (legacy TCVN3/VNI fonts) cannot be cut reliably and is commented whole. When a
report carries no origins (loaded from JSON) or a locator does not resolve, paragraphs are found
by scanning the document for the extracted text; failing that, the comment goes on the first
paragraph and says that the place is unknown.

Findings without a span (something missing from the document) are commented on the first
paragraph of the document, which is where a reader starts. Manual checks ("kiểm tra thủ công")
are written too, also on the first paragraph unless they carry a span, because the person
reviewing the file in Word is the one who has to do them; pass ``manual_checks=False`` to leave
them out. The source file is read once and never written.
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.rules.report import label, message

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.run import Run
    from vanban.extractor.model import IngestedDocument, Origin
    from vanban.rules.model import CheckReport, Finding


def annotate(
    report: CheckReport,
    source: Path,
    out: Path,
    *,
    author: str = "vanban",
    lang: str = "vi",
    manual_checks: bool = True,
) -> int:
    """Write ``out``: ``source`` with a comment for each finding (and manual check); return how
    many comments were written."""
    from vanban.extractor.errors import CorruptFileError, FileMissingError, UsageError
    from vanban.rules.report import check_lang

    check_lang(lang)
    source, out = Path(source), Path(out)
    if source.suffix.lower() != ".docx":
        raise UsageError(
            "chỉ ghi nhận xét được vào tệp .docx (comments can only be written into a .docx file)",
            path=source,
        )
    if out.suffix.lower() != ".docx":
        raise UsageError("tệp kết quả phải có đuôi .docx (the output must be a .docx file)", path=out)
    if not source.is_file():
        raise FileMissingError("không tìm thấy tệp (file not found)", path=source)
    if out.exists() and out.resolve() == source.resolve():
        raise UsageError(
            "tệp kết quả trùng với tệp gốc; vanban không ghi đè tệp gốc "
            "(the output is the source file; vanban never overwrites it)",
            path=out,
        )
    data = source.read_bytes()
    expected = report.document.source.sha256
    if expected and len(expected) == 64 and hashlib.sha256(data).hexdigest() != expected:
        raise UsageError(
            "báo cáo được tạo từ một tệp khác; hãy kiểm tra lại chính tệp này "
            "(the report was made from a different file; check this file again)",
            path=source,
        )

    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # zipfile, lxml and python-docx each raise their own types
        raise CorruptFileError(f"không đọc được tệp .docx (cannot read the .docx: {err})", path=source) from err

    notes = list(report.findings)
    if manual_checks:
        notes += list(report.manual_checks)
    anchors = _Anchors(document, report.document.ingested, report.document.text)
    placed = [anchors.place(f) for f in notes]
    anchors.split_runs()
    targets = [anchors.runs_for(p) for p in placed]
    for f, p, runs in zip(notes, placed, targets, strict=True):
        document.add_comment(runs, text=_comment_text(f, lang, located=p.located), author=author,
                             initials=_initials(author))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    document.save(str(tmp))
    tmp.replace(out)
    return len(notes)


# --------------------------------------------------------------------------- comment text


def _comment_text(f: Finding, lang: str, *, located: str) -> str:
    head = label("manual_comment", lang) if f.manual or located == "manual" else label(f.severity, lang)
    lines = [f"[{head}] {f.rule}: {message(f, lang)}"]
    if located == "absent":
        lines.append(label("no_location", lang))
    elif located == "unknown":
        lines.append(f"({label('unlocated', lang)})")
    if f.basis:
        lines.append(f"{label('basis', lang)}: {f.basis}")
    if f.suggestion:
        lines.append(f"{label('suggestion', lang)}: {f.suggestion}")
    return "\n".join(_xml_safe(line) for line in lines)


def _initials(author: str) -> str:
    words = [w for w in re.split(r"\W+", author) if w]
    return "".join(w[0] for w in words[:3]).upper() or "VB"


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(s: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", s)


# --------------------------------------------------------------------------- placement


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@dataclass
class _Para:
    """One ``w:p`` of the .docx and its ``w:r`` elements, counted as ``Origin.run`` counts them."""

    p: Any
    runs: list[Any]
    cuts: dict[int, set[int]] = field(default_factory=dict)  # run index -> offsets to split at
    pieces: dict[int, list[tuple[Any, int]]] = field(default_factory=dict)  # after splitting
    bounds: list[int] | None = None  # offsets of the runs in the paragraph's text (scan fallback)


@dataclass
class _Point:
    para: _Para
    run: int | None  # None: the paragraph as a whole
    offset: int = 0  # NFC offset inside the run's text (exclusive for an end point)


@dataclass
class _Placement:
    start: _Point
    end: _Point
    located: str  # "span", "absent", "unknown", "manual"


class _Anchors:
    def __init__(self, document: Document, ingested: IngestedDocument | None, text: str) -> None:
        self.document = document
        self.text = text
        self.origins: tuple[Origin, ...] = ingested.origins if ingested is not None else ()
        self._ends = [o.end for o in self.origins]
        self._paras: dict[int, _Para] = {}  # by id() of the w:p element
        self._by_locator: dict[str, _Para | None] = {}
        self._scan: list[tuple[int, int, _Para]] | None = None
        self._scan_starts: list[int] = []
        self._first: _Para | None = None

    # -- paragraphs ------------------------------------------------------------------------

    def _para(self, p: Any) -> _Para:
        from vanban.extractor.ingest.docx import paragraph_runs

        key = id(p)
        if key not in self._paras:
            self._paras[key] = _Para(p, paragraph_runs(p))
        return self._paras[key]

    def _resolve(self, locator: str) -> _Para | None:
        from vanban.extractor.ingest.docx import find_paragraph

        if locator not in self._by_locator:
            p = find_paragraph(self.document, locator)
            self._by_locator[locator] = self._para(p) if p is not None else None
        return self._by_locator[locator]

    def _run_texts(self, para: _Para) -> list[str]:
        from docx.text.run import Run

        return [_nfc(Run(r, self.document._body).text) for r in para.runs]

    def _scanned(self) -> list[tuple[int, int, _Para]]:
        """Every paragraph in document order, found in the text after the previous one: the
        way back when a report carries no origins or a locator does not resolve."""
        if self._scan is None:
            from docx.oxml.ns import qn

            self._scan = []
            cursor = 0
            for p in self.document.element.body.iter(qn("w:p")):
                para = self._para(p)
                texts = self._run_texts(para)
                joined = "".join(texts)
                needle = joined.strip()
                if not needle:
                    continue
                at = self.text.find(needle, cursor)
                if at == -1:
                    continue
                lead = len(joined) - len(joined.lstrip())
                bounds, pos = [], 0
                for t in texts:
                    bounds.append(pos)
                    pos += len(t)
                para.bounds = [*bounds, pos]
                self._scan.append((at - lead, at - lead + len(joined), para))
                cursor = at + len(needle)
            self._scan_starts = [s for s, _, _ in self._scan]
        return self._scan

    def first_paragraph(self) -> _Para:
        if self._first is None:
            for o in self.origins:
                if not o.generated and self.text[o.start : o.end].strip():
                    self._first = self._resolve(o.locator)
                    if self._first is not None:
                        break
            if self._first is None:
                scanned = self._scanned()
                if scanned:
                    self._first = scanned[0][2]
            if self._first is None:
                from docx.oxml.ns import qn

                body = self.document.element.body
                p = next(iter(body.iter(qn("w:p"))), None)
                if p is None:
                    p = self.document.add_paragraph()._p
                self._first = self._para(p)
        return self._first

    # -- offsets ---------------------------------------------------------------------------

    def _locate(self, pos: int, *, end: bool) -> _Point | None:
        """Where text offset ``pos`` is in the file; for ``end``, the point just after the
        character before ``pos``."""
        probe = pos - 1 if end else pos
        point = self._by_origin(probe) or self._by_scan(probe)
        if point is not None and end and point.run is not None and point.offset >= 0:
            point.offset += 1
        return point

    def _by_origin(self, pos: int) -> _Point | None:
        if not self.origins:
            return None
        k = bisect.bisect_right(self._ends, pos)
        if k >= len(self.origins):
            return None
        o = self.origins[k]
        if not o.start <= pos < o.end or o.generated:
            return None
        para = self._resolve(o.locator)
        if para is None:
            return None
        if o.run is None or o.run >= len(para.runs):
            return _Point(para, None)
        offset = (o.offset or 0) + pos - o.start
        # Split only runs whose text is what vanban read; a legacy-font run was converted and
        # its offsets no longer line up, so it is commented whole.
        exact = self._run_text(para, o.run) == self.text[o.start - (o.offset or 0) : o.end]
        point = _Point(para, o.run, offset)
        if exact:
            para.cuts.setdefault(o.run, set())
        else:
            point.offset = -1
        return point

    def _run_text(self, para: _Para, k: int) -> str:
        from docx.text.run import Run

        return _nfc(Run(para.runs[k], self.document._body).text)

    def _by_scan(self, pos: int) -> _Point | None:
        scanned = self._scanned()
        k = bisect.bisect_right(self._scan_starts, pos) - 1
        if k < 0:
            return None
        start, end, para = scanned[k]
        if not start <= pos < end or para.bounds is None or not para.runs:
            return None
        offset = pos - start
        r = max(0, min(bisect.bisect_right(para.bounds, offset) - 1, len(para.runs) - 1))
        para.cuts.setdefault(r, set())
        return _Point(para, r, offset - para.bounds[r])

    # -- placing findings --------------------------------------------------------------------

    def place(self, f: Finding) -> _Placement:
        start = max(0, min(f.start, len(self.text)))
        end = max(start, min(f.end, len(self.text)))
        # Anchor on visible text: leading and trailing line breaks belong to no run.
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end <= start:
            first = self.first_paragraph()
            return _Placement(_Point(first, None), _Point(first, None), "manual" if f.manual else "absent")
        a = self._locate(start, end=False)
        b = self._locate(end, end=True)
        if a is None and b is None:
            first = self.first_paragraph()
            return _Placement(_Point(first, None), _Point(first, None), "unknown")
        if a is None:
            assert b is not None
            a = _Point(b.para, None)
        if b is None or not _same_container(a.para, b.para):
            b = _Point(a.para, None)
        for point in (a, b):
            if point.run is not None and point.offset >= 0:
                point.para.cuts[point.run].add(point.offset)
        return _Placement(a, b, "manual" if f.manual else "span")

    def split_runs(self) -> None:
        """Split plain-text runs where a comment starts or ends, so Word marks just the span."""
        for para in self._paras.values():
            for k, cuts in para.cuts.items():
                para.pieces[k] = _split_run(para.runs[k], sorted(cuts))

    def runs_for(self, placement: _Placement) -> list[Run]:
        from docx.text.run import Run

        first = self._element(placement.start, last=False)
        last = self._element(placement.end, last=True)
        body = self.document._body
        return [Run(first, body), Run(last, body)]

    def _element(self, point: _Point, *, last: bool) -> Any:
        para = point.para
        if not para.runs:
            from docx.text.paragraph import Paragraph

            run = Paragraph(para.p, self.document._body).add_run("")
            para.runs = [run._r]
        if point.run is None:
            k = len(para.runs) - 1 if last else 0
            pieces = para.pieces.get(k) or [(para.runs[k], 0)]
            return pieces[-1][0] if last else pieces[0][0]
        pieces = para.pieces.get(point.run) or [(para.runs[point.run], 0)]
        if point.offset < 0:
            return pieces[-1][0] if last else pieces[0][0]
        target = point.offset - 1 if last else point.offset
        chosen = pieces[0][0]
        for element, offset in pieces:
            if offset <= max(target, 0):
                chosen = element
        return chosen


def _same_container(a: _Para, b: _Para) -> bool:
    # A comment may span paragraphs, but not leave a table cell or jump into one.
    return a is b or a.p.getparent() is b.p.getparent()


_TEXT_TAGS = ("br", "cr", "noBreakHyphen", "ptab", "t", "tab")


def _child_length(child: Any) -> int:
    """Characters a run child adds to ``Run.text`` (python-docx's reading, NFC)."""
    from docx.oxml.ns import qn

    if child.tag not in {qn(f"w:{t}") for t in _TEXT_TAGS}:
        return 0
    return len(_nfc(str(child)))


def _split_run(r: Any, cuts: list[int]) -> list[tuple[Any, int]]:
    """Split a ``w:r`` at the given offsets of its NFC text into runs with the same formatting.

    Cuts fall between children (a tab, a break) or inside a ``w:t``, whose text is divided.
    Children that add no text (rendered page breaks, field characters, drawings) stay with the
    piece before the cut. Returns the pieces with their start offsets.
    """
    from docx.oxml.ns import qn

    rpr = r.find(qn("w:rPr"))
    content = [c for c in r if c is not rpr]
    lengths = [_child_length(c) for c in content]
    total = sum(lengths)
    points = [0, *sorted({c for c in cuts if 0 < c < total}), total]
    if len(points) == 2:
        return [(r, 0)]
    for c in content:
        r.remove(c)
    pieces: list[tuple[Any, int]] = [(r, 0)]
    current, pos, seg = r, 0, 1  # ``points[seg]`` ends the current piece

    def next_piece() -> Any:
        nonlocal current, seg
        element = copy.deepcopy(r)
        for c in list(element):
            if c.tag != qn("w:rPr"):
                element.remove(c)
        current.addnext(element)
        pieces.append((element, points[seg]))
        current, seg = element, seg + 1
        return element

    for child, length in zip(content, lengths, strict=True):
        if length and pos >= points[seg]:
            next_piece()
        if child.tag == qn("w:t") and pos < points[seg] < pos + length:
            raw = child.text or ""
            at = 0
            while pos < points[seg] < pos + length:
                cut = _raw_offset(raw, points[seg] - pos)
                head = copy.deepcopy(child)
                head.text = raw[at:cut]
                head.set(qn("xml:space"), "preserve")
                current.append(head)
                length -= points[seg] - pos
                pos = points[seg]
                raw, at = raw[cut:], 0
                next_piece()
            child.text = raw
            child.set(qn("xml:space"), "preserve")
        current.append(child)
        pos += length
    return pieces


def _raw_offset(raw: str, nfc_offset: int) -> int:
    """The offset in ``raw`` where its first ``nfc_offset`` NFC characters end."""
    if _nfc(raw) == raw:
        return nfc_offset
    for j in range(len(raw) + 1):
        if len(_nfc(raw[:j])) >= nfc_offset:
            # Keep combining marks with their base letter.
            while j < len(raw) and unicodedata.combining(raw[j]):
                j += 1
            return j
    return len(raw)
