"""The demo market: every call state present, every stored call consistent with the workflow's
rules, the demo accounts given something to do, and > 600 cooperation projects in 2021–2025
at scale 1."""

from __future__ import annotations

import random
from datetime import date

import pytest

from fourchain.adapters.db.market_repo import market_units
from fourchain.bootstrap import Database
from fourchain.demo.build import build_demo
from fourchain.demo.market import City, _cooperation, build_market_demo
from fourchain.domain.accounts import Role
from fourchain.domain.challenge import ApplicationState, CallState, rank
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.errors import InvalidInput
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords

TODAY = date(2026, 6, 1)


@pytest.fixture
def demo(sqlite_database: Database) -> Database:
    build_demo(sqlite_database, seed=3, scale=0.02)
    build_market_demo(sqlite_database.engine, seed=3, scale=0.02, today=TODAY)
    return sqlite_database


def test_every_stored_call_is_one_the_workflow_could_have_produced(demo: Database) -> None:
    units = market_units(demo.engine, demo.audit_key)
    states = set()
    with units() as unit:
        for call in unit.challenges.calls(Viewer(Role.BUREAU_ADMIN)):
            assert call.id is not None
            case = unit.challenges.case(call.id)
            assert case is not None
            states.add(case.call.state)
            won = case.in_state(ApplicationState.WON)
            if case.call.state in (CallState.AWARDED, CallState.IN_DELIVERY, CallState.CLOSED):
                best = next(r for r in rank(case) if r.eligible)
                assert [a.id for a in won] == [best.application_id]
            else:
                assert won == []
            if case.call.state is CallState.CLOSED:
                assert all(
                    case.feedback.get(a.id or 0) for a in case.in_state(ApplicationState.NOT_WON)
                )
                assert all(m.accepted for m in case.milestones)
            for score in case.scores:
                declared = case.declaration(score.expert_id, score.application_id)
                assert declared is not None and not declared.conflicted
    assert states == set(CallState)


def test_the_demo_accounts_find_their_own_rows(demo: Database) -> None:
    units = market_units(demo.engine, demo.audit_key)
    records, desk = MarketRecords(units), ChallengeDesk(units, lambda: TODAY)
    with units() as unit:
        case = next(
            unit.challenges.case(c.id or 0)
            for c in unit.challenges.calls(Viewer(Role.BUREAU_ADMIN), CallState.UNDER_REVIEW)
        )
    assert case is not None
    expert = Viewer(Role.EXPERT_REVIEWER, expert_id="expert")
    demo_reviewer = case.reviewer("expert")
    assert demo_reviewer is not None and demo_reviewer.affiliation is not None
    institution = Viewer(Role.INSTITUTION_USER, demo_reviewer.affiliation)
    # The demo expert's desk excludes the demo institution's own application.
    own = [a for a in case.applications if a.applicant == demo_reviewer.affiliation]
    assert len(own) == 1
    desk_ids = {a.id for a in desk.view(expert, case.call.id or 0).applications}
    assert own[0].id not in desk_ids and len(desk_ids) == len(case.applications) - 1
    assert records.achievements(institution, None).total > 0
    enterprise_codes = {
        a.applicant.id for a in case.applications if a.applicant.kind is PartyKind.ENTERPRISE
    }
    demand_owners = {
        d.credit_code for d in records.demands(Viewer(Role.BUREAU_ADMIN)).items if d.confidential
    }
    assert enterprise_codes & demand_owners


def test_the_market_demo_needs_the_city_first(sqlite_database: Database) -> None:
    with pytest.raises(InvalidInput, match="build the city first"):
        build_market_demo(sqlite_database.engine, seed=1, scale=0.02)


def test_at_scale_1_more_than_600_cooperation_projects_fall_in_2021_to_2025() -> None:
    city = City(
        [("I1", "new_materials"), ("I2", None), ("I3", "biomedicine")],
        [("91350200MA00000011", "new_energy"), ("91350200MA00000022", None)],
        {},
        "91350200MA00000011",
        "I1",
    )
    awarded = [(1, 2021, Party(PartyKind.INSTITUTION, "I1"))]
    projects = _cooperation(random.Random(1), city, 1.0, awarded)
    in_window = [p for p in projects if 2021 <= p.year <= 2025]
    assert len(in_window) > 600
    assert {p.kind.value for p in in_window} == {"breakthrough", "challenge", "iur"}
