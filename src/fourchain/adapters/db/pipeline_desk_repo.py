"""Corrections of the pipeline's records: conversion projects, people and incubation projects
as their columns (withdrawn ones too), changed in place or withdrawn (the row stays, with the
day), and people attached to and detached from projects. The caller owns the transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, Table, func, insert, or_, select, update

from fourchain.adapters.db.tables import chains, clusters, enterprises, institutions
from fourchain.adapters.db.tables_pipeline import (
    conversion_projects,
    people,
    pipeline_projects,
    project_people,
)

# The records this store corrects, by kind, and their key column.
DESK_TABLES: dict[str, Table] = {
    "conversion_projects": conversion_projects,
    "people": people,
    "pipeline_projects": pipeline_projects,
}
_KEYS: dict[str, Table] = {
    "enterprises": enterprises,
    "clusters": clusters,
    "chains": chains,
    "institutions": institutions,
    "pipeline_projects": pipeline_projects,
    "people": people,
}
_KEY_COLUMN = {"enterprises": "credit_code", "clusters": "key", "chains": "key"}


def _contains(text: str) -> str:
    """A LIKE pattern (escape "\\") for text containing `text`; a NUL, which no stored name
    holds and PostgreSQL refuses, is dropped."""
    escaped = text.replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%")
    return "%" + escaped.replace("_", "\\_") + "%"


class SqlPipelineDeskStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, kind: str, key: str | int) -> dict[str, object] | None:
        table = DESK_TABLES[kind]
        row = self.connection.execute(select(table).where(table.c.id == key)).first()
        return None if row is None else dict(row._mapping)

    def records(self, kind: str) -> list[dict[str, object]]:
        """The records of a kind not withdrawn, by key (newest first for numbered ones)."""
        table = DESK_TABLES[kind]
        order = table.c.id.desc() if kind == "conversion_projects" else table.c.id
        query = select(table).where(table.c.withdrawn.is_(None)).order_by(order)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def conversions(
        self, sort: str, descending: bool, limit: int, offset: int
    ) -> tuple[list[dict[str, object]], int]:
        """A page of the standing conversion projects in the order asked (`sort`: a column),
        with each enterprise's name, and how many there are."""
        t = conversion_projects.c
        column = t[sort].desc() if descending else t[sort].asc()
        query = (
            select(conversion_projects, enterprises.c.name.label("enterprise_name"))
            .join(enterprises, enterprises.c.credit_code == t.credit_code, isouter=True)
            .where(t.withdrawn.is_(None))
            .order_by(column, t.id.desc())
            .limit(limit)
            .offset(offset)
        )
        rows = [dict(row._mapping) for row in self.connection.execute(query)]
        return rows, self.count("conversion_projects")

    def people(
        self, sort: str, descending: bool, limit: int, offset: int, typed: str = ""
    ) -> tuple[list[dict[str, object]], int]:
        """A page of the standing people in the order asked (`sort`: a column), each with how
        many projects they are on now, and how many there are; `typed`: only those whose
        name, number, affiliation or expertise contains it."""
        t, m = people.c, project_people.c
        column = t[sort].desc() if descending else t[sort].asc()
        kept: list[ColumnElement[bool]] = [t.withdrawn.is_(None)]
        if typed:
            pattern = _contains(typed)
            searched = (t.name, t.id, t.affiliation, t.expertise)
            kept.append(or_(*(c.ilike(pattern, escape="\\") for c in searched)))
        query = select(people).where(*kept).order_by(column, t.id).limit(limit).offset(offset)
        rows = [dict(row._mapping) for row in self.connection.execute(query)]
        # Projects counted for the page's people only: project_people has no index on the
        # person, and a count per row of the whole list took 4.6 s a page for 8,795 people
        # on SQLite against 8.5 ms so (benchmarks/bench_people_list.py).
        on_now = select(m.person_id, func.count()).where(
            m.person_id.in_([r["id"] for r in rows]), m.left.is_(None)
        )
        counted = self.connection.execute(on_now.group_by(m.person_id))
        counts = {str(person): int(n) for person, n in counted}
        for row in rows:
            row["projects"] = counts.get(str(row["id"]), 0)
        total = self.connection.scalar(select(func.count()).select_from(people).where(*kept))
        return rows, int(total or 0)

    def people_like(self, typed: str, most: int) -> list[tuple[str, str]]:
        t = people.c
        pattern = _contains(typed)
        query = (
            select(t.id, t.name)
            .where(
                t.withdrawn.is_(None),
                or_(t.name.ilike(pattern, escape="\\"), t.id.ilike(pattern, escape="\\")),
            )
            .order_by(t.name, t.id)
            .limit(most)
        )
        return [(str(row.id), str(row.name)) for row in self.connection.execute(query)]

    def people_named(self, name: str) -> list[str]:
        """The numbers of the standing people called exactly `name`."""
        t = people.c
        query = select(t.id).where(t.withdrawn.is_(None), t.name == name).order_by(t.id)
        return [str(key) for key in self.connection.scalars(query)]

    def add_conversion(self, values: dict[str, object]) -> int:
        result = self.connection.execute(
            insert(conversion_projects).returning(conversion_projects.c.id), values
        )
        return int(result.scalar_one())

    def update(self, kind: str, key: str | int, values: dict[str, object]) -> None:
        table = DESK_TABLES[kind]
        self.connection.execute(update(table).where(table.c.id == key).values(values))

    def withdraw(self, kind: str, key: str | int, day: date) -> None:
        self.update(kind, key, {"withdrawn": day})

    def exists(self, kind: str, key: str) -> bool:
        """Whether an enterprise, cluster, chain, institution, project or person is stored
        (withdrawn projects and people do not count)."""
        table = _KEYS[kind]
        column = table.c[_KEY_COLUMN.get(kind, "id")]
        query = select(column).where(column == key)
        if "withdrawn" in table.c:
            query = query.where(table.c.withdrawn.is_(None))
        return self.connection.scalar(query) is not None

    def membership(self, project_id: str, person_id: str) -> dict[str, object] | None:
        p = project_people.c
        query = select(project_people).where(p.project_id == project_id, p.person_id == person_id)
        row = self.connection.execute(query.order_by(p.id.desc())).first()
        return None if row is None else dict(row._mapping)

    def attach(self, project_id: str, person_id: str, role: str, joined: date) -> None:
        values = {"project_id": project_id, "person_id": person_id, "role": role}
        self.connection.execute(insert(project_people), {**values, "joined": joined})

    def detach(self, membership_id: int, left: date) -> None:
        """The day a person left a project (the row stays: the team's history)."""
        p = project_people.c
        self.connection.execute(
            update(project_people).where(p.id == membership_id).values(left=left)
        )

    def count(self, kind: str) -> int:
        table = DESK_TABLES[kind]
        query = select(func.count()).select_from(table).where(table.c.withdrawn.is_(None))
        return int(self.connection.scalar(query) or 0)
