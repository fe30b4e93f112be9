"""Findings and check reports: what `vanban check` produces (contract: shared/spec/extraction.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vanban.extractor.model import SCHEMA_VERSION, ExtractedDocument

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # Vietnamese, rendered from the pack's template
    start: int  # half-open span in the document text (0, 0 when the finding is about an absence)
    end: int
    subject: str | None = None  # citation key, section role, date … (stable across versions)
    basis: str | None = None  # legal basis, in words
    suggestion: str | None = None
    message_en: str | None = None
    manual: bool = False  # "kiểm tra thủ công": software cannot decide, a person must look
    suggestion_en: str | None = None
    pack: str | None = None  # the rule pack the rule came from

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "subject": self.subject,
            "basis": self.basis,
            "suggestion": self.suggestion,
            "message_en": self.message_en,
            "manual": self.manual,
            "suggestion_en": self.suggestion_en,
            "pack": self.pack,
        }


@dataclass(frozen=True, slots=True)
class Suppressed:
    rule: str
    subject: str | None
    reason: str
    source: str = "comment"  # "comment" (vanban-disable in the text) or the sidecar file's path
    start: int = 0  # the suppressed finding's span
    end: int = 0
    severity: str | None = None  # the suppressed finding's severity

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "subject": self.subject, "reason": self.reason, "source": self.source,
                "start": self.start, "end": self.end, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class CheckReport:
    document: ExtractedDocument
    findings: tuple[Finding, ...]
    manual_checks: tuple[Finding, ...] = ()  # things a person must verify (seal, signature, layout)
    suppressed: tuple[Suppressed, ...] = ()
    packs: tuple[str, ...] = ()  # names of the packs applied
    evidence: dict[str, str] = field(default_factory=dict)  # e.g. {"reference_date": "title year 2024"}
    family: str | None = None  # the family the rules were chosen for (may be assumed; see evidence)
    lang: str = "vi"  # the language the caller asked for (messages carry both)

    def summary(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "schema_version": SCHEMA_VERSION,
            "source": doc.source.to_dict(),
            "document": doc.document.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "manual_checks": [f.to_dict() for f in self.manual_checks],
            "suppressed": [s.to_dict() for s in self.suppressed],
            "packs": list(self.packs),
            "evidence": dict(self.evidence),
            "family": self.family,
            "summary": self.summary(),
            "suppressed_count": len(self.suppressed),
        }
