"""ingest → header → sections → citations → references → deadlines → targets → units → tasks."""

from __future__ import annotations

from datetime import date

from vanban.extractor.model import ExtractedDocument, IngestedDocument, Span


def _span_ranges(*spans: Span | None) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans if s is not None]


def extract_ingested(doc: IngestedDocument) -> ExtractedDocument:
    """Run every extractor over one ingested document."""
    from vanban.extractor.citations import extract_citations
    from vanban.extractor.deadlines import find_deadlines
    from vanban.extractor.header import find_header
    from vanban.extractor.references import find_references
    from vanban.extractor.sections import find_sections
    from vanban.extractor.targets import find_targets
    from vanban.extractor.tasks import find_tasks
    from vanban.extractor.units import find_units

    text = doc.text
    header = find_header(doc)
    sections = find_sections(doc)
    # The document's own number and date are not citations or deadlines.
    own = _span_ranges(header.number_span, header.date_span)
    citations = extract_citations(text, exclude=own)
    references = find_references(text, citations)
    doc_date = date.fromisoformat(header.date) if header.date else None
    cited = own + [(c.start, c.end) for c in citations]
    # A document is issued after everything it cites: a bound on its date when the header has none.
    cited_dates = [date.fromisoformat(c.date) for c in citations if c.date]
    deadlines = find_deadlines(text, doc_date=doc_date, exclude=cited, issued_after=max(cited_dates, default=None))
    targets = find_targets(text, exclude=cited)
    units = find_units(text, exclude=_span_ranges(header.issuer_span))
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
