"""The people list's page (`SqlPipelineDeskStore.people`) on SQLite with a demo city's number
of people: how many projects each is on now counted for the page's 50 people (as shipped)
beside a count per row of the whole list (a correlated subquery), in one run.

    .venv/bin/python benchmarks/bench_people_list.py [--people 8795] [--memberships 12000]

Prints milliseconds per page (the median of 5) for both, and the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, create_engine, func, insert, select

from fourchain.adapters.db.pipeline_desk_repo import SqlPipelineDeskStore
from fourchain.adapters.db.tables import metadata
from fourchain.adapters.db.tables_pipeline import people, pipeline_projects, project_people

PAGE, PROJECTS = 50, 3000


def _fill(connection: Connection, n_people: int, n_memberships: int, rng: random.Random) -> None:
    day = date(2020, 1, 1)
    projects = [
        {"id": f"P{i}", "title": "项目", "created_on": day, "created_by": "bench"}
        for i in range(PROJECTS)
    ]
    connection.execute(insert(pipeline_projects), projects)
    persons = [
        {"id": f"PS{i:06d}", "name": f"人员{rng.randrange(100_000)}", "expertise": "储能"}
        for i in range(n_people)
    ]
    connection.execute(insert(people), persons)
    members = [
        {
            "project_id": f"P{rng.randrange(PROJECTS)}",
            "person_id": f"PS{rng.randrange(n_people):06d}",
            "role": "team_member",
            "joined": day,
        }
        for _ in range(n_memberships)
    ]
    connection.execute(insert(project_people), members)


def _per_row(connection: Connection, offset: int) -> int:
    """The list with a count per row (the first version)."""
    t, m = people.c, project_people.c
    on_now = select(func.count()).where(m.person_id == t.id, m.left.is_(None)).scalar_subquery()
    query = (
        select(people, on_now.label("projects"))
        .where(t.withdrawn.is_(None))
        .order_by(t.name, t.id)
        .limit(PAGE)
        .offset(offset)
    )
    return len(connection.execute(query).all())


def _median_ms(run: Callable[[], object]) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=8795)
    parser.add_argument("--memberships", type=int, default=12000)
    args = parser.parse_args()
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        _fill(connection, args.people, args.memberships, random.Random(7))
    offset = (args.people // PAGE // 2) * PAGE  # a page in the middle
    with engine.connect() as connection:
        store = SqlPipelineDeskStore(connection)
        shipped = _median_ms(lambda: store.people("name", False, PAGE, offset))
        per_row = _median_ms(lambda: _per_row(connection, offset))
    print(f"{'people list page (sqlite)':<34}{'ms':>10}")
    print(f"{'count for the page (shipped)':<34}{shipped:>10.1f}")
    print(f"{'count per row of the list':<34}{per_row:>10.1f}")
    print(f"{'ratio':<34}{per_row / shipped:>10.0f}x")


if __name__ == "__main__":
    main()
