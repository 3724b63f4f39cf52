"""The rule sets the platform knows, and the choice of the version in force on a date."""

from __future__ import annotations

from datetime import date

from fourchain.domain.cultivation.model import RuleSet
from fourchain.domain.cultivation.rules_miit import (
    END_22,
    M22,
    M26,
    SRDI_2022,
    SRDI_2026,
    START_22,
    START_26,
    innovative_rule_set,
)
from fourchain.domain.cultivation.rules_most import HNTE_2016, TECH_SME_2017, TECH_SME_2022
from fourchain.domain.cultivation.rules_top import (
    LITTLE_GIANT_2022,
    LITTLE_GIANT_2026,
    SINGLE_CHAMPION_2023,
)
from fourchain.domain.registry import Tier, year_end
from fourchain.errors import InvalidInput, NotFound

INNOVATIVE_2022 = innovative_rule_set("2022", M22, "附件1", START_22, END_22)
INNOVATIVE_2026 = innovative_rule_set("2026", M26, "第三十条 沿用63号附件1", START_26, None)

RULE_SETS: dict[str, RuleSet] = {
    rs.key: rs
    for rs in (
        TECH_SME_2017,
        TECH_SME_2022,
        HNTE_2016,
        INNOVATIVE_2022,
        INNOVATIVE_2026,
        SRDI_2022,
        SRDI_2026,
        LITTLE_GIANT_2022,
        LITTLE_GIANT_2026,
        SINGLE_CHAMPION_2023,
    )
}


def parse_tier(text: str) -> Tier:
    try:
        return Tier(text)
    except ValueError:
        known = ", ".join(t.value for t in Tier)
        raise InvalidInput(f"unknown tier {text!r}; expected one of {known}") from None


def rule_set(key: str) -> RuleSet:
    try:
        return RULE_SETS[key]
    except KeyError:
        known = ", ".join(RULE_SETS)
        raise NotFound(f"no rule set {key!r}; known: {known}") from None


def in_force(tier: Tier, day: date) -> RuleSet | None:
    """The version of `tier`'s rules in force on `day` (None before the first version)."""
    for candidate in RULE_SETS.values():
        if candidate.tier is tier and candidate.in_force_on(day):
            return candidate
    return None


def for_year(
    year: int, tiers: list[Tier] | None = None, keys: list[str] | None = None
) -> list[RuleSet]:
    """The rule sets to assess `year` against: the named versions, else for each tier (all by
    default) the version in force on 31 December of `year`."""
    if keys:
        chosen = [rule_set(key) for key in keys]
        if tiers:
            chosen = [rs for rs in chosen if rs.tier in tiers]
        return chosen
    out = []
    for tier in tiers or list(Tier):
        found = in_force(tier, year_end(year))
        if found is not None:
            out.append(found)
    return out
