"""The programme desk on both backends: a project moved stage by stage, each move audited in its
own transaction, a refused move leaving nothing behind, and the reads with their filters."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.bootstrap import Database
from fourchain.domain.accounts import Role
from fourchain.domain.audit import Action
from fourchain.domain.market import Viewer
from fourchain.domain.programmes import (
    AppraisalLevel,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
    ProgrammeKind,
    Stage,
)
from fourchain.errors import InvalidInput, PermissionDenied, TransitionRefused
from fourchain.services.programmes import ProgrammeDesk, ProjectFilter
from tests.integration.programmes.seed import ADMIN, ANALYST, LEAD, XMU, make_desk, seed_project


@pytest.fixture
def desk(database: Database) -> ProgrammeDesk:
    return make_desk(database)


def _actions(database: Database) -> list[str]:
    return [e.event.action for e in database.audit_trail().store.in_order()]


def test_a_project_moves_to_acceptance_and_each_move_is_audited(
    desk: ProgrammeDesk, database: Database
) -> None:
    project_id = seed_project(desk)
    steps = [
        (Move.FORMAL_CHECK, Evidence(date(2023, 3, 10))),
        (Move.SEND_TO_REVIEW, Evidence(date(2023, 4, 1))),
        (Move.APPROVE, Evidence(date(2023, 5, 1), "厦科〔2023〕8号", public_funding=2_500_000)),
        (Move.CONTRACT, Evidence(date(2023, 6, 1), "RW-2023-1", ends=date(2025, 5, 31))),
        (Move.MID_TERM_CHECK, Evidence(date(2024, 6, 1), "中期报告")),
        (Move.ACCEPT, Evidence(date(2025, 6, 20), "验收意见书")),
    ]
    for move, evidence in steps:
        desk.move(ADMIN, project_id, move, evidence)
    desk.add_outcome(
        ADMIN,
        project_id,
        Outcome(
            OutcomeKind.PRODUCT,
            "碳化硅外延片",
            AppraisalLevel.INTERNATIONAL_ADVANCED,
            date(2025, 7, 1),
            "省科技厅",
        ),
    )
    with pytest.raises(InvalidInput, match="no patent 'CN000000000'"):
        desk.add_outcome(ADMIN, project_id, Outcome(OutcomeKind.PATENT, "CN000000000"))
    with pytest.raises(InvalidInput, match="no achievement"):
        desk.add_outcome(ADMIN, project_id, Outcome(OutcomeKind.ACHIEVEMENT, "77"))
    view = desk.project(ANALYST, project_id)
    assert view.project.stage is Stage.ACCEPTED
    assert view.project.public_budget == 2_500_000
    assert [e.move for e in view.project.history] == [m for m, _ in steps]
    assert view.project.outcomes[0].level is AppraisalLevel.INTERNATIONAL_ADVANCED
    assert view.names[XMU] == "厦门大学"
    assert _actions(database).count(Action.PROGRAMME_STEP) == len(steps)
    ((programme, cluster, public, raised),) = desk.funding(ANALYST)
    assert (programme.key, cluster, public, raised) == (
        "key_rd",
        "new_display",
        2_500_000,
        5_000_000,
    )


def test_a_refused_move_writes_neither_the_stage_nor_an_audit_entry(
    desk: ProgrammeDesk, database: Database
) -> None:
    project_id = seed_project(desk)
    before = _actions(database)
    with pytest.raises(TransitionRefused, match="cannot approve"):
        desk.move(
            ADMIN, project_id, Move.APPROVE, Evidence(date(2023, 4, 1), "文号", public_funding=1)
        )
    assert desk.project(ADMIN, project_id).project.stage is Stage.APPLIED
    assert _actions(database) == before


def test_review_uses_the_challenge_panel_without_the_parties_own_experts(
    desk: ProgrammeDesk,
) -> None:
    project_id = seed_project(desk)
    desk.move(ADMIN, project_id, Move.FORMAL_CHECK, Evidence(date(2023, 3, 10)))
    # three outside experts remain once XMU's own is set aside: enough
    desk.move(ADMIN, project_id, Move.SEND_TO_REVIEW, Evidence(date(2023, 3, 11)))


def test_only_the_bureau_moves_or_reads_projects(desk: ProgrammeDesk) -> None:
    project_id = seed_project(desk)
    with pytest.raises(PermissionDenied):
        desk.move(ANALYST, project_id, Move.FORMAL_CHECK, Evidence(date(2023, 3, 10)))
    with pytest.raises(PermissionDenied):
        desk.projects(Viewer(Role.ENTERPRISE_USER, LEAD))


def test_projects_are_listed_with_filters(desk: ProgrammeDesk) -> None:
    seed_project(desk)
    assert desk.projects(ANALYST).total == 1
    assert (
        desk.projects(ANALYST, ProjectFilter(kind=ProgrammeKind.BREAKTHROUGH, year=2023)).total == 1
    )
    assert desk.projects(ANALYST, ProjectFilter(stage=Stage.APPROVED)).total == 0
    assert desk.projects(ANALYST, ProjectFilter(lead=LEAD)).names[LEAD] == "厦门甲科技"


def test_a_declared_conflict_takes_the_expert_off_the_review(
    desk: ProgrammeDesk, database: Database
) -> None:
    project_id = seed_project(desk)
    desk.move(ADMIN, project_id, Move.FORMAL_CHECK, Evidence(date(2023, 3, 10)))
    expert = Viewer(Role.EXPERT_REVIEWER, expert_id="e0", username="e0")
    desk.declare(expert, project_id, conflicted=True, statement="曾任牵头单位顾问", today=DAY)
    with pytest.raises(TransitionRefused, match="2 reviewers remain"):
        desk.move(ADMIN, project_id, Move.SEND_TO_REVIEW, Evidence(date(2023, 3, 11)))
    with pytest.raises(TransitionRefused, match="already made"):
        desk.declare(expert, project_id, conflicted=False, statement="", today=DAY)
    with pytest.raises(TransitionRefused, match="not on the call's panel"):
        desk.declare(ADMIN, project_id, conflicted=False, statement="", today=DAY, expert_id="zz")
    with pytest.raises(PermissionDenied):
        desk.declare(ANALYST, project_id, conflicted=False, statement="", today=DAY)
    assert _actions(database).count(Action.COI_DECLARED) == 1


DAY = date(2023, 3, 10)
