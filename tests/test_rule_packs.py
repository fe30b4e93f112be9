"""Rule packs are validated strictly: every problem is reported with file, line, rule and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from vanban.extractor.errors import RulePackError, UsageError
from vanban.rules.engine import check
from vanban.rules.packs import build_ruleset, builtin_packs, read_pack

from tests.factories import state_doc


def write(tmp_path: Path, text: str, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(RulePackError) as err:
        build_ruleset([path])
    return str(err.value)


def test_shipped_packs_load() -> None:
    packs = builtin_packs()
    assert {"common", "party", "state"} <= set(packs)
    assert packs["party"].family == "party" and packs["state"].family == "state"


def test_unknown_key_names_file_line_rule_and_suggests(tmp_path) -> None:
    path = write(tmp_path, """pack: mine
rules:
  - id: SEC-FUNDING
    check: sections.required
    severty: warning
    message: "Thiếu kinh phí"
""")
    msg = load_error(path)
    assert f"{path}:5" in msg and "SEC-FUNDING" in msg and "'severty'" in msg and "'severity'" in msg


def test_bad_severity_and_unknown_check_family(tmp_path) -> None:
    path = write(tmp_path, """pack: mine
rules:
  - id: SEC-FUNDING
    check: sections.requird
    severity: warning
    message: "x"
  - id: SEC-OTHER
    check: sections.required
    severity: fatal
    params: {role: funding}
    message: "x"
""")
    msg = load_error(path)
    assert "sections.requird" in msg and "'sections.required'" in msg  # did you mean
    assert "'fatal'" in msg and "error, warning, info" in msg
    assert msg.count("\n") >= 2  # both problems at once


def test_unknown_param_and_placeholder(tmp_path) -> None:
    path = write(tmp_path, """pack: mine
rules:
  - id: SEC-FUNDING
    check: sections.required
    severity: warning
    params: {role: funding, titel: [kinh phí]}
    message: "Thiếu {prat}"
""")
    msg = load_error(path)
    assert "'titel'" in msg and "'titles'" in msg
    assert "{prat}" in msg and "'part'" in msg


def test_override_of_an_unknown_rule_suggests_the_right_id(tmp_path) -> None:
    msg = load_error(write(tmp_path, "pack: mine\nrules:\n  - id: SEC-PURPOS\n    severity: info\n"))
    assert "SEC-PURPOS" in msg and "'SEC-PURPOSE'" in msg


def test_invalid_yaml_names_the_line(tmp_path) -> None:
    msg = load_error(write(tmp_path, "pack: mine\nrules:\n  - id: [unclosed\n"))
    assert "pack.yaml:" in msg and "YAML" in msg


def test_missing_pack_file_and_unknown_builtin_name(tmp_path) -> None:
    with pytest.raises(RulePackError, match="không tìm thấy"):
        read_pack(tmp_path / "nope.yaml")
    with pytest.raises(RulePackError, match="party"):
        read_pack("partie")


def test_user_pack_adds_a_rule_a_province_demands(tmp_path) -> None:
    path = write(tmp_path, """pack: tinh
rules:
  - id: SEC-FUNDING
    check: sections.required
    severity: warning
    types: [KH]
    params: {role: funding, titles: [kinh phí]}
    message: "Kế hoạch thiếu phần {part}."
    basis: "Hướng dẫn của UBND tỉnh"
""")
    found = [f for f in check(state_doc(), packs=[path]).findings if f.rule == "SEC-FUNDING"]
    assert len(found) == 1 and found[0].message == "Kế hoạch thiếu phần kinh phí." and found[0].pack == "tinh"


def test_user_pack_overrides_severity_params_and_switches_off(tmp_path) -> None:
    path = write(tmp_path, """pack: mine
rules:
  - id: TGT-MISSING
    severity: error
  - id: SEC-PURPOSE
    enabled: false
""")
    from dataclasses import replace

    doc = replace(state_doc(state_doc().text.replace("I. MỤC ĐÍCH, YÊU CẦU\n\n", "")), targets=())
    rules = {f.rule: f.severity for f in check(doc, packs=[path]).findings}
    assert rules.get("TGT-MISSING") == "error" and "SEC-PURPOSE" not in rules


def test_disable_and_severity_options_are_validated() -> None:
    with pytest.raises(UsageError, match="SEC-PURPOSE"):
        check(state_doc(), disable=["SEC-PURPOS"])
    with pytest.raises(UsageError, match="warning"):
        check(state_doc(), severity={"SEC-PURPOSE": "warnig"})
    from dataclasses import replace

    doc = replace(state_doc(), targets=())
    assert [f.severity for f in check(doc, severity={"TGT-MISSING": "error"}).findings] == ["error"]
    assert check(doc, disable=["TGT-MISSING"]).findings == ()
