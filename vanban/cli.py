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


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True),
) -> None:
    if version:
        from vanban import __version__

        typer.echo(f"vanban {__version__}")
        raise typer.Exit()


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
    app()
