"""Symbols are spelled with ASCII hyphens whatever dash the author typed."""

from __future__ import annotations

import pytest
from vanban.extractor.normalize import ascii_dashes


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "-"])
def test_every_dash_becomes_a_hyphen(dash: str) -> None:
    assert ascii_dashes(f"120{dash}KL/TW") == "120-KL/TW"


def test_other_text_is_untouched() -> None:
    assert ascii_dashes("Độc lập - Tự do") == "Độc lập - Tự do"
