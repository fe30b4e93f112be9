"""vanban: check, extract and index Vietnamese administrative plans.

The verbs ``ingest``, ``extract``, ``check``, ``index`` and ``search`` are the library; the CLI
and the web app only translate. Importing ``vanban`` is cheap: every verb loads what it needs
on first call.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["VanbanError", "check", "extract", "index", "ingest", "search"]

_VERBS = {
    "ingest": "vanban.api",
    "extract": "vanban.api",
    "check": "vanban.api",
    "index": "vanban.corpus.index",
    "search": "vanban.corpus.search",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name == "VanbanError":
        from vanban.extractor.errors import VanbanError

        return VanbanError
    if name in _VERBS:
        return getattr(importlib.import_module(_VERBS[name]), name)
    raise AttributeError(f"module 'vanban' has no attribute {name!r}")
