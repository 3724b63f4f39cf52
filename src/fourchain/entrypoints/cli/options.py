"""Options that many commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="SQLite file (or a database URL). Default: DATABASE_URL, else var/fourchain.db.",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
YearOption = Annotated[int, typer.Option("--year", help="The year (figures at its end).")]
