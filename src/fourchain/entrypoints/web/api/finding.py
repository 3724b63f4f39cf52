"""The global search's API: the same groups as the search page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.services.finding import PER_KIND, FoundGroup, clean_query

router = APIRouter(prefix="/api", tags=["search"], responses=ERRORS)


class SearchOut(BaseModel):
    query: str
    groups: list[FoundGroup]


@router.get("/search", response_model=SearchOut)
async def search(
    services: ServicesDep,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200, description="名称或产品、技术词")],
    per_kind: Annotated[int, Query(ge=1, le=50)] = PER_KIND,
) -> SearchOut:
    """Enterprises, institutions, achievements, demands, challenge calls and (for the bureau
    and expert reviewers) experts whose name or words contain `q`, as the caller may see them."""
    groups = await run_in_threadpool(services.finding.search, principal, q, per_kind)
    return SearchOut(query=clean_query(q), groups=groups)
