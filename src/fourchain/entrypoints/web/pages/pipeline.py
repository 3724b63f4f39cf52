"""Pipeline and capital-chain pages: the board with its funnel and Sankey chart, a project's
page (timeline, people, money), the capital chain's leverage, and a fund's portfolio."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from fourchain.bootstrap.pipeline import PipelineStores
from fourchain.domain.accounts import Role
from fourchain.domain.files import upload_name
from fourchain.domain.finance import FUND_LABELS, FundKind, Investment
from fourchain.domain.funnel import Flow, FunnelRow
from fourchain.domain.market import PartyKind
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS, STAGES, ProjectExit
from fourchain.domain.talent import PROJECT_ROLE_LABELS
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.api.pipeline import FundKey, ProjectId, StoresDep
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep, utc_now
from fourchain.entrypoints.web.forms import Form as TypedForm
from fourchain.entrypoints.web.forms import done, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, page_within, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, TransitionRefused
from fourchain.services import finance
from fourchain.services.choices import organisation_named
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


# The form putting a person on a project's team (pages/project_forms.py saves it).
ATTACH_FIELDS = ("person_id", "role", "joined")
ROLE_OPTIONS = [(role.value, label) for role, label in PROJECT_ROLE_LABELS.items()]


def _project_page(
    request: Request,
    project_id: str,
    services: ServicesDep,
    stores: PipelineStores,
    viewer: AskerDep,
    form: TypedForm | None = None,
    attach: TypedForm | None = None,
) -> Response:
    form = form or TypedForm.blank(ADVANCE_FIELDS)
    attach = attach or TypedForm.blank(ATTACH_FIELDS, key="a", role="team_member")
    view = project_view(stores.pipeline, stores.finance, project_id, viewer.principal)
    context = {
        "view": view,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "clusters": _clusters(services),
        "institutions": stores.pipeline.institution_names(),
        "may_advance": viewer.principal.is_bureau
        and view.state.exit is None
        and view.withdrawn is None,
        "may_override": viewer.principal.role is Role.BUREAU_ADMIN,
        "targets": next_targets(view.state),
        "form": form,
        "attach": attach,
        "roles": ROLE_OPTIONS,
    }
    status = form.status if form.refused else attach.status
    return render(request, "pipeline/project.html", context, status_code=status, active="pipeline")


def project_page(
    request: Request,
    project_id: str,
    services: ServicesDep,
    viewer: AskerDep,
    attach: TypedForm | None = None,
) -> Response:
    """The project's page, read afresh (with a refused team form, when there is one)."""
    with services.pipeline.reading() as stores:
        return _project_page(request, project_id, services, stores, viewer, attach=attach)


@router.get("/pipeline/projects/{project_id}")
def project(
    request: Request,
    project_id: ProjectId,
    services: ServicesDep,
    stores: StoresDep,
    viewer: AskerDep,
) -> Response:
    return _project_page(request, project_id, services, stores, viewer)


ADVANCE_FIELDS = ("to", "trl", "on", "institution", "enterprise", "note", "override_reason")
ADVANCE_LIMITS = {"to": 30, "trl": 2, "on": 20, "institution": 200, "enterprise": 200}


def _trl(text: str) -> int | None:
    if not text.strip():
        return None
    if text.strip() not in {str(n) for n in range(1, 10)}:
        raise InvalidInput("trl: 技术就绪度应为 1–9 (a readiness level from 1 to 9)")
    return int(text)


def _named(services: ServicesDep, form: TypedForm, name: str, kind: PartyKind) -> str | None:
    if not form.stripped(name):
        return None
    return organisation_named(services.registry.views, form[name], name, (kind,)).id


@router.post("/pipeline/projects/{project_id}/advance")
def advance_project(
    request: Request,
    project_id: ProjectId,
    services: ServicesDep,
    viewer: AskerDep,
    form: Annotated[TypedForm, typed(ADVANCE_FIELDS, ADVANCE_LIMITS)],
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Bureau staff move a project through its next gate with evidence files; a refused move
    shows the project again with the reason, and writes nothing. Only an administrator's
    override reason is honoured (the state machine refuses anyone else's)."""
    principal = viewer.principal
    if form.refused:  # too long a value: nothing is read further
        with services.pipeline.reading() as read:
            return _project_page(request, project_id, services, read, viewer, form)
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
                form.stripped("to"),
                principal.username,
                _day(form.stripped("on")),
                _trl(form["trl"]),
                tuple(offered),
                _named(services, form, "institution", PartyKind.INSTITUTION),
                _named(services, form, "enterprise", PartyKind.ENTERPRISE),
                form.stripped("note"),
                by_admin=principal.role is Role.BUREAU_ADMIN,
                override_reason=form.stripped("override_reason") or None,
            )
            with services.pipeline.writing() as written:
                now = utc_now().replace(tzinfo=None)
                vault = services.pipeline.vault
                advance(written.pipeline, vault, request_, now, written.audit)
        except (TransitionRefused, InvalidInput) as refused:
            with services.pipeline.reading() as read:
                form.refuse(refused, guess=True)
                return _project_page(request, project_id, services, read, viewer, form)
    return done(request, f"/pipeline/projects/{project_id}", N_("The move was recorded."))


def _day(text: str) -> date:
    return a_day(text, "on") if text else utc_now().date()


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


PORTFOLIO_PAGE = 50
# The portfolio's orders (a fund's deals are in the capital book the page has read already).
PORTFOLIO_SORTS: dict[str, Callable[[Investment], Any]] = {
    "on": lambda i: (i.on, i.amount),
    "amount": lambda i: (i.amount, i.on),
    "round": lambda i: (i.round, i.on),
}
NEWEST_FIRST = Sorting("on", descending=True)


@router.get("/finance/funds/{fund_key}")
def fund(
    request: Request,
    fund_key: FundKey,
    stores: StoresDep,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    book = stores.finance.book()
    order = sorting(sort, dir, PORTFOLIO_SORTS, NEWEST_FIRST)
    deals = sorted(
        finance.portfolio(book, fund_key),
        key=PORTFOLIO_SORTS[order.key],
        reverse=order.descending,
    )
    page = page_within(page, len(deals), PORTFOLIO_PAGE)
    summary = next(s for s in finance.fund_summaries(book) if s.fund.key == fund_key)
    derived = states(stores.pipeline)
    # Names, not codes: the project's title and the enterprise's name (code as secondary text).
    titles = {p.id: p.title for p in stores.pipeline.projects()}
    with services.cultivation.reading() as store:
        names = {code: info.name for code, info in store.enterprise_info().items()}
    context = {
        "summary": summary,
        "deals": deals[(page - 1) * PORTFOLIO_PAGE : page * PORTFOLIO_PAGE],
        "total": len(deals),
        "page": page,
        "pages": max(1, -(-len(deals) // PORTFOLIO_PAGE)),
        "order": order,
        "derived": derived,
        "titles": titles,
        "names": names,
        "stages": STAGE_NAMES,
        "exits": EXIT_NAMES,
        "fund_kinds": FUND_NAMES,
    }
    return render(request, "pipeline/fund.html", context, active="finance")
