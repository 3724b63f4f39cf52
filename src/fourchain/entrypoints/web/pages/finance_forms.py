"""The bureau's money forms: investments listed, recorded, edited and withdrawn in the
browser, by bureau administrators (the finance desk checks the role, the fund's commitments
and the book, and writes each change with its audit entry). A refused submit shows the form
again with what was typed and the reason beside its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fourchain.domain.finance import Investment
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Form, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, NotFound

router = APIRouter(prefix="/finance", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
FIELDS = ("investor", "round", "amount", "on", "fund", "project", "enterprise")
LIMITS = {"investor": 200, "round": 30, "amount": 30, "on": 20, "fund": 40, "project": 40}
LIMITS["enterprise"] = 18
TypedInvestment = Annotated[Form, typed(FIELDS, LIMITS)]
_UNITS = {"亿元": 1e8, "亿": 1e8, "万元": 1e4, "万": 1e4, "元": 1.0}


def _amount(text: str) -> float:
    """Yuan as people type them: 3000000, 3,000,000, 300万, 0.03亿元."""
    raw = text.strip().replace(",", "").replace("，", "")
    factor = 1.0
    for unit, times in _UNITS.items():
        if raw.endswith(unit):
            raw, factor = raw[: -len(unit)].strip(), times
            break
    try:
        value = float(raw) * factor
    except ValueError:
        raise InvalidInput(
            f"amount: 金额应如 3000000、300万 或 0.03亿元 (yuan, e.g. 3000000 or 300万; "
            f"not {text!r})"
        ) from None
    if not value > 0:
        raise InvalidInput("amount: 金额须大于 0 (the amount must be positive)")
    return value


def _investment(form: Form) -> Investment:
    try:
        on = date.fromisoformat(form.stripped("on").replace("/", "-"))
    except ValueError:
        raise InvalidInput(
            f"on: 日期应如 2025-03-01 (a date like 2025-03-01, not {form['on']!r})"
        ) from None
    for name in ("investor", "round"):
        if not form.stripped(name):
            raise InvalidInput(f"{name}: 必填 (required)")
    return Investment(
        form.stripped("investor"),
        form.stripped("round"),
        _amount(form["amount"]),
        on,
        form.stripped("fund") or None,
        form.stripped("project") or None,
        form.stripped("enterprise") or None,
    )


def _funds(services: ServicesDep) -> list[tuple[str, str]]:
    with services.pipeline.reading() as stores:
        return [(f.key, f"{f.name} ({f.key})") for f in stores.finance.book().funds]


def _form_page(request: Request, services: ServicesDep, form: Form, action: str) -> Response:
    context: dict[str, Any] = {
        "form": form,
        "action": action,
        "editing": action.endswith("/edit"),
        "funds": _funds(services),
    }
    return render(
        request,
        "finance/investment_form.html",
        context,
        status_code=form.status,
        active="finance",
    )


def _save(
    request: Request,
    services: ServicesDep,
    form: Form,
    action: str,
    save: Callable[[], None],
    message: str,
) -> Response:
    def saved(_: None) -> Response:
        services.data_changed()
        return done(request, "/finance/investments", message)

    def show(refused: Form) -> Response:
        return _form_page(request, services, refused, action)

    return submit(form, save, show, saved)


@router.get("/investments")
def investments(request: Request, services: ServicesDep) -> Response:
    """The investments recorded (not withdrawn), each with its edit and withdraw."""
    with services.pipeline.reading() as stores:
        rows = stores.finance.money_records("investments")
    context = {"rows": rows}
    return render(request, "finance/investments.html", context, active="finance")


@router.get("/investments/new")
def new_investment(request: Request, services: ServicesDep) -> Response:
    return _form_page(request, services, Form.blank(FIELDS), "/finance/investments")


@router.post("/investments")
def record_investment(
    request: Request, services: ServicesDep, principal: CurrentPrincipal, form: TypedInvestment
) -> Response:
    desk = services.finance_desk

    def save() -> None:
        desk.invest(principal, _investment(form))

    message = N_("The investment was recorded.")
    return _save(request, services, form, "/finance/investments", save, message)


@router.get("/investments/{record_id}/edit")
def edit_investment_form(request: Request, services: ServicesDep, record_id: Id) -> Response:
    with services.pipeline.reading() as stores:
        found = stores.finance.money_record("investments", record_id)
    if found is None or found.get("withdrawn") is not None:
        raise NotFound(f"没有投资 {record_id} (no investment {record_id})")
    values = {
        "investor": found["investor"],
        "round": found["round"],
        "amount": f"{float(str(found['amount'])):.2f}".rstrip("0").rstrip("."),
        "on": str(found["invested_on"]),
        "fund": found["fund"] or "",
        "project": found["project_id"] or "",
        "enterprise": found["enterprise"] or "",
    }
    form = Form.blank(FIELDS, **{k: str(v) for k, v in values.items()})
    return _form_page(request, services, form, f"/finance/investments/{record_id}/edit")


@router.post("/investments/{record_id}/edit")
def edit_investment(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    record_id: Id,
    form: TypedInvestment,
) -> Response:
    desk = services.finance_desk

    def save() -> None:
        desk.edit_investment(principal, record_id, _investment(form))

    action = f"/finance/investments/{record_id}/edit"
    message = N_("The investment was saved.")
    return _save(request, services, form, action, save, message)


@router.post("/investments/{record_id}/withdraw")
def withdraw_investment(
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    record_id: Id,
    confirmation: Annotated[Form, typed(("confirmed",))],
) -> Response:
    """Withdraw only once confirmed (the confirm box posts confirmed=yes)."""
    if confirmation["confirmed"] != "yes":
        raise InvalidInput("confirmed: 请先确认撤回 (confirm the withdrawal first)")
    services.finance_desk.withdraw(principal, "investments", record_id)
    services.data_changed()
    return done(request, "/finance/investments", N_("The investment was withdrawn."))
