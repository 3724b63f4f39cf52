"""Pipeline and capital-chain pages: the board with its funnel and Sankey chart, a project's
page (timeline, people, money), the capital chain's leverage, and a fund's portfolio."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.domain.finance import FUND_LABELS, FundKind
from fourchain.domain.funnel import Flow, FunnelRow
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS, STAGES, ProjectExit
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.api.pipeline import ConnectionDep, FundKey, ProjectId
from fourchain.entrypoints.web.deps import PlatformDep, ViewerDep
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.services import finance
from fourchain.services.pipeline import overview, states
from fourchain.services.pipeline_views import project_view

router = APIRouter(include_in_schema=False)

Cohort = Annotated[int | None, Query(ge=2000, le=2100)]
Key = Annotated[str, Query(max_length=50)]
STAGE_NAMES = {s.value: STAGE_LABELS[s] for s in STAGES}
EXIT_NAMES = {e.value: EXIT_LABELS[e] for e in ProjectExit}
FUND_NAMES = {k.value: FUND_LABELS[k] for k in FundKind}
# Money-in groups that are not stages.
GROUP_MSGIDS = {
    "enterprise": N_("Established enterprises"),
    "graduated": N_("Graduated enterprises"),
    "exited": N_("After exit (insurance claims)"),
    "before_start": N_("Before entry"),
}

# Keys the templates translate by value: event kinds, evidence kinds, kinds of money.
KEY_MSGIDS = (
    N_("entered_stage"),
    N_("gate_review"),
    N_("funding"),
    N_("milestone"),
    N_("exit"),
    N_("disclosure"),
    N_("poc_report"),
    N_("pilot_results"),
    N_("incorporation"),
    N_("first_revenue"),
    N_("investment"),
    N_("subsidy"),
    N_("loan"),
    N_("insurance_claim"),
)


def _clusters(platform: PlatformDep) -> dict[str, tuple[str, str]]:
    return {key: (zh, en) for key, zh, en in platform.registry.clusters()}


def _name(key: str, locale: str) -> str:
    pair = STAGE_NAMES.get(key) or EXIT_NAMES.get(key)
    return (
        i18n.bilingual(pair, locale) if pair else i18n.gettext(locale, GROUP_MSGIDS.get(key, key))
    )


def _funnel_chart(rows: list[FunnelRow], locale: str) -> dict[str, Any]:
    return {
        "type": "bar",
        "x": [_name(r.stage.value, locale) for r in rows],
        "series": [
            {"name": i18n.gettext(locale, "Entered"), "data": [r.entered for r in rows]},
            {"name": i18n.gettext(locale, "Passed"), "data": [r.passed for r in rows]},
        ],
    }


def _sankey(links: list[Flow], locale: str) -> dict[str, Any]:
    names = [
        key
        for key in [*STAGE_NAMES, *EXIT_NAMES]
        if any(key in (f.source, f.target) for f in links)
    ]
    return {
        "nodes": [{"name": _name(key, locale)} for key in names],
        "links": [
            {"source": _name(f.source, locale), "target": _name(f.target, locale), "value": f.count}
            for f in links
        ],
    }


@router.get("/pipeline")
def board(
    request: Request,
    platform: PlatformDep,
    conn: ConnectionDep,
    cohort: Cohort = None,
    cluster: Key = "",
) -> Response:
    locale = i18n.request_locale(request)
    view = overview(SqlPipelineStore(conn), cohort=cohort, cluster=cluster or None)
    context = {
        "view": view,
        "cohort": cohort,
        "cluster": cluster,
        "clusters": _clusters(platform),
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "funnel_chart": _funnel_chart(view.funnel, locale),
        "sankey": _sankey(view.flows, locale),
        "institutions": SqlPipelineStore(conn).institution_names(),
    }
    return render(request, "pipeline/board.html", context, active="pipeline")


@router.get("/pipeline/projects/{project_id}")
def project(
    request: Request,
    project_id: ProjectId,
    platform: PlatformDep,
    conn: ConnectionDep,
    viewer: ViewerDep,
) -> Response:
    view = project_view(SqlPipelineStore(conn), SqlFinanceStore(conn), project_id, viewer.principal)
    context = {
        "view": view,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "clusters": _clusters(platform),
        "institutions": SqlPipelineStore(conn).institution_names(),
    }
    return render(request, "pipeline/project.html", context, active="pipeline")


@router.get("/finance")
def capital(request: Request, platform: PlatformDep, conn: ConnectionDep) -> Response:
    locale = i18n.request_locale(request)
    store, pipeline = SqlFinanceStore(conn), SqlPipelineStore(conn)
    book = store.book()
    view = finance.capital_view(book, finance.places(store, pipeline, states(pipeline)))
    order = [*STAGE_NAMES, "graduated", "enterprise", "exited", "before_start"]
    keys = [k for k in order if k in view.by_stage]
    clusters = _clusters(platform)
    ranked = sorted(view.by_cluster.items(), key=lambda kv: kv[1].total)
    yi = 1e8  # charts in 亿元 (hundred million yuan)

    def split_series(groups: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "name": i18n.gettext(locale, "Public money"),
                "data": [round(g.public / yi, 2) for g in groups],
            },
            {
                "name": i18n.gettext(locale, "Private money"),
                "data": [round(g.private / yi, 2) for g in groups],
            },
        ]

    context = {
        "view": view,
        "funds": finance.fund_summaries(book),
        "fund_kinds": FUND_NAMES,
        "stage_chart": {
            "type": "bar",
            "x": [_name(k, locale) for k in keys],
            "series": split_series([view.by_stage[k] for k in keys]),
        },
        "cluster_chart": {
            "type": "bar",
            "horizontal": True,
            "x": [i18n.bilingual(clusters.get(k, (k, k)), locale) for k, _ in ranked],
            "series": split_series([s for _, s in ranked]),
        },
        "is_bureau": viewer_is_bureau(request),
    }
    return render(request, "pipeline/finance.html", context, active="finance")


def viewer_is_bureau(request: Request) -> bool:
    principal = getattr(request.state, "principal", None)
    return bool(principal and principal.is_bureau)


@router.get("/finance/funds/{fund_key}")
def fund(request: Request, fund_key: FundKey, conn: ConnectionDep) -> Response:
    book = SqlFinanceStore(conn).book()
    deals = finance.portfolio(book, fund_key)
    summary = next(s for s in finance.fund_summaries(book) if s.fund.key == fund_key)
    derived = states(SqlPipelineStore(conn))
    context = {
        "summary": summary,
        "deals": deals,
        "derived": derived,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "fund_kinds": FUND_NAMES,
    }
    return render(request, "pipeline/fund.html", context, active="finance")
