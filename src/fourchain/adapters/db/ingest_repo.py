"""Import and export storage: natural keys, founding dates, batched upserts, ordered reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date

from sqlalchemy import Connection, String, Table, func, select, text

from fourchain.adapters.countries import iso_country
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.programmes_repo import SqlProgrammes
from fourchain.adapters.db.statistics import BULK_ROWS, refresh_statistics
from fourchain.adapters.db.tables import RECORD_TABLES, enterprises
from fourchain.adapters.db.tables_collab import COLLAB_TABLES
from fourchain.adapters.db.tables_market import (
    achievements,
    challenge_applications,
    challenge_calls,
    cooperation_projects,
    demands,
    milestones,
    tech_contracts,
)
from fourchain.adapters.db.tables_pipeline import (
    conversion_projects,
    fund_commitments,
    funds,
    insurance_claims,
    insurance_policies,
    investments,
    loans,
    people,
    pipeline_events,
    pipeline_projects,
    project_people,
    subsidies,
    subsidy_disbursements,
)
from fourchain.adapters.db.tables_programmes import (
    programme_calls,
    programme_outcomes,
    programme_projects,
    programme_stage_events,
    programmes,
)
from fourchain.adapters.db.upsert import Upsert
from fourchain.domain.pipeline import PipelineEvent
from fourchain.domain.programmes import ProgrammeProject
from fourchain.domain.records import RECORD_KINDS

BATCH_ROWS = 2_000

# The table each kind of record is stored in.
KIND_TABLES: dict[str, Table] = {
    **RECORD_TABLES,
    "pipeline_projects": pipeline_projects,
    "pipeline_events": pipeline_events,
    "people": people,
    "project_people": project_people,
    "funds": funds,
    "fund_commitments": fund_commitments,
    "investments": investments,
    "subsidies": subsidies,
    "subsidy_disbursements": subsidy_disbursements,
    "loans": loans,
    "insurance_policies": insurance_policies,
    "insurance_claims": insurance_claims,
    "conversion_projects": conversion_projects,
    "achievements": achievements,
    "demands": demands,
    "tech_contracts": tech_contracts,
    "programmes": programmes,
    "programme_calls": programme_calls,
    "programme_projects": programme_projects,
    "programme_outcomes": programme_outcomes,
    "programme_stage_events": programme_stage_events,
    **COLLAB_TABLES,
    "challenge_calls": challenge_calls,
    "challenge_applications": challenge_applications,
    "challenge_milestones": milestones,
    "cooperation_projects": cooperation_projects,
}


class SqlIngestStore:
    """IngestStore on one connection; the caller owns the transaction (engine.begin())."""

    def __init__(self, connection: Connection, batch_rows: int = BATCH_ROWS) -> None:
        self.connection = connection
        self.batch_rows = batch_rows

    def natural_keys(self, kind: str) -> set[str]:
        (key,) = RECORD_KINDS[kind].natural_key
        column = KIND_TABLES[kind].c[key]
        return {str(value) for value in self.connection.scalars(select(column))}

    def country(self, text: str) -> str | None:
        return iso_country(text)

    def founded_dates(self) -> dict[str, date | None]:
        query = select(enterprises.c.credit_code, enterprises.c.founded)
        return {str(code): founded for code, founded in self.connection.execute(query)}

    def histories(self) -> dict[str, list[PipelineEvent]]:
        return SqlPipelineStore(self.connection).histories()

    def names(self, kind: str) -> dict[str, str]:
        table = KIND_TABLES[kind]
        if "name_zh" not in table.c or "name_en" not in table.c:
            return {}
        (key,) = RECORD_KINDS[kind].natural_key
        found: dict[str, str] = {}
        query = select(table.c[key], table.c.name_zh, table.c.name_en)
        for natural, zh, en in self.connection.execute(query):
            found.setdefault(str(en).lower(), str(natural))
            found.setdefault(str(zh), str(natural))
        return found

    def programme_histories(self) -> dict[int, tuple[ProgrammeProject, list[int]]]:
        return SqlProgrammes(self.connection).histories()

    def save_programme_states(self, projects: Sequence[ProgrammeProject]) -> None:
        store = SqlProgrammes(self.connection)
        for project in projects:
            store.save_state(project)

    def _count(self, kind: str) -> int:
        return int(self.connection.scalar(select(func.count()).select_from(KIND_TABLES[kind])) or 0)

    def upsert(
        self,
        kind: str,
        records: Sequence[Mapping[str, object]],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        table = KIND_TABLES[kind]
        # a text the table cannot leave empty (an achievement's keywords) is stored as ""
        blank = [
            c.name
            for c in table.columns
            if not c.nullable and isinstance(c.type, String) and c.name in RECORD_KINDS[kind].keys
        ]
        if blank:
            records = [{**r, **{k: "" for k in blank if r.get(k) is None}} for r in records]
        carried = set(records[0]) if records else None
        upsert = Upsert(self.connection, table, RECORD_KINDS[kind].natural_key, carried)
        before = self._count(kind)
        written = 0
        total = len(records)
        for start in range(0, total, self.batch_rows):
            batch = records[start : start + self.batch_rows]
            written += upsert(batch)
            if progress is not None:
                progress(min(start + self.batch_rows, total), total)
        inserted = self._count(kind) - before
        self._follow_numbers(KIND_TABLES[kind])
        if written >= BULK_ROWS:
            refresh_statistics(self.connection, [table.name])
        return inserted, written - inserted

    def _follow_numbers(self, table: Table) -> None:
        """After record numbers came from a file, PostgreSQL's sequence of the table's id
        moves past them, so that the next record a service adds gets a free number (SQLite
        takes the largest id + 1 by itself)."""
        id_column = table.c.get("id")
        if self.connection.dialect.name != "postgresql" or id_column is None:
            return
        if id_column.autoincrement is not True:
            return
        self.connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
            )
        )

    def withdrawals(self, kind: str) -> dict[str, date]:
        table = KIND_TABLES[kind]
        (key,) = RECORD_KINDS[kind].natural_key
        query = select(table.c[key], table.c.withdrawn).where(table.c.withdrawn.is_not(None))
        return {str(natural): day for natural, day in self.connection.execute(query)}

    def records(self, kind: str, year: int | None = None) -> Iterator[dict[str, object]]:
        table = KIND_TABLES[kind]
        spec = RECORD_KINDS[kind]
        query = select(*(table.c[key] for key in spec.keys)).order_by(
            *(table.c[key] for key in spec.natural_key)
        )
        if year is not None:
            query = query.where(table.c["year"] == year)
        for row in self.connection.execute(query.execution_options(yield_per=5_000)):
            yield dict(row._mapping)
