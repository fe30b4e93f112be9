"""Archive commands: `vanban index`, `search`, `cites`, `cited-by`, `graph`, `implementations`, `deadlines`.

Every command takes ``--db URL`` (default: the SQLite archive in the user's data folder,
``$VANBAN_HOME/archive.sqlite`` or ``~/.local/share/vanban/archive.sqlite``; the environment
variable ``VANBAN_DB`` overrides it) and ``--format`` (table for people; json — a list of result
objects — and csv for programs).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class GraphFmt(StrEnum):
    dot = "dot"
    json = "json"
    csv = "csv"


class AgendaFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


class Relation(StrEnum):
    implements = "implements"
    basis = "basis"
    mention = "mention"


DbOpt = Annotated[str | None, typer.Option(
    "--db", envvar="VANBAN_DB", show_envvar=True,
    help="Kho lưu trữ: sqlite:///tệp.sqlite, postgresql://… hoặc đường dẫn tệp (archive URL or file)")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="table | json | csv")]


@contextmanager
def _errors() -> Iterator[None]:
    """vanban's own errors become one line on stderr and exit status 2, never a traceback."""
    from vanban.extractor.errors import VanbanError

    try:
        yield
    except VanbanError as err:
        print(f"vanban: {err.code} {err}", file=sys.stderr)
        raise typer.Exit(2) from None


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _print_json(items: Any) -> None:
    print(json.dumps(items, ensure_ascii=False, indent=2))


def _print_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])


def _table(title: str | None, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
           empty: str = "Không có kết quả (no results).") -> None:
    from rich.table import Table

    console = _console()
    if not rows:
        console.print(empty)
        return
    t = Table(title=title, show_lines=False, header_style="bold")
    for h in header:
        t.add_column(h, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    console.print(t)


# --------------------------------------------------------------------------- index


def index_cli(
    dirs: Annotated[list[Path] | None, typer.Argument(help="Thư mục (hoặc tệp) cần lập chỉ mục (folders or files)",
                                                      show_default=False)] = None,
    db: DbOpt = None,
    workers: Annotated[int | None, typer.Option("--workers", "-j", min=1,
                                                help="Số tiến trình trích xuất (default: số lõi CPU)")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Xóa khỏi kho các tệp không còn tồn tại "
                                                        "(forget deleted files)")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Chỉ chạy lại các tệp đã lỗi "
                                                                      "(re-run only failed files)")] = False,
    failed: Annotated[bool, typer.Option("--failed", help="Liệt kê các tệp lỗi và lý do, không lập chỉ mục "
                                                          "(list failed files with their errors)")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Giới hạn giây cho mỗi tệp "
                                                                     "(time limit per file)")] = 60,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Thanh tiến độ")] = True,
    no_check: Annotated[bool, typer.Option("--no-check", help="Không chạy bộ quy tắc (skip rule checks)")] = False,
    extractor: Annotated[str, typer.Option("--extractor", hidden=True)] = "vanban.api:extract",
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Lập chỉ mục thư mục văn bản vào kho (index folders of documents into the archive).

    Chạy lại bất cứ lúc nào: tệp không đổi được bỏ qua, tệp đổi được lập lại, lần chạy bị ngắt
    được tiếp tục (re-run any time: unchanged files are skipped, interrupted runs resume).
    """
    from vanban.corpus.index import Interrupted, index
    from vanban.corpus.store import Store

    with _errors():
        if failed:
            roots = [str(p.expanduser().resolve()) for p in dirs or []]
            with Store.open(db, create=False) as store:
                rows = store.failures(roots or None)
            if fmt is Fmt.json:
                _print_json([f.to_dict() for f in rows])
            elif fmt is Fmt.csv:
                _print_csv(["path", "code", "message"], [(f.path, f.code, f.message) for f in rows])
            else:
                _table("Tệp lỗi (failed files)", ["Tệp", "Mã", "Lỗi"],
                       [(f.path, f.code, _short(f.message, f.path)) for f in rows],
                       empty="Không có tệp lỗi (no failed files).")
            return
        if not dirs:
            raise typer.BadParameter("cần ít nhất một thư mục (give at least one folder)", param_hint="DIRS")
        stopped_by = 0
        try:
            summary = index(dirs, db=db, workers=workers, prune=prune, retry_failed=retry_failed,
                            progress=progress and fmt is Fmt.table and sys.stderr.isatty(), timeout_s=timeout,
                            extractor=extractor, check=not no_check)
        except Interrupted as stop:
            if stop.summary is None:
                raise
            summary, stopped_by = stop.summary, int(stop.signum)
    data = summary.to_dict()
    if fmt is Fmt.json:
        _print_json(data)
    elif fmt is Fmt.csv:
        keys = [k for k in data if not isinstance(data[k], dict | list)]
        _print_csv(keys, [[data[k] for k in keys]])
    else:
        _print_summary(summary)
    if stopped_by:
        raise typer.Exit(128 + stopped_by)  # 130 for Ctrl-C, 143 for SIGTERM, as shells report them
    if summary.failed:
        raise typer.Exit(2)


def _short(message: str | None, path: str) -> str:
    if not message:
        return ""
    return message[len(path) + 2:] if message.startswith(path + ": ") else message


def _print_summary(s: Any) -> None:
    console = _console()
    parts = [f"[bold green]{s.indexed}[/] đã lập chỉ mục (indexed)",
             f"{s.unchanged} không đổi (unchanged)",
             f"[bold red]{s.failed}[/] lỗi (failed)" if s.failed else "0 lỗi (failed)",
             f"{s.skipped} bỏ qua (skipped)"]
    if s.duplicates:
        parts.insert(1, f"{s.duplicates} bản trùng (duplicates)")
    if s.pruned:
        parts.append(f"{s.pruned} đã xóa (pruned)")
    console.print(", ".join(parts) + f" — {s.seconds:.1f} s"
                  + (f", {s.files_per_second:.1f} tệp/s" if s.indexed else ""))
    if s.skipped_formats:
        console.print("Bỏ qua theo đuôi tệp (skipped by extension): "
                      + ", ".join(f"{k} {v}" for k, v in sorted(s.skipped_formats.items())), style="dim")
    for f in s.failures[:20]:
        console.print(f"  [red]✗[/] {f['path']}: {f['code']} {_short(f['message'], f['path'])}", markup=True)
    if len(s.failures) > 20:
        console.print(f"  … và {len(s.failures) - 20} tệp khác: `vanban index --failed`")
    if s.still_failed:
        console.print(f"{s.still_failed} tệp lỗi từ trước; chạy lại với --retry-failed "
                      f"(files that failed before; see --failed)", style="yellow")
    for w in s.warnings:
        console.print(f"cảnh báo (warning): {w}", style="yellow")
    if s.interrupted:
        console.print("Đã dừng giữa chừng; chạy lại cùng lệnh để tiếp tục (interrupted: run the same command "
                      "again to resume).", style="bold yellow")
    console.print(f"Kho (archive): {s.db}", style="dim")


# --------------------------------------------------------------------------- search


def search_cli(
    query: Annotated[str, typer.Argument(help='Từ khóa; dấu tùy chọn: dan van kheo, "dân vận khéo", kheo*, -covid, a OR b')],
    db: DbOpt = None,
    type_: Annotated[str | None, typer.Option("--type", help="Loại văn bản: 'Kế hoạch' hoặc KH")] = None,
    family: Annotated[str | None, typer.Option("--family", help="party | state | joint | unknown")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Một phần tên cơ quan ban hành")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm ban hành")] = None,
    year_from: Annotated[int | None, typer.Option("--year-from", help="Từ năm")] = None,
    year_to: Annotated[int | None, typer.Option("--year-to", help="Đến năm")] = None,
    cites: Annotated[str | None, typer.Option("--cites", help="Có viện dẫn văn bản này (25-NQ/TW)")] = None,
    has_finding: Annotated[str | None, typer.Option(
        "--has-finding", help="Có phát hiện: any, mã quy tắc (CIT-EXPIRED) hoặc mức (error)")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0)] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Tìm kiếm toàn văn trong kho, có hoặc không dấu (full-text search, diacritics optional)."""
    from vanban.corpus.search import search

    finding: str | bool | None = has_finding
    if has_finding is not None and has_finding.lower() in ("any", "yes", "true", "có"):
        finding = True
    elif has_finding is not None and has_finding.lower() in ("none", "no", "false", "không"):
        finding = False
    with _errors():
        hits = search(query, db=db, type=type_, family=family, issuer=issuer,
                      year_from=year if year is not None else year_from,
                      year_to=year if year is not None else year_to,
                      cites=cites, has_finding=finding, limit=limit, offset=offset)
    if fmt is Fmt.json:
        _print_json([h.to_dict() for h in hits])
        return
    if fmt is Fmt.csv:
        _print_csv(["rank", "score", "exact", "symbol", "date", "type", "issuer", "title", "path", "snippet"],
                   [(offset + i + 1, round(h.score, 6), h.exact, h.symbol, h.date, h.type, h.issuer, h.title,
                     h.path, h.marked("[", "]")) for i, h in enumerate(hits)])
        return
    from rich.markup import escape

    console = _console()
    if not hits:
        console.print("Không có kết quả (no results).")
        return
    for i, h in enumerate(hits, start=offset + 1):
        head = " · ".join(x for x in (h.symbol, h.date, h.type, h.issuer) if x) or "(không rõ số hiệu)"
        console.print(f"[bold]{i}.[/] [bold cyan]{escape(head)}[/]")
        if h.title:
            console.print(f"   {escape(h.title)}")
        console.print(f"   [dim]{escape(h.path or '')}[/]" + (f" [dim](+{len(h.paths) - 1} bản sao)[/]"
                                                                if len(h.paths) > 1 else ""))
        snippet = h.marked("\x00", "\x01")
        console.print("   " + escape(snippet).replace("\x00", "[bold yellow]").replace("\x01", "[/]"))


# --------------------------------------------------------------------------- citations


def _citing_rows(rows: Sequence[Any], fmt: Fmt, title: str, *, levels: bool = False) -> None:
    if fmt is Fmt.json:
        _print_json([r.to_dict() for r in rows])
        return
    header = ["key", "relation", "symbol", "date", "issuer", "title", "path", "sentence"]
    data = [[r.key, r.relation, r.document.symbol, r.document.date, r.document.issuer, r.document.title,
             r.document.path, r.sentence] for r in rows]
    if levels:
        header = ["level", "via", *header]
        data = [[r.level, r.via, *d] for r, d in zip(rows, data, strict=True)]
    if fmt is Fmt.csv:
        _print_csv(header, data)
        return
    vi = {"implements": "thực hiện", "basis": "căn cứ", "mention": "nhắc đến"}
    table_rows = []
    for r in rows:
        doc = r.document
        name = " · ".join(x for x in (doc.symbol, doc.date) if x) or Path(doc.path or "").name
        sentence = r.sentence if len(r.sentence) <= 140 else r.sentence[:139] + "…"
        row = [name, vi.get(r.relation, r.relation), doc.title or "", Path(doc.path or "").name, sentence]
        if levels:
            row = [str(r.level), r.via or r.key, *row]
        table_rows.append(row)
    head = ["Văn bản", "Quan hệ", "Trích yếu", "Tệp", "Câu"]
    if levels:
        head = ["Cấp", "Thực hiện", *head]
    _table(title, head, table_rows)


def cites_cli(
    keys: Annotated[list[str], typer.Argument(help="Ký hiệu văn bản được viện dẫn: 25-NQ/TW, 16/CT-TTg@2016")],
    db: DbOpt = None,
    relation: Annotated[Relation | None, typer.Option("--relation", help="implements | basis | mention")] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Văn bản nào trong kho viện dẫn các văn bản này (which archived documents cite these keys)."""
    from vanban.corpus.queries import cites

    with _errors():
        rows = cites(keys, db=db, relation=relation.value if relation else None)
    _citing_rows(rows, fmt, "Văn bản viện dẫn " + ", ".join(keys))


def cited_by_cli(
    file: Annotated[Path, typer.Argument(help="Tệp văn bản đã có trong kho (an archived file)")],
    db: DbOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Văn bản nào trong kho viện dẫn tệp này (archived documents that cite FILE, by symbol and date)."""
    from vanban.corpus.queries import cited_by

    with _errors():
        rows = cited_by(file, db=db)
    _citing_rows(rows, fmt, f"Văn bản viện dẫn {file.name}")


def implementations_cli(
    key: Annotated[str, typer.Argument(help="Văn bản cấp trên: 25-NQ/TW")],
    db: DbOpt = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=20, help="Số cấp tối đa")] = 5,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Các kế hoạch thực hiện văn bản này, theo từng cấp (plans implementing KEY, level by level)."""
    from vanban.corpus.queries import implementations

    with _errors():
        rows = implementations(key, db=db, depth=depth)
    _citing_rows(rows, fmt, f"Văn bản thực hiện {key}", levels=True)


def graph_cli(
    db: DbOpt = None,
    fmt: Annotated[GraphFmt, typer.Option("--format", "-f", help="dot | json | csv")] = GraphFmt.dot,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp (write to a file)")] = None,
) -> None:
    """Đồ thị viện dẫn của kho (citation graph: Graphviz dot, JSON nodes/edges, or CSV edges)."""
    from vanban.corpus.queries import graph, graph_dot

    with _errors():
        g = graph(db=db)
    if fmt is GraphFmt.dot:
        out = graph_dot(g)
    elif fmt is GraphFmt.json:
        out = json.dumps(g.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["source", "source_label", "target", "target_label", "relation", "mentions"])
        for (s, t, r), n in sorted(g.edges.items()):
            w.writerow([s, g.nodes[s]["label"], t, g.nodes[t]["label"], r, n])
        out = buf.getvalue()
    _write(out, output)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_bytes(text.encode("utf-8"))  # byte for byte: .ics lines end in CRLF
        print(f"{output}", file=sys.stderr)


# --------------------------------------------------------------------------- deadlines


def deadlines_cli(
    db: DbOpt = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Từ ngày (YYYY-MM-DD, DD/MM/YYYY, today)")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Đến ngày")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Đơn vị chịu trách nhiệm (một phần tên)")] = None,
    fmt: Annotated[AgendaFmt, typer.Option("--format", "-f", help="table | json | csv | ics")] = AgendaFmt.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Ghi ra tệp (write to a file)")] = None,
) -> None:
    """Lịch thời hạn của các văn bản trong kho (deadline agenda; ics for calendars)."""
    from vanban.corpus.queries import deadlines, deadlines_ics

    with _errors():
        rows = deadlines(db=db, date_from=date_from, date_to=date_to, unit=unit)
    if fmt is AgendaFmt.ics:
        _write(deadlines_ics(rows), output)
        return
    if fmt is AgendaFmt.json:
        _write(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2) + "\n", output)
        return
    header = ["date", "end_date", "kind", "unit", "deadline", "task", "symbol", "title", "path"]
    data = [[r.date, r.end_date, r.kind, r.unit, r.text, r.task or r.sentence, r.document.symbol,
             r.document.title, r.document.path] for r in rows]
    if fmt is AgendaFmt.csv:
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows([["" if v is None else v for v in r] for r in data])
        _write(buf.getvalue(), output)
        return
    _table("Thời hạn (deadlines)", ["Ngày", "Đơn vị", "Việc", "Văn bản"],
           [[r.date + (f" → {r.end_date}" if r.end_date and r.end_date != r.date else ""), r.unit or "",
             r.task or r.sentence, " · ".join(x for x in (r.document.symbol, r.document.title) if x)]
            for r in rows])


# --------------------------------------------------------------------------- registration


COMMANDS: dict[str, Callable[..., None]] = {
    "index": index_cli,
    "search": search_cli,
    "cites": cites_cli,
    "cited-by": cited_by_cli,
    "graph": graph_cli,
    "implementations": implementations_cli,
    "deadlines": deadlines_cli,
}


def register(app: typer.Typer) -> None:
    for name, fn in COMMANDS.items():
        app.command(name)(fn)
