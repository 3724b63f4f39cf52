"""The global search page: every kind of record by name and by its words, grouped by kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.services.finding import FoundKind, clean_query

router = APIRouter(include_in_schema=False)

# (heading, the page a hit links to, a list page that searches the same words)
KIND_PAGES: dict[FoundKind, tuple[str, str | None, str | None]] = {
    FoundKind.ENTERPRISE: (N_("Enterprises"), "/enterprises/{key}", "/enterprises?query="),
    FoundKind.INSTITUTION: (N_("Institutions"), "/institutions/{key}", "/institutions?query="),
    FoundKind.ACHIEVEMENT: (
        N_("Achievements"),
        "/market/achievements/{key}",
        "/market/achievements?query=",
    ),
    FoundKind.DEMAND: (N_("Demands"), "/market/demands/{key}", "/market/demands?query="),
    FoundKind.CALL: (N_("Challenge calls"), "/market/challenges/{key}", None),
    FoundKind.EXPERT: (N_("Experts"), None, None),
}


@router.get("/search")
async def search_page(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    groups = await run_in_threadpool(services.finding.search, principal, q)
    context = {"q": clean_query(q), "groups": groups, "kind_pages": KIND_PAGES}
    return render(request, "search/results.html", context, active="search")
