"""What one running web app holds: its settings, the archive (opened on first use), the
regulation registry and the check sessions."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vanban.web.sessions import Sessions

if TYPE_CHECKING:
    from vanban.corpus.registry import Registry
    from vanban.corpus.store import Store

log = logging.getLogger("vanban.web")

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024


def default_data_dir() -> Path:
    from vanban.corpus.registry import user_data_dir

    return user_data_dir() / "web"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str | None
    data_dir: Path
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD

    @property
    def work_dir(self) -> Path:
        return self.data_dir / "work"

    @property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"


class WebState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions = Sessions(settings.sessions_dir)
        self._store: Store | None = None
        self._lock = threading.Lock()

    def store(self) -> Store:
        """The archive, opened (created and migrated if new) on first use and kept open."""
        with self._lock:
            if self._store is None:
                from vanban.corpus.store import Store

                self._store = Store.open(self.settings.db, create=True)
                log.info("archive: %s", self._store.display_url)
            return self._store

    def registry(self) -> Registry:
        """The regulation registry (built-in facts and the user's rows; parsed again only when
        a file changes, so `vanban regs import` shows up without a restart). Read only."""
        from vanban.corpus.registry import Registry

        return Registry.load_default(shared=True)

    def close(self) -> None:
        self.sessions.close()
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
