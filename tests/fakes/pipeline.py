"""The pipeline's store and evidence vault, in memory."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from fourchain.domain.pipeline import PipelineEvent, Project
from fourchain.domain.talent import Membership, Person
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.pipeline import EvidenceRecord, KeptFile
from fourchain.services.ports import PipelineStore, Vault


@dataclass
class FakePipelineStore:
    projects_by_id: dict[str, Project] = field(default_factory=dict)
    log: dict[str, list[tuple[int, PipelineEvent, datetime]]] = field(default_factory=dict)
    kept_evidence: list[EvidenceRecord] = field(default_factory=list)
    institutions: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: (name, kind)
    enterprises: set[str] = field(default_factory=set)
    members: dict[str, list[tuple[Membership, Person]]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    clusters: set[str] = field(default_factory=set)
    chains: set[str] = field(default_factory=set)
    fail_on_append: Exception | None = None  # a write that fails (the database went away)
    withdrawn: dict[str, date] = field(default_factory=dict)  # project id: the day

    def add(self, project: Project, *events: PipelineEvent) -> None:
        self.projects_by_id[project.id] = project
        self.log.setdefault(project.id, [])
        if events:
            self.append_events(project.id, list(events), datetime(2020, 1, 1))

    def project(self, project_id: str) -> Project:
        if project_id not in self.projects_by_id:
            raise NotFound(f"no incubation project {project_id}")
        return self.projects_by_id[project_id]

    def withdrawn_on(self, project_id: str) -> date | None:
        return self.withdrawn.get(project_id)

    def projects(self) -> list[Project]:
        live = (p for p in self.projects_by_id.values() if p.id not in self.withdrawn)
        return sorted(live, key=lambda p: p.id)

    def events(self, project_id: str) -> list[PipelineEvent]:
        return [event for _, event, _ in self.log.get(project_id, [])]

    def histories(self) -> dict[str, list[PipelineEvent]]:
        return {pid: self.events(pid) for pid in sorted(self.projects_by_id)}

    @property
    def scope(self) -> object:
        return self

    def log_version(self) -> tuple[int, int, int, int, str]:
        rows = [row for history in self.log.values() for row in history]
        last = max((row[0] for row in rows), default=0)
        when = max((str(row[2]) for row in rows), default="None")
        return len(self.projects_by_id), 0, len(rows), last, when

    def append_events(
        self, project_id: str, events: list[PipelineEvent], at: datetime
    ) -> list[int]:
        if self.fail_on_append is not None:
            raise self.fail_on_append
        ids = []
        for event in events:
            next_id = self.log_version()[3] + 1
            self.log.setdefault(project_id, []).append((next_id, event, at))
            ids.append(next_id)
        return ids

    def add_evidence(self, records: Iterable[EvidenceRecord]) -> None:
        self.kept_evidence.extend(records)

    def evidence(self, project_id: str) -> list[EvidenceRecord]:
        return [r for r in self.kept_evidence if r.project_id == project_id]

    def institution_kind(self, institution_id: str) -> str | None:
        found = self.institutions.get(institution_id)
        return None if found is None else found[1]

    def institution_names(self) -> dict[str, str]:
        return {key: name for key, (name, _) in self.institutions.items()}

    def enterprise_exists(self, credit_code: str) -> bool:
        return credit_code in self.enterprises

    def team(self, project_id: str) -> list[tuple[Membership, Person]]:
        return list(self.members.get(project_id, []))

    def add_projects(self, projects: Iterable[Project]) -> None:
        for project in projects:
            self.add(project)

    def add_people(self, persons: Iterable[Person]) -> None:
        self.people.update({person.id: person for person in persons})

    def key_exists(self, kind: str, key: str) -> bool:
        held = {
            "clusters": self.clusters,
            "chains": self.chains,
            "people": set(self.people),
            "pipeline_projects": set(self.projects_by_id),
        }[kind]
        return key in held


@dataclass
class FakeVault:
    """Files kept by content, in a dict instead of a folder."""

    files: dict[str, bytes] = field(default_factory=dict)

    def digest(self, path: Path) -> tuple[str, int]:
        if not path.is_file():
            raise InvalidInput(f"evidence file not found: {path}")
        data = path.read_bytes()
        return hashlib.sha256(data).hexdigest(), len(data)

    def keep(self, path: Path) -> KeptFile:
        sha, size = self.digest(path)
        stored_as = f"evidence/{sha[:2]}/{sha}"
        new = stored_as not in self.files
        self.files[stored_as] = path.read_bytes()
        return KeptFile(path.name, sha, size, stored_as, new)

    def discard(self, kept: KeptFile) -> None:
        if kept.new:
            self.files.pop(kept.stored_as, None)


_store: PipelineStore = FakePipelineStore()
_vault: Vault = FakeVault()
