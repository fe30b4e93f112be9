"""The regulation registry: facts about documents that plans cite (date, issuer, status, successor).

The built-in facts ship in ``data/central-docs.csv`` (commonly cited central documents, each with
its source). Users add their own with ``vanban regs import FILE.csv``; those rows live in a user
data file (``$VANBAN_HOME/registry.csv``, else ``~/.local/share/vanban/registry.csv``) and win over
built-in rows with the same key. The archive feeds indexed documents in through ``Registry.add``.

Keys are the canonical symbol (``25-NQ/TW``). Symbols are not unique: state numbers restart every
year and Party numbers every committee term, so when one symbol names two documents each row is
keyed ``SYMBOL@YEAR`` (``124-QĐ/TW@2018``) and a lookup picks the row by the cited date; when the
date cannot decide, the lookup answers "ambiguous", never a guess.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from datetime import date as _date  # RegEntry has a field named "date"
from pathlib import Path
from typing import Literal

from vanban.extractor.errors import InputError
from vanban.extractor.normalize import ascii_dashes

Status = Literal["in_force", "replaced", "expired"]
STATUSES: tuple[str, ...] = ("in_force", "replaced", "expired")
COLUMNS: tuple[str, ...] = (
    "key", "type", "number", "symbol", "date", "issuer", "title", "status", "status_date",
    "replaced_by", "verified", "source",
)
REQUIRED: tuple[str, ...] = ("symbol", "status")
_KEY_YEAR = re.compile(r"^(?P<symbol>.+)@(?P<year>\d{4})$")


class RegistryError(InputError):
    """A registry CSV that cannot be used; the message names the file and the line."""

    code = "VB120"


def canonical_symbol(symbol: str) -> str:
    """The spelling extraction produces: NFC, no spaces, ASCII hyphen for every dash."""
    s = unicodedata.normalize("NFC", symbol)
    s = ascii_dashes(s)
    return re.sub(r"\s+", "", s)


def symbol_fold(symbol: str) -> str:
    """Comparison form: canonical, upper case, đ/Đ kept apart from d only by case folding."""
    return canonical_symbol(symbol).upper()


def title_fold(text: str) -> str:
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return re.sub(r"[^0-9a-z]+", " ", s.casefold()).strip()


@dataclass(frozen=True, slots=True)
class RegEntry:
    """One document the registry knows."""

    key: str
    symbol: str
    status: Status = "in_force"
    type: str | None = None
    number: str | None = None
    date: str | None = None  # ISO date of issue
    issuer: str | None = None
    title: str | None = None
    status_date: str | None = None  # the day it stopped applying (effective date of its successor)
    replaced_by: str | None = None  # key of the successor
    verified: bool = False  # number, date, issuer and title seen in the source (not the status)
    source: str | None = None
    origin: Literal["builtin", "user", "archive"] = "builtin"

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def status_verified(self) -> bool:
        """False when the source itself calls the status evidence unverified or secondary."""
        src = (self.source or "").casefold()
        tail = src.split("status:", 1)[1] if "status:" in src else ""
        return not any(w in tail for w in ("unverified", "secondary", "memory", "not seen", "not checked"))

    def status_on(self, when: _date) -> Status:
        """The status on a given day: in force until ``status_date``, then replaced/expired."""
        if self.status == "in_force" or not self.status_date:
            return "in_force" if self.status == "in_force" else self.status
        return self.status if when >= _date.fromisoformat(self.status_date) else "in_force"

    def to_row(self) -> dict[str, str]:
        out = {}
        for name in COLUMNS:
            value = getattr(self, name)
            if name == "verified":
                out[name] = "yes" if value else "no"
            else:
                out[name] = "" if value is None else str(value)
        return out

    def to_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer to "which document is this?": one entry, several (ambiguous) or none."""

    entry: RegEntry | None
    candidates: tuple[RegEntry, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.candidates)

    @property
    def ambiguous(self) -> bool:
        return self.entry is None and len(self.candidates) > 1


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: str
    added: int
    updated: int
    stored_in: str


def user_data_dir() -> Path:
    """$VANBAN_HOME, else $XDG_DATA_HOME/vanban, else ~/.local/share/vanban."""
    home = os.environ.get("VANBAN_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "vanban"


def user_registry_path() -> Path:
    return user_data_dir() / "registry.csv"


def _builtin_csv() -> Path:
    return Path(__file__).resolve().parent / "data" / "central-docs.csv"


def _parse_date(value: str, *, where: str, column: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) or None
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
        if not m:
            raise RegistryError(f"{where}: cột {column!r}: ngày không hợp lệ {value!r} "
                                f"(viết YYYY-MM-DD hoặc DD/MM/YYYY)")
        d, mo, y = (int(x) for x in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        raise RegistryError(f"{where}: cột {column!r}: ngày không tồn tại {value!r}") from None


def parse_rows(text: str, *, path: str, origin: Literal["builtin", "user", "archive"]) -> list[RegEntry]:
    """Validate registry CSV text; every error names the file and line."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise RegistryError(f"{path}: tệp CSV rỗng (empty CSV)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        import difflib

        hints = []
        for h in unknown:
            close = difflib.get_close_matches(h, COLUMNS, n=1)
            hints.append(f"{h!r}" + (f" (ý bạn là {close[0]!r}?)" if close else ""))
        raise RegistryError(f"{path}: dòng 1: cột không biết {', '.join(hints)}; các cột: {', '.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RegistryError(f"{path}: dòng 1: thiếu cột {', '.join(missing)}")
    out: list[RegEntry] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        where = f"{path}: dòng {i}"
        symbol = row.get("symbol", "")
        if not symbol:
            raise RegistryError(f"{where}: thiếu ký hiệu (symbol)")
        symbol = canonical_symbol(symbol)
        status = row.get("status", "").strip() or "in_force"
        if status not in STATUSES:
            import difflib

            close = difflib.get_close_matches(status, STATUSES, n=1)
            hint = f" (ý bạn là {close[0]!r}?)" if close else ""
            raise RegistryError(f"{where}: trạng thái không hợp lệ {status!r}{hint}; dùng {', '.join(STATUSES)}")
        issued = _parse_date(row.get("date", ""), where=where, column="date")
        status_date = _parse_date(row.get("status_date", ""), where=where, column="status_date")
        replaced_by = canonical_symbol(row["replaced_by"]) if row.get("replaced_by") else None
        if status == "in_force" and (status_date or replaced_by):
            raise RegistryError(f"{where}: văn bản 'in_force' không thể có status_date/replaced_by")
        key = canonical_symbol(row.get("key") or symbol)
        m = _KEY_YEAR.match(key)
        if m and symbol_fold(m.group("symbol")) != symbol_fold(symbol):
            raise RegistryError(f"{where}: khóa {key!r} không khớp ký hiệu {symbol!r}")
        if m and issued and int(m.group("year")) != int(issued[:4]):
            raise RegistryError(f"{where}: năm trong khóa {key!r} khác năm ban hành {issued}")
        if not m and symbol_fold(key) != symbol_fold(symbol):
            raise RegistryError(f"{where}: khóa {key!r} không khớp ký hiệu {symbol!r}")
        if symbol_fold(key) in seen:
            raise RegistryError(f"{where}: khóa {key!r} trùng với dòng {seen[symbol_fold(key)]}")
        seen[symbol_fold(key)] = i
        out.append(RegEntry(
            key=key, symbol=symbol, status=status,  # type: ignore[arg-type]
            type=row.get("type") or None, number=row.get("number") or None, date=issued,
            issuer=row.get("issuer") or None, title=row.get("title") or None,
            status_date=status_date, replaced_by=replaced_by,
            verified=row.get("verified", "").casefold() in {"yes", "true", "1", "có", "x"},
            source=row.get("source") or None, origin=origin,
        ))
    return out


def read_csv(path: str | Path, *, origin: Literal["builtin", "user", "archive"] = "user") -> list[RegEntry]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RegistryError("không tìm thấy tệp (file not found)", path=p) from None
    except OSError as err:
        raise RegistryError(f"không đọc được tệp: {err.strerror}", path=p) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryError(f"{p}: tệp CSV phải là UTF-8") from None
    return parse_rows(unicodedata.normalize("NFC", text), path=str(p), origin=origin)


_LOADED: dict[tuple[tuple[str, int, int], ...], Registry] = {}


class Registry:
    """Documents by key and by symbol; later additions win over earlier ones with the same key."""

    def __init__(self, entries: Iterable[RegEntry] = (), *, user_path: Path | None = None) -> None:
        self._by_key: dict[str, RegEntry] = {}
        self._by_symbol: dict[str, list[str]] = {}
        self._by_title: dict[str, list[str]] = {}
        self.user_path = user_path
        for e in entries:
            self._put(e)

    # ---------------------------------------------------------------- construction

    @classmethod
    def load_default(cls, *, user: bool = True, shared: bool = False) -> Registry:
        """Built-in facts, then the user's own rows (which win on the same key).

        The files are parsed once per process and again only when one of them changes; each call
        returns a fresh Registry, so ``add`` on one does not leak into the next. ``shared=True``
        returns the cached instance itself, for readers that never add."""
        user_path = user_registry_path()
        paths = [_builtin_csv(), *([user_path] if user and user_path.is_file() else [])]
        stamp = (*((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths), (str(user_path), 0, 0))
        cached = _LOADED.get(stamp)
        if cached is None:
            entries = read_csv(paths[0], origin="builtin")
            for path in paths[1:]:
                entries = [*entries, *read_csv(path, origin="user")]
            cached = cls(entries, user_path=user_path)
            _LOADED.clear()
            _LOADED[stamp] = cached
        return cached if shared else cached.copy()

    def copy(self) -> Registry:
        out = Registry(user_path=self.user_path)
        out._by_key = dict(self._by_key)
        out._by_symbol = {k: list(v) for k, v in self._by_symbol.items()}
        out._by_title = {k: list(v) for k, v in self._by_title.items()}
        return out

    def _put(self, entry: RegEntry) -> bool:
        """Insert or replace; True when the key was new."""
        k = symbol_fold(entry.key)
        old = self._by_key.get(k)
        if old is not None:
            self._by_symbol[symbol_fold(old.symbol)].remove(k)
            titled = self._by_title.get(title_fold(old.title)) if old.title else None
            if titled and k in titled:
                titled.remove(k)
        self._by_key[k] = entry
        self._by_symbol.setdefault(symbol_fold(entry.symbol), []).append(k)
        if entry.title:
            self._by_title.setdefault(title_fold(entry.title), []).append(k)
        return old is None

    def add(self, entry: RegEntry, *, persist: bool = False) -> None:
        """Add or replace one entry (the archive feeds indexed documents in this way)."""
        self._put(entry)
        if persist:
            self._save_user([entry])

    def import_csv(self, path: str | Path) -> ImportResult:
        """Validate a user CSV, merge it into this registry and into the user data file."""
        entries = read_csv(path, origin="user")
        added = updated = 0
        for e in entries:
            if self._put(e):
                added += 1
            else:
                updated += 1
        stored = self._save_user(entries)
        return ImportResult(path=str(path), added=added, updated=updated, stored_in=str(stored))

    def _save_user(self, entries: list[RegEntry]) -> Path:
        target = self.user_path or user_registry_path()
        existing = read_csv(target, origin="user") if target.is_file() else []
        merged: dict[str, RegEntry] = {symbol_fold(e.key): e for e in existing}
        for e in entries:
            merged[symbol_fold(e.key)] = replace(e, origin="user")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
            writer.writeheader()
            for e in merged.values():
                writer.writerow(e.to_row())
        tmp.replace(target)
        return target

    # ---------------------------------------------------------------- queries

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[RegEntry]:
        return iter(self._by_key.values())

    def get(self, key: str) -> RegEntry | None:
        """Exact key (``25-NQ/TW`` or ``124-QĐ/TW@2023``)."""
        return self._by_key.get(symbol_fold(key))

    def candidates(self, symbol: str) -> list[RegEntry]:
        return [self._by_key[k] for k in self._by_symbol.get(symbol_fold(symbol), [])]

    def lookup(self, symbol: str, *, date_: str | None = None, year: int | None = None) -> Lookup:
        """The document a citation names, using its date (or year) when the symbol is shared."""
        m = _KEY_YEAR.match(canonical_symbol(symbol))
        if m:
            entry = self.get(symbol)
            return Lookup(entry, (entry,) if entry else ())
        cands = self.candidates(symbol)
        if not cands:
            return Lookup(None)
        if len(cands) == 1:
            return Lookup(cands[0], tuple(cands))
        if date_:
            exact = [c for c in cands if c.date == date_]
            if len(exact) == 1:
                return Lookup(exact[0], tuple(cands))
            year = year or int(date_[:4])
        if year:
            same = [c for c in cands if c.year == year]
            if len(same) == 1:
                return Lookup(same[0], tuple(cands))
        return Lookup(None, tuple(cands))

    def lookup_title(self, type_: str | None, title: str) -> Lookup:
        """Documents cited by name only (laws: "Luật Tiếp cận thông tin")."""
        folded = title_fold(title)
        keys = self._by_title.get(folded, [])
        if not keys and type_:
            keys = self._by_title.get(title_fold(f"{type_} {title}"), [])
        cands = tuple(self._by_key[k] for k in keys)
        return Lookup(cands[0] if len(cands) == 1 else None, cands)

    def resolve(self, key_or_symbol: str) -> list[RegEntry]:
        """Everything a user may mean by a key or a bare symbol (for ``vanban regs show``)."""
        exact = self.get(key_or_symbol)
        if exact is not None and _KEY_YEAR.match(canonical_symbol(key_or_symbol)):
            return [exact]
        cands = self.candidates(key_or_symbol)
        if cands:
            return cands
        return [exact] if exact else []

    def suggest(self, key_or_symbol: str, n: int = 3) -> list[str]:
        import difflib

        keys = [e.key for e in self]
        return difflib.get_close_matches(canonical_symbol(key_or_symbol), keys, n=n, cutoff=0.6)

    def successor(self, entry: RegEntry) -> RegEntry | None:
        if not entry.replaced_by:
            return None
        return self.lookup(entry.replaced_by).entry or self.get(entry.replaced_by)
