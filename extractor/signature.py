"""The closing of a document: who signs it (signers) and who receives it (Nơi nhận).

The closing is a two-column block: "Nơi nhận:" with one addressee per "- …" line on the left, the
signature on the right: signing authority ("TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ỦY", "KT. CHỦ TỊCH"),
position ("PHÓ CHỦ TỊCH"), then, after the space for the signature and seal, the signer's name.
Joint plans carry two signatures side by side. Readers give us the two columns one after the other,
interleaved row by row (.docx tables), side by side on one line (PDF text), or with only a name.
Lines are classified one by one, so the order of the columns does not matter; where a .docx table
tells which column a line is in, that is used as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vanban.extractor import layout as lay
from vanban.extractor.model import IngestedDocument, Signer, Span

_LABEL = re.compile(r"(?m)^[ \t*_#|>]*(?:N[ơo]i|NƠI)[ \t]+(?:nh[ậa]n|NHẬN)[ \t*_]*:?[ \t*_]*(?=$|[-–•+]|\t|[ \t]{2})")
_BULLET = re.compile(r"^[-–—•+*]+\s*")
_AUTHORITY = re.compile(
    r"^(?P<p>(?:T\s?/\s?M|K\s?/\s?T|T\s?/\s?L|T\s?/\s?UQ|T\.M|K\.T|T\.L)\.?\s*|(?:TM|KT|TL|TUQ)(?:\.\s*|\s+))(?=[A-ZĐÀ-Ỹ])"
)
_KIEM = re.compile(r"^\(?\s*[Kk]iêm\s*\)?$")
_NOISE = re.compile(r"^\(?\s*(?:đã ký|ký|ký,|ký tên|ký và|ký số|đã ký và)[^)]*\)?\.?$", re.I)
_ANNEX = re.compile(r"^(?:PHỤ LỤC|Phụ lục|Mẫu|MẪU|\(Kèm theo|\(Ban hành kèm)", re.I)


@dataclass(frozen=True, slots=True)
class Recipients:
    """The "Nơi nhận" block: its whole span, one span per addressee and the addressees' text."""

    span: Span
    items: tuple[Span, ...]
    names: tuple[str, ...]
    label: Span | None = None  # "Nơi nhận:"


@cache
def _positions() -> re.Pattern[str]:
    data = lay.load_yaml("header.yaml")
    return lay.phrase_regex(data["position_words_folded"])


def is_authority(text: str) -> bool:
    return bool(_AUTHORITY.match(text)) and lay.is_caps(text)


def is_position(text: str) -> bool:
    """An upper-case line naming a post ("PHÓ CHỦ TỊCH", "BỘ TRƯỞNG")."""
    return lay.is_caps(text) and len(text) <= 80 and bool(_positions().search(lay.fold_key(text)))


def _cell_col(doc: IngestedDocument, offset: int) -> tuple[int, int] | None:
    b = doc.block_at(offset)
    if b is None or b.kind != "cell" or b.table is None or b.col is None:
        return None
    return b.table, b.col


# --------------------------------------------------------------------------- recipients


def _item_span(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " \t*_,;|":
        end -= 1
    while start < end and text[start] in " \t*_":
        start += 1
    return start, end


def _split_semicolons(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """"Công an tỉnh; Bộ Chỉ huy quân sự tỉnh" is two addressees; "Các Bộ: TC; NN&MT" and
    "Lưu: VT; TCHQ" are one."""
    piece = text[start:end]
    if ":" in piece or "\n" in piece or lay.fold_key(piece).startswith("luu") or ";" not in piece:
        return [(start, end)]
    parts: list[tuple[int, int]] = []
    pos = start
    for m in re.finditer(r";\s*", piece):
        parts.append((pos, start + m.start()))
        pos = start + m.end()
    parts.append((pos, end))
    parts = [p for p in parts if text[p[0] : p[1]].strip()]
    ok = all(
        len(text[a:b].split()) >= 2 and lay.first_letter(text[a:b]).isupper() for a, b in parts
    )
    return parts if ok and len(parts) > 1 else [(start, end)]


def _is_signature_line(t: str, bullet: bool) -> bool:
    return bool(is_authority(t) or is_position(t) or (not bullet and lay.is_person_name(t)) or _NOISE.match(t))


def _parse_items(doc: IngestedDocument, label_end: int) -> list[tuple[int, int]]:
    """Addressee spans after a "Nơi nhận:" label.

    One addressee per "- …" line; a line without a dash continues the one above (wrapped text).
    Lists written without dashes take one addressee per line. Signature lines met on the way
    (a .docx table read row by row interleaves the two columns) are skipped. The list ends at
    the first line that fits none of this, at a blank line followed by text, or after the
    archive entry ("Lưu …").
    """
    text = doc.text
    L = lay.layout(text)
    first = L.line_of(label_end)
    col = _cell_col(doc, max(0, label_end - 1))
    items: list[list[int]] = []
    dashed: bool | None = None
    closed = False
    blank = 0
    for li in range(first, min(len(L), first + 80)):
        segs = [sg for sg in L.line(li).segs if sg.start >= label_end]
        if col is not None:
            segs = [sg for sg in segs if (_cell_col(doc, sg.start) or col)[0] != col[0] or (_cell_col(doc, sg.start) or col) == col]
        if not segs:
            if li > first:
                blank += 1
            if blank > 2 and items:
                break
            continue
        for sg in segs:
            t = sg.text
            bullet = bool(_BULLET.match(t))
            if dashed is None and not _is_signature_line(t, bullet):
                dashed = bullet
            if _is_signature_line(t, bullet):
                if closed:
                    return [(x, y) for x, y in items]
                continue
            if _ANNEX.match(t):
                return [(x, y) for x, y in items]
            lower = lay.first_letter(t).islower()
            if bullet:
                if closed:
                    return [(x, y) for x, y in items]
                m = re.match(r"[-–—•+*\s]+", text[sg.start : sg.end])
                items.append([sg.start + (m.end() if m else 0), sg.end])
            elif closed and not lower:
                return [(x, y) for x, y in items]
            elif items and (
                lower
                or (dashed and not blank)
                or (not blank and not text[items[-1][0] : items[-1][1]].rstrip(" *_").endswith((";", ",", ".", ":", ")")))
            ):
                items[-1][1] = sg.end
            elif not dashed and not closed and not (blank and items) and len(t) <= 120:
                items.append([sg.start, sg.end])
            else:
                return [(x, y) for x, y in items]
            blank = 0
            last = text[items[-1][0] : items[-1][1]].rstrip(" \t*_")
            if lay.fold_key(last).startswith("luu") and not last.endswith((":", ",", "-")):
                closed = True
    return [(x, y) for x, y in items]


def find_recipients(doc: IngestedDocument) -> Recipients | None:
    """The "Nơi nhận" list of the document itself (forms in annexes have their own; the first
    list that has addressees is the document's)."""
    text = doc.text
    for m in _LABEL.finditer(text):
        raw_items = _parse_items(doc, m.end())
        spans: list[Span] = []
        names: list[str] = []
        for a, b in raw_items:
            a, b = _item_span(text, a, b)
            if b <= a:
                continue
            for pa, pb in _split_semicolons(text, a, b):
                pa, pb = _item_span(text, pa, pb)
                if pb <= pa:
                    continue
                spans.append(Span(text[pa:pb], pa, pb))
                names.append(lay.clean(text[pa:pb]).rstrip(" ,;"))
        if spans:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t*_#|>")))
            label_end = m.end()
            while label_end > start and text[label_end - 1] in " \t":
                label_end -= 1
            return Recipients(
                Span(text[start : spans[-1].end], start, spans[-1].end),
                tuple(spans),
                tuple(names),
                Span(text[start:label_end], start, label_end),
            )
    return None


# --------------------------------------------------------------------------- signers


@dataclass
class _Pending:
    start: int
    end: int
    authority: list[str]
    position: list[str]
    kiem: bool = False

    def signer(self, name: str | None, end: int) -> Signer:
        return Signer(
            ", ".join(self.authority) or None,
            " ".join(self.position) or None,
            name,
            self.start,
            end,
        )


def _classify(t: str) -> str:
    if _NOISE.match(t):
        return "noise"
    if _KIEM.match(t):
        return "kiem"
    if is_authority(t):
        return "authority"
    if lay.is_person_name(t) and not lay.is_caps(t):
        return "name"
    if lay.is_caps(t) and len(t) <= 80 and not re.search(r"\d", t):
        if is_position(t):
            return "position"
        if lay.is_person_name(t):
            return "name"
        return "caps"
    return "other"


def _run(entries: list[tuple[int, int, str, str]]) -> list[Signer]:
    """Read signers from the classified lines (start, end, text, kind) of one column.

    A signer is: authority lines (stacked: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH"), a position
    ("PHÓ CHỦ TỊCH", or two joined by "Kiêm"), then the name. Upper-case lines that name no post
    continue a wrapped authority or position ("TM. ỦY BAN NHÂN" / "DÂN").
    """
    out: list[Signer] = []
    cur: _Pending | None = None
    for start, end, t, kind in entries:
        if kind == "noise":
            continue
        if kind == "kiem":
            if cur:
                cur.kiem = True
            continue
        if kind == "authority":
            if cur is not None and cur.position:
                if cur.authority:
                    out.append(cur.signer(None, cur.end))
                cur = None
            if cur is None:
                cur = _Pending(start, end, [], [])
            cur.authority.append(t)
            cur.end = end
            continue
        if kind in ("position", "caps"):
            if cur is None:
                if kind == "caps":
                    continue
                cur = _Pending(start, end, [], [])
            if cur.kiem and cur.position:
                cur.position += ["kiêm", t]
                cur.kiem = False
            elif not cur.position and cur.authority and (kind == "caps" or cur.authority[-1].endswith(",")):
                cur.authority[-1] = f"{cur.authority[-1]} {t}"
            elif cur.position and kind == "caps":
                cur.position[-1] = f"{cur.position[-1]} {t}"
            elif not cur.position:
                cur.position.append(t)
            cur.end = end
            continue
        if kind == "name":
            if cur is not None:
                out.append(cur.signer(lay.strip_name_prefix(t), end))
                cur = None
            continue
        if cur is None and not out:
            continue  # text before the signature (a label, a stray bullet)
        break
    if cur and cur.authority:
        out.append(cur.signer(None, cur.end))
    return out


def _entries(doc: IngestedDocument, lo_line: int, hi_line: int, skip: list[tuple[int, int]]) -> list[list[tuple[int, int, str, str]]]:
    """Classified segments of lines [lo, hi), split into columns when signatures sit side by side."""
    L = lay.layout(doc.text)
    rows: list[list[tuple[lay.Seg, str]]] = []
    for li in range(lo_line, min(hi_line, len(L))):
        row = []
        for sg in L.line(li).segs:
            if any(sg.start < b and a < sg.end for a, b in skip):
                continue
            row.append((sg, _classify(sg.text)))
        rows.append(row)
    rows = _merge_wrapped_names(rows)
    multi = [r for r in rows if len(r) >= 2 and sum(k in ("authority", "position") for _, k in r) >= 2]
    if not multi:
        flat = [(sg.start, sg.end, sg.text, k) for r in rows for sg, k in r]
        cols = _cells_by_column(doc, flat)
        return cols
    bounds = [sg.col for sg, _ in multi[0]]
    cuts = [(bounds[i] + bounds[i + 1]) // 2 for i in range(len(bounds) - 1)]
    columns: list[list[tuple[int, int, str, str]]] = [[] for _ in bounds]
    for r in rows:
        for sg, k in r:
            idx = sum(sg.col >= c for c in cuts)
            columns[idx].append((sg.start, sg.end, sg.text, k))
    return columns


def _merge_wrapped_names(rows: list[list[tuple[lay.Seg, str]]]) -> list[list[tuple[lay.Seg, str]]]:
    """A name broken over two lines ("Ngô" / "Văn Tuấn") is one name."""
    out: list[list[tuple[lay.Seg, str]]] = []
    i = 0
    while i < len(rows):
        r = rows[i]
        if len(r) == 1 and r[0][1] == "other" and re.fullmatch(r"[^\W\d_]{1,7}", r[0][0].text) and r[0][0].text[0].isupper():
            j = i + 1
            while j < len(rows) and not rows[j]:
                j += 1
            if j < len(rows) and len(rows[j]) == 1:
                a, b = r[0][0], rows[j][0][0]
                joined = f"{a.text} {b.text}"
                if lay.is_person_name(joined):
                    out.append([(lay.Seg(a.start, b.end, joined, a.line, a.col, a.bold), "name")])
                    i = j + 1
                    continue
        out.append(r)
        i += 1
    return out


def _cells_by_column(doc: IngestedDocument, flat: list[tuple[int, int, str, str]]) -> list[list[tuple[int, int, str, str]]]:
    """Separate table columns when the reader says which cell a line is in."""
    cols: dict[tuple[int, int] | None, list[tuple[int, int, str, str]]] = {}
    for e in flat:
        cols.setdefault(_cell_col(doc, e[0]), []).append(e)
    if len(cols) <= 1:
        return [flat]
    return [cols[k] for k in sorted(cols, key=lambda k: (k is not None, k or (0, 0)))]


def find_signers(doc: IngestedDocument, *, recipients: Recipients | None = None) -> tuple[Signer, ...]:
    """The signers of the document, in reading order; ``recipients`` from ``find_recipients``."""
    text = doc.text
    L = lay.layout(text)
    if recipients is None:
        recipients = find_recipients(doc)
    skip = [(s.start, s.end) for s in recipients.items] if recipients else []
    if recipients:
        if recipients.label is not None:
            skip.append((recipients.label.start, recipients.label.end))
        first = L.line_of(recipients.span.start)
        last = L.line_of(recipients.span.end)
        lo = first
        # Signatures written before the list (joint plans): walk up over signature-like lines.
        li = first - 1
        while li >= max(0, first - 30):
            segs = L.line(li).segs
            if segs and not all(_classify(sg.text) in ("authority", "position", "name", "caps", "noise", "kiem") for sg in segs):
                break
            if segs:
                lo = li
            li -= 1
        hi = min(len(L), last + 30)
        signers = [s for col in _entries(doc, lo, hi, skip) for s in _run(col)]
        if not signers:
            # A bare name under the list (no authority, no position).
            for li in range(last + 1, min(len(L), last + 12)):
                segs = L.line(li).segs
                if not segs:
                    continue
                t = segs[0].text
                if lay.is_person_name(t) and not lay.is_caps(t):
                    sg = segs[0]
                    return (Signer(None, None, lay.strip_name_prefix(t), sg.start, sg.end),)
                if _classify(t) != "noise":
                    break
        return tuple(signers)
    # No list: the first authority line (or a lone position followed by a name) after the body.
    # Only upper-case lines can open a signature; str.isupper keeps this scan cheap.
    for li, start in enumerate(L.starts):
        nxt = L.starts[li + 1] if li + 1 < len(L.starts) else len(text)
        raw = text[start:nxt].strip(" \t\r\n*_#|>")
        if not raw or len(raw) > 90 or not raw.isupper():
            continue
        segs = L.line(li).segs
        if not segs:
            continue
        kind = _classify(segs[0].text)
        if kind not in ("authority", "position"):
            continue
        found = [s for col in _entries(doc, li, li + 14, []) for s in _run(col)]
        found = [s for s in found if s.name or s.authority]
        if found and (found[0].name or kind == "authority"):
            return tuple(found)
    return ()
