"""Name searches are served by the trigram indexes of migration 0009 (FTS5 on SQLite, pg_trgm
on PostgreSQL), find what a substring scan finds, and stay in step with writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text

from fourchain.adapters.db.registry_read import SqlRegistryReader
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.upsert import Upsert
from fourchain.bootstrap import Database
from fourchain.services.registry_views import DirectoryQuery, InstitutionQuery
from tests.db_templates import MigratedPostgres

DAY = date(2025, 12, 31)
NAMES = {
    "91350200MA0000001A": "厦门星海微电子有限公司",
    "91350200MA0000002B": "厦门远帆生物科技有限公司",
    "91350200MA0000003C": "Xiamen Blue Bay Materials Co., Ltd.",
    "91350200MA0000004D": "福建100%纯净水_科技有限公司",
    "91350200MA0000005E": 'Quoted "Star" Labs',
    "91350200MA0000006F": "泉州海峡科技有限公司",
}


def _code(n: int) -> str:
    return f"91350200MB{n:07d}X"


def _add(engine: Engine, names: dict[str, str]) -> None:
    with engine.begin() as connection:
        connection.execute(
            enterprises.insert(), [{"credit_code": k, "name": v} for k, v in names.items()]
        )
        connection.execute(
            institutions.insert(),
            [{"id": f"inst-{k}", "name": v, "kind": "university"} for k, v in names.items()],
        )


def _found(database: Database, query: str) -> tuple[set[str], int, set[str], int]:
    reader = SqlRegistryReader(database.engine)
    rows, total = reader.search_enterprises(DirectoryQuery(query=query), DAY, 0, 100)
    places, counted = reader.search_institutions(InstitutionQuery(query=query), 0, 100)
    return {r.credit_code for r in rows}, total, {p.id for p in places}, counted


def _expected(query: str, names: dict[str, str]) -> set[str]:
    q = query.strip()
    return {
        code
        for code, name in names.items()
        if q.lower() in name.lower() or code.startswith(q.upper())
    }


@pytest.mark.parametrize(
    "query",
    [
        "星海微",  # three characters: the index
        "有限公司",
        "科技",  # two characters: no trigram, answered through migration 0026's pieces
        "BL",  # … ignoring case
        "_科",  # … LIKE's wildcards literal there too
        "有",
        "厦",  # one character
        "blue bay",  # case ignored
        "XIAMEN",
        "100%纯",  # LIKE's wildcards are literal
        "水_科",
        "0%",
        '"Star"',  # an FTS5 quote is literal
        "91350200MA0000003",  # a credit-code prefix
        "91350200ma00000",
        "无此企业",
    ],
)
def test_a_name_search_finds_what_a_substring_scan_finds(database: Database, query: str) -> None:
    _add(database.engine, NAMES)
    codes, total, places, counted = _found(database, query)
    expected = _expected(query, NAMES)
    assert codes == expected and total == len(expected)
    by_name = {f"inst-{k}" for k, v in NAMES.items() if query.strip().lower() in v.lower()}
    assert places == by_name and counted == len(by_name)


def test_the_index_follows_inserts_renames_upserts_and_deletes(database: Database) -> None:
    _add(database.engine, NAMES)
    code = "91350200MA0000001A"
    with database.engine.begin() as connection:
        connection.execute(
            enterprises.update().where(enterprises.c.credit_code == code).values(name="鹭岛光电")
        )
        connection.execute(
            enterprises.delete().where(enterprises.c.credit_code == "91350200MA0000006F")
        )
        connection.execute(enterprises.insert(), [{"credit_code": _code(1), "name": "新星海微"}])
        connection.execute(
            enterprises.update().where(enterprises.c.credit_code == code).values(district="思明")
        )
        # What an import does: INSERT … ON CONFLICT DO UPDATE, one new row and one renamed.
        # Every column, as an import writes them (the NOT NULL ones beside the key are flags).
        blank = {c.name: None if c.nullable else False for c in enterprises.c}
        Upsert(connection, enterprises, ["credit_code"])(
            [
                blank | {"credit_code": _code(2), "name": "同安海峡渔业"},
                blank | {"credit_code": "91350200MA0000002B", "name": "厦门远帆海洋科技有限公司"},
            ]
        )
    assert _found(database, "星海微")[0] == {_code(1)}
    assert _found(database, "鹭岛光")[0] == {code}
    assert _found(database, "泉州海峡")[0] == set()
    assert _found(database, "海峡渔")[0] == {_code(2)}
    assert _found(database, "远帆海洋")[0] == {"91350200MA0000002B"}
    assert _found(database, "远帆生物")[0] == set()
    # two characters: migration 0026's pieces follow the same writes
    assert _found(database, "星海")[0] == {_code(1)}
    assert _found(database, "鹭岛")[0] == {code}
    assert _found(database, "泉州")[0] == set()
    assert _found(database, "渔业")[0] == {_code(2)}
    assert _found(database, "洋科")[0] == {"91350200MA0000002B"}
    assert _found(database, "生物")[0] == set()


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plan(engine: Engine, statement: str, parameters: Any) -> str:
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN {statement}", parameters)
        return "\n".join(str(row[0]) for row in cursor.fetchall())


def test_every_name_search_statement_is_planned_on_the_trigram_index(database: Database) -> None:
    many = {_code(n): f"测试企业{n:05d}号科技有限公司" for n in range(4000)}
    _add(database.engine, NAMES | many)
    # Statistics as autovacuum leaves them; on PostgreSQL VACUUM also moves the rows just
    # inserted out of the GIN index's pending list, which the planner otherwise costs as read.
    analyze = "ANALYZE" if database.engine.dialect.name == "sqlite" else "VACUUM ANALYZE"
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(analyze))
    with _statements(database.engine) as seen:
        assert _found(database, "星海微")[1] == 1
    searches = [(s, p) for s, p in seen if "count(" in s.lower() or "LIMIT" in s.upper()]
    assert len(searches) == 4  # count and page, enterprises and institutions
    for statement, parameters in searches:
        plan = _plan(database.engine, statement, parameters)
        if database.engine.dialect.name == "sqlite":
            # the directories search names and words through migration 0016's tables
            assert "VIRTUAL TABLE INDEX" in plan and "find_" in plan, plan
            scans = [line for line in plan.splitlines() if line.startswith("SCAN")]
            assert all("VIRTUAL TABLE" in line for line in scans), plan
        else:
            assert "_trgm" in plan and "Seq Scan" not in plan, plan


def test_a_two_character_search_is_planned_on_the_pieces(database: Database) -> None:
    many = {_code(n): f"测试企业{n:05d}号科技有限公司" for n in range(4000)}
    _add(database.engine, NAMES | many)
    analyze = "ANALYZE" if database.engine.dialect.name == "sqlite" else "VACUUM ANALYZE"
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(analyze))
    with _statements(database.engine) as seen:
        assert _found(database, "星海")[0] == {"91350200MA0000001A"}
    searches = [
        (s, p)
        for s, p in seen
        if "enterprises" in s and ("count(" in s.lower() or "LIMIT" in s.upper())
    ]
    for statement, parameters in searches:
        if "enterprise_bigrams" not in statement:
            continue  # how many hold the piece: the pieces' own key
        plan = _plan(database.engine, statement, parameters)
        assert "enterprise_bigrams" in plan, plan
        assert "SCAN enterprises" not in plan and "Seq Scan on enterprises" not in plan, plan
    assert sum("enterprise_bigrams" in s for s, _ in searches) == 2  # count and page
    # A pair most enterprises hold is found by reading the name index in order instead.
    with _statements(database.engine) as seen:
        assert _found(database, "科技")[1] == 4003
    assert not any("enterprise_bigrams" in s and "LIMIT ? OFFSET" in s for s, _ in seen[1:])


def test_every_trigram_index_keeps_a_short_pending_list(pg_migrated: MigratedPostgres) -> None:
    """Migration 0031 (PostgreSQL; SQLite's FTS5 has no pending list): a GIN index's pending
    list is read whole by every search until merged; at the server's 4 MB a name search beside
    an import took 50-87 ms instead of 1. A trigram index added later must keep the limit."""
    engine = create_engine(pg_migrated.fresh())
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_indexes i "
                    "ON i.indexname = c.relname AND i.schemaname = current_schema() "
                    "WHERE i.indexdef LIKE '%gin_trgm_ops%'"
                )
            ).all()
    finally:
        engine.dispose()
    assert {"ix_enterprises_name_trgm", "ix_institutions_name_trgm"} <= {n for n, _ in found}
    for name, options in found:
        assert "gin_pending_list_limit=256" in (options or []), name
