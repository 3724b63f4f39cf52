"""Technology-market use cases: publish achievements and demands, register contracts, record
cooperation projects, and the lists and pages of each as the viewer may see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Generic, TypeVar

from fourchain.domain.accounts import Principal
from fourchain.domain.accounts import Role as AccountRole
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.market import (
    Achievement,
    CooperationKind,
    CooperationProject,
    Demand,
    ListQuery,
    Party,
    PartyKind,
    Role,
    TechContract,
    Viewer,
    may_see_achievement,
    may_see_contract,
    may_see_demand,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.ports import MarketUnit

Units = Callable[[], AbstractContextManager[MarketUnit]]


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    names: dict[Party, str]


def market_viewer(principal: Principal) -> Viewer:
    """The market's view of a signed-in account (or the public). An expert reviewer is known on
    panels by the account's username."""
    if principal.role is AccountRole.BUREAU_ADMIN:
        return Viewer(Role.BUREAU_ADMIN, username=principal.username)
    if principal.role is AccountRole.BUREAU_ANALYST:
        return Viewer(Role.BUREAU_ANALYST, username=principal.username)
    if principal.role is AccountRole.ENTERPRISE_USER and principal.enterprise:
        party = Party(PartyKind.ENTERPRISE, principal.enterprise)
        return Viewer(Role.ENTERPRISE, party, username=principal.username)
    if principal.role is AccountRole.INSTITUTION_USER and principal.institution:
        party = Party(PartyKind.INSTITUTION, principal.institution)
        return Viewer(Role.INSTITUTION, party, username=principal.username)
    if principal.role is AccountRole.EXPERT_REVIEWER and principal.username:
        return Viewer(Role.EXPERT, expert_id=principal.username, username=principal.username)
    return Viewer(Role.PUBLIC)


def require_bureau_admin(viewer: Viewer) -> None:
    if viewer.role is not Role.BUREAU_ADMIN:
        raise PermissionDenied("仅科技局管理员可执行此操作 (bureau administrators only)")


def require_acting_for(viewer: Viewer, party: Party) -> None:
    """The viewer works for `party` (or is a bureau administrator acting on its behalf)."""
    if viewer.role is Role.BUREAU_ADMIN or viewer.acts_for(party):
        return
    raise PermissionDenied(
        f"只能以本单位名义操作 (you may act only for your own organisation, not {party})"
    )


def note(unit: MarketUnit, viewer: Viewer, action: Action, obj: str, detail: str = "") -> None:
    """The audit entry of a change, written in the change's own transaction (`unit`)."""
    unit.audit.record(
        datetime.now(UTC),
        action,
        Result.SUCCESS,
        username=viewer.username or viewer.role.value,
        object=obj,
        detail=detail,
    )


def check_cluster(unit: MarketUnit, record: str, cluster: str | None) -> None:
    if cluster is not None and not unit.market.cluster_exists(cluster):
        raise InvalidInput(f"{record}.cluster: 无此产业集群 (no cluster {cluster!r})")


def changed_fields(old: object, new: object) -> str:
    """The names of the dataclass fields that differ, as an edit's structured audit detail."""
    names = [f.name for f in fields(old)]  # type: ignore[arg-type]
    return details(changed=[n for n in names if getattr(old, n) != getattr(new, n)])


class MarketRecords:
    """Use cases on achievements, demands, contracts and cooperation projects."""

    def __init__(self, units: Units, today: Callable[[], date] = date.today) -> None:
        self.units = units
        self.today = today

    # --- writes ------------------------------------------------------------------------------
    def publish_achievement(self, viewer: Viewer, achievement: Achievement) -> int:
        owner = Party(PartyKind.INSTITUTION, achievement.institution_id)
        require_acting_for(viewer, owner)
        achievement.validate()
        with self.units() as unit:
            if not unit.market.party_exists(owner):
                raise InvalidInput(
                    f"achievement.institution_id: 无此机构 (no institution {owner.id})"
                )
            check_cluster(unit, "achievement", achievement.cluster)
            new_id = unit.market.add_achievement(achievement)
            note(unit, viewer, Action.PUBLISHED, f"achievement:{new_id}", achievement.title)
            return new_id

    def set_achievement_listed(self, viewer: Viewer, achievement_id: int, listed: bool) -> None:
        with self.units() as unit:
            found = unit.market.achievement(achievement_id)
            if found is None or not may_see_achievement(viewer, found):
                raise NotFound(f"没有成果 {achievement_id} (no achievement {achievement_id})")
            require_acting_for(viewer, Party(PartyKind.INSTITUTION, found.institution_id))
            unit.market.set_achievement_listed(achievement_id, listed)
            note(unit, viewer, Action.RECORD_EDITED, f"achievement:{achievement_id}", "listed")

    def edit_achievement(self, viewer: Viewer, achievement_id: int, edited: Achievement) -> None:
        """The owning institution (or the bureau) replaces what it published; the owner and
        the publication day stay."""
        with self.units() as unit:
            found = self._own_achievement(unit, viewer, achievement_id)
            new = replace(
                edited,
                id=achievement_id,
                institution_id=found.institution_id,
                published=found.published,
                withdrawn=None,
            ).validate()
            check_cluster(unit, "achievement", new.cluster)
            unit.market.update_achievement(new)
            note(
                unit,
                viewer,
                Action.RECORD_EDITED,
                f"achievement:{achievement_id}",
                changed_fields(found, new),
            )

    def withdraw_achievement(self, viewer: Viewer, achievement_id: int) -> None:
        """Take an achievement off the market at once; its row and history stay."""
        with self.units() as unit:
            self._own_achievement(unit, viewer, achievement_id)
            unit.market.set_achievement_withdrawn(achievement_id, self.today())
            note(unit, viewer, Action.RECORD_WITHDRAWN, f"achievement:{achievement_id}")

    def _own_achievement(
        self, unit: MarketUnit, viewer: Viewer, achievement_id: int
    ) -> Achievement:
        found = unit.market.achievement(achievement_id)
        if found is None or not may_see_achievement(viewer, found):
            raise NotFound(f"没有成果 {achievement_id} (no achievement {achievement_id})")
        require_acting_for(viewer, Party(PartyKind.INSTITUTION, found.institution_id))
        if found.withdrawn is not None:
            raise Conflict(f"成果 {achievement_id} 已撤回 (already withdrawn on {found.withdrawn})")
        return found

    def publish_demand(self, viewer: Viewer, demand: Demand) -> int:
        owner = Party(PartyKind.ENTERPRISE, demand.credit_code)
        require_acting_for(viewer, owner)
        demand.validate()
        with self.units() as unit:
            if not unit.market.party_exists(owner):
                raise InvalidInput(f"demand.credit_code: 无此企业 (no enterprise {owner.id})")
            check_cluster(unit, "demand", demand.cluster)
            new_id = unit.market.add_demand(demand)
            note(unit, viewer, Action.PUBLISHED, f"demand:{new_id}", demand.problem)
            return new_id

    def edit_demand(self, viewer: Viewer, demand_id: int, edited: Demand) -> None:
        """The owning enterprise (or the bureau) replaces what it published."""
        with self.units() as unit:
            found = self._own_demand(unit, viewer, demand_id)
            new = replace(
                edited,
                id=demand_id,
                credit_code=found.credit_code,
                published=found.published,
                withdrawn=None,
            ).validate()
            check_cluster(unit, "demand", new.cluster)
            unit.market.update_demand(new)
            note(
                unit,
                viewer,
                Action.RECORD_EDITED,
                f"demand:{demand_id}",
                changed_fields(found, new),
            )

    def withdraw_demand(self, viewer: Viewer, demand_id: int) -> None:
        """Take a demand off the market at once; its row and history stay."""
        with self.units() as unit:
            self._own_demand(unit, viewer, demand_id)
            unit.market.set_demand_withdrawn(demand_id, self.today())
            note(unit, viewer, Action.RECORD_WITHDRAWN, f"demand:{demand_id}")

    def _own_demand(self, unit: MarketUnit, viewer: Viewer, demand_id: int) -> Demand:
        found = unit.market.demand(demand_id)
        if found is None or not may_see_demand(viewer, found):
            raise NotFound(f"没有需求 {demand_id} (no demand {demand_id})")
        require_acting_for(viewer, Party(PartyKind.ENTERPRISE, found.credit_code))
        if found.withdrawn is not None:
            raise Conflict(f"需求 {demand_id} 已撤回 (already withdrawn on {found.withdrawn})")
        return found

    def register_contract(self, viewer: Viewer, contract: TechContract) -> int:
        """Registration is the bureau's (技术合同认定登记)."""
        require_bureau_admin(viewer)
        contract.validate()
        with self.units() as unit:
            for role, party in (("seller", contract.seller), ("buyer", contract.buyer)):
                if not unit.market.party_exists(party):
                    raise InvalidInput(f"contract.{role}: 无此单位 (no {party})")
            if contract.achievement_id and unit.market.achievement(contract.achievement_id) is None:
                raise InvalidInput(f"contract.achievement_id: 无此成果 ({contract.achievement_id})")
            if contract.demand_id and unit.market.demand(contract.demand_id) is None:
                raise InvalidInput(f"contract.demand_id: 无此需求 ({contract.demand_id})")
            if unit.market.contract_number_taken(contract.number):
                raise Conflict(f"合同编号 {contract.number} 已登记 (already registered)")
            new_id = unit.market.add_contract(contract)
            note(unit, viewer, Action.RECORD_CREATED, f"tech_contract:{new_id}", contract.number)
            return new_id

    def add_cooperation_projects(
        self, viewer: Viewer, projects: Iterable[CooperationProject]
    ) -> int:
        require_bureau_admin(viewer)
        checked = [p.validate() for p in projects]
        with self.units() as unit:
            for p in checked:
                for party in (p.lead, *p.partners):
                    if not unit.market.party_exists(party):
                        raise InvalidInput(f"cooperation_project {p.title!r}: 无此单位 ({party})")
                call = p.challenge_call_id
                if call is not None and unit.challenges.case(call) is None:
                    raise InvalidInput(f"cooperation_project.challenge_call_id: 无此榜单 ({call})")
            added = unit.market.add_cooperation_projects(checked)
            note(unit, viewer, Action.RECORD_CREATED, "cooperation_projects", f"{added} project(s)")
            return added

    def withdraw_contract(self, viewer: Viewer, contract_id: int) -> None:
        """Withdraw a contract registered in error: lists and the turnover leave it out; the
        row and its audit history stay."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            found = unit.market.contract(contract_id)
            if found is None:
                raise NotFound(f"没有技术合同 {contract_id} (no contract {contract_id})")
            unit.market.set_contract_withdrawn(contract_id, self.today())
            detail = f"{found.number} value={found.value:g}"
            note(unit, viewer, Action.RECORD_WITHDRAWN, f"tech_contract:{contract_id}", detail)

    def withdraw_cooperation_project(self, viewer: Viewer, project_id: int) -> None:
        """Withdraw a cooperation project recorded in error (it leaves the counts)."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            if not unit.market.cooperation_project_live(project_id):
                raise NotFound(f"没有合作项目 {project_id} (no cooperation project {project_id})")
            unit.market.set_cooperation_withdrawn(project_id, self.today())
            obj = f"cooperation_project:{project_id}"
            note(unit, viewer, Action.RECORD_WITHDRAWN, obj)

    # --- reads -------------------------------------------------------------------------------
    def achievements(self, viewer: Viewer, query: ListQuery | None = None) -> Page[Achievement]:
        with self.units() as unit:
            items, total = unit.market.achievements(viewer, query or ListQuery())
            # The SQL already filtered; the pure policy checks again so a query bug cannot leak.
            items = [a for a in items if may_see_achievement(viewer, a)]
            owners = [Party(PartyKind.INSTITUTION, a.institution_id) for a in items]
            return Page(items, total, unit.market.party_names(owners))

    def achievement(self, viewer: Viewer, achievement_id: int) -> tuple[Achievement, str]:
        with self.units() as unit:
            found = unit.market.achievement(achievement_id)
            if found is None or not may_see_achievement(viewer, found):
                raise NotFound(f"没有成果 {achievement_id} (no achievement {achievement_id})")
            owner = Party(PartyKind.INSTITUTION, found.institution_id)
            return found, unit.market.party_names([owner]).get(owner, owner.id)

    def demands(self, viewer: Viewer, query: ListQuery | None = None) -> Page[Demand]:
        with self.units() as unit:
            items, total = unit.market.demands(viewer, query or ListQuery())
            items = [d for d in items if may_see_demand(viewer, d)]
            owners = [Party(PartyKind.ENTERPRISE, d.credit_code) for d in items]
            return Page(items, total, unit.market.party_names(owners))

    def demand(self, viewer: Viewer, demand_id: int) -> tuple[Demand, str]:
        with self.units() as unit:
            found = unit.market.demand(demand_id)
            # A confidential demand is "not found" to those who may not see it: no hint it exists.
            if found is None or not may_see_demand(viewer, found):
                raise NotFound(f"没有需求 {demand_id} (no demand {demand_id})")
            owner = Party(PartyKind.ENTERPRISE, found.credit_code)
            return found, unit.market.party_names([owner]).get(owner, owner.id)

    def contracts(
        self, viewer: Viewer, *, year: int | None = None, limit: int = 50, offset: int = 0
    ) -> Page[TechContract]:
        with self.units() as unit:
            items, total = unit.market.contracts(viewer, year=year, limit=limit, offset=offset)
            items = [c for c in items if may_see_contract(viewer, c)]
            parties = [p for c in items for p in (c.seller, c.buyer)]
            return Page(items, total, unit.market.party_names(parties))

    def contract(self, viewer: Viewer, contract_id: int) -> TechContract:
        with self.units() as unit:
            found = unit.market.contract(contract_id)
            if found is None or not may_see_contract(viewer, found):
                raise NotFound(f"没有合同 {contract_id} (no contract {contract_id})")
            return found

    def contract_turnover(self, viewer: Viewer) -> dict[int, tuple[int, float]]:
        """Yearly totals of registered contracts: a published figure, but only the bureau
        sees it computed from individual contracts."""
        if not viewer.is_bureau:
            raise PermissionDenied("仅科技局人员可查看合同汇总 (bureau staff only)")
        with self.units() as unit:
            return unit.market.contract_turnover()

    def cooperation_counts(self) -> dict[str, dict[int, int]]:
        """Projects organised per kind and year (public aggregate figures)."""
        with self.units() as unit:
            counts = unit.market.cooperation_counts()
        table: dict[str, dict[int, int]] = {kind.value: {} for kind in CooperationKind}
        for (kind, year), n in sorted(counts.items()):
            table.setdefault(kind, {})[year] = n
        return table
