"""`vanban check` and `vanban regs` as a user runs them: formats, exit codes, bad options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner
from vanban.rules.packs import PACK_DIR

from tests.paths import SEEDS
from vanban.cli import app

VANBAN = [str(Path(sys.executable).with_name("vanban"))]
SEED_000 = SEEDS / "000_9102743bf23a6ab0.txt"  # Party plan without number, date or banner
CLEAN = PACK_DIR / "examples" / "state-plan.txt"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_HOME", str(tmp_path / "home"))


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_json_report_and_exit_1_on_errors() -> None:
    out = invoke("check", "--format", "json", str(SEED_000))
    assert out.exit_code == 1, out.output
    data = json.loads(out.stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert {"HDR-NUMBER", "HDR-DATE", "HDR-MOTTO", "CIT-EXPIRED"} <= rules
    assert data["summary"]["error"] >= 3 and data["packs"] == ["common", "party"]


def test_fail_on_levels() -> None:
    assert invoke("check", "--format", "json", "--fail-on", "never", str(SEED_000)).exit_code == 0
    assert invoke("check", "--format", "json", str(CLEAN)).exit_code == 0
    assert invoke("check", "--format", "json", "--fail-on", "info", str(CLEAN)).exit_code == 0
    # Only warnings: CIT-EXPIRED on the old decree, nothing else.
    assert invoke("check", "-f", "json", "--disable", "HDR-NUMBER", "--disable", "HDR-DATE", "--disable",
                  "HDR-MOTTO", "--disable", "HDR-ISSUER", str(SEED_000)).exit_code == 0
    assert invoke("check", "-f", "json", "--fail-on", "warning", "--disable", "HDR-NUMBER", "--disable",
                  "HDR-DATE", "--disable", "HDR-MOTTO", "--disable", "HDR-ISSUER", str(SEED_000)).exit_code == 1


def test_severity_option_changes_the_exit_code() -> None:
    out = invoke("check", "-f", "json", "--severity", "HDR-NUMBER=info", "--severity", "HDR-DATE=info",
                 "--severity", "HDR-MOTTO=info", "--severity", "HDR-ISSUER=info", str(SEED_000))
    assert out.exit_code == 0
    assert {f["severity"] for f in json.loads(out.stdout)["findings"] if f["rule"] == "HDR-NUMBER"} == {"info"}


@pytest.mark.parametrize(("args", "needle"), [
    (["--disable", "HDR-NUMBR"], "HDR-NUMBER"),
    (["--severity", "HDR-NUMBER"], "QUY-TẮC=mức"),
    (["--severity", "HDR-NUMBER=fatal"], "error, warning, info"),
])
def test_bad_options_exit_2_with_a_hint(args: list[str], needle: str) -> None:
    out = invoke("check", *args, str(CLEAN))
    assert out.exit_code == 2 and needle in out.output


def test_bad_rule_pack_exits_2_naming_file_and_line(tmp_path) -> None:
    pack = tmp_path / "tinh.yaml"
    pack.write_text("pack: tinh\nrules:\n  - id: SEC-FUNDING\n    check: sections.required\n    levl: warning\n",
                    encoding="utf-8")
    out = invoke("check", "--rules", str(pack), str(CLEAN))
    assert out.exit_code == 2 and f"{pack}:5" in out.output and "'levl'" in out.output


def test_user_pack_rule_appears_in_the_report(tmp_path) -> None:
    pack = tmp_path / "tinh.yaml"
    pack.write_text("""pack: tinh
rules:
  - id: SEC-FUNDING
    check: sections.required
    severity: error
    types: [KH]
    params: {role: funding, titles: [kinh phí]}
    message: "Kế hoạch thiếu phần kinh phí."
""", encoding="utf-8")
    out = invoke("check", "-f", "json", "--rules", str(pack), str(CLEAN))
    assert out.exit_code == 1
    assert [f["rule"] for f in json.loads(out.stdout)["findings"]] == ["SEC-FUNDING"]


def test_jsonl_keeps_going_past_unreadable_files(tmp_path) -> None:
    missing = tmp_path / "khong-co.txt"
    out = invoke("check", "--format", "jsonl", str(CLEAN), str(missing), str(SEED_000))
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 3 and out.exit_code == 2
    assert lines[1]["source"]["path"] == str(missing) and lines[1]["error"]["code"].startswith("VB1")
    assert lines[0]["findings"] == [] and lines[2]["findings"]


def test_output_file_and_markdown(tmp_path) -> None:
    target = tmp_path / "bao-cao.md"
    out = invoke("check", "--format", "md", "--output", str(target), "--fail-on", "never", str(SEED_000))
    assert out.exit_code == 0, out.output
    text = target.read_text(encoding="utf-8")
    assert "HDR-NUMBER" in text and "CIT-EXPIRED" in text


def test_several_html_reports_need_a_directory(tmp_path) -> None:
    out = invoke("check", "--format", "html", str(CLEAN), str(SEED_000))
    assert out.exit_code == 2 and "--output" in out.output
    out = invoke("check", "--format", "html", "--output", str(tmp_path / "html"), "--fail-on", "never",
                 str(CLEAN), str(SEED_000))
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in (tmp_path / "html").iterdir()) == ["000_9102743bf23a6ab0.html", "state-plan.html"]


def test_terminal_report_in_english() -> None:
    out = invoke("check", "--lang", "en", "--fail-on", "never", str(SEED_000))
    assert out.exit_code == 0
    assert "HDR-NUMBER" in out.stdout and "The number and symbol are missing" in out.stdout


def test_real_process_exit_codes() -> None:
    ok = subprocess.run([*VANBAN, "check", "-f", "json", str(CLEAN)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*VANBAN, "check", "-f", "json", str(SEED_000)], capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


# ------------------------------------------------------------------ regs


def test_regs_show_one_document_and_a_shared_symbol() -> None:
    out = invoke("regs", "show", "04/2015/NĐ-CP")
    assert out.exit_code == 0 and "đã được thay thế từ 01/07/2023" in out.stdout and "10/2022/QH15" in out.stdout
    both = invoke("regs", "show", "124-QĐ/TW", "--json")
    assert [e["key"] for e in json.loads(both.stdout)] == ["124-QĐ/TW@2018", "124-QĐ/TW@2023"]
    missing = invoke("regs", "show", "25-NQ/T")
    assert missing.exit_code == 1 and "25-NQ/TW" in missing.output


def test_regs_list_filters_and_formats() -> None:
    data = json.loads(invoke("regs", "list", "--status", "replaced", "--format", "json").stdout)
    assert data and {e["status"] for e in data} == {"replaced"}
    csv_out = invoke("regs", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("key,type,number,symbol") and len(csv_out) > 30


def test_regs_import_then_check_uses_it(tmp_path) -> None:
    src = tmp_path / "them.csv"
    src.write_text("key,symbol,date,status,status_date,replaced_by\n"
                   "76/NQ-CP,76/NQ-CP,2021-07-15,replaced,2024-01-01,01/NQ-CP\n", encoding="utf-8")
    out = invoke("regs", "import", str(src))
    assert out.exit_code == 0 and "cập nhật 1" in out.stdout
    report = json.loads(invoke("check", "-f", "json", str(CLEAN)).stdout)
    assert [(f["rule"], f["subject"]) for f in report["findings"]] == [("CIT-EXPIRED", "76/NQ-CP")]
    bad = tmp_path / "bad.csv"
    bad.write_text("key,symbol,status\n76/NQ-CP,76/NQ-CP,gone\n", encoding="utf-8")
    out = invoke("regs", "import", str(bad))
    assert out.exit_code == 2 and "dòng 2" in out.output
