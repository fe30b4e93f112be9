"""The `vanban` command. Commands live in vanban/commands/; heavy imports happen inside them."""

from __future__ import annotations

import typer

from vanban.commands.extract import extract_cli

app = typer.Typer(
    name="vanban",
    help="Kiểm tra, trích xuất và lưu trữ kế hoạch hành chính tiếng Việt "
    "(check, extract and index Vietnamese administrative plans).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if not value:
        return
    from vanban import __version__
    from vanban.models.artifact import status

    typer.echo(f"vanban {__version__}")
    # A model that is absent or unreadable is not an error: extraction uses the rules there.
    typer.echo("models:")
    for s in status():
        typer.echo(f"  {s.line()}")
    raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True,
        help="Print the version and the state of each trained model, and exit.",
    ),
) -> None:
    pass


app.command("extract")(extract_cli)


def _register_optional() -> None:
    """Command groups built in their own modules (check, regs, archive, serve)."""
    import importlib

    for module in ("vanban.commands.check", "vanban.commands.regs", "vanban.commands.archive",
                   "vanban.commands.serve"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
            continue
        mod.register(app)


_register_optional()


def main() -> None:
    from vanban.extractor.errors import plain_warnings

    plain_warnings()
    app()
