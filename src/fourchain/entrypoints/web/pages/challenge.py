"""Challenge-call pages (揭榜挂帅): the calls, a call and an application as each viewer may see
them, with their forms (whose submits are in `challenge_forms.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.challenge import ACTION_LABELS, CALL_MOVES, CallState
from fourchain.domain.market import Viewer
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep
from fourchain.entrypoints.web.forms import Form
from fourchain.entrypoints.web.pages.market import DeskDep, Id, common
from fourchain.entrypoints.web.templating import render

router = APIRouter(prefix="/market", include_in_schema=False)


@router.get("/challenges")
def challenges(
    request: Request, services: ServicesDep, viewer: ViewerDep, desk: DeskDep
) -> Response:
    context = common(services) | {"calls": desk.calls(viewer), "is_admin": _is_admin(viewer)}
    return render(request, "market/challenges.html", context, active="market")


def _is_admin(viewer: Viewer) -> bool:
    return viewer.is_admin


@router.get("/challenges/{call_id}")
def challenge(
    request: Request, services: ServicesDep, viewer: ViewerDep, desk: DeskDep, call_id: Id
) -> Response:
    return call_page(request, services, viewer, desk, call_id)


# The call page's forms, each with its own element ids (forms.Form.key).
CALL_FORMS = {
    "reviewer": ("expert_id", "name", "affiliation"),
    "milestone": ("title", "due", "amount"),
    "apply": ("team_lead", "team", "proposal", "approach", "requested"),
}


def call_page(
    request: Request,
    services: ServicesDep,
    viewer: Viewer,
    desk: DeskDep,
    call_id: int,
    refused: Form | None = None,
) -> Response:
    """The call's page, with `refused` (one of its forms, as typed) shown with its errors."""
    view = desk.view(viewer, call_id)
    own = [a for a in view.applications if viewer.party and a.applicant == viewer.party]
    may_apply = (
        view.call.state is CallState.PUBLISHED
        and viewer.may_apply
        and not any(a.state.value != "withdrawn" for a in own)
    )
    forms = {key: Form.blank(fields, key=key) for key, fields in CALL_FORMS.items()}
    if refused is not None:
        forms[refused.key] = refused
    context = common(services) | {
        "view": view,
        "viewer": viewer,
        "is_admin": _is_admin(viewer),
        "is_expert": viewer.is_expert,
        "may_apply": may_apply,
        # Milestones are planned after the award: no form a submit would refuse.
        "may_plan": view.call.state in (CallState.AWARDED, CallState.IN_DELIVERY),
        "forms": forms,
        "refused": refused,
        "ranking": {r.application_id: r for r in view.ranking},
        "actions": {a.value: ACTION_LABELS[a] for (s, a) in CALL_MOVES if s is view.call.state},
        "paid": {
            m.id: sum(p.amount for p in view.payments if p.milestone_id == m.id)
            for m in view.milestones
        },
    }
    status = refused.status if refused is not None else 200
    return render(request, "market/challenge.html", context, status_code=status, active="market")


@router.get("/applications/{application_id}")
def application(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
) -> Response:
    return application_page(request, services, viewer, desk, application_id)


APPLICATION_FORMS = {
    "declare": ("conflicted", "statement"),
    "feedback": ("text",),
}


def application_page(
    request: Request,
    services: ServicesDep,
    viewer: Viewer,
    desk: DeskDep,
    application_id: int,
    refused: Form | None = None,
) -> Response:
    """An application's page, with `refused` (one of its forms, as typed) and its errors."""
    app, feedback = desk.application(viewer, application_id)
    view = desk.view(viewer, app.call_id)
    my_scores = view.my_scores.get(application_id, {})
    forms = {key: Form.blank(fields, key=key) for key, fields in APPLICATION_FORMS.items()}
    forms["declare"].values["conflicted"] = "false"
    forms["feedback"].values["text"] = feedback or ""
    score_fields = tuple(f"points_{c.key}" for c in view.call.rubric)
    forms["score"] = Form.blank(
        score_fields,
        key="score",
        **{f"points_{k}": str(v) for k, v in my_scores.items()},
    )
    if refused is not None:
        forms[refused.key] = refused
    context = common(services) | {
        "app": app,
        "call": view.call,
        "applicant": view.names.get(app.applicant, app.applicant.id),
        "feedback": feedback,
        "viewer": viewer,
        "is_admin": _is_admin(viewer),
        "is_expert": viewer.is_expert,
        "declared": view.my_declarations.get(application_id),
        "forms": forms,
        "ranked": next((r for r in view.ranking if r.application_id == application_id), None),
        "own": viewer.party is not None and viewer.party == app.applicant,
    }
    status = refused.status if refused is not None else 200
    return render(request, "market/application.html", context, status_code=status, active="market")
