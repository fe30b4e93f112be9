"""The archive database: schema and migrations, whole-document writes, copies, replacement, pruning."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from vanban.corpus.fold import fold, words
from vanban.corpus.store import SCHEMA_HEAD, FileToIndex, Store, context_of, database_url
from vanban.extractor.errors import StoreError
from vanban.extractor.model import (
    Citation,
    Deadline,
    ExtractedDocument,
    Header,
    Section,
    Source,
    Target,
    Task,
    Unit,
)
from vanban.rules.model import Finding

TEXT = (
    "ĐẢNG ỦY XÃ AN PHÚ\n"
    "Số 45-KH/ĐU\n"
    "KẾ HOẠCH\n"
    "thực hiện phong trào “Dân vận khéo” năm 2025\n"
    "Thực hiện Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương.\n"
    "I. MỤC ĐÍCH\n"
    "100% chi bộ đăng ký mô hình.\n"
    "II. TỔ CHỨC THỰC HIỆN\n"
    "Văn phòng Đảng ủy tổng hợp trước ngày 15/5/2025.\n"
)


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def make_doc(text: str = TEXT, *, symbol: str = "45-KH/ĐU", date: str = "2025-03-10") -> ExtractedDocument:
    """A document built by hand, with at least one entity of every kind the archive stores."""
    raw = text.encode()
    c0, c1 = span(text, "Nghị quyết số 25-NQ/TW ngày 03/6/2013")
    d0, d1 = span(text, "trước ngày 15/5/2025")
    t0, t1 = span(text, "100% chi bộ")
    u0, u1 = span(text, "Văn phòng Đảng ủy")
    line0, line1 = span(text, "Văn phòng Đảng ủy tổng hợp trước ngày 15/5/2025.")
    s1, s2 = text.index("I. MỤC ĐÍCH"), text.index("II. TỔ CHỨC")
    return ExtractedDocument(
        source=Source(path="kh.txt", format="txt", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw)),
        text=text,
        document=Header(family="party", type="Kế hoạch", type_code="KH", number=symbol.split("-")[0],
                        symbol=symbol, date=date, place="An Phú", issuer="Đảng ủy xã An Phú",
                        title="thực hiện phong trào “Dân vận khéo” năm 2025"),
        sections=(Section("I", "MỤC ĐÍCH", "purpose", 1, s1, s2, s1 + 11),
                  Section("II", "TỔ CHỨC THỰC HIỆN", "implementation", 1, s2, len(text), s2 + 21)),
        citations=(Citation(text[c0:c1], c0, c1, "Nghị quyết", "NQ", "25", "25-NQ/TW", "2013-06-03", None,
                            None, "25-NQ/TW", relation="implements"),),
        deadlines=(Deadline(text[d0:d1], d0, d1, "2025-05-15", "before"),),
        targets=(Target(text[t0:t1], t0, t1, 100.0, "%", "percent"),),
        units=(Unit("Văn phòng Đảng ủy", u0, u1, "party"),),
        tasks=(Task("Văn phòng Đảng ủy", text[line0:line1], line0, line1, "2025-05-15"),),
    )


FINDING = Finding(rule="CIT-INCOMPLETE", severity="warning", message="thiếu cơ quan ban hành", start=0, end=5,
                  subject="25-NQ/TW")


def test_schema_head_is_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from vanban.corpus.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_migrated_database_matches_schema_module(archive_db: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from vanban.corpus.schema import metadata

    with Store.open(archive_db) as store, store.engine.connect() as conn:
        assert store.revision() == SCHEMA_HEAD
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        # The full-text objects are engine specific and live only in the migration.
        diffs = [d for d in compare_metadata(ctx, metadata)
                 if not (d[0] == "remove_table" and d[1].name.startswith("documents_fts"))
                 and not (d[0] == "remove_column" and d[3].name in ("tsv", "tsv_exact", "tsv_head"))
                 and not (d[0] == "remove_index" and d[1].name == "ix_document_texts_tsv")]
        assert diffs == []


def test_an_archive_of_the_first_revision_is_upgraded_on_open(archive_db: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text
    from vanban.corpus.search import search
    from vanban.corpus.store import MIGRATIONS, _create_engine, database_url

    if archive_db.startswith("postgresql"):  # start from an empty database
        with Store.open(archive_db) as store, store.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine = _create_engine(database_url(archive_db))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with Store.open(archive_db) as store:
        assert store.revision() == SCHEMA_HEAD
        store.write_document(make_doc(), path="/a/kh.txt")
        assert [h.symbol for h in search("dan van kheo", db=store)] == ["45-KH/ĐU"]


def test_reopening_a_current_archive_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "a.sqlite"
    Store.open(db).close()
    code = ("import sys; from vanban.corpus.store import Store; Store.open(sys.argv[1]).close(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True,
                         cwd=tmp_path)
    assert out.stdout.strip() == "False"


def test_write_document_stores_every_entity_and_loads_back_losslessly(archive_db: str) -> None:
    doc = make_doc()
    with Store.open(archive_db) as store:
        doc_id = store.write_document(doc, [FINDING], path="/archive/kh.txt")
        counts = store.counts()
        loaded = store.load(doc_id)
    assert counts["documents_indexed"] == 1
    assert counts["paths_indexed"] == 1
    assert counts["sections"] == 2
    assert counts["citations"] == counts["deadlines"] == counts["targets"] == counts["units"] == 1
    assert counts["findings"] == 1
    assert counts["regulations"] == 1  # the document is itself a citable entry
    assert loaded is not None
    assert loaded.to_dict() == doc.to_dict()


def test_rows_keep_offsets_context_and_the_deadline_owner(archive_db: str) -> None:
    from sqlalchemy import select
    from vanban.corpus.schema import citations, deadlines, document_texts

    doc = make_doc()
    with Store.open(archive_db) as store:
        store.write_document(doc)
        with store.engine.connect() as conn:
            c = conn.execute(select(citations)).mappings().one()
            d = conn.execute(select(deadlines)).mappings().one()
            folded = conn.execute(select(document_texts.c.folded)).scalar_one()
    assert doc.text[c["span_start"]:c["span_end"]] == c["text"]
    assert c["relation"] == "implements" and c["year"] == 2013
    assert "Thực hiện Nghị quyết số 25-NQ/TW" in c["sentence"]
    assert d["unit"] == "Văn phòng Đảng ủy" and d["unit_folded"] == "van phong dang uy"
    assert d["date"] == "2025-05-15"
    assert len(folded) == len(doc.text)


def test_rewriting_a_document_replaces_its_rows(archive_db: str) -> None:
    doc = make_doc()
    with Store.open(archive_db) as store:
        first = store.write_document(doc, [FINDING])
        second = store.write_document(doc, [FINDING])
        counts = store.counts()
    assert first == second
    assert counts["documents"] == 1 and counts["citations"] == 1 and counts["findings"] == 1
    assert counts["regulations"] == 1


def test_same_content_under_two_paths_is_stored_once(archive_db: str) -> None:
    doc = make_doc()
    with Store.open(archive_db) as store:
        a = store.write_document(doc, path="/a/kh.txt")
        plan = store.mark_pending([FileToIndex("/b/kh-copy.txt", doc.source.sha256, 10, 1.0, "txt")])
        counts = store.counts()
        assert store.document_for_path("/b/kh-copy.txt") == a
    assert plan == {doc.source.sha256: "indexed"}  # nothing to extract for the copy
    assert counts["documents"] == 1 and counts["paths"] == 2 and counts["paths_indexed"] == 2


def test_pending_document_has_no_rows_until_written_whole(archive_db: str) -> None:
    from vanban.corpus.store import document_rows

    doc = make_doc()
    sha = doc.source.sha256
    with Store.open(archive_db) as store:
        plan = store.mark_pending([FileToIndex("/a/kh.txt", sha, 10, 1.0, "txt")])
        pending = store.counts()
        store.write_batch([document_rows(doc, [FINDING])])
        done = store.counts()
    assert plan == {sha: "extract"}
    assert pending["documents_pending"] == 1 and pending["paths_pending"] == 1
    assert pending["citations"] == pending["sections"] == pending["findings"] == 0
    assert done["documents_indexed"] == 1 and done["paths_indexed"] == 1 and done["citations"] == 1


def test_a_failed_write_leaves_nothing_half_written(archive_db: str) -> None:
    from vanban.corpus.store import document_rows

    doc = make_doc()
    rows = document_rows(doc)
    broken = type(rows)(rows.sha256, rows.document, rows.sections, rows.citations,
                        [dict(rows.deadlines[0], kind=None)])  # NOT NULL violated in the 4th table
    with Store.open(archive_db) as store:
        store.mark_pending([FileToIndex("/a/kh.txt", rows.sha256, 10, 1.0, "txt")])
        with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
            store.write_batch([broken])
        counts = store.counts()
    assert counts["documents_pending"] == 1
    assert counts["sections"] == counts["citations"] == counts["deadlines"] == 0


def test_failure_is_recorded_on_the_document_and_its_paths(archive_db: str) -> None:
    sha = "f" * 64
    with Store.open(archive_db) as store:
        store.mark_pending([FileToIndex("/a/x.docx", sha, 10, 1.0, "docx"),
                            FileToIndex("/b/x.docx", sha, 10, 1.0, "docx")])
        store.write_batch([(sha, "VB104", "/a/x.docx: tệp .docx hỏng")])
        failures = store.failures()
        # The same content under a third path fails at once, without another attempt …
        again = store.mark_pending([FileToIndex("/c/x.docx", sha, 10, 1.0, "docx")])
        # … unless asked to retry.
        retry = store.mark_pending([FileToIndex("/c/x.docx", sha, 10, 1.0, "docx")], retry_failed=True)
    assert [f.path for f in failures] == ["/a/x.docx", "/b/x.docx"]
    assert {f.code for f in failures} == {"VB104"}
    assert again == {sha: "failed"}
    assert retry == {sha: "extract"}


def test_changed_content_replaces_the_old_document(archive_db: str) -> None:
    old, new = make_doc(), make_doc(TEXT.replace("năm 2025\n", "năm 2026\n", 1), symbol="46-KH/ĐU")
    with Store.open(archive_db) as store:
        store.write_document(old, [FINDING], path="/a/kh.txt")
        store.write_document(new, path="/a/kh.txt")
        counts = store.counts()
        assert store.document_for_sha(old.source.sha256) is None
    assert counts["documents"] == 1 and counts["paths"] == 1 and counts["findings"] == 0


def test_prune_removes_paths_and_orphaned_documents_with_their_rows(archive_db: str) -> None:
    from vanban.corpus.search import search

    a, b = make_doc(), make_doc(TEXT.replace("khéo", "khéo léo"), symbol="47-KH/ĐU")
    with Store.open(archive_db) as store:
        store.write_document(a, path="/archive/x/a.txt")
        store.write_document(b, path="/archive/x/b.txt")
        store.write_document(b, path="/elsewhere/b.txt")
        assert len(search("kheo leo", db=store)) == 1
        removed = store.prune(["/archive/x"], keep={"/archive/x/a.txt"})
        counts = store.counts()
        still = search("kheo leo", db=store)
        removed_elsewhere = store.prune(["/elsewhere"], keep=set())
        gone = search("kheo leo", db=store)
        final = store.counts()
    assert removed == 1
    assert counts["documents"] == 2 and counts["paths"] == 2  # b is still referenced from /elsewhere
    assert len(still) == 1 and still[0].paths == ("/elsewhere/b.txt",)
    assert removed_elsewhere == 1 and gone == []
    assert final["documents"] == 1 and final["citations"] == 1 and final["deadlines"] == 1


def test_prune_treats_roots_as_folders_not_string_prefixes(archive_db: str) -> None:
    with Store.open(archive_db) as store:
        store.write_document(make_doc(), path="/data/plans/a.txt")
        store.write_document(make_doc(TEXT + "x"), path="/data/plans-2024/b.txt")
        assert store.prune(["/data/plans"], keep=set()) == 1
        assert set(store.path_states()) == {"/data/plans-2024/b.txt"}


def test_registry_rows_are_synced_beside_archive_entries(archive_db: str) -> None:
    from vanban.corpus.registry import Registry

    registry = Registry.load_default(user=False)
    with Store.open(archive_db) as store:
        store.write_document(make_doc())
        n = store.sync_registry(registry)
        again = store.sync_registry(registry)
        counts = store.counts()
    assert n == again == len(registry) > 0
    assert counts["regulations"] == len(registry) + 1


def test_opening_a_missing_archive_for_reading_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open(tmp_path / "nothing.sqlite", create=False)
    assert "vanban index" in str(err.value) and "nothing.sqlite" in str(err.value)
    assert not (tmp_path / "nothing.sqlite").exists()


def test_unreachable_server_and_bad_url_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open("mysql://u@h/db")
    assert err.value.code == "VB300"
    with pytest.raises(StoreError) as err2:
        Store.open("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(err2.value) and "127.0.0.1" in str(err2.value)


def test_an_archive_from_a_newer_vanban_is_refused(tmp_path: Path) -> None:
    from sqlalchemy import text

    db = tmp_path / "a.sqlite"
    with Store.open(db) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as err:
        Store.open(db)
    assert "9999" in str(err.value)


def test_default_archive_lives_in_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANBAN_HOME", str(tmp_path / "home"))
    assert database_url(None) == f"sqlite:///{tmp_path / 'home' / 'archive.sqlite'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("x.sqlite").endswith("/x.sqlite") and database_url("x.sqlite").startswith("sqlite:///")


# --------------------------------------------------------------------------- folding


@pytest.mark.parametrize(("text", "folded"), [
    ("Đảng ủy", "dang uy"),
    ("ĐẢNG ỦY XÃ", "dang uy xa"),
    ("“Dân vận khéo”", " dan van kheo "),
    ("Nghị định 04/2015/NĐ-CP", "nghi dinh 04 2015 nd cp"),
    ("Hoà bình, hòa bình", "hoa binh  hoa binh"),
])
def test_fold_maps_each_character_to_one(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_agrees_with_the_extractor_fold_on_real_documents() -> None:
    import re

    from vanban.extractor.normalize import fold as extractor_fold

    from tests.paths import real_texts

    texts = real_texts()[:20]
    if not texts:
        pytest.skip("shared corpus not present")
    for p in texts:
        text = p.read_text(encoding="utf-8")
        assert len(fold(text)) == len(text), p.name
        # Same words as the extractor's search key (which also drops punctuation inside words).
        theirs = re.findall(r"[^\W_]+", extractor_fold(text))
        assert words(text) == theirs, p.name


def test_context_is_the_clause_around_a_span() -> None:
    text = "Mở đầu.\n" + "Câu một dài. " * 40 + "Căn cứ Nghị quyết số 25-NQ/TW; câu sau. " + "Thêm. " * 40
    s = text.index("Nghị quyết")
    out = context_of(text, s, s + 24)
    assert out.startswith("Căn cứ Nghị quyết số 25-NQ/TW")
    assert len(out) <= 330
