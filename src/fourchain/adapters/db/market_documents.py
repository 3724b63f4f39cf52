"""The market's records as the matching engine's documents: achievements (listed or not: the
viewer's view is applied at query time), institutions, experts, and enterprises with only
their public facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection, Engine, not_, or_, select

from fourchain.adapters.db.market_repo import SqlMarket
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_market import achievements, demands
from fourchain.adapters.db.tables_pipeline import people
from fourchain.domain.market import Viewer
from fourchain.domain.matching import (
    Attributes,
    Document,
    DocumentKind,
    achievement_query,
    demand_query,
)


class SqlMarketDocuments:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all_documents(self) -> list[Document]:
        return self._achievements() + self._institutions() + self._experts() + self._enterprises()

    def match_queries(self) -> list[tuple[DocumentKind, str]]:
        live_demands = select(demands).where(demands.c.withdrawn.is_(None)).order_by(demands.c.id)
        live_achievements = (
            select(achievements)
            .where(achievements.c.withdrawn.is_(None))
            .order_by(achievements.c.id)
        )
        found: list[tuple[DocumentKind, str]] = []
        for row in self.connection.execute(live_demands):
            d = SqlMarket._demand(row)
            found.append((DocumentKind.DEMAND, demand_query(d.problem, d.description, d.field)))
        for row in self.connection.execute(live_achievements):
            a = SqlMarket._achievement(row)
            text = achievement_query(a.title, a.abstract, a.keywords)
            found.append((DocumentKind.ACHIEVEMENT, text))
        return found

    def hidden_achievements(self, viewer: Viewer) -> set[str]:
        visible = SqlMarket(self.connection).achievements_visible(viewer)
        # A withdrawn achievement is hidden from everyone at once, before the next sync
        # drops it from the index.
        gone = achievements.c.withdrawn.is_not(None)
        query = select(achievements.c.id).where(or_(not_(visible), gone))
        return {f"achievement:{row_id}" for row_id in self.connection.scalars(query)}

    def _achievements(self) -> list[Document]:
        query = (
            select(achievements)
            .where(achievements.c.withdrawn.is_(None))
            .order_by(achievements.c.id)
        )
        return [
            Document(
                f"achievement:{row.id}",
                {"title": row.title, "abstract": row.abstract, "keywords": row.keywords},
                DocumentKind.ACHIEVEMENT,
                Attributes(field=row.cluster or "", trl=row.trl, ip_status=row.ip_status),
            )
            for row in self.connection.execute(query)
        ]

    def _institutions(self) -> list[Document]:
        # What an institution offers shows in its listed achievements (never its unlisted
        # ones: those are not public) as much as in its own description.
        offers: dict[str, list[str]] = {}
        listed = select(
            achievements.c.institution_id, achievements.c.title, achievements.c.keywords
        ).where(achievements.c.listed.is_(True), achievements.c.withdrawn.is_(None))
        for owner, title, keywords in self.connection.execute(listed):
            offers.setdefault(owner, []).append(f"{title} {keywords or ''}".strip())
        query = select(institutions).order_by(institutions.c.id)
        return [
            Document(
                f"institution:{row.id}",
                {
                    "title": row.name,
                    "services": row.services or "",
                    "achievements": "；".join(offers.get(row.id, [])),
                },
                DocumentKind.INSTITUTION,
                Attributes(field=row.cluster or "", district=row.district or ""),
            )
            for row in self.connection.execute(query)
        ]

    def _experts(self) -> list[Document]:
        names = dict(self.connection.execute(select(institutions.c.id, institutions.c.name)).all())
        standing = people.c.expertise.is_not(None) & people.c.withdrawn.is_(None)
        query = select(people).where(standing).order_by(people.c.id)
        return [
            Document(
                f"expert:{row.id}",
                {
                    "title": row.name,
                    "expertise": row.expertise or "",
                    "affiliation": names.get(row.affiliation, row.affiliation or ""),
                },
                DocumentKind.EXPERT,
            )
            for row in self.connection.execute(query)
        ]

    def _enterprises(self) -> list[Document]:
        # Only public facts: a confidential demand never shapes whom an achievement finds.
        problems: dict[str, list[str]] = {}
        public = select(demands.c.credit_code, demands.c.problem).where(
            demands.c.confidential.is_(False), demands.c.withdrawn.is_(None)
        )
        for code, problem in self.connection.execute(public):
            problems.setdefault(code, []).append(problem)
        c = enterprises.c
        query = select(c.credit_code, c.name, c.main_product, c.cluster, c.district).order_by(
            c.credit_code
        )
        return [
            Document(
                f"enterprise:{row.credit_code}",
                {
                    "title": row.name,
                    "products": row.main_product or "",
                    "demands": "；".join(problems.get(row.credit_code, [])),
                },
                DocumentKind.ENTERPRISE,
                Attributes(field=row.cluster or "", district=row.district or ""),
            )
            for row in self.connection.execute(query)
        ]


def document_sources(engine: Engine) -> Callable[[], AbstractContextManager[SqlMarketDocuments]]:
    @contextmanager
    def source() -> Iterator[SqlMarketDocuments]:
        with engine.connect() as connection:
            yield SqlMarketDocuments(connection)

    return source
