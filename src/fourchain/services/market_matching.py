"""Matching in the market: a demand finds achievements and institutions, an achievement finds
enterprises — through the matching engine, over only what the viewer may see."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from fourchain.domain.market import Viewer
from fourchain.domain.matching import Document, DocumentKind, Filters
from fourchain.errors import InvalidInput
from fourchain.services.market import MarketRecords
from fourchain.services.matching import MODES, EngineFactory

# The engine's own directions; experts join DEMAND_FINDS once the talent chain lists them.
DEMAND_FINDS = frozenset({DocumentKind.ACHIEVEMENT, DocumentKind.INSTITUTION})
ACHIEVEMENT_FINDS = frozenset({DocumentKind.ENTERPRISE})


class DocumentSource(Protocol):
    def documents(self, viewer: Viewer, kinds: frozenset[DocumentKind]) -> list[Document]: ...


Sources = Callable[[], AbstractContextManager[DocumentSource]]


@dataclass(frozen=True)
class Found:
    """One record a search found: its kind, its id in its own table, a title, and the score."""

    kind: DocumentKind
    id: str
    title: str
    score: float
    rank: int


class MarketMatching:
    def __init__(self, records: MarketRecords, sources: Sources, build: EngineFactory) -> None:
        self.records = records
        self.sources = sources
        self.build = build

    def _search(
        self, viewer: Viewer, text: str, kinds: frozenset[DocumentKind], top: int, mode: str
    ) -> list[Found]:
        if mode not in MODES:
            raise InvalidInput(f"mode: 须为 {', '.join(MODES)} (must be one of them, got {mode!r})")
        with self.sources() as source:
            documents = source.documents(viewer, kinds)
        if not documents:
            return []
        titles = {d.id: d.fields.get("title", d.id) for d in documents}
        engine = self.build(documents, with_vectors=mode != "bm25", progress=None)
        [matches] = engine.search_many([text], top=top, mode=mode, filters=Filters(kinds=kinds))
        return [
            Found(m.kind, m.id.split(":", 1)[1], titles.get(m.id, m.id), m.score, m.rank)
            for m in matches
        ]

    def for_demand(
        self, viewer: Viewer, demand_id: int, *, top: int = 10, mode: str = "bm25"
    ) -> list[Found]:
        """Achievements and institutions that may solve the demand (which the viewer must be
        allowed to see: a confidential demand is matched only for its enterprise and bureau)."""
        demand, _ = self.records.demand(viewer, demand_id)
        text = f"{demand.problem}\n{demand.description}\n{demand.field}"
        return self._search(viewer, text, DEMAND_FINDS, top, mode)

    def for_achievement(
        self, viewer: Viewer, achievement_id: int, *, top: int = 10, mode: str = "bm25"
    ) -> list[Found]:
        """Enterprises that may take the achievement up, judged on their public facts."""
        achievement, _ = self.records.achievement(viewer, achievement_id)
        text = f"{achievement.title}\n{achievement.abstract}\n{'；'.join(achievement.keywords)}"
        return self._search(viewer, text, ACHIEVEMENT_FINDS, top, mode)
