"""我的工作台: what waits on each role, read through the areas' services and stores."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta

from fourchain.domain.challenge.records import CallState, ChallengeApplication, ChallengeCall
from fourchain.domain.cultivation.model import TierAssessment
from fourchain.domain.market import Achievement, Demand, ListQuery, Party, PartyKind, TechContract
from fourchain.domain.pipeline import Project
from fourchain.domain.registry import Certificate
from fourchain.domain.workspace import EXPIRY_DAYS, expiring_soon, gate_ready, review_due
from fourchain.errors import NotFound
from fourchain.services.audit import AuditTrail
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.cultivation import PrescreenViews
from fourchain.services.market import MarketRecords, market_viewer
from fourchain.services.pipeline import project_list
from fourchain.services.ports import CultivationStore, PipelineStore
from fourchain.services.registry_views import Asker

LIMIT = 20  # rows per list on a workspace: the full lists are a link away


@dataclass(frozen=True)
class Review:
    """A call with applications on an expert's desk (or the bureau's), and when it is due."""

    call: ChallengeCall
    due: date
    waiting: int  # applications not yet scored (by this expert; by anyone, for the bureau)
    overdue: bool


@dataclass(frozen=True)
class Applications:
    items: list[ChallengeApplication]
    titles: dict[int, str]  # call id → title


@dataclass(frozen=True)
class EnterpriseDesk:
    demands: list[Demand]
    demand_total: int
    applications: Applications
    prescreen_year: int | None
    assessments: list[TierAssessment]
    expiring: list[Certificate]


@dataclass(frozen=True)
class InstitutionDesk:
    achievements: list[Achievement]
    achievement_total: int
    applications: Applications
    contracts: list[TechContract]  # interest received that became a contract
    names: dict[Party, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExpertDesk:
    reviews: list[Review]


@dataclass(frozen=True)
class GateWaiting:
    project: Project
    target: str  # the stage value, or "graduated"


@dataclass(frozen=True)
class BureauDesk:
    drafts: list[ChallengeCall]
    overdue: list[Review]
    gates: list[GateWaiting]
    expiring: list[Certificate]
    names: dict[str, str]  # credit code → enterprise name


CultivationReading = Callable[[], AbstractContextManager[CultivationStore]]
PipelineReading = Callable[[], AbstractContextManager[PipelineStore]]


class Workspaces:
    """One workspace per role; each list is filtered for the viewer by the service it comes
    from (the market's and the desk's own policies, the pre-screen's figure check)."""

    def __init__(
        self,
        records: MarketRecords,
        desk: ChallengeDesk,
        cultivation: CultivationReading,
        pipeline: PipelineReading,
        audit: AuditTrail,
    ) -> None:
        self.records = records
        self.desk = desk
        self.cultivation = cultivation
        self.pipeline = pipeline
        self.audit = audit

    def _applications(self, viewer: Asker) -> Applications:
        market = market_viewer(viewer.principal)
        items = self.desk.applications(market)
        titles = {c.id: c.title for c in self.desk.calls(market) if c.id is not None}
        return Applications(items[:LIMIT], titles)

    def enterprise(self, viewer: Asker) -> EnterpriseDesk:
        code = viewer.principal.enterprise
        if not code:
            raise NotFound("no enterprise is bound to this account")
        market = market_viewer(viewer.principal)
        demands = self.records.demands(market, ListQuery(owner=code, limit=LIMIT))
        today = viewer.now.date()
        with self.cultivation() as store:
            try:
                year, found = PrescreenViews(store, self.audit).prescreen(code, None, viewer)
            except NotFound:
                year, found = None, []
            held = store.certificates_of(code)
        expiring = sorted((c for c in held if expiring_soon(c, today)), key=lambda c: c.expires)
        return EnterpriseDesk(
            demands.items,
            demands.total,
            self._applications(viewer),
            year,
            found,
            expiring,
        )

    def institution(self, viewer: Asker) -> InstitutionDesk:
        own = viewer.principal.institution
        if not own:
            raise NotFound("no institution is bound to this account")
        market = market_viewer(viewer.principal)
        achievements = self.records.achievements(market, ListQuery(owner=own, limit=LIMIT))
        contracts = self.records.contracts(market, limit=LIMIT)
        party = Party(PartyKind.INSTITUTION, own)
        sold = [c for c in contracts.items if c.seller == party]
        return InstitutionDesk(
            achievements.items,
            achievements.total,
            self._applications(viewer),
            sold,
            contracts.names,
        )

    def _reviews(self, viewer: Asker, *, mine: bool) -> list[Review]:
        market = market_viewer(viewer.principal)
        today = viewer.now.date()
        out = []
        for call in self.desk.calls(market, CallState.UNDER_REVIEW):
            if call.id is None:
                continue
            view = self.desk.view(market, call.id)
            if mine:
                waiting = sum(1 for a in view.applications if a.id not in view.my_scores)
            else:
                scored = {r.application_id for r in view.ranking if r.reviews >= call.min_reviews}
                waiting = sum(1 for a in view.applications if a.id not in scored)
            due = review_due(call)
            if waiting or not mine:
                out.append(Review(call, due, waiting, today > due))
        return sorted(out, key=lambda r: r.due)

    def expert(self, viewer: Asker) -> ExpertDesk:
        return ExpertDesk(self._reviews(viewer, mine=True))

    def bureau(self, viewer: Asker) -> BureauDesk:
        market = market_viewer(viewer.principal)
        today = viewer.now.date()
        drafts = self.desk.calls(market, CallState.DRAFT)
        overdue = [r for r in self._reviews(viewer, mine=False) if r.overdue and r.waiting]
        with self.pipeline() as store:
            gates = [
                GateWaiting(s.project, target)
                for s in project_list(store, include_exited=False)
                if (target := gate_ready(s.state)) is not None
            ]
        with self.cultivation() as store:
            expiring = store.certificates_expiring(today, today + timedelta(days=EXPIRY_DAYS))
            info = store.enterprise_info() if expiring else {}
        names = {c.credit_code: info[c.credit_code].name for c in expiring if c.credit_code in info}
        return BureauDesk(drafts[:LIMIT], overdue[:LIMIT], gates[:LIMIT], expiring[:LIMIT], names)
