"""How much a text looks like real Vietnamese: valid syllables, replacement characters, stray marks.

Garbled input (an unconverted TCVN3/VNI file, a PDF with a broken font map, random bytes) must be
reported instead of being silently "extracted". The test is a compact Vietnamese syllable grammar
(onset + rhyme + one tone, with the stop-coda tone rule), not a dictionary: every word of real
Vietnamese fits it, while legacy-font mojibake (``Céng hoµ X· héi Chñ nghÜa ViÖt Nam``) mostly
does not, because it puts marks on consonants, uses letters Vietnamese does not have (µ, Ü, Ö) or
builds impossible rhymes.

Words made only of ASCII letters are accepted as they are (abbreviations, foreign names, text
typed without diacritics), so the ratio measures the words that *claim* to be Vietnamese.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Literal

from vanban.extractor.model import Quality

Verdict = Literal["ok", "suspect", "garbled", "empty"]

# --------------------------------------------------------------------------- syllable grammar

# base vowel → its six tone forms in NFC: level, grave (huyền), acute (sắc), hook (hỏi),
# tilde (ngã), dot below (nặng)
_TONED = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ", "e": "eèéẻẽẹ", "ê": "êềếểễệ", "i": "iìíỉĩị",
    "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ", "ư": "ưừứửữự", "y": "yỳýỷỹỵ",
}
_TONE_OF: dict[str, int] = {}
_BASE_OF: dict[str, str] = {}
for _base, _forms in _TONED.items():
    for _tone, _ch in enumerate(_forms):
        if _tone:
            _TONE_OF[_ch] = _tone
            _BASE_OF[_ch] = _base
_UNTONE = str.maketrans(_BASE_OF)
_ACUTE, _DOT = 2, 5

_ONSET = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
# Rhymes without tone. Codas c/ch/p/t (and k in highland place names: Đắk Lắk) take only the
# acute or dot-below tone; that rule is checked apart (see _STOP).
_RHYMES = """
a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e eo ec em en eng ep et ê êu êch êm ên ênh êp êt
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
y ya yu ych ynh yt yêm yên yêng yêt yêu
o oi oc om on ong op ot oong ooc ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơc ơm ơn ơp ơt
u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu
oa oai oay oao oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oe oeo oen oet
uân uâng uât uây uê uêch uênh uơ uy uya uych uynh uyp uyt uyu uyên uyêt
""".split()  # noqa: SIM905 - a table reads better as text
_RHYMES += [r[:-1] + "k" for r in _RHYMES if r.endswith("c")]
_RHYME_RE = "|".join(sorted(_RHYMES, key=len, reverse=True))
_SYLLABLE = re.compile(rf"{_ONSET}(?P<rhyme>{_RHYME_RE})")
_STOP = re.compile(r"(?:c|ch|p|t|k)$")

_CONSONANT_SALAD = re.compile(r"^[^aeiouy]{3,}$|[^aeiouy]{4}", re.IGNORECASE)
_ACRONYM_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")
_TOKEN = re.compile(r"[^\W\d_]+")
_valid_cache: dict[str, bool] = {}


def is_valid_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is a Vietnamese syllable, an acronym or an ASCII word."""
    cached = _valid_cache.get(word)
    if cached is not None:
        return cached
    result = _check(word)
    if len(_valid_cache) < 200_000:
        _valid_cache[word] = result
    return result


def _check(word: str) -> bool:
    if word.isascii():
        # Lowercase letter salad ("xkqzvt") is not a word; abbreviations start with a capital.
        return not (word[0].islower() and _CONSONANT_SALAD.search(word))
    if len(word) > 1 and all(ch in _ACRONYM_LETTERS for ch in word):  # HĐND, BCĐ, NĐ
        return True
    if len(word) == 1 and word.isalpha():  # a lone "đ" (đồng) or initial
        return not unicodedata.combining(word)
    low = word.lower()
    tones = [_TONE_OF[ch] for ch in low if ch in _TONE_OF]
    if len(tones) > 1:
        return False
    m = _SYLLABLE.fullmatch(low.translate(_UNTONE))
    if m is None:
        return False
    if _STOP.search(m.group("rhyme")):
        return bool(tones) and tones[0] in (_ACUTE, _DOT)
    return True


# --------------------------------------------------------------------------- assessment

# Characters a legacy font (TCVN3, VNI) leaves behind when its text is read as Latin-1; none of
# them occurs in Vietnamese words, so one glued to a letter is a conversion leftover.
LEGACY_LEFTOVERS = frozenset("µ¸¶·¹»¾¼½ÆÇËÎÏÑÖ×Þßåæçëîïñö÷øûüþ¨©ª«¬®§¡¢£¤¥¦\xadÐÄÅÜÛ")
_LEFTOVER_IN_WORD = re.compile(
    "(?<=[^\\W\\d_])[" + re.escape("".join(sorted(LEGACY_LEFTOVERS))) + "]|["
    + re.escape("".join(sorted(LEGACY_LEFTOVERS))) + "](?=[^\\W\\d_])"
)
_ANY_LEFTOVER = re.compile("[" + re.escape("".join(sorted(LEGACY_LEFTOVERS))) + "]")
_QMARK_IN_WORD = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
# Anything that is not a letter, digit, space or ordinary punctuation: what random bytes read as
# text are made of.
_JUNK = re.compile(r"[^\w\s.,;:!?'\"()\[\]{}<>/\\|@#$%^&*+=~`\-–—…“”‘’«»§°№·•●▪■□✓×÷±≤≥≈%‰€$]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")


def assess(text: str) -> Quality:
    """Score ``text``; verdict ``ok``, ``suspect``, ``garbled`` or ``empty``."""
    tokens = Counter(_TOKEN.findall(text))
    syllables = sum(tokens.values())
    if not text.strip() or syllables == 0:
        return Quality(len(text), 0, 0.0, text.count("\ufffd"), 0, "empty")
    valid = sum(n for word, n in tokens.items() if is_valid_syllable(word))
    ratio = valid / syllables
    replacement = text.count("\ufffd")
    if "?" in text:
        replacement += len(_QMARK_IN_WORD.findall(text))
    broken = len(_COMBINING.findall(text))
    if _ANY_LEFTOVER.search(text):
        broken += len(_LEFTOVER_IN_WORD.findall(text))
    visible = len(text) - sum(text.count(ch) for ch in " \n\t\r")
    junk = len(_JUNK.findall(text)) / max(1, visible)
    verdict = _verdict(ratio, syllables, replacement / syllables, broken / syllables, junk)
    return Quality(len(text), syllables, round(ratio, 4), replacement, broken, verdict)


def _verdict(ratio: float, syllables: int, replacement: float, broken: float, junk: float) -> Verdict:
    if ratio < 0.85 or replacement > 0.05 or broken > 0.05 or junk > 0.15:
        # A handful of words is too little to call garbled; say so, do not refuse.
        return "garbled" if syllables >= 20 else "suspect"
    if ratio < 0.95 or replacement > 0.005 or broken > 0.005 or junk > 0.05:
        return "suspect"
    return "ok"
