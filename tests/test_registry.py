"""The regulation registry: built-in facts, user CSVs, keys shared by two documents, validation."""

from __future__ import annotations

from datetime import date

import pytest
from vanban.corpus.registry import RegEntry, Registry, RegistryError, user_registry_path

HEADER = "key,type,number,symbol,date,issuer,title,status,status_date,replaced_by,verified,source\n"


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_HOME", str(tmp_path / "home"))


def test_builtin_facts_load_with_status_and_successor() -> None:
    reg = Registry.load_default()
    e = reg.get("04/2015/NĐ-CP")
    assert e is not None and e.status == "replaced" and e.status_date == "2023-07-01"
    assert reg.successor(e).key == "10/2022/QH15"
    assert e.status_on(date(2023, 6, 30)) == "in_force" and e.status_on(date(2023, 7, 1)) == "replaced"
    assert not e.status_verified  # the CSV says its status evidence is unverified


def test_one_symbol_two_documents_resolved_by_date_or_year() -> None:
    reg = Registry.load_default()
    assert reg.lookup("124-QĐ/TW", date_="2023-10-04").entry.key == "124-QĐ/TW@2023"
    assert reg.lookup("124-QĐ/TW", year=2018).entry.key == "124-QĐ/TW@2018"
    undecided = reg.lookup("124-QĐ/TW")
    assert undecided.entry is None and undecided.ambiguous and undecided.known
    assert reg.get("124-QĐ/TW@2018").issuer.startswith("Ban Bí thư")
    assert [e.key for e in reg.resolve("16/CT-TTg")] == ["16/CT-TTg@2016", "16/CT-TTg@2020"]


def test_symbols_match_whatever_dash_or_spacing_was_written() -> None:
    reg = Registry.load_default()
    assert reg.lookup("120 –KL/TW").entry.key == "120-KL/TW"
    assert reg.lookup_title("Luật", "Tiếp cận thông tin").entry.key == "104/2016/QH13"
    assert "25-NQ/TW" in reg.suggest("25-NQ/T")


def test_import_csv_is_validated_stored_and_wins_over_builtin(tmp_path) -> None:
    src = tmp_path / "mine.csv"
    src.write_text(HEADER
                   + "22/KH-UBND@2024,Kế hoạch,22,22/KH-UBND,29/01/2024,UBND huyện Ba Tơ,Về chỉ số dân vận,in_force,,,yes,sổ công văn\n"
                   + "25-NQ/TW,Nghị quyết,25,25-NQ/TW,2013-06-03,BCH TW,Về dân vận,replaced,2030-01-01,99-NQ/TW,no,thử\n",
                   encoding="utf-8")
    reg = Registry.load_default()
    result = reg.import_csv(src)
    assert (result.added, result.updated) == (1, 1)
    assert result.stored_in == str(user_registry_path()) and user_registry_path().is_file()
    again = Registry.load_default()
    assert again.get("22/KH-UBND@2024").date == "2024-01-29" and again.get("22/KH-UBND@2024").origin == "user"
    assert again.get("25-NQ/TW").status == "replaced"


def test_add_does_not_leak_into_the_next_load() -> None:
    reg = Registry.load_default()
    reg.add(RegEntry(key="999/QĐ-UBND", symbol="999/QĐ-UBND"))
    assert reg.get("999/QĐ-UBND") is not None
    assert Registry.load_default().get("999/QĐ-UBND") is None


def test_add_persist_stores_in_the_user_file() -> None:
    reg = Registry.load_default()
    reg.add(RegEntry(key="12-KH/HU", symbol="12-KH/HU", date="2024-03-29", origin="archive"), persist=True)
    assert Registry.load_default().get("12-KH/HU").date == "2024-03-29"


@pytest.mark.parametrize(("row", "needle"), [
    ("25-NQ/TW,,,25-NQ/TW,,,,in_forse,,,,", "'in_force'"),
    ("25-NQ/TW,,,25-NQ/TW,31/4/2024,,,in_force,,,,", "không tồn tại"),
    ("25-NQ/TW,,,26-NQ/TW,,,,in_force,,,,", "không khớp"),
    ("25-NQ/TW,,,25-NQ/TW,,,,in_force,2020-01-01,,,", "in_force"),
    (",,,,,,,in_force,,,,", "symbol"),
])
def test_bad_rows_are_errors_naming_file_and_line(tmp_path, row: str, needle: str) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        Registry.load_default().import_csv(src)
    assert f"{src}: dòng 2" in str(err.value) and needle in str(err.value)
    assert not user_registry_path().exists()


def test_unknown_column_and_missing_file(tmp_path) -> None:
    src = tmp_path / "cols.csv"
    src.write_text("key,symbl,status\n25-NQ/TW,25-NQ/TW,in_force\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'symbol'"):
        Registry.load_default().import_csv(src)
    with pytest.raises(RegistryError, match="không tìm thấy"):
        Registry.load_default().import_csv(tmp_path / "none.csv")


def test_duplicate_keys_in_one_file(tmp_path) -> None:
    src = tmp_path / "dup.csv"
    src.write_text(HEADER + "25-NQ/TW,,,25-NQ/TW,,,,in_force,,,,\n25-NQ/TW,,,25-NQ/TW,,,,in_force,,,,\n",
                   encoding="utf-8")
    with pytest.raises(RegistryError, match=r"dòng 3.*trùng với dòng 2"):
        Registry.load_default().import_csv(src)
