"""Results of a web check, kept for a while under a random token so the report page and its
downloads can be fetched after the upload itself is gone.

The token in a URL is only a key into this in-memory table; the folder that holds a session's
annotated .docx is generated here and never built from anything a request sends. Sessions expire
after ``ttl_s`` and the oldest go first when there are more than ``max_sessions``.
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vanban.rules.model import CheckReport

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
DEFAULT_TTL_S = 2 * 3600
DEFAULT_MAX = 100


@dataclass(slots=True)
class Session:
    token: str
    report: CheckReport
    name: str  # the uploaded file's display name
    format: str  # docx, pdf, doc, txt, md
    folder: Path
    created: float = field(default_factory=time.time)
    annotated: Path | None = None  # the .docx with one comment per finding
    comments: int = 0
    annotate_error: str | None = None
    stored_id: int | None = None  # the archive's id when the user chose to store the draft
    store_error: str | None = None


class Sessions:
    def __init__(self, root: Path, *, ttl_s: float = DEFAULT_TTL_S, max_sessions: int = DEFAULT_MAX) -> None:
        self.root = root
        self.ttl_s = ttl_s
        self.max_sessions = max_sessions
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def new_folder(self) -> tuple[str, Path]:
        """A fresh token and its (created, empty) folder."""
        self.root.mkdir(parents=True, exist_ok=True)
        while True:
            token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
            folder = self.root / token
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                continue
            return token, folder

    def add(self, session: Session) -> None:
        with self._lock:
            self._items[session.token] = session
            self._expire_locked()

    def get(self, token: str) -> Session | None:
        if not TOKEN.match(token):
            return None
        with self._lock:
            self._expire_locked()
            return self._items.get(token)

    def discard(self, token: str) -> None:
        with self._lock:
            s = self._items.pop(token, None)
        if s is not None:
            shutil.rmtree(s.folder, ignore_errors=True)

    def _expire_locked(self) -> None:
        now = time.time()
        gone = [t for t, s in self._items.items() if now - s.created > self.ttl_s]
        while len(self._items) - len(gone) > self.max_sessions:
            oldest = next(t for t in self._items if t not in gone)
            gone.append(oldest)
        for t in gone:
            s = self._items.pop(t)
            shutil.rmtree(s.folder, ignore_errors=True)

    def sweep_disk(self) -> int:
        """Delete session folders older than the time to live that no live session owns (left
        by an earlier process)."""
        if not self.root.is_dir():
            return 0
        now = time.time()
        with self._lock:
            live = {s.folder for s in self._items.values()}
        removed = 0
        for child in self.root.iterdir():
            try:
                if child not in live and now - child.stat().st_mtime > self.ttl_s:
                    shutil.rmtree(child, ignore_errors=True)
                    removed += 1
            except OSError:
                continue
        return removed

    def close(self) -> None:
        with self._lock:
            items = list(self._items.values())
            self._items.clear()
        for s in items:
            shutil.rmtree(s.folder, ignore_errors=True)
