"""The two kinds of record their owners publish on the market, achievements (an
institution's) and demands (an enterprise's), described once so that publishing, editing and
withdrawing them is written once (services/market)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from fourchain.domain.market import (
    Achievement,
    Demand,
    Party,
    PartyKind,
    Viewer,
    may_see_achievement,
    may_see_demand,
)
from fourchain.services.ports import MarketStore

P = TypeVar("P", Achievement, Demand)


@dataclass(frozen=True)
class Published(Generic[P]):
    """One kind of owner-published record, so that publishing, editing and withdrawing are
    written once for achievements and demands."""

    name: str  # in audit objects and error fields
    noun: str  # its Chinese name
    owner_field: str
    owner_kind: PartyKind
    owner_noun: str  # Chinese, English
    get: Callable[[MarketStore, int], P | None]
    add: Callable[[MarketStore, P], int]
    update: Callable[[MarketStore, P], None]
    set_withdrawn: Callable[[MarketStore, int, date], None]
    may_see: Callable[[Viewer, P], bool]
    summary: Callable[[P], str]

    def owner(self, record: P) -> Party:
        return Party(self.owner_kind, getattr(record, self.owner_field))

    def missing(self, record_id: int) -> str:
        return f"没有{self.noun} {record_id} (no {self.name} {record_id})"

    def no_owner(self, owner: Party) -> str:
        zh, en = self.owner_noun.split(" ", 1)
        return f"{self.name}.{self.owner_field}: 无此{zh} (no {en} {owner.id})"


ACHIEVEMENTS = Published[Achievement](
    name="achievement",
    noun="成果",
    owner_field="institution_id",
    owner_kind=PartyKind.INSTITUTION,
    owner_noun="机构 institution",
    get=lambda store, i: store.achievement(i),
    add=lambda store, a: store.add_achievement(a),
    update=lambda store, a: store.update_achievement(a),
    set_withdrawn=lambda store, i, day: store.set_achievement_withdrawn(i, day),
    may_see=may_see_achievement,
    summary=lambda a: a.title,
)
DEMANDS = Published[Demand](
    name="demand",
    noun="需求",
    owner_field="credit_code",
    owner_kind=PartyKind.ENTERPRISE,
    owner_noun="企业 enterprise",
    get=lambda store, i: store.demand(i),
    add=lambda store, d: store.add_demand(d),
    update=lambda store, d: store.update_demand(d),
    set_withdrawn=lambda store, i, day: store.set_demand_withdrawn(i, day),
    may_see=may_see_demand,
    summary=lambda d: d.problem,
)
