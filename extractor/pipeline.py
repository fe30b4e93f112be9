"""ingest → header → sections → citations → references → deadlines → targets → units → tasks."""

from __future__ import annotations

import re
from datetime import date

from vanban.extractor.model import ExtractedDocument, Header, IngestedDocument, Span


def _span_ranges(*spans: Span | None) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans if s is not None]


_YEAR = re.compile(r"năm[ \t.…_*]*((?:19|20)\d\d)", re.IGNORECASE)
_MONTH = re.compile(r"tháng[ \t.…_*]*(\d{1,2})(?!\d)", re.IGNORECASE)


def _plan_date(header: Header) -> date | None:
    """The document's date; for a draft dated by month and year only ("ngày … tháng 01 năm 2026"),
    the first day of that month, which is all the year of a yearless deadline needs."""
    if header.date:
        return date.fromisoformat(header.date)
    if header.date_span is None:
        return None
    y = _YEAR.search(header.date_span.text)
    if y is None:
        return None
    m = _MONTH.search(header.date_span.text)
    month = int(m.group(1)) if m and 1 <= int(m.group(1)) <= 12 else 1
    return date(int(y.group(1)), month, 1)


def extract_ingested(doc: IngestedDocument) -> ExtractedDocument:
    """Run every extractor over one ingested document."""
    from vanban.extractor.citations import extract_citations
    from vanban.extractor.deadlines import find_deadlines
    from vanban.extractor.header import find_header
    from vanban.extractor.layout import portal_footer
    from vanban.extractor.references import find_references
    from vanban.extractor.sections import find_sections
    from vanban.extractor.targets import find_targets
    from vanban.extractor.tasks import find_tasks
    from vanban.extractor.units import find_units

    text = doc.text
    header = find_header(doc)
    sections = find_sections(doc)
    # A page saved from a legal portal ends with the portal's footer: nothing there is the document's.
    header_end = max((s.end for s in (header.number_span, header.date_span, header.title_span) if s), default=0)
    footer = portal_footer(text, header_end)
    chrome = [(footer, len(text))] if footer is not None else []
    # The document's own number and date are not citations or deadlines.
    own = _span_ranges(header.number_span, header.date_span)
    citations = extract_citations(text, exclude=own)
    if footer is not None:
        citations = tuple(c for c in citations if c.start < footer)
    references = find_references(text, citations)
    doc_date = _plan_date(header)
    cited = own + chrome + [(c.start, c.end) for c in citations]
    # A document is issued after everything it cites: a bound on its date when the header has none.
    cited_dates = [date.fromisoformat(c.date) for c in citations if c.date]
    deadlines = find_deadlines(text, doc_date=doc_date, exclude=cited, issued_after=max(cited_dates, default=None))
    targets = find_targets(text, exclude=cited)
    units = find_units(text, exclude=_span_ranges(header.issuer_span) + chrome)
    tasks = find_tasks(text, sections, units, deadlines)
    return ExtractedDocument(
        source=doc.source,
        text=text,
        document=header,
        sections=sections,
        citations=citations,
        references=references,
        deadlines=deadlines,
        targets=targets,
        units=units,
        tasks=tasks,
        quality=doc.quality,
        conversions=doc.conversions,
        warnings=doc.warnings,
        ingested=doc,
    )
