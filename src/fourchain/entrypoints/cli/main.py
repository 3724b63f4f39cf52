"""The `fourchain` command: one Typer app; each area registers its commands on it."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

import click
import typer

from fourchain.entrypoints.cli import (
    cultivation,
    demo,
    finance_writes,
    foresight,
    indicators,
    ingest,
    jobs,
    market,
    market_records,
    market_writes,
    outlook,
    pipeline,
    pipeline_writes,
    programmes,
    registry,
    scale,
    web,
)
from fourchain.errors import FourchainError, ImportRejected

app = typer.Typer(
    name="fourchain",
    help="fourchain: run a city's science-and-technology innovation system (四链融合).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for area in (
    registry,
    ingest,
    demo,
    cultivation,
    market,
    market_records,
    market_writes,
    pipeline,
    pipeline_writes,
    finance_writes,
    web,
    indicators,
    foresight,
    outlook,
    scale,
    jobs,
    programmes,
):
    area.register(app)


def _report(error: FourchainError) -> None:
    typer.echo(f"error: {error.message}", err=True)
    if isinstance(error, ImportRejected):
        for row_error in error.errors:
            typer.echo(f"  {row_error}", err=True)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; errors become one readable line (exit 2)."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        return 1
    except click.ClickException as usage:
        usage.show()
        return 2
    except FourchainError as error:
        _report(error)
        return 2
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except Exception as unexpected:  # noqa: BLE001 - the CLI never shows a traceback by default
        if os.environ.get("FOURCHAIN_DEBUG"):
            traceback.print_exc()
        typer.echo(
            f"error: unexpected {type(unexpected).__name__}: {unexpected} "
            "(set FOURCHAIN_DEBUG=1 for the traceback)",
            err=True,
        )
        return 1
    return int(result) if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
