"""Options that many commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fourchain.domain.matching import Filters

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

# Where the analytics run (indicators, assess): DuckDB on one machine, or PySpark.
EngineOption = Annotated[
    str, typer.Option("--engine", help="duckdb (default, one machine) or spark (PySpark).")
]
MasterOption = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="With --engine spark: local[*] (default), spark://host:7077, yarn, k8s://…, "
        "or a Spark Connect URL sc://host:15002.",
    ),
]
SnapshotOption = Annotated[
    Path | None,
    typer.Option("--snapshot", help="Read a Parquet snapshot (fourchain snapshot) not --db."),
]

# Matching filters (技术市场): each may be given several times where it names a set.
FieldFilter = Annotated[
    list[str] | None,
    typer.Option("--field", help="Only records of this field / industry cluster (repeatable)."),
]
TrlMin = Annotated[
    int | None, typer.Option("--trl-min", min=1, max=9, help="Achievements of at least this TRL.")
]
TrlMax = Annotated[
    int | None, typer.Option("--trl-max", min=1, max=9, help="Achievements of at most this TRL.")
]
IpFilter = Annotated[
    list[str] | None,
    typer.Option("--ip-status", help="Achievements with this IP status (repeatable)."),
]
DistrictFilter = Annotated[
    list[str] | None,
    typer.Option("--district", help="Institutions and enterprises in this district (repeatable)."),
]


def match_filters(
    field: list[str] | None,
    trl_min: int | None,
    trl_max: int | None,
    ip_status: list[str] | None,
    district: list[str] | None,
) -> Filters:
    """The matching filters of the options above (an error names an empty TRL range)."""
    return Filters(
        fields=frozenset(field or ()),
        trl_min=trl_min,
        trl_max=trl_max,
        ip_statuses=frozenset(ip_status or ()),
        districts=frozenset(district or ()),
    )
