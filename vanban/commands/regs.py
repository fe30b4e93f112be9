"""`vanban regs show|list|import`: the regulation registry behind CIT-EXPIRED and CIT-UNKNOWN."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

regs_app = typer.Typer(
    name="regs",
    help="Sổ văn bản được dẫn: hiệu lực, văn bản thay thế (the regulation registry).",
    no_args_is_help=True,
)


class Status(StrEnum):
    in_force = "in_force"
    replaced = "replaced"
    expired = "expired"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


_STATUS_VI = {"in_force": "còn hiệu lực", "replaced": "đã được thay thế", "expired": "hết hiệu lực"}


_DB_HELP = "Kho lưu trữ (archive) whose documents join the registry; default: the user's archive if it exists"


def _vi_date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


@regs_app.command("show")
def show_cli(
    key: Annotated[str, typer.Argument(help="Ký hiệu hoặc khóa, ví dụ 25-NQ/TW hoặc 124-QĐ/TW@2023")],
    as_json: Annotated[bool, typer.Option("--json", help="In JSON")] = False,
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Xem một văn bản trong sổ (show one document; every match when a symbol names several)."""
    from vanban.corpus.queries import archive_registry
    from vanban.extractor.errors import VanbanError

    try:
        reg = archive_registry(db)
    except VanbanError as err:
        print(f"vanban: {err.code} {err}", file=sys.stderr)
        raise typer.Exit(2) from None
    found = reg.resolve(key)
    if not found:
        hints = reg.suggest(key)
        hint = f" (ý bạn là {', '.join(hints)}?)" if hints else ""
        print(f"vanban: sổ văn bản không có {key!r}{hint}", file=sys.stderr)
        raise typer.Exit(1)
    if as_json:
        print(json.dumps([e.to_dict() for e in found], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for e in found:
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(style="bold")
        table.add_column()
        succ = reg.successor(e)
        rows = [
            ("Khóa", e.key), ("Loại", e.type or ""), ("Số, ký hiệu", e.symbol), ("Ngày ban hành", _vi_date(e.date)),
            ("Cơ quan ban hành", e.issuer or ""), ("Trích yếu", e.title or ""),
            ("Tình trạng", _STATUS_VI[e.status] + (f" từ {_vi_date(e.status_date)}" if e.status_date else "")),
            ("Thay thế bởi", (f"{succ.key} — {succ.title}" if succ and succ.title else e.replaced_by or "")),
            ("Đã kiểm chứng", ("có" if e.verified else "chưa") + ("" if e.status_verified else
                                                                  "; tình trạng hiệu lực chưa kiểm chứng")),
            ("Nguồn", e.source or ""), ("Lấy từ", {"builtin": "dữ liệu có sẵn", "user": "dữ liệu người dùng",
                                                    "archive": "kho lưu trữ"}[e.origin]),
        ]
        for label, value in rows:
            if value:
                table.add_row(label, value)
        console.print(table)
        console.print()


@regs_app.command("list")
def list_cli(
    status: Annotated[Status | None, typer.Option("--status", help="in_force | replaced | expired")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="table | json | csv")] = ListFormat.table,
    db: Annotated[str | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Liệt kê sổ văn bản (list the registry)."""
    from vanban.corpus.queries import archive_registry
    from vanban.corpus.registry import COLUMNS
    from vanban.extractor.errors import VanbanError

    try:
        reg = archive_registry(db)
    except VanbanError as err:
        print(f"vanban: {err.code} {err}", file=sys.stderr)
        raise typer.Exit(2) from None
    entries = sorted((e for e in reg if status is None or e.status == status.value),
                     key=lambda e: (e.date or "", e.key))
    if fmt is ListFormat.json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if fmt is ListFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for e in entries:
            writer.writerow(e.to_row())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Sổ văn bản ({len(entries)})")
    short = {"in_force": "hiệu lực", "replaced": "thay thế", "expired": "hết hiệu lực"}
    rows = []
    for e in entries:
        state = short[e.status] + (f" {_vi_date(e.status_date)}" if e.status_date else "")
        title = f"{e.type} {e.title}" if e.type and e.title and not e.title.startswith(e.type) else e.title
        title = title or e.type or ""
        rows.append((e.key, _vi_date(e.date), state, e.replaced_by or "", title if len(title) <= 48 else title[:47] + "…"))
    for i, col in enumerate(("Khóa", "Ngày", "Tình trạng", "Thay thế bởi")):
        table.add_column(col, no_wrap=True, min_width=max([len(col), *(len(r[i]) for r in rows)]))
    table.add_column("Trích yếu", overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@regs_app.command("import")
def import_cli(
    file: Annotated[Path, typer.Argument(help="Tệp CSV cùng cột với central-docs.csv (key, symbol, status, …)")],
) -> None:
    """Nhập văn bản từ CSV vào dữ liệu người dùng (import a CSV into the user registry)."""
    from vanban.corpus.registry import Registry
    from vanban.extractor.errors import VanbanError

    try:
        reg = Registry.load_default()
        result = reg.import_csv(file)
    except VanbanError as err:
        print(f"vanban: {err.code} {err}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(f"Đã nhập {result.added} văn bản mới, cập nhật {result.updated} văn bản từ {result.path} "
          f"(lưu ở {result.stored_in}).")


def register(app: typer.Typer) -> None:
    app.add_typer(regs_app, name="regs")
