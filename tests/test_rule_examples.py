"""Every rule of every shipped pack carries a document it fires on and one it passes, and does so.

The examples are small plans (the clean ones in rules/packs/examples/ with one defect edited in)
run through the whole pipeline: extraction, then the engine with the packs chosen for the
document's family. A rule that silently stops firing, or starts firing on clean text, fails here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from vanban.rules.checks import CHECKS
from vanban.rules.engine import check
from vanban.rules.packs import PACK_DIR, Example, Rule, builtin_packs

import vanban

SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "rules.md"

RULES = [(name, rule) for name, pack in builtin_packs().items() for rule in pack.rules]


def _run(rule: Rule, ex: Example):
    text = ex.render(rule.pack_dir)
    doc = vanban.extract(text.encode("utf-8"), name="example.txt")
    if ex.format:
        doc = replace(doc, source=replace(doc.source, format=ex.format))
    report = check(doc)
    return [f for f in (*report.findings, *report.manual_checks)
            if f.rule == rule.id and f.pack in (rule.pack, "party+state")]


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=[f"{p}:{r.id}" for p, r in RULES])
def test_rule_has_examples_both_ways(pack: str, rule: Rule) -> None:
    assert rule.fires, f"{rule.origin}: {rule.id} has no example it fires on"
    assert rule.passes, f"{rule.origin}: {rule.id} has no example it passes"
    assert rule.basis, f"{rule.origin}: {rule.id} states no legal basis"
    assert rule.message_en, f"{rule.origin}: {rule.id} has no English message"


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=[f"{p}:{r.id}" for p, r in RULES])
def test_rule_fires_on_its_examples(pack: str, rule: Rule) -> None:
    for ex in rule.fires:
        assert _run(rule, ex), f"{ex.origin}: {rule.id} did not fire"


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=[f"{p}:{r.id}" for p, r in RULES])
def test_rule_passes_its_examples(pack: str, rule: Rule) -> None:
    for ex in rule.passes:
        found = _run(rule, ex)
        assert not found, f"{ex.origin}: {rule.id} fired: {[f.message for f in found]}"


@pytest.mark.parametrize("base", ["state-plan", "party-plan"])
def test_clean_examples_have_no_finding_at_all(base: str) -> None:
    text = Example(base=base).render(PACK_DIR)
    doc = vanban.extract(text.encode("utf-8"), name=f"{base}.txt")
    assert check(doc).findings == ()


@pytest.mark.skipif(not SPEC.is_file(), reason="the shared rule catalog is not beside the checkout")
def test_every_catalog_rule_is_implemented() -> None:
    catalog = set(re.findall(r"^\| ([A-Z]+(?:-[A-Z]+)+) \|", SPEC.read_text(encoding="utf-8"), re.MULTILINE))
    shipped = {r.id for _, r in RULES}
    assert catalog, "no rule ids found in rules.md"
    assert catalog <= shipped, sorted(catalog - shipped)


def test_every_check_family_is_used_by_a_shipped_rule() -> None:
    used = {r.check for _, r in RULES}
    assert set(CHECKS) <= used, sorted(set(CHECKS) - used)
