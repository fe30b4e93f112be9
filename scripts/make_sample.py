"""Build the bundled sample plan (vanban/data/sample/ke-hoach-mau.docx) used by `make demo`.

The plan is fictional but written the way commune Party committees write them: a two-column
header table, roman/arabic headings, citations, deadlines, targets, a signature and "Nơi nhận".
It carries three deliberate defects so the demo shows findings: a cited decree that the registry
knows was replaced, a citation without date or issuer, and an impossible deadline (31/4).
Run: .venv/bin/python scripts/make_sample.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "vanban" / "data" / "sample" / "ke-hoach-mau.docx"

BODY = [
    ("Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng (khóa XI) "
     "về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới; "
     "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ trong hoạt động "
     "của cơ quan hành chính nhà nước; Kế hoạch số 18-KH/HU của Ban Thường vụ Huyện ủy,", False),
    ("Đảng ủy xã An Phú xây dựng Kế hoạch thực hiện phong trào thi đua “Dân vận khéo” năm 2025 như sau:", False),
    ("I. MỤC ĐÍCH, YÊU CẦU", True),
    ("1. Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận; 100% cán bộ, công chức "
     "ký cam kết thực hiện tốt nhiệm vụ được giao.", False),
    ("2. Mỗi chi bộ xây dựng ít nhất 01 mô hình “Dân vận khéo” gắn với nhiệm vụ chính trị của địa phương.", False),
    ("II. NỘI DUNG", True),
    ("1. Tuyên truyền, quán triệt các văn bản của Đảng, Nhà nước về công tác dân vận, hoàn thành "
     "trước ngày 31/4/2025.", False),
    ("2. Đăng ký mô hình, điển hình “Dân vận khéo” gửi về Văn phòng Đảng ủy trước ngày 15/5/2025.", False),
    ("3. Sơ kết 6 tháng, tổng kết năm; báo cáo kết quả định kỳ hằng quý về Ban Dân vận Huyện ủy.", False),
    ("III. TỔ CHỨC THỰC HIỆN", True),
    ("1. Khối Dân vận Đảng ủy chủ trì, phối hợp với UBND xã theo dõi, đôn đốc thực hiện kế hoạch; "
     "tổng hợp kết quả báo cáo Ban Thường vụ Đảng ủy đến hết năm 2025.", False),
    ("2. Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội xã tuyên truyền, vận động đoàn viên, "
     "hội viên tham gia phong trào.", False),
    ("3. Các chi bộ căn cứ kế hoạch xây dựng mô hình, gửi đăng ký về Khối Dân vận Đảng ủy trước ngày 30/5/2025.", False),
]


def main() -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    table = doc.add_table(rows=2, cols=2)
    left = ["ĐẢNG BỘ HUYỆN PHÚ BÌNH", "ĐẢNG ỦY XÃ AN PHÚ", "*", "Số 45-KH/ĐU"]
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "An Phú, ngày 10 tháng 3 năm 2025"]
    for cell, lines in ((table.cell(0, 0), left), (table.cell(0, 1), right)):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for r in p.runs:
                r.bold = not r.text.startswith(("Số", "An Phú,"))

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("KẾ HOẠCH").bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run("thực hiện phong trào thi đua “Dân vận khéo” năm 2025").bold = True
    doc.add_paragraph("-----")

    for text, bold in BODY:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(text).bold = bold

    sig = doc.add_table(rows=1, cols=2)
    recipients = ["Nơi nhận:", "- Ban Dân vận Huyện ủy (b/c),", "- Các chi bộ trực thuộc,",
                  "- MTTQ và các đoàn thể xã,", "- Lưu Văn phòng Đảng ủy."]
    signer = ["T/M ĐẢNG ỦY", "PHÓ BÍ THƯ", "", "", "Nguyễn Văn Minh"]
    for cell, lines in ((sig.cell(0, 0), recipients), (sig.cell(0, 1), signer)):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "vanban"
    doc.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
