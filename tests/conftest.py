"""Test-wide setup.

The checkout's `vanban/` folder holds only the front doors; `extractor/`, `rules/`, `corpus/` and
`models/` are mapped under `vanban` by the (editable) install. Pytest puts the checkout root on
sys.path, where the bare `vanban/` folder would shadow the installed package, so bind the
installed one first.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def _bind_installed_vanban() -> None:
    saved = list(sys.path)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _ROOT]
    try:
        import vanban.extractor  # noqa: F401
    finally:
        sys.path[:] = saved


_bind_installed_vanban()

# Archive fixtures (both database engines, the stand-in extractor, the citing-plans corpus).
pytest_plugins = ("tests.archive_support",)
