"""Text normalization shared by extraction and search: NFC, folding, whitespace.

``fold`` is the search key: users type "ke hoach", "Kế hoạch" or "KẾ HOẠCH" and expect the same
hits. Unicode decomposition removes tone and shape marks but leaves ``đ`` alone (it is a letter
of its own, not d + mark), so đ/Đ are mapped to d/D explicitly — SQLite FTS5 and PostgreSQL's
unaccent differ exactly there.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_SPACES = re.compile(r"\s+")
_HSPACES = re.compile(r"[^\S\n]+")
_STROKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Remove tone and shape marks (ế → e, ư → u, đ → d); case and spacing are kept."""
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKE))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def collapse_spaces(text: str, *, keep_newlines: bool = False) -> str:
    """Runs of whitespace → one space (or, with ``keep_newlines``, only horizontal runs), stripped."""
    return (_HSPACES if keep_newlines else _SPACES).sub(" ", text).strip()


def fold(text: str) -> str:
    """Search key: no marks, đ → d, casefolded, whitespace collapsed (``"Kế  Hoạch"`` → ``"ke hoach"``)."""
    return collapse_spaces(strip_marks(text).casefold())


@cache
def _fold_char(ch: str) -> str:
    folded = strip_marks(ch).lower()
    return folded if len(folded) == 1 else ch


def fold_aligned(text: str) -> str:
    """Like ``fold`` but character for character (same length, no space collapsing), so an offset
    found in the folded text is the offset in ``text``. Characters whose fold is not exactly
    one character are kept as they are."""
    return "".join(ch if ch.isascii() and not ch.isupper() else _fold_char(ch) for ch in text)


# Hyphens, en/em dashes and the minus sign people type inside document symbols ("120 –KL/TW").
_UNICODE_DASHES = re.compile("[\u2010-\u2015\u2212]")


def ascii_dashes(text: str) -> str:
    """Every dash-like character as ASCII hyphen-minus, the canonical spelling of symbols."""
    return _UNICODE_DASHES.sub("-", text)
