"""The programme projects' store on SQLAlchemy Core, and its units of work (a change and its
audit entry in one transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from fourchain.adapters.db.accounts_repo import SqlAuditLog
from fourchain.adapters.db.market_repo import SqlMarket
from fourchain.adapters.db.tables import patents
from fourchain.adapters.db.tables_market import achievements, challenge_calls, challenge_reviewers
from fourchain.adapters.db.tables_programmes import (
    programme_calls,
    programme_coi_declarations,
    programme_outcomes,
    programme_projects,
    programme_stage_events,
    programmes,
)
from fourchain.domain.challenge import CoiDeclaration, Reviewer
from fourchain.domain.market import Party, PartyKind
from fourchain.domain.programmes import (
    AppraisalLevel,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
    Programme,
    ProgrammeCall,
    ProgrammeKind,
    ProgrammeLevel,
    ProgrammeProject,
    Stage,
    StageEvent,
)
from fourchain.services.audit import AuditTrail
from fourchain.services.programmes import ProjectFilter


def parties_text(parties: Iterable[Party]) -> str:
    return ",".join(f"{p.kind.value}:{p.id}" for p in parties)


def parse_parties(text: str) -> tuple[Party, ...]:
    out = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        kind, _, ident = item.partition(":")
        out.append(Party(PartyKind(kind), ident))
    return tuple(out)


def _programme(row: Any) -> Programme:
    return Programme(
        row.key, row.name_zh, row.name_en, ProgrammeKind(row.kind), ProgrammeLevel(row.level)
    )


def _call(row: Any) -> ProgrammeCall:
    return ProgrammeCall(row.programme, row.year, row.title, row.challenge_call_id, row.id)


def project_row(p: ProgrammeProject) -> dict[str, object]:
    return {
        "call_id": p.call_id,
        "title": p.title,
        "lead_kind": p.lead.kind.value,
        "lead_id": p.lead.id,
        "partners": parties_text(p.partners),
        "public_budget": p.public_budget,
        "self_raised": p.self_raised,
        "cluster": p.cluster,
        "number": p.number,
        "stage": p.stage.value,
        "applied": p.applied,
        "approved": p.approved_on,
    }


def event_row(project_id: int, e: StageEvent) -> dict[str, object]:
    ev = e.evidence
    return {
        "project_id": project_id,
        "move": e.move.value,
        "source": e.source.value,
        "target": e.target.value,
        "on": ev.on,
        "document": ev.document,
        "note": ev.note,
        "public_funding": ev.public_funding,
        "ends": ev.ends,
        "passed": ev.passed,
    }


def outcome_row(project_id: int, o: Outcome) -> dict[str, object]:
    return {
        "project_id": project_id,
        "kind": o.kind.value,
        "reference": o.reference,
        "level": o.level.value if o.level else None,
        "appraised": o.appraised,
        "appraiser": o.appraiser,
    }


def _event(e: Any) -> StageEvent:
    evidence = Evidence(
        e.on,
        e.document,
        e.note,
        None if e.public_funding is None else int(e.public_funding),
        e.ends,
        bool(e.passed),
    )
    return StageEvent(Move(e.move), Stage(e.source), Stage(e.target), evidence)


def _project(row: Any) -> ProgrammeProject:
    return ProgrammeProject(
        call_id=row.call_id,
        title=row.title,
        lead=Party(PartyKind(row.lead_kind), row.lead_id),
        applied=row.applied,
        partners=parse_parties(row.partners),
        public_budget=int(row.public_budget),
        self_raised=int(row.self_raised),
        cluster=row.cluster,
        number=row.number,
        stage=Stage(row.stage),
        id=row.id,
    )


class SqlProgrammes:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._market = SqlMarket(connection)

    def add_programme(self, programme: Programme) -> None:
        p = programme
        self.connection.execute(
            insert(programmes).values(
                key=p.key, name_zh=p.name_zh, name_en=p.name_en, kind=p.kind, level=p.level
            )
        )

    def programme(self, key: str) -> Programme | None:
        row = self.connection.execute(select(programmes).where(programmes.c.key == key)).first()
        return _programme(row) if row else None

    def programmes(self) -> list[Programme]:
        rows = self.connection.execute(select(programmes).order_by(programmes.c.key))
        return [_programme(row) for row in rows]

    def add_call(self, call: ProgrammeCall) -> int:
        values = {
            "programme": call.programme,
            "year": call.year,
            "title": call.title,
            "challenge_call_id": call.challenge_call_id,
        }
        result = self.connection.execute(insert(programme_calls).values(values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def call(self, call_id: int) -> ProgrammeCall | None:
        query = select(programme_calls).where(programme_calls.c.id == call_id)
        row = self.connection.execute(query).first()
        return _call(row) if row else None

    def calls(self, programme: str | None = None) -> list[ProgrammeCall]:
        query = select(programme_calls).order_by(programme_calls.c.year, programme_calls.c.id)
        if programme is not None:
            query = query.where(programme_calls.c.programme == programme)
        return [_call(row) for row in self.connection.execute(query)]

    def add_project(self, project: ProgrammeProject) -> int:
        result = self.connection.execute(insert(programme_projects).values(project_row(project)))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def project(self, project_id: int) -> ProgrammeProject | None:
        query = select(programme_projects).where(programme_projects.c.id == project_id)
        row = self.connection.execute(query).first()
        if row is None:
            return None
        project = _project(row)
        events = self.connection.execute(
            select(programme_stage_events)
            .where(programme_stage_events.c.project_id == project_id)
            .order_by(programme_stage_events.c.id)
        )
        project.history.extend(_event(e) for e in events)
        outcomes = self.connection.execute(
            select(programme_outcomes)
            .where(programme_outcomes.c.project_id == project_id)
            .order_by(programme_outcomes.c.id)
        )
        project.outcomes = [
            Outcome(
                OutcomeKind(o.kind),
                o.reference,
                AppraisalLevel(o.level) if o.level else None,
                o.appraised,
                o.appraiser,
            )
            for o in outcomes
        ]
        return project

    def projects(self, where: ProjectFilter) -> tuple[list[ProgrammeProject], int]:
        pp, pc, pg = programme_projects.c, programme_calls.c, programmes.c
        joined = programme_projects.join(programme_calls, pp.call_id == pc.id).join(
            programmes, pc.programme == pg.key
        )
        conditions = []
        if where.programme is not None:
            conditions.append(pc.programme == where.programme)
        if where.kind is not None:
            conditions.append(pg.kind == where.kind.value)
        if where.year is not None:
            conditions.append(pc.year == where.year)
        if where.stage is not None:
            conditions.append(pp.stage == where.stage.value)
        if where.cluster is not None:
            conditions.append(pp.cluster == where.cluster)
        if where.lead is not None:
            conditions.append(
                (pp.lead_kind == where.lead.kind.value) & (pp.lead_id == where.lead.id)
            )
        total = self.connection.scalar(select(func.count()).select_from(joined).where(*conditions))
        rows = self.connection.execute(
            select(programme_projects)
            .select_from(joined)
            .where(*conditions)
            .order_by(pp.id.desc())
            .limit(where.limit)
            .offset(where.offset)
        )
        return [_project(row) for row in rows], int(total or 0)

    def histories(self) -> dict[int, tuple[ProgrammeProject, list[int]]]:
        """Every project with its stored history, and the ids of its events in order."""
        projects: dict[int, ProgrammeProject] = {
            row.id: _project(row) for row in self.connection.execute(select(programme_projects))
        }
        ids: dict[int, list[int]] = {key: [] for key in projects}
        query = select(programme_stage_events).order_by(programme_stage_events.c.id)
        for e in self.connection.execute(query):
            projects[e.project_id].history.append(_event(e))
            ids[e.project_id].append(int(e.id))
        return {key: (project, ids[key]) for key, project in projects.items()}

    def save_state(self, project: ProgrammeProject) -> None:
        """The stage, approved funding, number and approval day its history gives."""
        self.connection.execute(
            update(programme_projects)
            .where(programme_projects.c.id == project.id)
            .values(
                stage=project.stage.value,
                public_budget=project.public_budget,
                number=project.number,
                approved=project.approved_on,
            )
        )

    def save_move(self, project: ProgrammeProject, event: StageEvent) -> None:
        assert project.id is not None
        self.connection.execute(
            update(programme_projects)
            .where(programme_projects.c.id == project.id)
            .values(
                stage=project.stage.value,
                public_budget=project.public_budget,
                number=project.number,
                approved=project.approved_on,
            )
        )
        self.connection.execute(insert(programme_stage_events).values(event_row(project.id, event)))

    def link_cooperation(self, project_id: int, cooperation_id: int) -> None:
        """The market's cooperation project this programme project is (the demo's link)."""
        self.connection.execute(
            update(programme_projects)
            .where(programme_projects.c.id == project_id)
            .values(cooperation_project_id=cooperation_id)
        )

    def add_outcome(self, project_id: int, outcome: Outcome) -> None:
        self.connection.execute(insert(programme_outcomes).values(outcome_row(project_id, outcome)))

    def outcome_exists(self, kind: OutcomeKind, reference: str) -> bool:
        """Whether a patent (by number) or an achievement (by id) the outcome names is held."""
        if kind is OutcomeKind.PATENT:
            query = select(patents.c.number).where(patents.c.number == reference)
        elif kind is OutcomeKind.ACHIEVEMENT and reference.isdigit():
            query = select(achievements.c.id).where(achievements.c.id == int(reference))
        else:
            return kind is OutcomeKind.PRODUCT
        return self.connection.execute(query).first() is not None

    def challenge_call_exists(self, call_id: int) -> bool:
        query = select(challenge_calls.c.id).where(challenge_calls.c.id == call_id)
        return self.connection.execute(query).first() is not None

    def party_exists(self, party: Party) -> bool:
        return self._market.party_exists(party)

    def party_names(self, parties: Iterable[Party]) -> dict[Party, str]:
        return self._market.party_names(parties)

    def add_declaration(self, d: CoiDeclaration) -> None:
        self.connection.execute(
            insert(programme_coi_declarations).values(
                project_id=d.application_id,
                expert_id=d.expert_id,
                conflicted=d.conflicted,
                statement=d.statement,
                declared=d.declared,
            )
        )

    def declarations(self, project_id: int) -> list[CoiDeclaration]:
        c = programme_coi_declarations.c
        rows = self.connection.execute(
            select(programme_coi_declarations)
            .where(c.project_id == project_id)
            .order_by(c.expert_id)
        )
        return [
            CoiDeclaration(r.expert_id, r.project_id, bool(r.conflicted), r.statement, r.declared)
            for r in rows
        ]

    def panel(self, challenge_call_id: int) -> tuple[list[Reviewer], list[CoiDeclaration]]:
        """The challenge call's expert panel. Its declarations are about the call's own
        applications, so none carries over to a programme project (see `declarations`)."""
        c = challenge_reviewers.c
        rows = self.connection.execute(
            select(challenge_reviewers).where(c.call_id == challenge_call_id).order_by(c.expert_id)
        )
        reviewers = [
            Reviewer(
                r.expert_id,
                r.name,
                Party(PartyKind(r.affiliation_kind), r.affiliation_id)
                if r.affiliation_kind
                else None,
            )
            for r in rows
        ]
        return reviewers, []

    def funding(self) -> list[tuple[Programme, str | None, int, int]]:
        pp, pc = programme_projects.c, programme_calls.c
        query = (
            select(
                programmes,
                pp.cluster,
                func.sum(pp.public_budget).label("public"),
                func.sum(pp.self_raised).label("raised"),
            )
            .select_from(
                programme_projects.join(programme_calls, pp.call_id == pc.id).join(
                    programmes, pc.programme == programmes.c.key
                )
            )
            .where(pp.approved.is_not(None))
            .group_by(*programmes.c, pp.cluster)
            .order_by(programmes.c.key, pp.cluster)
        )
        return [
            (_programme(row), row.cluster, int(row.public or 0), int(row.raised or 0))
            for row in self.connection.execute(query)
        ]


@dataclass
class SqlProgrammeUnit:
    programmes: SqlProgrammes
    audit: AuditTrail


def programme_units(
    engine: Engine, audit_key: bytes
) -> Callable[[], AbstractContextManager[SqlProgrammeUnit]]:
    @contextmanager
    def unit() -> Iterator[SqlProgrammeUnit]:
        with engine.begin() as connection:
            yield SqlProgrammeUnit(
                SqlProgrammes(connection), AuditTrail(SqlAuditLog(connection), audit_key)
            )

    return unit
