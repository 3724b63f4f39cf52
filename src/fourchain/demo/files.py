"""The demo city as import files: one `KIND.csv` per kind and `manifest.txt` listing them in
import order — what a real city would load to get everything the demo shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.ingest import write_table
from fourchain.domain.records import IMPORT_ORDER, RECORD_KINDS
from fourchain.services.ingest import export_rows

MANIFEST = "manifest.txt"


def write_demo_files(
    engine: Engine, folder: Path, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    """Export every kind of the database at `engine` into `folder` (created if missing) as
    `KIND.csv`, then `manifest.txt`; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with engine.connect() as connection:
        store = SqlIngestStore(connection)
        for done, name in enumerate(IMPORT_ORDER, start=1):
            kind = RECORD_KINDS[name]
            file = f"{name}.csv"
            written[file] = write_table(folder / file, kind, export_rows(store, kind))
            if progress is not None:
                progress(f"files {file}", done, len(IMPORT_ORDER))
    (folder / MANIFEST).write_text("".join(f"{file}\n" for file in written), encoding="utf-8")
    return written
