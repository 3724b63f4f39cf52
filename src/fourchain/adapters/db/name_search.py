"""`name contains q` served by the trigram indexes of migration 0009 on each database.

SQLite answers from an FTS5 trigram table (`search_<table>`, rowids of the searched table);
PostgreSQL from a pg_trgm GIN index on the column, which `ILIKE '%q%'` uses. Both match without
regard to case, as the scan they replace did.

A trigram index cannot answer a query of one or two characters (it has no trigram to look up):
those are answered by the same ILIKE, which on PostgreSQL and SQLite reads the table. They are
kept rather than refused because two-character Chinese words (科技, 厦门) are common queries;
what they cost is measured in benchmarks/bench_web_load.py. The enterprise directory and the
global search look two characters up in migration 0026's bigram table instead, when few
enterprises hold them (find_search.rare_piece).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

# A trigram index needs at least this many characters in the query.
TRIGRAM = 3


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _searchable(text: str) -> str:
    """No stored name holds a NUL, and neither FTS5 (it ends the string) nor PostgreSQL (it
    refuses the value) takes one in a query: drop it, so such a search simply finds nothing."""
    return text.replace("\x00", "")


def _fts_phrase(text: str) -> str:
    """An FTS5 query matching `text` as one phrase: with the trigram tokenizer, a substring."""
    return '"' + text.replace('"', '""') + '"'


def code_starts_with(key: Any, prefix: str) -> Any:
    """`key` starts with `prefix`, as a range a B-tree index answers on both databases (LIKE
    'p%' uses the primary key's index on neither SQLite's BINARY nor PostgreSQL's C.UTF-8)."""
    prefix = _searchable(prefix)
    if not prefix:
        return key.is_not(None)
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (key >= prefix) & (key < upper)


# The tables a search index covers; on SQLite each has its FTS5 table `search_<name>`, which
# sits outside the metadata (migration 0009 made it), so dropping the tables leaves it behind.
SEARCHED_TABLES = ("enterprises", "institutions")
# The global search's FTS5 tables `find_<name>` (migration 0016), likewise outside the metadata.
FOUND_TABLES = (
    "enterprises",
    "institutions",
    "achievements",
    "demands",
    "challenge_calls",
    "people",
)


# Migration 0026's side table of two-character pieces (both databases) and, on SQLite, its
# table of positions: outside the metadata too.
BIGRAM_TABLES = ("enterprise_bigrams", "bigram_positions")


def drop_search_indexes(connection: Connection) -> None:
    """Drop SQLite's FTS5 tables (their triggers go with the tables they watch) and the bigram
    tables of both databases."""
    for name in BIGRAM_TABLES:
        connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
    if connection.dialect.name == "sqlite":
        for name in SEARCHED_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS search_{name}"))
        for name in FOUND_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS find_{name}"))
