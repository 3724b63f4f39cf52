"""The people of the talent chain in the browser: a sortable, paged list for bureau staff, and
for bureau administrators a person's edit form and withdrawal (asked once more, with a reason
for the audit log). The pipeline desk checks the role and writes each change with its audit
entry; a refused submit shows the form again with what was typed and the reason beside its
field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fourchain.domain.talent import Person
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import InvalidInput
from fourchain.services.pipeline_desk import PEOPLE_SORTS

router = APIRouter(prefix="/pipeline/people", include_in_schema=False)

PersonKey = Annotated[str, Path(max_length=40)]
PAGE_SIZE = 50
BY_NAME = Sorting("name")
FIELDS = ("name", "affiliation", "expertise", "email")
LIMITS = {"name": 100, "affiliation": 200, "expertise": 200, "email": 200}
Typed = Annotated[Form, typed(FIELDS, LIMITS)]
BACK = "/pipeline/people"
WITHDRAW_MSGIDS = (
    N_("Withdraw this person?"),
    N_(
        "The person leaves the people list, every project team and the expert lists at once; "
        "their row and the day they were withdrawn are kept, and the audit log says who and why."
    ),
    N_("Reason for the withdrawal (recorded in the audit log)"),
)


def _person(person_id: str, form: Form) -> Person:
    name = form.stripped("name")
    if not name:
        raise InvalidInput("name: 必填 (required)")
    email = form.stripped("email")
    if email and "@" not in email:
        raise InvalidInput(f"email: 电子邮箱应如 name@example.cn (not {email!r})")
    return Person(
        person_id,
        name,
        form.stripped("affiliation") or None,
        form.stripped("expertise") or None,
        email or None,
    )


def _form_page(request: Request, person_id: str, form: Form) -> Response:
    context = {"form": form, "person_id": person_id}
    return render(
        request, "pipeline/person_edit.html", context, status_code=form.status, active="pipeline"
    )


@router.get("")
def listing(
    request: Request,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: SortParam = "",
    dir: DirParam = "",
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    order = sorting(sort, dir, PEOPLE_SORTS, BY_NAME)
    found = services.pipeline_desk.people(order.key, order.descending, page, PAGE_SIZE, q)
    with services.pipeline.reading() as stores:  # an affiliation may be an institution's id
        institutions = stores.pipeline.institution_names()
    context = {"people": found, "order": order, "q": q, "institutions": institutions}
    return render(request, "pipeline/people.html", context, active="pipeline")


@router.get("/{person_id}/edit")
def edit_form(request: Request, services: ServicesDep, person_id: PersonKey) -> Response:
    found = services.pipeline_desk.record("people", person_id)
    values = {k: "" if found.get(k) is None else str(found[k]) for k in FIELDS}
    return _form_page(request, person_id, Form.blank(FIELDS, **values))


@router.post("/{person_id}/edit")
def edit(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    person_id: PersonKey,
    form: Typed,
) -> Response:
    def save() -> None:
        services.pipeline_desk.edit_person(principal, person_id, _person(person_id, form))

    def saved(_: None) -> Response:
        services.data_changed()
        return done(request, BACK, N_("The person was saved."))

    return submit(form, save, lambda refused: _form_page(request, person_id, refused), saved)


@router.post("/{person_id}/withdraw")
def withdraw(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    person_id: PersonKey,
    form: Withdrawal,
) -> Response:
    found = services.pipeline_desk.record("people", person_id)  # NotFound, or withdrawn: 409
    title, what_happens, reason = WITHDRAW_MSGIDS
    action = f"{BACK}/{person_id}/withdraw"
    ask = Ask(title, what_happens, N_("Withdraw"), action, BACK, str(found["name"]), reason=reason)

    def run(why: str) -> None:
        services.pipeline_desk.withdraw(principal, "people", person_id, why)

    then = (BACK, N_("The person was withdrawn."))
    return withdrawal(request, form, ask, run, then, services.data_changed)
