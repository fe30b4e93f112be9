"""Response headers that keep a page from doing anything it was not written to do, and a refusal
of cross-site form posts.

The policy allows scripts, styles and images only from the app itself; there is no inline script
or style anywhere (the report's script and CSS are served as files), so an injected ``<script>``
could not run even if escaping failed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("vanban.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" makes Chromium post forms with Origin: null
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering, so uploads still stream). It is also the last
    catch of an unexpected exception, so that even a crash answers with the error shape and these
    headers: ``on_crash(scope)`` builds that response."""

    def __init__(self, app: Any, on_crash: Callable[[dict[str, Any]], Any] | None = None) -> None:
        self.app = app
        self.on_crash = on_crash

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE and not _same_origin(scope):
            await _forbidden(send)
            return
        static = scope["path"].startswith("/static/") or scope["path"].startswith("/assets/")

        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                if not static and b"cache-control" not in present:
                    # Reports hold the user's documents: nothing is kept in shared caches.
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started or self.on_crash is None:
                raise
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            await self.on_crash(scope)(scope, receive, send_with_headers)


def _same_origin(scope: dict[str, Any]) -> bool:
    """A browser names the page that sent a form in ``Origin``; only this app's own pages may
    post (tools such as curl send no Origin and are let through)."""
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin")
    if origin is None:
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    scheme = scope.get("scheme", "http")
    return bool(host) and origin.decode("latin-1").rstrip("/") == f"{scheme}://{host}"


async def _forbidden(send: Any) -> None:
    payload = json.dumps({"error": {"code": "forbidden", "message": "yêu cầu từ trang khác bị từ chối "
                                    "(cross-site request refused)"}}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *HEADERS]})
    await send({"type": "http.response.body", "body": payload})
