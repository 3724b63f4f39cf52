"""The bureau administrators' pages for conversion projects (成果转化项目): a sortable, paged
list, a form to record one, its edit form and its withdrawal (asked once more, with a reason
for the audit log). The pipeline desk checks the role and the records named, and writes each
change with its audit entry; a refused submit shows the form again with what was typed and the
reason beside its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, page_within, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import InvalidInput
from fourchain.services.pipeline_desk import CONVERSION_SORTS, Conversion

router = APIRouter(prefix="/pipeline/conversions", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
PAGE_SIZE = 50
NEWEST_FIRST = Sorting("id", descending=True)
FIELDS = ("credit_code", "title", "year", "field", "project_id")
LIMITS = {"credit_code": 18, "title": 300, "year": 10, "field": 100, "project_id": 40}
Typed = Annotated[Form, typed(FIELDS, LIMITS)]
BACK = "/pipeline/conversions"
WITHDRAW_MSGIDS = (
    N_("Withdraw this conversion project?"),
    N_(
        "The project leaves this list and the conversion-project count at once; its row and "
        "the day it was withdrawn are kept, and the audit log says who and why."
    ),
    N_("Reason for the withdrawal (recorded in the audit log)"),
)


def _conversion(form: Form) -> Conversion:
    text = form.stripped("year").removesuffix("年")
    if not text.isdigit():
        raise InvalidInput(f"year: 年份应如 2025 (a year like 2025, not {form['year']!r})")
    return Conversion(
        form.stripped("credit_code"),
        form.stripped("title"),
        int(text),
        form.stripped("field") or None,
        form.stripped("project_id") or None,
    )


def _form_page(request: Request, form: Form, action: str) -> Response:
    context = {"form": form, "action": action, "editing": action.endswith("/edit")}
    return render(
        request,
        "pipeline/conversion_form.html",
        context,
        status_code=form.status,
        active="pipeline",
    )


def _save(
    request: Request, services: ServicesDep, form: Form, action: str, save: Any, message: str
) -> Response:
    def saved(_: object) -> Response:
        services.data_changed()
        return done(request, BACK, message)

    return submit(form, save, lambda refused: _form_page(request, refused, action), saved)


@router.get("")
def listing(
    request: Request,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    order = sorting(sort, dir, CONVERSION_SORTS, NEWEST_FIRST)
    desk = services.pipeline_desk
    _, total = desk.conversions(order.key, order.descending, 0, 0)
    page = page_within(page, total, PAGE_SIZE)
    rows, _ = desk.conversions(order.key, order.descending, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    context = {
        "rows": rows,
        "total": total,
        "order": order,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }
    return render(request, "pipeline/conversions.html", context, active="pipeline")


@router.get("/new")
def new(request: Request) -> Response:
    return _form_page(request, Form.blank(FIELDS), BACK)


@router.post("")
def create(
    request: Request, services: ServicesDep, principal: CurrentPrincipal, form: Typed
) -> Response:
    def save() -> int:
        return services.pipeline_desk.create_conversion(principal, _conversion(form))

    return _save(request, services, form, BACK, save, N_("The conversion project was recorded."))


@router.get("/{record_id}/edit")
def edit_form(request: Request, services: ServicesDep, record_id: Id) -> Response:
    found = services.pipeline_desk.record("conversion_projects", record_id)
    values = {k: "" if found.get(k) is None else str(found[k]) for k in FIELDS}
    return _form_page(request, Form.blank(FIELDS, **values), f"{BACK}/{record_id}/edit")


@router.post("/{record_id}/edit")
def edit(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    record_id: Id,
    form: Typed,
) -> Response:
    def save() -> None:
        services.pipeline_desk.edit_conversion(principal, record_id, _conversion(form))

    action = f"{BACK}/{record_id}/edit"
    return _save(request, services, form, action, save, N_("The conversion project was saved."))


@router.post("/{record_id}/withdraw")
def withdraw(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    record_id: Id,
    form: Withdrawal,
) -> Response:
    found = services.pipeline_desk.record("conversion_projects", record_id)  # 404, or 409
    title, what_happens, reason = WITHDRAW_MSGIDS
    action = f"{BACK}/{record_id}/withdraw"
    subject = f"#{record_id} {found['title']}"
    ask = Ask(title, what_happens, N_("Withdraw"), action, BACK, subject, reason=reason)

    def run(why: str) -> None:
        services.pipeline_desk.withdraw(principal, "conversion_projects", record_id, why)

    then = (BACK, N_("The conversion project was withdrawn."))
    return withdrawal(request, form, ask, run, then, services.data_changed)
