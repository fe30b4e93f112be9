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
        }


@dataclass(frozen=True, slots=True)
class Suppressed:
    rule: str
    subject: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    document: ExtractedDocument
    findings: tuple[Finding, ...]
    manual_checks: tuple[Finding, ...] = ()  # things a person must verify (seal, signature, layout)
    suppressed: tuple[Suppressed, ...] = ()
    packs: tuple[str, ...] = ()  # names of the packs applied
    evidence: dict[str, str] = field(default_factory=dict)  # e.g. {"reference_date": "title year 2024"}

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
            "suppressed": [{"rule": s.rule, "subject": s.subject, "reason": s.reason} for s in self.suppressed],
            "packs": list(self.packs),
            "evidence": dict(self.evidence),
            "summary": self.summary(),
        }
