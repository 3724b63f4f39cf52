"""Options that many commands share, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    # str, not Path: a Path would fold the // of a database URL into /.
    str | None,
    typer.Option(
        "--db",
        help="SQLite file (or a database URL). Default: DATABASE_URL, else var/fourchain.db.",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
YearOption = Annotated[int, typer.Option("--year", help="The year (figures at its end).")]
