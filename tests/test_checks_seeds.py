"""Rules end to end on real plans: each seed, edited to carry one defect, gets the finding; the
unedited seed does not. Edits are generic (regular expressions on shapes), not tied to one seed's
wording where a shape will do."""

from __future__ import annotations

import re

import pytest
from vanban.rules.engine import check

import vanban
from tests.paths import SEEDS

PARTY_NO_HEADER = "000_9102743bf23a6ab0.txt"  # Party plan, no number/date lines, title year 2024
JOINT = "001_ab3c1f91cecb70f8.txt"  # joint Party–state plan, dated 18/3/2024
PARTY = "002_b64aed234c820c8b.txt"  # Party plan with deadlines, no header date
STATE = "003_6c74f44c9c07e9cc.txt"  # state plan, no number/date lines


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def findings(text: str, name: str = "plan.txt") -> set[tuple[str, str | None]]:
    doc = vanban.extract(text.encode("utf-8"), name=name)
    return {(f.rule, f.subject) for f in check(doc).findings}


def rules(text: str) -> set[str]:
    return {r for r, _ in findings(text)}


def sub_once(pattern: str, repl: str, text: str) -> str:
    out, n = re.subn(pattern, repl, text, count=1, flags=re.MULTILINE)
    assert n == 1, pattern
    return out


@pytest.fixture(scope="module")
def baseline() -> dict[str, set[str]]:
    return {name: rules(seed(name)) for name in (PARTY_NO_HEADER, JOINT, PARTY, STATE)}


def test_drop_the_purpose_section(baseline) -> None:
    edited = sub_once(r"^I\. MỤC ĐÍCH, YÊU CẦU\s*\n", "", seed(PARTY))
    assert "SEC-PURPOSE" not in baseline[PARTY] and "SEC-PURPOSE" in rules(edited)


def test_break_a_cited_date(baseline) -> None:
    edited = sub_once(r"(số [\w/-]+ ngày )\d{1,2}/\d{1,2}/(\d{4})", r"\g<1>31/4/\2", seed(JOINT))
    assert "CIT-DATE-INVALID" not in baseline[JOINT] and "CIT-DATE-INVALID" in rules(edited)


def test_cite_a_future_document(baseline) -> None:
    edited = sub_once(r"(số [\w/-]+ ngày \d{1,2}/\d{1,2}/)(\d{4})", r"\g<1>2025", seed(JOINT))
    assert "CIT-DATE-FUTURE" not in baseline[JOINT] and "CIT-DATE-FUTURE" in rules(edited)


def test_cite_one_document_with_two_dates(baseline) -> None:
    text = seed(JOINT)
    doc = vanban.extract(text.encode("utf-8"), name="plan.txt")
    by_key: dict[str, list] = {}
    for c in doc.citations:
        if c.symbol and c.date:
            by_key.setdefault(c.key, []).append(c)
    key, mentions = next((k, m) for k, m in by_key.items() if len(m) >= 2)
    second = mentions[1]
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", second.text)
    assert m is not None
    day = 10 if int(m.group(1)) != 10 else 11
    new = second.text[:m.start()] + f"{day}/{m.group(2)}/{m.group(3)}" + second.text[m.end():]
    edited = text[:second.start] + new + text[second.end:]
    assert ("CIT-CONFLICT", key) not in findings(text) and ("CIT-CONFLICT", key) in findings(edited)


def test_renumber_a_heading(baseline) -> None:
    edited = sub_once(r"^(\W*)III\. TỔ CHỨC THỰC HIỆN", r"\1IV. TỔ CHỨC THỰC HIỆN", seed(PARTY_NO_HEADER))
    assert "SEC-NUMBERING" not in baseline[PARTY_NO_HEADER]
    assert ("SEC-NUMBERING", "gap:IV") in findings(edited)


def test_remove_the_recipients_block(baseline) -> None:
    edited = sub_once(r"^\W*Nơi nhận:?\W*\n(?:\s*-[^\n]*\n)+", "", seed(STATE))
    assert "RCP-MISSING" not in baseline[STATE] and "RCP-MISSING" in rules(edited)


def test_remove_the_archive_line(baseline) -> None:
    edited = sub_once(r"^- Lưu[^\n]*\n", "", seed(STATE))
    assert "RCP-ARCHIVE" not in baseline[STATE] and "RCP-ARCHIVE" in rules(edited)


def test_remove_the_number_line(baseline) -> None:
    edited = sub_once(r"^Số[ :][^\n]*\n", "", seed(JOINT))
    assert "HDR-NUMBER" not in baseline[JOINT] and "HDR-NUMBER" in rules(edited)


def test_state_symbol_written_party_style_in_the_header(baseline) -> None:
    edited = "Số: 15-KH/UBND\n" + seed(STATE)
    found = findings(edited)
    assert ("HDR-SYMBOL-FORMAT", "style") in found and "HDR-NUMBER" not in {r for r, _ in found}
    assert "HDR-SYMBOL-FORMAT" not in rules("Số: 15/KH-UBND\n" + seed(STATE))


def test_state_symbol_written_party_style_in_a_citation(baseline) -> None:
    edited = sub_once(r"(Kế hoạch số )(\d+)/KH-UBND", r"\g<1>\2-KH/UBND", seed(STATE))
    assert "CIT-SYMBOL-FORMAT" not in baseline[STATE] and "CIT-SYMBOL-FORMAT" in rules(edited)


def test_deadline_before_what_the_plan_cites(baseline) -> None:
    # The plan has no date; it cites a document of 29/3/2024, so a deadline of 07/3/2024 is past.
    edited = sub_once(r"trước ngày (?:\*\*)?07/4/2024", "trước ngày 07/3/2024", seed(PARTY))
    assert "DL-PAST" not in baseline[PARTY]
    found = [f for f in check(vanban.extract(edited.encode(), name="p.txt")).findings if f.rule == "DL-PAST"]
    assert len(found) == 1 and "văn bản được dẫn mới nhất" in found[0].message


def test_replaced_decree_depends_on_the_plan_year(baseline) -> None:
    assert ("CIT-EXPIRED", "04/2015/NĐ-CP") in findings(seed(PARTY_NO_HEADER))
    edited = seed(PARTY_NO_HEADER).replace("năm 2024", "năm 2022")
    assert "CIT-EXPIRED" not in rules(edited)


def test_remove_the_signature(baseline) -> None:
    edited = sub_once(r"^\W*TM\. ỦY BAN NHÂN DÂN[\s\S]*\Z", "", seed(STATE))
    assert "SIG-MISSING" not in baseline[STATE] and "SIG-MISSING" in rules(edited)
