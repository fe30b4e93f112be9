"""`vanban extract` as a user runs it: JSON out, batches keep going past bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.paths import SEEDS

VANBAN = [str(Path(sys.executable).with_name("vanban"))]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VANBAN, *args], capture_output=True, text=True)


def test_extract_json_has_the_contract_fields() -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    out = run("extract", "--format", "json", str(seed))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema_version"] == 1 and data["source"]["format"] == "txt"
    assert data["citations"], "a seed plan cites documents"


def test_jsonl_keeps_going_past_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a real zip")
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    out = run("extract", "--format", "jsonl", str(seeds[0]), str(broken), str(seeds[1]))
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3
    assert "error" in lines[1] and lines[1]["source"]["path"] == str(broken)
    assert lines[1]["error"]["code"].startswith("VB1")
    assert "hong.docx" in lines[1]["error"]["message"]
    assert "Traceback" not in out.stderr
    assert out.returncode == 2
    assert lines[0]["text"] and lines[2]["text"]


def test_missing_file_is_a_clear_error() -> None:
    out = run("extract", "khong-co.txt")
    assert out.returncode == 2
    assert "khong-co.txt" in out.stderr and "Traceback" not in out.stderr
