"""Cultivation pages: the reserve pool (bureau), an enterprise's pre-screen with every
criterion explained, and the self-check where an enterprise user sees only its own."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from fourchain.bootstrap import Services
from fourchain.domain.cultivation import parse_tier
from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.model import (
    Banded,
    CriterionResult,
    Reason,
    Test,
    Threshold,
    Unit,
)
from fourchain.domain.jobs import Job, JobStatus
from fourchain.domain.registry import TIER_LABELS, Tier
from fourchain.entrypoints.web import formats, i18n
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, page_within, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import NotFound
from fourchain.services.cultivation import (
    POOL_SORTS,
    PoolFilter,
    PoolSnapshot,
    PrescreenViews,
    ladder_history,
)

router = APIRouter(prefix="/cultivation", include_in_schema=False)

TIERS = {tier.value: TIER_LABELS[tier] for tier in Tier}
OUTCOME_WORDS = (
    N_("likely"),
    N_("near"),
    N_("not_yet"),
    N_("unknown"),
    N_("met"),
    N_("unmet"),
    N_("manual_review"),
)
# A criterion's reason, by the domain's key; its values fill the message in the reader's language.
REASON_MSGIDS = {
    "missing_input": N_("missing input: %(feature)s"),
    "attainable": N_("attainable %(low)s–%(high)s of %(out_of)s points"),
}
Text = Annotated[str, Query(max_length=100)]
YearQuery = Annotated[int | None, Query(ge=2000, le=2100)]
CreditCode = Annotated[str, Path(min_length=1, max_length=18)]


POOL_PAGE = 50
BY_RANK = Sorting("rank")


def snapshot(services: Services, year: int | None, tier: Tier) -> PoolSnapshot:
    return services.cultivation.pool(year, tier)


def _filters(cluster: str, district: str, zone: str) -> PoolFilter:
    return PoolFilter(cluster or None, district or None, zone or None)


@router.get("")
def pool_page(
    request: Request,
    services: ServicesDep,
    tier: Text = "hnte",
    year: YearQuery = None,
    cluster: Text = "",
    district: Text = "",
    zone: Text = "",
    more: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    """Every candidate, a page at a time; the summary counts the rows the list draws from.
    The pool is the stored one: stale, it is shown with a note while the job recomputes it;
    none yet, the page shows the job's status instead (never an assessment in the request)."""
    chosen = parse_tier(tier)
    view = services.cultivation.view(year, chosen)
    job = _job_words(view.job)
    snap = view.snapshot
    if snap is None:
        pending = {"tiers": TIERS, "tier": chosen.value, "year": year, "job": job, "view": view}
        return render(request, "cultivation/pool_pending.html", pending, active="cultivation")
    where = _filters(cluster, district, zone)
    order = sorting(sort, dir, ("rank", *POOL_SORTS), BY_RANK)
    counts = snap.counts(where)
    listed = counts["likely"] + counts["near"] + (counts["not_yet"] if more else 0)
    page = page_within(page, listed, POOL_PAGE)
    entries, total = snap.page(
        where,
        offset=(page - 1) * POOL_PAGE,
        limit=POOL_PAGE,
        include_not_yet=more,
        sort=order.key,
        descending=order.descending,
    )
    infos = snap.info.values()
    context: dict[str, Any] = {
        "snap": snap,
        "view": view,
        "job": job,
        "entries": entries,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // POOL_PAGE)),
        "order": order,
        "counts": counts,
        "tiers": TIERS,
        "tier": chosen.value,
        "q": {"cluster": cluster, "district": district, "zone": zone, "more": more},
        "districts": sorted({i.district for i in infos if i.district}),
        "zones": sorted({i.zone for i in infos if i.zone}),
        "clusters": sorted({i.cluster for i in infos if i.cluster}),
    }
    return render(request, "cultivation/pool.html", context, active="cultivation")


JOB_WORDS = {
    "queued": N_("Pool job queued"),
    "running": N_("Pool job running"),
    "done": N_("Pool job done"),
    "failed": N_("Pool job failed"),
}


def _job_words(job: Job | None) -> dict[str, Any] | None:
    """The pools job as the page says it: its state's words, progress and any failure."""
    if job is None:
        return None
    return {
        "id": job.id,
        "state": job.status.value,
        "words": JOB_WORDS[job.status.value],
        "percent": job.percent if job.status is JobStatus.RUNNING and job.total else None,
        "active": job.active,
        "message": job.message if job.status is JobStatus.FAILED else "",
        "created_at": job.created_at,
    }


@router.get("/pool.xlsx")
def pool_export(
    services: ServicesDep,
    viewer: AskerDep,
    tier: Text = "hnte",
    year: YearQuery = None,
    cluster: Text = "",
    district: Text = "",
    zone: Text = "",
    more: bool = False,
) -> Response:
    chosen = parse_tier(tier)
    snap = snapshot(services, year, chosen)
    entries, _ = snap.page(_filters(cluster, district, zone), limit=100_000, include_not_yet=more)
    out = io.BytesIO()
    zh, en = TIER_LABELS[chosen]
    services.cultivation.write_pool(entries, f"{zh}后备库 {en} reserve pool, {snap.year}", out)
    with services.cultivation.reading() as store:
        PrescreenViews(store, services.auth.audit).log_export(
            viewer, f"cultivation pool {chosen.value} {snap.year}", len(entries)
        )
    name = f"pool-{chosen.value}-{snap.year}.xlsx"
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def reason_text(reason: Reason | None, locale: str) -> str:
    """A criterion's reason in the reader's language only (never "中文 / English")."""
    if reason is None:
        return ""
    values = {
        name: i18n.bilingual(v, locale) if isinstance(v, tuple) else f"{v:g}"
        for name, v in reason.values
    }
    if reason.key not in REASON_MSGIDS:  # "manual", "band": the name alone says it
        return "".join(values.values())
    return i18n.gettext(locale, REASON_MSGIDS[reason.key], **values)


def _unit(test: Test) -> Unit | None:
    if isinstance(test, Threshold):
        return FEATURES[test.feature].unit
    if isinstance(test, Banded):
        units = {_unit(band.test) for band in test.bands}
        return units.pop() if len(units) == 1 else None
    return None


def figure_text(result: CriterionResult, value: float | None, locale: str) -> str:
    """A criterion's value or threshold: money in 万元 with its unit, never raw yuan."""
    if value is not None and _unit(result.criterion.test) is Unit.YUAN:
        return f"{formats.money(value)} {i18n.gettext(locale, '10k yuan')}"
    return formats.number(value)


def _prescreen_page(
    request: Request, services: Services, viewer: Any, credit_code: str, year: int | None
) -> Response:
    with services.cultivation.reading() as store:
        chosen, found = PrescreenViews(store, services.auth.audit).prescreen(
            credit_code, year, viewer
        )
        _, rungs = ladder_history(store, credit_code, chosen)
        identity = services.registry.views.identity(credit_code)
    context = {
        "identity": identity,
        "year": chosen,
        "assessments": found,
        "tiers": TIERS,
        "rungs": rungs,
        "reason": lambda r: reason_text(r, i18n.request_locale(request)),
        "figure": lambda r, v: figure_text(r, v, i18n.request_locale(request)),
    }
    return render(request, "cultivation/prescreen.html", context, active="cultivation")


@router.get("/enterprises/{credit_code}")
def prescreen_page(
    request: Request,
    services: ServicesDep,
    viewer: AskerDep,
    credit_code: CreditCode,
    year: YearQuery = None,
) -> Response:
    """Every criterion of every tier explained (bureau staff, or the enterprise itself)."""
    return _prescreen_page(request, services, viewer, credit_code, year)


@router.get("/self-check")
def self_check(request: Request, viewer: AskerDep) -> Response:
    """An enterprise user's own pre-screen; nobody else's can be reached from here."""
    code = viewer.principal.enterprise
    if not code:
        raise NotFound("no enterprise is bound to this account")
    return RedirectResponse(f"/cultivation/enterprises/{code}", status_code=303)
