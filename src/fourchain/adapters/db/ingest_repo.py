"""Import and export storage: natural keys, founding dates, batched upserts, ordered reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date

from sqlalchemy import Connection, func, select

from fourchain.adapters.db.tables import RECORD_TABLES, enterprises
from fourchain.adapters.db.upsert import Upsert
from fourchain.domain.records import RECORD_KINDS

BATCH_ROWS = 2_000


class SqlIngestStore:
    """IngestStore on one connection; the caller owns the transaction (engine.begin())."""

    def __init__(self, connection: Connection, batch_rows: int = BATCH_ROWS) -> None:
        self.connection = connection
        self.batch_rows = batch_rows

    def natural_keys(self, kind: str) -> set[str]:
        (key,) = RECORD_KINDS[kind].natural_key
        column = RECORD_TABLES[kind].c[key]
        return {str(value) for value in self.connection.scalars(select(column))}

    def founded_dates(self) -> dict[str, date | None]:
        query = select(enterprises.c.credit_code, enterprises.c.founded)
        return {str(code): founded for code, founded in self.connection.execute(query)}

    def names(self, kind: str) -> dict[str, str]:
        table = RECORD_TABLES[kind]
        if "name_zh" not in table.c or "name_en" not in table.c:
            return {}
        (key,) = RECORD_KINDS[kind].natural_key
        found: dict[str, str] = {}
        query = select(table.c[key], table.c.name_zh, table.c.name_en)
        for natural, zh, en in self.connection.execute(query):
            found.setdefault(str(en).lower(), str(natural))
            found.setdefault(str(zh), str(natural))
        return found

    def _count(self, kind: str) -> int:
        return int(
            self.connection.scalar(select(func.count()).select_from(RECORD_TABLES[kind])) or 0
        )

    def upsert(
        self,
        kind: str,
        records: Sequence[Mapping[str, object]],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        upsert = Upsert(self.connection, RECORD_TABLES[kind], RECORD_KINDS[kind].natural_key)
        before = self._count(kind)
        written = 0
        total = len(records)
        for start in range(0, total, self.batch_rows):
            batch = records[start : start + self.batch_rows]
            written += upsert(batch)
            if progress is not None:
                progress(min(start + self.batch_rows, total), total)
        inserted = self._count(kind) - before
        return inserted, written - inserted

    def records(self, kind: str, year: int | None = None) -> Iterator[dict[str, object]]:
        table = RECORD_TABLES[kind]
        spec = RECORD_KINDS[kind]
        query = select(*(table.c[key] for key in spec.keys)).order_by(
            *(table.c[key] for key in spec.natural_key)
        )
        if year is not None:
            query = query.where(table.c["year"] == year)
        for row in self.connection.execute(query.execution_options(yield_per=5_000)):
            yield dict(row._mapping)
