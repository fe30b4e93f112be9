"""Full-text search: diacritics optional, exact matches first, phrases, prefixes, exclusions, filters,
snippets — the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from vanban.corpus.search import parse_query, search
from vanban.extractor.errors import StoreError, UsageError

KHEO = {"120-KH/TU", "18-KH/HU", "45-KH/ĐU", "46-KH/ĐU"}  # plans with "dân vận khéo", with diacritics
NOTE = "khong-dau/ghi-chu.txt"  # the same words typed without diacritics


def names(hits: list, root: Path) -> list[str]:
    return [h.symbol or str(Path(h.path).relative_to(root)) for h in hits]


def test_query_without_diacritics_finds_text_with_them(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    found = names(search("dan van kheo", db=db), root)
    assert set(found) == KHEO | {NOTE}


def test_d_folds_to_d(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    found = names(search("dang uy xa", db=db), root)
    assert {"45-KH/ĐU", "46-KH/ĐU"} <= set(found)
    hit = next(h for h in search("dang uy xa", db=db) if h.symbol == "46-KH/ĐU")
    assert "[Đảng] [ủy] [xã]" in hit.marked() or "[ĐẢNG] [ỦY] [XÃ]" in hit.marked()


def test_exact_diacritics_rank_first(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    hits = search("dân vận khéo", db=db)
    found = names(hits, root)
    assert found[-1] == NOTE and not hits[-1].exact
    assert set(found[:-1]) == KHEO and all(h.exact for h in hits[:-1])
    # Typed without diacritics, nothing is "exact": plain relevance order.
    assert not any(h.exact for h in search("dan van kheo", db=db))
    # The other way round: the note written without marks is the exact match.
    assert names(search("ghi chu khong dau", db=db), root) == [NOTE]


def test_phrase_needs_adjacent_words(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    assert set(names(search('"van kheo"', db=db), root)) == KHEO | {NOTE}
    assert search('"kheo van"', db=db) == []
    assert set(names(search("kheo van", db=db), root)) == KHEO | {NOTE}
    hit = next(h for h in search('"dân vận khéo"', db=db) if h.symbol == "45-KH/ĐU")
    assert "[Dân vận khéo]" in hit.marked() or "[dân vận khéo]" in hit.marked()


def test_prefix_and_exclusion_and_or(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    assert set(names(search("kheo*", db=db), root)) == set(names(search("kheo", db=db), root))
    assert set(names(search("khe*", db=db), root)) >= KHEO | {NOTE}
    assert names(search("dan van kheo -2024", db=db), root) == [NOTE]
    either = set(names(search('"chuyen doi so" OR "thien tai"', db=db), root))
    assert {"01/KH-UBND", "05/KH-UBND"} <= either
    assert len([h for h in search('"chuyen doi so" OR "thien tai"', db=db) if h.symbol == "01/KH-UBND"]) == 2


def test_symbol_query_matches_the_symbol_and_its_citations(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    assert set(names(search("18-KH/HU", db=db), root)) == {"18-KH/HU", "45-KH/ĐU", "46-KH/ĐU"}
    assert set(names(search("45-KH/ĐU", db=db), root)) == {"45-KH/ĐU"}


def test_filters(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    assert set(names(search("dan van", db=db, type="KH", family="party"), root)) == KHEO
    assert names(search("dan van", db=db, type="Kế hoạch", family="party"), root) == \
        names(search("dan van", db=db, type="ke hoach", family="party"), root)
    assert set(names(search("", db=db, issuer="xa tan my"), root)) == {"46-KH/ĐU", "01/KH-UBND", "05/KH-UBND"}
    assert set(names(search("", db=db, issuer="Tân Mỹ", family="state"), root)) == {"01/KH-UBND", "05/KH-UBND"}
    assert set(names(search("dan van", db=db, cites="25-NQ/TW"), root)) == {"120-KH/TU", "18-KH/HU"}
    assert names(search("", db=db, cites="01/KH-UBND@2024"), root) == ["05/KH-UBND"]
    assert search("", db=db, cites="01/KH-UBND@2023") == []
    in_2024 = search("", db=db, year_from=2024, year_to=2024, limit=100)
    assert {h.symbol for h in in_2024} >= KHEO and all(h.date.startswith("2024") for h in in_2024)
    assert search("", db=db, year_from=2030) == []


def test_empty_query_lists_newest_first_and_pages(indexed: tuple[str, Path]) -> None:
    db, _root = indexed
    every = search("", db=db, family="party", limit=100)
    dates = [h.date for h in every]
    assert dates == sorted(dates, reverse=True)
    page = search("", db=db, family="party", limit=2, offset=1)
    assert [h.document_id for h in page] == [h.document_id for h in every[1:3]]
    ranked = search("dan van kheo", db=db, limit=100)
    assert [h.document_id for h in search("dan van kheo", db=db, limit=2, offset=2)] == \
        [h.document_id for h in ranked[2:4]]


def test_copies_show_all_their_paths(indexed: tuple[str, Path]) -> None:
    db, root = indexed
    [hit] = [h for h in search('"xay dung it nhat 01 mo hinh"', db=db)]
    assert sorted(Path(p).relative_to(root).as_posix() for p in hit.paths) == \
        ["copies/45-kh-du-ban-sao.txt", "xa-an-phu/45-kh-du.txt"]


def test_snippet_is_cut_from_the_original_text(indexed: tuple[str, Path]) -> None:
    from vanban.corpus.fold import fold

    db, _root = indexed
    hits = search("dang uy", db=db, limit=50)
    assert hits
    for hit in hits:
        assert hit.highlights, hit.path
        text = Path(hit.path).read_text(encoding="utf-8")
        lead = 1 if hit.snippet.startswith("…") else 0
        body = hit.snippet[lead:].removesuffix("…")
        original = text[hit.snippet_start:hit.snippet_start + len(body)]
        assert body == original.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        assert {fold(hit.snippet[s:e]) for s, e in hit.highlights} <= {"dang", "uy"}


def test_bad_queries_are_clear_errors(indexed: tuple[str, Path], tmp_path: Path) -> None:
    db, _root = indexed
    with pytest.raises(UsageError):
        search("-covid", db=db)
    assert search("   ", db=db, limit=1)  # no words: a filter-only listing
    assert search('"" *', db=db, limit=1)
    with pytest.raises(StoreError):
        search("dang uy", db=tmp_path / "missing.sqlite")


def test_has_finding_filter(archive_db: str) -> None:
    from vanban.corpus.store import Store

    from tests.test_store import FINDING, TEXT, make_doc

    with Store.open(archive_db) as store:
        store.write_document(make_doc(), [FINDING], path="/a/kh.txt")
        store.write_document(make_doc(TEXT + "Bổ sung.\n", symbol="47-KH/ĐU"), path="/a/kh2.txt")
    assert [h.symbol for h in search("dan van", db=archive_db, has_finding=True)] == ["45-KH/ĐU"]
    assert [h.symbol for h in search("dan van", db=archive_db, has_finding="cit-incomplete")] == ["45-KH/ĐU"]
    assert [h.symbol for h in search("dan van", db=archive_db, has_finding="warning")] == ["45-KH/ĐU"]
    assert [h.symbol for h in search("dan van", db=archive_db, has_finding=False)] == ["47-KH/ĐU"]
    assert search("dan van", db=archive_db, has_finding="HDR-MOTTO") == []


def test_parse_query() -> None:
    q = parse_query('Dân vận "khéo léo" kheo* -covid OR 04/2015/NĐ-CP')
    assert q is not None and len(q.groups) == 2
    first, second = q.groups
    assert [t.words for t in first] == [("dan",), ("van",), ("kheo", "leo"), ("kheo",), ("covid",)]
    assert first[3].prefix and first[4].negated and first[2].phrase
    assert second[0].words == ("04", "2015", "nd", "cp") and second[0].exact[2] == "nđ"
    assert q.fts5().startswith("folded : (")
    assert "!'covid'" in q.tsquery() and "'kheo':*" in q.tsquery()
    assert parse_query("  ") is None


def test_search_cli_json_and_table(indexed: tuple[str, Path], tmp_path: Path) -> None:
    db, _root = indexed
    exe = Path(sys.executable).with_name("vanban")
    out = subprocess.run([str(exe), "search", "dân vận khéo", "--db", db, "--format", "json", "--type", "KH"],
                         capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    hits = json.loads(out)
    assert isinstance(hits, list) and {h["symbol"] for h in hits} == KHEO
    assert all(h["exact"] for h in hits) and all(h["highlights"] for h in hits)
    table = subprocess.run([str(exe), "search", "dang uy", "--db", db, "-n", "3"], capture_output=True,
                           text=True, cwd=tmp_path, check=True).stdout
    assert table.startswith("1.") and "3." in table
    csv_out = subprocess.run([str(exe), "search", "dang uy", "--db", db, "-n", "2", "--format", "csv"],
                             capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert csv_out.splitlines()[0].startswith("rank,score,exact,symbol") and len(csv_out.splitlines()) >= 3
