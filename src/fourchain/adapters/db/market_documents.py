"""The market's records as the matching engine's documents, read for one viewer: visible
achievements, institutions, and enterprises with only their public facts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Connection, Engine, select

from fourchain.adapters.db.market_repo import SqlMarket
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_market import achievements, demands
from fourchain.domain.market import Viewer
from fourchain.domain.matching import Attributes, Document, DocumentKind


class SqlMarketDocuments:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def documents(self, viewer: Viewer, kinds: frozenset[DocumentKind]) -> list[Document]:
        out: list[Document] = []
        if DocumentKind.ACHIEVEMENT in kinds:
            out += self._achievements(viewer)
        if DocumentKind.INSTITUTION in kinds:
            out += self._institutions()
        if DocumentKind.ENTERPRISE in kinds:
            out += self._enterprises()
        return out

    def _achievements(self, viewer: Viewer) -> list[Document]:
        visible = SqlMarket(self.connection).achievements_visible(viewer)
        query = select(achievements).where(visible).order_by(achievements.c.id)
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
        query = select(institutions).order_by(institutions.c.id)
        return [
            Document(
                f"institution:{row.id}",
                {"title": row.name, "services": row.services or ""},
                DocumentKind.INSTITUTION,
                Attributes(field=row.cluster or "", district=row.district or ""),
            )
            for row in self.connection.execute(query)
        ]

    def _enterprises(self) -> list[Document]:
        # Only public facts: a confidential demand never shapes whom an achievement finds.
        problems: dict[str, list[str]] = {}
        public = select(demands.c.credit_code, demands.c.problem).where(
            demands.c.confidential.is_(False)
        )
        for code, problem in self.connection.execute(public):
            problems.setdefault(code, []).append(problem)
        query = select(enterprises).order_by(enterprises.c.credit_code)
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
