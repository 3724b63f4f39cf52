"""What a viewer sees of one incubation project: its timeline for everyone; its people with the
fields the viewer's role needs; its money for the bureau, its host institutions and the
enterprise it became."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fourchain.domain.accounts import Principal
from fourchain.domain.pipeline import PipelineEvent, Project, ProjectState
from fourchain.domain.talent import CONTACT_FIELDS, PROJECT_ROLE_LABELS, person_view, visible_fields
from fourchain.services.finance import ProjectMoney, project_money
from fourchain.services.pipeline import project_page
from fourchain.services.ports import FinanceStore, PipelineStore


@dataclass(frozen=True)
class TeamMember:
    role: str
    role_label: tuple[str, str]
    joined: str
    left: str | None
    person: dict[str, str | None]


@dataclass(frozen=True)
class ProjectView:
    project: Project
    state: ProjectState
    events: list[PipelineEvent]
    team: list[TeamMember]
    money: ProjectMoney | None  # None: the viewer may not see it
    evidence: list[tuple[str, str, int]]  # (kind, file name, size), with the money rule
    withdrawn: date | None = None  # the day it was withdrawn: kept, no longer moved

    @property
    def hosts(self) -> list[str]:
        return [v.institution for v in self.state.visits if v.institution]


def project_view(
    pipeline: PipelineStore, finance: FinanceStore, project_id: str, viewer: Principal
) -> ProjectView:
    page = project_page(pipeline, project_id)
    hosts = frozenset(
        {v.institution for v in page.state.visits if v.institution}
        | ({page.project.origin_institution} if page.project.origin_institution else set())
    )
    fields = visible_fields(viewer, host_institutions=hosts, enterprise=page.state.enterprise)
    insider = fields == CONTACT_FIELDS
    team = [
        TeamMember(
            m.role.value,
            PROJECT_ROLE_LABELS[m.role],
            m.joined.isoformat(),
            m.left.isoformat() if m.left else None,
            person_view(p, fields),
        )
        for m, p in page.team
    ]
    money = project_money(finance.book(), project_id, page.state.enterprise) if insider else None
    evidence = [(r.kind.value, r.file_name, r.size) for r in page.evidence] if insider else []
    withdrawn = pipeline.withdrawn_on(project_id)
    return ProjectView(page.project, page.state, page.events, team, money, evidence, withdrawn)
