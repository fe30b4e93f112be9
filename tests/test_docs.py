"""The README documents every command, and its two fresh-machine commands exist."""

from __future__ import annotations

import re

from tests.paths import ROOT


def _commands() -> list[str]:
    from typer.main import get_command

    from vanban.cli import app

    group = get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _commands() if f"vanban {c}" not in readme]
    assert not missing


def test_the_two_fresh_machine_commands_are_make_targets() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = readme[:1500]
    assert "make demo" in top and "make test" in top
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
