"""A fund's edit and withdrawal in the browser, for bureau administrators (linked from the
fund's page): the finance desk checks the role and the book and writes each change with its
audit entry; a refused edit shows the form again with what was typed and the reason beside its
field; a withdrawal needs its confirmation and is refused while live money rests on the fund."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fourchain.domain.finance import FUND_LABELS, Fund, FundKind
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.money_fields import money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.finance_fields import or_none, required, yuan
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import InvalidInput, NotFound

router = APIRouter(prefix="/finance/funds", include_in_schema=False)

FundKey = Annotated[str, Path(max_length=40)]
FIELDS = ("name", "kind", "size", "parent")
FundForm = Annotated[Form, typed(FIELDS, {"name": 200, "kind": 30, "size": 30, "parent": 40})]


def _page(request: Request, services: ServicesDep, key: str, form: Form) -> Response:
    with services.pipeline.reading() as stores:
        funds = stores.finance.book().funds
    context: dict[str, Any] = {
        "key": key,
        "form": form,
        "kinds": [(k.value, FUND_LABELS[k][0]) for k in FundKind],
        "parents": [(f.key, f.name) for f in funds if f.key != key],
    }
    return render(
        request, "finance/fund_form.html", context, status_code=form.status, active="finance"
    )


def _parse(key: str, form: Form) -> Fund:
    try:
        kind = FundKind(form.stripped("kind"))
    except ValueError:
        raise InvalidInput("kind: 请选择基金类型 (choose the fund's kind)") from None
    size = money(form["size"], "size")
    return Fund(key, required(form, "name"), kind, size, or_none(form, "parent"))


@router.get("/{fund_key}/edit")
def edit_form(request: Request, services: ServicesDep, fund_key: FundKey) -> Response:
    with services.pipeline.reading() as stores:
        found = stores.finance.fund_record(fund_key)
    if found is None or found.get("withdrawn") is not None:
        raise NotFound(f"没有基金 {fund_key} (no fund {fund_key})")
    values = {
        "name": str(found["name"]),
        "kind": str(found["kind"]),
        "size": yuan(found["size"]),
        "parent": str(found["parent"] or ""),
    }
    return _page(request, services, fund_key, Form.blank(FIELDS, **values))


@router.post("/{fund_key}/edit")
def edit(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    fund_key: FundKey,
    form: FundForm,
) -> Response:
    def save() -> object:
        services.finance_desk.edit_fund(principal, fund_key, _parse(fund_key, form))
        return None

    def saved(_: object) -> Response:
        services.data_changed()
        return done(request, f"/finance/funds/{fund_key}", N_("The fund was saved."))

    return submit(form, save, lambda refused: _page(request, services, fund_key, refused), saved)


@router.post("/{fund_key}/withdraw")
def withdraw(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    fund_key: FundKey,
    answer: Withdrawal,
) -> Response:
    back = f"/finance/funds/{fund_key}"
    ask = Ask(
        N_("Withdraw this fund?"),
        N_(
            "The fund leaves the funds list, the leverage figures and the portfolio at once; "
            "its row and the day it was withdrawn are kept, and the audit log says who. "
            "Withdraw its investments first."
        ),
        N_("Withdraw"),
        f"{back}/withdraw",
        back,
        subject=fund_key,
    )

    def run(reason: str) -> None:
        services.finance_desk.withdraw(principal, "fund", fund_key, reason=reason)

    then = ("/finance", N_("The fund was withdrawn."))
    return withdrawal(request, answer, ask, run, then, services.data_changed)
