"""Challenge-call pages (揭榜挂帅): the bureau publishes, runs and closes calls; teams apply;
reviewers declare conflicts and score; non-winners read their feedback."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from fourchain.domain.challenge import (
    ACTION_LABELS,
    CALL_MOVES,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    Milestone,
    Reviewer,
)
from fourchain.domain.market import Party, Viewer
from fourchain.entrypoints.web.deps import ServicesDep, utc_now
from fourchain.entrypoints.web.pages.market import (
    DeskDep,
    Id,
    Long,
    Short,
    ViewerDep,
    common,
    money,
    see_other,
)
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput

router = APIRouter(prefix="/market", include_in_schema=False)


@router.get("/challenges")
def challenges(
    request: Request, services: ServicesDep, viewer: ViewerDep, desk: DeskDep
) -> Response:
    context = common(services) | {"calls": desk.calls(viewer), "is_admin": _is_admin(viewer)}
    return render(request, "market/challenges.html", context, active="market")


def _is_admin(viewer: Viewer) -> bool:
    return viewer.is_admin


@router.get("/challenges/new")
def challenge_form(request: Request, services: ServicesDep) -> Response:
    return render(request, "market/challenge_form.html", common(services), active="market")


@router.post("/challenges")
def create_challenge(
    viewer: ViewerDep,
    desk: DeskDep,
    title: Short,
    problem: Long,
    conditions: Long,
    reward: Annotated[str, Form(max_length=20)],
    apply_by: Annotated[date, Form()],
    field: Annotated[str, Form(max_length=100)],
    min_reviews: Annotated[int, Form(ge=1, le=20)] = 2,
) -> Response:
    call = ChallengeCall(
        title=title.strip(),
        problem=problem.strip(),
        conditions=conditions.strip(),
        reward=money(reward, "reward") or 0.0,
        apply_by=apply_by,
        field=field.strip(),
        min_reviews=min_reviews,
    )
    return see_other(f"/market/challenges/{desk.create_call(viewer, call)}")


@router.get("/challenges/{call_id}")
def challenge(
    request: Request, services: ServicesDep, viewer: ViewerDep, desk: DeskDep, call_id: Id
) -> Response:
    view = desk.view(viewer, call_id)
    own = [a for a in view.applications if viewer.party and a.applicant == viewer.party]
    may_apply = (
        view.call.state is CallState.PUBLISHED
        and viewer.may_apply
        and not any(a.state.value != "withdrawn" for a in own)
    )
    context = common(services) | {
        "view": view,
        "viewer": viewer,
        "is_admin": _is_admin(viewer),
        "is_expert": viewer.is_expert,
        "may_apply": may_apply,
        "ranking": {r.application_id: r for r in view.ranking},
        "actions": {a.value: ACTION_LABELS[a] for (s, a) in CALL_MOVES if s is view.call.state},
        "paid": {
            m.id: sum(p.amount for p in view.payments if p.milestone_id == m.id)
            for m in view.milestones
        },
    }
    return render(request, "market/challenge.html", context, active="market")


@router.post("/challenges/{call_id}/move")
def move_challenge(
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    action: Annotated[str, Form(max_length=30)],
) -> Response:
    steps = {
        "publish": desk.publish,
        "close_applications": desk.close_applications,
        "start_review": desk.start_review,
        "award": desk.award,
        "start_delivery": desk.start_delivery,
        "close": desk.close,
    }
    if action not in steps:
        raise InvalidInput(f"action: 未知操作 (unknown action {action!r})")
    steps[action](viewer, call_id)
    return see_other(f"/market/challenges/{call_id}")


@router.post("/challenges/{call_id}/reviewers")
def add_reviewer(
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    expert_id: Annotated[str, Form(max_length=60)],
    name: Annotated[str, Form(max_length=100)],
    affiliation: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    party = Party.parse(affiliation.strip()) if affiliation.strip() else None
    desk.add_reviewer(viewer, call_id, Reviewer(expert_id.strip(), name.strip(), party))
    return see_other(f"/market/challenges/{call_id}")


@router.post("/challenges/{call_id}/milestones")
def add_milestone(
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    title: Short,
    due: Annotated[date, Form()],
    amount: Annotated[str, Form(max_length=20)],
) -> Response:
    milestone = Milestone(title.strip(), due, money(amount, "amount") or 0.0)
    desk.add_milestone(viewer, call_id, milestone)
    return see_other(f"/market/challenges/{call_id}")


@router.post("/challenges/{call_id}/milestones/{milestone_id}/accept")
def accept_milestone(viewer: ViewerDep, desk: DeskDep, call_id: Id, milestone_id: Id) -> Response:
    desk.accept_milestone(viewer, call_id, milestone_id)
    return see_other(f"/market/challenges/{call_id}")


@router.post("/challenges/{call_id}/milestones/{milestone_id}/pay")
def pay_milestone(
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    milestone_id: Id,
    amount: Annotated[str, Form(max_length=20)],
) -> Response:
    desk.pay(viewer, call_id, milestone_id, money(amount, "amount") or 0.0)
    return see_other(f"/market/challenges/{call_id}")


@router.post("/challenges/{call_id}/apply")
def apply(
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    team_lead: Annotated[str, Form(max_length=100)],
    proposal: Short,
    approach: Long,
    requested: Annotated[str, Form(max_length=20)],
    team: Long = "",
) -> Response:
    if viewer.party is None:
        raise InvalidInput("applicant: 账号未绑定单位 (the account has no organisation)")
    new_id = desk.apply(
        viewer,
        ChallengeApplication(
            call_id=call_id,
            applicant=viewer.party,
            team_lead=team_lead.strip(),
            team=team.strip(),
            proposal=proposal.strip(),
            approach=approach.strip(),
            requested=money(requested, "requested") or 0.0,
            submitted=utc_now().date(),
        ),
    )
    return see_other(f"/market/applications/{new_id}")


@router.get("/applications/{application_id}")
def application(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
) -> Response:
    app, feedback = desk.application(viewer, application_id)
    view = desk.view(viewer, app.call_id)
    context = common(services) | {
        "app": app,
        "call": view.call,
        "applicant": view.names.get(app.applicant, app.applicant.id),
        "feedback": feedback,
        "viewer": viewer,
        "is_admin": _is_admin(viewer),
        "is_expert": viewer.is_expert,
        "declared": view.my_declarations.get(application_id),
        "my_scores": view.my_scores.get(application_id, {}),
        "ranked": next((r for r in view.ranking if r.application_id == application_id), None),
        "own": viewer.party is not None and viewer.party == app.applicant,
    }
    return render(request, "market/application.html", context, active="market")


@router.post("/applications/{application_id}/withdraw")
def withdraw(viewer: ViewerDep, desk: DeskDep, application_id: Id) -> Response:
    desk.withdraw(viewer, application_id)
    return see_other(f"/market/applications/{application_id}")


@router.post("/applications/{application_id}/declare")
def declare(
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
    conflicted: Annotated[bool, Form()] = False,
    statement: Long = "",
) -> Response:
    desk.declare(viewer, application_id, conflicted=conflicted, statement=statement)
    if conflicted:  # the application has left this reviewer's desk
        return see_other("/market/challenges")
    return see_other(f"/market/applications/{application_id}")


@router.post("/applications/{application_id}/score")
async def score(request: Request, viewer: ViewerDep, desk: DeskDep, application_id: Id) -> Response:
    form = await request.form()
    points: dict[str, float] = {}
    for key, value in form.items():
        if key.startswith("points_") and isinstance(value, str):
            parsed = money(value, key)
            if parsed is not None:
                points[key.removeprefix("points_")[:40]] = parsed
    # The service is synchronous (the database is): run it off the event loop.
    await run_in_threadpool(desk.score, viewer, application_id, points)
    return see_other(f"/market/applications/{application_id}")


@router.post("/applications/{application_id}/feedback")
def feedback(viewer: ViewerDep, desk: DeskDep, application_id: Id, text: Long) -> Response:
    desk.give_feedback(viewer, application_id, text)
    return see_other(f"/market/applications/{application_id}")
