"""Technology-market use cases: publish achievements and demands, register contracts, record
cooperation projects, and the lists and pages of each as the viewer may see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import fields, replace
from datetime import UTC, date, datetime

from fourchain.domain.accounts import Principal, Role
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.market import (
    COOPERATION_SORTS,
    Achievement,
    CooperationKind,
    CooperationProject,
    Demand,
    ListQuery,
    Party,
    PartyKind,
    TechContract,
    Viewer,
    may_see_achievement,
    may_see_contract,
    may_see_demand,
)
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.market_published import ACHIEVEMENTS, DEMANDS, P, Published
from fourchain.services.paging import Page
from fourchain.services.ports import MarketUnit

Units = Callable[[], AbstractContextManager[MarketUnit]]


# The columns a contract list may be ordered by (the web's sortable headers).
CONTRACT_SORTS = ("number", "title", "type", "value", "signed")


def market_viewer(principal: Principal) -> Viewer:
    """The market's view of a signed-in account (or the public). An expert reviewer is known on
    panels by the account's username."""
    if principal.is_bureau:
        return Viewer(principal.role, username=principal.username)
    if principal.role is Role.ENTERPRISE_USER and principal.enterprise:
        party = Party(PartyKind.ENTERPRISE, principal.enterprise)
        return Viewer(principal.role, party, username=principal.username)
    if principal.role is Role.INSTITUTION_USER and principal.institution:
        party = Party(PartyKind.INSTITUTION, principal.institution)
        return Viewer(principal.role, party, username=principal.username)
    if principal.role is Role.EXPERT_REVIEWER and principal.username:
        return Viewer(principal.role, expert_id=principal.username, username=principal.username)
    return Viewer()  # the public, or an account not yet bound to its organisation


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
        username=viewer.name,
        object=obj,
        detail=detail,
    )


def why(reason: str | None) -> str | None:
    """A withdrawal's reason as the audit entry keeps it: one line, at most 1,000 characters."""
    return " ".join((reason or "").split())[:1000] or None


def check_cluster(unit: MarketUnit, record: str, cluster: str | None) -> None:
    if cluster is not None and not unit.market.cluster_exists(cluster):
        raise InvalidInput(f"{record}.cluster: 无此产业集群 (no cluster {cluster!r})")


def changed_fields(old: object, new: object) -> str:
    """The names of the dataclass fields that differ, as an edit's structured audit detail."""
    names = [f.name for f in fields(old)]  # type: ignore[arg-type]
    return details(changed=[n for n in names if getattr(old, n) != getattr(new, n)])


def _contract(contract: TechContract) -> str:
    """A contract's audit detail: its number, title and value (元; the log reads 万元)."""
    return details(number=contract.number, title=contract.title, value=contract.value)


class MarketRecords:
    """Use cases on achievements, demands, contracts and cooperation projects."""

    def __init__(self, units: Units, today: Callable[[], date] = date.today) -> None:
        self.units = units
        self.today = today

    # --- writes ------------------------------------------------------------------------------
    def publish_achievement(self, viewer: Viewer, achievement: Achievement) -> int:
        return self._publish(ACHIEVEMENTS, viewer, achievement)

    def set_achievement_listed(self, viewer: Viewer, achievement_id: int, listed: bool) -> None:
        with self.units() as unit:
            found = unit.market.achievement(achievement_id)
            if found is None or not may_see_achievement(viewer, found):
                raise NotFound(ACHIEVEMENTS.missing(achievement_id))
            require_acting_for(viewer, ACHIEVEMENTS.owner(found))
            unit.market.set_achievement_listed(achievement_id, listed)
            note(unit, viewer, Action.RECORD_EDITED, f"achievement:{achievement_id}", "listed")

    def edit_achievement(self, viewer: Viewer, achievement_id: int, edited: Achievement) -> None:
        """The owning institution (or the bureau) replaces what it published; the owner and
        the publication day stay."""
        self._edit(ACHIEVEMENTS, viewer, achievement_id, edited)

    def withdraw_achievement(
        self, viewer: Viewer, achievement_id: int, reason: str | None = None
    ) -> None:
        """Take an achievement off the market at once; its row and history stay."""
        self._withdraw(ACHIEVEMENTS, viewer, achievement_id, reason)

    def publish_demand(self, viewer: Viewer, demand: Demand) -> int:
        return self._publish(DEMANDS, viewer, demand)

    def edit_demand(self, viewer: Viewer, demand_id: int, edited: Demand) -> None:
        """The owning enterprise (or the bureau) replaces what it published."""
        self._edit(DEMANDS, viewer, demand_id, edited)

    def withdraw_demand(self, viewer: Viewer, demand_id: int, reason: str | None = None) -> None:
        """Take a demand off the market at once; its row and history stay."""
        self._withdraw(DEMANDS, viewer, demand_id, reason)

    def _publish(self, kind: Published[P], viewer: Viewer, record: P) -> int:
        owner = kind.owner(record)
        require_acting_for(viewer, owner)
        record.validate()
        with self.units() as unit:
            if not unit.market.party_exists(owner):
                raise InvalidInput(kind.no_owner(owner))
            check_cluster(unit, kind.name, record.cluster)
            new_id = kind.add(unit.market, record)
            note(unit, viewer, Action.PUBLISHED, f"{kind.name}:{new_id}", kind.summary(record))
            return new_id

    def _edit(self, kind: Published[P], viewer: Viewer, record_id: int, edited: P) -> None:
        with self.units() as unit:
            found = self._own(kind, unit, viewer, record_id)
            kept = {kind.owner_field: getattr(found, kind.owner_field)}
            new = replace(edited, id=record_id, published=found.published, withdrawn=None, **kept)
            new.validate()
            check_cluster(unit, kind.name, new.cluster)
            kind.update(unit.market, new)
            detail = changed_fields(found, new)
            note(unit, viewer, Action.RECORD_EDITED, f"{kind.name}:{record_id}", detail)

    def _withdraw(
        self, kind: Published[P], viewer: Viewer, record_id: int, reason: str | None
    ) -> None:
        with self.units() as unit:
            self._own(kind, unit, viewer, record_id)
            kind.set_withdrawn(unit.market, record_id, self.today())
            detail = details(reason=why(reason)) if why(reason) else ""
            note(unit, viewer, Action.RECORD_WITHDRAWN, f"{kind.name}:{record_id}", detail)

    @staticmethod
    def _own(kind: Published[P], unit: MarketUnit, viewer: Viewer, record_id: int) -> P:
        """The live record `record_id`, which `viewer` may change."""
        found = kind.get(unit.market, record_id)
        if found is None or not kind.may_see(viewer, found):
            raise NotFound(kind.missing(record_id))
        require_acting_for(viewer, kind.owner(found))
        if found.withdrawn is not None:
            raise Conflict(
                f"{kind.noun} {record_id} 已撤回 (already withdrawn on {found.withdrawn})"
            )
        return found

    def register_contract(self, viewer: Viewer, contract: TechContract) -> int:
        """Registration is the bureau's (技术合同认定登记)."""
        require_bureau_admin(viewer)
        contract.validate()
        with self.units() as unit:
            self._check_contract(unit, contract)
            if unit.market.contract_number_taken(contract.number):
                raise Conflict(f"合同编号 {contract.number} 已登记 (already registered)")
            new_id = unit.market.add_contract(contract)
            note(
                unit, viewer, Action.RECORD_CREATED, f"tech_contract:{new_id}", _contract(contract)
            )
            return new_id

    def edit_contract(self, viewer: Viewer, contract_id: int, edited: TechContract) -> None:
        """Correct a registered contract (bureau administrators); a withdrawn one is gone."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            found = unit.market.contract(contract_id)
            if found is None:
                raise NotFound(f"没有技术合同 {contract_id} (no contract {contract_id})")
            new = replace(edited, id=contract_id).validate()
            self._check_contract(unit, new)
            if new.number != found.number and unit.market.contract_number_taken(new.number):
                raise Conflict(f"合同编号 {new.number} 已登记 (already registered)")
            unit.market.update_contract(new)
            detail = changed_fields(found, new)
            note(unit, viewer, Action.RECORD_EDITED, f"tech_contract:{contract_id}", detail)

    @staticmethod
    def _check_contract(unit: MarketUnit, contract: TechContract) -> None:
        for role, party in (("seller", contract.seller), ("buyer", contract.buyer)):
            if not unit.market.party_exists(party):
                raise InvalidInput(f"contract.{role}: 无此单位 (no {party})")
        if contract.achievement_id and unit.market.achievement(contract.achievement_id) is None:
            raise InvalidInput(f"contract.achievement_id: 无此成果 ({contract.achievement_id})")
        if contract.demand_id and unit.market.demand(contract.demand_id) is None:
            raise InvalidInput(f"contract.demand_id: 无此需求 ({contract.demand_id})")

    def add_cooperation_projects(
        self, viewer: Viewer, projects: Iterable[CooperationProject]
    ) -> int:
        require_bureau_admin(viewer)
        checked = [p.validate() for p in projects]
        with self.units() as unit:
            for p in checked:
                self._check_cooperation(unit, p)
            added = unit.market.add_cooperation_projects(checked)
            detail = details(projects=added)
            note(unit, viewer, Action.RECORD_CREATED, "cooperation_projects", detail)
            return added

    def add_cooperation_project(self, viewer: Viewer, project: CooperationProject) -> int:
        """Record one cooperation project (bureau administrators, the web form); its audit
        entry names it by its title."""
        require_bureau_admin(viewer)
        project.validate()
        with self.units() as unit:
            self._check_cooperation(unit, project)
            new_id = unit.market.add_cooperation_project(project)
            obj = f"cooperation_project:{new_id}"
            note(unit, viewer, Action.RECORD_CREATED, obj, details(title=project.title))
            return new_id

    def edit_cooperation_project(
        self, viewer: Viewer, project_id: int, edited: CooperationProject
    ) -> None:
        """Correct a cooperation project (bureau administrators); a withdrawn one is gone."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            found = unit.market.cooperation_project(project_id)
            if found is None:
                raise NotFound(f"没有合作项目 {project_id} (no cooperation project {project_id})")
            new = replace(edited, id=project_id).validate()
            self._check_cooperation(unit, new)
            unit.market.update_cooperation_project(new)
            detail = changed_fields(found, new)
            note(unit, viewer, Action.RECORD_EDITED, f"cooperation_project:{project_id}", detail)

    @staticmethod
    def _check_cooperation(unit: MarketUnit, p: CooperationProject) -> None:
        # The field names are the web form's, so a refusal shows beside its field.
        for field, party in (("lead", p.lead), *(("partners", q) for q in p.partners)):
            if not unit.market.party_exists(party):
                raise InvalidInput(
                    f"cooperation_project.{field}: 无此单位 (no {party}, in {p.title!r})"
                )
        call = p.challenge_call_id
        if call is not None and unit.challenges.case(call) is None:
            raise InvalidInput(f"cooperation_project.challenge_call_id: 无此榜单 ({call})")

    def withdraw_contract(
        self, viewer: Viewer, contract_id: int, reason: str | None = None
    ) -> None:
        """Withdraw a contract registered in error: lists and the turnover leave it out; the
        row and its audit history stay; the reason, when given, goes into the audit entry."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            found = unit.market.contract(contract_id)
            if found is None:
                raise NotFound(f"没有技术合同 {contract_id} (no contract {contract_id})")
            unit.market.set_contract_withdrawn(contract_id, self.today())
            detail = details(
                number=found.number, title=found.title, value=found.value, reason=why(reason)
            )
            note(unit, viewer, Action.RECORD_WITHDRAWN, f"tech_contract:{contract_id}", detail)

    def withdraw_cooperation_project(self, viewer: Viewer, project_id: int, reason: str) -> None:
        """Withdraw a cooperation project recorded in error (it leaves the lists and the
        counts); the audit entry keeps its title and why."""
        require_bureau_admin(viewer)
        reason = " ".join(reason.split())
        if not reason:
            raise InvalidInput("reason: 请写明撤回原因 (say why it is withdrawn)")
        if len(reason) > 1000:
            raise InvalidInput("reason: 最多 1000 个字 (at most 1000 characters)")
        with self.units() as unit:
            found = unit.market.cooperation_project(project_id)
            if found is None:
                raise NotFound(f"没有合作项目 {project_id} (no cooperation project {project_id})")
            unit.market.set_cooperation_withdrawn(project_id, self.today())
            obj = f"cooperation_project:{project_id}"
            note(
                unit,
                viewer,
                Action.RECORD_WITHDRAWN,
                obj,
                details(title=found.title, reason=reason),
            )

    def cooperation_project(self, viewer: Viewer, project_id: int) -> CooperationProject:
        """A live cooperation project, for the bureau's edit form."""
        return self.cooperation_project_named(viewer, project_id)[0]

    def cooperation_project_named(
        self, viewer: Viewer, project_id: int
    ) -> tuple[CooperationProject, dict[Party, str]]:
        """A live cooperation project and its parties' names (bureau staff)."""
        if not viewer.is_bureau:
            raise PermissionDenied("仅科技局人员可查看合作项目明细 (bureau staff only)")
        with self.units() as unit:
            found = unit.market.cooperation_project(project_id)
            if found is None:
                raise NotFound(f"没有合作项目 {project_id} (no cooperation project {project_id})")
            return found, unit.market.party_names([found.lead, *found.partners])

    def cooperation_projects(
        self, viewer: Viewer, query: ListQuery | None = None
    ) -> Page[CooperationProject]:
        """A page of the live cooperation projects with their parties' names (bureau staff),
        ordered by one of COOPERATION_SORTS (newest year first by default)."""
        if not viewer.is_bureau:
            raise PermissionDenied("仅科技局人员可查看合作项目明细 (bureau staff only)")
        query = query or ListQuery(sort="year")
        if query.sort not in COOPERATION_SORTS:
            raise InvalidInput(f"sort: 无此排序列 (no column {query.sort!r})")
        with self.units() as unit:
            items, total = unit.market.cooperation_projects(query)
            parties = [q for p in items for q in (p.lead, *p.partners)]
            return Page(items, total, names=unit.market.party_names(parties))

    # --- reads -------------------------------------------------------------------------------
    def party_names(self, parties: Iterable[Party]) -> dict[Party, str]:
        """The registered names of enterprises and institutions (public registry facts); an
        unknown one is left out."""
        wanted = list(parties)
        if not wanted:
            return {}
        with self.units() as unit:
            return unit.market.party_names(wanted)

    def achievements(self, viewer: Viewer, query: ListQuery | None = None) -> Page[Achievement]:
        with self.units() as unit:
            items, total = unit.market.achievements(viewer, query or ListQuery())
            # The SQL already filtered; the pure policy checks again so a query bug cannot leak.
            items = [a for a in items if may_see_achievement(viewer, a)]
            owners = [Party(PartyKind.INSTITUTION, a.institution_id) for a in items]
            return Page(items, total, names=unit.market.party_names(owners))

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
            return Page(items, total, names=unit.market.party_names(owners))

    def demand(self, viewer: Viewer, demand_id: int) -> tuple[Demand, str]:
        with self.units() as unit:
            found = unit.market.demand(demand_id)
            # A confidential demand is "not found" to those who may not see it: no hint it exists.
            if found is None or not may_see_demand(viewer, found):
                raise NotFound(f"没有需求 {demand_id} (no demand {demand_id})")
            owner = Party(PartyKind.ENTERPRISE, found.credit_code)
            return found, unit.market.party_names([owner]).get(owner, owner.id)

    def contracts(
        self,
        viewer: Viewer,
        *,
        year: int | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "signed",
        descending: bool = True,
    ) -> Page[TechContract]:
        """A page of the contracts `viewer` may see, ordered by one of CONTRACT_SORTS."""
        if sort not in CONTRACT_SORTS:
            raise InvalidInput(f"sort: 无此排序列 (no column {sort!r})")
        with self.units() as unit:
            items, total = unit.market.contracts(
                viewer,
                year=year,
                limit=limit,
                offset=offset,
                sort=sort,
                descending=descending,
            )
            items = [c for c in items if may_see_contract(viewer, c)]
            parties = [p for c in items for p in (c.seller, c.buyer)]
            return Page(items, total, names=unit.market.party_names(parties))

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
