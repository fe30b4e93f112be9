"""Ingesting .txt and .md: every corpus file reads cleanly, markup never leaks, offsets hold."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vanban.extractor.errors import EmptyFileError, UnsupportedFormatError
from vanban.extractor.ingest import ingest
from vanban.extractor.model import Block, IngestedDocument

from tests.paths import REAL, SHARED, real_texts

CORPUS = real_texts() + (sorted((SHARED / "corpus" / "seeds").glob("*.txt")) if SHARED.is_dir() else [])
MARKDOWN_LEFTOVERS = ("**", "__", "\n#", "|", "\\")


def check_offsets(doc: IngestedDocument) -> None:
    """Blocks are ordered, trimmed slices of the text; origins tile the text without gaps."""
    text = doc.text
    prev_end = 0
    for b in doc.blocks:
        piece = text[b.start : b.end]
        assert b.start >= prev_end and piece and piece == piece.strip()
        assert "\n" not in piece or b.kind != "line"
        prev_end = b.end
    pos = 0
    for o in doc.origins:
        assert o.start == pos and o.end > o.start, o
        pos = o.end
    assert pos == len(text)
    assert unicodedata.is_normalized("NFC", text)


def read_as_markdown(doc: IngestedDocument) -> bool:
    """The Markdown reader makes paragraphs, headings and cells; the plain text reader lines."""
    return any(b.kind != "line" for b in doc.blocks)


@pytest.mark.parametrize("path", CORPUS, ids=[f"{p.parent.name}/{p.name}" for p in CORPUS])
def test_corpus_file_ingests_ok(path: Path) -> None:
    doc = ingest(path)
    assert doc.quality.verdict == "ok", doc.quality
    assert doc.source.path == str(path) and doc.source.size == path.stat().st_size
    check_offsets(doc)
    if read_as_markdown(doc):
        for leftover in MARKDOWN_LEFTOVERS:
            assert leftover not in doc.text, leftover
        assert "*" not in doc.text.replace("(*)", "")
        assert not any(set(line) <= set("-=_ ") and len(line) >= 3 for line in doc.text.splitlines())


def test_markdown_files_are_recognized() -> None:
    md_like = [p for p in CORPUS if "**" in p.read_text(encoding="utf-8")]
    if not md_like:
        pytest.skip("shared corpus not present")
    plain = [p for p in real_texts() if "**" not in p.read_text(encoding="utf-8")]
    assert all(read_as_markdown(ingest(p)) for p in md_like)
    assert not any(read_as_markdown(ingest(p)) for p in plain)
    assert {ingest(p).source.format for p in md_like + plain} == {"txt"}  # still .txt files


def test_plain_text_keeps_its_lines_exactly() -> None:
    for path in real_texts():
        raw = path.read_text(encoding="utf-8")
        if "**" in raw or path.name in ("027.txt", "075.txt"):
            continue
        doc = ingest(path)
        assert doc.text == raw.replace("\r\n", "\n").replace("\x0c", "\n")
        assert doc.conversions == ()


@pytest.mark.skipif(not (REAL / "075.txt").exists(), reason="shared corpus not present")
def test_tcvn3_document_comes_out_vietnamese() -> None:
    doc = ingest(REAL / "075.txt")
    assert "tcvn3" in doc.conversions
    assert doc.text.startswith("QUYẾT ĐỊNH\nV/v: Đính chính Quyết định số 29/2007/QĐ-BXD")
    assert "Công báo Nước Cộng hoà Xã hội Chủ nghĩa Việt Nam" in doc.text
    assert doc.quality.verdict == "ok" and doc.quality.valid_syllable_ratio > 0.99
    line = doc.origin_at(doc.text.index("Bộ trưởng Bộ Xây dựng"))
    assert line is not None and line.locator == "line3"


@pytest.mark.skipif(not (REAL / "027.txt").exists(), reason="shared corpus not present")
def test_u01a3_artefact_repaired() -> None:
    doc = ingest(REAL / "027.txt")
    assert "u01a3" in doc.conversions
    assert "ƣ" not in doc.text and "Ƣ" not in doc.text
    assert "BỘ CÔNG THƯƠNG" in doc.text


@pytest.mark.skipif(not (REAL / "053.txt").exists(), reason="shared corpus not present")
def test_bold_markers_inside_a_date() -> None:
    doc = ingest(REAL / "053.txt")
    assert "Hà Nội, ngày 24 tháng 11 năm 2025" in doc.text
    assert "Số: 1760/QĐ-KTNN" in doc.text.splitlines()


@pytest.mark.skipif(not (REAL / "030.txt").exists(), reason="shared corpus not present")
def test_web_page_header_and_wrapped_sentences() -> None:
    lines = ingest(REAL / "030.txt").text.splitlines()
    assert lines[:7] == [
        "UỶ BAN NHÂN DÂN", "TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 141/KH-UBND", "Bắc Ninh, ngày 20 tháng 11 năm 2025",
    ]
    # a sentence hard-wrapped by the page is one paragraph again
    assert any(line.startswith("Thực hiện Kế hoạch số 14-KH/TU ngày 29/7/2025 của Ban Thường vụ Tỉnh ủy và Kế hoạch")
               for line in lines)
    assert any(line.startswith("4. Trong giai đoạn 2026 - 2030 phấn đấu") for line in lines)


# --------------------------------------------------------------------------- markdown details

MD = """\
## **KẾ HOẠCH**

### Phối hợp thực hiện công tác dân vận năm 2024 ###

*Dĩnh Kế, ngày **18** tháng 3 năm 202**4*

| STT | Nội dung | Thời gian |
|---|:---:|---|
| 1 | Tuyên truyền \\| phổ biến | Quý I/2024 |

Căn cứ [Kế hoạch số 24-KHPH/BDV-UBND](https://example.org/kh24) của Ban dân vận Thành ủy và
UBND thành phố về phối hợp;

- Ban dân vận (để
b/c);
* Lưu: VT.

(*) Ghi chú &amp; giải thích __quan trọng__ về mẫu ___ số 3930.3279 _ 0906.

**TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH**

-----
"""


def test_markdown_markup_is_removed() -> None:
    doc = ingest(MD.encode(), name="mau.md")
    assert doc.source.format == "md" and doc.source.path == "mau.md"
    assert doc.text.split("\n") == [
        "KẾ HOẠCH",
        "",
        "Phối hợp thực hiện công tác dân vận năm 2024",
        "",
        "Dĩnh Kế, ngày 18 tháng 3 năm 2024",
        "",
        "STT", "Nội dung", "Thời gian", "1", "Tuyên truyền | phổ biến", "Quý I/2024",
        "",
        "Căn cứ Kế hoạch số 24-KHPH/BDV-UBND của Ban dân vận Thành ủy và UBND thành phố về phối hợp;",
        "",
        "- Ban dân vận (để b/c);",
        "Lưu: VT.",
        "",
        "(*) Ghi chú & giải thích quan trọng về mẫu ___ số 3930.3279 _ 0906.",
        "",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "",
    ]
    check_offsets(doc)


def test_markdown_block_hints() -> None:
    doc = ingest(MD.encode(), name="mau.md")

    def block(prefix: str) -> Block:
        return next(b for b in doc.blocks if doc.text[b.start : b.end].startswith(prefix))

    assert (block("KẾ HOẠCH").kind, block("KẾ HOẠCH").heading_level, block("KẾ HOẠCH").bold) == ("heading", 2, True)
    assert block("Phối hợp").heading_level == 3 and block("Phối hợp").bold is False
    assert block("Dĩnh Kế").italic is True
    cell = block("Tuyên truyền")
    assert (cell.kind, cell.table, cell.row, cell.col) == ("cell", 0, 1, 1)  # separator row is no row
    assert block("TM. ỦY BAN").bold is True and block("CHỦ TỊCH").bold is True
    assert block("Căn cứ").bold is False


def test_markdown_origins_point_into_the_source() -> None:
    doc = ingest(MD.encode(), name="mau.md")
    start = doc.text.index("24-KHPH/BDV-UBND")
    origin = doc.origin_at(start)
    assert origin is not None and not origin.generated and origin.offset is not None
    assert origin.locator == "line11"
    assert MD[origin.offset + (start - origin.start) :].startswith("24-KHPH/BDV-UBND")
    year = doc.text.index("202", doc.text.index("Dĩnh Kế"))
    o = doc.origin_at(year + 3)  # the "4" that sat between bold markers
    assert o is not None and o.offset is not None and MD[o.offset + (year + 3 - o.start)] == "4"
    joined = doc.text.index(" UBND thành phố về")
    assert doc.origin_at(joined).generated  # type: ignore[union-attr]


def test_seed_bold_titles_lose_their_stars() -> None:
    seeds = sorted((SHARED / "corpus" / "seeds").glob("*.txt")) if SHARED.is_dir() else []
    if not seeds:
        pytest.skip("shared corpus not present")
    whole_bold = re.compile(r"^(?:#+ )?\*\*([^*\n]+)\*\*$", re.MULTILINE)
    checked = 0
    for path in seeds:
        doc = ingest(path)
        assert "*" not in doc.text and "#" not in doc.text, path.name
        bold = {doc.text[b.start : b.end] for b in doc.blocks if b.bold}
        for m in whole_bold.finditer(path.read_text(encoding="utf-8")):
            assert m.group(1).strip() in bold, (path.name, m.group(1))
            checked += 1
    assert checked >= 5


# --------------------------------------------------------------------------- plain text details


def test_line_endings_pages_and_origins() -> None:
    raw = "Dòng một\r\nDòng hai\r\n\r\n  Dòng ba  \x0cTrang hai\rhết"
    doc = ingest(raw.encode(), name="a.txt")
    assert doc.text == "Dòng một\nDòng hai\n\n  Dòng ba  \nTrang hai\nhết"
    assert [doc.text[b.start : b.end] for b in doc.blocks] == ["Dòng một", "Dòng hai", "Dòng ba", "Trang hai", "hết"]
    assert [b.page for b in doc.blocks] == [1, 1, 1, 2, 2]
    assert all(b.kind == "line" for b in doc.blocks)
    o = doc.origin_at(doc.text.index("Dòng ba"))
    assert o is not None and o.locator == "line4" and raw[o.offset :].startswith("  Dòng ba")
    check_offsets(doc)


def test_nfd_input_becomes_nfc_with_consistent_offsets() -> None:
    nfc_text = "Kế hoạch số 12/KH-UBND\nỦy ban nhân dân xã Nghĩa Thái\n\nQuyết định thành lập Tổ công tác\n"
    nfd_text = unicodedata.normalize("NFD", nfc_text)
    assert len(nfd_text) > len(nfc_text)
    for name in ("nfd.txt", "nfd.md"):
        doc = ingest(nfd_text.encode(), name=name)
        assert doc.text.strip("\n") == nfc_text.strip("\n")
        assert "nfc" in doc.conversions
        assert [doc.text[b.start : b.end] for b in doc.blocks] == [
            "Kế hoạch số 12/KH-UBND", "Ủy ban nhân dân xã Nghĩa Thái", "Quyết định thành lập Tổ công tác"
        ]
        check_offsets(doc)


def test_invisible_characters_are_dropped() -> None:
    doc = ingest("Kế\u200b hoạch\ufeff số\xad 12\n".encode(), name="z.txt")
    assert doc.text == "Kế hoạch số 12\n"


def test_mixed_unicode_and_tcvn3_lines() -> None:
    raw = "QUYẾT ĐỊNH\nC¨n cø NghÞ ®Þnh sè 104/2004/N§-CP\nĐiều 1. Giữ nguyên\nBé tr\xadëng Bé X©y dùng\n"
    doc = ingest(raw.encode(), name="mix.txt")
    assert doc.text == "QUYẾT ĐỊNH\nCăn cứ Nghị định số 104/2004/NĐ-CP\nĐiều 1. Giữ nguyên\nBộ trưởng Bộ Xây dựng\n"
    assert doc.conversions == ("tcvn3",)


def test_api_ingest_bytes() -> None:
    from vanban.api import ingest as api_ingest

    doc = api_ingest("Kế hoạch\n".encode(), name="x.txt")
    assert doc.text == "Kế hoạch\n" and doc.source.path == "x.txt" and doc.encoding == "utf-8"


def test_ingestion_speed() -> None:
    docs = real_texts()
    if not docs:
        pytest.skip("shared corpus not present")
    for path in docs:
        ingest(path)  # warm caches and imports
    per_doc = []
    for path in docs:
        t0 = time.perf_counter()
        ingest(path)
        per_doc.append(time.perf_counter() - t0)
    per_doc.sort()
    assert per_doc[len(per_doc) // 2] < 0.03, f"median {per_doc[len(per_doc) // 2] * 1000:.1f} ms"


# --------------------------------------------------------------------------- CLI


def test_cli_extract_text_format(tmp_path: Path) -> None:
    for stage in ("header", "sections", "citations", "references", "deadlines", "targets", "units", "tasks"):
        pytest.importorskip(f"vanban.extractor.{stage}")
    path = tmp_path / "mau.md"
    path.write_text(MD, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "vanban", "extract", str(path), "--format", "text"],
        capture_output=True, text=True, cwd=tempfile.gettempdir(), env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == ingest(path).text
    assert out.stdout.startswith("KẾ HOẠCH\n\n") and "**" not in out.stdout


# --------------------------------------------------------------------------- any input


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹìỉĩíịòỏõóọờởỡớợùủũúụừửữứựỳỷỹýỵ" \
            "KẾHOẠCHĐỊNH0123456789 .,;:()/-*_#|\\[]!<>&`~\t\n\r\x0c\xa0\u0301\u0323\xad"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=_ALPHABET, max_size=400), suffix=st.sampled_from([".txt", ".md"]))
def test_any_text_ingests_with_consistent_offsets(text: str, suffix: str) -> None:
    try:
        doc = ingest(text.encode("utf-8"), name="gen" + suffix)
    except EmptyFileError:  # only when nothing but markup, tags and invisible characters
        assert not re.search(r"[^\W_]", re.sub(r"<[^<>\n]*>|!?\[[^\]\n]*\]\([^)\n]*\)", "", text))
        return
    except UnsupportedFormatError as err:  # only an HTML page is refused
        assert "HTML" in str(err) and "<html" in text.lower().replace("!doctype ", "")[:300]
        return
    check_offsets(doc)
    if not read_as_markdown(doc):
        assert [doc.text[b.start : b.end] for b in doc.blocks] == [ln.strip() for ln in doc.text.split("\n") if ln.strip()]


def test_bold_heading_label_after_a_connective_starts_a_new_paragraph() -> None:
    # A saved page wraps "(Chi tiết … kèm\ntheo)*" and puts the next part's heading right below it;
    # "theo" is a connective, yet a line opening in bold with a heading label is a heading.
    md = (
        "8. Duy trì hoạt động phòng thủ dân sự thường xuyên.\n"
        "*(Chi tiết Danh mục nhiệm vụ tại Phụ lục kèm\n"
        "theo)*\n"
        "**III. NGUỒN KINH PHÍ THỰC HIỆN**\n"
        "1. Kinh phí thực hiện Kế hoạch được bố trí trong dự\n"
        "toán chi ngân sách hàng năm.\n"
    )
    doc = ingest(md.encode(), name="kh.md")
    lines = doc.text.splitlines()
    assert "III. NGUỒN KINH PHÍ THỰC HIỆN" in lines
    assert "(Chi tiết Danh mục nhiệm vụ tại Phụ lục kèm theo)" in lines
    assert "1. Kinh phí thực hiện Kế hoạch được bố trí trong dự toán chi ngân sách hàng năm." in lines
