"""CLI commands of the ingest area: `import`, `export` and `template` of registry records."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from fourchain.bootstrap import Services, open_services
from fourchain.bootstrap.ingest import IngestArea
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.records import RECORD_KINDS
from fourchain.entrypoints.cli.options import DbOption
from fourchain.errors import ImportRejected
from fourchain.services.audit import AuditTrail
from fourchain.services.ingest import ImportResult, export_rows, import_rows, record_kind
from fourchain.services.market_matching import INDEXED_KINDS

_KINDS = ", ".join(RECORD_KINDS)
KindOption = Annotated[str, typer.Option("--kind", help=f"The record kind: {_KINDS}.")]
FileArgument = Annotated[
    Path, typer.Argument(help="A .csv (UTF-8 or GB18030) or .xlsx file.", show_default=False)
]
OutOption = Annotated[Path, typer.Option("--out", help="The file to write: .csv or .xlsx.")]


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; elsewhere (logs, pipes) a plain line per tenth done."""
    if sys.stderr.isatty():
        with Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
        return
    shown = [-1]

    def line(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth != shown[0]:
            shown[0] = tenth
            typer.echo(f"{label}: {done:,} of {total:,} rows written", err=True)

    yield line


def _audit(
    where: Services | AuditTrail, action: Action, result: Result, obj: str, detail: str
) -> None:
    """Imports and exports from the command line go into the platform's audit log too, under
    the operating-system user who ran them. Given the trail of an open import, the entry
    commits with the rows it records."""
    trail = where if isinstance(where, AuditTrail) else where.auth.audit
    trail.record(
        datetime.now(UTC),
        action,
        result,
        username=f"cli:{getpass.getuser()}",
        address="local",
        object=obj,
        detail=detail,
    )


def _import_detail(result: ImportResult) -> str:
    return details(
        rows=result.rows,
        inserted=result.inserted,
        updated=result.updated,
        unchanged=result.unchanged,
        withdrawn_rows=result.withdrawn or None,
        restored_rows=result.restored or None,
    )


def import_file(file: FileArgument, kind: KindOption, db: DbOption = None) -> None:
    """Import FILE as records of KIND: every row is checked first; any bad row rejects the
    whole file and nothing is written. Rows already stored (same natural key) are updated."""
    spec = record_kind(kind)
    what = f"{spec.name}:{file.name}"
    with open_services(db) as services:
        ingest = services.ingest
        try:
            with (
                ingest.read_table(file, spec) as source,
                _progress(f"importing {source.file}") as progress,
                ingest.importing() as unit,
            ):
                result = import_rows(
                    unit.store, spec, source, today=date.today(), progress=progress
                )
                # Same transaction: the rows never commit without their audit entry.
                _audit(unit.audit, Action.IMPORT, Result.SUCCESS, what, _import_detail(result))
        except ImportRejected as rejected:
            bad = details(bad_rows=len(rejected.errors))
            _audit(services, Action.IMPORT, Result.REFUSED, what, bad)
            raise
        if spec.name in INDEXED_KINDS:
            # as after a withdrawal in the browser: the matching index is synced (a queued
            # job), so an imported withdrawal leaves matching too, not only the lists
            services.market.records_changed()
    typer.echo(result.summary())


def export_file(
    kind: KindOption,
    out: OutOption,
    db: DbOption = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Only this year (kinds with a year).")
    ] = None,
) -> None:
    """Export the stored records of KIND to a .csv or .xlsx file in the template's layout."""
    spec = record_kind(kind)
    with open_services(db) as services:
        with services.ingest.reading() as store:
            count = services.ingest.write_table(out, spec, export_rows(store, spec, year))
        _audit(
            services, Action.EXPORT, Result.SUCCESS, f"{spec.name}:{out.name}", details(rows=count)
        )
    typer.echo(f"{out.name}: {count:,} {spec.name} row(s) written")


def template(
    kind: Annotated[str, typer.Argument(help=f"The record kind: {_KINDS}.", show_default=False)],
    out: OutOption,
) -> None:
    """Write an empty file to fill in for KIND (XLSX adds a sheet explaining each column)."""
    spec = record_kind(kind)
    IngestArea.write_template(out, spec)
    typer.echo(f"{out.name}: template for {spec.name} ({spec.label_zh}) written")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("import")(import_file)
    app.command("export")(export_file)
    app.command("template")(template)
