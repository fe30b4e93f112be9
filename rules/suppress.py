"""Suppressing a finding for one document, always with a reason.

Two ways, like Vale's in-document comments and textlint's allow lists:

* a comment anywhere in the text: ``vanban-disable CIT-UNKNOWN: văn bản nội bộ của huyện`` or, for
  one subject only, ``vanban-disable CIT-INCOMPLETE 25-NQ/TW: đã dẫn đầy đủ ở phụ lục``; several
  rules may be listed with commas;
* a sidecar file beside the document, ``<doc>.vanban.yaml`` (``ke-hoach.docx.vanban.yaml`` or
  ``ke-hoach.vanban.yaml``), holding a list of ``{rule, subject?, reason}``.

A suppression without a reason is not applied; the report says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vanban.extractor.errors import RulePackError

_COMMENT = re.compile(
    r"vanban-disable\s+(?P<rules>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?:\s*,\s*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)*)"
    r"(?:[ \t]+(?P<subject>[^:\n]+?))?[ \t]*(?::[ \t]*(?P<reason>[^\n]*))?$",
    re.MULTILINE,
)
SIDECAR_KEYS = ("rule", "subject", "reason")


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    subject: str | None
    reason: str
    source: str  # "comment" or the sidecar path
    start: int = 0  # where the comment is in the text
    end: int = 0

    def matches(self, rule: str, subject: str | None) -> bool:
        if self.rule != rule:
            return False
        if self.subject is None:
            return True
        from vanban.corpus.registry import symbol_fold

        return subject is not None and symbol_fold(self.subject) == symbol_fold(subject)


def from_text(text: str) -> tuple[list[Suppression], list[str]]:
    """Suppressions written in the document; and the comments ignored for lack of a reason."""
    found: list[Suppression] = []
    ignored: list[str] = []
    for m in _COMMENT.finditer(text):
        reason = (m["reason"] or "").strip().rstrip("-*>/ ").strip()
        rules = [r.strip() for r in m["rules"].split(",")]
        if not reason:
            ignored.append(m.group(0).strip())
            continue
        subject = (m["subject"] or "").strip() or None
        for rule in rules:
            found.append(Suppression(rule, subject, reason, "comment", m.start(), m.end()))
    return found, ignored


def sidecar_for(source: str | None) -> Path | None:
    """``ke-hoach.docx.vanban.yaml`` or ``ke-hoach.vanban.yaml`` beside the document, if present."""
    if not source:
        return None
    path = Path(source)
    for cand in (path.with_name(path.name + ".vanban.yaml"), path.with_name(path.stem + ".vanban.yaml")):
        if cand.is_file():
            return cand
    return None


def from_sidecar(path: Path, known_rules: set[str] | None = None) -> list[Suppression]:
    """Read a sidecar list; a malformed file is an error naming the file and the entry."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RulePackError(f"không đọc được tệp bỏ qua: {err.strerror}", path=path) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RulePackError(f"{where}: YAML không hợp lệ: {getattr(err, 'problem', err)}") from None
    if data is None:
        return []
    if isinstance(data, dict) and set(data) == {"suppress"}:
        data = data["suppress"]
    if not isinstance(data, list):
        raise RulePackError("tệp bỏ qua phải là danh sách {rule, subject?, reason}", path=path)
    out = []
    problems = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"mục {i}: phải là {{rule, subject?, reason}}")
            continue
        unknown = [k for k in item if k not in SIDECAR_KEYS]
        if unknown:
            import difflib

            hints = [f"{k!r}" + (f" (ý bạn là {c[0]!r}?)" if (c := difflib.get_close_matches(str(k), SIDECAR_KEYS, 1))
                                 else "") for k in unknown]
            problems.append(f"mục {i}: khóa không hợp lệ {', '.join(hints)}")
        rule, reason = item.get("rule"), item.get("reason")
        if not isinstance(rule, str) or not rule:
            problems.append(f"mục {i}: thiếu 'rule'")
            continue
        if known_rules is not None and rule not in known_rules:
            import difflib

            close = difflib.get_close_matches(rule, sorted(known_rules), 1)
            problems.append(f"mục {i}: không có quy tắc {rule!r}" + (f" (ý bạn là {close[0]!r}?)" if close else ""))
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"mục {i} ({rule}): thiếu lý do 'reason'")
            continue
        subject = item.get("subject")
        out.append(Suppression(rule, str(subject) if subject is not None else None, reason.strip(), str(path)))
    if problems:
        raise RulePackError("tệp bỏ qua không hợp lệ:\n  " + "\n  ".join(problems), path=path)
    return out
