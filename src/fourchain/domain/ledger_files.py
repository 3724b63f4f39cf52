"""Whole-file rules of the capital chain's files: what the finance services check one record at
a time (`check_commitment`, `check_investment`, `check_disbursement`, `check_loan`,
`check_claim`), checked across a file's rows and the records already stored. A row that would
take a fund, a subsidy or a policy past its limit is an error at that row, saying the limit
and what the stored records and the file's earlier rows already hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fourchain.domain.finance import FundKind
from fourchain.errors import RowError

Row = Mapping[str, Any]
_CENT = 0.005


@dataclass(frozen=True)
class Cap:
    """Rows of a kind add up, per parent, to no more than the parent's limit."""

    parent_column: str  # the column naming the parent (fund, subsidy_id, policy_id)
    parent_kind: str  # the kind the limit comes from
    what_zh: str
    what_en: str


CAPS: dict[str, Cap] = {
    "fund_commitments": Cap(
        "fund", "funds", "认缴合计超过基金规模", "commitments beyond the fund's size"
    ),
    "investments": Cap(
        "fund", "fund_commitments", "投资合计超过已认缴", "investments beyond commitments"
    ),
    "subsidy_disbursements": Cap(
        "subsidy_id", "subsidies", "拨付合计超过补助金额", "disbursements beyond the subsidy"
    ),
    "insurance_claims": Cap(
        "policy_id", "insurance_policies", "赔付合计超过保额", "claims beyond the cover"
    ),
}

# The stored kinds each file's rules read.
NEEDS: dict[str, tuple[str, ...]] = {
    "fund_commitments": ("funds", "fund_commitments"),
    "investments": ("fund_commitments", "investments"),
    "subsidy_disbursements": ("subsidies", "subsidy_disbursements"),
    "insurance_claims": ("insurance_policies", "insurance_claims"),
    "loans": ("funds",),
}


def _live(rows: Iterable[Row]) -> list[Row]:
    """The rows not withdrawn: the book leaves a withdrawn record out, as the services do."""
    return [row for row in rows if row.get("withdrawn") is None]


def _limits(kind: str, held: Mapping[str, Sequence[Row]]) -> dict[str, float]:
    """Each parent's limit: a fund's size, its committed money (a withdrawn commitment gives
    none), a subsidy's amount, a cover. A withdrawn parent keeps its limit: its parts leave
    the book with it, so they are never over it."""
    if kind == "fund_commitments":
        return {str(f["key"]): float(f["size"]) for f in held["funds"]}
    if kind == "investments":
        committed: dict[str, float] = {}
        for c in _live(held["fund_commitments"]):
            committed[str(c["fund"])] = committed.get(str(c["fund"]), 0.0) + float(c["amount"])
        return committed
    if kind == "subsidy_disbursements":
        return {str(s["id"]): float(s["amount"]) for s in held["subsidies"]}
    return {str(p["id"]): float(p["cover"]) for p in held["insurance_policies"]}


def _money(amount: float) -> str:
    return f"{amount:,.0f}"


def _cap_errors(
    kind: str,
    file: str,
    records: Sequence[Row],
    rows: Sequence[int],
    held: Mapping[str, Sequence[Row]],
) -> list[RowError]:
    cap = CAPS[kind]
    limits = _limits(kind, held)
    in_file = {str(r["id"]) for r in records}
    total: dict[str, float] = {}
    for stored in _live(held[kind]):  # stored rows the file does not replace
        parent = stored.get(cap.parent_column)
        if parent is not None and str(stored["id"]) not in in_file:
            total[str(parent)] = total.get(str(parent), 0.0) + float(stored["amount"])
    errors: list[RowError] = []
    over: set[str] = set()
    for row, record in zip(rows, records, strict=True):
        parent = record.get(cap.parent_column)
        if parent is None or record.get("withdrawn") is not None:
            continue  # a withdrawn row takes nothing
        key = str(parent)
        before = total.get(key, 0.0)
        total[key] = before + float(record["amount"])
        limit = limits.get(key, 0.0)
        if total[key] > limit + _CENT and key not in over:
            over.add(key)  # one error per parent: the row that first goes past the limit
            reason = (
                f"{cap.what_zh} / {cap.what_en}: {cap.parent_column} {key} holds "
                f"{_money(limit)} yuan, {_money(before)} already taken (stored records and "
                f"this file's earlier rows), this row's {_money(float(record['amount']))} "
                "goes past it"
            )
            errors.append(RowError(file, row, "amount", reason))
    return errors


def _dated_errors(
    kind: str,
    file: str,
    records: Sequence[Row],
    rows: Sequence[int],
    held: Mapping[str, Sequence[Row]],
) -> list[RowError]:
    """A disbursement not before its award; a claim inside its policy's period."""
    errors: list[RowError] = []
    if kind == "subsidy_disbursements":
        awarded = {str(s["id"]): s["awarded_on"] for s in held["subsidies"]}
        for row, record in zip(rows, records, strict=True):
            on: date = record["paid_on"]
            start = awarded.get(str(record["subsidy_id"]))
            if start is not None and on < start:
                reason = f"拨付日期 {on} 早于立项 {start} / paid {on} before the award on {start}"
                errors.append(RowError(file, row, "paid_on", reason))
    if kind == "insurance_claims":
        period = {str(p["id"]): (p["starts"], p["ends"]) for p in held["insurance_policies"]}
        for row, record in zip(rows, records, strict=True):
            on = record["paid_on"]
            span = period.get(str(record["policy_id"]))
            if span is not None and not span[0] <= on <= span[1]:
                reason = (
                    f"赔付日期 {on} 不在保单期 {span[0]}–{span[1]} 内 / the claim on {on} is "
                    f"outside the policy period {span[0]}–{span[1]}"
                )
                errors.append(RowError(file, row, "paid_on", reason))
    return errors


def _guarantor_errors(
    file: str, records: Sequence[Row], rows: Sequence[int], held: Mapping[str, Sequence[Row]]
) -> list[RowError]:
    """A loan's guarantor is a credit-enhancement fund (科创增信子基金)."""
    kinds = {str(f["key"]): str(f["kind"]) for f in held["funds"]}
    errors: list[RowError] = []
    for row, record in zip(rows, records, strict=True):
        fund = record.get("guarantee_fund")
        if fund is None or str(fund) not in kinds:
            continue  # an unknown fund is the reference check's error
        if kinds[str(fund)] != FundKind.CREDIT_ENHANCEMENT.value:
            reason = (
                f"担保基金 {fund} 不是增信基金 / guarantor {fund} is not a credit-enhancement "
                f"fund (it is {kinds[str(fund)]})"
            )
            errors.append(RowError(file, row, "guarantee_fund", reason))
        elif not float(record["guaranteed_share"]) > 0:
            reason = "担保比例须大于 0 / a guaranteed loan's share must be above 0"
            errors.append(RowError(file, row, "guaranteed_share", reason))
    return errors


def ledger_file_errors(
    kind: str,
    file: str,
    records: Sequence[Row],
    rows: Sequence[int],
    held: Mapping[str, Iterable[Row]],
) -> list[RowError]:
    """The whole-file finance errors of a checked file of `kind` (none for other kinds);
    `held` holds the stored records of the kinds `NEEDS[kind]` names."""
    if kind not in NEEDS:
        return []
    stored = {name: list(held.get(name, ())) for name in NEEDS[kind]}
    if kind == "loans":
        return _guarantor_errors(file, records, rows, stored)
    return _cap_errors(kind, file, records, rows, stored) + _dated_errors(
        kind, file, records, rows, stored
    )
