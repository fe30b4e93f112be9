"""Responsible units: organisations and posts named in a plan ("Ban Dân vận Huyện ủy", "UBND xã Ba Nam").

A gazetteer (``data/units.yaml``) is matched with pyahocorasick over a folded copy of the text:
lower case, no diacritics, đ → d, every whitespace character a space. Folding keeps the length,
so offsets into the folded text are offsets into the text. The leftmost-longest matches are then
checked against the original spelling (capitals, diacritics) and grown by a small grammar:
an adjacent unit ("Ban Dân vận" + "Huyện ủy"), a level and place ("xã Ba Nam"), a committee's
subject ("Ban Chỉ đạo Dân vận chính quyền"), or "các" + plural nouns for posts ("Trưởng các phòng").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from vanban.extractor.model import Unit

_DATA = Path(__file__).parent / "data" / "units.yaml"

# Old and new tone placement ("uỷ"/"ủy", "hoá"/"hóa") are the same spelling.
_TONE_PAIRS = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE_PAIRS))
# Words of one name are one or two spaces apart; a wider gap or a tab separates the two columns of a
# header written side by side ("ĐẢNG BỘ HUYỆN X          ĐẢNG CỘNG SẢN VIỆT NAM").
_SP = r"[ ]{1,2}(?![ \t])"


@lru_cache(maxsize=1)
def _fold_table() -> list[str]:
    # A list indexed by code point is the fastest table str.translate takes; code points past
    # its end raise IndexError, which translate reads as "leave unchanged".
    table = [chr(cp) for cp in range(0x3001)]
    for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0].lower()
        if base.isascii() and base.isalpha():
            table[cp] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    for ws in "\n\r\t\u00a0\u2002\u2003\u2009\u200b\u3000\f\v":
        table[ord(ws)] = " "
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(dash)] = "-"
    return table


_last_fold: list[str] = ["", ""]


def fold_keep_length(text: str) -> str:
    """Lower case, no diacritics, đ → d, blanks → space, dashes → '-', one character per character.

    The last result is kept: the pipeline hands the same text to several extractors.
    """
    if text is _last_fold[0]:
        return _last_fold[1]
    folded = text.translate(_fold_table())
    _last_fold[0], _last_fold[1] = text, folded
    return folded


def _tone_norm(s: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(0)], s.lower())


@dataclass(frozen=True, slots=True)
class _Entry:
    pattern: str  # as written in the gazetteer
    lower: str  # pattern lower-cased, one tone placement
    kind: str | None
    cap: bool
    needs_tail: bool
    topic: bool
    caps_tokens: tuple[tuple[int, int], ...]  # (offset, length) of all-capitals words


@dataclass(slots=True)
class _Gazetteer:
    automaton: Any
    entries: list[_Entry]
    level_re: re.Pattern[str]
    plural_re: re.Pattern[str]
    topic_re: re.Pattern[str]  # a lower-case phrase a committee's subject is made of


def _caps_tokens(pattern: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end() - m.start()) for m in re.finditer(r"[\w&]+", pattern)
                 if len(m.group(0)) >= 2 and m.group(0).isupper())


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import ahocorasick
    import yaml

    data = yaml.load(_DATA.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    automaton = ahocorasick.Automaton()
    entries: list[_Entry] = []

    def add(pattern: str, kind: str | None, cap: bool, needs_tail: bool, topic: bool) -> None:
        variants = {pattern}
        # "Văn phòng - Thống kê" is also written "Văn phòng- Thống kê", "Văn phòng-Thống kê".
        if " - " in pattern:
            variants |= {pattern.replace(" - ", "- "), pattern.replace(" - ", " -"), pattern.replace(" - ", "-")}
        for v in variants:
            key = fold_keep_length(v)
            if key in automaton:
                continue  # the first (most specific) entry wins
            entries.append(_Entry(v, _tone_norm(v), kind, cap, needs_tail, topic, _caps_tokens(v)))
            automaton.add_word(key, (len(key), len(entries) - 1))

    for e in data["entries"]:
        for name in [e["name"], *e.get("also", [])]:
            add(str(name), e.get("kind"), bool(e.get("cap")), bool(e.get("needs_tail")), bool(e.get("topic")))
    for head in data["field_heads"]:
        for f in data["fields"]:
            add(f"{head['name']} {f}", head["kind"], bool(head.get("cap")), False, False)
    automaton.make_automaton()
    levels = _alternation([str(x) for x in data["levels"]])
    # Further levels of a list ("các xã, phường, đặc khu") are lower case: "tỉnh, Tỉnh đoàn" is two units.
    lower_levels = "|".join(re.escape(str(x)) for x in data["levels"] if str(x).islower())
    level_re = re.compile(rf"{_SP}(?:(?i:các|cấp|cùng){_SP})?(?i:{levels})"
                          rf"(?:[ \t]*(?:,|và)[ \t]*(?:{lower_levels}))*(?!\w)")
    plurals = _alternation([str(x) for x in data["plurals"]])
    plural_re = re.compile(rf"{_SP}các{_SP}(?:{plurals})(?:[ \t]*,[ \t]*(?:{plurals}))*(?!\w)", re.IGNORECASE)
    topic_re = re.compile(rf"{_SP}(?:{_alternation([str(x) for x in data['topic_words']])})(?!\w)", re.IGNORECASE)
    return _Gazetteer(automaton, entries, level_re, plural_re, topic_re)


_NAME_TOKEN_RE = re.compile(rf"{_SP}(\w+(?:[ \t]?-[ \t]?\w+)?)")
_TOPIC_TOKEN_RE = re.compile(rf"{_SP}([\w&]+(?:-[\w&]+)*)")
_TOPIC_DASH_RE = re.compile(rf"[ \t]?[-–](?={_SP}([A-ZĐÀ-Ỹ][\w&]*))")
_UNIT_WORDS = frozenset(["Ủy", "Uỷ", "UBND", "HĐND", "Sở", "Ban", "Bộ", "Phòng", "Hội", "Đảng", "Chi", "Cục", "Văn"])
# Capitalised words that begin a new clause rather than continue a place name.
_NOT_NAME = frozenset(["về", "theo", "trên", "nhằm", "để", "và", "với", "tại", "trong", "của", "năm", "ngày", "giao", "đề", "yêu", "chỉ", "tổ"])


def _spelling_ok(text: str, start: int, entry: _Entry) -> bool:
    span = text[start:start + len(entry.pattern)]
    for off, length in entry.caps_tokens:
        if not span[off:off + length].isupper():
            return False
    low = span.lower()
    if low == entry.lower or (span.isascii() and not entry.pattern.isascii()):
        return True  # as written, or typed without diacritics
    a, b = _tone_norm(low), entry.lower
    if len(a) != len(b):
        return a == b
    wrong = sum(1 for x, y in zip(a, b, strict=True) if x != y)
    # One wrong diacritic is a typo in a long capitalised name ("Khôi Dân vận"); in a short one it
    # is another word ("hỏi" is not "Hội"), and lower-case "bản chỉ đạo" is a document.
    return wrong == 0 or (wrong == 1 and len(b.split()) >= 3 and span[:1].isupper())


def _boundary_ok(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    if before.isalnum() or after.isalnum():
        return False
    # Pieces of document symbols ("22/KH-UBND", "12-KH/BDVHU") are not mentions of units.
    if before in "/-" and start > 1 and folded[start - 2].isalnum():
        return False
    return not (after in "/-" and end + 1 < len(folded) and folded[end + 1].isalnum())


def _place_name(text: str, pos: int, caps: bool) -> int:
    """End of a place name after a level word ("xã Ba Nam", "XÃ LƯƠNG MINH", "phường 5")."""
    end = pos
    for _ in range(5):
        m = _NAME_TOKEN_RE.match(text, end)
        if not m:
            break
        word = m.group(1)
        if not (word[0].isupper() or word[0].isdigit()) or word.lower() in _NOT_NAME:
            break
        if caps and not word.isupper() and not word[0].isdigit():
            break  # "ỦY BAN NHÂN DÂN XÃ BA NAM" ends where capitals end
        if _doc_word().match(text, m.start(1)):
            break  # "Ủy ban nhân dân thành phố Quy định về …": a document's name follows, not a place
        end = m.end()
    return end


@lru_cache(maxsize=1)
def _doc_word() -> re.Pattern[str]:
    from vanban.extractor.citations import grammar

    words = sorted({w for t in grammar().types for w in t.words}, key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)")


def _topic(text: str, pos: int, g: _Gazetteer) -> int:
    """End of a committee's subject ("Dân vận chính quyền", "thực hiện QCDC", "191")."""
    end = pos
    for _ in range(8):
        m = g.topic_re.match(text, end)
        lv = g.level_re.match(text, end)
        if lv and not (m and m.end() > lv.end()):
            break  # "xã hội" is a subject, "xã Ba Nam" a level
        if m is None and end > pos:
            # "Chi cục Dân số - Xã hội": a subject in two parts, unless another body follows the dash.
            m = _TOPIC_DASH_RE.match(text, end)
            if m is not None and m.group(1) in _UNIT_WORDS:
                m = None
        if m is None:
            m = _TOPIC_TOKEN_RE.match(text, end)
            if m is None or not (m.group(1)[0].isupper() or m.group(1)[0].isdigit()):
                break
            if m.group(1).lower() in _NOT_NAME:
                break
        end = m.end()
    return end


def find_units(text: str, *, exclude: list[tuple[int, int]], use_model: bool = True) -> tuple[Unit, ...]:
    """Every mention of an organisation or post, as written, in text order.

    When the ``units`` model is in use (models/README.md), names the gazetteer does not list are
    added from its token tagger, where they overlap no rule unit and no excluded span;
    ``use_model=False`` gives the rules alone (what the model is trained on and compared with).
    """
    units = _rule_units(text, exclude)
    if not use_model:
        return units
    from vanban.models.units import load_tagger

    tagger = load_tagger()
    if tagger is None:
        return units
    taken = [(u.start, u.end) for u in units] + list(exclude)
    added = [Unit(text[s.start:s.end], s.start, s.end, "other") for s in tagger.additions(text, taken)]
    return tuple(sorted(units + tuple(added), key=lambda u: u.start)) if added else units


def _rule_units(text: str, exclude: list[tuple[int, int]]) -> tuple[Unit, ...]:
    g = _gazetteer()
    folded = fold_keep_length(text)
    matches: list[tuple[int, int, _Entry]] = []
    for last, (length, idx) in g.automaton.iter_long(folded):
        start, end = last + 1 - length, last + 1
        entry = g.entries[idx]
        if _boundary_ok(folded, start, end) and _spelling_ok(text, start, entry):
            matches.append((start, end, entry))

    units: list[Unit] = []
    i = 0
    while i < len(matches):
        start, end, head = matches[i]
        entry, kind = head, head.kind
        head_cap_ok = not head.cap or text[start].isupper()
        has_tail = False
        i += 1
        while True:
            grown = end
            if entry.topic:
                grown = _topic(text, grown, g)
                has_tail = has_tail or grown > end  # "Hội đồng thẩm định"
            # "Ban Dân vận Huyện ủy": a unit that follows is taken before the level word "huyện".
            adjacent = i < len(matches) and matches[i][0] == grown + 1 and text[grown] in " \t"
            lv = None if adjacent else g.level_re.match(text, grown)
            if lv:
                level_word = lv.group(0).split()[-1]
                grown = _place_name(text, lv.end(), level_word.isupper() and len(level_word) > 1)
                head_cap_ok = True
                has_tail = True
            elif entry.kind == "post" or entry.needs_tail:
                pl = g.plural_re.match(text, grown)
                if pl:
                    grown = pl.end()
                    has_tail = True
                    lv = g.level_re.match(text, grown)  # "Thủ trưởng các ban, ngành tỉnh"
                    if lv and not lv.group(0).lstrip().lower().startswith(("các", "cấp", "cùng")):
                        grown = lv.end()
            # Skip gazetteer matches the grammar has swallowed.
            while i < len(matches) and matches[i][0] < grown:
                i += 1
            end = grown
            # A unit right after this one (one blank between) names whose unit it is.
            # Not across a line break: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" are two lines of a signature.
            if i < len(matches) and matches[i][0] == end + 1 and text[end] in " \t":
                nxt = matches[i][2]
                if nxt.cap and not text[matches[i][0]].isupper():
                    break
                end, entry = matches[i][1], nxt
                has_tail = True
                kind = kind or nxt.kind
                i += 1
                continue
            break
        if not head_cap_ok or (head.needs_tail and not has_tail):
            continue
        if any(s < end and start < e for s, e in exclude):
            continue
        units.append(Unit(text[start:end], start, end, kind or "other"))
    return tuple(units)
