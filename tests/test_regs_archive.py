"""Every indexed document is itself a citable registry entry (`vanban regs` reads the archive)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.paths import SEEDS

VANBAN = str(Path(sys.executable).with_name("vanban"))


def test_an_indexed_plan_shows_up_in_the_registry(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = next(p for p in sorted(SEEDS.glob("*.txt")) if "72-KHPH" in p.read_text(encoding="utf-8")[:400])
    shutil.copy(seed, docs / seed.name)
    env = dict(os.environ, VANBAN_HOME=str(tmp_path / "home"))
    before = subprocess.run([VANBAN, "regs", "show", "72-KHPH/KDV-UBND"], capture_output=True, text=True, env=env)
    assert before.returncode == 1  # unknown before indexing
    subprocess.run([VANBAN, "index", str(docs), "--workers", "1", "--no-check"], check=True, capture_output=True,
                   env=env, cwd=tmp_path)
    after = subprocess.run([VANBAN, "regs", "show", "72-KHPH/KDV-UBND", "--json"], capture_output=True,
                           text=True, env=env)
    assert after.returncode == 0, after.stderr
    entry = json.loads(after.stdout)[0]
    assert entry["date"] == "2024-03-18" and entry["origin"] == "archive"
