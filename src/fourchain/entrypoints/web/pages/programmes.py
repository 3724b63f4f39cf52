"""S&T programme pages for the bureau: the programmes with their calls and funding by cluster,
the project list with filters, and a project with its stage history and outcomes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from fourchain.domain.programmes import LABELS, ProgrammeKind, Stage, next_moves, to_wan
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep
from fourchain.entrypoints.web.templating import render
from fourchain.services.programmes import ProgrammeDesk, ProjectFilter

router = APIRouter(prefix="/programmes", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
Key = Annotated[str, Query(max_length=60)]
PAGE_SIZE = 20


async def _desk(services: ServicesDep) -> ProgrammeDesk:
    return services.programmes


DeskDep = Annotated[ProgrammeDesk, Depends(_desk)]


def _common(services: ServicesDep) -> dict[str, Any]:
    return {
        "labels": LABELS,
        "wan": to_wan,
        "clusters": {key: (zh, en) for key, zh, en in services.registry.views.clusters()},
    }


@router.get("")
def programmes(
    request: Request, services: ServicesDep, desk: DeskDep, viewer: ViewerDep
) -> Response:
    found = desk.programmes(viewer)
    funding = desk.funding(viewer)
    context = _common(services) | {"found": found, "funding": funding}
    return render(request, "programmes/index.html", context, active="programmes")


@router.get("/projects")
def projects(
    request: Request,
    services: ServicesDep,
    desk: DeskDep,
    viewer: ViewerDep,
    programme: Key = "",
    kind: ProgrammeKind | None = None,
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    stage: Stage | None = None,
    cluster: Key = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    where = ProjectFilter(
        programme or None,
        kind,
        year,
        stage,
        cluster or None,
        None,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    found = desk.projects(viewer, where)
    query = {
        "programme": programme,
        "kind": kind.value if kind else "",
        "year": year or "",
        "stage": stage.value if stage else "",
        "cluster": cluster,
    }
    base = "/programmes/projects?" + "".join(f"{k}={v}&" for k, v in query.items())
    context = _common(services) | {
        "found": found,
        "query": query,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "base": base,
        "kinds": list(ProgrammeKind),
        "stages": list(Stage),
        "programmes": [p for p, _ in desk.programmes(viewer)],
    }
    return render(request, "programmes/projects.html", context, active="programmes")


@router.get("/projects/{project_id}")
def project(
    request: Request, services: ServicesDep, desk: DeskDep, viewer: ViewerDep, project_id: Id
) -> Response:
    view = desk.project(viewer, project_id)
    context = _common(services) | {"view": view, "next": next_moves(view.project.stage)}
    return render(request, "programmes/project.html", context, active="programmes")
