"""The challenge calls' forms (揭榜挂帅): draft a call, run it step by step (each step asked for
once more, saying what will happen), the review panel and milestones, applying, declaring,
scoring and feedback. A refused submit shows its page again with what was typed and the
reason beside its field; a completed one says so on the page it leads to."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.challenge import ChallengeApplication, ChallengeCall, Milestone, Reviewer
from fourchain.domain.market import Viewer
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep, utc_now
from fourchain.entrypoints.web.forms import (
    Ask,
    Form,
    confirmation,
    confirmed,
    done,
    submit,
    typed,
    typed_prefixed,
)
from fourchain.entrypoints.web.money_fields import optional_money, optional_number
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.challenge import application_page, call_page
from fourchain.entrypoints.web.pages.market import DeskDep, Id, common
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/market", include_in_schema=False)

CALL_FIELDS = ("title", "problem", "conditions", "reward", "apply_by", "field", "min_reviews")
SHORT = {"title": 300, "reward": 20, "apply_by": 20, "field": 100, "min_reviews": 5}


def a_date(text: str, name: str) -> date:
    return a_day(text, name)


def a_whole_number(text: str, name: str, low: int, high: int) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise InvalidInput(f"{name}: 应为 {low}–{high} 的整数 (a whole number {low} to {high})")
    return number


# --- drafting a call
def _call_form(request: Request, services: ServicesDep, form: Form) -> Response:
    context = common(services) | {"form": form}
    return render(
        request,
        "market/challenge_form.html",
        context,
        status_code=form.status,
        active="market",
    )


@router.get("/challenges/new")
def challenge_form(request: Request, services: ServicesDep) -> Response:
    return _call_form(request, services, Form.blank(CALL_FIELDS, min_reviews="2"))


@router.post("/challenges")
def create_challenge(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    form: Annotated[Form, typed(CALL_FIELDS, SHORT)],
) -> Response:
    def save() -> int:
        call = ChallengeCall(
            title=form.stripped("title"),
            problem=form.stripped("problem"),
            conditions=form.stripped("conditions"),
            reward=optional_money(form["reward"], "reward") or 0.0,
            apply_by=a_date(form["apply_by"], "apply_by"),
            field=form.stripped("field"),
            min_reviews=a_whole_number(form["min_reviews"], "min_reviews", 1, 20),
        )
        return desk.create_call(viewer, call)

    return submit(
        form,
        save,
        lambda refused: _call_form(request, services, refused),
        lambda call_id: done(
            request, f"/market/challenges/{call_id}", N_("The call was saved as a draft.")
        ),
    )


# --- running a call: every step is asked for once more
# action → (question, what will happen, confirm button, message once done)
MOVES: dict[str, tuple[str, str, str, str]] = {
    "publish": (
        N_("Publish the call?"),
        N_(
            "Everyone can read the call and teams can apply until its deadline. "
            "A published call cannot go back to draft."
        ),
        N_("Publish"),
        N_("The call was published."),
    ),
    "close_applications": (
        N_("Close applications?"),
        N_("No team can apply any more; the applications wait for the review."),
        N_("Close applications"),
        N_("Applications are closed."),
    ),
    "start_review": (
        N_("Start the review?"),
        N_(
            "The review panel declares conflicts of interest and scores each application; "
            "applicants can no longer withdraw."
        ),
        N_("Start the review"),
        N_("The review has started."),
    ),
    "award": (
        N_("Award the call?"),
        N_(
            "The application with the best eligible total wins; every other application under "
            "review does not win. This cannot be undone."
        ),
        N_("Award"),
        N_("The call was awarded."),
    ),
    "start_delivery": (
        N_("Start delivery?"),
        N_("The winner delivers along the planned milestones."),
        N_("Start delivery"),
        N_("Delivery has started."),
    ),
    "close": (
        N_("Close the call?"),
        N_("The call is closed for good: nothing on it can change any more."),
        N_("Close the call"),
        N_("The call was closed."),
    ),
}
MOVE_FIELDS = ("action", "confirmed", "reason")


def _ask_move(viewer: Viewer, desk: DeskDep, call_id: int, action: str) -> Ask:
    question, what, button, _ = MOVES[action]
    view = desk.view(viewer, call_id)
    ask = Ask(
        question,
        what,
        button,
        f"/market/challenges/{call_id}/move",
        f"/market/challenges/{call_id}",
        subject=view.call.title,
        hidden={"action": action},
    )
    if action != "award":
        return ask
    pending = set(desk.unscored(viewer, call_id))
    if not pending:
        return ask
    items = tuple(
        f"{a.proposal} · {view.names.get(a.applicant, a.applicant.id)}"
        for a in view.applications
        if a.id in pending
    )
    return Ask(
        question,
        what,
        button,
        ask.action,
        ask.back,
        subject=ask.subject,
        hidden=ask.hidden,
        items=items,
        items_caption=N_("These applications are not fully scored and would not win:"),
        reason=N_("Reason for awarding anyway (recorded in the audit log)"),
    )


@router.post("/challenges/{call_id}/move")
def move_challenge(
    request: Request,
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    form: Annotated[Form, typed(MOVE_FIELDS, {"action": 30, "reason": 1000})],
) -> Response:
    action = form["action"]
    if action not in MOVES:
        raise InvalidInput(f"action: 未知操作 (unknown action {action!r})")
    ask = _ask_move(viewer, desk, call_id, action)
    if not confirmed(form):
        return confirmation(request, ask, form)
    steps = {
        "publish": desk.publish,
        "close_applications": desk.close_applications,
        "start_review": desk.start_review,
        "start_delivery": desk.start_delivery,
        "close": desk.close,
    }

    def save() -> None:
        if action == "award":
            desk.award(viewer, call_id, form["reason"])
        else:
            steps[action](viewer, call_id)

    return submit(
        form,
        save,
        lambda refused: confirmation(request, ask, refused),
        lambda _: done(request, f"/market/challenges/{call_id}", MOVES[action][3]),
    )


# --- the review panel and the milestones
@router.post("/challenges/{call_id}/reviewers")
def add_reviewer(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    form: Annotated[
        Form,
        typed(
            ("expert_id", "name", "affiliation"),
            {"expert_id": 60, "name": 100, "affiliation": 200},
            key="reviewer",
        ),
    ],
) -> Response:
    def save() -> None:
        typed_affiliation = form.stripped("affiliation")
        affiliation = (
            organisation_named(services.registry.views, typed_affiliation, "affiliation")
            if typed_affiliation
            else None
        )
        reviewer = Reviewer(form.stripped("expert_id"), form.stripped("name"), affiliation)
        desk.add_reviewer(viewer, call_id, reviewer)

    return submit(
        form,
        save,
        lambda refused: call_page(request, services, viewer, desk, call_id, refused),
        lambda _: done(request, f"/market/challenges/{call_id}", N_("The reviewer was added.")),
    )


@router.post("/challenges/{call_id}/milestones")
def add_milestone(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    form: Annotated[
        Form,
        typed(("title", "due", "amount"), {"title": 300, "due": 20, "amount": 20}, key="milestone"),
    ],
) -> Response:
    def save() -> int:
        milestone = Milestone(
            form.stripped("title"),
            a_date(form["due"], "due"),
            optional_money(form["amount"], "amount") or 0.0,
        )
        return desk.add_milestone(viewer, call_id, milestone)

    return submit(
        form,
        save,
        lambda refused: call_page(request, services, viewer, desk, call_id, refused),
        lambda _: done(request, f"/market/challenges/{call_id}", N_("The milestone was added.")),
    )


@router.post("/challenges/{call_id}/milestones/{milestone_id}/accept")
def accept_milestone(
    request: Request, viewer: ViewerDep, desk: DeskDep, call_id: Id, milestone_id: Id
) -> Response:
    desk.accept_milestone(viewer, call_id, milestone_id)
    return done(request, f"/market/challenges/{call_id}", N_("The milestone was accepted."))


@router.post("/challenges/{call_id}/milestones/{milestone_id}/pay")
def pay_milestone(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    milestone_id: Id,
    form: Annotated[Form, typed(("amount",), {"amount": 20}, key="pay")],
) -> Response:
    form.values["milestone"] = str(milestone_id)  # whose row shows the refusal

    def save() -> None:
        desk.pay(viewer, call_id, milestone_id, optional_money(form["amount"], "amount") or 0.0)

    return submit(
        form,
        save,
        lambda refused: call_page(request, services, viewer, desk, call_id, refused),
        lambda _: done(request, f"/market/challenges/{call_id}", N_("The payment was recorded.")),
    )


# --- applicants
APPLY_FIELDS = ("team_lead", "team", "proposal", "approach", "requested")


@router.post("/challenges/{call_id}/apply")
def apply(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    call_id: Id,
    form: Annotated[
        Form,
        typed(APPLY_FIELDS, {"team_lead": 100, "proposal": 300, "requested": 20}, key="apply"),
    ],
) -> Response:
    def save() -> int:
        if viewer.party is None:
            raise InvalidInput("applicant: 账号未绑定单位 (the account has no organisation)")
        application = ChallengeApplication(
            call_id=call_id,
            applicant=viewer.party,
            team_lead=form.stripped("team_lead"),
            team=form.stripped("team"),
            proposal=form.stripped("proposal"),
            approach=form.stripped("approach"),
            requested=optional_money(form["requested"], "requested") or 0.0,
            submitted=utc_now().date(),
        )
        return desk.apply(viewer, application)

    return submit(
        form,
        save,
        lambda refused: call_page(request, services, viewer, desk, call_id, refused),
        lambda new_id: done(
            request, f"/market/applications/{new_id}", N_("Your application was submitted.")
        ),
    )


@router.post("/applications/{application_id}/withdraw")
def withdraw(
    request: Request,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
    form: Annotated[Form, typed(("confirmed",))],
) -> Response:
    back = f"/market/applications/{application_id}"
    ask = Ask(
        N_("Withdraw the application?"),
        N_("The application leaves the call and cannot be submitted again for it."),
        N_("Withdraw the application"),
        f"{back}/withdraw",
        back,
    )
    if not confirmed(form):
        return confirmation(request, ask, form)
    return submit(
        form,
        lambda: desk.withdraw(viewer, application_id),
        lambda refused: confirmation(request, ask, refused),
        lambda _: done(request, back, N_("The application was withdrawn.")),
    )


# --- reviewers and the bureau on one application
@router.post("/applications/{application_id}/declare")
def declare(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
    form: Annotated[Form, typed(("conflicted", "statement"), key="declare")],
) -> Response:
    conflicted = form["conflicted"] == "true"

    def save() -> None:
        if form["conflicted"] not in ("true", "false"):
            raise InvalidInput(
                "conflicted: 请选择是否存在利益冲突 (say whether you have a conflict)"
            )
        desk.declare(viewer, application_id, conflicted=conflicted, statement=form["statement"])

    # A declared conflict takes the application off this reviewer's desk.
    then = "/market/challenges" if conflicted else f"/market/applications/{application_id}"
    return submit(
        form,
        save,
        lambda refused: application_page(request, services, viewer, desk, application_id, refused),
        lambda _: done(request, then, N_("Your declaration was recorded.")),
    )


@router.post("/applications/{application_id}/score")
def score(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
    form: Annotated[Form, typed_prefixed("points_", key="score")],
) -> Response:
    def save() -> None:
        points: dict[str, float] = {}
        for name, value in form.values.items():
            parsed = optional_number(value, name)
            if parsed is not None:
                points[name.removeprefix("points_")[:40]] = parsed
        desk.score(viewer, application_id, points)

    return submit(
        form,
        save,
        lambda refused: application_page(request, services, viewer, desk, application_id, refused),
        lambda _: done(
            request, f"/market/applications/{application_id}", N_("Your scores were saved.")
        ),
    )


@router.post("/applications/{application_id}/feedback")
def feedback(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    desk: DeskDep,
    application_id: Id,
    form: Annotated[Form, typed(("text",), key="feedback")],
) -> Response:
    return submit(
        form,
        lambda: desk.give_feedback(viewer, application_id, form["text"]),
        lambda refused: application_page(request, services, viewer, desk, application_id, refused),
        lambda _: done(
            request, f"/market/applications/{application_id}", N_("The feedback was saved.")
        ),
    )
