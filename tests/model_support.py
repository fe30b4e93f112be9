"""A private models folder for tests that exercise a model training chose not to use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from vanban.models import artifact


def switched_on(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``$VANBAN_MODELS_DIR`` pointed at ``folder``, which holds a copy of the shipped artifact
    ``name`` with ``in_use`` set, whatever training decided, so the model path itself runs."""
    data = json.loads(artifact.path_of(name, artifact.DATA).read_text(encoding="utf-8"))
    data["in_use"] = True
    artifact.path_of(name, folder).write_text(artifact.dumps(data), encoding="utf-8")
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(folder))
    artifact.clear_cache()
    yield folder
    artifact.clear_cache()
