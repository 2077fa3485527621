"""The `actorgraph` command line: parse, call one library function, print.

Every command's errors are `ActorgraphError`s, mapped in one place (`_Group.invoke`) to one line, a hint and an
exit code: the user never sees a traceback for a failure we foresaw.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from actorgraph import __version__
from actorgraph.config import Settings
from actorgraph.errors import ActorgraphError

out = Console()
err = Console(stderr=True)


class _Group(TyperGroup):
    """Maps the error hierarchy to one line + hint + exit code, for every command."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context type is private
        try:
            return super().invoke(ctx)
        except ActorgraphError as exc:  # markup=False: article text may contain [brackets]
            message = "Error: " + " ".join(str(exc).split()) + (f"\nHint: {exc.hint}" if exc.hint else "")
            err.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    help="Turn news text into an evidence-backed graph of actors and accusations.\n\n"
    "Example: actorgraph db start && actorgraph db status",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(
    cls=_Group,
    help="Start, stop and inspect the graph database.\n\nExample: actorgraph db start && actorgraph db status",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


class State:
    """Settings for this invocation: the environment, overridden by global options."""

    settings: Settings = Settings.from_env()


def _version(value: bool) -> None:
    if value:
        out.print(f"actorgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    graph: Annotated[str | None, typer.Option("--graph", help="Embedded graph name \\[env: ACTORGRAPH_GRAPH].")] = None,
    uri: Annotated[str | None, typer.Option("--uri", help="Use Neo4j at this URI \\[env: NEO4J_URI].")] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="Neo4j database \\[env: NEO4J_DATABASE].")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn news text into an evidence-backed graph of actors and accusations.

    Example: actorgraph db start && actorgraph db status
    """
    State.settings = Settings.from_env().override(graph=graph, neo4j_uri=uri, neo4j_database=database)


# -- db -------------------------------------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Start the embedded graph engine (or check that Neo4j answers); it keeps running after this command.

    Example: actorgraph db start
    """
    from actorgraph.graph.lifecycle import start

    info = start(State.settings)
    out.print(f"{info['backend']} ready at {info['where']}", markup=False, highlight=False)


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded graph engine; the graph stays on disk for the next start.

    Example: actorgraph db stop
    """
    from actorgraph.graph.lifecycle import stop

    out.print(stop(State.settings), markup=False, highlight=False)


@db_app.command("status")
def db_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the backend, where it is, the data dir, and node and relationship counts.

    Example: actorgraph db status --json
    """
    import json

    from rich.table import Table

    from actorgraph.graph.lifecycle import status

    info = status(State.settings)
    if as_json:
        out.print_json(json.dumps(info))
        return
    table = Table(show_header=False, box=None)
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:,}" for k, v in value.items()) or "-"
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)


@db_app.command("path")
def db_path() -> None:
    """Print the data dir of the embedded engine (graph, password file, log).

    Example: ls "$(actorgraph db path)"
    """
    out.print(str(State.settings.home), markup=False, highlight=False, soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    app()
