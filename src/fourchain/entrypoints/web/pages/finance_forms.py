"""The bureau's money forms: investments, subsidies and loans listed, recorded, edited and
withdrawn in the browser, by bureau administrators (the finance desk checks the role, the
fund's commitments and the book, and writes each change with its audit entry). One table of
kinds drives the pages; a refused submit shows the form again with what was typed and the
reason beside its field; a withdrawal needs its confirmation. The kinds are in
`finance_kinds`, their fields in `finance_fields`; this module makes their routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fourchain.domain.accounts import Principal
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.finance_fields import MoneyKind
from fourchain.entrypoints.web.pages.finance_kinds import KINDS
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import NotFound

router = APIRouter(prefix="/finance", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]


def _typed(kind: MoneyKind) -> Any:
    return typed(kind.fields, {i.name: i.limit for i in kind.inputs})


def _funds(services: ServicesDep) -> list[tuple[str, str]]:
    with services.pipeline.reading() as stores:
        return [(f.key, f"{f.name} ({f.key})") for f in stores.finance.book().funds]


def _form_page(
    request: Request, services: ServicesDep, kind: MoneyKind, form: Form, action: str
) -> Response:
    context: dict[str, Any] = {
        "kind": kind,
        "form": form,
        "action": action,
        "editing": action.endswith("/edit"),
        "funds": _funds(services),
    }
    return render(
        request, "finance/money_form.html", context, status_code=form.status, active="finance"
    )


def _save(
    request: Request,
    services: ServicesDep,
    kind: MoneyKind,
    form: Form,
    action: str,
    save: Callable[[], object],
    message: str,
) -> Response:
    def saved(_: object) -> Response:
        services.data_changed()
        return done(request, f"/finance/{kind.path}", message)

    def show(refused: Form) -> Response:
        return _form_page(request, services, kind, refused, action)

    return submit(form, save, show, saved)


def _list(request: Request, services: ServicesDep, kind: MoneyKind) -> Response:
    with services.pipeline.reading() as stores:
        rows = stores.finance.money_records(kind.kind)
    context = {"kind": kind, "rows": rows}
    return render(request, "finance/money_records.html", context, active="finance")


def _edit_page(
    request: Request, services: ServicesDep, kind: MoneyKind, record_id: int
) -> Response:
    with services.pipeline.reading() as stores:
        found = stores.finance.money_record(kind.kind, record_id)
    if found is None or found.get("withdrawn") is not None:
        raise NotFound(f"没有记录 {record_id} (no {kind.kind} record {record_id})")
    values = {k: str(v) for k, v in kind.values(found).items()}
    form = Form.blank(kind.fields, **values)
    return _form_page(request, services, kind, form, f"/finance/{kind.path}/{record_id}/edit")


def _withdraw(
    request: Request,
    services: ServicesDep,
    principal: Principal,
    kind: MoneyKind,
    record_id: int,
    answer: Form,
) -> Response:
    back = f"/finance/{kind.path}"
    ask = Ask(
        N_("Withdraw this record?"),
        N_(
            "The record leaves the capital book, the leverage figures and the indicators at "
            "once; its row and the day it was withdrawn are kept, and the audit log says who."
        ),
        N_("Withdraw"),
        f"{back}/{record_id}/withdraw",
        back,
        subject=f"#{record_id}",
    )

    def run(reason: str) -> None:
        services.finance_desk.withdraw(principal, kind.kind, record_id, reason=reason)

    return withdrawal(request, answer, ask, run, (back, kind.withdrawn), services.data_changed)


def _routes(kind: MoneyKind) -> None:
    """The five routes of one kind (FastAPI reads each handler's own annotations)."""
    Typed = Annotated[Form, _typed(kind)]  # noqa: N806
    base = f"/{kind.path}"

    def listing(request: Request, services: ServicesDep) -> Response:
        return _list(request, services, kind)

    def new(request: Request, services: ServicesDep) -> Response:
        return _form_page(request, services, kind, Form.blank(kind.fields), f"/finance{base}")

    def create(
        request: Request, services: ServicesDep, principal: CurrentPrincipal, form: Typed
    ) -> Response:
        def save() -> object:
            return kind.create(services.finance_desk, principal, kind.parse(form))

        return _save(request, services, kind, form, f"/finance{base}", save, kind.recorded)

    def edit_form(request: Request, services: ServicesDep, record_id: Id) -> Response:
        return _edit_page(request, services, kind, record_id)

    def edit(
        request: Request,
        services: ServicesDep,
        principal: CurrentPrincipal,
        record_id: Id,
        form: Typed,
    ) -> Response:
        def save() -> object:
            kind.edit(services.finance_desk, principal, record_id, kind.parse(form))
            return None

        action = f"/finance{base}/{record_id}/edit"
        return _save(request, services, kind, form, action, save, kind.saved)

    def withdraw(
        request: Request,
        services: ServicesDep,
        principal: CurrentPrincipal,
        record_id: Id,
        answer: Withdrawal,
    ) -> Response:
        return _withdraw(request, services, principal, kind, record_id, answer)

    # the module's annotations are strings, read against its globals: the kind's own form
    # reader is local, so it is handed over as an object
    create.__annotations__["form"] = Typed
    edit.__annotations__["form"] = Typed
    router.add_api_route(base, listing, methods=["GET"])
    router.add_api_route(f"{base}/new", new, methods=["GET"])
    router.add_api_route(base, create, methods=["POST"])
    router.add_api_route(f"{base}/{{record_id}}/edit", edit_form, methods=["GET"])
    router.add_api_route(f"{base}/{{record_id}}/edit", edit, methods=["POST"])
    router.add_api_route(f"{base}/{{record_id}}/withdraw", withdraw, methods=["POST"])


for _kind in KINDS.values():
    _routes(_kind)
