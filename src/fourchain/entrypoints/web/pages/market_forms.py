"""The market's forms: a demand (publish and edit), an achievement (publish), and the
withdrawal of either, asked for once more. A refused submit shows the form again with what was
typed and the reason beside its field, never a bare error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.market import (
    LABELS,
    Achievement,
    Demand,
    IPStatus,
    Party,
    PartyKind,
    TransferMode,
    Viewer,
)
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep, utc_now
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.money_fields import optional_money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.market import (
    Id,
    RecordsDep,
    common,
    may_change,
    records_changed,
)
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import InvalidInput, PermissionDenied
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/market", include_in_schema=False)

DEMAND_FIELDS = (
    "credit_code",
    "problem",
    "description",
    "field",
    "cluster",
    "budget",
    "deadline",
    "confidential",
)
DEMAND_LIMITS = {"credit_code": 200, "problem": 300, "field": 100, "budget": 20, "deadline": 20}
TypedDemand = Annotated[Form, typed(DEMAND_FIELDS, DEMAND_LIMITS)]


def _demand_form(
    request: Request, services: ServicesDep, viewer: Viewer, form: Form, *, action: str
) -> Response:
    context = common(services) | {
        "own_enterprise": viewer.party.id if viewer.party else "",
        "form": form,
        "action": action,
        "editing": action != "/market/demands",
    }
    return render(
        request, "market/demand_form.html", context, status_code=form.status, active="market"
    )


def _parse_demand(services: ServicesDep, viewer: Viewer, v: Form, editing: bool = False) -> Demand:
    deadline = a_day(v["deadline"], "demand.deadline")
    budget = optional_money(v["budget"], "demand.budget")
    if viewer.party:
        credit_code = viewer.party.id
    elif editing:  # an edit keeps the demand's owner
        credit_code = ""
    else:
        views = services.registry.views
        kinds = (PartyKind.ENTERPRISE,)
        credit_code = organisation_named(views, v["credit_code"], "credit_code", kinds).id
    return Demand(
        credit_code=credit_code,
        problem=v["problem"].strip(),
        description=v["description"].strip(),
        field=v["field"].strip(),
        budget=0.0 if budget is None else budget,
        deadline=deadline,
        published=utc_now().date(),
        confidential=v.get("confidential") == "true",
        cluster=v["cluster"] or None,
    )


@router.get("/demands/new")
def demand_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    form = Form.blank(DEMAND_FIELDS)
    return _demand_form(request, services, viewer, form, action="/market/demands")


@router.post("/demands")
def publish_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    form: TypedDemand,
) -> Response:
    def save() -> int:
        return records.publish_demand(viewer, _parse_demand(services, viewer, form))

    return _submit_demand(request, services, viewer, form, "/market/demands", save)


@router.get("/demands/{demand_id}/edit")
def edit_demand_form(
    request: Request, services: ServicesDep, viewer: ViewerDep, records: RecordsDep, demand_id: Id
) -> Response:
    found, _ = records.demand(viewer, demand_id)
    if not may_change(viewer, Party(PartyKind.ENTERPRISE, found.credit_code)):
        raise PermissionDenied(f"只能修改本企业的需求 (not your enterprise's demand {demand_id})")
    form = Form.blank(
        DEMAND_FIELDS,
        problem=found.problem,
        description=found.description,
        field=found.field,
        budget=f"{found.budget:g}",
        deadline=found.deadline.isoformat(),
        cluster=found.cluster or "",
        credit_code=found.credit_code,
        confidential="true" if found.confidential else "",
    )
    action = f"/market/demands/{demand_id}/edit"
    return _demand_form(request, services, viewer, form, action=action)


@router.post("/demands/{demand_id}/edit")
def edit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    demand_id: Id,
    form: TypedDemand,
) -> Response:
    def save() -> int:
        records.edit_demand(viewer, demand_id, _parse_demand(services, viewer, form, True))
        return demand_id

    action = f"/market/demands/{demand_id}/edit"
    return _submit_demand(request, services, viewer, form, action, save)


def _submit_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    form: Form,
    action: str,
    save: Callable[[], int],
) -> Response:
    """Save the typed demand, or show the same form again with what was typed and the error
    beside its field."""

    def saved(demand_id: int) -> Response:
        records_changed(services)  # an enterprise is matched by its public demands
        edited = action.endswith("/edit")
        message = N_("The demand was saved.") if edited else N_("The demand was published.")
        return done(request, f"/market/demands/{demand_id}", message)

    def show(refused: Form) -> Response:
        return _demand_form(request, services, viewer, refused, action=action)

    return submit(form, save, show, saved)


# --- achievements
ACHIEVEMENT_FIELDS = (
    "institution_id",
    "title",
    "abstract",
    "keywords",
    "discipline",
    "ipc",
    "trl",
    "ip_status",
    "patent_numbers",
    "transfer_modes",
    "asking_terms",
    "asking_price",
    "cluster",
    "contact",
)
ACHIEVEMENT_LIMITS = {"institution_id": 200, "ipc": 40, "trl": 2, "asking_price": 20}
ACHIEVEMENT_LIMITS |= {"discipline": 100, "contact": 200, "ip_status": 30, "cluster": 50}
ACHIEVEMENT_LIMITS |= dict.fromkeys(("title", "keywords", "patent_numbers", "asking_terms"), 300)
TypedAchievement = Annotated[
    Form, typed(ACHIEVEMENT_FIELDS, ACHIEVEMENT_LIMITS, lists=("transfer_modes",))
]


def _items(text: str) -> tuple[str, ...]:
    for sep in ("；", ";", "，", ","):
        text = text.replace(sep, "\n")
    return tuple(part.strip() for part in text.splitlines() if part.strip())


def _achievement_form(
    request: Request, services: ServicesDep, viewer: Viewer, form: Form
) -> Response:
    context = common(services) | {
        "trl_options": [(str(n), str(n)) for n in range(1, 10)],
        "ip_status_options": [(s.value, LABELS[s]) for s in IPStatus],
        "mode_options": [(m.value, LABELS[m]) for m in TransferMode],
        "own_institution": viewer.party.id if viewer.party else "",
        "form": form,
    }
    return render(
        request,
        "market/achievement_form.html",
        context,
        status_code=form.status,
        active="market",
    )


def _parse_achievement(services: ServicesDep, viewer: Viewer, form: Form) -> Achievement:
    if form["trl"] not in {str(n) for n in range(1, 10)}:
        raise InvalidInput("achievement.trl: 应为 1–9 (a readiness level 1 to 9)")
    if form["ip_status"] not in {s.value for s in IPStatus}:
        raise InvalidInput("achievement.ip_status: 请选择知识产权状态 (choose the IP status)")
    modes = form.lists.get("transfer_modes", [])
    if not set(modes) <= {m.value for m in TransferMode}:
        raise InvalidInput("achievement.transfer_modes: 未知的转化方式 (unknown transfer mode)")
    if viewer.party:
        owner = viewer.party.id
    else:
        views, kinds = services.registry.views, (PartyKind.INSTITUTION,)
        owner = organisation_named(views, form["institution_id"], "institution_id", kinds).id
    return Achievement(
        institution_id=owner,
        title=form.stripped("title"),
        abstract=form.stripped("abstract"),
        keywords=_items(form["keywords"]),
        trl=int(form["trl"]),
        ip_status=IPStatus(form["ip_status"]),
        transfer_modes=tuple(TransferMode(m) for m in dict.fromkeys(modes)),
        contact=form.stripped("contact"),
        published=utc_now().date(),
        discipline=form.stripped("discipline") or None,
        ipc=form.stripped("ipc") or None,
        patent_numbers=_items(form["patent_numbers"]),
        asking_terms=form.stripped("asking_terms"),
        asking_price=optional_money(form["asking_price"], "asking_price"),
        cluster=form["cluster"] or None,
    )


@router.get("/achievements/new")
def achievement_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    form = Form.blank(ACHIEVEMENT_FIELDS, trl="5", ip_status=IPStatus.NONE.value)
    return _achievement_form(request, services, viewer, form)


@router.post("/achievements")
def publish_achievement(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    form: TypedAchievement,
) -> Response:
    def saved(new_id: int) -> Response:
        records_changed(services)
        url = f"/market/achievements/{new_id}"
        return done(request, url, N_("The achievement was published."))

    return submit(
        form,
        lambda: records.publish_achievement(viewer, _parse_achievement(services, viewer, form)),
        lambda refused: _achievement_form(request, services, viewer, refused),
        saved,
    )


# --- withdrawals: asked for once more, saying what will happen
def _ask_withdraw(kind: str, record_id: int) -> Ask:
    back = f"/market/{kind}/{record_id}"
    what = (
        N_("The demand leaves the market and its matches at once; its history is kept.")
        if kind == "demands"
        else N_("The achievement leaves the market and its matches at once; its history is kept.")
    )
    return Ask(
        N_("Withdraw from the market?"),
        what,
        N_("Withdraw from the market"),
        f"{back}/withdraw",
        back,
    )


@router.post("/demands/{demand_id}/withdraw")
def withdraw_demand(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    demand_id: Id,
    answer: Withdrawal,
) -> Response:
    ask = _ask_withdraw("demands", demand_id)
    then = ("/market/demands", N_("The demand was withdrawn."))

    def run(reason: str) -> None:
        records.withdraw_demand(viewer, demand_id, reason)

    return withdrawal(request, answer, ask, run, then, lambda: records_changed(services))


@router.post("/achievements/{achievement_id}/withdraw")
def withdraw_achievement(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    achievement_id: Id,
    answer: Withdrawal,
) -> Response:
    ask = _ask_withdraw("achievements", achievement_id)
    then = ("/market/achievements", N_("The achievement was withdrawn."))

    def run(reason: str) -> None:
        records.withdraw_achievement(viewer, achievement_id, reason)

    return withdrawal(request, answer, ask, run, then, lambda: records_changed(services))
