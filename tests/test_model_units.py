"""The units model: a token tagger for responsible units the gazetteer does not list."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from vanban.extractor.errors import ModelError
from vanban.extractor.units import find_units
from vanban.models import artifact, dataset, train_units
from vanban.models import units as units_model
from vanban.models.units import UnitTagger, tokenize


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    artifact.clear_cache()


def _shipped() -> UnitTagger:
    return artifact.build(artifact.read(artifact.path_of("units", artifact.DATA), "units"), UnitTagger.from_payload)


def test_tokens_keep_their_offsets() -> None:
    text = "Giao Hội Làm vườn\ntỉnh, Sở Nội vụ."
    toks = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert [t.text for t in toks][:3] == ["Giao", "Hội", "Làm"]
    assert [t.nl_before for t in toks][3:5] == [False, True]
    assert toks[1].folded == "hoi" and toks[1].shape == "Xx"


def test_labels_are_tagged_on_whole_words() -> None:
    text = "Giao Hội Làm vườn tỉnh Bình Thuận và Sở Nội vụ"
    spans = train_units.resolve(train_units.locate(text, "Hội Làm vườn tỉnh Bình Thuận")
                                + train_units.locate(text, "Hội Làm vườn") + train_units.locate(text, "Sở Nội vụ"))
    tags = train_units.tags_of(tokenize(text), spans)
    assert tags == ["O", "B", "I", "I", "I", "I", "I", "O", "B", "I", "I"]


def test_the_shipped_tagger_finds_a_unit_the_gazetteer_does_not_list() -> None:
    text = ("Giao Hội Bảo vệ thiên nhiên và môi trường tỉnh chủ trì, phối hợp với Sở Nội vụ "
            "tổ chức đại hội nhiệm kỳ mới.")
    rules = find_units(text, exclude=[], use_model=False)
    assert not any("Bảo vệ" in u.name for u in rules)  # not in the gazetteer
    tagger = _shipped()
    found = [text[s.start:s.end] for s in tagger.spans(text)]
    assert any(f.startswith("Hội Bảo vệ thiên nhiên") for f in found), found
    added = [text[s.start:s.end] for s in tagger.additions(text, [(u.start, u.end) for u in rules])]
    assert "Sở Nội vụ" not in added  # the rules' span is never duplicated
    assert 0 < tagger.threshold <= 1


def test_the_shipped_tagger_generalises_to_a_name_it_never_saw() -> None:
    # "Cục Quản lý thị trường" is in no training document, no label file and not in the gazetteer.
    text = "Giao Cục Quản lý thị trường tỉnh chủ trì, phối hợp với Sở Công Thương kiểm tra."
    assert [u.name for u in find_units(text, exclude=[], use_model=False)] == ["Sở Công Thương"]
    found = [text[s.start:s.end] for s in _shipped().spans(text)]
    assert "Cục Quản lý thị trường tỉnh" in found, found


def test_shipped_artifact_records_the_comparison_and_stays_small() -> None:
    art = artifact.read(artifact.path_of("units", artifact.DATA), "units")
    held = art.scores["heldout"]
    for side in ("rules", "model", "shipped"):
        assert {"exact", "lenient", "gold_recall"} <= set(held[side])
    assert art.path.stat().st_size < 2_000_000
    # in_use follows the stated rule: shipped must beat the rules on held-out documents.
    beats = (held["shipped"]["lenient"]["f1"] > held["rules"]["lenient"]["f1"]
             and held["shipped"]["exact"]["f1"] >= held["rules"]["exact"]["f1"]
             and held["shipped"]["gold_recall"] >= held["rules"]["gold_recall"])
    assert art.in_use == beats


def test_training_on_the_tiny_sample() -> None:
    docs = dataset.documents(tiny=True)
    train_docs, heldout = dataset.split(docs)
    if not heldout:
        train_docs, heldout = docs[:-1], docs[-1:]
    out = train_units.train(train_docs, heldout, tiny=True)
    assert {"version", "description", "payload", "scores", "in_use", "decision", "examples", "files"} <= set(out)
    tagger = UnitTagger.from_payload(out["payload"])
    assert tagger.weights and out["examples"] > 1000
    assert {"rules", "model", "shipped"} <= set(out["scores"]["heldout"])
    assert out["scores"]["cv"]["threshold"] in train_units.THRESHOLDS
    # A tagger trained on three plans already finds the rules' commonest unit.
    text = "Ủy ban nhân dân xã chủ trì."
    assert any(text[s.start:s.end].startswith("Ủy ban nhân dân") for s in tagger.spans(text))


def test_a_corrupted_artifact_is_a_model_error_and_the_rules_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "units.json"
    bad.write_text('{"format": "vanban-model/1", "name": "units", ', encoding="utf-8")
    with pytest.raises(ModelError) as err:
        artifact.read(bad, "units")
    assert "units.json" in str(err.value)
    monkeypatch.setenv("VANBAN_MODELS_DIR", str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert units_model.load_tagger() is None
    assert any("units.json" in str(w.message) for w in caught)
    text = "Giao Sở Nội vụ và Hội Bảo vệ thiên nhiên và môi trường tỉnh chủ trì."
    assert [u.name for u in find_units(text, exclude=[])] == ["Sở Nội vụ"]


def test_a_payload_of_the_wrong_shape_is_a_model_error_naming_the_file(tmp_path: Path) -> None:
    art = artifact.read(artifact.path_of("units", artifact.DATA), "units")
    broken = artifact.Artifact(art.name, art.version, tmp_path / "units.json", art.description, art.data,
                               art.scores, True, art.decision, {"weights": {"w=sở": [1.0]}})
    with pytest.raises(ModelError) as err:
        artifact.build(broken, UnitTagger.from_payload)
    assert "units.json" in str(err.value)


def test_fast_tagging_adds_up_exactly_the_features_training_defined() -> None:
    """``spans`` sums features by word groups for speed; the sums must be those of ``features``."""
    tagger = _shipped()
    text = "Giao Sở Nội vụ chủ trì,\nphối hợp với Hội Làm vườn tỉnh Bình Thuận và các sở, ban, ngành."
    toks = tokenize(text)
    static = units_model._Static(tagger, toks)
    for i, t in enumerate(toks):
        for prev in units_model.TAGS:
            slow = list(tagger.bias)
            for name in units_model.features(toks, i, prev, tagger.heads, tagger.words):
                w = tagger.weights.get(name, (0.0, 0.0, 0.0))
                slow = [a + b for a, b in zip(slow, w, strict=True)]
            tag_part = tagger._sum(units_model._tagged(t, prev))
            fast = [a + b for a, b in zip(static.at(i), tag_part, strict=True)]
            assert fast == pytest.approx(slow, abs=1e-9), (t.text, prev)
