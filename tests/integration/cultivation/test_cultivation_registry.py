"""The registry read for the batch gives what the per-enterprise profile gives, on SQLite and
PostgreSQL; the reserve pool, expiring certificates and the ladder read the same tables."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from fourchain.adapters.db.cultivation_repo import SqlCultivationStore
from fourchain.bootstrap import Database
from fourchain.domain.cultivation import RULE_SETS, assess, assessment_json
from fourchain.domain.registry import Certificate, Tier
from fourchain.errors import NotFound
from fourchain.services.cultivation import (
    PoolFilter,
    assess_registry,
    expiring,
    ladder_history,
    reserve_pool,
)
from tests.integration.cultivation.random_profiles import YEAR, profile, profiles
from tests.integration.cultivation.registry_fill import fill
from tests.integration.cultivation.test_batch_equals_per_row import _close


def test_the_registry_batch_matches_per_row_assessment_of_each_stored_profile(
    database: Database,
) -> None:
    sample = profiles(80, seed=7)
    with database.engine.begin() as connection:
        fill(connection, sample)
    with database.engine.connect() as connection:
        store = SqlCultivationStore(connection)
        tables = assess_registry(store, YEAR, rule_set_keys=list(RULE_SETS))
        founded_by_then = [
            p for p in sample if p.enterprise.founded is None or p.enterprise.founded.year <= YEAR
        ]
        assert len(tables[0].credit_codes) == len(founded_by_then)
        for table in tables:
            for row, code in enumerate(table.credit_codes):
                stored = store.profile(code)
                expected = assessment_json(assess(stored, YEAR, table.rule_set))
                _close(
                    assessment_json(table.explain(row)), expected, f"{table.rule_set.key} {code}"
                )


def _firm(index: int, district: str, share: float, held: list[Tier]) -> object:
    """A firm that meets the 2022 little-giant rules except, perhaps, the main-business share."""
    base = profile(random.Random(index), index)
    enterprise = replace(
        base.enterprise,
        founded=date(2010, 1, 1),
        niche_since=2015,
        district=district,
        rd_institution_level="provincial",
        key_chain_role="fills_gap",
    )
    years = {
        y: replace(
            row,
            revenue=2e8 * 1.1 ** (y - 2021),
            main_business_revenue=2e8 * 1.1 ** (y - 2021) * share,
            rd_expense=2e8 * 1.1 ** (y - 2021) * 0.05,
            total_assets=3e8,
            total_liabilities=1e8,
            niche_market_share=15.0,
            digital_level=3,
        )
        for y, row in base.years.items()
    }
    for y in range(2021, 2026):
        years.setdefault(y, replace(next(iter(base.years.values())), year=y))
    certificates = [
        Certificate(enterprise.credit_code, tier, date(2024, 1, 1), date(2026, 12, 31))
        for tier in held
    ]
    return replace(base, enterprise=enterprise, years=years, certificates=certificates)


def test_the_pool_ranks_candidates_by_gap_filters_by_district_and_leaves_out_holders(
    database: Database,
) -> None:
    firms = [
        _firm(1, "思明", 0.80, [Tier.SRDI_SME]),  # likely
        _firm(2, "思明", 0.66, [Tier.SRDI_SME]),  # near: share 66% < 70%
        _firm(3, "思明", 0.60, [Tier.SRDI_SME]),  # near, further
        _firm(4, "湖里", 0.80, [Tier.SRDI_SME]),  # another district
        _firm(5, "思明", 0.80, [Tier.SRDI_SME, Tier.LITTLE_GIANT]),  # already a little giant
        _firm(6, "思明", 0.30, [Tier.SRDI_SME]),  # not yet
    ]
    with database.engine.begin() as connection:
        fill(connection, firms)  # type: ignore[arg-type]
    with database.engine.connect() as connection:
        store = SqlCultivationStore(connection)
        pool = reserve_pool(store, YEAR, Tier.LITTLE_GIANT, where=PoolFilter(district="思明"))
    codes = [e.info.credit_code for e in pool]
    expected = [firms[i].enterprise.credit_code for i in (0, 1, 2)]  # type: ignore[attr-defined]
    assert codes == expected
    assert [e.verdict for e in pool] == ["likely", "near", "near"]
    assert pool[1].gap < pool[2].gap
    assert "主营业务收入占比" in pool[1].shortfalls[0]


def test_expiring_certificates_come_with_a_renewal_pre_screen(database: Database) -> None:
    firm = _firm(1, "思明", 0.80, [Tier.HNTE, Tier.SRDI_SME])
    with database.engine.begin() as connection:
        fill(connection, [firm])  # type: ignore[list-item]
    with database.engine.connect() as connection:
        store = SqlCultivationStore(connection)
        soon = expiring(store, date(2026, 7, 1), 6)
        later = expiring(store, date(2026, 7, 1), 5)
    assert sorted(r.certificate.tier.value for r in soon) == ["hnte", "srdi_sme"]
    assert {r.months_left for r in soon} == {5}
    assert all(r.assessment is not None and r.assessment.year == YEAR for r in soon)
    assert later == []


def test_the_ladder_history_shows_the_highest_tier_held_each_year(database: Database) -> None:
    firm = _firm(1, "思明", 0.80, [])
    code = firm.enterprise.credit_code  # type: ignore[attr-defined]
    firm.certificates = [  # type: ignore[attr-defined]
        Certificate(code, Tier.TECH_SME, date(2020, 5, 1), date(2021, 4, 30)),
        Certificate(code, Tier.HNTE, date(2021, 11, 1), date(2024, 10, 31)),
        Certificate(code, Tier.SRDI_SME, date(2023, 1, 1), date(2025, 12, 31)),
    ]
    with database.engine.begin() as connection:
        fill(connection, [firm])  # type: ignore[list-item]
    with database.engine.connect() as connection:
        store = SqlCultivationStore(connection)
        held, rungs = ladder_history(store, code, 2025)
        with pytest.raises(NotFound):
            ladder_history(store, "91350200MA00000099", 2025)
    assert [c.tier for c in held] == [Tier.TECH_SME, Tier.HNTE, Tier.SRDI_SME]
    assert [(r.year, r.highest) for r in rungs] == [
        (2020, Tier.TECH_SME),
        (2021, Tier.HNTE),
        (2022, Tier.HNTE),
        (2023, Tier.SRDI_SME),
        (2024, Tier.SRDI_SME),
        (2025, Tier.SRDI_SME),
    ]
