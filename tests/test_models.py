"""The statistical models: the document type of a body whose header names none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from vanban.extractor.model import Role
from vanban.models import doctype
from vanban.models.doctype import Cues, features, fold_body, infer_type, load_model

from tests.paths import FIXTURES, REAL, SEEDS
from vanban.api import extract

HERE = FIXTURES / "models"
CUES = Path(doctype.__file__).resolve().parent / "data" / "doctype_cues.yaml"


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


def test_shipped_model_fits_its_features() -> None:
    data = json.loads(doctype.MODEL.read_text(encoding="utf-8"))
    width = len(data["features"])
    assert all(len(row) == width for row in data["coef"])
    assert len(data["intercept"]) == len(data["classes"]) == len(data["coef"])
    assert set(data["classes"]) <= set(data["cue_types"])
    assert 0.3 <= data["threshold"] < 1


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize(
    ("name", "expected", "code"),
    [
        ("headerless_letter.txt", "Công văn", None),
        ("headerless_decision.txt", "Quyết định", "QĐ"),
        ("headerless_plan.txt", "Kế hoạch", "KH"),
    ],
)
def test_headerless_body_gets_an_inferred_type(name: str, expected: str, code: str | None) -> None:
    h = extract(HERE / name).document
    assert h.type == expected
    assert h.type_code == code
    assert "type" in h.inferred
    assert h.type_span is None


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


def test_extraction_goes_on_without_the_model_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise OSError("doctype.json: no such file")

    monkeypatch.setattr(doctype, "load_model", broken)
    text = (HERE / "headerless_letter.txt").read_text(encoding="utf-8")
    h = extract(text.encode("utf-8"), name="letter.txt").document
    assert h.type is None
    assert "type" not in h.inferred


def test_inference_does_not_import_scikit_learn(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from vanban.models.doctype import infer_type\n"
        f"print(infer_type(open({str(HERE / 'headerless_plan.txt')!r}, encoding='utf-8').read()))\n"
        "print('sklearn' in sys.modules, 'numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("('Kế hoạch'")
    assert lines[-1] == "False False"


# --------------------------------------------------------------------------- retraining


@pytest.mark.slow
@pytest.mark.skipif(not (REAL / "SOURCES.md").is_file(), reason="shared/corpus/real is not beside the checkout")
def test_retraining_reproduces_the_shipped_model() -> None:
    pytest.importorskip("sklearn")
    from vanban.models.train_doctype import load_corpus, train

    shipped = load_model()
    samples = load_corpus(REAL.parent)
    assert len(samples) >= 75
    fresh = doctype.DocTypeModel.from_dict(train(samples, threshold=shipped.threshold))
    assert fresh.classes == shipped.classes
    for a, b in zip(fresh.coef, shipped.coef, strict=True):
        assert a == pytest.approx(b, abs=1e-4)
    for s in samples[::4]:
        got, p = fresh.predict(s.body)
        want, q = shipped.predict(s.body)
        assert got == want, s.id
        assert p == pytest.approx(q, abs=1e-4)


# --------------------------------------------------------------------------- section roles gold


def test_section_role_gold_is_well_formed() -> None:
    data = yaml.safe_load((HERE / "section_roles_gold.yaml").read_text(encoding="utf-8"))
    roles = set(Role.__args__)  # type: ignore[attr-defined]
    titles = data["titles"]
    assert len(titles) == 150
    assert all(t["role"] in roles and t["title"].strip() for t in titles)
    assert len({t["title"] for t in titles}) == len(titles)
