"""Bad input gets a typed error that names the file, never a traceback; odd but valid input is read.

Covers empty, blank, missing, binary, mislabelled, oversized, truncated, encrypted and
wrongly-encoded files, given as paths and as bytes.
"""

from __future__ import annotations

import builtins
import io
import random
import shutil
import struct
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from vanban.extractor.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileMissingError,
    InputError,
    TooLargeError,
    UnsupportedFormatError,
    VanbanError,
)
from vanban.extractor.ingest import IngestOptions, ingest, sniff

from tests.paths import real_originals

VIET = "Kế hoạch số 12/KH-UBND ngày 05/3/2024 của Ủy ban nhân dân xã Nghĩa Thái về công tác dân vận.\n"


def _assert_names(err: VanbanError, path: Path | str) -> None:
    assert Path(path).name in str(err), str(err)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- crafted files


def ole2(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE2 compound file (sector 512, streams of 4096+ bytes in regular sectors)."""
    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    sectors: list[bytes] = []
    fat: list[int] = [fatsect, end]  # sector 0: FAT, sector 1: directory
    entries = [("Root Entry", 5, end, 0)]
    for name, payload in streams.items():
        payload = payload.ljust(4096, b"\0")
        first = 2 + len(sectors)
        n = (len(payload) + 511) // 512
        for i in range(n):
            sectors.append(payload[i * 512 : (i + 1) * 512].ljust(512, b"\0"))
            fat.append(first + i + 1 if i < n - 1 else end)
        entries.append((name, 2, first, len(payload)))
    directory = b""
    for i, (name, kind, start, size) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        child = 1 if i == 0 and len(entries) > 1 else free
        right = i + 1 if 0 < i < len(entries) - 1 else free
        directory += (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )
    directory = directory.ljust(512, b"\0")
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(512, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0) + b"\xff" * (109 * 4 - 4)
    )
    assert len(header) == 512
    return header + fat_sector + directory + b"".join(sectors)


def docx_bytes(text: str = "Kế hoạch") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>' + " " * 4000)
    return buf.getvalue()


def cp1258_bytes(text: str) -> bytes:
    """Vietnamese in Windows-1258: precomposed base vowels (â ê ô ă ơ ư) plus combining tone marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


# --------------------------------------------------------------------------- empty / missing


def test_zero_byte_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "rong.txt", b"")
    with pytest.raises(EmptyFileError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert e.value.code == "VB102"


@pytest.mark.parametrize("content", [b"   \n\n\t  \r\n", "\ufeff \u00a0\n".encode(), b"** **\n|\n---\n"])
def test_whitespace_or_markup_only_file(tmp_path: Path, content: bytes) -> None:
    path = _write(tmp_path, "trang.md", content)
    with pytest.raises(EmptyFileError) as e:
        ingest(path)
    _assert_names(e.value, path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.docx"
    with pytest.raises(FileMissingError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert e.value.to_dict()["code"] == "VB101"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "thu-muc.txt"
    folder.mkdir()
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(folder)
    _assert_names(e.value, folder)


def test_empty_bytes_use_the_given_name() -> None:
    with pytest.raises(EmptyFileError) as e:
        ingest(b"", name="upload-01.txt")
    assert "upload-01.txt" in str(e.value)


# --------------------------------------------------------------------------- binary


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = _write(tmp_path, "rac.txt", bytes(rng.randrange(256) for _ in range(20_000)))
    with pytest.raises((UnsupportedFormatError, CorruptFileError)) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "binary" in str(e.value) or "damaged" in str(e.value)


def test_binary_junk_named_docx_is_corrupt(tmp_path: Path) -> None:
    rng = random.Random(8)
    path = _write(tmp_path, "hong.docx", bytes(rng.randrange(256) for _ in range(5_000)))
    with pytest.raises(CorruptFileError) as e:
        ingest(path)
    _assert_names(e.value, path)


def test_image_is_named_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "PNG" in str(e.value)


# --------------------------------------------------------------------------- wrong extension


def test_pdf_named_txt_is_sniffed_as_pdf(tmp_path: Path) -> None:
    pdfs = [p for p in real_originals() if p.suffix == ".pdf"]
    data = pdfs[0].read_bytes() if pdfs else b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    path = _write(tmp_path, "van-ban.txt", data)
    assert sniff(data, str(path)) == "pdf"
    try:
        doc = ingest(path)
    except InputError as err:  # no PDF reader in this build, or the crafted stub: clear error
        _assert_names(err, path)
        assert "pdf" in str(err).lower()
    else:
        assert doc.source.format == "pdf"
        assert doc.text.strip()


def test_text_named_docx_is_read_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "ke-hoach.docx", VIET.encode())
    doc = ingest(path)
    assert doc.source.format == "txt"
    assert doc.text == VIET


def test_docx_named_txt_is_sniffed_as_docx(tmp_path: Path) -> None:
    path = _write(tmp_path, "ke-hoach.txt", docx_bytes())
    assert sniff(path.read_bytes(), str(path)) == "docx"


def test_doc_is_sniffed_from_ole2_directory(tmp_path: Path) -> None:
    docs = [p for p in real_originals() if p.suffix == ".doc"]
    data = docs[0].read_bytes() if docs else ole2({"WordDocument": b"\xec\xa5" + b"\0" * 600})
    assert sniff(data, "x.pdf") == "doc"


# --------------------------------------------------------------------------- size


def test_200_mb_sparse_file_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "khong-lo.txt"
    with open(path, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(path):
            raise AssertionError("the oversized file was opened")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    t0 = time.perf_counter()
    with pytest.raises(TooLargeError) as e:
        ingest(path)
    assert time.perf_counter() - t0 < 0.5
    _assert_names(e.value, path)
    assert "200.0 MB" in str(e.value)


def test_size_limit_applies_to_bytes_and_options() -> None:
    with pytest.raises(TooLargeError) as e:
        ingest(VIET.encode() * 100, name="lon.txt", options=IngestOptions(max_bytes=1000))
    assert "lon.txt" in str(e.value)


# --------------------------------------------------------------------------- archives


def test_truncated_docx(tmp_path: Path) -> None:
    data = docx_bytes()
    path = _write(tmp_path, "cut.docx", data[: len(data) // 2])
    with pytest.raises(CorruptFileError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "truncated" in str(e.value) or "damaged" in str(e.value)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    path = _write(tmp_path, "ho-so.docx", buf.getvalue())
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "not a Word document" in str(e.value)


def test_xlsx_is_named_as_a_workbook(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    path = _write(tmp_path, "bang.docx", buf.getvalue())
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    assert "Excel" in str(e.value)
    _assert_names(e.value, path)


def test_encrypted_ooxml(tmp_path: Path) -> None:
    data = ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x10" * 5000})
    if shutil.which("file"):
        import subprocess

        kind = subprocess.run(["file", "-b", "-"], input=data, capture_output=True).stdout.decode()
        assert "CDF" in kind or "Composite" in kind, kind  # a well-formed compound file
    path = _write(tmp_path, "mat-khau.docx", data)
    with pytest.raises(EncryptedFileError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert e.value.code == "VB105"
    assert "password" in str(e.value)


def test_excel_97_is_not_a_word_document(tmp_path: Path) -> None:
    path = _write(tmp_path, "bang.doc", ole2({"Workbook": b"\x09\x08" * 100}))
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    assert "Excel" in str(e.value)


def test_missing_reader_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vanban.extractor import ingest as ingest_pkg

    monkeypatch.setitem(ingest_pkg.READERS, "docx", "vanban.extractor.ingest.no_such_reader")
    path = _write(tmp_path, "a.docx", docx_bytes())
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "reader is not installed" in str(e.value)


def test_reader_crash_becomes_corrupt_file_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vanban.extractor.ingest import txt

    def boom(data: bytes, **kwargs: object) -> None:
        raise KeyError("word/styles.xml")

    monkeypatch.setattr(txt, "read", boom)
    path = _write(tmp_path, "loi.txt", VIET.encode())
    with pytest.raises(CorruptFileError) as e:
        ingest(path)
    _assert_names(e.value, path)
    assert "KeyError" in str(e.value)


def test_html_page_is_refused_clearly(tmp_path: Path) -> None:
    path = _write(tmp_path, "trang.txt", b"<!DOCTYPE html><html><body><p>K\xe1\xba\xbf ho\xe1\xba\xa1ch</p></body></html>")
    with pytest.raises(UnsupportedFormatError) as e:
        ingest(path)
    assert "HTML" in str(e.value)
    _assert_names(e.value, path)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_encodings(tmp_path: Path, codec: str) -> None:
    path = _write(tmp_path, f"{codec}.txt", VIET.encode(codec))
    doc = ingest(path)
    assert doc.text == VIET
    assert doc.quality.verdict == "ok"
    assert doc.encoding and doc.encoding.split("-")[:2] == codec.split("-")[:2]


def test_cp1258_text(tmp_path: Path) -> None:
    data = cp1258_bytes(VIET * 3)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = ingest(_write(tmp_path, "cu.txt", data))
    assert doc.encoding == "cp1258"
    assert doc.text == VIET * 3  # tone marks composed: NFC
    assert "nfc" in doc.conversions


def test_tcvn3_bytes_8bit(tmp_path: Path) -> None:
    legacy = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nQuyÕt ®Þnh sè 12/Q§-UBND\n"
    doc = ingest(_write(tmp_path, "abc.txt", legacy.encode("cp1252")))
    assert doc.encoding == "cp1252"
    assert "tcvn3" in doc.conversions
    assert doc.text.splitlines() == [
        "Cộng hoà xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "Quyết định số 12/QĐ-UBND"
    ]


def test_utf8_with_a_stray_byte_keeps_the_rest(tmp_path: Path) -> None:
    data = VIET.encode() + b"\xff" + VIET.encode()
    doc = ingest(_write(tmp_path, "le.txt", data))
    assert doc.encoding == "utf-8"
    assert doc.text == VIET + "\ufffd" + VIET
    assert any("U+FFFD" in w for w in doc.warnings)
