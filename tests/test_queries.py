"""Archive-wide questions — who cites what, implementation cascades, the citation graph, the deadline
agenda — through the library and every CLI command, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from vanban.corpus.queries import cited_by, cites, deadlines, deadlines_ics, graph, graph_dot, implementations
from vanban.extractor.errors import UsageError


def cli(*args: str, cwd: Path) -> str:
    exe = Path(sys.executable).with_name("vanban")
    out = subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out.stdout


def test_cites_lists_every_citing_mention(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    rows = cites(["25-NQ/TW"], db=db)
    assert {(r.document.symbol, r.relation) for r in rows} == {("120-KH/TU", "implements"), ("18-KH/HU", "basis")}
    r = next(r for r in rows if r.document.symbol == "120-KH/TU")
    assert r.cited_date == "2013-06-03" and "Thực hiện Nghị quyết số 25-NQ/TW" in r.sentence
    assert [x.document.symbol for x in cites(["25-NQ/TW"], db=db, relation="implements")] == ["120-KH/TU"]
    several = cites(["25-NQ/TW", "18-KH/HU"], db=db)
    assert {x.key for x in several} == {"25-NQ/TW", "18-KH/HU"}
    assert [x.document.symbol for x in cites(["01/KH-UBND@2024"], db=db)] == ["05/KH-UBND"]
    assert cites(["01/KH-UBND@2023"], db=db) == []
    with pytest.raises(UsageError):
        cites([], db=db)


def test_cited_by_matches_symbol_and_date(indexed: tuple[str, Path], tmp_path: Path) -> None:
    db, root = indexed
    assert sorted(r.document.symbol for r in cited_by(root / "huyen/18-kh-hu.txt", db=db)) == ["45-KH/ĐU", "46-KH/ĐU"]
    # Two communes issued "01/KH-UBND"; only the one dated 12/01/2024 is cited.
    assert [r.document.symbol for r in cited_by(root / "ubnd-b/01-kh-ubnd.txt", db=db)] == ["05/KH-UBND"]
    assert cited_by(root / "ubnd-a/01-kh-ubnd.txt", db=db) == []
    # A copy of an archived file elsewhere is recognised by its content.
    copy = tmp_path / "ban-sao.txt"
    shutil.copy(root / "tinh/120-kh-tu.txt", copy)
    assert [r.document.symbol for r in cited_by(copy, db=db)] == ["18-KH/HU"]
    stranger = tmp_path / "moi.txt"
    stranger.write_text("KẾ HOẠCH mới\n", encoding="utf-8")
    with pytest.raises(UsageError, match="vanban index"):
        cited_by(stranger, db=db)


def test_implementations_follow_the_cascade(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    rows = implementations("25-NQ/TW", db=db)
    levels = {r.document.symbol: r.level for r in rows}
    assert levels == {"120-KH/TU": 1, "18-KH/HU": 2, "45-KH/ĐU": 3, "46-KH/ĐU": 3}
    assert next(r for r in rows if r.document.symbol == "45-KH/ĐU").via.startswith("18-KH/HU")
    assert {r.document.symbol for r in implementations("25-NQ/TW", db=db, depth=1)} == {"120-KH/TU"}
    # "01/KH-UBND" names two documents; the one implemented is the one whose date is cited.
    assert [r.document.symbol for r in implementations("01/KH-UBND", db=db)] == ["05/KH-UBND"]


def test_graph_resolves_archived_documents_and_names_the_rest(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    g = graph(db=db)
    by_symbol = {n.get("symbol"): node_id for node_id, n in g.nodes.items() if n["kind"] == "document"}
    edges = {(s, t, r) for (s, t, r) in g.edges}
    assert (by_symbol["45-KH/ĐU"], by_symbol["18-KH/HU"], "implements") in edges
    assert (by_symbol["18-KH/HU"], by_symbol["120-KH/TU"], "implements") in edges
    assert (by_symbol["18-KH/HU"], "key:25-NQ/TW", "basis") in edges
    assert (by_symbol["120-KH/TU"], "key:25-NQ/TW", "implements") in edges
    b = next(n for n in g.nodes.values() if n.get("symbol") == "01/KH-UBND" and n["date"] == "2024-01-12")
    assert (by_symbol["05/KH-UBND"], b["id"], "implements") in edges
    resolution = g.nodes["key:25-NQ/TW"]
    assert resolution["kind"] == "cited" and "dân vận" in (resolution["title"] or "")  # named by the registry
    dot = graph_dot(g)
    assert dot.startswith("digraph vanban {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == len(g.edges)
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg"], input=dot, text=True, capture_output=True, check=True)


def test_deadline_agenda(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    rows = deadlines(db=db, date_from="2024-05-01", date_to="30/6/2024")
    assert [(r.date, r.document.symbol) for r in rows] == [
        ("2024-05-15", "45-KH/ĐU"), ("2024-05-20", "46-KH/ĐU"), ("2024-05-31", "01/KH-UBND"),
        ("2024-06-30", "18-KH/HU")]
    mine = deadlines(db=db, unit="van phong dang uy")
    assert [(r.date, r.unit) for r in mine] == [("2024-05-15", "Văn phòng Đảng ủy")]
    assert {r.document.symbol for r in deadlines(db=db, unit="Văn phòng UBND")} == {"01/KH-UBND", "05/KH-UBND"}
    assert deadlines(db=db, date_from="2030-01-01") == []
    with pytest.raises(UsageError):
        deadlines(db=db, date_from="tháng sau")


def test_deadlines_ics_is_a_valid_calendar(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    rows = deadlines(db=db, date_from="2024-01-01", date_to="2024-12-31")
    ics = deadlines_ics(rows, stamp="20240101T000000Z")
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert sum(1 for x in lines if x == "BEGIN:VEVENT") == len(rows) > 0
    assert all(len(x.encode()) <= 75 for x in lines)
    unfolded = ics.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20240515" in unfolded and "DTEND;VALUE=DATE:20240516" in unfolded
    assert "SUMMARY:45-KH/ĐU · Văn phòng Đảng ủy tổng hợp đăng ký mô hình trước ngày 15/5/2024." in unfolded
    assert len({x for x in unfolded.split("\r\n") if x.startswith("UID:")}) == len(rows)


# --------------------------------------------------------------------------- the CLI


def test_every_query_command_answers_in_json(indexed: tuple[str, Path], tmp_path: Path) -> None:
    db, root = indexed
    rows = json.loads(cli("cites", "25-NQ/TW", "--db", db, "--format", "json", cwd=tmp_path))
    assert {r["document"]["symbol"] for r in rows} == {"120-KH/TU", "18-KH/HU"}
    rows = json.loads(cli("cited-by", str(root / "huyen/18-kh-hu.txt"), "--db", db, "-f", "json", cwd=tmp_path))
    assert sorted(r["document"]["symbol"] for r in rows) == ["45-KH/ĐU", "46-KH/ĐU"]
    rows = json.loads(cli("implementations", "25-NQ/TW", "--db", db, "-f", "json", cwd=tmp_path))
    assert [r["level"] for r in rows] == [1, 2, 3, 3]
    g = json.loads(cli("graph", "--db", db, "--format", "json", cwd=tmp_path))
    assert {"nodes", "edges"} <= set(g) and any(e["target"] == "key:25-NQ/TW" for e in g["edges"])
    rows = json.loads(cli("deadlines", "--db", db, "--from", "2024-05-01", "--to", "2024-05-31", "-f", "json",
                          cwd=tmp_path))
    assert [r["date"] for r in rows] == ["2024-05-15", "2024-05-20", "2024-05-31"]


def test_query_commands_in_table_csv_dot_and_ics(indexed: tuple[str, Path], tmp_path: Path) -> None:
    db, _root = indexed
    table = cli("cites", "25-NQ/TW", "--db", db, cwd=tmp_path)
    assert "120-KH/TU" in table and "thực hiện" in table and "căn cứ" in table
    table = cli("implementations", "25-NQ/TW", "--db", db, cwd=tmp_path)
    assert "45-KH/ĐU" in table
    rows = list(csv.DictReader(io.StringIO(cli("cites", "18-KH/HU", "--db", db, "-f", "csv", cwd=tmp_path))))
    assert sorted(r["symbol"] for r in rows) == ["45-KH/ĐU", "46-KH/ĐU"]
    assert cli("graph", "--db", db, cwd=tmp_path).startswith("digraph")
    edges = list(csv.DictReader(io.StringIO(cli("graph", "--db", db, "--format", "csv", cwd=tmp_path))))
    assert any(e["target_label"] == "25-NQ/TW" and e["relation"] == "basis" for e in edges)
    out = tmp_path / "lich.ics"
    cli("deadlines", "--db", db, "--format", "ics", "--unit", "van phong", "-o", str(out), cwd=tmp_path)
    assert out.read_bytes().decode().count("BEGIN:VEVENT\r\n") == 4  # 45, 18, and both UBND plans
    table = cli("deadlines", "--db", db, "--from", "2024-05-01", "--to", "2024-05-16", cwd=tmp_path)
    assert "2024-05-15" in table and "2024-05-20" not in table
    agenda = list(csv.DictReader(io.StringIO(cli("deadlines", "--db", db, "-f", "csv", cwd=tmp_path))))
    assert agenda and [r["date"] for r in agenda] == sorted(r["date"] for r in agenda)
    assert "Không có kết quả" in cli("cites", "99-NQ/TW", "--db", db, cwd=tmp_path)


def test_query_commands_on_a_missing_archive_fail_in_one_line(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("vanban")
    for args in (["cites", "25-NQ/TW"], ["graph"], ["deadlines"], ["implementations", "25-NQ/TW"],
                 ["search", "dang uy"]):
        out = subprocess.run([str(exe), *args, "--db", str(tmp_path / "none.sqlite")], capture_output=True,
                             text=True, cwd=tmp_path)
        assert out.returncode == 2 and "VB300" in out.stderr and "Traceback" not in out.stderr, args


def test_archived_documents_become_registry_entries(indexed: tuple[str, Path]) -> None:
    from vanban.corpus.queries import registry_entries
    from vanban.corpus.registry import Registry

    db, _root = indexed
    entries = registry_entries(db=db)
    keys = {e.key for e in entries}
    assert {"18-KH/HU", "45-KH/ĐU", "05/KH-UBND"} <= keys
    # Two communes issued "01/KH-UBND" in 2024: the date tells them apart.
    assert {"01/KH-UBND@2024-01-05", "01/KH-UBND@2024-01-12"} <= keys
    registry = Registry(entries)
    found = registry.lookup("01/KH-UBND", date_="2024-01-12")
    assert found.entry is not None and found.entry.origin == "archive" and "Tân Mỹ" in (found.entry.issuer or "").title()
