"""The programme indicators on a small registry: counted by approval (or appraisal) within the
span, not derivable (with the reason) when no programme project is recorded."""

from __future__ import annotations

from datetime import date

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.bootstrap import Database
from fourchain.domain.programmes import (
    AppraisalLevel,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
)
from tests.integration.programmes.seed import ADMIN, make_desk, seed_project


def _values(database: Database, span: tuple[int, int]) -> dict[str, float | None]:
    source = IbisIndicatorSource.from_engine(database.engine)
    return {i: v for i, _, v, _ in source.compute([], [span])}


def test_no_programme_project_recorded_is_not_derivable_with_the_reason(
    database: Database,
) -> None:
    missing = IbisIndicatorSource.from_engine(database.engine).missing()
    assert missing["key_tech_projects"] == "the programme_projects table holds no records"
    assert missing["leading_level_products"] == "the programme_outcomes table holds no records"


def test_projects_count_in_the_span_of_their_approval_and_products_of_their_appraisal(
    database: Database,
) -> None:
    desk = make_desk(database)
    project_id = seed_project(desk)
    for move, evidence in (
        (Move.FORMAL_CHECK, Evidence(date(2023, 3, 10))),
        (Move.SEND_TO_REVIEW, Evidence(date(2023, 3, 20))),
        (Move.APPROVE, Evidence(date(2023, 5, 1), "文号", public_funding=2_000_000)),
        (Move.CONTRACT, Evidence(date(2023, 6, 1), "RW-1", ends=date(2024, 6, 1))),
    ):
        desk.move(ADMIN, project_id, move, evidence)
    for n, level in enumerate(
        (AppraisalLevel.INTERNATIONAL_ADVANCED, AppraisalLevel.DOMESTIC_ADVANCED)
    ):
        desk.add_outcome(
            ADMIN,
            project_id,
            Outcome(OutcomeKind.PRODUCT, f"产品{n}", level, date(2024, 2, 1), "评价机构"),
        )
    inside = _values(database, (2021, 2025))
    assert inside["key_tech_projects"] == 1
    assert inside["national_major_projects_led"] == 0
    assert inside["leading_level_products"] == 1  # 国内先进 is below the bar
    assert inside["programme_funding"] == 2_000_000
    before = _values(database, (2018, 2022))
    assert before["key_tech_projects"] == 0 and before["leading_level_products"] == 0
