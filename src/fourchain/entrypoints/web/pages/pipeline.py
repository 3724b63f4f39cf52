"""Pipeline and capital-chain pages: the board with its funnel and Sankey chart, a project's
page (timeline, people, money), the capital chain's leverage, and a fund's portfolio."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from fourchain.bootstrap.pipeline import PipelineStores
from fourchain.domain.accounts import Role
from fourchain.domain.files import upload_name
from fourchain.domain.finance import FUND_LABELS, FundKind
from fourchain.domain.funnel import Flow, FunnelRow
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS, STAGES, ProjectExit
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.api.pipeline import FundKey, ProjectId, StoresDep
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep, utc_now
from fourchain.entrypoints.web.errors import status_for
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, TransitionRefused
from fourchain.services import finance
from fourchain.services.pipeline import (
    Advance,
    EvidenceFile,
    advance,
    next_targets,
    overview,
    states,
)
from fourchain.services.pipeline_views import project_view

router = APIRouter(include_in_schema=False)

Cohort = Annotated[int | None, Query(ge=2000, le=2100)]
Key = Annotated[str, Query(max_length=50)]
_CHUNK = 1024 * 1024
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


def _clusters(services: ServicesDep) -> dict[str, tuple[str, str]]:
    return {key: (zh, en) for key, zh, en in services.registry.views.clusters()}


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
    services: ServicesDep,
    stores: StoresDep,
    cohort: Cohort = None,
    cluster: Key = "",
) -> Response:
    locale = i18n.request_locale(request)
    view = overview(stores.pipeline, cohort=cohort, cluster=cluster or None)
    context = {
        "view": view,
        "cohort": cohort,
        "cluster": cluster,
        "clusters": _clusters(services),
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "funnel_chart": _funnel_chart(view.funnel, locale),
        "sankey": _sankey(view.flows, locale),
        "institutions": stores.pipeline.institution_names(),
    }
    return render(request, "pipeline/board.html", context, active="pipeline")


def _project_page(
    request: Request,
    project_id: str,
    services: ServicesDep,
    stores: PipelineStores,
    viewer: ViewerDep,
    refusal: str = "",
    status_code: int = 200,
) -> Response:
    view = project_view(stores.pipeline, stores.finance, project_id, viewer.principal)
    context = {
        "view": view,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "clusters": _clusters(services),
        "institutions": stores.pipeline.institution_names(),
        "may_advance": viewer.principal.is_bureau and view.state.exit is None,
        "may_override": viewer.principal.role is Role.BUREAU_ADMIN,
        "targets": next_targets(view.state),
        "refusal": refusal,
    }
    return render(
        request, "pipeline/project.html", context, status_code=status_code, active="pipeline"
    )


@router.get("/pipeline/projects/{project_id}")
def project(
    request: Request,
    project_id: ProjectId,
    services: ServicesDep,
    stores: StoresDep,
    viewer: ViewerDep,
) -> Response:
    return _project_page(request, project_id, services, stores, viewer)


Short = Annotated[str, Form(max_length=300)]


@router.post("/pipeline/projects/{project_id}/advance")
def advance_project(
    request: Request,
    project_id: ProjectId,
    services: ServicesDep,
    viewer: ViewerDep,
    to: Annotated[str, Form(max_length=30)],
    trl: Annotated[int | None, Form(ge=1, le=9)] = None,
    on: Annotated[str, Form(max_length=10)] = "",
    institution: Annotated[str, Form(max_length=40)] = "",
    enterprise: Annotated[str, Form(max_length=18)] = "",
    note: Short = "",
    override_reason: Short = "",
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Bureau staff move a project through its next gate with evidence files; a refused move
    shows the project again with the reason, and writes nothing. Only an administrator's
    override reason is honoured (the state machine refuses anyone else's)."""
    principal = viewer.principal
    with tempfile.TemporaryDirectory() as folder:
        offered: list[EvidenceFile] = []
        for upload in (f for f in evidence or [] if f.filename):
            # The vault records the uploaded file's own name; the folder goes afterwards.
            path = FilePath(folder) / str(len(offered)) / upload_name(str(upload.filename))
            path.parent.mkdir()
            with path.open("wb") as out:
                # Streamed from the parser's spool file, never read whole into memory (the
                # body cap has already bounded its size).
                shutil.copyfileobj(upload.file, out, _CHUNK)
            offered.append(EvidenceFile(path))
        try:
            request_ = Advance(
                project_id,
                to,
                principal.username,
                _day(on),
                trl,
                tuple(offered),
                institution.strip() or None,
                enterprise.strip() or None,
                note.strip(),
                by_admin=principal.role is Role.BUREAU_ADMIN,
                override_reason=override_reason.strip() or None,
            )
            with services.pipeline.writing() as written:
                now = utc_now().replace(tzinfo=None)
                vault = services.pipeline.vault
                advance(written.pipeline, vault, request_, now, written.audit)
        except (TransitionRefused, InvalidInput) as refused:
            status = status_for(refused)  # the one error map (errors.py)
            with services.pipeline.reading() as read:
                return _project_page(
                    request, project_id, services, read, viewer, refused.message, status
                )
    return RedirectResponse(f"/pipeline/projects/{project_id}", status_code=303)


def _day(text: str) -> date:
    if not text:
        return utc_now().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"日期格式应为 2025-06-30，收到 {text!r} / the date must look like 2025-06-30, "
            f"got {text!r}"
        ) from None


@router.get("/finance")
def capital(request: Request, services: ServicesDep, stores: StoresDep) -> Response:
    locale = i18n.request_locale(request)
    store, pipeline = stores.finance, stores.pipeline
    book = store.book()
    view = finance.capital_view(book, finance.places(store, pipeline, states(pipeline)))
    order = [*STAGE_NAMES, "graduated", "enterprise", "exited", "before_start"]
    keys = [k for k in order if k in view.by_stage]
    clusters = _clusters(services)
    ranked = sorted(view.by_cluster.items(), key=lambda kv: kv[1].total)
    yi = 1e8  # charts in 亿元 (hundred million yuan)

    def split_series(groups: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "name": i18n.gettext(locale, N_("Public money")),
                "data": [round(g.public / yi, 2) for g in groups],
            },
            {
                "name": i18n.gettext(locale, N_("Private money")),
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
def fund(request: Request, fund_key: FundKey, stores: StoresDep, services: ServicesDep) -> Response:
    book = stores.finance.book()
    deals = finance.portfolio(book, fund_key)
    summary = next(s for s in finance.fund_summaries(book) if s.fund.key == fund_key)
    derived = states(stores.pipeline)
    # Names, not codes: the project's title and the enterprise's name (code as secondary text).
    titles = {p.id: p.title for p in stores.pipeline.projects()}
    with services.cultivation.reading() as store:
        names = {code: info.name for code, info in store.enterprise_info().items()}
    context = {
        "summary": summary,
        "deals": deals,
        "derived": derived,
        "titles": titles,
        "names": names,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "fund_kinds": FUND_NAMES,
    }
    return render(request, "pipeline/fund.html", context, active="finance")
