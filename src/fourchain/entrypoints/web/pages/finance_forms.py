"""The bureau's money forms: investments, subsidies and loans listed, recorded, edited and
withdrawn in the browser, by bureau administrators (the finance desk checks the role, the
fund's commitments and the book, and writes each change with its audit entry). One table of
kinds drives the pages; a refused submit shows the form again with what was typed and the
reason beside its field; a withdrawal needs its confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from fourchain.domain.accounts import Principal
from fourchain.domain.finance import InsurancePolicy, Investment, Loan, Subsidy
from fourchain.entrypoints.web.deps import CurrentPrincipal, ServicesDep
from fourchain.entrypoints.web.forms import Ask, Form, confirmation, done, submit, typed
from fourchain.entrypoints.web.money_fields import money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.finance_desk import FinanceDesk

router = APIRouter(prefix="/finance", include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]


def _day(form: Form, name: str) -> date:
    try:
        return date.fromisoformat(form.stripped(name).replace("/", "-"))
    except ValueError:
        raise InvalidInput(
            f"{name}: 日期应如 2025-03-01 (a date like 2025-03-01, not {form[name]!r})"
        ) from None


def _text(form: Form, name: str) -> str:
    if not form.stripped(name):
        raise InvalidInput(f"{name}: 必填 (required)")
    return form.stripped(name)


def _or_none(form: Form, name: str) -> str | None:
    return form.stripped(name) or None


def _yuan(value: object) -> str:
    return f"{float(str(value)):.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Input:
    """One field of a money form: its name, caption (a msgid), kind and help."""

    name: str
    caption: str
    type: str = "text"  # text, date, money, fund, area
    required: bool = False
    help: str = ""
    limit: int = 200


@dataclass(frozen=True)
class MoneyKind:
    """A money record's pages: its path, fields, parsing and the desk's calls."""

    path: str  # investments, subsidies, loans
    kind: str  # the desk's kind
    title: str
    new_title: str
    edit_title: str
    inputs: tuple[Input, ...]
    parse: Callable[[Form], Any]
    create: Callable[[FinanceDesk, Principal, Any], object]
    edit: Callable[[FinanceDesk, Principal, int, Any], None]
    values: Callable[[dict[str, object]], dict[str, object]]
    columns: tuple[tuple[str, str], ...]  # (caption msgid, column); "amount" in 万元
    recorded: str
    saved: str
    withdrawn: str
    empty: str
    warning: str
    money: str = "amount"  # the column listed in 万元, and its caption
    money_caption: str = N_("Amount (10k yuan)")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)


RECIPIENT = (
    Input(
        "project",
        N_("Incubation project"),
        help=N_("The project's number, or leave empty and name the enterprise."),
        limit=40,
    ),
    Input("enterprise", N_("Enterprise (credit code)"), limit=18),
)
AMOUNT = Input(
    "amount",
    N_("Amount (yuan)"),
    "money",
    True,
    N_("Yuan, e.g. 3000000, 300万 or 0.03亿元."),
    30,
)


def _recipient(row: dict[str, object]) -> dict[str, object]:
    return {"project": row["project_id"] or "", "enterprise": row["enterprise"] or ""}


INVESTMENTS = MoneyKind(
    "investments",
    "investments",
    N_("Investment records"),
    N_("Record an investment"),
    N_("Edit the investment"),
    (
        Input("investor", N_("Investor"), required=True),
        Input("round", N_("Round"), required=True, help=N_("e.g. angel, A, B"), limit=30),
        AMOUNT,
        Input("on", N_("Date"), "date", True, limit=20),
        Input("fund", N_("Fund"), "fund", limit=40),
        *RECIPIENT,
    ),
    lambda f: Investment(
        _text(f, "investor"),
        _text(f, "round"),
        money(f["amount"]),
        _day(f, "on"),
        _or_none(f, "fund"),
        _or_none(f, "project"),
        _or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.invest(who, new),
    lambda desk, who, record_id, new: desk.edit_investment(who, record_id, new),
    lambda r: {
        "investor": r["investor"],
        "round": r["round"],
        "amount": _yuan(r["amount"]),
        "on": r["invested_on"],
        "fund": r["fund"] or "",
        **_recipient(r),
    },
    ((N_("Investor"), "investor"), (N_("Round"), "round"), (N_("Date"), "invested_on")),
    N_("The investment was recorded."),
    N_("The investment was saved."),
    N_("The investment was withdrawn."),
    N_("No investments recorded yet."),
    N_("The investment leaves the capital book and every figure; its record and audit "
       "history stay."),
)  # fmt: skip

SUBSIDIES = MoneyKind(
    "subsidies",
    "subsidies",
    N_("Subsidy records"),
    N_("Record a subsidy"),
    N_("Edit the subsidy"),
    (
        Input("programme", N_("Programme"), required=True),
        AMOUNT,
        Input("on", N_("Date awarded"), "date", True, limit=20),
        Input("conditions", N_("Conditions"), "area", limit=2000),
        *RECIPIENT,
    ),
    lambda f: Subsidy(
        _text(f, "programme"),
        money(f["amount"]),
        _day(f, "on"),
        f.stripped("conditions"),
        _or_none(f, "project"),
        _or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.award_subsidy(who, new),
    lambda desk, who, record_id, new: desk.edit_subsidy(who, record_id, new),
    lambda r: {
        "programme": r["programme"],
        "amount": _yuan(r["amount"]),
        "on": r["awarded_on"],
        "conditions": r["conditions"] or "",
        **_recipient(r),
    },
    ((N_("Programme"), "programme"), (N_("Date awarded"), "awarded_on")),
    N_("The subsidy was recorded."),
    N_("The subsidy was saved."),
    N_("The subsidy was withdrawn."),
    N_("No subsidies recorded yet."),
    N_("The subsidy and its disbursements leave the capital book and every figure; its "
       "record and audit history stay."),
)  # fmt: skip


def _share(form: Form) -> float:
    text = form.stripped("guaranteed_share") or "0"
    try:
        share = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise InvalidInput(
            f"guaranteed_share: 担保比例应如 0.5 或 50% (a share like 0.5 or 50%, not {text!r})"
        ) from None
    if not 0 <= share <= 1:
        raise InvalidInput("guaranteed_share: 担保比例须在 0–1 之间 (between 0 and 1)")
    return share


def _months(form: Form) -> int:
    text = form.stripped("term_months")
    if not text.isdigit() or not 1 <= int(text) <= 600:
        raise InvalidInput(f"term_months: 期限应为 1–600 个月 (1–600 months, not {text!r})")
    return int(text)


LOANS = MoneyKind(
    "loans",
    "loans",
    N_("Loan records"),
    N_("Record a loan"),
    N_("Edit the loan"),
    (
        Input("bank", N_("Bank"), required=True),
        AMOUNT,
        Input("on", N_("Date lent"), "date", True, limit=20),
        Input("term_months", N_("Term (months)"), required=True, limit=4),
        Input("guarantee_fund", N_("Guarantee fund"), "fund", limit=40),
        Input(
            "guaranteed_share",
            N_("Guaranteed share"),
            help=N_("A share from 0 to 1, e.g. 0.5; only with a guarantee fund."),
            limit=10,
        ),
        *RECIPIENT,
    ),
    lambda f: Loan(
        _text(f, "bank"),
        money(f["amount"]),
        _day(f, "on"),
        _months(f),
        _or_none(f, "guarantee_fund"),
        _share(f),
        _or_none(f, "project"),
        _or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.lend(who, new),
    lambda desk, who, record_id, new: desk.edit_loan(who, record_id, new),
    lambda r: {
        "bank": r["bank"],
        "amount": _yuan(r["amount"]),
        "on": r["lent_on"],
        "term_months": r["term_months"],
        "guarantee_fund": r["guarantee_fund"] or "",
        "guaranteed_share": _yuan(r["guaranteed_share"]),
        **_recipient(r),
    },
    ((N_("Bank"), "bank"), (N_("Date lent"), "lent_on"), (N_("Term (months)"), "term_months")),
    N_("The loan was recorded."),
    N_("The loan was saved."),
    N_("The loan was withdrawn."),
    N_("No loans recorded yet."),
    N_("The loan leaves the capital book and every figure; its record and audit history "
       "stay."),
)  # fmt: skip

POLICIES = MoneyKind(
    "insurance",
    "insurance_policies",
    N_("R&D insurance policies"),
    N_("Record a policy"),
    N_("Edit the policy"),
    (
        Input("insurer", N_("Insurer"), required=True),
        Input("amount", N_("Premium (yuan)"), "money", True, AMOUNT.help, 30),
        Input("cover", N_("Cover (yuan)"), "money", True, AMOUNT.help, 30),
        Input("on", N_("Starts"), "date", True, limit=20),
        Input("ends", N_("Ends"), "date", True, limit=20),
        *RECIPIENT,
    ),
    lambda f: InsurancePolicy(
        _text(f, "insurer"),
        money(f["amount"]),
        money(f["cover"], "cover"),
        _day(f, "on"),
        _day(f, "ends"),
        _or_none(f, "project"),
        _or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.insure(who, new),
    lambda desk, who, record_id, new: desk.edit_policy(who, record_id, new),
    lambda r: {
        "insurer": r["insurer"],
        "amount": _yuan(r["premium"]),
        "cover": _yuan(r["cover"]),
        "on": r["starts"],
        "ends": r["ends"],
        **_recipient(r),
    },
    ((N_("Insurer"), "insurer"), (N_("Starts"), "starts"), (N_("Ends"), "ends")),
    N_("The policy was recorded."),
    N_("The policy was saved."),
    N_("The policy was withdrawn."),
    N_("No policies recorded yet."),
    N_("The policy and its claims leave the capital book and every figure; its record and "
       "audit history stay."),
    "cover",
    N_("Cover (10k yuan)"),
)  # fmt: skip

KINDS = {k.path: k for k in (INVESTMENTS, SUBSIDIES, LOANS, POLICIES)}


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
    if answer["confirmed"] != "yes":  # asked once more, saying what will happen
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
        return confirmation(request, ask)
    services.finance_desk.withdraw(principal, kind.kind, record_id)
    services.data_changed()
    return done(request, f"/finance/{kind.path}", kind.withdrawn)


Confirmation = Annotated[Form, typed(("confirmed",))]


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
        confirmation: Confirmation,
    ) -> Response:
        return _withdraw(request, services, principal, kind, record_id, confirmation)

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
