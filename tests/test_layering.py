"""Data flows one way: extractor → rules → corpus → front doors. Checked on the source, statically."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT


def _imports(folder: str) -> list[tuple[Path, str]]:
    found = []
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


@pytest.mark.parametrize("folder", ["extractor", "rules", "corpus", "models"])
def test_core_never_imports_front_door_frameworks(folder: str) -> None:
    bad = [(p.name, m) for p, m in _imports(folder) if m.split(".")[0] in {"typer", "fastapi", "starlette"}]
    assert not bad


def test_extractor_imports_neither_rules_nor_corpus() -> None:
    bad = [(p.name, m) for p, m in _imports("extractor")
           if m.startswith(("vanban.rules", "vanban.corpus", "vanban.commands", "vanban.web"))]
    assert not bad


@pytest.mark.parametrize("folder", ["vanban", "extractor", "rules", "corpus", "models", "tests"])
def test_folders_are_imported_under_the_vanban_name(folder: str) -> None:
    bare = {"extractor", "rules", "corpus", "models"}
    bad = [(p.name, m) for p, m in _imports(folder) if m.split(".")[0] in bare]
    assert not bad
