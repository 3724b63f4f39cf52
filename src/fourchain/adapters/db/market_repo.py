"""The market's storage in SQL: records in and out, and list queries that filter by who is
looking in the WHERE clause, so a row a viewer may not see never leaves the database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    and_,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from fourchain.adapters.db.accounts_repo import SqlAuditLog
from fourchain.adapters.db.challenge_repo import SqlChallenges
from fourchain.adapters.db.tables import clusters, enterprises, institutions
from fourchain.adapters.db.tables_market import (
    achievements,
    cooperation_projects,
    demands,
    tech_contracts,
)
from fourchain.domain.accounts import Role
from fourchain.domain.market import (
    PUBLISHERS,
    Achievement,
    ContractType,
    CooperationKind,
    CooperationProject,
    Demand,
    IPStatus,
    ListQuery,
    Party,
    PartyKind,
    TechContract,
    TransferMode,
    Viewer,
)
from fourchain.errors import InvalidInput
from fourchain.services.audit import AuditTrail

SEP = "；"


def _party(row: Any, prefix: str) -> Party:
    return Party(PartyKind(getattr(row, f"{prefix}_kind")), getattr(row, f"{prefix}_id"))


def _party_cols(prefix: str, party: Party | None) -> dict[str, str | None]:
    return {
        f"{prefix}_kind": party.kind.value if party else None,
        f"{prefix}_id": party.id if party else None,
    }


def _split(text: str, sep: str = SEP) -> tuple[str, ...]:
    return tuple(part for part in text.split(sep) if part)


def _like(text: str) -> str:
    # No stored text holds a NUL, and PostgreSQL refuses one in a value: such a search finds
    # what the rest of it finds.
    escaped = text.replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(text: str, *columns: ColumnElement[str]) -> ColumnElement[bool]:
    """Any of `columns` contains `text` literally (LIKE wildcards in it are escaped)."""
    pattern = _like(text)
    return or_(*(column.like(pattern, escape="\\") for column in columns))


def _owned_by(viewer: Viewer, kind: PartyKind) -> str | None:
    """The id of the organisation of `kind` the viewer acts for, if any."""
    party = viewer.party
    if viewer.role is PUBLISHERS[kind] and party is not None and party.kind is kind:
        return party.id
    return None


def _contract_row(t: TechContract) -> dict[str, Any]:
    return {
        "number": t.number,
        "title": t.title,
        **_party_cols("seller", t.seller),
        **_party_cols("buyer", t.buyer),
        "type": t.type.value,
        "value": t.value,
        "signed": t.signed,
        "registered": t.registered,
        "achievement_id": t.achievement_id,
        "demand_id": t.demand_id,
    }


def _cooperation_row(p: CooperationProject) -> dict[str, Any]:
    return {
        "kind": p.kind.value,
        "year": p.year,
        "title": p.title,
        **_party_cols("lead", p.lead),
        "partners": ",".join(str(x) for x in p.partners),
        "funding": p.funding,
        "challenge_call_id": p.challenge_call_id,
    }


def _cooperation(r: Any) -> CooperationProject:
    return CooperationProject(
        id=r.id,
        kind=CooperationKind(r.kind),
        year=r.year,
        title=r.title,
        lead=_party(r, "lead"),
        partners=tuple(Party.parse(x) for x in _split(r.partners, ",")),
        funding=r.funding,
        challenge_call_id=r.challenge_call_id,
    )


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _achievement_row(a: Achievement) -> dict[str, Any]:
    return {
        "institution_id": a.institution_id,
        "title": a.title,
        "abstract": a.abstract,
        "keywords": SEP.join(a.keywords),
        "discipline": a.discipline,
        "ipc": a.ipc,
        "trl": a.trl,
        "ip_status": a.ip_status.value,
        "patent_numbers": SEP.join(a.patent_numbers),
        "transfer_modes": ",".join(m.value for m in a.transfer_modes),
        "asking_terms": a.asking_terms,
        "asking_price": a.asking_price,
        "contact": a.contact,
        "cluster": a.cluster,
        "published": a.published,
        "listed": a.listed,
    }


def _demand_row(d: Demand) -> dict[str, Any]:
    return {
        "credit_code": d.credit_code,
        "problem": d.problem,
        "description": d.description,
        "field": d.field,
        "cluster": d.cluster,
        "budget": d.budget,
        "deadline": d.deadline,
        "published": d.published,
        "confidential": d.confidential,
    }


class SqlMarket:
    """Reads and writes on one connection; the caller owns the transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- parties ---------------------------------------------------------------------------
    def party_exists(self, party: Party) -> bool:
        if party.kind is PartyKind.ENTERPRISE:
            query = select(enterprises.c.credit_code).where(enterprises.c.credit_code == party.id)
        else:
            query = select(institutions.c.id).where(institutions.c.id == party.id)
        return self.connection.execute(query).first() is not None

    def cluster_exists(self, key: str) -> bool:
        query = select(clusters.c.key).where(clusters.c.key == key)
        return self.connection.execute(query).first() is not None

    def party_names(self, parties: Iterable[Party]) -> dict[Party, str]:
        wanted = set(parties)
        codes = [p.id for p in wanted if p.kind is PartyKind.ENTERPRISE]
        ids = [p.id for p in wanted if p.kind is PartyKind.INSTITUTION]
        names: dict[Party, str] = {}
        if codes:
            query = select(enterprises.c.credit_code, enterprises.c.name).where(
                enterprises.c.credit_code.in_(codes)
            )
            for code, name in self.connection.execute(query):
                names[Party(PartyKind.ENTERPRISE, code)] = name
        if ids:
            query = select(institutions.c.id, institutions.c.name).where(institutions.c.id.in_(ids))
            for ident, name in self.connection.execute(query):
                names[Party(PartyKind.INSTITUTION, ident)] = name
        return names

    # --- achievements ------------------------------------------------------------------------
    def add_achievement(self, a: Achievement) -> int:
        return _new_id(self.connection.execute(insert(achievements).values(_achievement_row(a))))

    def update_achievement(self, a: Achievement) -> None:
        """Replace what the owner may edit; the publication day and withdrawal stay."""
        row = _achievement_row(a)
        del row["published"]
        self.connection.execute(update(achievements).where(achievements.c.id == a.id).values(row))

    def set_achievement_withdrawn(self, achievement_id: int, day: date) -> None:
        self.connection.execute(
            update(achievements).where(achievements.c.id == achievement_id).values(withdrawn=day)
        )

    def set_achievement_listed(self, achievement_id: int, listed: bool) -> None:
        self.connection.execute(
            update(achievements).where(achievements.c.id == achievement_id).values(listed=listed)
        )

    @staticmethod
    def _achievement(row: Any) -> Achievement:
        return Achievement(
            id=row.id,
            institution_id=row.institution_id,
            title=row.title,
            abstract=row.abstract,
            keywords=_split(row.keywords),
            discipline=row.discipline,
            ipc=row.ipc,
            trl=row.trl,
            ip_status=IPStatus(row.ip_status),
            patent_numbers=_split(row.patent_numbers),
            transfer_modes=tuple(TransferMode(m) for m in _split(row.transfer_modes, ",")),
            asking_terms=row.asking_terms,
            asking_price=row.asking_price,
            contact=row.contact,
            cluster=row.cluster,
            published=row.published,
            listed=row.listed,
            withdrawn=row.withdrawn,
        )

    def achievements_visible(self, viewer: Viewer) -> ColumnElement[bool]:
        if viewer.role in (Role.BUREAU_ADMIN, Role.BUREAU_ANALYST):
            return true()
        own = _owned_by(viewer, PartyKind.INSTITUTION)
        if own is None:
            return achievements.c.listed.is_(True)
        return or_(achievements.c.listed.is_(True), achievements.c.institution_id == own)

    def _achievement_filters(self, viewer: Viewer, q: ListQuery) -> list[ColumnElement[bool]]:
        c = achievements.c
        # A withdrawn achievement has left the market: no list shows it, to anyone.
        where = [self.achievements_visible(viewer), c.withdrawn.is_(None)]
        if q.text:
            where.append(_contains(q.text, c.title, c.abstract, c.keywords))
        if q.cluster:
            where.append(c.cluster == q.cluster)
        if q.trl_min is not None:
            where.append(c.trl >= q.trl_min)
        if q.owner:
            where.append(c.institution_id == q.owner)
        return where

    def achievements(self, viewer: Viewer, q: ListQuery) -> tuple[list[Achievement], int]:
        where = self._achievement_filters(viewer, q)
        c = achievements.c
        column = {"published": c.published, "title": c.title, "trl": c.trl}.get(q.sort)
        if column is None:
            raise InvalidInput(f"the achievements cannot be sorted by {q.sort!r}")
        query = (
            select(achievements)
            .where(*where)
            .order_by(column.desc() if q.descending else column.asc(), c.id.desc())
            .limit(q.limit)
            .offset(q.offset)
        )
        rows = [self._achievement(r) for r in self.connection.execute(query)]
        total = self.connection.scalar(select(func.count()).select_from(achievements).where(*where))
        return rows, int(total or 0)

    def achievement(self, achievement_id: int) -> Achievement | None:
        row = self.connection.execute(
            select(achievements).where(achievements.c.id == achievement_id)
        ).first()
        return None if row is None else self._achievement(row)

    def achievements_by_ids(self, viewer: Viewer, ids: Iterable[int]) -> list[Achievement]:
        query = select(achievements).where(
            achievements.c.id.in_(list(ids)),
            self.achievements_visible(viewer),
            achievements.c.withdrawn.is_(None),
        )
        return [self._achievement(r) for r in self.connection.execute(query)]

    # --- demands ---------------------------------------------------------------------------
    def add_demand(self, d: Demand) -> int:
        return _new_id(self.connection.execute(insert(demands).values(_demand_row(d))))

    def update_demand(self, d: Demand) -> None:
        row = _demand_row(d)
        del row["published"]
        self.connection.execute(update(demands).where(demands.c.id == d.id).values(row))

    def set_demand_withdrawn(self, demand_id: int, day: date) -> None:
        self.connection.execute(
            update(demands).where(demands.c.id == demand_id).values(withdrawn=day)
        )

    @staticmethod
    def _demand(row: Any) -> Demand:
        return Demand(
            id=row.id,
            credit_code=row.credit_code,
            problem=row.problem,
            description=row.description,
            field=row.field,
            cluster=row.cluster,
            budget=row.budget,
            deadline=row.deadline,
            published=row.published,
            confidential=row.confidential,
            withdrawn=row.withdrawn,
        )

    def _demands_visible(self, viewer: Viewer) -> ColumnElement[bool]:
        if viewer.role in (Role.BUREAU_ADMIN, Role.BUREAU_ANALYST):
            return true()
        own = _owned_by(viewer, PartyKind.ENTERPRISE)
        public = demands.c.confidential.is_(False)
        return public if own is None else or_(public, demands.c.credit_code == own)

    def demands(self, viewer: Viewer, q: ListQuery) -> tuple[list[Demand], int]:
        c = demands.c
        where = [self._demands_visible(viewer), c.withdrawn.is_(None)]
        if q.text:
            where.append(_contains(q.text, c.problem, c.description, c.field))
        if q.cluster:
            where.append(c.cluster == q.cluster)
        if q.owner:
            where.append(c.credit_code == q.owner)
        columns = {
            "published": c.published,
            "problem": c.problem,
            "budget": c.budget,
            "deadline": c.deadline,
        }
        column = columns.get(q.sort)
        if column is None:
            raise InvalidInput(f"the demands cannot be sorted by {q.sort!r}")
        query = (
            select(demands)
            .where(*where)
            .order_by(column.desc() if q.descending else column.asc(), c.id.desc())
            .limit(q.limit)
            .offset(q.offset)
        )
        rows = [self._demand(r) for r in self.connection.execute(query)]
        total = self.connection.scalar(select(func.count()).select_from(demands).where(*where))
        return rows, int(total or 0)

    def demand(self, demand_id: int) -> Demand | None:
        row = self.connection.execute(select(demands).where(demands.c.id == demand_id)).first()
        return None if row is None else self._demand(row)

    # --- contracts ---------------------------------------------------------------------------
    def add_contract(self, t: TechContract) -> int:
        return _new_id(self.connection.execute(insert(tech_contracts).values(_contract_row(t))))

    def update_contract(self, t: TechContract) -> None:
        c = tech_contracts.c
        query = update(tech_contracts).where(c.id == t.id, c.withdrawn.is_(None))
        self.connection.execute(query.values(_contract_row(t)))

    def contract_number_taken(self, number: str) -> bool:
        query = select(tech_contracts.c.id).where(tech_contracts.c.number == number)
        return self.connection.execute(query).first() is not None

    @staticmethod
    def _contract(row: Any) -> TechContract:
        return TechContract(
            id=row.id,
            number=row.number,
            title=row.title,
            seller=_party(row, "seller"),
            buyer=_party(row, "buyer"),
            type=ContractType(row.type),
            value=row.value,
            signed=row.signed,
            registered=row.registered,
            achievement_id=row.achievement_id,
            demand_id=row.demand_id,
        )

    def _contracts_visible(self, viewer: Viewer) -> ColumnElement[bool]:
        if viewer.role in (Role.BUREAU_ADMIN, Role.BUREAU_ANALYST):
            return true()
        party = viewer.party
        if viewer.role not in (Role.ENTERPRISE_USER, Role.INSTITUTION_USER) or party is None:
            return false()
        c = tech_contracts.c
        return or_(
            and_(c.seller_kind == party.kind.value, c.seller_id == party.id),
            and_(c.buyer_kind == party.kind.value, c.buyer_id == party.id),
        )

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
        c = tech_contracts.c
        where = [self._contracts_visible(viewer), c.withdrawn.is_(None)]
        if year is not None:
            where.append(and_(c.signed >= date(year, 1, 1), c.signed <= date(year, 12, 31)))
        query = (
            select(tech_contracts)
            .where(*where)
            .order_by(*(k.desc() if descending else k.asc() for k in (c[sort], c.id)))
            .limit(limit)
            .offset(offset)
        )
        rows = [self._contract(r) for r in self.connection.execute(query)]
        total = self.connection.scalar(
            select(func.count()).select_from(tech_contracts).where(*where)
        )
        return rows, int(total or 0)

    def contract(self, contract_id: int) -> TechContract | None:
        row = self.connection.execute(
            select(tech_contracts).where(
                tech_contracts.c.id == contract_id, tech_contracts.c.withdrawn.is_(None)
            )
        ).first()
        return None if row is None else self._contract(row)

    def set_contract_withdrawn(self, contract_id: int, day: date) -> None:
        query = update(tech_contracts).where(tech_contracts.c.id == contract_id)
        self.connection.execute(query.values(withdrawn=day))

    def set_cooperation_withdrawn(self, project_id: int, day: date) -> None:
        query = update(cooperation_projects).where(cooperation_projects.c.id == project_id)
        self.connection.execute(query.values(withdrawn=day))

    def contract_turnover(self) -> dict[int, tuple[int, float]]:
        """Registered contracts per year of signing: count and value (yuan)."""
        c = tech_contracts.c
        year = func.extract("year", c.signed)
        query = (
            select(year, func.count(), func.coalesce(func.sum(c.value), 0.0))
            .where(c.registered.is_not(None), c.withdrawn.is_(None))
            .group_by(year)
        )
        return {int(y): (int(n), float(v)) for y, n, v in self.connection.execute(query)}

    # --- cooperation projects ------------------------------------------------------------------
    def add_cooperation_projects(self, projects: Iterable[CooperationProject]) -> int:
        rows = [_cooperation_row(p) for p in projects]
        if rows:
            self.connection.execute(insert(cooperation_projects), rows)
        return len(rows)

    def add_cooperation_project(self, p: CooperationProject) -> int:
        return _new_id(self.connection.execute(insert(cooperation_projects), _cooperation_row(p)))

    def cooperation_projects(self, q: ListQuery) -> tuple[list[CooperationProject], int]:
        """A page of the live projects, `q.text` in the title, ordered by `q.sort`."""
        c = cooperation_projects.c
        column = {"year": c.year, "title": c.title, "kind": c.kind, "funding": c.funding}.get(
            q.sort
        )
        if column is None:
            raise InvalidInput(f"sort: 合作项目不能按 {q.sort!r} 排序 (no such column)")
        where: list[ColumnElement[bool]] = [c.withdrawn.is_(None)]
        if q.text:
            where.append(_contains(q.text, c.title))
        query = (
            select(cooperation_projects)
            .where(*where)
            .order_by(column.desc() if q.descending else column.asc(), c.id.desc())
            .limit(q.limit)
            .offset(q.offset)
        )
        rows = [_cooperation(r) for r in self.connection.execute(query)]
        total = self.connection.scalar(
            select(func.count()).select_from(cooperation_projects).where(*where)
        )
        return rows, int(total or 0)

    def cooperation_project(self, project_id: int) -> CooperationProject | None:
        c = cooperation_projects.c
        query = select(cooperation_projects).where(c.id == project_id, c.withdrawn.is_(None))
        row = self.connection.execute(query).first()
        return None if row is None else _cooperation(row)

    def update_cooperation_project(self, p: CooperationProject) -> None:
        c = cooperation_projects.c
        query = update(cooperation_projects).where(c.id == p.id, c.withdrawn.is_(None))
        self.connection.execute(query.values(_cooperation_row(p)))

    def cooperation_counts(self) -> dict[tuple[str, int], int]:
        c = cooperation_projects.c
        query = (
            select(c.kind, c.year, func.count())
            .where(c.withdrawn.is_(None))
            .group_by(c.kind, c.year)
        )
        return {(k, int(y)): int(n) for k, y, n in self.connection.execute(query)}


@dataclass
class SqlMarketUnit:
    """One transaction's view of the market: records and challenge calls."""

    market: SqlMarket
    challenges: SqlChallenges
    audit: AuditTrail


def market_units(
    engine: Engine, audit_key: bytes
) -> Callable[[], AbstractContextManager[SqlMarketUnit]]:
    """A factory of units of work: each use case runs in one `engine.begin()`."""

    @contextmanager
    def unit() -> Iterator[SqlMarketUnit]:
        with engine.begin() as connection:
            yield SqlMarketUnit(
                SqlMarket(connection),
                SqlChallenges(connection),
                AuditTrail(SqlAuditLog(connection), audit_key),
            )

    return unit
