"""A fund recorded, edited and withdrawn in the browser, for bureau administrators (the new
fund linked from the funds list, the rest from the fund's page): the finance desk checks the
role and the book and writes each change with its audit entry; a refused submit shows the form
again with what was typed and the reason beside its field; a withdrawal needs its confirmation
and a reason, and is refused while live money rests on the fund."""

from __future__ import annotations

import re
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
LIMITS = {"key": 40, "name": 200, "kind": 30, "size": 30, "parent": 40}
FundForm = Annotated[Form, typed(FIELDS, LIMITS)]
# A new fund: its key first (it names the fund in links and never changes).
NEW_FIELDS = ("key", *FIELDS)
NewFundForm = Annotated[Form, typed(NEW_FIELDS, LIMITS)]
KEY = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def _page(request: Request, services: ServicesDep, key: str, form: Form) -> Response:
    """The fund's form: editing fund `key`, or recording a new one when `key` is ""."""
    with services.pipeline.reading() as stores:
        funds = stores.finance.book().funds
    context: dict[str, Any] = {
        "key": key,
        "creating": not key,
        "form": form,
        "kinds": [(k.value, FUND_LABELS[k]) for k in FundKind],
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


def _new_key(form: Form) -> str:
    key = form.stripped("key")
    if not key:
        raise InvalidInput("key: 必填 (required)")
    if not KEY.fullmatch(key):
        raise InvalidInput(
            "key: 只能用字母、数字、_ . - (letters, digits, '_', '.' or '-' only, e.g. xm_angel)"
        )
    if key == "new":  # the new fund's own form is at /finance/funds/new
        raise InvalidInput("key: new 已被占用 (taken: choose another key)")
    return key


@router.get("/new")
def new_form(request: Request, services: ServicesDep) -> Response:
    return _page(request, services, "", Form.blank(NEW_FIELDS, kind=FundKind.VENTURE.value))


@router.post("")
def create(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    form: NewFundForm,
) -> Response:
    def save() -> str:
        key = _new_key(form)
        services.finance_desk.create_fund(principal, _parse(key, form))
        return key

    def saved(key: str) -> Response:
        services.data_changed()
        return done(request, f"/finance/funds/{key}", N_("The fund was recorded."))

    return submit(form, save, lambda refused: _page(request, services, "", refused), saved)


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
