"""Rule packs: YAML files of rules, loaded and validated strictly.

A pack is a mapping::

    pack: state                # name
    description: …
    family: state              # the document family the pack is for (omit for every family)
    vars:                      # texts that rules' ``basis`` can name as {placeholders}
      nghi_dinh: "Nghị định 30/2020/NĐ-CP"
      huong_dan:               # or a list of texts dated by the document's own date
        - {until: 2026-05-26, text: "Hướng dẫn 36-HD/VPTW …"}
        - {from: 2026-05-27, text: "Hướng dẫn 05-HD/VPTW …"}
    rules:
      - id: HDR-NUMBER
        check: header.number   # the check family (rules/checks/__init__.py)
        severity: error
        families: [state]      # default: every family
        types: [KH]            # document type codes; default: every type (not_types: [L] excludes)
        params: {…}            # the family's parameters
        message: "…{placeholder}…"   # Vietnamese
        message_en: "…"
        basis: "{nghi_dinh}, Phụ lục I mục II.3"
        suggestion: "…"
        examples:
          fires:  [{base: state-plan, edits: [{old: "Số: 15/KH-UBND", new: ""}]}]
          passes: [{base: state-plan}]

A rule in a user pack that names an existing ``id`` without ``check`` overrides that rule's
keys (``severity``, ``params``, ``enabled: false`` …). Every problem is reported at once, each
with the file, line, rule and key, and a "did you mean" where a near name exists.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from vanban.extractor.errors import RulePackError
from vanban.rules.context import FAMILIES, Check

PACK_DIR = Path(__file__).resolve().parent / "packs"
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
STANDARD_VARS: tuple[str, ...] = ("subject", "text")
_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")

TOP_KEYS = ("pack", "description", "family", "version", "vars", "rules")
RULE_KEYS = ("id", "check", "severity", "families", "types", "not_types", "params", "message", "message_en", "basis",
             "suggestion", "suggestion_en", "description", "examples", "enabled")
OVERRIDE_KEYS = tuple(k for k in RULE_KEYS if k not in ("check",))
EXAMPLE_KEYS = ("text", "base", "edits", "format", "note")
DATED_KEYS = ("text", "from", "until")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DatedText:
    """A text that applies to documents dated within [since, until] (either end open)."""

    text: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """A small document a rule must fire on (or must not): full text, or a base document with edits."""

    text: str | None = None
    base: str | None = None
    edits: tuple[tuple[str, str], ...] = ()
    format: str | None = None
    note: str | None = None
    origin: str = ""  # "file:line" for messages

    def render(self, pack_dir: Path) -> str:
        """The example's document text; an edit whose ``old`` text is absent is an error."""
        if self.text is not None:
            body = self.text
        else:
            path = pack_dir / "examples" / f"{self.base}.txt"
            try:
                body = path.read_text(encoding="utf-8")
            except OSError:
                raise RulePackError(f"{self.origin}: không đọc được văn bản mẫu {path}") from None
        for old, new in self.edits:
            if old not in body:
                raise RulePackError(f"{self.origin}: đoạn cần sửa không có trong văn bản mẫu: {old!r}")
            body = body.replace(old, new, 1)
        return body


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    check: str
    severity: str
    message: str
    pack: str
    message_en: str | None = None
    families: tuple[str, ...] = FAMILIES
    types: tuple[str, ...] = ()  # document type codes the rule is for (empty: every type)
    not_types: tuple[str, ...] = ()  # type codes it is not for (laws have no "Nơi nhận")
    params: Mapping[str, Any] = field(default_factory=dict)
    basis: tuple[DatedText, ...] = ()
    suggestion: str | None = None
    suggestion_en: str | None = None
    description: str | None = None
    fires: tuple[Example, ...] = ()
    passes: tuple[Example, ...] = ()
    enabled: bool = True
    origin: str = ""  # "file:line"
    pack_dir: Path = PACK_DIR

    @property
    def manual(self) -> bool:
        from vanban.rules.checks import CHECKS

        return CHECKS[self.check].manual


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    path: Path
    rules: tuple[Rule, ...]
    overrides: tuple[tuple[str, Mapping[str, Any], str], ...] = ()  # (rule id, keys, origin)
    family: str | None = None
    description: str | None = None
    vars: Mapping[str, tuple[DatedText, ...]] = field(default_factory=dict)
    builtin: bool = False


# --------------------------------------------------------------------------- YAML with line numbers


def _load_yaml(text: str, path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse YAML and remember the line of every mapping key and sequence item, by path."""
    import yaml

    lines: dict[tuple[Any, ...], int] = {}
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines

        def build(n: Any, where: tuple[Any, ...]) -> Any:
            lines.setdefault(where, n.start_mark.line + 1)
            if isinstance(n, yaml.MappingNode):
                out: dict[Any, Any] = {}
                for k, v in n.value:
                    key = loader.construct_object(k, deep=True)
                    lines[(*where, key)] = k.start_mark.line + 1
                    if key in out:
                        raise RulePackError(f"{path}:{k.start_mark.line + 1}: khóa {key!r} lặp lại (duplicate key)")
                    out[key] = build(v, (*where, key))
                return out
            if isinstance(n, yaml.SequenceNode):
                return [build(v, (*where, i)) for i, v in enumerate(n.value)]
            return loader.construct_object(n, deep=True)

        return build(node, ()), lines
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise RulePackError(f"{where}: YAML không hợp lệ: {problem}") from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------- validation


class _Problems:
    def __init__(self, path: Path, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.lines = lines
        self.items: list[str] = []

    def line(self, where: tuple[Any, ...]) -> int:
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where, 1)

    def at(self, where: tuple[Any, ...]) -> str:
        return f"{self.path}:{self.line(where)}"

    def add(self, where: tuple[Any, ...], msg: str, rule: str | None = None) -> None:
        who = f"quy tắc {rule}: " if rule else ""
        self.items.append(f"{self.at(where)}: {who}{msg}")

    def unknown_keys(self, data: Mapping[str, Any], allowed: Iterable[str], where: tuple[Any, ...],
                     rule: str | None = None) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                self.add((*where, key), f"khóa không hợp lệ {key!r}{_did_you_mean(str(key), allowed)}; "
                         f"các khóa hợp lệ: {', '.join(allowed)}", rule)

    def raise_if_any(self) -> None:
        if self.items:
            raise RulePackError("gói quy tắc không hợp lệ (invalid rule pack):\n  " + "\n  ".join(self.items))


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if c.casefold() == word.casefold()]
    return f" (ý bạn là {close[0]!r}?)" if close else ""


def _placeholders(template: str) -> list[str]:
    try:
        return [f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f]
    except ValueError as err:
        raise ValueError(f"mẫu câu sai cú pháp: {err}") from None


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _dated(value: Any, where: tuple[Any, ...], p: _Problems, rule: str | None) -> tuple[DatedText, ...]:
    if isinstance(value, str):
        return (DatedText(value),)
    if not isinstance(value, list) or not value:
        p.add(where, "phải là một chuỗi hoặc danh sách {text, from, until}", rule)
        return ()
    out = []
    for i, item in enumerate(value):
        w = (*where, i)
        if not isinstance(item, dict) or "text" not in item:
            p.add(w, "mỗi mục phải có 'text' (và 'from'/'until' là ngày YYYY-MM-DD)", rule)
            continue
        p.unknown_keys(item, DATED_KEYS, w, rule)
        try:
            out.append(DatedText(str(item["text"]), _as_date(item.get("from")), _as_date(item.get("until"))))
        except ValueError:
            p.add(w, "ngày 'from'/'until' phải viết YYYY-MM-DD", rule)
    return tuple(out)


def _check_param(name: str, value: Any, spec: Any, where: tuple[Any, ...], p: _Problems, rule: str) -> None:
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        want = " hoặc ".join(k.__name__ for k in kinds)
        p.add(where, f"tham số {name!r} phải có kiểu {want}, không phải {type(value).__name__}", rule)
        return
    if spec.choices:
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v not in spec.choices:
                p.add(where, f"tham số {name!r}: giá trị {v!r} không hợp lệ{_did_you_mean(str(v), spec.choices)}; "
                      f"chọn trong {', '.join(spec.choices)}", rule)
    if isinstance(value, str) and name.endswith(("pattern", "regex")):
        try:
            re.compile(value)
        except re.error as err:
            p.add(where, f"tham số {name!r}: biểu thức chính quy sai: {err}", rule)


def _examples(value: Any, where: tuple[Any, ...], p: _Problems, rule: str) -> tuple[tuple[Example, ...], ...]:
    if not isinstance(value, dict):
        p.add(where, "'examples' phải có dạng {fires: [...], passes: [...]}", rule)
        return (), ()
    p.unknown_keys(value, ("fires", "passes"), where, rule)
    out: list[tuple[Example, ...]] = []
    for kind in ("fires", "passes"):
        items = value.get(kind) or []
        if not isinstance(items, list):
            items = [items]
        exs = []
        for i, item in enumerate(items):
            w = (*where, kind, i)
            origin = p.at(w)
            if isinstance(item, str):
                exs.append(Example(text=item, origin=origin))
                continue
            if not isinstance(item, dict):
                p.add(w, "ví dụ phải là văn bản hoặc {text|base, edits, format}", rule)
                continue
            p.unknown_keys(item, EXAMPLE_KEYS, w, rule)
            if ("text" in item) == ("base" in item):
                p.add(w, "ví dụ cần đúng một trong 'text' hoặc 'base'", rule)
                continue
            edits = []
            for j, e in enumerate(item.get("edits") or []):
                if isinstance(e, dict) and set(e) <= {"old", "new"} and "old" in e:
                    edits.append((str(e["old"]), str(e.get("new") or "")))
                elif isinstance(e, list) and len(e) == 2:
                    edits.append((str(e[0]), str(e[1])))
                else:
                    p.add((*w, "edits", j), "mỗi chỗ sửa là {old: …, new: …}", rule)
            exs.append(Example(text=item.get("text"), base=item.get("base"), edits=tuple(edits),
                               format=item.get("format"), note=item.get("note"), origin=origin))
        out.append(tuple(exs))
    return out[0], out[1]


def _rule_fields(data: Mapping[str, Any], where: tuple[Any, ...], p: _Problems, rid: str,
                 check: Check | None, pack_vars: Iterable[str]) -> dict[str, Any]:
    """Validate the keys a rule definition or override may carry; return dataclass fields."""
    out: dict[str, Any] = {}
    if "severity" in data:
        sev = data["severity"]
        if sev not in SEVERITIES:
            p.add((*where, "severity"), f"mức độ không hợp lệ {sev!r}{_did_you_mean(str(sev), SEVERITIES)}; "
                  f"chọn trong {', '.join(SEVERITIES)}", rid)
        else:
            out["severity"] = sev
    for key in ("families", "types", "not_types"):
        if key in data:
            val = data[key]
            val = [val] if isinstance(val, str) else val
            if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
                p.add((*where, key), f"{key!r} phải là danh sách chuỗi", rid)
                continue
            if key == "families":
                for v in val:
                    if v not in FAMILIES:
                        p.add((*where, key), f"họ văn bản không hợp lệ {v!r}{_did_you_mean(v, FAMILIES)}; "
                              f"chọn trong {', '.join(FAMILIES)}", rid)
            out[key] = tuple(val)
    if "enabled" in data:
        if not isinstance(data["enabled"], bool):
            p.add((*where, "enabled"), "'enabled' phải là true hoặc false", rid)
        else:
            out["enabled"] = data["enabled"]
    if "params" in data:
        params = data["params"]
        if not isinstance(params, dict):
            p.add((*where, "params"), "'params' phải là một ánh xạ (mapping)", rid)
        elif check is not None:
            for name, value in params.items():
                spec = check.params.get(name)
                if spec is None:
                    p.add((*where, "params", name), f"tham số không hợp lệ {name!r}"
                          f"{_did_you_mean(str(name), check.params)}; tham số của kiểm tra này: "
                          f"{', '.join(check.params) or '(không có)'}", rid)
                else:
                    _check_param(name, value, spec, (*where, "params", name), p, rid)
            out["params"] = dict(params)
    allowed_vars = (*STANDARD_VARS, *(check.vars if check else ()))
    for key in ("message", "message_en", "suggestion", "suggestion_en", "description"):
        if key not in data:
            continue
        val = data[key]
        if not isinstance(val, str) or not val.strip():
            p.add((*where, key), f"{key!r} phải là một chuỗi không rỗng", rid)
            continue
        if key != "description" and check is not None:
            try:
                for name in _placeholders(val):
                    if name not in allowed_vars:
                        p.add((*where, key), f"chỗ điền không biết {{{name}}}{_did_you_mean(name, allowed_vars)}; "
                              f"dùng được: {', '.join('{' + v + '}' for v in allowed_vars)}", rid)
            except ValueError as err:
                p.add((*where, key), str(err), rid)
        out[key] = val
    if "basis" in data:
        basis = _dated(data["basis"], (*where, "basis"), p, rid)
        for b in basis:
            try:
                for name in _placeholders(b.text):
                    if name not in pack_vars:
                        p.add((*where, "basis"), f"căn cứ dùng biến không có trong 'vars': {{{name}}}"
                              f"{_did_you_mean(name, pack_vars)}", rid)
            except ValueError as err:
                p.add((*where, "basis"), str(err), rid)
        out["basis"] = basis
    if "examples" in data:
        out["fires"], out["passes"] = _examples(data["examples"], (*where, "examples"), p, rid)
    return out


def parse_pack(data: Any, lines: dict[tuple[Any, ...], int], path: Path, *, builtin: bool = False,
               known_ids: Mapping[str, str] | None = None, base_vars: Iterable[str] = ()) -> Pack:
    """Validate a parsed pack; ``known_ids`` (rule id → check family) are the rules an override may name."""
    from vanban.rules.checks import CHECKS

    p = _Problems(path, lines)
    if not isinstance(data, dict):
        raise RulePackError(f"{path}:1: một gói quy tắc phải là ánh xạ có khóa 'rules'")
    p.unknown_keys(data, TOP_KEYS, ())
    name = str(data.get("pack") or path.stem)
    family = data.get("family")
    if family is not None and family not in ("party", "state"):
        p.add(("family",), f"'family' phải là party hoặc state{_did_you_mean(str(family), ('party', 'state'))}")
        family = None
    pack_vars: dict[str, tuple[DatedText, ...]] = {}
    raw_vars = data.get("vars") or {}
    if not isinstance(raw_vars, dict):
        p.add(("vars",), "'vars' phải là một ánh xạ tên → văn bản")
    else:
        for k, v in raw_vars.items():
            pack_vars[str(k)] = _dated(v, ("vars", k), p, None)
    var_names = (*pack_vars, *base_vars)
    rules: list[Rule] = []
    overrides: list[tuple[str, Mapping[str, Any], str]] = []
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        p.add(("rules",), "'rules' phải là danh sách quy tắc không rỗng")
        raw_rules = []
    known = dict(known_ids or {})
    seen: dict[str, int] = {}
    for i, item in enumerate(raw_rules):
        where = ("rules", i)
        if not isinstance(item, dict):
            p.add(where, "mỗi quy tắc phải là một ánh xạ có 'id'")
            continue
        rid = item.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            p.add((*where, "id"), f"mã quy tắc không hợp lệ {rid!r} (dạng CHỮ-HOA-SỐ, ví dụ SEC-FUNDING)")
            continue
        if rid in seen:
            p.add((*where, "id"), f"mã quy tắc lặp lại (đã có ở dòng {seen[rid]})", rid)
            continue
        seen[rid] = p.line(where)
        origin = p.at(where)
        if "check" not in item:
            if rid not in known:
                p.add((*where, "id"), f"không có quy tắc này để ghi đè{_did_you_mean(rid, known)}; "
                      "một quy tắc mới cần khóa 'check'", rid)
                continue
            p.unknown_keys(item, OVERRIDE_KEYS, where, rid)
            keys = {k: v for k, v in item.items() if k != "id"}
            fields_ = _rule_fields(keys, where, p, rid, CHECKS.get(known[rid]), var_names)
            overrides.append((rid, fields_, origin))
            continue
        p.unknown_keys(item, RULE_KEYS, where, rid)
        check_name = item["check"]
        check = CHECKS.get(check_name) if isinstance(check_name, str) else None
        if check is None:
            p.add((*where, "check"), f"họ kiểm tra chưa được cài đặt {check_name!r}"
                  f"{_did_you_mean(str(check_name), CHECKS)}; có: {', '.join(sorted(CHECKS))}", rid)
            continue
        for key in ("severity", "message"):
            if key not in item:
                p.add(where, f"thiếu khóa bắt buộc {key!r}", rid)
        for pname, spec in check.params.items():
            if spec.required and pname not in (item.get("params") or {}):
                p.add(where, f"thiếu tham số bắt buộc {pname!r} của {check_name}", rid)
        fields_ = _rule_fields(item, where, p, rid, check, var_names)
        if "severity" not in fields_ or "message" not in fields_:
            continue
        params = {k: v.default for k, v in check.params.items() if v.default is not None}
        params.update(fields_.pop("params", {}))
        rules.append(Rule(id=rid, check=check_name, pack=name, params=params, origin=origin,
                          pack_dir=path.parent, **fields_))
    p.raise_if_any()
    return Pack(name=name, path=path, rules=tuple(rules), overrides=tuple(overrides), family=family,
                description=data.get("description"), vars=pack_vars, builtin=builtin)


def read_pack(source: str | Path, *, known_ids: Mapping[str, str] | None = None,
              base_vars: Iterable[str] = ()) -> Pack:
    """A pack by built-in name ("party", "state", "common") or by path to a YAML file."""
    path = Path(source)
    if not path.suffix and (PACK_DIR / f"{source}.yaml").is_file():
        return builtin_packs()[str(source)]
    if not path.is_file():
        names = builtin_pack_names()
        hint = _did_you_mean(str(source), names)
        raise RulePackError(f"không tìm thấy gói quy tắc{hint}; gói có sẵn: {', '.join(names)}", path=source)
    return _read(path, known_ids=known_ids, base_vars=base_vars, builtin=False)


def _read(path: Path, *, known_ids: Mapping[str, str] | None, base_vars: Iterable[str], builtin: bool) -> Pack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RulePackError(f"không đọc được gói quy tắc: {err}", path=path) from None
    data, lines = _load_yaml(text, path)
    return parse_pack(data, lines, path, builtin=builtin, known_ids=known_ids, base_vars=base_vars)


def builtin_pack_names() -> list[str]:
    return sorted(p.stem for p in PACK_DIR.glob("*.yaml"))


_BUILTIN_CACHE: dict[str, Pack] = {}


def builtin_packs() -> dict[str, Pack]:
    """Every shipped pack, parsed once per process; ``common`` first, its vars shared by the others."""
    if not _BUILTIN_CACHE:
        names = builtin_pack_names()
        ordered = (["common"] if "common" in names else []) + [n for n in names if n != "common"]
        shared: set[str] = set()
        for name in ordered:
            pack = _read(PACK_DIR / f"{name}.yaml", known_ids=None, base_vars=shared, builtin=True)
            shared |= set(pack.vars)
            _BUILTIN_CACHE[name] = pack
    return dict(_BUILTIN_CACHE)


# --------------------------------------------------------------------------- rule sets


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The packs in force and their rules after user overrides, by pack."""

    packs: tuple[Pack, ...]

    def rules(self) -> list[Rule]:
        return [r for pack in self.packs for r in pack.rules]

    def ids(self) -> list[str]:
        return sorted({r.id for r in self.rules()})

    def vars(self) -> dict[str, tuple[DatedText, ...]]:
        out: dict[str, tuple[DatedText, ...]] = {}
        for pack in self.packs:
            out.update(pack.vars)
        return out


def build_ruleset(extra: Iterable[str | Path] = ()) -> RuleSet:
    """All built-in packs plus user packs; user overrides change the built-in rules they name."""
    builtin = builtin_packs()
    packs: list[Pack] = list(builtin.values())
    for source in extra:
        if not Path(source).suffix and str(source) in builtin:
            continue  # a built-in name only selects a pack; it is loaded already
        known = {r.id: r.check for pk in packs for r in pk.rules}
        base_vars = {v for pk in packs for v in pk.vars}
        pack = read_pack(source, known_ids=known, base_vars=base_vars)
        replaced = {r.id for r in pack.rules}
        if replaced:
            packs = [replace(pk, rules=tuple(r for r in pk.rules if r.id not in replaced)) for pk in packs]
        for rid, fields_, _origin in pack.overrides:
            packs = [replace(pk, rules=tuple(_override(r, fields_) if r.id == rid else r for r in pk.rules))
                     for pk in packs]
        packs.append(pack)
    return RuleSet(tuple(packs))


def _override(rule: Rule, fields_: Mapping[str, Any]) -> Rule:
    changes = dict(fields_)
    if "params" in changes:
        changes["params"] = {**rule.params, **changes["params"]}
    return replace(rule, **changes)


def resolve_dated(options: tuple[DatedText, ...], lo: date | None, hi: date | None) -> tuple[DatedText, ...]:
    """The texts that may apply to a document dated within [lo, hi] (unknown ends: every text)."""
    out = []
    for o in options:
        if o.since and hi and hi < o.since:
            continue
        if o.until and lo and lo > o.until:
            continue
        out.append(o)
    return tuple(out) or options
