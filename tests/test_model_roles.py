"""The section-role model: training on the tiny sample, loading, pure-Python prediction, fallback."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from vanban.extractor.errors import ModelError
from vanban.extractor.sections import role_of
from vanban.models import artifact, roles
from vanban.models.roles import RoleModel, features, fold_title

from tests.paths import SEEDS
from vanban.api import extract

SHIPPED = Path(roles.__file__).resolve().parent / "data" / "roles.json"
TITLES = ["TỔ CHỨC THỰC HIỆN", "Mục đích, yêu cầu", "Kinh phí thực hiện", "Thời gian thực hiện",
          "NỘI DUNG", "Sở Xây dựng", "Giao Sở Tư pháp", "Tiến độ thực hiện", "Nhiệm vụ, giải pháp"]


@pytest.fixture
def fresh_models() -> Iterator[None]:
    """Forget every loaded artifact and warning before and after the test."""
    artifact.clear_cache()
    yield
    artifact.clear_cache()


def _envelope(payload: dict[str, object], *, in_use: bool) -> dict[str, object]:
    return {"format": artifact.FORMAT, "name": "roles", "version": 1, "description": "test",
            "data": {}, "scores": {}, "in_use": in_use, "decision": "test", "payload": payload}


# --------------------------------------------------------------------------- features


def test_folding_keeps_only_the_words() -> None:
    assert fold_title("“TỔ CHỨC THỰC HIỆN”:") == "to chuc thuc hien"
    assert fold_title("Đối tượng, thời gian") == "doi tuong thoi gian"


def test_features_have_unit_length_and_name_the_opening_words() -> None:
    f = features("Mục đích, yêu cầu")
    assert sum(v * v for v in f.values()) == pytest.approx(1.0)
    assert {"f1:muc", "f2:muc dich", "l1:cau", "w:yeu", "b:dich yeu", "c: mu"} <= set(f)
    assert features("") == {"empty": 1.0}


# --------------------------------------------------------------------------- training


def test_tiny_training_run() -> None:
    from vanban.models.train import build

    built = build("roles", tiny=True)
    held = built["scores"]["heldout"]
    assert set(held) >= {"rules", "model", "shipped"}
    assert set(held["rules"]) == set(held["model"]) == set(held["shipped"])
    assert held["rules"]["titles"] > 0 and built["data"]["examples"] > 0
    assert built["data"]["heldout"] == ["033", "s001"]
    model = RoleModel.from_payload(built["payload"])
    assert model.predict("TỔ CHỨC THỰC HIỆN")[0] == "implementation"
    # in use only when the shipped combination did better than the rules on held-out titles
    if built["in_use"]:
        assert held["shipped"]["accuracy"] > held["rules"]["accuracy"]
    assert artifact.dumps(built) == artifact.dumps(json.loads(artifact.dumps(built)))


def test_payload_applied_in_python_agrees_with_sklearn() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from vanban.models.train_roles import Example, fit, pruned

    rows = [("Mục đích, yêu cầu", "purpose"), ("MỤC TIÊU", "purpose"), ("Nội dung", "content"),
            ("Nhiệm vụ, giải pháp", "content"), ("Tổ chức thực hiện", "implementation"),
            ("Trách nhiệm của các sở", "implementation"), ("Kinh phí", "funding"),
            ("Nguồn kinh phí thực hiện", "funding"), ("Thời gian thực hiện", "timeline"),
            ("Tiến độ", "timeline"), ("Sở Xây dựng", "other"), ("Cấp xã", "other")]
    examples = [Example("x", t, r, "hand", "other") for t, r in rows]
    for labels in (None, ["other", "purpose"]):  # six classes, then two (sklearn's binary form)
        ex = examples if labels is None else [e for e in examples if e.label in labels]
        ours = fit(ex, c=10.0, hand_weight=1.0)
        vec = DictVectorizer(sort=True)
        x = vec.fit_transform([features(e.title) for e in ex])
        clf = LogisticRegression(C=10.0, max_iter=5000).fit(x, [e.label for e in ex])
        probe = ["Mục đích", "Tổ chức triển khai thực hiện", "Kinh phí thực hiện", "Cấp tỉnh", "Lộ trình"]
        want = clf.predict_proba(vec.transform([features(t) for t in probe]))
        for title, row in zip(probe, want, strict=True):
            got = ours.probabilities(title)
            assert [got[str(c)] for c in clf.classes_] == pytest.approx(list(row), abs=1e-6)
        small = RoleModel.from_payload(json.loads(json.dumps({
            "classes": list(pruned(ours, 0.5).classes), "intercept": list(pruned(ours, 0.5).intercept),
            "threshold": 0.5, "weights": {k: list(v) for k, v in pruned(ours, 0.5).weights.items()}})))
        assert [small.predict(t)[0] for t in probe] == list(clf.predict(vec.transform([features(t) for t in probe])))


# --------------------------------------------------------------------------- the shipped artifact


def test_shipped_artifact_loads_and_predicts() -> None:
    art = artifact.read(SHIPPED, "roles")
    model = artifact.build(art, roles.RoleModel.from_payload)
    assert art.scores["heldout"]["rules"]["titles"] >= 60
    assert model.predict("TỔ CHỨC THỰC HIỆN")[0] == "implementation"
    assert model.predict("Mục đích, yêu cầu")[0] == "purpose"
    assert model.predict("Kinh phí thực hiện")[0] == "funding"
    assert model.predict("Sở Xây dựng")[0] == "other"
    assert sum(model.probabilities("Nội dung").values()) == pytest.approx(1.0)
    # the rules' role stands whenever the rules found one
    assert model.fallback("Thời gian thực hiện", "content") == "content"
    if not art.in_use:
        assert art.payload["threshold"] > 1.0 or "not used" in art.decision


def test_a_model_in_use_can_give_other_titles_a_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       fresh_models: None) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["in_use"] = True
    data["payload"]["threshold"] = 0.0  # every "other" title takes the model's best role
    (tmp_path / "roles.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    assert roles.fallback_role("Hạn chót nộp hồ sơ", "other") != "other"
    assert roles.fallback_role("Nội dung", "content") == "content"


# --------------------------------------------------------------------------- broken artifacts


def test_corrupted_artifact_is_a_model_error_and_the_rules_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  fresh_models: None) -> None:
    bad = tmp_path / "roles.json"
    bad.write_bytes(SHIPPED.read_bytes()[:5000])  # cut short, as a failed copy would leave it
    with pytest.raises(ModelError) as err:
        artifact.read(bad, "roles")
    assert str(bad) in str(err.value) and err.value.code == "VB500"
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    with pytest.warns(RuntimeWarning, match="roles.json"):
        assert roles.load_model() is None
    assert roles.fallback_role("Sở Xây dựng", "other") == "other"
    seed = sorted(SEEDS.glob("*.txt"))[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sections = extract(seed).all_sections()
    assert sections and all(s.role == role_of(s.title) for s in sections)


def test_payload_of_the_wrong_shape_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    fresh_models: None) -> None:
    path = tmp_path / "roles.json"
    path.write_text(json.dumps(_envelope({"classes": ["purpose", "nonsense"], "intercept": [0, 0],
                                          "threshold": 0.5, "weights": {}}, in_use=True)), encoding="utf-8")
    with pytest.raises(ModelError, match="model payload cannot be used") as err:
        artifact.build(artifact.read(path, "roles"), roles.RoleModel.from_payload)
    assert str(path) in str(err.value)
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    with pytest.warns(RuntimeWarning, match="roles.json"):
        assert roles.fallback_role("Hạn chót nộp hồ sơ", "other") == "other"
