"""The bureau's technology-contract forms: register, correct and withdraw a contract (技术合同)
in the browser, for bureau administrators (the market's records check the role and the
parties and write each change with its audit entry). Money is typed as the finance forms take
it (1,200,000 / 80万 / 0.8亿元), dates as 2025-03-01, 2025/3/1 or 2025年3月1日; a refused submit
shows the form again with what was typed and the reason beside its field; a withdrawal needs
its confirmation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.market import LABELS, ContractType, TechContract
from fourchain.entrypoints.web.date_fields import optional_day
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep
from fourchain.entrypoints.web.forms import Ask, Form, done, submit, typed
from fourchain.entrypoints.web.money_fields import money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.market import Id, RecordsDep, common
from fourchain.entrypoints.web.templating import render
from fourchain.entrypoints.web.withdrawals import Withdrawal, withdrawal
from fourchain.errors import InvalidInput
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/market", include_in_schema=False)

CONTRACT_FIELDS = ("number", "title", "seller", "buyer", "type", "value", "signed", "registered")
CONTRACT_LIMITS = {"number": 60, "title": 300, "seller": 200, "buyer": 200, "type": 30}
CONTRACT_LIMITS |= {"value": 30, "signed": 20, "registered": 20}
TypedContract = Annotated[Form, typed(CONTRACT_FIELDS, CONTRACT_LIMITS)]


def _day(form: Form, name: str) -> date | None:
    """A date as people type it: 2025-03-01, 2025/3/1, 2025年3月1日; empty is none."""
    return optional_day(form[name], name)


def _parse(services: ServicesDep, form: Form) -> TechContract:
    for name in ("number", "title", "seller", "buyer", "value", "signed"):
        if not form.stripped(name):
            raise InvalidInput(f"{name}: 必填 (required)")
    if form["type"] not in {t.value for t in ContractType}:
        raise InvalidInput("type: 请选择合同类型 (choose the contract type)")
    views = services.registry.views
    signed = _day(form, "signed")
    assert signed is not None
    return TechContract(
        number=form.stripped("number"),
        title=form.stripped("title"),
        seller=organisation_named(views, form["seller"], "seller"),
        buyer=organisation_named(views, form["buyer"], "buyer"),
        type=ContractType(form["type"]),
        value=money(form["value"], "value"),
        signed=signed,
        registered=_day(form, "registered"),
    )


def _form_page(
    request: Request, services: ServicesDep, form: Form, action: str, editing: bool
) -> Response:
    context = common(services) | {
        "form": form,
        "action": action,
        "editing": editing,
        "type_options": [(t.value, LABELS[t]) for t in ContractType],
    }
    return render(
        request, "market/contract_form.html", context, status_code=form.status, active="market"
    )


def _save(
    request: Request,
    services: ServicesDep,
    form: Form,
    action: str,
    save: Callable[[], object],
) -> Response:
    editing = action.endswith("/edit")

    def saved(_: object) -> Response:
        services.data_changed()  # the turnover and the lists show it at once
        message = N_("The contract was saved.") if editing else N_("The contract was registered.")
        return done(request, "/market/contracts", message)

    def show(refused: Form) -> Response:
        return _form_page(request, services, refused, action, editing)

    return submit(form, save, show, saved)


@router.get("/contracts/new")
def contract_form(request: Request, services: ServicesDep) -> Response:
    form = Form.blank(CONTRACT_FIELDS, type=ContractType.LICENCE.value)
    return _form_page(request, services, form, "/market/contracts", False)


@router.post("/contracts")
def register_contract(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    form: TypedContract,
) -> Response:
    def save() -> int:
        return records.register_contract(viewer, _parse(services, form))

    return _save(request, services, form, "/market/contracts", save)


@router.get("/contracts/{contract_id}/edit")
def edit_contract_form(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    contract_id: Id,
) -> Response:
    found = records.contract(viewer, contract_id)
    form = Form.blank(
        CONTRACT_FIELDS,
        number=found.number,
        title=found.title,
        seller=found.seller.id,
        buyer=found.buyer.id,
        type=found.type.value,
        value=f"{found.value:.2f}".rstrip("0").rstrip("."),
        signed=found.signed.isoformat(),
        registered=found.registered.isoformat() if found.registered else "",
    )
    action = f"/market/contracts/{contract_id}/edit"
    return _form_page(request, services, form, action, True)


@router.post("/contracts/{contract_id}/edit")
def edit_contract(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    contract_id: Id,
    form: TypedContract,
) -> Response:
    def save() -> int:
        records.edit_contract(viewer, contract_id, _parse(services, form))
        return contract_id

    return _save(request, services, form, f"/market/contracts/{contract_id}/edit", save)


@router.post("/contracts/{contract_id}/withdraw")
def withdraw_contract(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    contract_id: Id,
    answer: Withdrawal,
) -> Response:
    ask = Ask(
        N_("Withdraw the contract?"),
        N_("The contract leaves the lists and the turnover at once; its history is kept."),
        N_("Withdraw the contract"),
        f"/market/contracts/{contract_id}/withdraw",
        "/market/contracts",
    )

    def run(reason: str) -> None:
        records.withdraw_contract(viewer, contract_id, reason)

    then = ("/market/contracts", N_("The contract was withdrawn."))
    return withdrawal(request, answer, ask, run, then, services.data_changed)
