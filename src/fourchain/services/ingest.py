"""Import and export use cases: validate a whole file, then write all of it or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from fourchain.domain.ledger_files import NEEDS as LEDGER_NEEDS
from fourchain.domain.ledger_files import ledger_file_errors
from fourchain.domain.programmes import ProgrammeProject
from fourchain.domain.records import RECORD_KINDS, WITHDRAWABLE, RecordKind
from fourchain.domain.validation import (
    PARTIES,
    PARTY_TARGETS,
    REFERENCES,
    Context,
    Record,
    validate_rows,
)
from fourchain.errors import ImportRejected, InvalidInput, RowError
from fourchain.services.ingest_pipeline import replay
from fourchain.services.ingest_programmes import replay_steps
from fourchain.services.ports import IngestStore, RowSource

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    kind: str
    file: str
    rows: int
    inserted: int
    updated: int
    withdrawn: int = 0  # records the file withdrew (live or new before it)
    restored: int = 0  # withdrawn records the file made live again (a blank withdrawn cell)

    @property
    def unchanged(self) -> int:
        return self.rows - self.inserted - self.updated

    def summary(self) -> str:
        line = (
            f"{self.file}: {self.rows:,} {self.kind} row(s) — {self.inserted:,} inserted, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged"
        )
        if self.withdrawn or self.restored:
            line += f"; {self.withdrawn:,} withdrawn, {self.restored:,} made live again"
        return line


def record_kind(name: str) -> RecordKind:
    """The record kind called `name`, or an error that lists the kinds there are."""
    try:
        return RECORD_KINDS[name]
    except KeyError:
        raise InvalidInput(
            f"unknown kind {name!r}; the kinds are: {', '.join(RECORD_KINDS)}"
        ) from None


def _context(store: IngestStore, kind: RecordKind, today: date) -> Context:
    targets = set(REFERENCES.get(kind.name, {}).values())
    if kind.name in PARTIES:
        targets.update(PARTY_TARGETS.values())
    known = {target: store.natural_keys(target) for target in targets}
    founded = store.founded_dates() if kind.name == "enterprise_years" else {}
    aliases = {target: store.names(target) for target in targets}
    return Context(
        today=today, known=known, founded=founded, aliases=aliases, country=store.country
    )


def _withdrawals(
    store: IngestStore, kind: RecordKind, records: list[Record], in_file: bool
) -> tuple[int, int]:
    """A file without the withdrawn column (an old one) leaves each stored record withdrawn
    or live as it is, and adds new records live; with the column, the file is the truth.
    Returns how many records the file withdraws (live or new before it) and how many
    withdrawn ones it makes live again (for the audit entry)."""
    kept = store.withdrawals(kind.name)
    (key,) = kind.natural_key
    if not in_file:
        for record in records:
            record["withdrawn"] = kept.get(str(record[key]))
        return 0, 0
    withdrawn = restored = 0
    for record in records:
        before, after = kept.get(str(record[key])), record["withdrawn"]
        withdrawn += before is None and after is not None
        restored += before is not None and after is None
    return withdrawn, restored


def import_rows(
    store: IngestStore,
    kind: RecordKind,
    source: RowSource,
    *,
    today: date,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of `source` against the contract and the registry; any error rejects
    the whole file (ImportRejected, nothing written). Otherwise upsert every row by natural
    key through `store`, whose transaction the caller commits."""
    checked = validate_rows(
        kind, source.rows, file=source.file, context=_context(store, kind, today)
    )
    records, found = checked.records, [*checked.errors, *source.problems]
    withdrawn = restored = 0
    if kind.name in WITHDRAWABLE:
        in_file = "withdrawn" in source.columns
        withdrawn, restored = _withdrawals(store, kind, records, in_file)
    if kind.name in LEDGER_NEEDS and not found:
        # the finance services' limits, across the file's rows and the stored records
        held = {name: store.records(name) for name in LEDGER_NEEDS[kind.name]}
        found = ledger_file_errors(kind.name, source.file, records, checked.rows, held)
    if kind.name == "pipeline_events" and not found:
        # the log only grows: stored events come back unchanged, new ones pass the gates
        at = datetime.combine(today, time(0, 0))
        records, found = replay(source.file, records, checked.rows, store.histories(), at)
    moved: list[ProgrammeProject] = []
    if kind.name == "programme_stage_events" and not found:
        # a project's steps pass the same state machine as `programmes move`
        records, moved, found = replay_steps(
            source.file, records, checked.rows, store.programme_histories()
        )
    errors = sorted(found, key=lambda error: error.row)
    if errors:
        raise ImportRejected(source.file, errors)
    if not checked.records:
        raise ImportRejected(
            source.file, [RowError(source.file, 2, "", "the file has no data rows")]
        )
    inserted, updated = store.upsert(kind.name, records, progress) if records else (0, 0)
    if moved:
        store.save_programme_states(moved)
    rows = len(checked.records)
    return ImportResult(kind.name, source.file, rows, inserted, updated, withdrawn, restored)


def export_rows(
    store: IngestStore, kind: RecordKind, year: int | None = None
) -> Iterator[dict[str, object]]:
    """The stored records of `kind` (of one year when given) in natural-key order."""
    if year is not None and "year" not in kind.keys:
        with_year = ", ".join(name for name, k in RECORD_KINDS.items() if "year" in k.keys)
        raise InvalidInput(f"--year applies to {with_year}, not {kind.name}")
    return store.records(kind.name, year)
