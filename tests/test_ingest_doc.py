"""Word 97-2003 reader: antiword first, LibreOffice for what antiword cannot render, clear errors."""

from __future__ import annotations

import shutil

import pytest
from vanban.extractor.errors import ConversionTimeoutError, ConverterMissingError, EncryptedFileError
from vanban.extractor.ingest import doc as reader
from vanban.extractor.ingest import ingest
from vanban.extractor.ingest.options import IngestOptions

from tests.ingest_binary_support import OPTIONS, block_of, check_golden, check_structure, fixture
from tests.paths import REAL

PLAN = fixture("plan.doc")
HAS_ANTIWORD = shutil.which("antiword") is not None
HAS_SOFFICE = reader._soffice_binary() is not None
needs_antiword = pytest.mark.skipif(not HAS_ANTIWORD, reason="antiword is not installed (apt-get install antiword)")
needs_both = pytest.mark.skipif(
    not (HAS_ANTIWORD and HAS_SOFFICE),
    reason="needs antiword and LibreOffice (apt-get install antiword libreoffice-writer-nogui)",
)


# An RTF file saved with a .doc name (common in archives): antiword rejects it, LibreOffice reads it.
RTF = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}"
       r"\f0 K\u7871? ho\u7841?ch s\u7889? 12/KH-UBND\par "
       r"Th\u7921?c hi\u7879?n nhi\u7879?m v\u7909? n\u259?m 2024.\par}").encode("ascii")


def _encrypted_copy() -> bytes:
    """plan.doc with FibBase.fEncrypted set, as Word sets it for a password-protected file."""
    data = bytearray(PLAN.read_bytes())
    word = reader._word97(bytes(data))
    assert word is not None
    start = bytes(data).index(word.fib[:0x40])
    data[start + 11] |= 0x01
    return bytes(data)


# --------------------------------------------------------------------------- the fixture plan


@needs_both
@pytest.mark.needs_soffice
@pytest.mark.slow
def test_plan_matches_golden() -> None:
    # plan.doc numbers its sections with Word lists, which antiword does not print: LibreOffice
    # renders them, so the text carries "I.", "1.", "1.1.", "a)".
    doc = reader.read(PLAN.read_bytes(), path=str(PLAN), options=OPTIONS)
    check_golden("plan.doc", doc.text)
    check_structure(doc)
    for line in ("I. MỤC ĐÍCH, YÊU CẦU", "1.1. Rà soát đường truyền tại trụ sở", "a) Lắp đặt mạng không dây"):
        assert line in doc.text
    assert not doc.text.startswith("\ufeff")
    assert "tcvn3" in doc.conversions


def test_list_numbers_are_detected_in_the_binary() -> None:
    word = reader._word97(PLAN.read_bytes())
    assert word is not None
    # 3 upper-roman + 5 decimal + 2 lower-letter items; the two "-" bullets do not count.
    assert reader._numbered_paragraphs(word) == 10


@needs_antiword
def test_antiword_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "_soffice_binary", lambda: None)
    doc = reader.read(PLAN.read_bytes(), path=str(PLAN), options=OPTIONS)
    check_structure(doc)
    lines = doc.text.split("\n")
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN", "XÃ A", "Số: 15/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Xã A, ngày 05 tháng 3 năm 2024",
    ]
    number = block_of(doc, "Số: 15/KH-UBND")
    assert (number.kind, number.table, number.col) == ("cell", 0, 0)
    assert "Ban Dân vận Huyện ủy phối hợp với Uỷ ban nhân dân xã tổ chức thực hiện." in doc.text
    assert "tcvn3" in doc.conversions
    assert doc.text.count("Quý II/2024") == 1
    assert "[pic]" not in doc.text


@needs_antiword
def test_dispatcher_routes_doc_here() -> None:
    doc = ingest(PLAN)
    assert doc.source.format == "doc" and "Số: 15/KH-UBND" in doc.text


# --------------------------------------------------------------------------- antiword tables


def test_antiword_tables_read_by_column_and_by_row() -> None:
    text = "\n".join([
        "|UBND TỈNH X          |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  |",
        "|Số: 12/KH-UBND       |Độc lập - Tự do - Hạnh phúc         |",
        "|V/v triển khai kế    |                                    |",
        "|hoạch năm 2024       |                                    |",
        "",
        "Nội dung chính.",
        "",
        "|TT |Nội dung công việc  |Đơn vị        |Thời gian |",
        "|1. |Rà soát đường truyền|Văn phòng     |Quý I     |",
        "|   |tại trụ sở          |              |          |",
        "|2. |Tập huấn            |Công chức văn |Quý II    |",
        "|   |                    |hóa - xã hội  |          |",
    ])
    entries = reader._entries(text, antiword=True)
    got = [(" ".join(line.text for line in e.lines), e.hints.get("row"), e.hints.get("col")) for e in entries]
    assert got == [
        ("UBND TỈNH X", 0, 0), ("Số: 12/KH-UBND", 0, 0), ("V/v triển khai kế hoạch năm 2024", 0, 0),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 1), ("Độc lập - Tự do - Hạnh phúc", 0, 1),
        ("Nội dung chính.", None, None),
        ("TT", 0, 0), ("Nội dung công việc", 0, 1), ("Đơn vị", 0, 2), ("Thời gian", 0, 3),
        ("1.", 1, 0), ("Rà soát đường truyền tại trụ sở", 1, 1), ("Văn phòng", 1, 2), ("Quý I", 1, 3),
        ("2.", 2, 0), ("Tập huấn", 2, 1), ("Công chức văn hóa - xã hội", 2, 2), ("Quý II", 2, 3),
    ]
    # Offsets point into the converter output.
    first = entries[0].lines[0]
    assert text[first.offset : first.offset + len(first.text)] == first.text


# --------------------------------------------------------------------------- errors


def test_encrypted_doc_flag() -> None:
    with pytest.raises(EncryptedFileError, match=r"locked\.doc"):
        reader.read(_encrypted_copy(), path="locked.doc", options=OPTIONS)


@needs_antiword
def test_encrypted_doc_reported_by_antiword(monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _encrypted_copy()
    monkeypatch.setattr(reader, "_word97", lambda data: None)  # only antiword's own check is left
    with pytest.raises(EncryptedFileError, match=r"locked\.doc"):
        reader.read(locked, path="locked.doc", options=OPTIONS)


def test_no_converter_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.shutil, "which", lambda name: None)
    with pytest.raises(ConverterMissingError, match=r"plan\.doc") as err:
        reader.read(PLAN.read_bytes(), path="plan.doc", options=OPTIONS)
    assert "apt-get install antiword" in str(err.value)
    assert "apt-get install libreoffice-writer-nogui" in str(err.value)


@pytest.mark.slow
@pytest.mark.needs_soffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_takes_over_when_antiword_fails() -> None:
    doc = reader.read(RTF, path="rtf.doc", options=OPTIONS)
    assert "Kế hoạch số 12/KH-UBND" in doc.text
    assert "Thực hiện nhiệm vụ năm 2024." in doc.text
    if HAS_ANTIWORD:
        assert any("LibreOffice" in w for w in doc.warnings)


@pytest.mark.slow
@pytest.mark.needs_soffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_converter_timeout() -> None:
    with pytest.raises(ConversionTimeoutError, match=r"slow\.doc"):
        reader.read(RTF, path="slow.doc", options=IngestOptions(timeout_s=0.05))


@needs_antiword
@pytest.mark.skipif(not (REAL / "originals" / "011.doc").exists(), reason="real corpus not present")
def test_real_doc_without_lists_stays_with_antiword() -> None:
    path = REAL / "originals" / "011.doc"
    word = reader._word97(path.read_bytes())
    assert word is not None and reader._numbered_paragraphs(word) == 0
    doc = reader.read(path.read_bytes(), path=str(path), options=OPTIONS)
    header = block_of(doc, "Số: 99/2025/NQ-HĐND")
    assert header.kind == "cell" and header.col == 0
