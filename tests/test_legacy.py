"""TCVN3/VNI detection and conversion, and the ƣ → ư repair: right on legacy text, silent on Unicode."""

from __future__ import annotations

from pathlib import Path

import pytest
from vanban.extractor import legacy

from tests.paths import REAL, SEEDS, real_texts

UNICODE_DOCS = [p for p in real_texts() if p.name != "075.txt"] + sorted(SEEDS.glob("*.txt"))

# Well-known renderings of legacy-font text (the strings viparse was checked against, notes/deps.md §8)
CASES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc", "tcvn3"),
    ("Ban D©n vËn HuyÖn ñy phèi hîp víi Uû ban nh©n d©n x·", "Ban Dân vận Huyện ủy phối hợp với Uỷ ban nhân dân xã", "tcvn3"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", "vni"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc", "vni"),
    ("Ban Daân vaän Huyeän uûy; ÑAÛNG UÛY XAÕ", "Ban Dân vận Huyện ủy; ĐẢNG ỦY XÃ", "vni"),
]


@pytest.mark.parametrize(("raw", "expected", "encoding"), CASES)
def test_detect_and_fix_known_strings(raw: str, expected: str, encoding: str) -> None:
    text = "\n".join([raw] * 3)
    assert legacy.detect(text) == encoding
    fixed, found = legacy.fix(text)
    assert found == encoding
    assert fixed.split("\n") == [expected] * 3


@pytest.mark.parametrize("path", UNICODE_DOCS, ids=[p.name for p in UNICODE_DOCS])
def test_no_false_positive_on_unicode_documents(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert legacy.detect(text) is None
    assert legacy.fix(text) == (text, None)


@pytest.mark.skipif(not (REAL / "075.txt").exists(), reason="shared corpus not present")
def test_real_tcvn3_document() -> None:
    text = (REAL / "075.txt").read_text(encoding="utf-8")
    assert legacy.detect(text) == "tcvn3"
    fixed, encoding = legacy.fix(text)
    assert encoding == "tcvn3"
    assert fixed.startswith("QUYẾT ĐỊNH\n")  # the Unicode heading is left alone
    assert "Đính chính Quyết định số 29/2007/QĐ-BXD ngày 31/12/2007" in fixed
    assert "Bộ trưởng Bộ Xây dựng" in fixed  # TCVN3 ư is the soft hyphen U+00AD
    assert "Công báo Nước Cộng hoà Xã hội Chủ nghĩa Việt Nam" in fixed
    assert not any(ch in fixed for ch in "µ¸¶·¹®©§\xad")


def test_mixed_document_converts_only_legacy_lines() -> None:
    unicode_lines = ["QUYẾT ĐỊNH", "Bộ Xây dựng ban hành Kế hoạch số 12/KH-BXD", "Sở Công Thương tỉnh Lào Cai"]
    text = "\n".join(
        [unicode_lines[0], "Céng hoµ x· héi chñ nghÜa ViÖt Nam", unicode_lines[1],
         "Bé tr\xadëng Bé X©y dùng", unicode_lines[2]]
    )
    fixed, encoding = legacy.fix(text)
    lines = fixed.split("\n")
    assert encoding == "tcvn3"
    assert [lines[0], lines[2], lines[4]] == unicode_lines
    assert lines[1] == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert lines[3] == "Bộ trưởng Bộ Xây dựng"


def test_uppercase_words_keep_their_case() -> None:
    text = "QUYÕT §ÞNH\nCéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\nHÖ thèng v¨n b¶n"
    fixed, _ = legacy.fix(text)
    assert fixed.split("\n") == ["QUYẾT ĐỊNH", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hệ thống văn bản"]


def test_pdf_glyph_substitutes_are_restored() -> None:
    assert legacy.convert("Bé tr\u2212ëng, nhµ n\u2212íc, 5 \u2212 3", "tcvn3") == "Bộ trưởng, nhà nước, 5 \u2212 3"


def test_convert_uppercase_font() -> None:
    assert legacy.convert("kÕ ho¹ch", "tcvn3", uppercase=True) == "KẾ HOẠCH"


@pytest.mark.parametrize(
    "text",
    [
        "El niño comió ñandú y piñones en la señoría de Peñíscola, ¿verdad? ¡Sí, señor!",
        "Größere Änderungen müssen über die Behörde für Straßenbau geprüft werden.",
        "Le garçon a reçu «une lettre» © 2024 · § 3 — très bien, déjà été.",
        "Số liệu © 2024 Sở Công Thương · «Tự do» · mục §3 ±5% 10° ½ × ¼",
    ],
)
def test_other_languages_and_symbols_are_not_legacy(text: str) -> None:
    block = "\n".join([text] * 5)
    assert legacy.detect(block) is None
    assert legacy.fix(block)[0] == block


def test_marker_sets_match_viparse_tables() -> None:
    from viparse.normalize.encodings import CHARMAPS

    viet = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝăĂđĐĩĨũŨơƠưƯ") | {chr(c) for c in range(0x1EA0, 0x1EFA)}
    for name, markers in (("tcvn3", legacy.TCVN3_MARKERS), ("vni", legacy.VNI_MARKERS)):
        chars = {ch for src, _ in CHARMAPS[name].pairs for ch in src if ord(ch) > 127}
        assert chars - viet == set(markers), name


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", "tcvn3"), (".VnTimeH", "tcvn3"), (".VnArial", "tcvn3"), ("ABCDEF+.VnTime", "tcvn3"),
        (".vnCentury Schoolbook", "tcvn3"), ("VNI-Times", "vni"), ("VNI-Helve", "vni"), ("VNI Times", "vni"),
        ("Times New Roman", None), ("Arial", None), ("VnTimes New Roman Unicode", None), ("Vinhan", None),
        (None, None), ("", None),
    ],
)
def test_encoding_for_font(font: str | None, expected: str | None) -> None:
    assert legacy.encoding_for_font(font) == expected


def test_uppercase_fonts() -> None:
    assert legacy.is_uppercase_font(".VnTimeH")
    assert legacy.is_uppercase_font(".VnArialH,Bold")
    assert not legacy.is_uppercase_font(".VnTime")
    assert not legacy.is_uppercase_font("Times New Roman")


def test_u01a3_repair_in_vietnamese() -> None:
    text = "BỘ CÔNG THƢƠNG\nV/v hƣớng dẫn về công tác quản lý cụm công nghiệp của Bộ Công Thƣơng"
    fixed, changed = legacy.repair_u01a3(text)
    assert changed
    assert fixed == "BỘ CÔNG THƯƠNG\nV/v hướng dẫn về công tác quản lý cụm công nghiệp của Bộ Công Thương"


def test_u01a3_kept_outside_vietnamese() -> None:
    text = "Ƣ and ƣ are letters of the Pan-Nigerian alphabet, as in kƣ or gƣm."
    assert legacy.repair_u01a3(text) == (text, False)


@pytest.mark.skipif(not (REAL / "027.txt").exists(), reason="shared corpus not present")
def test_u01a3_real_pdf_text() -> None:
    text = (REAL / "027.txt").read_text(encoding="utf-8")
    fixed, changed = legacy.repair_u01a3(text)
    assert changed and "ƣ" not in fixed and "Bộ Công Thương" in fixed
