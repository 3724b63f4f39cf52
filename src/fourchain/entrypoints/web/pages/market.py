"""Technology-market pages: the market's home, achievements, demands and contracts (the
challenge calls' pages are in `challenge.py`), and the dependencies both share."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from fourchain.adapters.db.market_repo import market_units
from fourchain.domain.challenge import (
    APPLICATION_LABELS,
    STATE_LABELS,
)
from fourchain.domain.market import (
    LABELS,
    Achievement,
    ContractType,
    CooperationKind,
    Demand,
    IPStatus,
    ListQuery,
    TransferMode,
    Viewer,
)
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import CurrentPrincipal, PlatformDep, utc_now
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords, market_viewer

router = APIRouter(prefix="/market", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
Text = Annotated[str, Query(max_length=200)]
Page = Annotated[int, Query(ge=1, le=100_000)]
Short = Annotated[str, Form(max_length=300)]
Long = Annotated[str, Form(max_length=5000)]
PAGE_SIZE = 20


def _records(platform: PlatformDep) -> MarketRecords:
    return MarketRecords(market_units(platform.database.engine), lambda: utc_now().date())


def _desk(platform: PlatformDep) -> ChallengeDesk:
    return ChallengeDesk(market_units(platform.database.engine), lambda: utc_now().date())


RecordsDep = Annotated[MarketRecords, Depends(_records)]
DeskDep = Annotated[ChallengeDesk, Depends(_desk)]


def _viewer(principal: CurrentPrincipal) -> Viewer:
    return market_viewer(principal)


ViewerDep = Annotated[Viewer, Depends(_viewer)]


def see_other(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def common(platform: PlatformDep) -> dict[str, Any]:
    return {
        "clusters": {key: (zh, en) for key, zh, en in platform.registry.clusters()},
        "labels": LABELS,
        "call_states": STATE_LABELS,
        "app_states": APPLICATION_LABELS,
    }


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("")
def market_home(
    request: Request, platform: PlatformDep, viewer: ViewerDep, records: RecordsDep, desk: DeskDep
) -> Response:
    locale = i18n.request_locale(request)
    counts = records.cooperation_counts()
    years = sorted({y for per_year in counts.values() for y in per_year})
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
    context = common(platform) | {
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
    platform: PlatformDep,
    viewer: ViewerDep,
    records: RecordsDep,
    query: Text = "",
    cluster: Text = "",
    trl_min: Annotated[int | None, Query(ge=1, le=9)] = None,
    page: Page = 1,
) -> Response:
    found = records.achievements(
        viewer,
        ListQuery(
            text=query.strip() or None,
            cluster=cluster or None,
            trl_min=trl_min,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        ),
    )
    context = common(platform) | {
        "found": found,
        "query": query,
        "cluster": cluster,
        "trl_min": trl_min or "",
        "page": page,
        "pages": _pages(found.total),
        "may_publish": viewer.role.value in ("bureau_admin", "institution"),
    }
    return render(request, "market/achievements.html", context, active="market")


@router.get("/achievements/new")
def achievement_form(request: Request, platform: PlatformDep, viewer: ViewerDep) -> Response:
    context = common(platform) | {
        "ip_statuses": list(IPStatus),
        "modes": list(TransferMode),
        "own_institution": viewer.party.id if viewer.party else "",
    }
    return render(request, "market/achievement_form.html", context, active="market")


def _split(text: str) -> tuple[str, ...]:
    for sep in ("；", ";", "，", ","):
        text = text.replace(sep, "\n")
    return tuple(part.strip() for part in text.splitlines() if part.strip())


def money(text: str, name: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise InvalidInput(f"{name}: 不是数字 (not a number: {text!r})") from None


@router.post("/achievements")
def publish_achievement(
    viewer: ViewerDep,
    records: RecordsDep,
    title: Short,
    abstract: Long,
    keywords: Short,
    trl: Annotated[int, Form(ge=1, le=9)],
    ip_status: Annotated[IPStatus, Form()],
    contact: Short,
    transfer_modes: Annotated[list[TransferMode], Form()],
    discipline: Short = "",
    ipc: Annotated[str, Form(max_length=40)] = "",
    patent_numbers: Short = "",
    asking_terms: Short = "",
    asking_price: Annotated[str, Form(max_length=20)] = "",
    cluster: Annotated[str, Form(max_length=50)] = "",
    institution_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    owner = viewer.party.id if viewer.party else institution_id.strip()
    new_id = records.publish_achievement(
        viewer,
        Achievement(
            institution_id=owner,
            title=title.strip(),
            abstract=abstract.strip(),
            keywords=_split(keywords),
            trl=trl,
            ip_status=ip_status,
            transfer_modes=tuple(dict.fromkeys(transfer_modes)),
            contact=contact.strip(),
            published=utc_now().date(),
            discipline=discipline.strip() or None,
            ipc=ipc.strip() or None,
            patent_numbers=_split(patent_numbers),
            asking_terms=asking_terms.strip(),
            asking_price=money(asking_price, "asking_price"),
            cluster=cluster or None,
        ),
    )
    return see_other(f"/market/achievements/{new_id}")


@router.get("/achievements/{achievement_id}")
def achievement(
    request: Request,
    platform: PlatformDep,
    viewer: ViewerDep,
    records: RecordsDep,
    achievement_id: Id,
) -> Response:
    found, owner = records.achievement(viewer, achievement_id)
    context = common(platform) | {"a": found, "owner": owner}
    return render(request, "market/achievement.html", context, active="market")


@router.get("/demands")
def demands(
    request: Request,
    platform: PlatformDep,
    viewer: ViewerDep,
    records: RecordsDep,
    query: Text = "",
    cluster: Text = "",
    page: Page = 1,
) -> Response:
    found = records.demands(
        viewer,
        ListQuery(
            text=query.strip() or None,
            cluster=cluster or None,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        ),
    )
    context = common(platform) | {
        "found": found,
        "query": query,
        "cluster": cluster,
        "page": page,
        "pages": _pages(found.total),
        "may_publish": viewer.role.value in ("bureau_admin", "enterprise"),
    }
    return render(request, "market/demands.html", context, active="market")


@router.get("/demands/new")
def demand_form(request: Request, platform: PlatformDep, viewer: ViewerDep) -> Response:
    context = common(platform) | {"own_enterprise": viewer.party.id if viewer.party else ""}
    return render(request, "market/demand_form.html", context, active="market")


@router.post("/demands")
def publish_demand(
    viewer: ViewerDep,
    records: RecordsDep,
    problem: Short,
    description: Long,
    field: Annotated[str, Form(max_length=100)],
    budget: Annotated[str, Form(max_length=20)],
    deadline: Annotated[date, Form()],
    confidential: Annotated[bool, Form()] = False,
    cluster: Annotated[str, Form(max_length=50)] = "",
    credit_code: Annotated[str, Form(max_length=18)] = "",
) -> Response:
    owner = viewer.party.id if viewer.party else credit_code.strip()
    new_id = records.publish_demand(
        viewer,
        Demand(
            credit_code=owner,
            problem=problem.strip(),
            description=description.strip(),
            field=field.strip(),
            budget=money(budget, "budget") or 0.0,
            deadline=deadline,
            published=utc_now().date(),
            confidential=confidential,
            cluster=cluster or None,
        ),
    )
    return see_other(f"/market/demands/{new_id}")


@router.get("/demands/{demand_id}")
def demand(
    request: Request, platform: PlatformDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    found, owner = records.demand(viewer, demand_id)
    context = common(platform) | {"d": found, "owner": owner}
    return render(request, "market/demand.html", context, active="market")


@router.get("/contracts")
def contracts(
    request: Request,
    platform: PlatformDep,
    viewer: ViewerDep,
    records: RecordsDep,
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    page: Page = 1,
) -> Response:
    found = records.contracts(viewer, year=year, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    context = common(platform) | {
        "found": found,
        "year": year or "",
        "page": page,
        "pages": _pages(found.total),
        "types": {t.value: LABELS[t] for t in ContractType},
    }
    return render(request, "market/contracts.html", context, active="market")
