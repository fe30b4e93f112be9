"""Search folding: the form in which stored text and queries are compared.

``fold`` maps every character to one character: letters and digits take the extractor's search
fold (``vanban.extractor.normalize.fold``: no marks, đ → d, case folded), punctuation and symbols
become spaces. Because the
result has the same length as its input (except for stray combining marks, which are dropped),
an offset found in the folded text is the same offset in the original text; the snippet
highlighter relies on it. Punctuation turns into spaces so that both SQLite's unicode61 tokenizer
and PostgreSQL's parser see the same words (PostgreSQL's parser would otherwise cut
``04/2015/NĐ-CP`` into odd pieces).
"""

from __future__ import annotations

import re
import unicodedata

from vanban.extractor.normalize import fold as _letter_fold

_WORD = re.compile(r"[^\W_]+")


class _FoldTable(dict[int, str]):
    """``str.translate`` table that computes each character's fold on first sight."""

    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        self[code] = out
        return out


def _fold_char(c: str) -> str:
    cat = unicodedata.category(c)
    if cat[0] in "LN":
        low = _letter_fold(c)
        if len(low) == 1:
            return low
        single = c.lower()
        return single if len(single) == 1 else c
    if cat[0] == "M":
        return ""  # a stray mark NFC could not attach to a letter
    if c in "\n\t ":
        return c
    return " "  # punctuation, symbols, other spaces, controls


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold ``text`` for search: ``"Đảng ủy, “Dân vận khéo”"`` → ``"dang uy   dan van kheo "``."""
    return text.translate(_TABLE)


def words(text: str) -> list[str]:
    """The folded words of ``text``, as both search engines tokenize them."""
    return _WORD.findall(fold(text))


def exact_words(text: str) -> list[str]:
    """The words of ``text`` with their diacritics, lower-cased (for exact-match ranking)."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def has_diacritics(text: str) -> bool:
    """True when folding changes a letter of ``text`` beyond its case (so an exact match means more)."""
    return any(fold(w) != w for w in exact_words(text))
