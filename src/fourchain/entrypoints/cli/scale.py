"""CLI command for running the analytics elsewhere: `snapshot` writes the registry as Parquet
(what `--snapshot DIR` and `--engine spark` read)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from fourchain.bootstrap import database_url, open_database
from fourchain.bootstrap.foresight import snapshot
from fourchain.entrypoints.cli.options import DbOption

_err = Console(stderr=True)


def snapshot_command(
    out: Annotated[Path, typer.Option("--out", help="The folder for <table>.parquet files.")],
    db: DbOption = None,
) -> None:
    """Write the registry as Parquet, one file a table plus manifest.json (row counts)."""
    database = open_database(database_url(db), create=False)
    try:
        with _err.status("写出快照 writing the snapshot…"):
            counts = snapshot(database, out)
    finally:
        database.dispose()
    for name, n in counts.items():
        typer.echo(f"{out / (name + '.parquet')}\t{n:,} rows")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("snapshot")(snapshot_command)
