"""The quality verdict users see: real Vietnamese is "ok", mojibake and junk are "garbled"."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from vanban.extractor.quality import assess, is_valid_syllable

from tests.paths import REAL, real_texts

VALID = [
    "Cộng", "hòa", "hoà", "xã", "hội", "chủ", "nghĩa", "Việt", "Nam", "Độc", "lập", "Tự", "Hạnh", "phúc",
    "quyết", "định", "nghiêng", "khuỷu", "người", "tướng", "giữ", "gì", "quốc", "thuở", "khuya", "uyển",
    "xoong", "oẳn", "huỳnh", "Đắk", "Lắk", "HĐND", "UBND", "BCĐ", "đ", "TTg", "Covid", "ý", "yêu", "ươm",
    "NGHỊ", "QUYẾT", "Ủy", "Uỷ",
]
INVALID = [
    "héi", "ViÖt", "nghÜa", "Chñ", "hoµ", "tr\u00adëng",  # TCVN3 read as Latin-1
    "hêt", "cac\u0300",  # stop coda without sắc/nặng tone; stray combining mark
    "Coäng", "Vieät",  # VNI read as Latin-1
    "xkqzv", "bcdfg",  # letter salad
    "việtt", "ngoằmg", "ưo",
]


@pytest.mark.parametrize("word", VALID)
def test_valid_syllables(word: str) -> None:
    assert is_valid_syllable(word)


@pytest.mark.parametrize("word", INVALID)
def test_invalid_syllables(word: str) -> None:
    assert not is_valid_syllable(word)


def test_real_documents_are_ok() -> None:
    docs = [p for p in real_texts() if p.name != "075.txt"]
    if not docs:
        pytest.skip("shared corpus not present")
    bad = {p.name: assess(p.read_text(encoding="utf-8")).verdict for p in docs}
    assert {k: v for k, v in bad.items() if v != "ok"} == {}


@pytest.mark.skipif(not (REAL / "075.txt").exists(), reason="shared corpus not present")
def test_unconverted_tcvn3_is_garbled() -> None:
    q = assess((REAL / "075.txt").read_text(encoding="utf-8"))
    assert q.verdict == "garbled"
    assert q.valid_syllable_ratio < 0.7
    assert q.broken_diacritics > 100


def test_random_junk_is_garbled() -> None:
    rng = random.Random(3)
    latin = bytes(rng.randrange(32, 256) for _ in range(5000)).decode("latin-1")
    assert assess(latin).verdict == "garbled"
    salad = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz     ") for _ in range(5000))
    assert assess(salad).verdict == "garbled"


def test_replacement_characters_are_counted() -> None:
    text = "Kế hoạch tổ chức Hội nghị tổng kết công tác dân vận năm 2024 của Ủy ban nhân dân xã. " * 5
    broken = text.replace("ệ", "\ufffd").replace("ạ", "?")
    q = assess(broken)
    assert q.replacement_chars == broken.count("\ufffd") + broken.count("?")
    assert q.verdict in ("suspect", "garbled")
    assert assess(text).verdict == "ok"


def test_stray_combining_marks_are_broken_diacritics() -> None:
    text = "Ke\u0302\u0301 hoa\u0323ch " * 30  # decomposed, as some PDFs give it: not NFC
    q = assess(text + "\u0301\u0301\u0301" * 40)
    assert q.broken_diacritics >= 120
    assert q.verdict != "ok"


@pytest.mark.parametrize("text", ["", "   \n\t", "12/2024 - 15.000 | ... ---"])
def test_empty(text: str) -> None:
    assert assess(text).verdict == "empty"


def test_a_few_words_are_never_garbled() -> None:
    assert assess("Céng hoµ").verdict == "suspect"


def test_fast_on_30k_characters() -> None:
    docs = sorted(real_texts(), key=lambda p: -p.stat().st_size)
    text = docs[0].read_text(encoding="utf-8")[:30_000] if docs else ("Kế hoạch thực hiện công tác dân vận năm 2024. " * 700)[:30_000]
    best = min(_timed(assess, text) for _ in range(7))
    assert best < 0.005, f"{best * 1000:.1f} ms"


def _timed(fn: Callable[[str], object], arg: str) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0
