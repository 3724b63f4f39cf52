"""The global search over the trigram indexes of migration 0016: on SQLite one FTS5 table per
kind (`find_<table>`, every searched column in it), on PostgreSQL a pg_trgm GIN index per
column, which `ILIKE '%q%'` uses. A query of one or two characters has no trigram: two
characters are looked up among the enterprises' two-character pieces (migration 0026's
`enterprise_bigrams`, both databases); the other kinds, and one character, are answered by the
same ILIKE on both, a scan (as name_search does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    and_,
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

# A query this long is looked up among the enterprises' two-character pieces (0026)...
BIGRAM = 2
# ... when fewer enterprises than this hold them (see rare_piece).
COMMON_PIECE = 2000


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


def _pieces() -> Any:
    return table("enterprise_bigrams", column("gram"), column("credit_code"))


def rare_piece(engine: Engine, text: str) -> bool:
    """Whether `text` is two characters held by few enterprises (fewer than COMMON_PIECE):
    then looking them up among the pieces is quicker; a common pair (厦门, 有限) is found
    sooner by reading the name index in order and testing each row, as a page needs only
    its first rows (and the total is counted once per data version)."""
    text = _searchable(text)
    if len(text) != BIGRAM:
        return False
    pieces = _pieces()
    beyond = (
        select(pieces.c.credit_code)
        .where(pieces.c.gram == func.lower(text))
        .offset(COMMON_PIECE)
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.scalar(beyond) is None


def words_contain(
    kind: FoundKind, text: str, dialect: str, *, by_pieces: bool = False
) -> ColumnElement[bool]:
    """A WHERE clause: one of the searched columns of `kind` contains `text`, ignoring case,
    through migration 0016's index (a scan for one or two characters); `by_pieces` (see
    rare_piece): two characters of an enterprise through migration 0026's pieces instead."""
    spec = KINDS[kind]
    searched = spec.table
    text = _searchable(text)
    pattern = f"%{_escape_like(text)}%"
    if by_pieces and searched is enterprises and len(text) == BIGRAM:
        # Migration 0026's pieces name the candidates (one index lookup); the ILIKE below
        # then decides on them alone, exactly as it would on the whole table.
        pieces = _pieces()
        candidates = select(pieces.c.credit_code).where(pieces.c.gram == func.lower(text))
        held: ColumnElement[bool] = searched.c.credit_code.in_(candidates)
        if dialect == "postgresql":  # an index condition, which a bitmap OR can then use
            held = searched.c.credit_code == func.any(func.array(candidates.scalar_subquery()))
        return and_(
            held,
            or_(*(searched.c[name].ilike(pattern, escape="\\") for name in spec.searched)),
        )
    if dialect == "sqlite" and len(text) >= TRIGRAM:
        index = table(f"find_{searched.name}", column("rowid"))
        matched = select(index.c.rowid).where(
            literal_column(index.name).op("MATCH")(_fts_phrase(text))
        )
        return literal_column(f"{searched.name}.rowid").in_(matched)
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
        rare = kind is FoundKind.ENTERPRISE and rare_piece(self.engine, text)
        matched = words_contain(kind, text, self.dialect, by_pieces=rare)
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
