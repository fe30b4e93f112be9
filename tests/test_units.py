"""Units: organisations and posts found by the gazetteer and its grammar, named as written."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from vanban.extractor.units import find_units, fold_keep_length

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GAZETTEER = yaml.safe_load((ROOT / "extractor" / "data" / "units.yaml").read_text(encoding="utf-8"))


def fold(s: str) -> str:
    """score.py's folding: case, diacritics and spacing insensitive, đ → d."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", s).strip().casefold()


@pytest.mark.parametrize("example", GAZETTEER["examples"], ids=lambda e: e["text"][:40])
def test_gazetteer_examples(example: dict) -> None:
    text = example["text"]
    got = find_units(text, exclude=[])
    assert [u.name for u in got] == example["units"]
    for u in got:
        assert text[u.start:u.end] == u.name


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Ban Dân vận Huyện ủy chỉ đạo", "Ban Dân vận Huyện ủy", "party"),
        ("giao UBND xã Ba Nam thực hiện", "UBND xã Ba Nam", "state"),
        ("phối hợp với Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", "mass"),
        ("Trưởng các phòng thuộc Văn phòng", "Trưởng các phòng", "post"),
        ("Chủ tịch UBND tỉnh ban hành", "Chủ tịch UBND tỉnh", "post"),
        ("Thường trực HĐND tỉnh", "Thường trực HĐND tỉnh", "state"),
        ("Công an xã phối hợp", "Công an xã", "state"),
    ],
)
def test_kinds(text: str, name: str, kind: str) -> None:
    (u,) = [u for u in find_units(text, exclude=[]) if u.name == name]
    assert u.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "lực lượng công an tham gia",  # the force, not the unit
        "đội ngũ cán bộ nội vụ",  # "Bộ Nội vụ" folded, but lower case inside a phrase
        "theo văn bản chỉ đạo của cấp trên",  # "bản chỉ đạo" folds like "Ban Chỉ đạo"
        "Kế hoạch số 22/KH-UBND ngày 29/01/2024",  # a piece of a document symbol
        "tổ chức các hội nghị chuyên đề",
    ],
)
def test_not_units(text: str) -> None:
    assert find_units(text, exclude=[]) == ()


def test_a_bare_post_is_not_a_rule_unit() -> None:
    # A bare post names nobody, so the rules want its organisation ("Chủ tịch UBND xã"). The units
    # tagger does add "Chủ tịch" out of "Chủ tịch nước" (a known failure in models/README.md).
    assert find_units("Chủ tịch nước", exclude=[], use_model=False) == ()
    assert [u.name for u in find_units("Chủ tịch UBND xã", exclude=[], use_model=False)] == ["Chủ tịch UBND xã"]


def test_spelling_variants_and_typos() -> None:
    # Old tone placement (uỷ), one wrong diacritic in a long capitalised name, text typed without
    # diacritics (the level grammar needs them: "xa" is not read as "xã").
    text = "Ban Dân vận Huyện uỷ; Khôi Dân vận phối hợp; Uỷ ban nhân dân xã; Uy ban nhan dan xa Ba Nam"
    names = [u.name for u in find_units(text, exclude=[])]
    assert names == ["Ban Dân vận Huyện uỷ", "Khôi Dân vận", "Uỷ ban nhân dân xã", "Uy ban nhan dan"]


def test_signature_lines_are_not_merged() -> None:
    text = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A"
    assert [u.name for u in find_units(text, exclude=[])] == ["ỦY BAN NHÂN DÂN"]


def test_excluded_spans_are_skipped() -> None:
    text = "ĐẢNG ỦY XÃ LIÊN SƠN\nKẾ HOẠCH\nĐảng ủy xã Liên Sơn xây dựng kế hoạch; UBND xã thực hiện."
    issuer = (0, text.index("\n"))
    names = [u.name for u in find_units(text, exclude=[issuer])]
    assert names == ["Đảng ủy xã Liên Sơn", "UBND xã"]


def test_mentions_in_text_order_with_offsets() -> None:
    text = (SHARED / "corpus" / "seeds" / "002_b64aed234c820c8b.txt").read_text(encoding="utf-8")
    got = find_units(text, exclude=[])
    assert [u.start for u in got] == sorted(u.start for u in got)
    assert all(text[u.start:u.end] == u.name for u in got)
    assert all(u.kind in {"party", "state", "mass", "post", "other"} for u in got)


@given(st.text(alphabet=st.sampled_from("aăâđeêioôơuưyAĂÂĐEÊOÔƠUƯáàảãạếềểễệốồổỗộứừửữựÝỳ \n\t–-/.,0123456789"), max_size=80))
def test_fold_keeps_length(text: str) -> None:
    folded = fold_keep_length(text)
    assert len(folded) == len(text)
    assert folded.isascii() or not text.isascii()


def _seed_golds() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((SHARED / "corpus" / "seeds-gold").glob("*.json"))]


@pytest.mark.parametrize("gold", _seed_golds(), ids=lambda g: g["file"][:3])
def test_seed_units_found(gold: dict) -> None:
    """Every gold unit is found, with score.py's containment-either-way rule."""
    text = (SHARED / "corpus" / "seeds" / gold["file"]).read_text(encoding="utf-8")
    out = [fold(u.name) for u in find_units(text, exclude=[])]
    missed = [u for u in gold["units"] if not any(fold(u) in o or (o and o in fold(u)) for o in out)]
    assert missed == []
