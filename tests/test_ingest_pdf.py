"""PDF reader: text layer, header columns, signature stamps, symbol repairs, scans and OCR, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from vanban.extractor.errors import (
    ConverterMissingError,
    CorruptFileError,
    EncryptedFileError,
    ScannedDocumentError,
    TooLargeError,
)
from vanban.extractor.ingest import ingest
from vanban.extractor.ingest import pdf as reader
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

from tests.ingest_binary_support import OPTIONS, block_of, check_golden, check_structure, fixture

PLAN = fixture("plan.pdf")
SIGNED = fixture("signed.pdf")


def _read(path: Path, **options: Any) -> IngestedDocument:
    return reader.read(path.read_bytes(), path=str(path), options=IngestOptions(**options) if options else OPTIONS)


@pytest.fixture(scope="module")
def plan() -> IngestedDocument:
    return _read(PLAN)


@pytest.fixture(scope="module")
def signed() -> IngestedDocument:
    return _read(SIGNED)


# --------------------------------------------------------------------------- text layer


def test_plan_matches_golden(plan: IngestedDocument) -> None:
    check_golden("plan.pdf", plan.text)
    check_structure(plan)
    assert plan.source.format == "pdf" and plan.source.pages == 2
    assert plan.quality.verdict == "ok"


def test_lines_are_blocks_with_pages(plan: IngestedDocument) -> None:
    assert all(b.kind == "line" and b.page in (1, 2) for b in plan.blocks)
    assert all("\n" not in plan.text[b.start : b.end] for b in plan.blocks)
    signer = block_of(plan, "Nguyễn Văn An")
    assert signer.page == 2
    origin = plan.origin_at(signer.start)
    assert origin is not None and origin.locator == "page2" and origin.page == 2 and origin.offset is not None


def test_header_columns_left_then_right(plan: IngestedDocument) -> None:
    lines = plan.text.split("\n")
    left = [lines.index(s) for s in ("ỦY BAN NHÂN DÂN", "XÃ A", "Số: 15/KH-UBND")]
    right = [next(i for i, ln in enumerate(lines) if ln.startswith(s))
             for s in ("CỘNG HÒA XÃ HỘI", "Độc lập - Tự do - Hạnh phúc", "Xã A, ngày 05 tháng 3 năm 2024")]
    assert left == sorted(left) and right == sorted(right)
    assert left[-1] < right[0] and right[-1] < lines.index("KẾ HOẠCH")


def test_legacy_font_text_is_converted(plan: IngestedDocument) -> None:
    # LibreOffice embeds a substitute for .VnTime, so only the text itself tells it is TCVN3.
    assert "Ban Dân vận Huyện ủy phối hợp với Uỷ ban nhân dân xã tổ chức" in plan.text
    assert "Đơn vị phối hợp: Hội Nông dân xã." in plan.text
    assert "tcvn3" in plan.conversions


def test_centred_title_hint(plan: IngestedDocument) -> None:
    assert block_of(plan, "Triển khai chuyển đổi số trên địa bàn xã").align == "center"


# --------------------------------------------------------------------------- signed documents


def test_signature_stamps_go_back_into_their_lines(signed: IngestedDocument) -> None:
    # The number and the day live in signature-widget appearances, not in the page content.
    assert "So: 779/QD-UBND" in signed.text
    assert "Binh An, ngay 23 thang 3 nam 2024" in signed.text
    assert signed.text.count("779") == 1 and "\n779" not in signed.text


def test_interleaved_header_columns_are_separated(signed: IngestedDocument) -> None:
    lines = signed.text.split("\n")
    assert lines[:8] == [
        "UY BAN NHAN DAN", "XA BINH AN", "So: 779/QD-UBND", "V/v trien khai ke hoach", "chuyen doi so nam 2024",
        "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc", "Binh An, ngay 23 thang 3 nam 2024",
    ]
    assert lines[8] == "QUYET DINH"
    assert block_of(signed, "QUYET DINH").align == "center"


def test_symbol_broken_at_line_end_is_rejoined(signed: IngestedDocument) -> None:
    assert "Chi thi so 10-CT/TU ngay 05/01/2024" in signed.text
    check_structure(signed)


def _out(text: str, page: int = 1) -> reader._Out:
    return reader._Out([(text, 0)], page)


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (["Thực hiện Chỉ thị số 10-", "CT/TU ngày 05/01/2024"], ["Thực hiện Chỉ thị số 10-CT/TU ngày 05/01/2024"]),
        (["theo Quyết định số 1074/", "QĐ-BXD ngày 29/6/2026"], ["theo Quyết định số 1074/QĐ-BXD ngày 29/6/2026"]),
        (["Số: 779", "/QĐ-UBND"], ["Số: 779/QĐ-UBND"]),
        (["Nghị định số 05/", "2025/NĐ-CP"], ["Nghị định số 05/2025/NĐ-CP"]),
        (["Số: 779 /QĐ-UBND Bình Thuận"], ["Số: 779/QĐ-UBND Bình Thuận"]),
        (["giai đoạn 2021-", "2025 của tỉnh"], ["giai đoạn 2021-", "2025 của tỉnh"]),
        (["kết quả năm 2024", "Các đơn vị báo cáo"], ["kết quả năm 2024", "Các đơn vị báo cáo"]),
        (["ngày 20 /10/2024"], ["ngày 20 /10/2024"]),
    ],
)
def test_rejoin_symbols(lines: list[str], want: list[str]) -> None:
    assert [o.text() for o in reader._rejoin_symbols([_out(t) for t in lines])] == want


def test_lines_on_different_pages_are_not_joined() -> None:
    outs = reader._rejoin_symbols([_out("Chỉ thị số 10-", 1), _out("CT/TU ngày 05/01/2024", 2)])
    assert len(outs) == 2


def test_eth_becomes_dj_in_vietnamese_text() -> None:
    outs = [_out("ÐẢNG ỦY XÃ BÌNH AN"), _out("Ðảng ủy xã lãnh đạo thực hiện kế hoạch")]
    conversions: set[str] = set()
    reader._repair_text(outs, conversions)
    assert [o.text() for o in outs] == ["ĐẢNG ỦY XÃ BÌNH AN", "Đảng ủy xã lãnh đạo thực hiện kế hoạch"]
    assert "eth" in conversions
    icelandic = [_out("Ðórður og Guðrún")]
    reader._repair_text(icelandic, set())
    assert icelandic[0].text() == "Ðórður og Guðrún"


# --------------------------------------------------------------------------- scans and OCR


def test_scanned_pdf_needs_ocr() -> None:
    path = fixture("scanned.pdf")
    with pytest.raises(ScannedDocumentError, match=r"scanned\.pdf") as err:
        _read(path)
    assert "--ocr" in str(err.value) and "tesseract-ocr-vie" in str(err.value)
    with pytest.raises(ScannedDocumentError):
        ingest(path)


def test_ocr_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader.shutil, "which", lambda name: None)
    with pytest.raises(ConverterMissingError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        _read(fixture("scanned.pdf"), ocr=True)


def _has_vietnamese_tesseract() -> bool:
    binary = shutil.which("tesseract")
    return bool(binary) and "vie" in reader._tesseract_languages(binary)


@pytest.mark.slow
@pytest.mark.skipif(not _has_vietnamese_tesseract(), reason="tesseract-ocr with the 'vie' model is not installed")
def test_ocr_reads_the_scan() -> None:
    doc = _read(fixture("scanned.pdf"), ocr=True)
    assert "ocr" in doc.conversions
    for phrase in ("KẾ HOẠCH", "Mục đích", "Triển khai chuyển đổi số", "Số: 15/KH-UBND"):
        assert phrase in doc.text, phrase
    assert doc.quality.verdict == "ok"
    assert all(b.page == 1 for b in doc.blocks)


# --------------------------------------------------------------------------- bad files


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedFileError, match=r"encrypted\.pdf"):
        _read(fixture("encrypted.pdf"))
    with pytest.raises(EncryptedFileError, match=r"encrypted\.pdf"):
        ingest(fixture("encrypted.pdf"))


@pytest.mark.parametrize("cut", [0.5, 0.98])
def test_truncated_pdf(cut: float) -> None:
    data = PLAN.read_bytes()
    with pytest.raises(CorruptFileError, match=r"cut\.pdf"):
        reader.read(data[: int(len(data) * cut)], path="cut.pdf", options=OPTIONS)


def test_garbage_pdf() -> None:
    with pytest.raises(CorruptFileError, match=r"junk\.pdf"):
        reader.read(b"%PDF-1.4\n" + bytes(range(256)) * 40, path="junk.pdf", options=OPTIONS)


def test_page_limit() -> None:
    with pytest.raises(TooLargeError, match="2 pages"):
        _read(PLAN, max_pages=1)
