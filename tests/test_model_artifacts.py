"""The model artifacts as files: what a broken one does, what `vanban --version` says, and that
`python -m models.train` rebuilds them (on the tiny sample CI can afford)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from vanban.extractor.errors import ModelError, VanbanError
from vanban.models import artifact, dataset

from tests.paths import ROOT

VANBAN = Path(sys.executable).with_name("vanban")


def _good(name: str = "roles", **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "format": artifact.FORMAT, "name": name, "version": 3, "description": "test model",
        "data": {"sha256": "ab" * 32, "documents": 2, "examples": 5, "heldout": ["x"]},
        "scores": {"heldout": {"rules": {"acc": 0.5}, "model": {"acc": 0.6}, "shipped": {"acc": 0.6}}},
        "in_use": True, "decision": "wins", "payload": {"w": [1.0]},
    }
    data.update(over)
    return data


def _write(folder: Path, name: str, content: bytes | dict[str, object]) -> Path:
    path = artifact.path_of(name, folder)
    path.write_bytes(content if isinstance(content, bytes) else artifact.dumps(content).encode())
    return path


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    artifact.clear_cache()


def test_a_good_file_reads_back_with_its_provenance(tmp_path: Path) -> None:
    path = _write(tmp_path, "roles", _good())
    art = artifact.read(path, "roles")
    assert (art.name, art.version, art.in_use, art.payload) == ("roles", 3, True, {"w": [1.0]})
    assert art.data_sha256 == "ab" * 32


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x00\xffPK\x03\x04 garbage", "not UTF-8"),
        (b'{"format": "vanban-model/1", "name": ', "not valid JSON (line 1"),
        (b"[1, 2, 3]", "does not hold a JSON object"),
        (_good(format="pickle/0"), "model format 'pickle/0'"),
        (_good(name="units"), "holds 'units', expected 'roles'"),
        ({k: v for k, v in _good().items() if k != "payload"}, "has no 'payload'"),
        (_good(in_use="yes"), "'in_use' is not a bool"),
        (_good(version=True), "'version' is not a int"),
    ],
)
def test_a_broken_file_is_a_model_error_naming_the_file(tmp_path: Path, content: bytes | dict[str, object],
                                                         says: str) -> None:
    path = _write(tmp_path, "roles", content)
    with pytest.raises(ModelError) as err:
        artifact.read(path, "roles")
    assert says in str(err.value)
    assert str(path) in str(err.value)
    assert err.value.code == "VB500"
    assert isinstance(err.value, VanbanError)


def test_active_falls_back_with_one_warning_for_a_broken_file(tmp_path: Path) -> None:
    _write(tmp_path, "roles", b"not json")
    with pytest.warns(RuntimeWarning, match=r"roles\.json: model file is not valid JSON.*VB500.*rules instead"):
        assert artifact.active("roles", tmp_path) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once per process, not once per document
        assert artifact.active("roles", tmp_path) is None


def test_active_is_silent_for_an_absent_model_and_skips_a_losing_one(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert artifact.active("units", tmp_path) is None
    _write(tmp_path, "roles", _good(in_use=False))
    assert artifact.active("roles", tmp_path) is None
    _write(tmp_path, "family", _good("family"))
    assert artifact.active("family", tmp_path) is not None


def test_status_names_every_model_and_its_state(tmp_path: Path) -> None:
    _write(tmp_path, "roles", _good())
    _write(tmp_path, "units", _good("units", in_use=False))
    _write(tmp_path, "clauses", b"{")
    lines = {s.name: s.line() for s in artifact.status(tmp_path)}
    assert list(lines) == list(artifact.KNOWN)
    assert lines["roles"] == f"roles v3 (data {'ab' * 6}): in use"
    assert lines["units"].endswith("not used (rules win)")
    assert lines["clauses"].startswith("clauses: unreadable (model file is not valid JSON")
    assert lines["clauses"].endswith("rules only")
    assert lines["doctype"] == "doctype: absent; rules only"


def test_dumps_is_canonical() -> None:
    a = _good()
    b = dict(reversed(list(a.items())))
    assert artifact.dumps(a) == artifact.dumps(b)
    assert json.loads(artifact.dumps(a)) == a


# --------------------------------------------------------------------------- the shipped files


def test_every_shipped_model_reads_and_records_rules_and_model_side_by_side() -> None:
    for name in artifact.KNOWN:
        art = artifact.read(artifact.path_of(name), name)
        held = art.scores["heldout"]
        assert {"rules", "model", "shipped"} <= set(held), name
        assert set(held["rules"]) == set(held["model"]), name  # the same figures for both
        assert art.data["heldout"] and art.data["documents"] > 0 and len(art.data_sha256) == 64, name
        assert art.path.stat().st_size < 3_000_000, name


def test_held_out_documents_are_never_trained_on() -> None:
    docs = dataset.documents()
    train, heldout = dataset.split(docs)
    assert not {d.id for d in train} & {d.id for d in heldout}
    assert len(train) + len(heldout) == len(docs) == 80
    assert 0.15 < len(heldout) / len(docs) < 0.35
    for name in artifact.KNOWN:
        assert artifact.read(artifact.path_of(name), name).data["heldout"] == [d.id for d in heldout]


def test_version_lists_the_models(tmp_path: Path) -> None:
    out = subprocess.run([VANBAN, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("vanban ")
    for name in artifact.KNOWN:
        assert f"  {name}" in out


def test_vanban_works_and_says_so_with_the_models_removed(tmp_path: Path) -> None:
    """$VANBAN_MODELS_DIR pointed at an empty folder stands for a checkout without models/data."""
    env = {**os.environ, "VANBAN_MODELS_DIR": str(tmp_path)}
    out = subprocess.run([VANBAN, "--version"], capture_output=True, text=True, check=True, env=env).stdout
    assert out.count("absent; rules only") == len(artifact.KNOWN)
    sample = ROOT / "models" / "corpus" / "seeds" / sorted(p.name for p in (ROOT / "models/corpus/seeds").iterdir())[0]
    res = subprocess.run([VANBAN, "extract", str(sample)], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["document"]["type"] == "Kế hoạch"


# --------------------------------------------------------------------------- training


@pytest.mark.slow
def test_training_on_the_tiny_sample_writes_a_readable_artifact_per_model(tmp_path: Path) -> None:
    """`python -m models.train` as the README gives it, from the checkout root."""
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "models.train", "--tiny", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    for name in artifact.KNOWN:
        art = artifact.read(artifact.path_of(name, out), name)
        assert art.data["documents"] + len(art.data["heldout"]) == len(dataset.TINY)
        assert "tiny" in art.data["split"]
        assert art.data["examples"] > 0
    # The same data gives the same bytes.
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "models.train", "--tiny", "--out", str(again)],
                   cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    for name in artifact.KNOWN:
        assert artifact.path_of(name, out).read_bytes() == artifact.path_of(name, again).read_bytes(), name


def test_train_refuses_an_unknown_model() -> None:
    res = subprocess.run([sys.executable, "-m", "models.train", "nosuch"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 2
    assert "unknown model 'nosuch'" in res.stderr


def test_a_corrupted_model_is_one_clear_warning_and_the_check_goes_on(tmp_path: Path) -> None:
    for name in artifact.KNOWN:
        (tmp_path / f"{name}.json").write_bytes(artifact.path_of(name, artifact.DATA).read_bytes())
    (tmp_path / "units.json").write_bytes(b'{"format": "vanban-model/1", "name": ')
    env = {**os.environ, "VANBAN_MODELS_DIR": str(tmp_path)}
    plan = ROOT / "tests" / "fixtures" / "real-docs" / "031.txt"
    res = subprocess.run([VANBAN, "check", "--fail-on", "never", "--format", "json", str(plan), str(plan)],
                         capture_output=True, text=True, env=env)
    assert res.returncode == 0
    assert res.stderr == (f"vanban: warning: {tmp_path / 'units.json'}: model file is not valid JSON "
                          "(line 1: Expecting value) [VB500]; using the rules instead\n")
    rules_only = subprocess.run([VANBAN, "extract", str(plan)], capture_output=True, text=True,
                                env={**os.environ, "VANBAN_MODELS_DIR": str(tmp_path / "none")}).stdout
    with_bad = subprocess.run([VANBAN, "extract", str(plan)], capture_output=True, text=True, env=env).stdout
    assert json.loads(with_bad)["units"] == json.loads(rules_only)["units"]
