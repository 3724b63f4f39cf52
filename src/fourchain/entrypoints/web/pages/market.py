"""Technology-market pages: the market's home, achievements, demands and contracts (the
challenge calls' pages are in `challenge.py`), the matches of a demand or an achievement and
the matching index's status, and the dependencies these pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from fourchain.bootstrap import Services
from fourchain.domain.challenge import (
    APPLICATION_LABELS,
    STATE_LABELS,
)
from fourchain.domain.market import (
    ACHIEVEMENT_SORTS,
    DEMAND_SORTS,
    LABELS,
    ContractType,
    CooperationKind,
    ListQuery,
    Party,
    PartyKind,
    Viewer,
)
from fourchain.domain.matching import DocumentKind, Filters
from fourchain.domain.matching.strength import STRENGTH_LABELS, strength
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep, ViewerDep, utc_now
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import CONTRACT_SORTS, MarketRecords
from fourchain.services.market_matching import PAGE_TOP, Found, MarketMatching, MatchingStatus

NEWEST_FIRST = Sorting("published", descending=True)

router = APIRouter(prefix="/market", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
Text = Annotated[str, Query(max_length=200)]
Page = Annotated[int, Query(ge=1, le=100_000)]
Short = Annotated[str, Form(max_length=300)]
Long = Annotated[str, Form(max_length=5000)]
PAGE_SIZE = 20


async def _records(services: ServicesDep) -> MarketRecords:
    return services.market.records


async def _desk(services: ServicesDep) -> ChallengeDesk:
    return services.market.desk


RecordsDep = Annotated[MarketRecords, Depends(_records)]
DeskDep = Annotated[ChallengeDesk, Depends(_desk)]


# rows of each kind (achievements, experts, institutions; enterprises): the length the
# job worker answers the matches pages ahead with
MATCH_TOP = PAGE_TOP
MatchMode = Annotated[Literal["bm25", "hybrid"] | None, Query()]
# A TRL from a select: 1–9, or "" for any (a form sends the empty choice as "").
Trl = Annotated[str, Query(pattern="^[1-9]?$")]
# The matched fields of a record, as a match row names them.
FIELD_LABELS = {
    "title": N_("title"),
    "abstract": N_("abstract"),
    "keywords": N_("keywords"),
    "expertise": N_("expertise"),
    "affiliation": N_("affiliation"),
    "services": N_("services"),
    "achievements": N_("listed achievements"),
    "products": N_("products"),
    "demands": N_("public demands"),
}


def matching(services: ServicesDep) -> MarketMatching:
    """The app's one matching service (made on first use, see bootstrap/market.py)."""
    return services.market.matching()


MatchingDep = Annotated[MarketMatching, Depends(matching)]


def records_changed(services: Services) -> None:
    """A record was written through the web: a sync of the matching index is queued for the
    job worker (a request never syncs it)."""
    services.market.records_changed()


def may_change(viewer: Viewer, party: Party) -> bool:
    """Whether the page offers edit and withdraw (the service decides again on submit)."""
    return viewer.is_admin or viewer.acts_for(party)


def see_other(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def common(services: ServicesDep) -> dict[str, Any]:
    return {
        "clusters": {key: (zh, en) for key, zh, en in services.registry.views.clusters()},
        "labels": LABELS,
        "call_states": STATE_LABELS,
        "app_states": APPLICATION_LABELS,
    }


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("")
def market_home(
    request: Request, services: ServicesDep, viewer: ViewerDep, records: RecordsDep, desk: DeskDep
) -> Response:
    locale = i18n.request_locale(request)
    counts = records.cooperation_counts()
    # Complete years only: the running year's column would read as a collapse.
    this_year = utc_now().year
    years = sorted({y for per_year in counts.values() for y in per_year if y < this_year})
    chart = {
        "type": "bar",
        "x": [str(y) for y in years],
        "series": [
            {
                "name": i18n.bilingual(LABELS[kind], locale),
                "data": [counts[kind].get(y, 0) for y in years],
            }
            for kind in CooperationKind
        ],
    }
    context = common(services) | {
        "achievements": records.achievements(viewer, ListQuery(limit=5)),
        "demands": records.demands(viewer, ListQuery(limit=5)),
        "calls": desk.calls(viewer)[:5],
        "cooperation_chart": chart,
        "cooperation_total": sum(n for per_year in counts.values() for n in per_year.values()),
    }
    return render(request, "market/home.html", context, active="market")


@router.get("/achievements")
def achievements(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    query: Text = "",
    cluster: Text = "",
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    page: Page = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    order = sorting(sort, dir, ACHIEVEMENT_SORTS, NEWEST_FIRST)
    found = records.achievements(
        viewer,
        ListQuery(
            text=query.strip() or None,
            cluster=cluster or None,
            trl_min=trl_min,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            sort=order.key,
            descending=order.descending,
        ),
    )
    context = common(services) | {
        "order": order,
        "found": found,
        "query": query,
        "cluster": cluster,
        "trl_min": trl_min or "",
        "page": page,
        "pages": _pages(found.total),
        "may_publish": viewer.may_publish(PartyKind.INSTITUTION),
    }
    return render(request, "market/achievements.html", context, active="market")


@router.get("/achievements/{achievement_id}")
def achievement(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    achievement_id: Id,
) -> Response:
    found, owner = records.achievement(viewer, achievement_id)
    party = Party(PartyKind.INSTITUTION, found.institution_id)
    context = common(services) | {
        "a": found,
        "owner": owner,
        "may_change": may_change(viewer, party),
    }
    return render(request, "market/achievement.html", context, active="market")


@router.get("/demands")
def demands(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    query: Text = "",
    cluster: Text = "",
    page: Page = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    order = sorting(sort, dir, DEMAND_SORTS, NEWEST_FIRST)
    found = records.demands(
        viewer,
        ListQuery(
            text=query.strip() or None,
            cluster=cluster or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            sort=order.key,
            descending=order.descending,
        ),
    )
    context = common(services) | {
        "order": order,
        "found": found,
        "query": query,
        "cluster": cluster,
        "page": page,
        "pages": _pages(found.total),
        "may_publish": viewer.may_publish(PartyKind.ENTERPRISE),
    }
    return render(request, "market/demands.html", context, active="market")


@router.get("/demands/{demand_id}")
def demand(
    request: Request, services: ServicesDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    found, owner = records.demand(viewer, demand_id)
    party = Party(PartyKind.ENTERPRISE, found.credit_code)
    context = common(services) | {
        "d": found,
        "owner": owner,
        "may_change": may_change(viewer, party),
    }
    return render(request, "market/demand.html", context, active="market")


NEWEST_SIGNED = Sorting("signed", descending=True)


@router.get("/contracts")
def contracts(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    page: Page = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    order = sorting(sort, dir, CONTRACT_SORTS, NEWEST_SIGNED)
    found = records.contracts(
        viewer,
        year=year,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        sort=order.key,
        descending=order.descending,
    )
    context = common(services) | {
        "found": found,
        "order": order,
        "sort_base": f"/market/contracts?year={year or ''}&",
        "year": year or "",
        "page": page,
        "pages": _pages(found.total),
        "types": {t.value: LABELS[t] for t in ContractType},
        "may_register": viewer.is_admin,
    }
    return render(request, "market/contracts.html", context, active="market")


# ------------------------------------------------------------------------------------ matching
KIND_LABELS = {
    DocumentKind.ACHIEVEMENT: N_("Achievements"),
    DocumentKind.EXPERT: N_("Experts"),
    DocumentKind.INSTITUTION: N_("Research institutions"),
    DocumentKind.ENTERPRISE: N_("Enterprises"),
}
VECTOR_LABELS = {
    "none": N_("Not computed: keyword matching (BM25) only"),
    "embedding": N_("Being computed"),
    "ready": N_("Ready: hybrid matching (BM25 and semantic vectors)"),
    "failed": N_("The last background job failed; see the server log"),
}
MODE_LABELS = {"bm25": N_("Keywords (BM25)"), "hybrid": N_("Hybrid (BM25 and semantic)")}


def _link(found: Found) -> str:
    """The page of a found record, where the platform has one (experts have none)."""
    key = quote(found.id, safe="")
    return {
        DocumentKind.ACHIEVEMENT: f"/market/achievements/{key}",
        DocumentKind.INSTITUTION: f"/institutions/{key}",
        DocumentKind.ENTERPRISE: f"/enterprises/{key}",
    }.get(found.kind, "")


def _matches(
    request: Request,
    service: MarketMatching,
    search: Callable[[str | None], list[Found]],
    kinds: tuple[DocumentKind, ...],
    target: str,
    mode: str | None,
    trl: tuple[int | None, int | None] | None = None,
) -> Response:
    """The matches partial: one table per kind, in `kinds` order (empty ones say so); `trl`
    (the range asked for) shows the TRL filter, for a demand's achievements."""
    note = ""
    try:
        found = search(mode)
    except InvalidInput:
        if mode is None:
            raise
        # Hybrid asked for while the vectors are not (or no longer) there: keywords instead.
        found, mode, note = search("bm25"), "bm25", N_("Hybrid matching is not available yet.")
    status = service.status()
    chosen = mode or ("hybrid" if "hybrid" in status.modes else "bm25")
    # Each kind is ranked on its own, so a keyword score is banded against its kind's best.
    best = {f.kind: max(g.bm25 or 0.0 for g in found if g.kind is f.kind) for f in found}
    locale = i18n.request_locale(request)
    rows = [
        (
            f,
            _link(f),
            i18n.bilingual(
                STRENGTH_LABELS[strength(f.relevance, f.bm25 or 0.0, best[f.kind])], locale
            ),
        )
        for f in found
    ]
    context = {
        "groups": [(KIND_LABELS[kind], [r for r in rows if r[0].kind is kind]) for kind in kinds],
        "target": target,
        "mode": chosen,
        "modes": [m for m in MODE_LABELS if m in status.modes],
        "mode_labels": MODE_LABELS,
        "cosine": any(f.cosine is not None for f in found),
        "note": note,
        "expert": DocumentKind.EXPERT,
        "trl": trl,
        "field_labels": FIELD_LABELS,
        # Never built yet, its first sync queued: say so and poll until the worker built it.
        "building": status.documents == 0 and status.syncing,
    }
    return render(request, "market/_matches.html", context, active="market")


@router.get("/demands/{demand_id}/matches")
def demand_matches(
    request: Request,
    viewer: ViewerDep,
    service: MatchingDep,
    demand_id: Id,
    mode: MatchMode = None,
    trl_min: Trl = "",
    trl_max: Trl = "",
) -> Response:
    """Achievements, experts and research institutions for a demand (the demand page loads it
    with HTMX); a demand the viewer may not see answers 404, like its page. A TRL range
    narrows the achievements (an empty range is a 422 that says so)."""
    low, high = (int(trl) if trl else None for trl in (trl_min, trl_max))
    filters = Filters(trl_min=low, trl_max=high)

    def search(chosen: str | None) -> list[Found]:
        return service.for_demand(viewer, demand_id, top=MATCH_TOP, mode=chosen, filters=filters)

    kinds = (DocumentKind.ACHIEVEMENT, DocumentKind.EXPERT, DocumentKind.INSTITUTION)
    target = f"/market/demands/{demand_id}/matches"
    return _matches(request, service, search, kinds, target, mode, trl=(low, high))


@router.get("/achievements/{achievement_id}/matches")
def achievement_matches(
    request: Request,
    viewer: ViewerDep,
    service: MatchingDep,
    achievement_id: Id,
    mode: MatchMode = None,
) -> Response:
    """Enterprises whose public profile suggests they may need the achievement."""

    def search(chosen: str | None) -> list[Found]:
        return service.for_achievement(viewer, achievement_id, top=MATCH_TOP, mode=chosen)

    target = f"/market/achievements/{achievement_id}/matches"
    return _matches(request, service, search, (DocumentKind.ENTERPRISE,), target, mode)


def _status(
    request: Request,
    services: Services,
    viewer: Viewer,
    service: MarketMatching,
    *,
    started: bool | None = None,
) -> Response:
    status: MatchingStatus = service.status()  # a failed job is logged by the service
    context = {
        "status": status,
        "vector_label": VECTOR_LABELS.get(status.vectors, status.vectors),
        "may_embed": viewer.is_admin,
        "started": started,
    }
    return render(request, "market/_matching_status.html", context, active="market")


@router.get("/matching")
def matching_status(
    request: Request, services: ServicesDep, viewer: ViewerDep, service: MatchingDep
) -> Response:
    """The matching index's status panel (the market's home loads it; HTMX polls it every two
    seconds while the vectors are being computed)."""
    return _status(request, services, viewer, service)


@router.post("/matching/embedding")
def start_embedding(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    viewer: ViewerDep,
    service: MatchingDep,
) -> Response:
    """Queue the job that computes the semantic vectors (bureau administrators)."""
    started = service.start_embedding(viewer, principal.username or "")
    if request.headers.get("hx-request"):
        return _status(request, services, viewer, service, started=started)
    return see_other("/market")
