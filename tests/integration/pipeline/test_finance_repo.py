"""The capital chain in storage: money reaching a project joins its history, limits hold, and
every view's totals reconcile with the flows they came from."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.bootstrap import Database
from fourchain.domain.finance import (
    Claim,
    Commitment,
    Disbursement,
    Fund,
    FundKind,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
)
from fourchain.domain.pipeline import (
    GATES,
    STAGES,
    EventKind,
    PipelineEvent,
    ProjectExit,
)
from fourchain.errors import Conflict, TransitionRefused
from fourchain.services import finance
from fourchain.services.pipeline import states
from tests.integration.pipeline.conftest import GRADUATE, OTHER

NOW = datetime(2025, 1, 1)
RD, POC = STAGES[:2]


def _book_up(database: Database) -> None:
    with database.engine.begin() as connection:
        store, pipeline = SqlFinanceStore(connection), SqlPipelineStore(connection)
        pipeline.append_events(
            "P1",
            [
                PipelineEvent(EventKind.ENTERED_STAGE, date(2021, 1, 5), "o", stage=RD, trl=2),
            ],
            NOW,
        )
        store.add_funds(
            [
                Fund("venture", "科创风投基金", FundKind.VENTURE, 1_000.0),
                Fund("credit", "科创增信子基金", FundKind.CREDIT_ENHANCEMENT, 100.0, "venture"),
            ]
        )
        finance.commit(store, Commitment("venture", "市财政局", 250.0, True, date(2021, 1, 1)))
        finance.commit(store, Commitment("venture", "社会资本", 750.0, False, date(2021, 1, 1)))
        finance.invest(
            store,
            pipeline,
            Investment("科创风投基金", "angel", 100.0, date(2021, 6, 1), "venture", "P1"),
            "officer",
            NOW,
        )
        pipeline.append_events(
            "P1",
            [
                PipelineEvent(
                    EventKind.ENTERED_STAGE,
                    date(2022, 1, 5),
                    "o",
                    stage=POC,
                    trl=4,
                    evidence=GATES[POC].evidence,
                )
            ],
            NOW,
        )
        finance.invest(
            store,
            pipeline,
            Investment("红杉", "A", 300.0, date(2022, 6, 1), project="P1"),
            "officer",
            NOW,
        )
        sid = finance.award_subsidy(
            store, Subsidy("概念验证补助", 60.0, date(2022, 2, 1), "验收合格后拨付", "P1")
        )
        finance.disburse(store, pipeline, sid, Disbursement(date(2022, 7, 1), 40.0), "o", NOW)
        finance.lend(
            store,
            pipeline,
            Loan("厦门银行", 500.0, date(2023, 1, 1), 36, "credit", 0.8, enterprise=OTHER),
            "o",
            NOW,
        )
        pid = finance.insure(
            store, InsurancePolicy("厦研保", 3.0, 50.0, date(2022, 1, 1), date(2023, 12, 31), "P1")
        )
        finance.claim(store, pid, Claim(date(2023, 6, 1), 20.0, "中试失败"))


def test_money_reaching_a_project_is_a_funding_event_in_its_history(seeded: Database) -> None:
    _book_up(seeded)
    with seeded.engine.connect() as connection:
        events = SqlPipelineStore(connection).events("P1")
    funding = [(e.on, e.amount) for e in events if e.kind is EventKind.FUNDING]
    assert funding == [
        (date(2021, 6, 1), 100.0),
        (date(2022, 6, 1), 300.0),
        (date(2022, 7, 1), 40.0),
    ]


def test_capital_views_reconcile_with_the_sum_of_their_flows(seeded: Database) -> None:
    _book_up(seeded)
    with seeded.engine.connect() as connection:
        store, pipeline = SqlFinanceStore(connection), SqlPipelineStore(connection)
        derived = states(pipeline)
        view = finance.capital_view(store.book(), finance.places(store, pipeline, derived))
    # 100 from the quarter-public fund (25 public), 300 private, 40 subsidy, 500 loan, 20 claim.
    assert (view.overall.public, view.overall.private) == pytest.approx((65.0, 895.0))
    assert view.overall.leverage == pytest.approx(895 / 65, abs=1e-4)
    assert view.reconciliation.ok, view.reconciliation.problems
    assert view.by_stage["rd_institution"].total == pytest.approx(100.0)
    assert view.by_stage["proof_of_concept"].total == pytest.approx(360.0)
    assert view.by_stage["enterprise"].total == pytest.approx(500.0)
    for groups in (view.by_kind, view.by_stage, view.by_cluster, view.by_chain):
        assert sum(g.total for g in groups.values()) == pytest.approx(view.overall.total)
    assert view.by_cluster == {"new_energy": view.by_cluster["new_energy"]}
    venture, credit = _summaries(seeded)
    assert (venture.committed, venture.public_committed, venture.invested, venture.projects) == (
        1_000.0,
        250.0,
        100.0,
        1,
    )
    assert credit.committed == 0.0


def _summaries(database: Database) -> list[finance.FundSummary]:
    with database.engine.connect() as connection:
        return sorted(
            finance.fund_summaries(SqlFinanceStore(connection).book()),
            key=lambda s: s.fund.key != "venture",
        )


@pytest.mark.parametrize(
    ("act", "error", "message"),
    [
        (
            lambda s, p: finance.invest(
                s, p, Investment("v", "B", 901.0, date(2023, 1, 1), "venture", "P1"), "o", NOW
            ),
            Conflict,
            "uncommitted",
        ),
        (
            lambda s, p: finance.commit(s, Commitment("venture", "x", 1.0, True, date(2023, 1, 1))),
            Conflict,
            "over-committed",
        ),
        (
            lambda s, p: finance.invest(
                s, p, Investment("v", "B", 1.0, date(2020, 1, 1), project="P1"), "o", NOW
            ),
            TransitionRefused,
            "before the previous event",
        ),
    ],
)
def test_capital_writes_that_break_a_limit_or_the_history_write_nothing(
    seeded: Database, act: object, error: type, message: str
) -> None:
    _book_up(seeded)
    with seeded.engine.connect() as connection:
        before = (SqlFinanceStore(connection).book(), SqlPipelineStore(connection).events("P1"))
    with pytest.raises(error, match=message), seeded.engine.begin() as connection:
        act(SqlFinanceStore(connection), SqlPipelineStore(connection))  # type: ignore[operator]
    with seeded.engine.connect() as connection:
        after = (SqlFinanceStore(connection).book(), SqlPipelineStore(connection).events("P1"))
    assert after == before


def test_money_for_a_graduated_project_goes_to_its_enterprise(seeded: Database) -> None:
    _book_up(seeded)
    with seeded.engine.begin() as connection:
        SqlPipelineStore(connection).append_events(
            "P1",
            [
                PipelineEvent(
                    EventKind.EXIT,
                    date(2023, 7, 1),
                    "admin",
                    exit=ProjectExit.GRADUATED,
                    enterprise=GRADUATE,
                    by_admin=True,
                    override_reason="并购落地",
                )
            ],
            NOW,
        )
    with pytest.raises(TransitionRefused, match="left the pipeline"), seeded.engine.begin() as c:
        finance.invest(
            SqlFinanceStore(c),
            SqlPipelineStore(c),
            Investment("x", "B", 1.0, date(2024, 1, 1), project="P1"),
            "o",
            NOW,
        )
    with seeded.engine.begin() as c:
        store, pipeline = SqlFinanceStore(c), SqlPipelineStore(c)
        finance.invest(
            store,
            pipeline,
            Investment("x", "B", 7.0, date(2024, 1, 1), enterprise=GRADUATE),
            "o",
            NOW,
        )
        view = finance.capital_view(store.book(), finance.places(store, pipeline, states(pipeline)))
    assert view.by_stage["graduated"].total == 7.0
