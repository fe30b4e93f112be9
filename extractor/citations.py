"""Cited documents: find every "Nghị quyết số 25-NQ/TW ngày … của …" in a text and invent none.

Two steps, each usable alone (as eyecite's get/resolve):

* ``find_citation_mentions(text)`` says where documents are named: a type word ("Quyết định",
  "Kế hoạch hành động"), "số", a symbol read by a small grammar of numbering conventions
  (number, optional year, type code, issuer codes joined by "-" and "/"), or a named document
  without a number ("Luật Tiếp cận thông tin", "Nghị quyết Đại hội XIII của Đảng").
* ``resolve_citations(mentions, text)`` reads what follows each mention (date, "của <issuer>",
  quoted title or "về …" clause), decides the relation ("Căn cứ" → basis, "Thực hiện" →
  implements), shares one date written for two documents, and gives each document its key.

Everything the grammar knows about type words and codes is data: ``data/doctypes.yaml``.
A token shaped like a symbol counts only with evidence: a type word or "số" right before it,
or a type code in its place ("22/KH-UBND", "12-KH/BDVHU"). "Mẫu số 01/HNCT", header number
lines, dates, phone numbers, article numbers and codes inside URLs are never citations.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from vanban.extractor.dates import DateMatch, find_dates
from vanban.extractor.model import Citation
from vanban.extractor.normalize import ascii_dashes

_DATA = Path(__file__).parent / "data" / "doctypes.yaml"

Relation = Literal["implements", "basis", "mention"]
Family = Literal["party", "state"]

# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DocType:
    """One document type of doctypes.yaml."""

    name: str
    words: tuple[str, ...]
    codes: dict[str, tuple[str, ...]]  # family -> codes, the first is the type's own
    compound: tuple[str, ...] = ()
    named: bool = False
    generic: bool = False
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IssuerCode:
    code: str
    family: str
    names: tuple[str, ...]
    normative: bool = False
    pattern: str | None = None


def _alternation(words: list[str]) -> str:
    """Whole-word alternation, longest first, spaces matching any run of blanks."""
    alts = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alts)
    return rf"(?<!\w)(?:{body})(?!\w)"


def _words_re(words: list[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(_alternation(words), flags)


class Grammar:
    """Everything read from doctypes.yaml, with the regexes built from it (once, on first use)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.types: tuple[DocType, ...] = tuple(self._doctype(t) for t in data["types"])
        self.issuers: tuple[IssuerCode, ...] = tuple(
            IssuerCode(
                code=i["code"],
                family=i.get("family", "both"),
                names=tuple(i.get("names", ())),
                normative=bool(i.get("normative", False)),
                pattern=i.get("pattern"),
            )
            for i in data["issuers"]
        )
        self.word_type: dict[str, DocType] = {}
        for t in self.types:
            for w in t.words:
                self.word_type[_fold_space(w).casefold()] = t
        self.type_by_name = {t.name: t for t in self.types}
        self._automaton: Any = None

        # (family, CODE) -> (base code, type of that code); compounds stand for their base.
        self.type_codes: dict[tuple[str, str], tuple[str, DocType]] = {}
        self.code_spelling: dict[str, str] = {}
        for t in self.types:
            for family, codes in t.codes.items():
                for i, code in enumerate(codes):
                    key = (family, code.upper())
                    # A code's own type wins over a type that only accepts it (QĐ: Quyết định).
                    if i == 0 or key not in self.type_codes:
                        self.type_codes[key] = (code, t)
                    self.code_spelling.setdefault(code.upper(), code)
                base = codes[0] if codes else None
                if base:
                    for comp in t.compound:
                        self.type_codes.setdefault((family, comp.upper()), (base, t))
                        self.code_spelling.setdefault(comp.upper(), comp)
        self.issuer_codes: dict[str, IssuerCode] = {}
        patterns: list[str] = []
        normative_patterns: list[str] = []
        for iss in self.issuers:
            self.issuer_codes[iss.code.upper()] = iss
            self.code_spelling.setdefault(iss.code.upper(), iss.code)
            if iss.pattern:
                patterns.append(iss.pattern)
                if iss.normative:
                    normative_patterns.append(iss.pattern)
        self.issuer_pattern = re.compile(rf"(?:{'|'.join(patterns)})", re.IGNORECASE) if patterns else None
        self.normative_pattern = (
            re.compile(rf"(?:{'|'.join(normative_patterns)})", re.IGNORECASE) if normative_patterns else None
        )

        ph = data.get("phrases", {})
        self.not_documents_re = re.compile(
            rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in sorted(data.get('not_documents', []), key=len, reverse=True))})"
            r"[ \t\u00a0\u202f\u2009]*(?:số|No\.?)?[ \t\u00a0\u202f\u2009]*:?[ \t\u00a0\u202f\u2009]*\n?[ \t\u00a0\u202f\u2009]*$",
            re.IGNORECASE,
        )
        stops = ph.get("issuer_stops", [])
        # Phrases stop an issuer in any case ("của Chính phủ Ban hành …"); a single word only in
        # lower case, since names hold capitalised words ("Sở Giao thông", "Ban Có …").
        multi = [w for w in stops if " " in w or "/" in w or w == "về"]
        single = [w for w in stops if w not in multi]
        self.issuer_stop_re = re.compile(rf"(?i:{_alternation(multi)})|{_alternation(single)}")
        self.title_stop_re = _words_re(ph.get("title_stops", []))
        self.not_named = frozenset(w.casefold() for w in ph.get("not_named", []))
        self.not_named_before_re = re.compile(
            rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in ph.get('not_named_before', []))})[ \t\u00a0\u202f\u2009]+$",
            re.IGNORECASE,
        )
        self.party_bodies_re = re.compile(
            rf"(?:{'|'.join(re.escape(w) for w in ph.get('party_bodies', []))})(?!\w)"
        )
        self.generic_markers_re = _words_re(ph.get("generic_markers", []))

    @property
    def automaton(self) -> Any:
        """Aho-Corasick automaton of the lower-cased type words (built on first use)."""
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for key in self.word_type:
                auto.add_word(key, key)
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    @staticmethod
    def _doctype(t: dict[str, Any]) -> DocType:
        codes = {fam: (tuple(c) if isinstance(c, list) else (c,)) for fam, c in (t.get("codes") or {}).items()}
        return DocType(
            name=t["name"],
            words=tuple(t["words"]),
            codes=codes,
            compound=tuple(t.get("compound", ())),
            named=bool(t.get("named", False)),
            generic=bool(t.get("generic", False)),
            examples=tuple(t.get("examples", ())),
        )

    def type_of_word(self, word: str) -> DocType | None:
        return self.word_type.get(_fold_space(word).casefold())

    def is_issuer_code(self, code: str) -> bool:
        up = code.upper()
        if up in self.issuer_codes:
            return True
        return bool(self.issuer_pattern and self.issuer_pattern.fullmatch(code))

    def is_normative_issuer(self, code: str) -> bool:
        iss = self.issuer_codes.get(code.upper())
        if iss is not None:
            return iss.normative
        return bool(self.normative_pattern and self.normative_pattern.fullmatch(code))


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The doctypes grammar, loaded on first use."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser is four times faster
    with _DATA.open(encoding="utf-8") as fh:
        return Grammar(yaml.load(fh, Loader=loader))


def doctypes() -> tuple[DocType, ...]:
    """Document types with their words and codes (for header and rule checks)."""
    return grammar().types


# --------------------------------------------------------------------------- symbols

_BL = r"[ \t\u00a0\u202f\u2009]"  # a blank inside a line (NBSP, narrow NBSP, thin space)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_CLASS = r"\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # for use inside [...]
_SEP = rf"[ \t\u00a0\u202f\u2009]*[/{_DASH_CLASS}][ \t\u00a0\u202f\u2009]*"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*(?:\.[A-ZĐ][A-Za-zĐđ0-9&]*)*(?![\w])"
_NUMSEG = r"\d{1,5}(?![\w]|[.,]\d)"
# A number (66.2 allowed) followed by "-"/"/"-joined segments; a segment is digits (a year) or a
# code. Not inside a longer token: "QCVN 40:2011/BTNMT", "1.1/1/I", URLs and dates stay out.
SYMBOL_RE = re.compile(
    rf"(?P<num>\d{{1,6}}(?:\.\d{{1,3}})?)(?P<rest>(?:{_SEP}(?:{_NUMSEG}|{_CODE}))+)"
)
_SEG_RE = re.compile(rf"[ \t\u00a0\u202f\u2009]*(?P<sep>[/{_DASH_CLASS}])[ \t\u00a0\u202f\u2009]*(?P<seg>[^\s/{_DASH_CLASS}]+)")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_LOWER_RUN = re.compile(r"[a-zđ]+")


@dataclass(frozen=True, slots=True)
class Symbol:
    """A document number and symbol as read by the grammar."""

    start: int
    end: int
    raw: str
    number: str | None  # None for numbers outside the grammar ("YBB-SA032/26-LR")
    year: int | None
    family: Family
    codes: tuple[str, ...]  # the letter segments, canonical spelling
    canonical: str
    type_code: str | None
    code_type: DocType | None  # the type the type code stands for
    irregular: bool  # digit segments other than a year ("45/25010/NĐ-CP")

    @property
    def has_issuer(self) -> bool:
        return len(self.codes) > (1 if self.type_code else 0)

    @property
    def tail(self) -> str:
        """Everything after the number ("QĐ/TW"): documents listed together share it."""
        return self.canonical[len(self.number or "") :].lstrip("/-")


def read_symbol(m: re.Match[str], g: Grammar | None = None) -> Symbol | None:
    """Parse one SYMBOL_RE match into a Symbol; None when no code segment survives."""
    g = g or grammar()
    num = m.group("num")
    segs: list[tuple[str, str, int]] = []  # (sep, seg, end offset)
    base = m.start("rest")
    for s in _SEG_RE.finditer(m.group("rest")):
        seg = s.group("seg")
        if seg[0].isalpha() and (not _valid_code(seg)):
            break
        segs.append(("-" if s.group("sep") in _DASHES else "/", seg, base + s.end()))
    # Trailing digit segments are dates or page numbers glued on ("…/QĐ-UBND/2024"): drop them.
    while segs and segs[-1][1].isdigit() and len(segs[-1][1]) == 4:
        segs.pop()
    if not any(seg[0].isalpha() for _, seg, _ in segs):
        return None
    year: int | None = None
    irregular = False
    codes: list[str] = []
    parts = [num]
    first_sep: str | None = None
    for i, (sep, seg, _) in enumerate(segs):
        if seg.isdigit():
            if i == 0 and _YEAR_RE.fullmatch(seg):
                year = int(seg)
            else:
                irregular = True
        else:
            if first_sep is None:
                first_sep = sep
            seg = g.code_spelling.get(seg.upper(), seg)  # "TTG" → "TTg"
            codes.append(seg)
        parts.append(sep + seg)
    end = segs[-1][2]
    family: Family = "party" if first_sep == "-" and year is None else "state"
    type_code, code_type = _type_code(codes, family, g)
    return Symbol(
        start=m.start(),
        end=end,
        raw=m.string[m.start() : end],
        number=num,
        year=year,
        family=family,
        codes=tuple(codes),
        canonical="".join(parts),
        type_code=type_code,
        code_type=code_type,
        irregular=irregular,
    )


def _valid_code(seg: str) -> bool:
    # Codes are capitals with at most a lower-case letter or two ("UBND", "TTg", "CTr", "Cty");
    # a capitalised word ("Hội", "Trung") is not one.
    if any(c.islower() and not ("a" <= c <= "z" or c == "đ") for c in seg):
        return False
    run = max((len(r) for r in _LOWER_RUN.findall(seg)), default=0)
    return run <= 1 or (run == 2 and len(seg) <= 3)


def _type_code(codes: list[str], family: Family, g: Grammar) -> tuple[str | None, DocType | None]:
    if not codes:
        return None, None
    first = codes[0].upper()
    hit = g.type_codes.get((family, first))
    if hit:
        return hit
    if family == "state":
        # Glued codes: "QĐUBND", "NĐCP" are the type code and the issuer without the hyphen.
        for cut in range(len(first) - 1, 0, -1):
            hit = g.type_codes.get(("state", first[:cut]))
            if hit and g.is_issuer_code(first[cut:]):
                return hit
    return None, None


def canonical_symbol(raw: str) -> str:
    """The canonical spelling of a symbol: no spaces, ASCII hyphen for every dash."""
    s = unicodedata.normalize("NFC", raw)
    return _SPACES.sub("", ascii_dashes(s))


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a cited document is named; ``end`` is the end of its symbol (or name)."""

    start: int
    end: int
    kind: Literal["numbered", "named"]
    type: str | None
    type_word: str | None
    symbol: Symbol | None = None
    title: str | None = None  # the name of a named document ("Tiếp cận thông tin")
    issuer: str | None = None  # written between type word and number ("Kế hoạch của X số …")
    date: DateMatch | None = None  # "Luật Quy hoạch ngày 24 tháng 11 năm 2017"
    anchored: bool = True


@dataclass(frozen=True, slots=True)
class WordHit:
    """A type word as written in the text ("Nghị\nquyết", "KẾ HOẠCH")."""

    start: int
    end: int
    word: str
    type: DocType


_BLANKS = "\n\t\r\u00a0\u202f\u2009"


class TypeWords:
    """Every type word of one text, found in a single Aho-Corasick pass over a lower-cased copy.

    The copy keeps every offset: blanks and line breaks become one space each, so "Nghị\nquyết"
    is found as "nghị quyết". Where words overlap the leftmost, then longest, wins (as a regex
    alternation would).
    """

    __slots__ = ("_at", "hits", "low", "starts", "text")

    def __init__(self, text: str, g: Grammar) -> None:
        self.text = text
        spaced = text
        for blank in _BLANKS:
            if blank in spaced:
                spaced = spaced.replace(blank, " ")
        low = spaced.lower()
        if len(low) != len(text):  # a letter whose lower case is longer ("İ"): keep it as is
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in spaced)
        self.low = low
        found: list[tuple[int, int, str]] = []
        n = len(low)
        squeezed, where = _squeeze(low)  # "Kế  hoạch" is "kế hoạch"
        for end, key in g.automaton.iter(squeezed):
            start = where(end - len(key) + 1)
            end = where(end)
            if (start and low[start - 1].isalnum()) or (end + 1 < n and low[end + 1].isalnum()):
                continue
            found.append((start, end + 1, key))
        found.sort(key=lambda f: (f[0], -f[1]))
        hits: list[WordHit] = []
        last_end = -1
        for start, end, key in found:
            if start >= last_end:
                hits.append(WordHit(start, end, text[start:end], g.word_type[key]))
                last_end = end
        self.hits = hits
        self.starts = [h.start for h in hits]
        self._at = {h.start: h for h in hits}

    def at(self, pos: int) -> WordHit | None:
        """The type word starting exactly at ``pos``."""
        return self._at.get(pos)

    def last_before(self, end: int, lo: int) -> WordHit | None:
        """The last type word that ends at or before ``end`` and starts at or after ``lo``."""
        i = bisect_right(self.starts, end) - 1
        while i >= 0 and self.hits[i].end > end:
            i -= 1
        if i >= 0 and self.hits[i].start >= lo:
            return self.hits[i]
        return None

    def first_in(self, lo: int, hi: int, *, capitalised: bool = False) -> WordHit | None:
        """The first type word inside ``[lo, hi)`` (written with a capital, when asked)."""
        i = bisect_left(self.starts, lo)
        while i < len(self.hits) and self.hits[i].end <= hi:
            h = self.hits[i]
            if not capitalised or h.word[:1].isupper():
                return h
            i += 1
        return None


_RUNS = re.compile(r"  +")


def _squeeze(low: str) -> tuple[str, Any]:
    """``low`` with runs of spaces made one, and a map from its offsets back to ``low``'s."""
    if "  " not in low:
        return low, lambda i: i
    cuts: list[int] = []  # offsets in the squeezed string after which characters were removed
    removed: list[int] = []  # how many had been removed up to that cut
    pieces: list[str] = []
    pos = gone = 0
    for m in _RUNS.finditer(low):
        pieces.append(low[pos : m.start() + 1])
        gone += m.end() - m.start() - 1
        cuts.append(m.start() + 1 - (gone - (m.end() - m.start() - 1)))
        removed.append(gone)
        pos = m.end()
    pieces.append(low[pos:])

    def where(i: int) -> int:
        k = bisect_right(cuts, i) - 1
        return i + (removed[k] if k >= 0 else 0)

    return "".join(pieces), where


_SO_TAIL = re.compile(rf"(?<!\w)(?:số{_BL}*:?{_BL}*(?:\n{_BL}*)?){{1,2}}$", re.IGNORECASE)
_SPACE_TAIL = re.compile(rf"{_BL}*(?:\n{_BL}*)?")
_LINE_START_SO = re.compile(rf"(?:^|\n)[ \t\u00a0\u202f\u2009*_|#>]*Số{_BL}*:?{_BL}*(?:\n[ \t\u00a0\u202f\u2009*_|]*)?$")
_LINE_ALONE_BEFORE = re.compile(r"(?:^|\n)[ \t\u00a0\u202f\u2009*_|#>]*$")
_LINE_REST = re.compile(rf"[ \t\u00a0\u202f\u2009*_|]*(?:\n|$|{_BL}{{2,}}|\t)")
_URL_TAIL = re.compile(r"(?:https?:|www\.|\.vn/|\.com/|\.gov|[\w-]+/)\S*$")
_GAP_QUALIFIER = re.compile(rf"(?:{_BL}+[a-zđà-ỹ]+){{1,4}}{_BL}+")
_GAP_BODY = re.compile(rf"{_BL}+(?:của|do|giữa){_BL}+[^\n,;.:“”\"()\d]{{2,120}}?{_BL}+", re.IGNORECASE)
_GAP_STOP = re.compile(
    rf"(?<!\w)(?:về|v/v|ban{_BL}+hành|phê{_BL}+duyệt|thực{_BL}+hiện|triển{_BL}+khai|tại|theo|đã|được|nhằm|để)(?!\w)",
    re.IGNORECASE,
)
_GAP_HEAD = re.compile(rf"^{_BL}+(?:của|do|giữa){_BL}+", re.IGNORECASE)
_NOT_BEFORE_SYMBOL = set(".:/_" + _DASHES)
# After "Văn bản số" any token with a digit is a number: "02", "YBB-SA032/26-LR", "11/2026CV-YVG".
_FREE_NUMBER_RE = re.compile(
    rf"(?:số|Số|SỐ) *:? *(?P<num>[0-9A-ZĐ][0-9A-Za-zĐđ.&]*(?:[/{_DASH_CLASS}][0-9A-Za-zĐđ.&]+)*)(?![\w/{_DASH_CLASS}])"
)


def find_citation_mentions(text: str) -> list[Mention]:
    """Every place in ``text`` that names a cited document, in text order."""
    return _find(text, grammar(), TypeWords(text, grammar()))


def _find(text: str, g: Grammar, words: TypeWords) -> list[Mention]:
    mentions = _named_mentions(text, g, words)
    taken = {m.symbol.start for m in mentions if m.symbol}
    for m in SYMBOL_RE.finditer(text):
        s = m.start()
        if s in taken or (s and (text[s - 1].isalnum() or text[s - 1] in _NOT_BEFORE_SYMBOL)):
            continue
        sym = read_symbol(m, g)
        if sym is None:
            continue
        mention = _numbered_mention(text, g, words, sym)
        if mention is not None:
            mentions.append(mention)
    mentions.extend(_free_number_mentions(text, words, {m.symbol.start for m in mentions if m.symbol}))
    mentions = _complete_names(text, mentions)
    mentions.sort(key=lambda x: x.start)
    # A mention inside an earlier one ("Luật sửa đổi … của Luật X số …") is part of it.
    out: list[Mention] = []
    for mm in mentions:
        if out and mm.start < out[-1].end:
            continue
        out.append(mm)
    return out


def _numbered_mention(text: str, g: Grammar, words: TypeWords, sym: Symbol) -> Mention | None:
    s = sym.start
    left = text[max(0, s - 200) : s]
    if g.not_documents_re.search(left[-60:]):
        return None
    token = "" if not left or left[-1].isspace() else left.split()[-1]
    if _URL_TAIL.search(token):
        return None
    if _LINE_START_SO.search(left):
        return None  # the number line of a document's header ("Số: 22/KH-UBND"), never a citation
    so = _SO_TAIL.search(left)
    before_end = s - len(left) + (so.start() if so else len(left))
    hit = words.last_before(before_end, before_end - 160)
    direct = hit is not None and _SPACE_TAIL.fullmatch(text, hit.end, before_end) is not None
    strong = sym.type_code is not None and sym.has_issuer and not sym.irregular
    normative = sym.year is not None and bool(sym.codes) and (
        sym.type_code is not None or g.is_normative_issuer(sym.codes[0])
    )
    issuerish = bool(sym.codes) and g.is_issuer_code(sym.codes[0])
    if direct and hit is not None:
        if so is None and hit.word[:1].islower() and sym.code_type is not None and sym.code_type is not hit.type:
            # "theo quy định 15/2026/TT-BCT": a verb or common noun, not this document's type word
            return _mention(s, sym, None, None) if strong or normative else None
        return _mention(hit.start, sym, hit.type, hit.word)
    if so:
        # "Kế hoạch của Ban dân vận … số 58-KH/…": the type word, then "của <issuer>", then số.
        if hit is not None:
            gap = text[hit.end : before_end]
            gm = _GAP_BODY.fullmatch(gap) or _GAP_QUALIFIER.fullmatch(gap)
            body = _GAP_HEAD.sub("", gap)
            if gm and _GAP_STOP.search(body):
                gm = None  # "Kế hoạch của UBND tỉnh về … số": a clause, not the issuer
            agrees = sym.code_type is hit.type or hit.type.generic
            if gm and gm.re is _GAP_QUALIFIER and not agrees:
                gm = None  # "Báo cáo thẩm tra số 292/BC-HĐND": a qualifier only with a matching code
            if gm and (sym.code_type is None or agrees):
                issuer = _clean_issuer(body) if gm.re is _GAP_BODY else None
                return _mention(hit.start, sym, hit.type, hit.word, issuer=issuer)
        if strong or normative or issuerish:
            return _mention(s, sym, None, None)
        return None
    if _LINE_ALONE_BEFORE.search(left) and _LINE_REST.match(text, sym.end):
        return None  # a number alone on its line: a header or metadata cell, not running text
    if strong or (normative and sym.type_code is not None):
        return _mention(s, sym, None, None, anchored=False)
    return None


def _mention(
    start: int,
    sym: Symbol,
    dtype: DocType | None,
    word: str | None,
    *,
    issuer: str | None = None,
    anchored: bool = True,
) -> Mention:
    if dtype is None or dtype.generic:
        tname = sym.code_type.name if sym.code_type else (dtype.name if dtype else None)
    else:
        tname = dtype.name
    return Mention(start, sym.end, "numbered", tname, word, sym, issuer=issuer, anchored=anchored)


def _free_number_mentions(text: str, words: TypeWords, taken: set[int]) -> list[Mention]:
    """Numbers outside the grammar, where a type word, "số" and a date vouch for them.

    "Văn bản số 02 ngày 21/4/2026", "Văn bản số YBB-SA032/26-LR ngày 21/4/2026": companies and
    other bodies number their letters as they like.
    """
    out: list[Mention] = []
    for m in _FREE_NUMBER_RE.finditer(text):
        start, end = m.start("num"), m.end("num")
        raw = m.group("num").rstrip(".")
        end = start + len(raw)
        if start in taken or (m.start() and words.low[m.start() - 1].isalnum()):
            continue
        if not any(c.isdigit() for c in raw):
            continue
        hit = words.last_before(m.start(), m.start() - 60)
        if hit is None or _SPACE_TAIL.fullmatch(text, hit.end, m.start()) is None:
            continue
        if _date_after(text, end) is None:
            continue
        lead = _LEAD_NUMBER.match(raw)
        number = lead.group(0) if lead else None
        canonical = canonical_symbol(raw)
        sym = Symbol(start, end, raw, number, None, "state", (), canonical, None, None, True)
        out.append(Mention(hit.start, end, "numbered", hit.type.name, hit.word, sym))
    return out


# --------------------------------------------------------------------------- named documents

_WORD_RE = re.compile(r"[ \t\u00a0\u202f\u2009]*(?P<nl>\n[ \t\u00a0\u202f\u2009*_]*)?(?P<w>[^\s]+)")
_PLURAL_BEFORE = re.compile(r"(?<!\w)(?:các|những|mọi|nhiều)[ \t\u00a0\u202f\u2009]+$", re.IGNORECASE)
_CONSTITUTION_YEAR = re.compile(
    rf"{_BL}+(?:nước Cộng hòa xã hội chủ nghĩa Việt Nam{_BL}+)?năm{_BL}+(?P<y>(?:19|20)\d\d)(?!\d)"
)
_AMENDING = re.compile(rf"[*_]*(?:sửa{_BL}+đổi|bổ{_BL}+sung)(?!\w)", re.IGNORECASE)
_ROMAN_OR_NUM = re.compile(r"(?<!\w)(?:[IVXLC]{1,6}|\d{1,2}|lần thứ \w+)(?!\w)")
_KHOA_PAREN = re.compile(r"\((?:khóa|khoá|Khóa|Khoá)[ \t\u00a0\u202f\u2009]+[IVXLC]+\)")


def _named_mentions(text: str, g: Grammar, words: TypeWords) -> list[Mention]:
    out: list[Mention] = []
    for hit in words.hits:
        w = hit.word
        # Named laws are capitalised ("Luật Đất đai"); "pháp luật", "luật sư", "LUẬT" headings are not.
        if not w[:1].isupper() or w.isupper():
            continue
        if hit.type.named and hit.type.name != "Nghị quyết":
            mention = _named_law(text, g, words, hit)
        elif hit.type.name == "Nghị quyết" and g.party_bodies_re.match(text, _skip_blank(text, hit.end, newline=False)):
            mention = _named_party(text, g, hit)
        else:
            continue
        if mention is not None:
            out.append(mention)
    return out


def _named_law(text: str, g: Grammar, words: TypeWords, hit: WordHit) -> Mention | None:
    """ "Luật Tiếp cận thông tin", "Luật Đất đai số 31/2024/QH15", "Hiến pháp năm 2013"."""
    dtype, word, start = hit.type, hit.word, hit.start
    pos = hit.end
    if dtype.name == "Hiến pháp":
        hm = _CONSTITUTION_YEAR.match(text, pos)
        if not hm:
            return None
        return Mention(start, hm.end(), "named", dtype.name, word, title=hm.group("y"))
    first = _WORD_RE.match(text, pos)
    if not first or first.group("nl"):
        return None
    w0 = first.group("w").strip("*_,.;:()“”\"")
    if not w0 or not w0[0].isalpha() or (w0[0].islower() and w0 in g.not_named):
        return None  # "Luật sư", "Luật này", "luật định"; but "Luật Các tổ chức tín dụng"
    if (w0[0].islower() and g.title_stop_re.match(text, first.start("w"))) or _AMENDING.match(text, first.start("w")):
        return None  # "Luật trong lĩnh vực …"; "Luật sửa đổi, bổ sung …" names no law of its own here
    if _PLURAL_BEFORE.search(text, max(0, start - 12), start):
        return None  # "các Luật", "15 Luật trong lĩnh vực …": several laws, not one
    if g.not_named_before_re.search(text, max(0, start - 16), start):
        return None  # "Đại học Luật", "cộng đồng Dân Luật": part of another name
    closed = _closing_ahead(text, g, words, pos)
    if closed is not None:
        title_end, closing_kind, what = closed
        title = _clean_title(text[pos:title_end])
        if title and len(title) >= 3:
            if closing_kind == "symbol":
                return Mention(start, what.end, "numbered", dtype.name, word, what, title=title)
            return Mention(start, title_end, "named", dtype.name, word, title=title, date=what)
    # Walk the words of the name. A comma may sit inside a name ("Luật Quản lý, sử dụng vũ khí, …")
    # when the name is closed by "số <symbol>" or "ngày <date>"; otherwise it ends the name.
    words_end: list[int] = []
    first_comma_end: int | None = None
    cur = pos
    closing: tuple[str, Any] | None = None
    while len(words_end) < 22:
        wm = _WORD_RE.match(text, cur)
        if not wm or (wm.group("nl") and not words_end):
            break
        w = wm.group("w")
        ws = wm.start("w")
        lead = len(w) - len(w.lstrip("*_"))
        bare = w.strip("*_")
        low = bare.casefold()
        if words_end:
            if low in ("số", "số:"):
                sm = SYMBOL_RE.match(text, _skip_blank(text, wm.end()))
                sym = read_symbol(sm, g) if sm else None
                if sym is not None:
                    closing = ("symbol", sym)
                    break
            if low == "ngày":
                d = _date_after(text, ws)
                if d is not None:
                    closing = ("date", d)
                    break
            # A capitalised type word starts the next document ("…, Luật Nhà ở"); a lower-case one
            # belongs to the name ("Luật Ban hành văn bản quy phạm pháp luật").
            if bare[:1].isupper() and words.at(ws + lead) is not None:
                break
            if wm.group("nl") and not bare[:1].islower():
                break
            if g.title_stop_re.match(text, ws + lead):
                break
            if low == "và":
                nxt = _WORD_RE.match(text, wm.end())
                if " và " in _fold_space(text[pos:ws]):
                    break  # a name joins two things at most once
                if nxt is None or words.at(nxt.start("w")) is not None or nxt.group("w").casefold() in (
                    "các", "những", "đề", "chỉ", "nâng", "tổ", "triển", "thực",
                ):
                    break
        if words_end and bare[:1].isdigit():
            # "Luật Hóa chất 69/2025/QH15": a normative symbol written without "số" closes the name.
            sm = SYMBOL_RE.match(text, ws + lead)
            sym = read_symbol(sm, g) if sm else None
            if sym is not None and sym.year is not None and sym.codes and (
                sym.type_code is not None or g.is_normative_issuer(sym.codes[0])
            ):
                closing = ("symbol", sym)
                break
        if not bare or not bare[0].isalpha():
            break  # names hold no numbers ("Bộ luật hình sự 2025 về …", "1. …")
        core = bare.rstrip(",.;:)”\"»")
        if not core:
            break
        words_end.append(ws + lead + len(core))
        if bare.endswith(",") and first_comma_end is None:
            first_comma_end = words_end[-1]
        if bare[-1] in ";.:)”\"»":
            break
        cur = wm.end()
    if not words_end:
        return None
    if closing is None and first_comma_end is not None:
        before_comma = [e for e in words_end if e <= first_comma_end]
        after = [e for e in words_end if e > first_comma_end]
        # "Luật Phòng, chống ma túy", "Luật Thi đua, khen thưởng": a one- or two-word head before the
        # comma is continued by lower-case words up to the next comma; a longer head is the name,
        # unless the words after the comma repeat its first word ("Luật Thuế xuất khẩu, thuế nhập khẩu").
        keep = []
        head_word = text[pos:before_comma[0]].strip(" \t*_").casefold()
        next_word = text[text.rfind(" ", 0, after[0]) + 1 : after[0]].casefold() if after else ""
        if len(before_comma) <= 2 or (head_word and next_word == head_word):
            for e in after:
                w_start = text.rfind(" ", 0, e) + 1
                if not text[w_start:e][:1].islower():
                    break
                keep.append(e)
                if text[e : e + 1] == ",":
                    break
        words_end = before_comma + keep
    title_end = words_end[-1]
    title = _clean_title(text[pos:title_end])
    if not title or len(title) < 3:
        return None
    if closing and closing[0] == "symbol":
        sym = closing[1]
        return Mention(start, sym.end, "numbered", dtype.name, word, sym, title=title)
    if closing and closing[0] == "date":
        d = closing[1]
        return Mention(start, title_end, "named", dtype.name, word, title=title, date=d)
    return Mention(start, title_end, "named", dtype.name, word, title=title)


_CLAUSE_STOP = re.compile(r"[;:()“”\"«»]|\.(?:\s|$)|\n[ \t\u00a0\u202f\u2009*_]*\n|\n[ \t\u00a0\u202f\u2009*_]*(?:[-+•]|\d+[.)])")
_CLOSING = re.compile(r"(?<!\w)(?P<w>số|ngày)(?!\w)", re.IGNORECASE)


def _closing_ahead(text: str, g: Grammar, words: TypeWords, pos: int) -> tuple[int, str, Any] | None:
    """The "số <symbol>" or "ngày <date>" that closes a name, when the clause has one.

    "Pháp lệnh Ưu đãi người có công với cách mạng số 02/2020/UBTVQH14": words such as "có",
    "với" end an open name but not one closed by its number. The clause ends at punctuation,
    a paragraph, or a capitalised type word (the next document of a list).
    """
    limit = min(len(text), pos + 220)
    stop = _CLAUSE_STOP.search(text, pos, limit)
    if stop:
        limit = stop.start()
    nxt = words.first_in(pos, limit, capitalised=True)
    if nxt is not None:
        limit = nxt.start
    for c in _CLOSING.finditer(text, pos, limit):
        if c.start() == pos or len(text[pos : c.start()].split()) > 20:
            continue
        if c.group("w").casefold() == "số":
            sm = SYMBOL_RE.match(text, _skip_blank(text, c.end()))
            sym = read_symbol(sm, g) if sm else None
            if sym is not None:
                return c.start(), "symbol", sym
        else:
            d = _date_after(text, c.start())
            # A date closes the name only when nothing else stands between ("… chậm nhất là ngày …"
            # is a deadline): a number is stronger evidence than a date.
            if d is not None and not _has_stop(g, text, pos, c.start()):
                return c.start(), "date", d
    return None


def _has_stop(g: Grammar, text: str, lo: int, hi: int) -> bool:
    return any(g.title_stop_re.match(text, w.start("w")) for w in _WORD_RE.finditer(text, lo, hi) if w.group("w") != "và")


def _complete_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name cut at a comma ("Luật Quản lý, …") takes the full name the document writes elsewhere.

    Names closed by a number or date ("Luật Quản lý, sử dụng vũ khí, … ngày 29/6/2024") are
    reliable; a later bare mention whose text starts with such a name is that name.
    """
    full = sorted(
        {m.title for m in mentions if m.title and m.type_word and (m.symbol is not None or m.date is not None) and "," in m.title},
        key=len,
        reverse=True,
    )
    if not full:
        return mentions
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "named" and m.date is None and m.title and m.type_word:
            at = m.start + len(m.type_word)
            tail = _fold_space(text[at : at + 300])
            for name in full:
                if len(name) > len(m.title) and tail.startswith(name):
                    end = _span_end(text, at, name)
                    if end is not None:
                        m = Mention(m.start, end, "named", m.type, m.type_word, title=name)
                    break
        out.append(m)
    return out


def _span_end(text: str, at: int, name: str) -> int | None:
    """End offset in ``text`` of ``name`` written from ``at`` with any run of blanks between words."""
    pos = _skip_blank(text, at)
    for i, word in enumerate(name.split(" ")):
        if i:
            nxt = _skip_blank(text, pos)
            if nxt == pos:
                return None
            pos = nxt
        if not text.startswith(word, pos):
            return None
        pos += len(word)
    return pos


def _named_party(text: str, g: Grammar, hit: WordHit) -> Mention | None:
    """ "Nghị quyết Đại hội XIII của Đảng", "Nghị quyết TW 4 (khóa XII)"."""
    pos = _skip_blank(text, hit.end, newline=False)
    cur = pos
    end = pos
    n = 0
    while n < 14:
        km = _KHOA_PAREN.match(text, _skip_blank(text, cur, newline=False))
        if km and n:
            end = cur = km.end()
            n += 1
            continue
        wm = _WORD_RE.match(text, cur)
        if not wm or wm.group("nl"):
            break
        w = wm.group("w")
        low = w.casefold().strip("*_")
        if n and (g.title_stop_re.match(text, wm.start("w")) or low in ("của", "về")):
            break
        if not w[0].isalnum():
            break
        core = w.rstrip(",.;:)”\"*_")
        end = wm.start("w") + len(core)
        n += 1
        cur = wm.end()
        if core != w:
            break
    title = _clean_title(text[pos:end])
    if not title or not _ROMAN_OR_NUM.search(title) or g.generic_markers_re.search(title):
        return None
    if _TERM_YEARS.search(title) and not _TERM_NAMED.search(title):
        return None  # "Nghị quyết Đại hội … nhiệm kỳ 2020 - 2025": a term, not one resolution
    return Mention(hit.start, end, "named", "Nghị quyết", hit.word, title=title)


def _skip_blank(text: str, pos: int, *, newline: bool = True) -> int:
    n = len(text)
    while pos < n and (text[pos] in " \t\u00a0\u202f\u2009" or (newline and text[pos] == "\n")):
        pos += 1
    return pos


# --------------------------------------------------------------------------- resolution

_DATE_GAP = re.compile(
    r"[ \t\u00a0\u202f\u2009]*,?[ \t\u00a0\u202f\u2009]*(?:\n[ \t\u00a0\u202f\u2009*_]*)?(?:\(?(?:được[ \t\u00a0\u202f\u2009]+)?(?:ban[ \t\u00a0\u202f\u2009]+hành|ký|thông[ \t\u00a0\u202f\u2009]+qua)[ \t\u00a0\u202f\u2009]+)?(?:ngày[ \t\u00a0\u202f\u2009]*(?:\n[ \t\u00a0\u202f\u2009]*)?(?=\d))?",
    re.IGNORECASE,
)
_ISSUER_HEAD = re.compile(
    r"[ \t\u00a0\u202f\u2009]*,?[ \t\u00a0\u202f\u2009]*(?:\n[ \t\u00a0\u202f\u2009*_]*)?(?:của|do)"
    r"(?:[ \t\u00a0\u202f\u2009]*\n[ \t\u00a0\u202f\u2009*_]*|[ \t\u00a0\u202f\u2009]+)",
    re.IGNORECASE,
)
_TITLE_HEAD = re.compile(
    r"[ \t\u00a0\u202f\u2009]*,?[ \t\u00a0\u202f\u2009]*(?:\n[ \t\u00a0\u202f\u2009*_]*)?(?P<lead>(?:về[ \t\u00a0\u202f\u2009]+việc|về|v/v|V/V|ban[ \t\u00a0\u202f\u2009]+hành|phê[ \t\u00a0\u202f\u2009]+duyệt|quy[ \t\u00a0\u202f\u2009]+định)[ \t\u00a0\u202f\u2009:]*)?[*_]*(?P<q>[“\"«])?",
    re.IGNORECASE,
)
_CLOSE_QUOTE = {"“": "”", '"': '"', "«": "»"}
_TRIGGER_RE = re.compile(rf"(?P<t>Căn{_BL}+cứ|Thực{_BL}+hiện|Triển{_BL}+khai)(?!\w)")
# What may stand between a clause opening (line start, ".", ";", ":") and its trigger word:
# list marks, markdown emphasis, a number "(3)", "2.", and "Tiếp tục".
_CLAUSE_OPEN = re.compile(
    rf"(?:^|[.;:!?\n])[ \t\u00a0\u202f\u2009*_>•+\-–]*(?:\(?\d{{1,2}}[.)]{_BL}*)?(?:Tiếp{_BL}+tục{_BL}+)?$"
)
_SENTENCE_END = re.compile(r"[.!?](?:[ \t\u00a0\u202f\u2009]+[A-ZĐÀ-Ỹ]|[ \t\u00a0\u202f\u2009]*\n)")
_LIST_GAP = re.compile(r"[\s,;:*_]*(?:(?:và|hoặc|cùng)[\s]+)?(?:các[ \t\u00a0\u202f\u2009]+)?", re.IGNORECASE)


def _date_after(text: str, pos: int) -> DateMatch | None:
    """The date written right after ``pos`` ("ngày 21/01/2022", ", ngày 12 tháng 12 năm 2013")."""
    gm = _DATE_GAP.match(text, pos)
    at = gm.end() if gm else pos
    for d in find_dates(text, at, min(len(text), at + 48)):
        return d if d.start == at else None
    return None


def hard_wrapped(text: str) -> bool:
    """True when line breaks fall inside sentences (PDF text, saved web pages), not between paragraphs.

    Such text has almost no long lines; text from Word has one long line per paragraph.
    """
    lengths = [len(ln) for ln in text.split("\n") if ln.strip()]
    if len(lengths) < 5:
        return False
    long = sum(n > 110 for n in lengths)
    return long <= 0.02 * len(lengths) and sum(n >= 50 for n in lengths) >= 5


def _issuer_after(
    text: str, pos: int, g: Grammar, words: TypeWords, *, by: bool = True, wrapped: bool = True
) -> tuple[str, int, int] | None:
    """ "của <issuer>" (or, with ``by``, "do <issuer>") right after ``pos``: (issuer, start, end)."""
    hm = _ISSUER_HEAD.match(text, pos)
    if not hm or (not by and hm.group(0).strip().casefold().startswith("do")):
        return None
    start = hm.end()
    limit = min(len(text), start + 160)
    end = start
    cur = start
    n_words = 0
    while cur < limit and n_words < 16:
        km = _KHOA_PAREN.match(text, _skip_blank(text, cur, newline=False))
        if km and n_words:
            end = cur = km.end()
            continue
        wm = _WORD_RE.match(text, cur)
        if not wm or wm.start("w") >= limit:
            break
        if wm.group("nl") and (
            text[end - 1 : end] in ";.:"
            or not wm.group("w")[:1].isalpha()
            or (not wrapped and not wm.group("w")[:1].islower())
        ):
            break  # a new paragraph, list item or table cell, not a wrapped issuer name
        ws = wm.start("w")
        w = wm.group("w")
        if n_words and (g.issuer_stop_re.match(text, ws) or _PART_REF.match(text, ws)):
            break
        if n_words and words.at(ws) is not None and text[end - 4 : end].casefold() != "đạo":
            break  # "của Văn phòng Chính phủ Kết luận Phiên họp …"; but "Ban Chỉ đạo Quy chế dân chủ"
        if n_words and w.casefold() in ("và", "hoặc"):
            nxt = _WORD_RE.match(text, wm.end())
            # "Ban dân vận Thành ủy và UBND thành phố" joins names; "và thực hiện …" ends the issuer.
            if nxt is None or words.at(nxt.start("w")) is not None or not nxt.group("w")[:1].isupper():
                break
        if w[0] in "“\"«(*" or not w[0].isalnum():
            if w[0] == "*" and w.strip("*_") and w.strip("*_")[0].isalnum() and n_words:
                pass
            else:
                break
        cm = _WORD_CORE.match(w.lstrip("*_"))
        if not cm or (n_words and w.lstrip("*_")[0].isdigit()):
            break
        core = cm.group(0)
        if core.casefold() not in ("và", "hoặc"):  # a trailing conjunction is not part of the name
            end = ws + (len(w) - len(w.lstrip("*_"))) + len(core)
        n_words += 1
        cur = wm.end()
        if core != w.strip("*_") or SYMBOL_RE.match(w):
            break
    if n_words == 0:
        return None
    issuer = _clean_issuer(text[start:end])
    if not issuer:
        return None
    return issuer, start, end


def _title_after(text: str, pos: int, next_starts: list[int]) -> str | None:
    """Quoted text, or the "về …" clause, right after ``pos``.

    The clause runs to ";" or the end of the sentence. A later citation inside it belongs to the
    title ("về tiếp tục thực hiện Chỉ thị số 05-CT/TW …") unless a list goes on before it
    ("…, Nghị quyết số 02/NQ-CP").
    """
    tm = _TITLE_HEAD.match(text, pos)
    if not tm or (not tm.group("lead") and not tm.group("q")):
        return None
    if tm.group("q"):
        close = _CLOSE_QUOTE[tm.group("q")]
        j = text.find(close, tm.end(), tm.end() + 400)
        if j < 0:
            return None
        return _clean_title(text[tm.end() : j]) or None
    if tm.group("lead").casefold().startswith(("ban", "phê", "quy")):
        return None
    body_start = tm.end()
    body_end = min(len(text), body_start + 400)
    for stop in (";", "\n\n", ". ", ".\n"):
        j = text.find(stop, body_start, body_end)
        if j >= 0:
            body_end = j
    for ns in next_starts:
        if ns >= body_end:
            break
        if ns > body_start and _LIST_END.search(text, body_start, ns):
            body_end = _LIST_END.search(text, body_start, ns).start()  # type: ignore[union-attr]
            break
    body = text[body_start:body_end]
    if "\n" in body:
        # A hard-wrapped paragraph continues after a line break; a new paragraph does not.
        lines = body.split("\n")
        keep = [lines[0]]
        for ln in lines[1:]:
            if not ln.strip() or _LIST_ITEM.match(ln):
                break
            keep.append(ln)
        body = "\n".join(keep)
    title = _clean_title(body)
    return title[:300] if title else None


# "Chương II", "Điều 5", "khoản 2": a part of a document, never the start of an issuer's name.
_PART_REF = re.compile(rf"(?:chương|điều|mục|khoản|điểm|phần|phụ{_BL}+lục){_BL}+(?:\d+|[IVXLC]+)(?!\w)", re.IGNORECASE)
_WORD_CORE = re.compile(r"\w(?:[\w&'’.\-]*\w)?")
_LIST_END = re.compile(r"[ \t\u00a0\u202f\u2009]*(?:,|;|(?<!\w)và|(?<!\w)hoặc)[ \t\u00a0\u202f\u2009]*(?:\n[ \t\u00a0\u202f\u2009*_]*)?$", re.IGNORECASE)


_EMPHASIS = re.compile(r"[*_]+")
_LEAD_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_TERM_YEARS = re.compile(r"\d{4}")
_TERM_NAMED = re.compile(r"[IVXLC]{2,}|khóa|khoá")
_LIST_ITEM = re.compile(rf"[ \t\u00a0\u202f\u2009*_]*(?:[-+•]|\d+[.)]|[IVX]+\.|[a-zđ]\)){_BL}")
_LIST_SO = re.compile(rf"(?:,|;|và){_BL}*số{_BL}*:?{_BL}*$")
_AND_GAP = re.compile(rf"{_BL}*(?:,|và|;|,{_BL}*và)?{_BL}*")
_ITEM_END = re.compile(rf";{_BL}*(?:\n{_BL}*)?$")
_TW = re.compile(r"(?<!\w)tw(?!\w)")
_KHOA_OLD = re.compile(r"(?<!\w)khoá(?!\w)")
_SPACES = re.compile(r"\s+")
_TRAILING_AND = re.compile(r"(?:\s+(?:và|hoặc))+$")


def _clean_title(s: str) -> str:
    return _SPACES.sub(" ", _EMPHASIS.sub("", s)).strip(" ,.;:“”\"«»")


def _clean_issuer(s: str) -> str:
    s = _SPACES.sub(" ", _EMPHASIS.sub("", s)).strip(" ,.;:“”\"")
    return _TRAILING_AND.sub("", s)


def _fold_space(s: str) -> str:
    return _SPACES.sub(" ", s).strip()


@dataclass(slots=True)
class _Resolved:
    mention: Mention
    start: int
    end: int
    date: DateMatch | None = None
    issuer: str | None = None
    title: str | None = None
    relation: Relation = "mention"
    key: str = ""


def resolve_citations(mentions: list[Mention], text: str) -> tuple[Citation, ...]:
    """Fill date, issuer, title, relation and key of each mention; one Citation per mention."""
    return _resolve(mentions, text, grammar(), TypeWords(text, grammar()))


def _resolve(mentions: list[Mention], text: str, g: Grammar, words: TypeWords) -> tuple[Citation, ...]:
    wrapped = hard_wrapped(text)
    res: list[_Resolved] = []
    for i, mm in enumerate(mentions):
        nxt_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        r = _Resolved(mm, mm.start, mm.end, date=mm.date, issuer=mm.issuer)
        pos = mm.end
        if r.date is None:
            d = _date_after(text, pos)
            if d is not None and d.end <= nxt_start:
                r.date, pos = d, d.end
        elif mm.date is not None:
            pos = max(pos, mm.date.end)
        iss = _issuer_after(text, pos, g, words, by=mm.symbol is not None, wrapped=wrapped)
        if iss is not None and iss[2] <= nxt_start:
            r.issuer = r.issuer or iss[0]
            pos = iss[2]
            if r.date is None:
                d = _date_after(text, pos)  # "… của X ngày 12/3/2024"
                if d is not None and d.end <= nxt_start:
                    r.date, pos = d, d.end
        r.end = pos
        r.title = mm.title if mm.title else _title_after(text, pos, [m.start for m in mentions[i + 1 : i + 4]])
        res.append(r)
    _inherit_types(res, text)
    _list_issuers(res, text, g, words)
    _share_dates(res, text)
    _relations(res, text)
    _keys(res)
    return tuple(_citation(r, text) for r in res)


def _inherit_types(res: list[_Resolved], text: str) -> None:
    """ "văn bản số 2687/TTg-KTN ngày …; số 1316/TTg-KTN ngày …": a bare "số" continues a list."""
    for prev, r in pairwise(res):
        mm = r.mention
        if mm.type is not None or mm.type_word is not None or prev.mention.type is None:
            continue
        gap = text[prev.end : mm.start]
        if len(gap) <= 80 and not _SENTENCE_END.search(gap) and _LIST_SO.search(gap):
            r.mention = Mention(
                mm.start, mm.end, mm.kind, prev.mention.type, None, mm.symbol, mm.title, mm.issuer, mm.date, mm.anchored
            )


# "các văn bản của UBND huyện tại: Công văn số 245/UBND …, Công văn số 300/UBND …": the issuer is
# written once, before the list.
_LIST_HEAD = re.compile(
    rf"(?<!\w)(?:của|do){_BL}+[^:;.\n“”\"]{{2,100}}?{_BL}*(?:tại|gồm|như{_BL}+sau|sau{_BL}+đây)?{_BL}*:{_BL}*(?:\n{_BL}*)?$",
    re.IGNORECASE,
)


def _list_issuers(res: list[_Resolved], text: str, g: Grammar, words: TypeWords) -> None:
    head: str | None = None
    prev: _Resolved | None = None
    for r in res:
        if prev is None or head is None or not _continues_list(text, prev, r):
            head = None
            lo = max(prev.end if prev is not None else 0, r.start - 200)
            m = _LIST_HEAD.search(text, lo, r.start)
            iss = _issuer_after(text, m.start(), g, words) if m else None
            if m and iss is not None and iss[2] <= m.end():
                head = iss[0]
        if head is not None and r.issuer is None:
            r.issuer = head
        prev = r


def _connected(text: str, a: _Resolved, b: _Resolved) -> bool:
    gap = text[a.end : b.start]
    return len(gap) <= 12 and _AND_GAP.fullmatch(gap) is not None


def _share_dates(res: list[_Resolved], text: str) -> None:
    """ "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12 tháng 12 năm 2013": both."""
    for i in range(len(res) - 2, -1, -1):
        a, b = res[i], res[i + 1]
        if a.date is not None or b.date is None:
            continue
        sa, sb = a.mention.symbol, b.mention.symbol
        if sa is None or sb is None or a.mention.type != b.mention.type or sa.tail != sb.tail:
            continue
        if a.issuer is not None and b.issuer is not None and a.issuer != b.issuer:
            continue
        if _connected(text, a, b):
            a.date = b.date
            if a.issuer is None:
                a.issuer = b.issuer


def _triggers(text: str) -> list[tuple[int, int, Relation]]:
    """ "Căn cứ", "Thực hiện", "Triển khai" opening a clause: (start, end, relation)."""
    out: list[tuple[int, int, Relation]] = []
    for m in _TRIGGER_RE.finditer(text):
        if _CLAUSE_OPEN.search(text, max(0, m.start() - 24), m.start()):
            out.append((m.start(), m.end(), "basis" if m.group("t")[0] == "C" else "implements"))
    return out


def _relations(res: list[_Resolved], text: str) -> None:
    """ "Căn cứ …" → basis, "Thực hiện/Triển khai …" → implements, for the citations of that clause.

    A citation nested in another's title ("… về thực hiện Nghị quyết số 28-NQ/TW") keeps
    "mention"; the items of one list ("…; Quyết định số 3807/…") share the list's relation.
    """
    triggers = _triggers(text)
    starts = [t[0] for t in triggers]
    prev: _Resolved | None = None
    for r in res:
        lo = max(0, r.start - 400)
        if prev is not None:
            lo = max(lo, prev.end)
        i = bisect_right(starts, r.start) - 1
        trig = triggers[i] if i >= 0 and triggers[i][0] >= lo and triggers[i][1] <= r.start else None
        if trig is not None and not _SENTENCE_END.search(text, trig[1], r.start) and r.start - trig[1] <= 80:
            r.relation = trig[2]
        elif prev is not None and prev.relation != "mention" and _continues_list(text, prev, r):
            r.relation = prev.relation
        prev = r


def _continues_list(text: str, prev: _Resolved, r: _Resolved) -> bool:
    gap = text[prev.end : r.start]
    if "\n\n" in gap or _SENTENCE_END.search(gap):
        return False
    if _LIST_GAP.fullmatch(gap):
        return True
    # "…; Quyết định số 3807/…" after the previous item's title: a new item of the same list.
    return bool(_ITEM_END.search(gap)) and len(gap) <= 400


def _keys(res: list[_Resolved]) -> None:
    years: dict[str, set[int]] = {}
    for r in res:
        s = r.mention.symbol
        if s is not None and s.year is None and r.date is not None:
            years.setdefault(s.canonical, set()).add(r.date.year or 0)
    last_key: dict[str, str] = {}
    for r in res:
        s = r.mention.symbol
        if s is None:
            r.key = f"{r.mention.type}|{_title_key(r.mention.title or '')}"
            continue
        key = s.canonical
        if len(years.get(key, ())) > 1:
            # State numbers restart every year: 16/CT-TTg of 2016 and of 2020 are two documents.
            if r.date is not None:
                key = f"{key}@{r.date.year}"
            else:
                key = last_key.get(s.canonical, f"{key}@{min(years[s.canonical])}")
            last_key[s.canonical] = key
        r.key = key


def _title_key(title: str) -> str:
    t = title.casefold()
    t = _TW.sub("trung ương", t)
    t = _KHOA_OLD.sub("khóa", t)
    return _SPACES.sub(" ", t.replace("(", " ").replace(")", " ")).strip()


def _citation(r: _Resolved, text: str) -> Citation:
    mm = r.mention
    s = mm.symbol
    d = r.date
    date_iso = d.iso if d else None
    return Citation(
        text=text[r.start : r.end],
        start=r.start,
        end=r.end,
        type=mm.type,
        type_code=s.type_code if s else None,
        number=s.number if s else None,
        symbol=s.canonical if s else None,
        date=date_iso,
        issuer=r.issuer,
        title=r.title,
        key=r.key,
        date_text=d.text if d else None,
        date_valid=d.valid if d else True,
        relation=r.relation,
        year=s.year if s else None,
    )


def extract_citations(text: str, *, exclude: list[tuple[int, int]] | None = None) -> tuple[Citation, ...]:
    """All cited documents of ``text`` in text order; mentions overlapping ``exclude`` are dropped."""
    g = grammar()
    words = TypeWords(text, g)
    mentions = _find(text, g, words)
    if exclude:
        # The document's own number is no citation, neither in its header nor where the body
        # repeats it ("Ban hành kèm theo Quyết định số 2820/QĐ-UBND …").
        own = {
            sym.canonical
            for s, e in exclude
            for m in SYMBOL_RE.finditer(text, s, e)
            if (sym := read_symbol(m, g)) is not None
        }
        mentions = [
            m
            for m in mentions
            if not any(m.start < e and s < m.end for s, e in exclude)
            and not (m.symbol is not None and m.symbol.canonical in own)
        ]
    return _resolve(mentions, text, g, words)
