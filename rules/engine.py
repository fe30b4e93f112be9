"""Run the rule packs over one extracted document and build its ``CheckReport``.

Which packs apply depends on the document's family: ``common`` always; ``party`` (Quy định
66-QĐ/TW → 399-QĐ/TW, Hướng dẫn 36-HD/VPTW → 05-HD/VPTW) for Party documents; ``state`` (Nghị
định 30/2020/NĐ-CP) for state ones; both for joint documents, where a rule defined by both packs
fires only if the document satisfies neither family's form (either convention is accepted). A
document of unknown family is checked as the family the weak evidence points to, and the report
says which was assumed and why.

Date-relative rules compare against the document's own date; without one they use the best
evidence (a partly blank header date, the year in the summary line, the latest cited date),
name it in the message, or stay silent.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.extractor.errors import UsageError
from vanban.extractor.model import ExtractedDocument
from vanban.rules.checks.symbols import document_type_code
from vanban.rules.context import Bound, CheckContext, Hit, Reference, Text, clip, vi_date
from vanban.rules.model import CheckReport, Finding, Suppressed
from vanban.rules.packs import SEVERITIES, DatedText, Pack, Rule, RuleSet, build_ruleset, resolve_dated

if TYPE_CHECKING:
    from vanban.corpus.registry import Registry

FAMILY_PACKS = {"party": ("party",), "state": ("state",), "joint": ("party", "state")}


def check(
    doc: ExtractedDocument,
    *,
    packs: list[str | Path] | None = None,
    disable: Iterable[str] = (),
    severity: Mapping[str, str] | None = None,
    registry: Registry | None = None,
    suppress_file: Path | None = None,
    lang: str = "vi",
) -> CheckReport:
    """Check one document against the packs for its family (plus ``packs``) and return the report.

    ``packs`` adds user packs (paths) or forces built-in ones by name ("party", "state");
    ``disable`` switches rules off; ``severity`` maps rule ids to new levels; ``registry`` is the
    regulation registry (default: built-in facts plus the user's data file); ``suppress_file`` is a
    sidecar of suppressions (default: ``<doc>.vanban.yaml`` beside the source, if any).
    """
    if lang not in ("vi", "en"):
        raise UsageError(f"ngôn ngữ không hỗ trợ {lang!r}; dùng vi hoặc en")
    packs = list(packs or [])
    ruleset = build_ruleset([p for p in packs if Path(str(p)).suffix])
    validate_options(ruleset, disable, severity or {})
    forced = [str(p) for p in packs if not Path(str(p)).suffix]
    for name in forced:
        if name not in {pk.name for pk in ruleset.packs if pk.builtin}:
            from vanban.rules.packs import read_pack

            read_pack(name)  # raises with the list of built-in packs
    family, family_note = _family(doc, forced)
    selected = _select(ruleset, family, forced)
    reference = reference_date(doc)
    reg_factory = (lambda: registry) if registry is not None else _default_registry
    disabled = set(disable)
    overrides = dict(severity or {})

    from vanban.rules.checks import CHECKS

    dual = _dual_ids(selected)
    per_pack: list[tuple[Pack, Rule, list[Finding]]] = []
    manual: list[Finding] = []
    type_code = document_type_code(doc)
    pack_vars = ruleset.vars()
    # One context for every pack: what a check computes about the document, the next one reuses.
    ctx = CheckContext(doc=doc, family=family, reference=reference, registry_factory=reg_factory)
    for pack in selected:
        ctx.pack_family = pack.family
        for rule in pack.rules:
            if not _applies(rule, type_code, doc, family, disabled):
                continue
            spec = CHECKS[rule.check]
            hits = list(spec.fn(ctx, rule.params))
            findings = [_finding(rule, hit, doc, reference, pack_vars, overrides) for hit in hits]
            if spec.manual:
                manual.extend(replace(f, manual=True) for f in findings)
            else:
                per_pack.append((pack, rule, findings))

    findings = _merge(per_pack, dual, family)
    manual = _dedupe(manual)
    suppressions, ignored = _suppressions(doc, suppress_file, set(ruleset.ids()))
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for f in findings:
        s = next((s for s in suppressions if s.matches(f.rule, f.subject)), None)
        if s is None:
            kept.append(f)
        else:
            suppressed.append(Suppressed(f.rule, f.subject, s.reason, s.source, f.start, f.end, f.severity))
    kept.sort(key=lambda f: (f.start, f.end, f.rule))

    evidence: dict[str, str] = {}
    if family_note is not None:
        evidence["family"] = family_note.get(lang)
    described = reference.describe()
    if described is not None:
        evidence["reference_date"] = described.get(lang)
    if ignored:
        evidence["ignored_suppressions"] = Text(
            "chú thích vanban-disable không ghi lý do nên không được áp dụng: ",
            "vanban-disable comments without a reason were not applied: ").get(lang) + "; ".join(ignored)
    return CheckReport(
        document=doc,
        findings=tuple(kept),
        manual_checks=tuple(manual),
        suppressed=tuple(suppressed),
        packs=tuple(p.name for p in selected),
        evidence=evidence,
        family=family,
        lang=lang,
    )


def validate_options(ruleset: RuleSet, disable: Iterable[str], severity: Mapping[str, str]) -> None:
    """Unknown rule ids or levels in --disable/--severity are usage errors, with a "did you mean"."""
    import difflib

    ids = ruleset.ids()
    problems = []
    for rid in [*disable, *severity]:
        if rid not in ids:
            close = difflib.get_close_matches(rid.upper(), ids, n=1, cutoff=0.5)
            problems.append(f"không có quy tắc {rid!r}" + (f" (ý bạn là {close[0]!r}?)" if close else ""))
    for rid, level in severity.items():
        if level not in SEVERITIES:
            close = difflib.get_close_matches(level, SEVERITIES, n=1)
            problems.append(f"{rid}: mức độ không hợp lệ {level!r}" + (f" (ý bạn là {close[0]!r}?)" if close else "")
                            + f"; chọn trong {', '.join(SEVERITIES)}")
    if problems:
        raise UsageError("; ".join(problems))


def _default_registry() -> Registry:
    from vanban.corpus.registry import Registry

    return Registry.load_default(shared=True)


# --------------------------------------------------------------------------- family and packs

_PARTY_SYMBOL = re.compile(r"^\d+-[A-Za-zĐđ]+/")
_STATE_SYMBOL = re.compile(r"^\d+/")
_PARTY_WORDS = re.compile(r"\b(?:Đảng ủy|Đảng uỷ|Huyện ủy|Huyện uỷ|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Chi bộ|"
                          r"Ban Thường vụ|Đảng bộ)\b", re.IGNORECASE)
_STATE_WORDS = re.compile(r"\b(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Sở|Bộ)\b")


def _family(doc: ExtractedDocument, forced: list[str]) -> tuple[str, Text | None]:
    h = doc.document
    forced_fams = [f for f in forced if f in ("party", "state")]
    if forced_fams:
        fam = "joint" if set(forced_fams) == {"party", "state"} else forced_fams[0]
        return fam, Text(f"bộ quy tắc được chọn: {', '.join(forced_fams)}", f"packs chosen: {', '.join(forced_fams)}")
    if h.family in ("party", "state", "joint"):
        return h.family, None
    votes: list[tuple[str, Text]] = []
    if h.symbol and _PARTY_SYMBOL.match(h.symbol):
        votes.append(("party", Text(f"ký hiệu {h.symbol} viết kiểu Đảng", f"the symbol {h.symbol} is Party style")))
    elif h.symbol and _STATE_SYMBOL.match(h.symbol):
        votes.append(("state", Text(f"ký hiệu {h.symbol} viết kiểu nhà nước",
                                    f"the symbol {h.symbol} is state style")))
    for s in h.signers:
        auth = (s.authority or "").strip()
        if re.match(r"^[TK]\s*/\s*[MTL]\b", auth):
            votes.append(("party", Text(f"thẩm quyền ký “{clip(auth, 30)}”", f"the signing authority “{clip(auth, 30)}”")))
        elif re.match(r"^(?:TM|KT|TL|TUQ)\.", auth):
            votes.append(("state", Text(f"thẩm quyền ký “{clip(auth, 30)}”", f"the signing authority “{clip(auth, 30)}”")))
    if h.issuer:
        if _PARTY_WORDS.search(h.issuer):
            votes.append(("party", Text(f"cơ quan ban hành “{clip(h.issuer, 40)}”", f"the issuer “{clip(h.issuer, 40)}”")))
        elif _STATE_WORDS.search(h.issuer):
            votes.append(("state", Text(f"cơ quan ban hành “{clip(h.issuer, 40)}”", f"the issuer “{clip(h.issuer, 40)}”")))
    fams = {f for f, _ in votes}
    if len(fams) == 1:
        fam = fams.pop()
        why_vi = "; ".join(t.vi for _, t in votes)
        why_en = "; ".join(t.en for _, t in votes)
        name = Text("văn bản của Đảng", "a Party document") if fam == "party" else \
            Text("văn bản hành chính nhà nước", "a state document")
        return fam, Text(f"không xác định được họ văn bản từ phần đầu; coi là {name.vi} vì {why_vi}",
                         f"the header does not say which family; assumed {name.en} because of {why_en}")
    if len(fams) == 2:
        return "joint", Text("không xác định được họ văn bản; dấu hiệu của cả Đảng và nhà nước nên áp dụng cả hai bộ "
                             "quy tắc: " + "; ".join(t.vi for _, t in votes),
                             "family unknown; signs of both Party and state, so both packs apply: "
                             + "; ".join(t.en for _, t in votes))
    return "state", Text("không xác định được họ văn bản; áp dụng quy tắc văn bản hành chính nhà nước "
                         "(Nghị định 30/2020/NĐ-CP áp dụng cho mọi cơ quan nhà nước)",
                         "family unknown; the state rules (Decree 30/2020/NĐ-CP) were applied")


def _select(ruleset: RuleSet, family: str, forced: list[str]) -> list[Pack]:
    wanted = set(forced) | set(FAMILY_PACKS.get(family, ()))
    out = []
    for pack in ruleset.packs:
        if pack.builtin and pack.family is not None and pack.name not in wanted and pack.family not in wanted:
            continue
        out.append(pack)
    return out


def _dual_ids(packs: list[Pack]) -> set[str]:
    """Rules defined by both the Party and the state pack (their forms differ by family)."""
    party = {r.id for p in packs if p.family == "party" for r in p.rules}
    state = {r.id for p in packs if p.family == "state" for r in p.rules}
    return party & state


def _applies(rule: Rule, code: str | None, doc: ExtractedDocument, family: str, disabled: set[str]) -> bool:
    if not rule.enabled or rule.id in disabled:
        return False
    fams = set(rule.families)
    if family not in fams and not (doc.document.family == "unknown" and "unknown" in fams):
        return False
    # Rules for one type (a plan's sections) stay silent when the type is unknown.
    if rule.not_types and code in rule.not_types:
        return False
    return not rule.types or code in rule.types


def _merge(per_pack: list[tuple[Pack, Rule, list[Finding]]], dual: set[str], family: str) -> list[Finding]:
    """Joint documents: a rule both family packs define stands only if the document meets neither
    family's form; then the findings of the form it came closer to are kept (fewer findings, and
    among equals the one that reports absences rather than text of the other family)."""
    out: list[Finding] = []
    if family != "joint" or not dual:
        for _, _, findings in per_pack:
            out.extend(findings)
        return _dedupe(out)
    by_family: dict[str, dict[str, list[Finding]]] = {"party": {}, "state": {}}
    for pack, rule, findings in per_pack:
        if rule.id in dual and pack.family in by_family:
            by_family[pack.family].setdefault(rule.id, []).extend(findings)
        else:
            out.extend(findings)
    for rid in sorted(dual):
        party, state = by_family["party"].get(rid, []), by_family["state"].get(rid, [])
        if not party or not state:
            continue  # one family's form is met
        chosen = min((party, state), key=lambda fs: (len(fs), sum(f.end > f.start for f in fs)))
        bases = "; ".join(dict.fromkeys(b for b in (party[0].basis, state[0].basis) if b)) or None
        out.extend(replace(f, basis=bases, pack="party+state") for f in chosen)
    return _dedupe(out)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None, int, int]] = set()
    out = []
    for f in findings:
        key = (f.rule, f.subject, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# --------------------------------------------------------------------------- findings


class _Vars(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _render(template: str | None, values: Mapping[str, Any], lang: str) -> str | None:
    if template is None:
        return None
    data = _Vars({k: (v.get(lang) if isinstance(v, Text) else v) for k, v in values.items()})
    return template.format_map(data)


def _finding(rule: Rule, hit: Hit, doc: ExtractedDocument, ref: Reference,
             pack_vars: Mapping[str, tuple[DatedText, ...]], overrides: Mapping[str, str]) -> Finding:
    values: dict[str, Any] = {"subject": hit.subject or "", "text": clip(doc.text[hit.start:hit.end], 80)}
    values.update(hit.vars)
    message = _render(rule.message, values, "vi") or rule.id
    message_en = _render(rule.message_en, values, "en")
    return Finding(
        rule=rule.id,
        severity=overrides.get(rule.id, rule.severity),  # type: ignore[arg-type]
        message=_tidy(message) or rule.id,
        start=hit.start,
        end=hit.end,
        subject=hit.subject,
        basis=basis_text(rule.basis, pack_vars, ref),
        suggestion=_tidy(_render(rule.suggestion, values, "vi")),
        message_en=_tidy(message_en),
        suggestion_en=_tidy(_render(rule.suggestion_en, values, "en")),
        pack=rule.pack,
    )


def _tidy(s: str | None) -> str | None:
    if s is None:
        return None
    s = re.sub(r"[ \t]{2,}", " ", s).strip()
    return re.sub(r"\s+([.,;:)])", r"\1", s)


def basis_text(basis: tuple[DatedText, ...], pack_vars: Mapping[str, tuple[DatedText, ...]],
               ref: Reference) -> str | None:
    """The legal basis for a document of this date; both regimes, each with its dates, when unknown."""
    if not basis:
        return None
    lo, hi = ref.lo(), ref.hi()
    lo_d, hi_d = (lo.value if lo else None), (hi.value if hi else None)
    values = {name: _dated_join(resolve_dated(opts, lo_d, hi_d)) for name, opts in pack_vars.items()}
    texts = [_render(o.text, values, "vi") or "" for o in resolve_dated(basis, lo_d, hi_d)]
    if len(texts) == 1:
        return texts[0]
    return _dated_join(tuple(DatedText(t, o.since, o.until)
                             for t, o in zip(texts, resolve_dated(basis, lo_d, hi_d), strict=True)))


def _dated_join(options: tuple[DatedText, ...]) -> str:
    if len(options) == 1:
        return options[0].text
    parts = []
    for o in options:
        when = []
        if o.since:
            when.append(f"từ {vi_date(o.since)}")
        if o.until:
            when.append(f"đến {vi_date(o.until)}")
        parts.append(f"{o.text} (văn bản ban hành {' '.join(when)})" if when else o.text)
    return " hoặc ".join(parts)


# --------------------------------------------------------------------------- reference date

_PARTIAL_MONTH = re.compile(r"tháng\s*(\d{1,2})\s*năm\s*((?:19|20)\d\d)", re.IGNORECASE)
_PARTIAL_YEAR = re.compile(r"năm\s*((?:19|20)\d\d)", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"(?<![\w-])năm\s+((?:19|20)\d\d)(?!\s*[-–]\s*(?:19|20)\d\d)", re.IGNORECASE)
_NOT_ISSUE_YEAR = re.compile(r"(?:đến|tới|từ|giai đoạn|tầm nhìn|nhiệm kỳ|sau|trước|các|những)\s*$", re.IGNORECASE)
_LOOKS_BACK = re.compile(r"tổng kết|sơ kết|kết quả|báo cáo", re.IGNORECASE)


def reference_date(doc: ExtractedDocument) -> Reference:
    """What is known about when ``doc`` was issued, each bound with the evidence for it."""
    h = doc.document
    if h.date and h.date_valid:
        d = date.fromisoformat(h.date)
        if "date" in h.inferred:
            ev = Text(f"ngày {vi_date(d)} suy ra từ nội dung, phần đầu không ghi ngày",
                      f"the date {d.isoformat()} inferred from the body, no header date")
        else:
            ev = Text(f"ngày ban hành {vi_date(d)}", f"the date of issue {d.isoformat()}")
        b = Bound(d, "own_date", ev)
        return Reference((b,), (b,))
    lower: list[Bound] = []
    upper: list[Bound] = []
    span = h.date_span
    if span is not None:
        line = " ".join(span.text.split())
        # An impossible date ("31 tháng 4") may be wrong in its month as well as its day: only its
        # year is evidence then.
        m = _PARTIAL_MONTH.search(line) if h.date_valid else None
        if m and 1 <= int(m[1]) <= 12:
            y, mo = int(m[2]), int(m[1])
            first, last = date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
            ev = Text(f"dòng ngày tháng chỉ ghi “tháng {mo} năm {y}”, ngày để trống",
                      f"the date line gives only “tháng {mo} năm {y}”, the day is blank")
            lower.append(Bound(first, "header_partial", ev))
            upper.append(Bound(last, "header_partial", ev))
        else:
            m = _PARTIAL_YEAR.search(line)
            if m:
                y = int(m[1])
                ev = Text(f"dòng ngày tháng chỉ ghi “năm {y}”, ngày và tháng để trống",
                          f"the date line gives only “năm {y}”, day and month blank")
                lower.append(Bound(date(y, 1, 1), "header_partial", ev))
                upper.append(Bound(date(y, 12, 31), "header_partial", ev))
    title = " ".join((h.title or "").split())
    # A report's year is the period it reports on, written after that period ended.
    if title and not _LOOKS_BACK.search(title) and document_type_code(doc) not in ("BC", "TB"):
        years = {int(m[1]) for m in _TITLE_YEAR.finditer(title) if not _NOT_ISSUE_YEAR.search(title[: m.start()])}
        if len(years) == 1:
            y = years.pop()
            ev = Text(f"“năm {y}” trong trích yếu; văn bản không ghi ngày ban hành",
                      f"“năm {y}” in the summary line; the document has no date of issue")
            lower.append(Bound(date(y, 1, 1), "title_year", ev))
            upper.append(Bound(date(y, 12, 31), "title_year", ev))
    # A document is issued after what it cites — unless the citation is the mistake: a cited date
    # after what the header says of the document's own date is no evidence (CIT-DATE-FUTURE reports it).
    cap = min((b.value for b in upper), default=None)
    cited = [(c.date, c) for c in doc.citations if c.date and (cap is None or date.fromisoformat(c.date) <= cap)]
    if cited:
        latest, c = max(cited, key=lambda t: t[0])
        d = date.fromisoformat(latest)
        ev = Text(f"văn bản được dẫn mới nhất ({c.symbol or clip(c.text, 30)}) ngày {vi_date(d)}",
                  f"the latest cited document ({c.symbol or clip(c.text, 30)}) of {d.isoformat()}")
        lower.append(Bound(d, "cited_dates", ev))
    return Reference(tuple(lower), tuple(upper))


# --------------------------------------------------------------------------- suppressions


def _suppressions(doc: ExtractedDocument, suppress_file: Path | None, known: set[str]) -> tuple[list[Any], list[str]]:
    from vanban.rules.suppress import from_sidecar, from_text, sidecar_for

    found, ignored = from_text(doc.text)
    path = suppress_file if suppress_file is not None else sidecar_for(doc.source.path)
    if path is not None:
        found.extend(from_sidecar(Path(path), known))
    return found, ignored
