"""Scenario changes as the CLI spells them, and the policy register's rules for one
enterprise (the policy calculator)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fourchain.domain.cultivation.model import Status
from fourchain.domain.foresight.policy import (
    REGISTER,
    EnterpriseFacts,
    Measure,
    RdSubsidy,
    TierReward,
    entitlement,
    entitlements,
    in_force,
    measure,
    measure_json,
)
from fourchain.domain.foresight.scenario import Change, moves, parse_change, parse_changes
from fourchain.domain.registry import Tier
from fourchain.errors import InvalidInput, NotFound


@pytest.mark.parametrize(
    ("text", "change", "applied"),
    [
        ("rd_expense=+10%", Change("rd_expense", 10, True), 110.0),
        ("rd_expense = -5.5 %", Change("rd_expense", -5.5, True), 94.5),
        ("class1_ip=+2", Change("class1_ip", 2, False), 102.0),
        ("st_staff=3", Change("st_staff", 3, False), 103.0),
    ],
)
def test_a_change_is_read_as_written_and_applied_to_a_value(
    text: str, change: Change, applied: float
) -> None:
    assert parse_change(text) == change
    assert change.apply(100.0) == pytest.approx(applied)


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["rd_expense"], "expected FIELD=+10%"),
        (["rd_expense=+ten%"], "expected FIELD=+10%"),
        (["credit_code=+1"], "cannot be changed"),
        (["rd_expense=-100%"], "leaves nothing"),
        (["rd_expense=+1%", "rd_expense=+2%"], "changed once"),
    ],
)
def test_a_bad_change_is_refused_naming_it(texts: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_changes(texts)


def test_a_change_prints_as_it_was_given() -> None:
    assert [c.text for c in parse_changes(["rd_expense=+10%", "class1_ip=-1"])] == [
        "rd_expense=+10%",
        "class1_ip=-1",
    ]


def test_moves_keep_only_changes_largest_first() -> None:
    found = moves({("near", "likely"): 3, ("near", "near"): 9, ("not_yet", "near"): 5})
    assert [m.as_json() for m in found] == [
        {"from": "not_yet", "to": "near", "n": 5},
        {"from": "near", "to": "likely", "n": 3},
    ]


REWARD = Measure(
    "r", "1", "奖", "reward", "doc", Status.SRC, date(2021, 1, 1), None, TierReward(Tier.HNTE, 5.0)
)
SUBSIDY = Measure(
    "s",
    "1",
    "补",
    "subsidy",
    "doc",
    Status.SRC,
    date(2021, 1, 1),
    date(2024, 12, 31),
    RdSubsidy(0.1, 30.0, (Tier.HNTE,)),
)


def _facts(
    held: set[Tier], likely: set[Tier], now: float | None, before: float | None
) -> EnterpriseFacts:
    return EnterpriseFacts("c", frozenset(held), frozenset(likely), now, before)


@pytest.mark.parametrize(
    ("facts", "reward", "subsidy"),
    [
        (_facts(set(), {Tier.HNTE}, 200, 100), 5.0, 10.0),  # likely, growth 100 → 10
        (_facts({Tier.HNTE}, {Tier.HNTE}, 200, 100), None, 10.0),  # holders get no reward
        (_facts({Tier.HNTE}, set(), 1000, 100), None, 30.0),  # the cap
        (_facts({Tier.HNTE}, set(), 100, 100), None, None),  # no growth
        (_facts({Tier.HNTE}, set(), None, 100), None, None),  # unknown spending
        (_facts({Tier.TECH_SME}, set(), 200, 100), None, None),  # not a qualifying tier
    ],
)
def test_the_register_pays_what_its_rules_say(
    facts: EnterpriseFacts, reward: float | None, subsidy: float | None
) -> None:
    got = [entitlement(m, facts) for m in (REWARD, SUBSIDY)]
    assert [None if e is None else e.amount for e in got] == [reward, subsidy]
    assert sum(e.amount for e in entitlements(facts, [REWARD, SUBSIDY])) == (reward or 0) + (
        subsidy or 0
    )


def test_measures_are_chosen_by_the_dates_they_are_in_force() -> None:
    register = (REWARD, SUBSIDY)
    assert in_force(2024, register) == [REWARD, SUBSIDY]
    assert in_force(2025, register) == [REWARD]
    assert in_force(2020, register) == []


def test_every_measure_of_the_register_is_cited_and_found_by_key_or_id() -> None:
    for m in REGISTER:
        assert m.basis and m.status and measure(m.key) is m and measure(m.id) is m
        shown = measure_json(m)
        assert shown["who"] and shown["what"] and shown["rule"]
    with pytest.raises(NotFound):
        measure("nothing")
