"""Planted defects: one defect edited into a real plan must be reported, and the unedited plan must
raise only the findings reviewed as real defects of its source.

The defects come from tests/defects.py (general edits: drop a section, break a date, renumber a
heading, cite a document in the other family's style …). A representative subset runs over the
seeds on every test run; over the shared corpus's real plans it runs when the corpus is beside the
checkout (marked slow). ``bench/defects_eval.py`` runs every mutation over every document and
prints the misses.

Detection counts a defect as found when its rule newly fires with the planted subject; a document
whose original already has that very finding is not counted (there was nothing new to find).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from vanban.rules.engine import check

import vanban
from tests.defects import BY_NAME, Mutation, subject_matches
from tests.paths import FIXTURES, REAL, SEEDS

CLEAN = FIXTURES / "defects" / "clean_findings.yaml"
IGNORED = {"CIT-UNKNOWN"}  # the registry's coverage, not the document
# The plans of the shared corpus (SOURCES.md lists each document's type).
REAL_PLANS = [f"{n:03d}.txt" for n in [*range(1, 8), 13, 14, *range(30, 43), *range(54, 60)]]
THRESHOLD = 0.95

# One or two edits per rule; tests/defects.py has more of each kind.
SUBSET = [
    "sec_drop_purpose", "sec_drop_content", "sec_drop_implementation", "sec_swap_purpose_content",
    "sec_roman_gap", "sec_arabic_repeat", "sec_para_gap",
    "cit_date_31_4", "cit_date_future", "cit_conflict_added", "cit_symbol_style", "cit_type_word",
    "cit_year_mismatch", "cit_drop_date", "cit_drop_issuer",
    "hdr_drop_motto", "hdr_drop_issuer", "hdr_drop_number", "hdr_symbol_style", "hdr_date_29_2",
    "hdr_drop_date", "hdr_date_numeric", "hdr_date_no_comma", "hdr_drop_title",
    "sig_drop", "sig_drop_position_only", "sig_authority_style", "rcp_drop", "rcp_drop_archive",
    "dl_past_added", "dl_invalid_31_4", "dl_remove_all", "tgt_remove_all", "asg_strip", "txt_tcvn3",
]


def findings(text: str) -> list[tuple[str, str | None, str]]:
    doc = vanban.extract(text.encode("utf-8"), name="plan.txt")
    return [(f.rule, f.subject, f.message) for f in check(doc).findings if f.rule not in IGNORED]


def detect(paths: Iterable[Path], mutations: list[Mutation]) -> tuple[dict[str, Counter[str]], list[str],
                                                                       dict[str, list[tuple[str, str | None, str]]]]:
    """Per rule: applied / pre (the original had the finding already) / new; the misses; the
    findings on each original."""
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    originals: dict[str, list[tuple[str, str | None, str]]] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        base = findings(text)
        originals[path.name] = base
        before = {(r, s) for r, s, _ in base}
        for m in mutations:
            planted = m.apply(text)
            if planted is None:
                continue
            c = per_rule[m.rule]
            c["applied"] += 1
            hits = [(r, s) for r, s, _ in findings(planted.text)
                    if r == m.rule and subject_matches(s, planted.subject)]
            if any(h not in before for h in hits):
                c["new"] += 1
            elif hits and planted.subject is not None:
                c["pre"] += 1
            else:
                misses.append(f"{m.rule} {m.name} {path.name}: {planted.edit}")
    return per_rule, misses, originals


def assert_detected(per_rule: dict[str, Counter[str]], misses: list[str]) -> None:
    low = {rule: f"{c['new']}/{c['applied'] - c['pre']}" for rule, c in per_rule.items()
           if c["applied"] > c["pre"] and c["new"] / (c["applied"] - c["pre"]) < THRESHOLD}
    assert not low, f"detection below {THRESHOLD:.0%}: {low}; misses: {misses}"


def reviewed() -> dict[str, dict[str, list[dict[str, str]]]]:
    return yaml.safe_load(CLEAN.read_text(encoding="utf-8"))


def assert_only_reviewed(group: str, originals: dict[str, list[tuple[str, str | None, str]]]) -> None:
    """Every finding on a clean original is one reviewed as a real defect of the source."""
    if os.environ.get("VANBAN_REGEN_GOLDEN") == "1":
        _regenerate(group, originals)
    known = reviewed()[group]
    unreviewed = [f"{name}: {e['rule']} {e['subject']}" for name, entries in known.items() for e in entries
                  if e["why"].startswith("UNREVIEWED")]
    assert not unreviewed, f"findings nobody has reviewed in {CLEAN.name}: {unreviewed}"
    alarms = []
    for name, found in originals.items():
        ok = {(e["rule"], e["subject"]) for e in known.get(name, [])}
        alarms += [f"{name}: {r} {s} — {msg}" for r, s, msg in found if (r, s) not in ok]
    assert not alarms, "findings on clean documents that are not reviewed defects of the source:\n" + \
        "\n".join(alarms)


def _regenerate(group: str, originals: dict[str, list[tuple[str, str | None, str]]]) -> None:
    import json

    data = reviewed()
    old = {(name, e["rule"], e["subject"]): e["why"] for name, es in data[group].items() for e in es}
    data[group] = {name: [{"rule": r, "subject": s, "why": old.get((name, r, s), f"UNREVIEWED: {msg[:100]}")}
                          for r, s, msg in found] for name, found in originals.items()}
    head = [ln for ln in CLEAN.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    lines = [*head]
    for g in ("seeds", "real"):
        lines.append(f"{g}:")
        for name, entries in data.get(g, {}).items():
            lines.append(f"  {name}:" + ("" if entries else " []"))
            lines += [f"    - {{rule: {e['rule']}, subject: {json.dumps(e['subject'], ensure_ascii=False)}, "
                      f"why: {json.dumps(e['why'], ensure_ascii=False)}}}" for e in entries]
    CLEAN.write_text("\n".join(lines) + "\n", encoding="utf-8")


SUBSET_MUTATIONS = [BY_NAME[n] for n in SUBSET]


@pytest.fixture(scope="module")
def seeds_run():
    return detect(sorted(SEEDS.glob("*.txt")), SUBSET_MUTATIONS)


def test_the_subset_covers_every_planted_rule() -> None:
    assert {m.rule for m in SUBSET_MUTATIONS} == {m.rule for m in BY_NAME.values()}


def test_defects_planted_in_the_seeds_are_reported(seeds_run) -> None:
    per_rule, misses, _ = seeds_run
    assert sum(c["applied"] for c in per_rule.values()) >= 60  # the seeds take most kinds of edit
    assert_detected(per_rule, misses)


def test_the_unedited_seeds_raise_only_reviewed_findings(seeds_run) -> None:
    assert_only_reviewed("seeds", seeds_run[2])


def test_an_edit_that_does_not_apply_changes_nothing() -> None:
    text = "KẾ HOẠCH\nTriển khai công tác năm 2024\n\nNội dung không có mục nào được đánh số.\n"
    assert BY_NAME["sec_drop_purpose"].apply(text) is None
    assert BY_NAME["cit_date_31_4"].apply(text) is None


@pytest.fixture(scope="module")
def real_run():
    return detect([REAL / n for n in REAL_PLANS if (REAL / n).is_file()], SUBSET_MUTATIONS)


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="shared real corpus not available")
def test_defects_planted_in_real_plans_are_reported(real_run) -> None:
    per_rule, misses, _ = real_run
    assert_detected(per_rule, misses)


@pytest.mark.slow
@pytest.mark.skipif(not REAL.is_dir(), reason="shared real corpus not available")
def test_the_unedited_real_plans_raise_only_reviewed_findings(real_run) -> None:
    assert_only_reviewed("real", real_run[2])
