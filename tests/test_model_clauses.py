"""The clause-type model: splitting, training on the tiny sample, loading, prediction, fallback."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from vanban.extractor.errors import ModelError
from vanban.models import artifact, clauses
from vanban.models.clauses import LABELS, ClauseModel, classify, features, labels_of, rule_labels, split

from tests.paths import SEEDS
from vanban.api import extract

SHIPPED = artifact.DATA / "clauses.json"


@pytest.fixture
def fresh_models(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(artifact, "_warned", set())
    monkeypatch.setattr(clauses, "_loaded", {})
    artifact.clear_cache()
    yield
    artifact.clear_cache()


# --------------------------------------------------------------------------- splitting

PLAN = """II. NỘI DUNG
1. Tuyên truyền sâu rộng trong cán bộ,
đảng viên và Nhân dân; phấn đấu 100% chi bộ quán triệt Nghị quyết.
- Phấn đấu không để xảy ra khiếu kiện đông người. Hoàn thành trước Tết Nguyên đán.
a) TP. Hồ Chí Minh tổ chức hội nghị sơ kết;
**2.1.** Thời gian thực hiện: Quý III/2026
"""


def test_split_offsets_index_the_text() -> None:
    got = split(PLAN)
    assert all(PLAN[c.start:c.end] == c.text for c in got)
    assert [c.text for c in got] == [
        "NỘI DUNG",
        "Tuyên truyền sâu rộng trong cán bộ,\nđảng viên và Nhân dân",  # a wrapped line stays joined
        "phấn đấu 100% chi bộ quán triệt Nghị quyết",
        "Phấn đấu không để xảy ra khiếu kiện đông người",
        "Hoàn thành trước Tết Nguyên đán",
        "TP. Hồ Chí Minh tổ chức hội nghị sơ kết",  # "TP." ends nothing
        "Thời gian thực hiện: Quý III/2026",
    ]


def test_split_of_a_range_keeps_document_offsets() -> None:
    start = PLAN.index("- Phấn")
    got = split(PLAN, start, PLAN.index("a)"))
    assert [c.start for c in got] == [PLAN.index("Phấn đấu không"), PLAN.index("Hoàn thành")]
    assert split("") == [] and split("1.\n- ;  .\n") == []


def test_features_fold_digits_and_name_the_opening_words() -> None:
    f = features("Phấn đấu 100% xã đạt chuẩn")
    assert {"f:0:phan", "f:1:dau", "w:0", "has:%", "has:0", "b:dau 0", "c: xa "} <= set(f)
    assert f == sorted(set(f))
    assert features("Phấn đấu 95% xã đạt chuẩn") == f  # every number is the same feature


# --------------------------------------------------------------------------- training


def test_tiny_training_run() -> None:
    from vanban.models.train import build

    built = build("clauses", tiny=True)
    held = built["scores"]["heldout"]
    assert set(held) >= {"rules", "model", "shipped"}
    assert set(held["rules"]) == set(held["model"]) == set(held["shipped"])
    assert held["clauses"] > 0 and built["data"]["examples"] > 100
    assert built["data"]["heldout"] == ["033", "s001"]
    assert built["in_use"] is False and "classify" in built["decision"]
    model = ClauseModel.from_payload(built["payload"])
    assert sum(model.probabilities("Tổ chức hội nghị quán triệt").values()) == pytest.approx(1.0)
    assert artifact.dumps(built) == artifact.dumps(json.loads(artifact.dumps(built)))


# --------------------------------------------------------------------------- the shipped artifact


def test_shipped_artifact_loads_and_predicts(fresh_models: None) -> None:
    art = artifact.read(SHIPPED, "clauses")
    assert not art.in_use and artifact.active("clauses") is None  # extraction keeps the rules
    assert SHIPPED.stat().st_size < 2_000_000
    held = art.scores["heldout"]
    assert held["clauses"] == 200 and set(held["labels"]) == set(LABELS)
    model = clauses.load()
    assert model.predict("Thời gian thực hiện: Quý III năm 2026")[0] == "deadline"
    assert model.predict("UBND tỉnh Quảng Ninh")[0] == "other"
    got = classify(PLAN)
    assert [g.clause for g in got] == split(PLAN)
    assert all(g.label in LABELS and 0 < g.probability <= 1 for g in got)


def test_labels_of_keeps_every_rule_label(fresh_models: None) -> None:
    docs = [extract(p) for p in sorted(SEEDS.glob("*.txt"))]
    doc = next(d for d in docs if {"target", "deadline", "task"} <= {r.label for r in rule_labels(d)})
    rules = rule_labels(doc)
    both = labels_of(doc)
    assert [b.clause for b in both] == [r.clause for r in rules]
    assert all(b.label == r.label for b, r in zip(both, rules, strict=True) if r.label != "other")


# --------------------------------------------------------------------------- broken artifacts


def test_corrupted_artifact_is_a_model_error_and_the_rules_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  fresh_models: None) -> None:
    bad = tmp_path / "clauses.json"
    bad.write_bytes(SHIPPED.read_bytes()[:5000])  # cut short, as a failed copy would leave it
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelError) as err:
        classify(PLAN)
    assert str(bad) in str(err.value) and err.value.code == "VB500"
    doc = extract(sorted(SEEDS.glob("*.txt"))[0])
    with pytest.warns(RuntimeWarning, match="clauses.json"):
        got = labels_of(doc)
    assert got == rule_labels(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # extraction never reads the file
        assert extract(sorted(SEEDS.glob("*.txt"))[0]).targets == doc.targets


def test_payload_of_the_wrong_shape_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    fresh_models: None) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["payload"]["classes"] = ["task", "target", "nonsense", "other"]
    path = tmp_path / "clauses.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="clauses model payload") as err:
        clauses.load()
    assert str(path) in str(err.value)
    monkeypatch.delenv("VANBAN_MODELS_DIR")
    assert clauses.load().classes == LABELS  # the shipped file is read again
