"""The global search over the trigram indexes of migration 0016: on SQLite one FTS5 table per
kind (`find_<table>`, every searched column in it), on PostgreSQL a pg_trgm GIN index per
column, which `ILIKE '%q%'` uses. A query of one or two characters has no trigram and is
answered by the same ILIKE on both (as name_search does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    true,
)

from fourchain.adapters.db.name_search import (
    TRIGRAM,
    _escape_like,
    _fts_phrase,
    _searchable,
    code_starts_with,
)
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_market import achievements, challenge_calls, demands
from fourchain.adapters.db.tables_pipeline import people
from fourchain.domain.challenge import CallState
from fourchain.services.finding import FindScope, Found, FoundKind


@dataclass(frozen=True)
class _Kind:
    table: Table
    key: str
    title: str
    detail: str
    searched: tuple[str, ...]  # as migration 0016 indexes them, in its order


KINDS = {
    FoundKind.ENTERPRISE: _Kind(
        enterprises, "credit_code", "name", "main_product", ("name", "main_product")
    ),
    FoundKind.INSTITUTION: _Kind(institutions, "id", "name", "services", ("name", "services")),
    FoundKind.ACHIEVEMENT: _Kind(
        achievements, "id", "title", "keywords", ("title", "keywords", "abstract")
    ),
    FoundKind.DEMAND: _Kind(demands, "id", "problem", "field", ("problem", "description", "field")),
    FoundKind.CALL: _Kind(challenge_calls, "id", "title", "field", ("title", "problem", "field")),
    FoundKind.EXPERT: _Kind(people, "id", "name", "expertise", ("name", "expertise")),
}


def _visible(kind: FoundKind, scope: FindScope) -> ColumnElement[bool]:
    """What `scope` may see of `kind` (the market's own rules, services/market and
    adapters/db/market_repo; withdrawn records have left the market for everyone)."""
    if kind is FoundKind.ACHIEVEMENT:
        a = achievements.c
        seen: ColumnElement[bool] = true() if scope.bureau else a.listed.is_(True)
        if scope.institution and not scope.bureau:
            seen = or_(seen, a.institution_id == scope.institution)
        return a.withdrawn.is_(None) & seen
    if kind is FoundKind.DEMAND:
        d = demands.c
        seen = true() if scope.bureau else d.confidential.is_(False)
        if scope.enterprise and not scope.bureau:
            seen = or_(seen, d.credit_code == scope.enterprise)
        return d.withdrawn.is_(None) & seen
    if kind is FoundKind.CALL:
        return true() if scope.bureau else challenge_calls.c.state != CallState.DRAFT.value
    if kind is FoundKind.EXPERT:
        standing = people.c.withdrawn.is_(None)
        return (people.c.expertise.is_not(None) & standing) if scope.experts else false()
    return true()


def words_contain(kind: FoundKind, text: str, dialect: str) -> ColumnElement[bool]:
    """A WHERE clause: one of the searched columns of `kind` contains `text`, ignoring case,
    through migration 0016's index (a scan for one or two characters)."""
    spec = KINDS[kind]
    searched = spec.table
    text = _searchable(text)
    if dialect == "sqlite" and len(text) >= TRIGRAM:
        index = table(f"find_{searched.name}", column("rowid"))
        matched = select(index.c.rowid).where(
            literal_column(index.name).op("MATCH")(_fts_phrase(text))
        )
        return literal_column(f"{searched.name}.rowid").in_(matched)
    pattern = f"%{_escape_like(text)}%"
    return or_(*(searched.c[name].ilike(pattern, escape="\\") for name in spec.searched))


class SqlFinder:
    """services.ports.FindReader over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def find(
        self, kind: FoundKind, text: str, scope: FindScope, limit: int
    ) -> tuple[list[Found], int]:
        spec = KINDS[kind]
        text = _searchable(text).strip()
        if not text:
            return [], 0
        c = spec.table.c
        matched = words_contain(kind, text, self.dialect)
        if kind is FoundKind.ENTERPRISE:
            matched = or_(matched, code_starts_with(c.credit_code, text.upper()))
        where = [matched, _visible(kind, scope)]
        listed = (
            select(c[spec.key], c[spec.title], c[spec.detail])
            .where(*where)
            .order_by(c[spec.title], c[spec.key])
            .limit(limit)
        )
        counted = select(func.count()).select_from(spec.table).where(*where)
        with self.engine.connect() as connection:
            rows: list[Any] = list(connection.execute(listed))
            total = int(connection.scalar(counted) or 0)
        return [Found(kind, str(row[0]), str(row[1]), str(row[2] or "")) for row in rows], total
