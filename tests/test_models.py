"""The statistical models: the document type of a body whose header names none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from vanban.extractor.errors import ModelError
from vanban.extractor.model import Role
from vanban.models import artifact, doctype
from vanban.models.doctype import Cues, DocTypeModel, features, fold_body, infer_type, self_naming

from tests.model_support import switched_on
from tests.paths import FIXTURES, SEEDS
from vanban.api import extract

HERE = FIXTURES / "models"
CUES = Path(doctype.__file__).resolve().parent / "data" / "doctype_cues.yaml"


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from switched_on("doctype", tmp_path, monkeypatch)


# --------------------------------------------------------------------------- cues


def test_every_genre_cue_example_matches_its_pattern() -> None:
    import re

    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))
    for g in data["genre"]:
        for ex in g["examples"]:
            assert re.search(g["pattern"], fold_body(ex)), (g["name"], ex)


def test_self_reference_examples_count_for_their_type() -> None:
    data = yaml.safe_load(CUES.read_text(encoding="utf-8"))
    types = ["Kế hoạch", "Quyết định", "Quy định"]
    cues = Cues.from_dict(data, types)
    for ex in data["self_reference"]["examples"]:
        x = features(fold_body(ex["text"]), cues)
        i = types.index(ex["type"])
        got = x[2 * i] if ex["cue"] == "this" else x[2 * i + 1]
        assert got > 0, ex
        # "Quy định" is a prefix of nothing here, and "Quyết định này" must not count for it.
        others = [x[2 * j] + x[2 * j + 1] for j in range(len(types)) if j != i]
        assert not any(others), ex
        assert self_naming(fold_body(ex["text"])) == ex["type"]


def test_self_naming_prefers_the_longest_type_name_and_the_closing() -> None:
    assert self_naming(fold_body("Bộ luật này có hiệu lực từ ngày 01/01/2026.")) == "Bộ luật"
    text = "thực hiện Quyết định này. Trên đây là Kế hoạch của xã. Quyết định này"
    assert self_naming(fold_body(text)) == "Kế hoạch"  # a closing counts three times
    assert self_naming(fold_body("Căn cứ Luật Tổ chức chính quyền địa phương")) is None


def test_shipped_artifact_fits_its_features() -> None:
    art = artifact.read(artifact.path_of("doctype", artifact.DATA), "doctype")
    data = art.payload
    width = len(data["features"])
    assert all(len(row) == width for row in data["coef"])
    assert len(data["intercept"]) == len(data["classes"]) == len(data["coef"])
    assert set(data["classes"]) <= set(data["cue_types"])
    assert 0.3 <= data["threshold"] < 1
    held = art.scores["heldout"]
    assert {"rules", "model", "shipped"} <= set(held)
    assert all(held[k]["documents"] == len(art.data["heldout"]) for k in ("rules", "model", "shipped"))


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize(
    ("name", "expected", "code"),
    [
        ("headerless_decision.txt", "Quyết định", "QĐ"),
        ("headerless_plan.txt", "Kế hoạch", "KH"),
    ],
)
def test_headerless_body_that_names_itself_gets_an_inferred_type(name: str, expected: str, code: str | None) -> None:
    h = extract(HERE / name).document
    assert h.type == expected
    assert h.type_code == code
    assert "type" in h.inferred
    assert h.type_span is None


def test_a_body_that_never_names_itself_gets_the_models_guess(models_dir: Path) -> None:
    body = (HERE / "headerless_letter.txt").read_text(encoding="utf-8")
    assert self_naming(fold_body(body)) is None
    got = infer_type(body)
    assert got is not None and got[0] == "Công văn"
    h = extract(body.encode("utf-8"), name="letter.txt").document
    assert h.type == "Công văn" and "type" in h.inferred


def test_the_shipped_decision_governs_the_guess() -> None:
    art = artifact.read(artifact.path_of("doctype", artifact.DATA), "doctype")
    body = (HERE / "headerless_letter.txt").read_text(encoding="utf-8")
    model = DocTypeModel.from_dict(art.payload)
    want = model.infer(body) if art.in_use else None
    assert infer_type(body) == want


def test_type_read_from_the_header_is_not_marked_inferred() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        h = extract(path).document
        assert h.type == "Kế hoạch", path.name
        assert "type" not in h.inferred, path.name


def test_too_little_or_cueless_text_gets_no_type() -> None:
    assert infer_type("Kế hoạch này") is None  # too short to judge
    prose = (
        "Sáng nay trời mưa nhẹ, đường phố đông người qua lại. Nhiều cửa hàng mở cửa sớm để đón "
        "khách, các quán cà phê ven hồ chật kín người ngồi trò chuyện. Buổi chiều nắng lên, không "
        "khí trở nên dễ chịu hơn, trẻ em ra công viên chơi đùa cùng gia đình. "
    )
    assert infer_type(prose * 3) is None


def test_a_body_that_names_itself_gets_that_type() -> None:
    body = ("Các đơn vị tổ chức quán triệt, triển khai thực hiện Chỉ thị này đến toàn thể cán bộ. "
            "Giao Văn phòng theo dõi, đôn đốc việc thực hiện Chỉ thị này và báo cáo kết quả. ") * 3
    got = infer_type(body)
    assert got is not None and got[0] == "Chỉ thị"


@pytest.mark.parametrize("garbage", [b"\xff\xfe\x00garbage", b"{not json", b'{"format": "other/1"}'])
def test_a_corrupted_artifact_is_named_and_the_rules_answer(models_dir: Path, garbage: bytes) -> None:
    path = models_dir / "doctype.json"
    path.write_bytes(garbage)
    artifact.clear_cache()
    with pytest.raises(ModelError) as err:
        artifact.read(path, "doctype")
    assert str(path) in str(err.value)
    letter = (HERE / "headerless_letter.txt").read_text(encoding="utf-8")
    with pytest.warns(RuntimeWarning, match="doctype.json"):
        assert infer_type(letter) is None  # the model would say Công văn; the rule says nothing
    plan = (HERE / "headerless_plan.txt").read_text(encoding="utf-8")
    assert infer_type(plan) == ("Kế hoạch", 1.0)  # the self-naming rule still answers
    h = extract(letter.encode("utf-8"), name="letter.txt").document
    assert h.type is None and "type" not in h.inferred


def test_a_wrong_format_key_is_refused(models_dir: Path) -> None:
    path = models_dir / "doctype.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = "vanban-model/0"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="vanban-model/0") as err:
        artifact.read(path, "doctype")
    assert str(path) in str(err.value)
    with pytest.warns(RuntimeWarning):
        assert artifact.active("doctype") is None


def test_a_missing_artifact_leaves_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    artifact.clear_cache()
    try:
        assert doctype.load_model() is None
        letter = (HERE / "headerless_letter.txt").read_text(encoding="utf-8")
        assert infer_type(letter) is None
    finally:
        artifact.clear_cache()


def test_inference_does_not_import_scikit_learn(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from vanban.models.doctype import infer_type\n"
        "from vanban.models.family import infer_family\n"
        f"text = open({str(HERE / 'headerless_plan.txt')!r}, encoding='utf-8').read()\n"
        "print(infer_type(text))\n"
        "infer_family(text * 3)\n"
        "print('sklearn' in sys.modules, 'numpy' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "VANBAN_MODELS_DIR"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True, env=env)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("('Kế hoạch'")
    assert lines[-1] == "False False"


# --------------------------------------------------------------------------- training


def test_training_on_the_tiny_sample_gives_a_readable_artifact(tmp_path: Path) -> None:
    from vanban.models.train import build

    text = artifact.dumps(build("doctype", tiny=True))
    assert artifact.dumps(build("doctype", tiny=True)) == text  # deterministic
    path = tmp_path / "doctype.json"
    path.write_text(text, encoding="utf-8")
    art = artifact.read(path, "doctype")
    assert art.data["heldout"] and art.data["documents"] >= 1
    assert {"rules", "model", "shipped"} <= set(art.scores["heldout"])
    model = DocTypeModel.from_dict(art.payload)
    got = model.infer((HERE / "headerless_plan.txt").read_text(encoding="utf-8"))
    assert got is not None and got[0] == "Kế hoạch"


def test_shipped_artifact_records_its_provenance() -> None:
    art = artifact.read(artifact.path_of("doctype", artifact.DATA), "doctype")
    assert len(art.data_sha256) == 64
    assert "033" in art.data["heldout"] and art.data["documents"] + len(art.data["heldout"]) == 80
    assert isinstance(art.in_use, bool) and art.decision


# --------------------------------------------------------------------------- section roles gold


def test_section_role_gold_is_well_formed() -> None:
    data = yaml.safe_load((Path(doctype.__file__).resolve().parent / "labels" / "section_roles.yaml").read_text(encoding="utf-8"))
    roles = set(Role.__args__)  # type: ignore[attr-defined]
    titles = data["titles"]
    assert len(titles) == 150
    assert all(t["role"] in roles and t["title"].strip() for t in titles)
    assert len({t["title"] for t in titles}) == len(titles)
