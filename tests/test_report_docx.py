"""`annotate`: a copy of the user's .docx with one Word comment per finding, anchored on the span."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from vanban.extractor.errors import CorruptFileError, FileMissingError, UsageError
from vanban.extractor.ingest.docx import read
from vanban.extractor.ingest.options import IngestOptions
from vanban.extractor.model import ExtractedDocument, Header, IngestedDocument
from vanban.rules.model import CheckReport, Finding
from vanban.rules.report.docx import annotate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NFD_SENTENCE = unicodedata.normalize("NFD", "Văn phòng hoàn thành trước ngày 30/6/2024 và báo cáo.")


def _make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(1, 0).text = "Số: 15/KH-UBND"
    table.cell(1, 1).text = "An Bình, ngày 31 tháng 4 năm 2024"
    d.add_paragraph().add_run("KẾ HOẠCH").bold = True
    p = d.add_paragraph("Căn cứ ")
    p.add_run("Quyết định số 12/QĐ-UBND").italic = True
    p.add_run(" ngày 05/01/2024 của UBND huyện <script>alert(1)</script>;")
    d.add_paragraph("1.\tPhấn đấu 100% hồ sơ được xử lý trực tuyến.")
    d.add_paragraph(NFD_SENTENCE)
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    d.save(str(path))
    return path


def _ingest(path: Path) -> IngestedDocument:
    return read(path.read_bytes(), path=str(path), options=IngestOptions())


def _finding(doc: IngestedDocument, rule: str, severity: str, fragment: str | None, **kw: object) -> Finding:
    if fragment is None:
        start = end = 0
    else:
        start = doc.text.index(fragment)
        end = start + len(fragment)
    return Finding(rule, severity, f"Thông điệp {rule}", start, end, **kw)  # type: ignore[arg-type]


SPANS = {
    "HDR-DATE": "31 tháng 4 năm 2024",  # inside a table cell, mid-run
    "CIT-INCOMPLETE": "Quyết định số 12/QĐ-UBND ngày 05/01/2024",  # an italic run and part of the next
    "CIT-SYMBOL": "12/QĐ-UBND",  # nested inside the one above
    "TGT": "100% hồ sơ",  # a run holding a tab before the span
    "DL-PAST": "trước ngày 30/6/2024",  # decomposed (NFD) text in the file
    "SEC-NUMBERING": "I. MỤC ĐÍCH, YÊU CẦU\nIII",  # over two paragraphs
    "XSS": "<script>alert(1)</script>",
}


def _report(path: Path, *, ingested: bool = True) -> tuple[CheckReport, dict[str, str]]:
    doc = _ingest(path)
    findings = [_finding(doc, "HDR-MOTTO", "error", None, basis="Nghị định 30/2020/NĐ-CP",
                         suggestion="Thêm Quốc hiệu")]
    findings += [_finding(doc, rule, "warning", frag) for rule, frag in SPANS.items()]
    manual = (Finding("MAN-SEAL", "info", "Kiểm tra dấu", 0, 0, manual=True),)
    extracted = ExtractedDocument(source=doc.source, text=doc.text, document=Header(),
                                  ingested=doc if ingested else None)
    return CheckReport(extracted, tuple(findings), manual_checks=manual), dict(SPANS)


def _anchored(path: Path) -> dict[str, str]:
    """Text under each comment's range, in document order (paragraph breaks as newlines)."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    active: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            active[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            done[el.get(W + "id")] = unicodedata.normalize("NFC", "".join(active.pop(el.get(W + "id"))))
        elif el.tag == W + "t":
            for parts in active.values():
                parts.append(el.text or "")
        elif el.tag == W + "tab":
            for parts in active.values():
                parts.append("\t")
        elif el.tag == W + "p":
            for parts in active.values():
                if parts:
                    parts.append("\n")
    return done


def _comments(path: Path) -> dict[str, str]:
    import docx

    return {str(c.comment_id): c.text for c in docx.Document(str(path)).comments}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return _make_docx(tmp_path / "ke-hoach.docx")


def test_one_comment_per_finding_and_manual_check(source: Path, tmp_path: Path) -> None:
    rep, _ = _report(source)
    out = tmp_path / "out" / "ke-hoach.annotated.docx"
    n = annotate(rep, source, out)
    assert n == len(rep.findings) + len(rep.manual_checks) == 9
    comments = _comments(out)
    assert len(comments) == n
    texts = sorted(comments.values())
    assert sum(t.startswith("[Kiểm tra thủ công] MAN-SEAL") for t in texts) == 1
    for f in rep.findings:
        assert sum(f"] {f.rule}: " in t for t in texts) == 1, f.rule


def test_manual_checks_can_be_left_out(source: Path, tmp_path: Path) -> None:
    rep, _ = _report(source)
    out = tmp_path / "a.docx"
    assert annotate(rep, source, out, manual_checks=False) == len(rep.findings)
    assert len(_comments(out)) == len(rep.findings)


@pytest.mark.parametrize("ingested", [True, False], ids=["origins", "scan"])
def test_each_comment_is_anchored_exactly_on_its_span(source: Path, tmp_path: Path, ingested: bool) -> None:
    rep, spans = _report(source, ingested=ingested)
    out = tmp_path / "a.docx"
    annotate(rep, source, out)
    anchored = _anchored(out)
    comments = _comments(out)
    by_rule = {comments[cid].split("] ", 1)[1].split(":", 1)[0]: text for cid, text in anchored.items()}
    for rule, fragment in spans.items():
        assert by_rule[rule] == fragment, rule
    # Absences and manual checks sit on the first paragraph of the document.
    assert by_rule["HDR-MOTTO"] == "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    assert by_rule["MAN-SEAL"] == "ỦY BAN NHÂN DÂN XÃ AN BÌNH"


def test_comment_text_carries_severity_message_basis_and_suggestion(source: Path, tmp_path: Path) -> None:
    import docx

    rep, _ = _report(source)
    out = tmp_path / "a.docx"
    annotate(rep, source, out, author="Tổ kiểm tra")
    comments = list(docx.Document(str(out)).comments)
    motto = next(c for c in comments if "HDR-MOTTO" in c.text)
    assert motto.text.splitlines() == [
        "[Lỗi] HDR-MOTTO: Thông điệp HDR-MOTTO",
        "Không có vị trí trong văn bản (nội dung bị thiếu)",
        "Căn cứ: Nghị định 30/2020/NĐ-CP",
        "Gợi ý: Thêm Quốc hiệu",
    ]
    assert {c.author for c in comments} == {"Tổ kiểm tra"}
    assert {c.initials for c in comments} == {"TKT"}
    english = tmp_path / "en.docx"
    annotate(rep, source, english, lang="en")
    assert any(t.startswith("[Error] HDR-MOTTO") for t in _comments(english).values())


def test_split_runs_keep_their_formatting_and_the_text_is_unchanged(source: Path, tmp_path: Path) -> None:
    import docx

    rep, _ = _report(source)
    out = tmp_path / "a.docx"
    annotate(rep, source, out)
    d = docx.Document(str(out))
    italic = [r.text for p in d.paragraphs for r in p.runs if r.italic]
    assert "".join(italic) == "Quyết định số 12/QĐ-UBND"
    assert len(italic) >= 2  # cut where the nested comment starts
    # The document reads exactly as before, comment marks aside.
    assert _ingest(out).text == rep.document.text


def test_the_source_file_is_untouched(source: Path, tmp_path: Path) -> None:
    before = source.read_bytes()
    mtime = source.stat().st_mtime_ns
    rep, _ = _report(source)
    annotate(rep, source, tmp_path / "a.docx")
    assert source.read_bytes() == before and source.stat().st_mtime_ns == mtime


def test_refuses_other_formats_and_overwriting(source: Path, tmp_path: Path) -> None:
    rep, _ = _report(source)
    txt = tmp_path / "ke-hoach.txt"
    txt.write_text("Kế hoạch", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\.docx") as err:
        annotate(rep, txt, tmp_path / "x.docx")
    assert str(txt) in str(err.value)
    with pytest.raises(UsageError):
        annotate(rep, source, tmp_path / "x.odt")
    with pytest.raises(UsageError, match="tệp gốc"):
        annotate(rep, source, source)
    with pytest.raises(FileMissingError):
        annotate(rep, tmp_path / "missing.docx", tmp_path / "x.docx")


def test_refuses_a_report_made_from_another_file(source: Path, tmp_path: Path) -> None:
    rep, _ = _report(source)
    other = _make_docx(tmp_path / "other.docx")
    with zipfile.ZipFile(other, "a") as z:
        z.writestr("customXml/extra.xml", "<x/>")
    with pytest.raises(UsageError, match="khác"):
        annotate(rep, other, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_a_broken_docx_is_a_corrupt_file_error(tmp_path: Path) -> None:
    import hashlib

    from vanban.extractor.model import Source

    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    doc = ExtractedDocument(source=Source(str(bad), "docx", hashlib.sha256(bad.read_bytes()).hexdigest()),
                            text="x", document=Header())
    with pytest.raises(CorruptFileError) as err:
        annotate(CheckReport(doc, ()), bad, tmp_path / "x.docx")
    assert str(bad) in str(err.value)


@pytest.mark.needs_soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_output_with_every_comment(source: Path, tmp_path: Path) -> None:
    rep, _ = _report(source)
    out = tmp_path / "a.docx"
    n = annotate(rep, source, out)
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "odt",
         "--outdir", str(tmp_path / "odt"), str(out)],
        capture_output=True, text=True, timeout=180,
    )
    odt = tmp_path / "odt" / "a.odt"
    assert odt.exists(), result.stderr
    content = zipfile.ZipFile(odt).read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == n
    assert "HDR-DATE" in content and "Kiểm tra dấu" in content
