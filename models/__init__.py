"""Trained statistical models and the code that trains them (see models/README.md)."""

if __name__ == "models":
    # Imported as the bare `models` package: `python -m models.train` run from the checkout root.
    # There the root's own vanban/ folder (front doors only) would shadow the installed package
    # that maps this folder to vanban.models, so drop the root from the search path; everything
    # below imports vanban.models.*.
    import sys
    from pathlib import Path

    _root = Path(__file__).resolve().parent.parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _root]
