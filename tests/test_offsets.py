"""Every entity's text is exactly the slice of the normalized text its offsets name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import SAMPLE, SEEDS, real_texts

DOCS = sorted(SEEDS.glob("*.txt")) + real_texts() + [SAMPLE]


def _spans(doc):  # type: ignore[no-untyped-def]
    for c in doc.citations:
        yield "citation", c.text, c.start, c.end
    for r in doc.references:
        yield "reference", r.text, r.start, r.end
    for d in doc.deadlines:
        yield "deadline", d.text, d.start, d.end
    for t in doc.targets:
        yield "target", t.text, t.start, t.end
    for u in doc.units:
        yield "unit", u.name, u.start, u.end
    for t in doc.tasks:
        yield "task", t.text, t.start, t.end
    h = doc.document
    for name in ("motto", "slogan", "issuer_span", "number_span", "date_span", "type_span", "title_span",
                 "recipients_span"):
        span = getattr(h, name)
        if span is not None:
            yield name, span.text, span.start, span.end
    for span in h.recipient_spans:
        yield "recipient", span.text, span.start, span.end


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_entity_text_equals_its_slice(path: Path) -> None:
    import vanban

    doc = vanban.extract(path)
    n = len(doc.text)
    for kind, text, start, end in _spans(doc):
        assert 0 <= start <= end <= n, (kind, start, end)
        assert doc.text[start:end] == text, (kind, text)
    for section in doc.all_sections():
        assert 0 <= section.start <= section.heading_end <= section.end <= n
    for block in (doc.ingested.blocks if doc.ingested else ()):
        assert 0 <= block.start < block.end <= n
