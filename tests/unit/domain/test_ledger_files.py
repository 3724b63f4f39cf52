"""Whole-file finance rules: a file's rows and the stored records together stay within each
fund's size and committed money, each subsidy's amount and each policy's cover."""

from __future__ import annotations

from datetime import date
from typing import Any

from fourchain.domain.ledger_files import ledger_file_errors

D = date(2025, 3, 1)


def _where(errors: list[Any]) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in errors]


def test_commitments_past_a_funds_size_are_refused_at_the_row_that_goes_past_it() -> None:
    held = {
        "funds": [{"key": "f1", "size": 100.0}, {"key": "f2", "size": 50.0}],
        "fund_commitments": [
            {"id": 1, "fund": "f1", "amount": 60.0},
            {"id": 2, "fund": "f2", "amount": 50.0},  # replaced by the file's row 2
        ],
    }
    records = [
        {"id": 2, "fund": "f2", "amount": 10.0},
        {"id": 3, "fund": "f1", "amount": 30.0},
        {"id": 4, "fund": "f1", "amount": 20.0},  # 60 + 30 + 20 > 100
        {"id": 5, "fund": "f1", "amount": 5.0},  # the same fund: one error is enough
    ]
    errors = ledger_file_errors("fund_commitments", "c.csv", records, [2, 3, 4, 5], held)
    assert _where(errors) == [(4, "amount")]
    assert "100 yuan, 90 already taken" in errors[0].reason


def test_investments_stay_within_the_money_committed_to_their_fund() -> None:
    held = {
        "fund_commitments": [{"id": 1, "fund": "f1", "amount": 100.0}],
        "investments": [{"id": 9, "fund": "f1", "amount": 90.0}],
    }
    records = [
        {"id": 10, "fund": None, "amount": 1e9},  # not a fund's money
        {"id": 11, "fund": "f1", "amount": 10.0},
        {"id": 12, "fund": "f1", "amount": 0.01},
    ]
    errors = ledger_file_errors("investments", "i.csv", records, [2, 3, 4], held)
    assert _where(errors) == [(4, "amount")]
    assert not ledger_file_errors("investments", "i.csv", records[:2], [2, 3], held)


def test_disbursements_and_claims_keep_to_their_subsidy_and_policy() -> None:
    subsidies = {
        "subsidies": [{"id": 1, "amount": 100.0, "awarded_on": D}],
        "subsidy_disbursements": [],
    }
    paid = [
        {"id": 1, "subsidy_id": 1, "amount": 60.0, "paid_on": date(2025, 2, 1)},
        {"id": 2, "subsidy_id": 1, "amount": 60.0, "paid_on": D},
    ]
    errors = ledger_file_errors("subsidy_disbursements", "d.csv", paid, [2, 3], subsidies)
    assert _where(errors) == [(3, "amount"), (2, "paid_on")]
    policies = {
        "insurance_policies": [{"id": 1, "cover": 10.0, "starts": D, "ends": date(2026, 3, 1)}],
        "insurance_claims": [],
    }
    claims = [{"id": 1, "policy_id": 1, "amount": 5.0, "paid_on": date(2027, 1, 1)}]
    errors = ledger_file_errors("insurance_claims", "c.csv", claims, [2], policies)
    assert _where(errors) == [(2, "paid_on")]


def test_a_loan_is_guaranteed_only_by_a_credit_enhancement_fund() -> None:
    held = {
        "funds": [{"key": "vc", "kind": "venture"}, {"key": "ce", "kind": "credit_enhancement"}]
    }
    loans = [
        {"id": 1, "guarantee_fund": "vc", "guaranteed_share": 0.5},
        {"id": 2, "guarantee_fund": "ce", "guaranteed_share": 0.5},
        {"id": 3, "guarantee_fund": "ce", "guaranteed_share": 0.0},
        {"id": 4, "guarantee_fund": None, "guaranteed_share": 0.0},
    ]
    errors = ledger_file_errors("loans", "l.csv", loans, [2, 3, 4, 5], held)
    assert _where(errors) == [(2, "guarantee_fund"), (4, "guaranteed_share")]


def test_kinds_without_whole_file_rules_have_no_such_errors() -> None:
    assert ledger_file_errors("funds", "f.csv", [{"key": "x"}], [2], {}) == []


def test_withdrawn_rows_take_nothing_and_a_withdrawn_commitment_gives_nothing() -> None:
    gone = date(2025, 1, 15)
    held = {
        "fund_commitments": [
            {"id": 1, "fund": "f1", "amount": 100.0, "withdrawn": None},
            {"id": 2, "fund": "f1", "amount": 500.0, "withdrawn": gone},  # gives nothing
        ],
        "investments": [{"id": 9, "fund": "f1", "amount": 90.0, "withdrawn": gone}],
    }
    records = [
        {"id": 10, "fund": "f1", "amount": 100.0, "withdrawn": None},  # 90 withdrawn: room
        {"id": 11, "fund": "f1", "amount": 400.0, "withdrawn": gone},  # withdrawn: takes none
    ]
    assert not ledger_file_errors("investments", "i.csv", records, [2, 3], held)
    live = [{**records[1], "withdrawn": None}]  # live, it goes past the 100 committed
    errors = ledger_file_errors("investments", "i.csv", [records[0], *live], [2, 3], held)
    assert _where(errors) == [(3, "amount")]
    assert "100 yuan, 100 already taken" in errors[0].reason
