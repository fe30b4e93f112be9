"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI-Windows) → Unicode, and known font-map artefacts.

Before Unicode, Vietnamese was typed in 8-bit fonts: the bytes are ordinary Latin-1 characters and
only the font (``.VnTime``, ``VNI-Times``) draws them as Vietnamese. Read without the font, TCVN3
text looks like ``Céng hoµ X· héi Chñ nghÜa ViÖt Nam``. The conversion tables come from viparse
(pinned; its tables were validated on real government documents); this module adds what a text
pipeline needs around them:

* a fast first look that costs nothing on ordinary Unicode text (no viparse import at all);
* detection by what conversion *does*: a legacy encoding is reported only when converting the
  suspicious lines turns invalid syllables into valid Vietnamese ones (see ``quality``);
* decisions per line, because real files mix Unicode headings with legacy body text, and
  converting a Unicode line with the TCVN3 table would corrupt it (``á`` is ``ỏ`` in TCVN3);
* uppercase words keep their case (TCVN3 has no uppercase toned letters: ``QUYÕT`` → ``QUYẾT``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Literal

from vanban.extractor.quality import is_valid_syllable

if TYPE_CHECKING:
    from viparse.normalize.tables import Charmap

Legacy = Literal["tcvn3", "vni"]

# Characters of each table that never occur in Unicode Vietnamese (the table's characters minus
# the Latin-1 letters Vietnamese uses). tests/test_legacy.py recomputes them from viparse's tables.
TCVN3_MARKERS = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ")
VNI_MARKERS = frozenset("ÄÅÆËÏÑÖØÛÜäåæëïñöøûü")
_ALL_MARKERS = TCVN3_MARKERS | VNI_MARKERS
_MARKER_RE = re.compile("[" + re.escape("".join(sorted(_ALL_MARKERS))) + "]")
# A PDF text layer turns TCVN3's ư (0xAD) into U+2212 and ã (0xB7) into U+2219 (viparse notes).
_PDF_GLYPHS = {"\u2212": "\xad", "\u2219": "\xb7"}
# Letters only Unicode Vietnamese has (outside Latin-1): a line with them is already Unicode.
_UNICODE_VIET = re.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")
_MIN_MARKERS = 3


def encoding_for_font(font_name: str | None) -> Legacy | None:
    """The legacy encoding a font implies: ``.VnTime``/``.VnTimeH``/``.VnArial`` → tcvn3,
    ``VNI-Times``/``VNI-Helve`` → vni, anything else (Unicode fonts) → None."""
    if not font_name:
        return None
    name = re.sub(r"^[A-Z]{6}\+", "", font_name.strip()).upper()  # PDF subset tag "ABCDEF+"
    if name.startswith(".VN"):
        return "tcvn3"
    if name.startswith("VNI") and (len(name) == 3 or not name[3].isalpha()):
        return "vni"
    return None


def is_uppercase_font(font_name: str | None) -> bool:
    """TCVN3 ``H`` fonts (``.VnTimeH``, ``.VnArialH``) draw lowercase bytes as capitals."""
    if encoding_for_font(font_name) != "tcvn3":
        return False
    base = re.split(r"[,\-]", re.sub(r"^[A-Z]{6}\+", "", (font_name or "").strip()))[0].rstrip()
    return base.endswith("H")


# --------------------------------------------------------------------------- detection


def invalid_words(text: str) -> tuple[int, int]:
    """(invalid, total) count of the words with non-ASCII letters in ``text``."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    return sum(1 for w in words if not is_valid_syllable(w)), len(words)


def _suspicious_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if _MARKER_RE.search(line)]


def detect(text: str) -> Legacy | None:
    """Which legacy encoding ``text`` is (partly) written in, or None for Unicode text.

    Only lines holding characters foreign to Vietnamese are examined; each candidate table is
    tried on them and must turn at least half of their invalid syllables into valid ones.
    """
    markers = _MARKER_RE.findall(text)
    if len(markers) < _MIN_MARKERS:
        return None
    sample = "\n".join(_suspicious_lines(text))[:40_000]
    before, _ = invalid_words(sample)
    if before < _MIN_MARKERS:
        return None
    best: tuple[int, Legacy] | None = None
    candidates: list[Legacy] = []
    if any(ch in TCVN3_MARKERS for ch in markers):
        candidates.append("tcvn3")
    if any(ch in VNI_MARKERS for ch in markers):
        candidates.append("vni")
    for name in candidates:
        after, _ = invalid_words(convert(sample, name))
        gain = before - after
        if after * 2 <= before and (best is None or gain > best[0]):
            best = (gain, name)
    return best[1] if best else None


# --------------------------------------------------------------------------- conversion


@cache
def _charmap(encoding: str) -> Charmap:
    from viparse.normalize.encodings import CHARMAPS  # ~100 ms import: only for legacy text

    charmap = CHARMAPS.get(encoding)
    if charmap is None:
        raise ValueError(f"unknown legacy encoding {encoding!r} (known: tcvn3, vni)")
    return charmap


@cache
def _single_char_table(encoding: str) -> dict[int, str] | None:
    """str.translate table when every entry of the charmap is one character (TCVN3)."""
    pairs = _charmap(encoding).pairs
    if any(len(src) != 1 for src, _ in pairs):
        return None
    return {ord(src): dst for src, dst in pairs}


def _restore_pdf_glyphs(text: str) -> str:
    if "\u2212" not in text and "\u2219" not in text:
        return text
    chars = list(text)
    for i, ch in enumerate(text):
        if ch in _PDF_GLYPHS and ((i and text[i - 1].isalpha()) or text[i + 1 : i + 2].isalpha()):
            chars[i] = _PDF_GLYPHS[ch]
    return "".join(chars)


def _restore_case(original: str, converted: str) -> str:
    """Uppercase converted words that were typed in capitals (``QUYÕT`` → ``QUYẾT``)."""
    return "\n".join(
        _restore_line_case(src, out)
        for src, out in zip(original.split("\n"), converted.split("\n"), strict=True)
    )


def _restore_line_case(original: str, converted: str) -> str:
    # Capitals the writer typed: ASCII ones and the table's own capitals (§ → Đ), never a surface
    # capital the table maps to a lowercase letter (Ö is ệ: "HÖ" stays "Hệ").
    words = []
    for m in _WORD.finditer(converted):
        src, word = original[m.start() : m.end()], m.group()
        typed = sum(1 for s, c in zip(src, word, strict=True) if c.isupper() and (s.isascii() or s != c))
        lower_ascii = any(ch.isascii() and ch.islower() for ch in src)
        words.append((m, typed, lower_ascii))
    long_words = [w for w in words if len(w[0].group()) > 1]
    caps_line = bool(long_words) and sum(
        1 for m, typed, lower in long_words if not lower and typed >= 2
    ) * 5 >= len(long_words) * 3
    out, pos = [], 0
    for m, typed, lower in words:
        word = m.group()
        if not lower and word != word.upper() and (typed >= 2 or (caps_line and typed >= 1)):
            out += [converted[pos : m.start()], word.upper()]
            pos = m.end()
    out.append(converted[pos:])
    return "".join(out)


def convert(text: str, encoding: str, *, uppercase: bool = False) -> str:
    """Convert all of ``text`` from ``encoding`` ("tcvn3" or "vni") to NFC Unicode.

    ``uppercase`` is for text known to come from a TCVN3 ``H`` font (see ``is_uppercase_font``).
    """
    text = _restore_pdf_glyphs(text)
    table = _single_char_table(encoding)
    if table is not None:
        out = text.translate(table)
        out = _restore_case(text, out) if len(out) == len(text) else out
    else:
        from viparse.normalize.tables import convert as viparse_convert

        out = viparse_convert(text, _charmap(encoding))
    if uppercase:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def repair_line(line: str, encoding: str) -> str:
    """``line`` converted from ``encoding`` when that makes it more Vietnamese, else unchanged."""
    if line.isascii():
        return line
    converted = convert(line, encoding)
    if converted == line:
        return line
    before, _ = invalid_words(line)
    after, _ = invalid_words(converted)
    if after < before:
        return converted
    if after == before and _MARKER_RE.search(line) and not _UNICODE_VIET.search(line):
        return converted
    return line


def fix(text: str) -> tuple[str, Legacy | None]:
    """Detect a legacy encoding and convert the lines written in it; other lines stay as they are."""
    encoding = detect(text)
    if encoding is None:
        return text, None
    return "\n".join(repair_line(line, encoding) for line in text.split("\n")), encoding


# --------------------------------------------------------------------------- font-map artefacts

_OI = re.compile(r"[ƣƢ]")
_OI_WORD = re.compile(r"[^\W\d_]*[ƣƢ][^\W\d_]*")
U01A3_MAP = str.maketrans({"ƣ": "ư", "Ƣ": "Ư"})


def u01a3_applies(text: str) -> bool:
    """Whether ``ƣ``/``Ƣ`` (U+01A3/U+01A2, LATIN LETTER OI) in ``text`` stand for ``ư``/``Ư``.

    Some PDF fonts map the glyph ư to the code point of ƣ. The letter oi is used by a few African
    orthographies, so this holds only when most words holding it become valid Vietnamese
    syllables and the text has other Vietnamese letters.
    """
    if not _OI.search(text):
        return False
    words = _OI_WORD.findall(text)
    good = sum(1 for w in words if is_valid_syllable(w.translate(U01A3_MAP)))
    others = len(_UNICODE_VIET.findall(_OI.sub("", text)))
    return good * 10 >= len(words) * 6 and others >= 3


def repair_u01a3(text: str) -> tuple[str, bool]:
    """``text`` with ƣ/Ƣ mapped to ư/Ư when ``u01a3_applies``; and whether it did."""
    if u01a3_applies(text):
        return text.translate(U01A3_MAP), True
    return text, False
