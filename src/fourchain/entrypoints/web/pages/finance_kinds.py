"""The bureau's four kinds of money record as the pages show them: investments, subsidies and
loans, and R&D insurance policies — each one table row of fields, parsing and messages."""

from __future__ import annotations

from fourchain.domain.finance import InsurancePolicy, Investment, Loan, Subsidy
from fourchain.entrypoints.web.forms import Form
from fourchain.entrypoints.web.money_fields import money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.finance_fields import (
    AMOUNT,
    RECIPIENT,
    Input,
    MoneyKind,
    day,
    or_none,
    recipient,
    required,
    yuan,
)
from fourchain.errors import InvalidInput

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
        required(f, "investor"),
        required(f, "round"),
        money(f["amount"]),
        day(f, "on"),
        or_none(f, "fund"),
        or_none(f, "project"),
        or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.invest(who, new),
    lambda desk, who, record_id, new: desk.edit_investment(who, record_id, new),
    lambda r: {
        "investor": r["investor"],
        "round": r["round"],
        "amount": yuan(r["amount"]),
        "on": r["invested_on"],
        "fund": r["fund"] or "",
        **recipient(r),
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
        required(f, "programme"),
        money(f["amount"]),
        day(f, "on"),
        f.stripped("conditions"),
        or_none(f, "project"),
        or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.award_subsidy(who, new),
    lambda desk, who, record_id, new: desk.edit_subsidy(who, record_id, new),
    lambda r: {
        "programme": r["programme"],
        "amount": yuan(r["amount"]),
        "on": r["awarded_on"],
        "conditions": r["conditions"] or "",
        **recipient(r),
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
        required(f, "bank"),
        money(f["amount"]),
        day(f, "on"),
        _months(f),
        or_none(f, "guarantee_fund"),
        _share(f),
        or_none(f, "project"),
        or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.lend(who, new),
    lambda desk, who, record_id, new: desk.edit_loan(who, record_id, new),
    lambda r: {
        "bank": r["bank"],
        "amount": yuan(r["amount"]),
        "on": r["lent_on"],
        "term_months": r["term_months"],
        "guarantee_fund": r["guarantee_fund"] or "",
        "guaranteed_share": yuan(r["guaranteed_share"]),
        **recipient(r),
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
        required(f, "insurer"),
        money(f["amount"]),
        money(f["cover"], "cover"),
        day(f, "on"),
        day(f, "ends"),
        or_none(f, "project"),
        or_none(f, "enterprise"),
    ),
    lambda desk, who, new: desk.insure(who, new),
    lambda desk, who, record_id, new: desk.edit_policy(who, record_id, new),
    lambda r: {
        "insurer": r["insurer"],
        "amount": yuan(r["premium"]),
        "cover": yuan(r["cover"]),
        "on": r["starts"],
        "ends": r["ends"],
        **recipient(r),
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
