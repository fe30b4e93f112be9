"""Startup cost is a property users feel: `vanban --help` must not import heavy libraries."""

from __future__ import annotations

import subprocess
import sys
import tempfile

HEAVY = ["spacy", "underthesea", "pdfplumber", "pypdfium2", "docx", "sklearn", "sqlalchemy", "fastapi",
         "uvicorn", "psycopg", "alembic", "numpy", "jinja2", "yaml", "ahocorasick", "viparse"]


def _modules_after(code: str) -> set[str]:
    # Run outside the checkout: its bare vanban/ folder would shadow the installed package.
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return {line.split(".")[0] for line in out.stdout.splitlines()}


def test_cli_help_imports_nothing_heavy() -> None:
    loaded = _modules_after(
        "import sys; sys.argv=['vanban','--help']\n"
        "from vanban.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_import_vanban_is_cheap() -> None:
    loaded = _modules_after("import vanban")
    assert not loaded & (set(HEAVY) | {"typer", "rich"})


def test_extracting_text_needs_no_heavy_nlp(tmp_path) -> None:
    from tests.paths import SEEDS

    seed = next(SEEDS.glob("*.txt"))
    loaded = _modules_after(f"import vanban\nvanban.extract({str(seed)!r})")
    assert not loaded & {"spacy", "underthesea", "sklearn", "pdfplumber", "fastapi", "sqlalchemy"}
