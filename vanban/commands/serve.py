"""`vanban serve [--host 127.0.0.1] [--port 8000] [--db URL] [--max-upload-mb 50]`: the local web
app. FastAPI, Jinja2 and uvicorn are imported only when the command runs."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Annotated

import typer

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_cli(
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe; mặc định chỉ máy này (127.0.0.1)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Cổng")] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="Kho lưu trữ: tệp SQLite hoặc postgresql://… "
                                           "(mặc định: kho của người dùng)")] = None,
    max_upload_mb: Annotated[float, typer.Option("--max-upload-mb", min=0.001, help="Dung lượng tệp tải lên tối đa (MB)")] = 50,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Thư mục xử lý tệp tải lên và giữ báo cáo tạm")] = None,
) -> None:
    """Chạy ứng dụng web trên máy này (run the local web app and REST API)."""
    try:
        import uvicorn
    except ImportError:
        print("vanban: cần uvicorn để chạy ứng dụng web (pip install uvicorn)", file=sys.stderr)
        raise typer.Exit(2) from None
    from vanban.extractor.errors import VanbanError
    from vanban.web.app import create_app

    loopback = _is_loopback(host)
    try:
        app = create_app(db=db, max_upload_bytes=int(max_upload_mb * 1024 * 1024), data_dir=data_dir,
                         allowed_hosts=list(LOOPBACK_NAMES) if loopback else None)
    except VanbanError as err:
        print(f"vanban: {err.code} {err}", file=sys.stderr)
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    print(f"vanban: ứng dụng web tại http://{shown}:{port}/ (API: http://{shown}:{port}/docs) — Ctrl+C để dừng",
          file=sys.stderr)
    if not loopback:
        print("vanban: cảnh báo: đang mở cho máy khác truy cập; ứng dụng không có đăng nhập "
              "(warning: reachable from other machines; there is no login)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cli)
