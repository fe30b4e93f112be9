""".docx reader: document order, tables, text boxes, Word numbering, legacy fonts, origins, bad files."""

from __future__ import annotations

import io
import zipfile

import pytest
from vanban.extractor.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ScannedDocumentError,
    TooLargeError,
)
from vanban.extractor.ingest import docx as reader
from vanban.extractor.ingest import ingest
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import IngestedDocument

from tests.ingest_binary_support import OPTIONS, block_of, check_golden, check_structure, fixture
from tests.paths import REAL

PLAN = fixture("plan.docx")


@pytest.fixture(scope="module")
def plan() -> IngestedDocument:
    return reader.read(PLAN.read_bytes(), path=str(PLAN), options=OPTIONS)


def _rezip(source: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a .docx with some parts replaced (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                part = replace[info.filename]
                if part is not None:
                    zout.writestr(info.filename, part)
            else:
                zout.writestr(info, zin.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- text and structure


def test_plan_matches_golden(plan: IngestedDocument) -> None:
    check_golden("plan.docx", plan.text)
    check_structure(plan)
    assert plan.source.format == "docx"
    assert plan.quality.verdict == "ok"


def test_header_table_reads_left_cell_then_right_cell(plan: IngestedDocument) -> None:
    lines = plan.text.split("\n")
    start = lines.index("ỦY BAN NHÂN DÂN")
    assert lines[start : start + 6] == [
        "ỦY BAN NHÂN DÂN", "XÃ A", "Số: 15/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Xã A, ngày 05 tháng 3 năm 2024",
    ]
    number = block_of(plan, "Số: 15/KH-UBND")
    motto = block_of(plan, "CỘNG HÒA XÃ HỘI")
    assert (number.kind, number.table, number.row, number.col) == ("cell", 0, 0, 0)
    assert (motto.kind, motto.table, motto.col) == ("cell", 0, 1)


def test_style_hints(plan: IngestedDocument) -> None:
    title = next(b for b in plan.blocks if plan.text[b.start : b.end] == "KẾ HOẠCH")
    assert title.bold is True and title.align == "center"
    assert block_of(plan, "Xã A, ngày").italic is True
    assert block_of(plan, "Căn cứ Nghị quyết").align == "justify"
    assert block_of(plan, "Căn cứ Nghị quyết").bold is False
    heading = block_of(plan, "TỔ CHỨC THỰC HIỆN")
    assert heading.kind == "heading" and heading.heading_level == 1


def test_word_numbering_is_generated_text(plan: IngestedDocument) -> None:
    import docx

    expected = {
        "MỤC ĐÍCH, YÊU CẦU": "I.", "Mục đích": "1.", "Yêu cầu": "2.", "NỘI DUNG": "II.",
        "Hạ tầng số": "1.", "Rà soát đường truyền": "1.1.", "Lắp đặt mạng": "a)", "Trang bị máy tính": "b)",
        "Đào tạo kỹ năng số": "1.2.", "Tổ chức 02 lớp": "-", "TỔ CHỨC THỰC HIỆN": "III.",
    }
    for body, label in expected.items():
        block = block_of(plan, body)
        assert block.numbering == label, body
        assert plan.text[block.start :].startswith(f"{label} {body}")
        origin = plan.origin_at(block.start)
        assert origin is not None and origin.generated and origin.run is None
    # The labels are Word's doing: the runs themselves do not hold them.
    runs_text = "\n".join(p.text for p in docx.Document(str(PLAN)).paragraphs)
    assert "NỘI DUNG" in runs_text and "II." not in runs_text


def test_text_box_is_read_once(plan: IngestedDocument) -> None:
    with zipfile.ZipFile(PLAN) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert xml.count("DỰ THẢO") == 2  # DrawingML choice + VML fallback
    assert plan.text.count("DỰ THẢO") == 1
    origin = plan.origin_at(plan.text.index("DỰ THẢO"))
    assert origin is not None and origin.locator == "p0x0p0"


def test_legacy_font_runs_are_converted(plan: IngestedDocument) -> None:
    assert "Ban Dân vận Huyện ủy phối hợp với Uỷ ban nhân dân xã tổ chức thực hiện." in plan.text
    assert "KẾ HOẠCH PHỐI HỢP" in plan.text  # .VnTimeH draws capitals
    assert "Đơn vị phối hợp: Hội Nông dân xã." in plan.text  # one legacy run among Unicode ones
    assert "tcvn3" in plan.conversions
    assert not any(ch in plan.text for ch in "©µ¸¹«")


def test_merged_and_nested_cells(plan: IngestedDocument) -> None:
    assert plan.text.count("Quý II/2024") == 1  # vertically merged over two rows
    assert plan.text.count("Tổng cộng: 02 nhiệm vụ") == 1  # spans three grid columns
    outer = block_of(plan, "Rà soát hạ tầng")
    inner = block_of(plan, "Thôn Đông")
    assert outer.table != inner.table and inner.kind == "cell"
    origin = plan.origin_at(inner.start)
    assert origin is not None and origin.locator == "t1r1c1t0r0c0p0"
    merged = block_of(plan, "Quý II/2024")
    assert (merged.row, merged.col) == (1, 2)


def test_origin_leads_back_to_paragraph_and_run(plan: IngestedDocument) -> None:
    import docx

    document = docx.Document(str(PLAN))
    offset = plan.text.index("Số:")
    origin = plan.origin_at(offset)
    assert origin is not None and origin.locator == "t0r0c0p2" and origin.run is not None
    paragraph = reader.find_paragraph(document, origin.locator)
    assert paragraph is not None
    run = reader.paragraph_runs(paragraph)[origin.run]
    assert "Số" in "".join(t.text or "" for t in run.iter(f"{{{reader.W_NS}}}t"))
    # The same paragraph through python-docx's own table API.
    cell_paragraph = document.tables[0].rows[0].cells[0].paragraphs[2]
    assert cell_paragraph._p is paragraph
    box = reader.find_paragraph(document, "p0x0p0")  # a paragraph inside a text box
    assert box is not None and "DỰ THẢO" in "".join(t.text or "" for t in box.iter(f"{{{reader.W_NS}}}t"))
    # Body paragraphs index Document.paragraphs.
    body = plan.origin_at(plan.text.index("Căn cứ Nghị quyết"))
    assert body is not None
    assert document.paragraphs[int(body.locator[1:])].text.startswith("Căn cứ Nghị quyết")


def test_pages_from_app_properties(plan: IngestedDocument) -> None:
    assert plan.source.pages == 1


def test_dispatcher_routes_docx_here() -> None:
    doc = ingest(PLAN)
    assert doc.source.format == "docx" and "Số: 15/KH-UBND" in doc.text


def test_revisions_links_hidden_text_and_content_controls() -> None:
    import docx
    from docx.oxml import parse_xml

    w = reader.W_NS
    document = docx.Document()
    p = document.add_paragraph("Căn cứ ")
    for xml in (
        f'<w:hyperlink xmlns:w="{w}"><w:r><w:t>Luật số 85/2015/QH13</w:t></w:r></w:hyperlink>',
        f'<w:del xmlns:w="{w}" w:id="1" w:author="A"><w:r><w:delText> đã hết hiệu lực</w:delText></w:r></w:del>',
        f'<w:ins xmlns:w="{w}" w:id="2" w:author="A"><w:r><w:t>;</w:t></w:r></w:ins>',
        f'<w:r xmlns:w="{w}"><w:rPr><w:vanish/></w:rPr><w:t> ghi chú ẩn</w:t></w:r>',
        f'<w:r xmlns:w="{w}"><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r xmlns:w="{w}"><w:instrText> PAGE </w:instrText></w:r>',
        f'<w:r xmlns:w="{w}"><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        p._p.append(parse_xml(xml))
    document.element.body.insert(0, parse_xml(
        f'<w:sdt xmlns:w="{w}"><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    ))
    buf = io.BytesIO()
    document.save(buf)
    doc = reader.read(buf.getvalue(), path="rev.docx", options=OPTIONS)
    assert doc.text.split("\n")[:2] == ["KẾ HOẠCH", "Căn cứ Luật số 85/2015/QH13;"]
    origin = doc.origin_at(doc.text.index("KẾ HOẠCH"))
    assert origin is not None and origin.locator == "sdt0p0"
    reopened = docx.Document(io.BytesIO(buf.getvalue()))
    assert reader.find_paragraph(reopened, "sdt0p0") is not None
    link = doc.origin_at(doc.text.index("Luật số"))
    assert link is not None and link.locator == "p0" and link.run == 1  # runs inside links count


# --------------------------------------------------------------------------- numbering unit


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [(4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (14, "upperRoman", "XIV"), (1, "lowerLetter", "a"),
     (27, "lowerLetter", "aa"), (3, "upperLetter", "C"), (7, "decimalZero", "07"), (12, "decimal", "12")],
)
def test_number_formats(n: int, fmt: str, want: str) -> None:
    assert reader.format_number(n, fmt) == want


def test_numbering_restarts_and_start_overrides() -> None:
    from lxml import etree

    w = reader.W_NS
    root = etree.fromstring(f"""
    <w:numbering xmlns:w="{w}">
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/>
          <w:lvlRestart w:val="0"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="6"><w:abstractNumId w:val="1"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
    </w:numbering>""".encode())
    numbering = reader._Numbering(root, reader._Styles(None))
    labels = [numbering.label("5", lvl)[0] for lvl in (0, 1, 1, 2, 0, 1, 2)]  # type: ignore[index]
    # Level 1 restarts under a new level-0 item; level 2 never restarts (lvlRestart 0).
    assert labels == ["1.", "1.1.", "1.2.", "a)", "2.", "2.1.", "b)"]
    assert numbering.label("6", 0)[0] == "4."  # type: ignore[index]  # startOverride
    assert numbering.label("0", 0) is None  # numId 0 switches numbering off


# --------------------------------------------------------------------------- bad files


def test_encrypted_docx() -> None:
    path = fixture("encrypted.docx")
    with pytest.raises(EncryptedFileError, match=r"encrypted\.docx"):
        reader.read(path.read_bytes(), path=str(path), options=OPTIONS)
    with pytest.raises(EncryptedFileError, match=r"encrypted\.docx"):
        ingest(path)


def test_zip_bomb_over_the_unzipped_limit() -> None:
    bomb = _rezip(PLAN.read_bytes(), {"word/document.xml": b" " * 3_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(TooLargeError, match=r"bomb\.docx"):
        reader.read(bomb, path="bomb.docx", options=IngestOptions(max_unzipped_bytes=1_000_000))


def test_zip_bomb_by_compression_ratio() -> None:
    bomb = _rezip(PLAN.read_bytes(), {"word/document.xml": b"<" + b" " * 40_000_000})
    with pytest.raises(TooLargeError, match="zip bomb"):
        reader.read(bomb, path="ratio.docx", options=OPTIONS)


def test_truncated_docx() -> None:
    data = PLAN.read_bytes()
    with pytest.raises(CorruptFileError, match=r"cut\.docx"):
        reader.read(data[: len(data) // 2], path="cut.docx", options=OPTIONS)


def test_missing_main_part() -> None:
    data = _rezip(PLAN.read_bytes(), {"word/document.xml": None})
    with pytest.raises(CorruptFileError, match=r"nobody\.docx"):
        reader.read(data, path="nobody.docx", options=OPTIONS)


def test_broken_xml() -> None:
    with zipfile.ZipFile(PLAN) as z:
        xml = z.read("word/document.xml")
    data = _rezip(PLAN.read_bytes(), {"word/document.xml": xml[: len(xml) // 2]})
    with pytest.raises(CorruptFileError, match=r"half\.docx"):
        reader.read(data, path="half.docx", options=OPTIONS)


def test_doc_bytes_given_to_the_docx_reader() -> None:
    with pytest.raises(CorruptFileError, match="Word 97-2003"):
        reader.read(fixture("plan.doc").read_bytes(), path="old.docx", options=OPTIONS)


def test_document_without_text() -> None:
    import docx
    from PIL import Image

    empty = docx.Document()
    buf = io.BytesIO()
    empty.save(buf)
    with pytest.raises(EmptyFileError, match=r"empty\.docx"):
        reader.read(buf.getvalue(), path="empty.docx", options=OPTIONS)

    picture = io.BytesIO()
    Image.new("L", (60, 80), 255).save(picture, format="PNG")
    picture.seek(0)
    scan = docx.Document()
    scan.add_picture(picture)
    buf = io.BytesIO()
    scan.save(buf)
    with pytest.raises(ScannedDocumentError, match="--ocr"):
        reader.read(buf.getvalue(), path="scan.docx", options=OPTIONS)


# --------------------------------------------------------------------------- real documents


@pytest.mark.skipif(not (REAL / "originals" / "001.docx").exists(), reason="real corpus not present")
def test_real_header_table_and_pages() -> None:
    path = REAL / "originals" / "001.docx"
    doc = reader.read(path.read_bytes(), path=str(path), options=OPTIONS)
    check_structure(doc)
    number = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("Số:"))
    assert number.kind == "cell" and number.col == 0
    assert doc.source.pages == 10
