"""Pipeline storage: projects, the append-only event log, evidence records and the files they
point to (kept under the data folder, addressed by their SHA-256), and people on projects.

There is deliberately no method that updates or deletes an event."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

from fourchain.adapters.db.tables import chains, clusters, enterprises, institutions
from fourchain.adapters.db.tables_pipeline import (
    people,
    pipeline_events,
    pipeline_evidence,
    pipeline_projects,
    project_people,
)
from fourchain.domain.pipeline import (
    EventKind,
    EvidenceKind,
    IncubationStage,
    PipelineEvent,
    Project,
    ProjectExit,
)
from fourchain.domain.talent import Membership, Person, ProjectRole
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.pipeline import EvidenceRecord, KeptFile


def _event_row(project_id: str, seq: int, event: PipelineEvent, at: datetime) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "seq": seq,
        "kind": event.kind.value,
        "occurred_on": event.on,
        "recorded_by": event.by,
        "by_admin": event.by_admin,
        "stage": event.stage.value if event.stage else None,
        "exit": event.exit.value if event.exit else None,
        "trl": event.trl,
        "evidence": ",".join(sorted(event.evidence)) or None,
        "institution": event.institution,
        "enterprise": event.enterprise,
        "amount": event.amount,
        "passed": event.passed,
        "note": event.note or None,
        "override_reason": event.override_reason,
        "recorded_at": at,
    }


def _event(row: Any) -> PipelineEvent:
    return PipelineEvent(
        kind=EventKind(row.kind),
        on=row.occurred_on,
        by=row.recorded_by,
        stage=IncubationStage(row.stage) if row.stage else None,
        exit=ProjectExit(row.exit) if row.exit else None,
        trl=row.trl,
        evidence=frozenset(EvidenceKind(k) for k in row.evidence.split(","))
        if row.evidence
        else frozenset(),
        institution=row.institution,
        enterprise=row.enterprise,
        amount=row.amount,
        passed=row.passed,
        note=row.note or "",
        by_admin=bool(row.by_admin),
        override_reason=row.override_reason,
    )


def _project(row: Any) -> Project:
    return Project(
        id=row.id,
        title=row.title,
        created_on=row.created_on,
        created_by=row.created_by,
        cluster=row.cluster,
        chain=row.chain,
        origin_institution=row.origin_institution,
        summary=row.summary,
    )


class SqlPipelineStore:
    """Reads and appends on one connection; the caller owns the transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_projects(self, projects: Iterable[Project]) -> None:
        rows = [
            {
                "id": p.id,
                "title": p.title,
                "summary": p.summary,
                "cluster": p.cluster,
                "chain": p.chain,
                "origin_institution": p.origin_institution,
                "created_on": p.created_on,
                "created_by": p.created_by,
            }
            for p in projects
        ]
        if rows:
            self.connection.execute(insert(pipeline_projects), rows)

    def project(self, project_id: str) -> Project:
        row = self.connection.execute(
            select(pipeline_projects).where(pipeline_projects.c.id == project_id)
        ).first()
        if row is None:
            raise NotFound(
                f"没有编号为 {project_id} 的孵化项目 / no incubation project {project_id}"
            )
        return _project(row)

    def withdrawn_on(self, project_id: str) -> date | None:
        """The day the project was withdrawn; None while it stands (or is unknown)."""
        found = self.connection.execute(
            select(pipeline_projects.c.withdrawn).where(pipeline_projects.c.id == project_id)
        ).scalar()
        return found if isinstance(found, date) else None

    def projects(self) -> list[Project]:
        query = select(pipeline_projects).where(pipeline_projects.c.withdrawn.is_(None))
        rows = self.connection.execute(query.order_by(pipeline_projects.c.id))
        return [_project(row) for row in rows]

    def events(self, project_id: str) -> list[PipelineEvent]:
        query = (
            select(pipeline_events)
            .where(pipeline_events.c.project_id == project_id)
            .order_by(pipeline_events.c.seq)
        )
        return [_event(row) for row in self.connection.execute(query)]

    @property
    def scope(self) -> object:
        """What a cache of this store's derived data belongs to: its engine."""
        return self.connection.engine

    def log_version(self) -> tuple[int, int, int, int, str]:
        """How much of the log the database holds: the log only grows and a withdrawal is
        never undone, so the same counts, last id and last recording time mean the same
        contents (the services' cache of derived states relies on it)."""
        e = pipeline_events.c
        events = self.connection.execute(
            select(func.count(), func.coalesce(func.max(e.id), 0), func.max(e.recorded_at))
        ).one()
        p = pipeline_projects.c
        projects = self.connection.execute(select(func.count(), func.count(p.withdrawn))).one()
        return (
            int(projects[0] or 0),
            int(projects[1] or 0),
            int(events[0]),
            int(events[1]),
            str(events[2]),
        )

    def histories(self) -> dict[str, list[PipelineEvent]]:
        """Every standing project's history (projects without events included, empty; a
        withdrawn project's history stays in the log, out of the funnel and the explorer)."""
        standing = select(pipeline_projects.c.id).where(pipeline_projects.c.withdrawn.is_(None))
        result: dict[str, list[PipelineEvent]] = {
            pid: [] for pid in self.connection.scalars(standing)
        }
        query = select(pipeline_events).order_by(
            pipeline_events.c.project_id, pipeline_events.c.seq
        )
        for row in self.connection.execute(query):
            if row.project_id in result:
                result[row.project_id].append(_event(row))
        return result

    def append_events(
        self, project_id: str, events: list[PipelineEvent], at: datetime
    ) -> list[int]:
        """Add events after the project's last one; returns their row ids."""
        last = self.connection.scalar(
            select(func.max(pipeline_events.c.seq)).where(
                pipeline_events.c.project_id == project_id
            )
        )
        start = int(last or 0) + 1
        ids = []
        for offset, event in enumerate(events):
            result = self.connection.execute(
                insert(pipeline_events).returning(pipeline_events.c.id),
                _event_row(project_id, start + offset, event, at),
            )
            ids.append(int(result.scalar_one()))
        return ids

    def append_many(self, histories: dict[str, list[PipelineEvent]], at: datetime) -> None:
        """Bulk-append whole histories of projects that have no events yet (the demo)."""
        rows = [
            _event_row(pid, seq, event, at)
            for pid, events in histories.items()
            for seq, event in enumerate(events, start=1)
        ]
        for chunk in range(0, len(rows), 5000):
            self.connection.execute(insert(pipeline_events), rows[chunk : chunk + 5000])

    def add_evidence(self, records: Iterable[EvidenceRecord]) -> None:
        rows = [
            {
                "project_id": r.project_id,
                "event_id": r.event_id,
                "kind": r.kind.value,
                "file_name": r.file_name,
                "sha256": r.sha256,
                "size": r.size,
                "stored_as": r.stored_as,
                "recorded_by": r.recorded_by,
                "recorded_at": r.recorded_at,
            }
            for r in records
        ]
        if rows:
            self.connection.execute(insert(pipeline_evidence), rows)

    def evidence(self, project_id: str) -> list[EvidenceRecord]:
        query = (
            select(pipeline_evidence)
            .where(pipeline_evidence.c.project_id == project_id)
            .order_by(pipeline_evidence.c.id)
        )
        return [
            EvidenceRecord(
                row.project_id,
                EvidenceKind(row.kind),
                row.file_name,
                row.sha256,
                row.size,
                row.stored_as,
                row.recorded_by,
                row.recorded_at,
                row.event_id,
            )
            for row in self.connection.execute(query)
        ]

    def institution_kind(self, institution_id: str) -> str | None:
        return self.connection.scalar(
            select(institutions.c.kind).where(institutions.c.id == institution_id)
        )

    def institution_names(self) -> dict[str, str]:
        return dict(self.connection.execute(select(institutions.c.id, institutions.c.name)).all())

    def enterprise_exists(self, credit_code: str) -> bool:
        query = select(enterprises.c.credit_code).where(enterprises.c.credit_code == credit_code)
        return self.connection.scalar(query) is not None

    def key_exists(self, kind: str, key: str) -> bool:
        """Whether a cluster, a chain, a person or a project with this key is stored."""
        column = {
            "clusters": clusters.c.key,
            "chains": chains.c.key,
            "people": people.c.id,
            "pipeline_projects": pipeline_projects.c.id,
        }[kind]
        return self.connection.scalar(select(column).where(column == key)) is not None

    def add_people(self, persons: Iterable[Person]) -> None:
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "affiliation": p.affiliation,
                "expertise": p.expertise,
                "email": p.email,
            }
            for p in persons
        ]
        if rows:
            self.connection.execute(insert(people), rows)

    def add_memberships(self, memberships: Iterable[Membership]) -> None:
        rows = [
            {
                "project_id": m.project,
                "person_id": m.person,
                "role": m.role.value,
                "joined": m.joined,
                "left": m.left,
            }
            for m in memberships
        ]
        if rows:
            self.connection.execute(insert(project_people), rows)

    def team(self, project_id: str) -> list[tuple[Membership, Person]]:
        query = (
            select(project_people, people)
            .join(people, people.c.id == project_people.c.person_id)
            .where(project_people.c.project_id == project_id, people.c.withdrawn.is_(None))
            .order_by(project_people.c.id)
        )
        return [
            (
                Membership(
                    row.person_id, row.project_id, ProjectRole(row.role), row.joined, row.left
                ),
                Person(row.person_id, row.name, row.affiliation, row.expertise, row.email),
            )
            for row in self.connection.execute(query)
        ]


class EvidenceVault:
    """Evidence files under `root` (the data folder), named by content so a file kept twice is
    stored once; the database records name, digest, size and who recorded it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def digest(path: Path) -> tuple[str, int]:
        if not path.is_file():
            raise InvalidInput(f"证明材料文件不存在：{path} / evidence file not found: {path}")
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                sha.update(block)
        return sha.hexdigest(), path.stat().st_size

    def keep(self, path: Path) -> KeptFile:
        sha, size = self.digest(path)
        stored_as = f"evidence/{sha[:2]}/{sha}"
        target = self.root / stored_as
        new = not target.exists()
        if new:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            shutil.copyfile(path, partial)
            partial.replace(target)  # atomic: a reader never sees half a file
        return KeptFile(path.name, sha, size, stored_as, new)

    def discard(self, kept: KeptFile) -> None:
        """Remove a file this run added (when the database write that needed it failed)."""
        if kept.new:
            (self.root / kept.stored_as).unlink(missing_ok=True)

    def path_of(self, stored_as: str) -> Path:
        return self.root / stored_as
