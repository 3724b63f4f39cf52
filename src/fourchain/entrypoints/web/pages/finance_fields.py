"""The money forms' fields: how a date and a required or optional text are read from what was
typed (amounts: `money_fields`), how a stored amount is shown for editing, and the table that
describes one kind of money record's pages (its inputs, parsing, the finance desk's calls, its
list columns and messages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fourchain.domain.accounts import Principal
from fourchain.entrypoints.web.date_fields import a_day
from fourchain.entrypoints.web.forms import Form
from fourchain.entrypoints.web.msgids import N_
from fourchain.errors import InvalidInput
from fourchain.services.finance_desk import FinanceDesk


def day(form: Form, name: str) -> date:
    return a_day(form[name], name)


def required(form: Form, name: str) -> str:
    if not form.stripped(name):
        raise InvalidInput(f"{name}: 必填 (required)")
    return form.stripped(name)


def or_none(form: Form, name: str) -> str | None:
    return form.stripped(name) or None


def yuan(value: object) -> str:
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


def recipient(row: dict[str, object]) -> dict[str, object]:
    return {"project": row["project_id"] or "", "enterprise": row["enterprise"] or ""}
