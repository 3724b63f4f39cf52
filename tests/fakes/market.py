"""The market's unit of work, in memory: records (achievements, demands, contracts,
cooperation projects) and challenge calls, each use of a unit seeing what earlier ones wrote.
A unit that raises keeps nothing of what it wrote (a transaction rolled back)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from fourchain.domain.challenge import (
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    CoiDeclaration,
    Milestone,
    Payment,
    Reviewer,
    Score,
)
from fourchain.domain.market import (
    Achievement,
    CooperationProject,
    Demand,
    ListQuery,
    Party,
    TechContract,
    Viewer,
    may_see_achievement,
    may_see_contract,
    may_see_demand,
)
from fourchain.services.audit import AuditTrail
from fourchain.services.ports import AuditStore, ChallengeStore, MarketStore, MarketUnit
from tests.fakes.audit import AUDIT_KEY, FakeAuditLog

T = TypeVar("T")


def _page(items: list[T], q: ListQuery) -> tuple[list[T], int]:
    return items[q.offset : q.offset + q.limit], len(items)


def _has(text: str | None, *fields: str) -> bool:
    return text is None or any(text in f for f in fields)


@dataclass
class FakeMarket:
    parties: dict[Party, str] = field(default_factory=dict)  # who exists, with their names
    achievements_by_id: dict[int, Achievement] = field(default_factory=dict)
    demands_by_id: dict[int, Demand] = field(default_factory=dict)
    contracts_by_id: dict[int, TechContract] = field(default_factory=dict)
    cooperation: list[CooperationProject] = field(default_factory=list)
    clusters: set[str] = field(default_factory=set)

    def party_exists(self, party: Party) -> bool:
        return party in self.parties

    def cluster_exists(self, key: str) -> bool:
        return key in self.clusters

    def update_achievement(self, a: Achievement) -> None:
        """Replace what the owner may edit; the publication day and withdrawal stay."""
        assert a.id is not None
        kept = self.achievements_by_id[a.id]
        self.achievements_by_id[a.id] = replace(
            a, published=kept.published, withdrawn=kept.withdrawn
        )

    def set_achievement_withdrawn(self, achievement_id: int, day: date) -> None:
        found = self.achievements_by_id[achievement_id]
        self.achievements_by_id[achievement_id] = replace(found, withdrawn=day)

    def update_demand(self, d: Demand) -> None:
        assert d.id is not None
        kept = self.demands_by_id[d.id]
        self.demands_by_id[d.id] = replace(d, published=kept.published, withdrawn=kept.withdrawn)

    def set_demand_withdrawn(self, demand_id: int, day: date) -> None:
        found = self.demands_by_id[demand_id]
        self.demands_by_id[demand_id] = replace(found, withdrawn=day)

    def party_names(self, parties: Iterable[Party]) -> dict[Party, str]:
        return {p: self.parties[p] for p in parties if p in self.parties}

    def add_achievement(self, a: Achievement) -> int:
        key = len(self.achievements_by_id) + 1
        self.achievements_by_id[key] = replace(a, id=key)
        return key

    def set_achievement_listed(self, achievement_id: int, listed: bool) -> None:
        found = self.achievements_by_id[achievement_id]
        self.achievements_by_id[achievement_id] = replace(found, listed=listed)

    def achievements(self, viewer: Viewer, q: ListQuery) -> tuple[list[Achievement], int]:
        found = [
            a
            for a in self.achievements_by_id.values()
            if may_see_achievement(viewer, a)
            and _has(q.text, a.title, a.abstract, *a.keywords)
            and q.cluster in (None, a.cluster)
            and (q.trl_min is None or a.trl >= q.trl_min)
            and q.owner in (None, a.institution_id)
        ]
        return _page(sorted(found, key=lambda a: (a.published, a.id or 0), reverse=True), q)

    def achievement(self, achievement_id: int) -> Achievement | None:
        return self.achievements_by_id.get(achievement_id)

    def add_demand(self, d: Demand) -> int:
        key = len(self.demands_by_id) + 1
        self.demands_by_id[key] = replace(d, id=key)
        return key

    def demands(self, viewer: Viewer, q: ListQuery) -> tuple[list[Demand], int]:
        found = [
            d
            for d in self.demands_by_id.values()
            if may_see_demand(viewer, d)
            and _has(q.text, d.problem, d.description, d.field)
            and q.cluster in (None, d.cluster)
            and q.owner in (None, d.credit_code)
        ]
        return _page(sorted(found, key=lambda d: (d.published, d.id or 0), reverse=True), q)

    def demand(self, demand_id: int) -> Demand | None:
        return self.demands_by_id.get(demand_id)

    def add_contract(self, t: TechContract) -> int:
        key = len(self.contracts_by_id) + 1
        self.contracts_by_id[key] = replace(t, id=key)
        return key

    def contract_number_taken(self, number: str) -> bool:
        return any(c.number == number for c in self.contracts_by_id.values())

    def contracts(
        self,
        viewer: Viewer,
        *,
        year: int | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "signed",
        descending: bool = True,
    ) -> tuple[list[TechContract], int]:
        found = [
            c
            for c in self.contracts_by_id.values()
            if may_see_contract(viewer, c) and year in (None, c.signed.year)
        ]
        found.sort(key=lambda c: (getattr(c, sort), c.id or 0), reverse=descending)
        return found[offset : offset + limit], len(found)

    def contract(self, contract_id: int) -> TechContract | None:
        return self.contracts_by_id.get(contract_id)

    def contract_turnover(self) -> dict[int, tuple[int, float]]:
        turnover: dict[int, tuple[int, float]] = {}
        for c in self.contracts_by_id.values():
            if c.registered is not None:
                n, value = turnover.get(c.signed.year, (0, 0.0))
                turnover[c.signed.year] = (n + 1, value + c.value)
        return turnover

    def add_cooperation_projects(self, projects: Iterable[CooperationProject]) -> int:
        first = max((p.id or 0 for p in self.cooperation), default=0) + 1
        added = [replace(p, id=first + i) for i, p in enumerate(projects)]
        self.cooperation.extend(added)
        return len(added)

    def add_cooperation_project(self, p: CooperationProject) -> int:
        self.add_cooperation_projects([p])
        return self.cooperation[-1].id or 0

    def cooperation_projects(self, q: ListQuery) -> tuple[list[CooperationProject], int]:
        found = [p for p in self.cooperation if not q.text or q.text in p.title]
        found.sort(key=lambda p: (getattr(p, q.sort), p.id or 0), reverse=q.descending)
        return found[q.offset : q.offset + q.limit], len(found)

    def cooperation_project(self, project_id: int) -> CooperationProject | None:
        return next((p for p in self.cooperation if p.id == project_id), None)

    def update_cooperation_project(self, p: CooperationProject) -> None:
        self.cooperation = [p if q.id == p.id else q for q in self.cooperation]

    def update_contract(self, t: TechContract) -> None:
        assert t.id is not None and t.id in self.contracts_by_id
        self.contracts_by_id[t.id] = t

    def cooperation_counts(self) -> dict[tuple[str, int], int]:
        counts: dict[tuple[str, int], int] = {}
        for p in self.cooperation:
            key = (p.kind.value, p.year)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def set_contract_withdrawn(self, contract_id: int, day: date) -> None:
        self.contracts_by_id.pop(contract_id, None)

    def set_cooperation_withdrawn(self, project_id: int, day: date) -> None:
        self.cooperation = [p for p in self.cooperation if p.id != project_id]


@dataclass
class FakeChallenges:
    cases: dict[int, ChallengeCase] = field(default_factory=dict)

    def _next_application_id(self) -> int:
        return 1 + sum(len(c.applications) for c in self.cases.values())

    def add_call(self, call: ChallengeCall) -> int:
        key = len(self.cases) + 1
        self.cases[key] = ChallengeCase(replace(call, id=key))
        return key

    def calls(self, viewer: Viewer, state: CallState | None = None) -> list[ChallengeCall]:
        return [c.call for c in self.cases.values() if state in (None, c.call.state)]

    def call_id_of(self, application_id: int) -> int | None:
        for key, case in self.cases.items():
            if any(a.id == application_id for a in case.applications):
                return key
        return None

    def case(self, call_id: int) -> ChallengeCase | None:
        return self.cases.get(call_id)

    def save_call_state(self, call: ChallengeCall) -> None:
        assert call.id is not None
        self.cases[call.id].call = call

    def add_application(self, app: ChallengeApplication) -> int:
        key = self._next_application_id()
        self.cases[app.call_id].applications.append(replace(app, id=key))
        return key

    def save_application_states(self, apps: list[ChallengeApplication]) -> None:
        for app in apps:
            case = self.cases[app.call_id]
            case.applications = [app if a.id == app.id else a for a in case.applications]

    def applications(
        self, viewer: Viewer, call_id: int | None = None
    ) -> list[ChallengeApplication]:
        return [
            a
            for key, case in self.cases.items()
            if call_id in (None, key)
            for a in case.applications
        ]

    def add_reviewer(self, call_id: int, reviewer: Reviewer) -> None:
        self.cases[call_id].reviewers.append(reviewer)

    def add_declaration(self, d: CoiDeclaration) -> None:
        call_id = self.call_id_of(d.application_id)
        assert call_id is not None
        self.cases[call_id].declarations.append(d)

    def replace_scores(self, expert_id: str, application_id: int, sheet: list[Score]) -> None:
        call_id = self.call_id_of(application_id)
        assert call_id is not None
        case = self.cases[call_id]
        case.scores = [
            s
            for s in case.scores
            if not (s.expert_id == expert_id and s.application_id == application_id)
        ] + sheet

    def add_milestone(self, call_id: int, m: Milestone) -> int:
        key = 1 + sum(len(c.milestones) for c in self.cases.values())
        self.cases[call_id].milestones.append(replace(m, id=key))
        return key

    def save_milestone_accepted(self, m: Milestone) -> None:
        for case in self.cases.values():
            case.milestones = [m if x.id == m.id else x for x in case.milestones]

    def add_payment(self, p: Payment) -> None:
        for case in self.cases.values():
            if any(m.id == p.milestone_id for m in case.milestones):
                case.payments.append(p)

    def save_feedback(self, application_id: int, text: str, written: date) -> None:
        call_id = self.call_id_of(application_id)
        assert call_id is not None
        self.cases[call_id].feedback[application_id] = text


@dataclass
class FakeUnit:
    market: FakeMarket
    challenges: FakeChallenges
    log: FakeAuditLog

    @property
    def audit(self) -> AuditTrail:
        return AuditTrail(self.log, AUDIT_KEY)


@dataclass
class FakeMarketUnits:
    """The `units` a MarketRecords or ChallengeDesk takes: each use works on a copy that is
    kept only when the block ends without an error. `committed` counts the kept ones."""

    market: FakeMarket = field(default_factory=FakeMarket)
    challenges: FakeChallenges = field(default_factory=FakeChallenges)
    log: FakeAuditLog = field(default_factory=FakeAuditLog)
    committed: int = 0

    @contextmanager
    def _unit(self) -> Iterator[MarketUnit]:
        unit = FakeUnit(
            copy.deepcopy(self.market), copy.deepcopy(self.challenges), copy.deepcopy(self.log)
        )
        yield unit
        self.market, self.challenges, self.log = unit.market, unit.challenges, unit.log
        self.committed += 1

    def __call__(self) -> AbstractContextManager[MarketUnit]:
        return self._unit()


_market: MarketStore = FakeMarket()
_challenges: ChallengeStore = FakeChallenges()
_log: AuditStore = FakeAuditLog()
_units: Callable[[], AbstractContextManager[MarketUnit]] = FakeMarketUnits()
