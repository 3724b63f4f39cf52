"""The capital chain's rules and computations: limits, leverage and reconciliation; and who
sees which personal fields on the talent chain."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.accounts import Principal, Role
from fourchain.domain.finance import (
    CapitalBook,
    Claim,
    Commitment,
    Disbursement,
    FlowKind,
    Fund,
    FundKind,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
    check_claim,
    check_commitment,
    check_disbursement,
    check_investment,
    check_loan,
    money_flows,
    money_in,
    reconcile,
    total,
)
from fourchain.domain.talent import (
    CONTACT_FIELDS,
    PUBLIC_FIELDS,
    REVIEW_FIELDS,
    Membership,
    Person,
    ProjectRole,
    check_membership,
    check_person,
    person_view,
    visible_fields,
)
from fourchain.errors import Conflict, InvalidInput

D = date(2023, 1, 1)
VENTURE = Fund("venture", "科创风投基金", FundKind.VENTURE, 1000.0)
GUARANTEE = Fund("credit", "增信子基金", FundKind.CREDIT_ENHANCEMENT, 100.0)
BOOK = CapitalBook(
    funds=(VENTURE, GUARANTEE),
    commitments=(
        Commitment("venture", "市财政", 300.0, True, D),
        Commitment("venture", "社会资本", 600.0, False, D),
        Commitment("credit", "市财政", 100.0, True, D),
    ),
    investments=(
        Investment("科创风投基金", "A", 90.0, D, fund="venture", project="P1"),
        Investment("天使投资人", "angel", 40.0, D, project="P2"),
    ),
    subsidies=(
        Subsidy("概念验证补助", 50.0, D, project="P1", disbursements=(Disbursement(D, 20.0),)),
    ),
    loans=(Loan("厦门银行", 200.0, D, 24, "credit", 0.8, enterprise="91350200MA2Y0000XX"),),
    policies=(
        InsurancePolicy(
            "厦研保", 2.0, 30.0, D, date(2024, 1, 1), "P2", claims=(Claim(D, 10.0, "x"),)
        ),
    ),
)


def test_money_flows_split_fund_investments_by_the_funds_public_share() -> None:
    flows = money_flows(BOOK)
    by_kind = money_in(flows, lambda f: f.kind.value)
    # The venture fund is one-third public, so 30 of its 90 are public money.
    assert by_kind[FlowKind.INVESTMENT].public == pytest.approx(30.0)
    assert by_kind[FlowKind.INVESTMENT].private == pytest.approx(60.0 + 40.0)
    assert by_kind[FlowKind.SUBSIDY].public == 20.0  # what was disbursed, not awarded
    assert by_kind[FlowKind.LOAN].private == 200.0
    assert by_kind[FlowKind.INSURANCE_CLAIM].private == 10.0


def test_leverage_is_private_yuan_per_public_yuan() -> None:
    overall = total(money_flows(BOOK))
    assert overall.public == pytest.approx(50.0)
    assert overall.private == pytest.approx(310.0)
    assert overall.leverage == pytest.approx(6.2)
    assert total([]).leverage is None


@pytest.mark.parametrize(
    "key",
    [lambda f: f.kind.value, lambda f: f.project or "enterprise", lambda f: str(f.on.year)],
)
def test_every_grouping_of_money_in_reconciles_with_the_sum_of_the_flows(key: object) -> None:
    groups = money_in(money_flows(BOOK), key)  # type: ignore[arg-type]
    assert sum(g.total for g in groups.values()) == pytest.approx(total(money_flows(BOOK)).total)
    assert reconcile(BOOK, {"view": groups}).ok


def test_reconciliation_reports_a_view_that_loses_money_and_an_overdrawn_fund() -> None:
    groups = money_in(money_flows(BOOK), lambda f: f.kind.value)
    del groups[FlowKind.LOAN]
    overdrawn = CapitalBook(
        funds=(VENTURE,),
        commitments=(Commitment("venture", "x", 10.0, True, D),),
        investments=(Investment("x", "A", 50.0, D, fund="venture", project="P"),),
    )
    assert reconcile(BOOK, {"by kind": groups}).problems == [
        "by kind: groups add to 160.00, flows to 360.00"
    ]
    assert reconcile(overdrawn, {}).problems == ["fund venture: invested 50.00 > committed 10.00"]


@pytest.mark.parametrize(
    ("check", "error", "message"),
    [
        (
            lambda: check_commitment(
                VENTURE, BOOK.commitments[:2], Commitment("venture", "y", 101.0, False, D)
            ),
            Conflict,
            "over-committed",
        ),
        (
            lambda: check_commitment(VENTURE, (), Commitment("venture", "y", 0.0, False, D)),
            InvalidInput,
            "must be positive, got 0.0",
        ),
        (
            lambda: check_investment(
                VENTURE, BOOK.commitments[:2], 890.0, Investment("v", "B", 20.0, D, "venture", "P")
            ),
            Conflict,
            "10 yuan uncommitted",
        ),
        (
            lambda: check_investment(None, (), 0.0, Investment("v", "B", 20.0, D)),
            InvalidInput,
            "exactly one project or one enterprise",
        ),
        (
            lambda: check_disbursement(BOOK.subsidies[0], Disbursement(D, 31.0)),
            Conflict,
            "over-disbursed",
        ),
        (
            lambda: check_disbursement(BOOK.subsidies[0], Disbursement(date(2022, 1, 1), 1.0)),
            InvalidInput,
            "before the award",
        ),
        (
            lambda: check_loan(Loan("b", 10.0, D, 12, "venture", 0.5, project="P"), VENTURE),
            InvalidInput,
            "not a credit-enhancement fund",
        ),
        (
            lambda: check_loan(Loan("b", 10.0, D, 12, "credit", 1.5, project="P"), GUARANTEE),
            InvalidInput,
            "guaranteed share must be in",
        ),
        (
            lambda: check_claim(BOOK.policies[0], Claim(D, 21.0, "fail")),
            Conflict,
            "exceed the cover",
        ),
        (
            lambda: check_claim(BOOK.policies[0], Claim(date(2025, 1, 1), 1.0, "late")),
            InvalidInput,
            "outside the policy period",
        ),
    ],
)
def test_capital_writes_beyond_what_backs_them_are_refused(
    check: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        check()  # type: ignore[operator]


@pytest.mark.parametrize(
    "check",
    [
        lambda: check_commitment(
            VENTURE, BOOK.commitments[:2], Commitment("venture", "y", 100.0, False, D)
        ),
        lambda: check_investment(
            VENTURE, BOOK.commitments[:2], 890.0, Investment("v", "B", 10.0, D, "venture", "P")
        ),
        lambda: check_disbursement(BOOK.subsidies[0], Disbursement(D, 30.0)),
        lambda: check_loan(BOOK.loans[0], GUARANTEE),
        lambda: check_claim(BOOK.policies[0], Claim(D, 20.0, "fail")),
    ],
)
def test_capital_writes_up_to_the_limit_are_accepted(check: object) -> None:
    check()  # type: ignore[operator]


PERSON = Person("p1", "林晓", "inst-1", "固态电池", "lin@example.cn")


@pytest.mark.parametrize(
    ("viewer", "fields"),
    [
        (Principal(), PUBLIC_FIELDS),
        (Principal(1, "a", Role.BUREAU_ANALYST), CONTACT_FIELDS),
        (Principal(1, "a", Role.INSTITUTION_USER, institution="inst-1"), CONTACT_FIELDS),
        (Principal(1, "a", Role.INSTITUTION_USER, institution="inst-9"), PUBLIC_FIELDS),
        (Principal(1, "a", Role.ENTERPRISE_USER, enterprise="E1"), CONTACT_FIELDS),
        (Principal(1, "a", Role.ENTERPRISE_USER, enterprise="E2"), PUBLIC_FIELDS),
        (Principal(1, "a", Role.EXPERT_REVIEWER), REVIEW_FIELDS),
    ],
)
def test_each_viewer_sees_only_the_personal_fields_their_role_needs(
    viewer: Principal, fields: tuple[str, ...]
) -> None:
    shown = visible_fields(viewer, host_institutions=frozenset({"inst-1"}), enterprise="E1")
    assert shown == fields
    assert set(person_view(PERSON, shown)) == set(fields)


@pytest.mark.parametrize(
    ("person", "message"),
    [(Person("p", " "), "needs an id and a name"), (Person("p", "x", email="no"), "not an email")],
)
def test_a_person_without_a_name_or_with_a_bad_email_is_refused(
    person: Person, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_person(person)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (Membership("p1", "P", ProjectRole.FOUNDER, D), "already on project"),
        (Membership("p2", "P", ProjectRole.LEAD_SCIENTIST, D), "already has a lead scientist"),
    ],
)
def test_a_project_has_one_lead_scientist_and_a_person_one_role(
    new: Membership, message: str
) -> None:
    existing = [Membership("p1", "P", ProjectRole.LEAD_SCIENTIST, D)]
    with pytest.raises(InvalidInput, match=message):
        check_membership(existing, new)
    check_membership(existing, Membership("p2", "P", ProjectRole.FOUNDER, D))
