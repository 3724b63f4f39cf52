"""The registry's summary use case on the in-memory counts port (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.registry import InstitutionKind, Tier
from fourchain.services.registry import summarise
from tests.fakes.registry import FakeRegistryCounts


@pytest.fixture
def counts() -> FakeRegistryCounts:
    return FakeRegistryCounts(
        enterprises=[(date(2019, 3, 1), None), (date(2024, 5, 1), None), (None, date(2023, 1, 1))],
        certificates=[
            ("hnte", date(2022, 1, 1), date(2024, 12, 31)),
            ("hnte", date(2023, 1, 1), date(2025, 12, 31)),
            ("tech_sme", date(2024, 6, 1), date(2025, 6, 1)),
        ],
        institutions=[("university", None, None), ("incubator", date(2025, 1, 1), None)],
        patents=[("invention", date(2020, 1, 1), None), ("utility", date(2020, 1, 1), None)],
    )


@pytest.mark.parametrize(
    ("year", "enterprises", "hnte", "tech_sme", "incubators"),
    [(2022, 2, 1, 0, 0), (2024, 2, 2, 1, 0), (2025, 2, 1, 0, 1)],
)
def test_the_summary_counts_what_is_live_at_the_end_of_the_year(
    counts: FakeRegistryCounts,
    year: int,
    enterprises: int,
    hnte: int,
    tech_sme: int,
    incubators: int,
) -> None:
    found = summarise(counts, year)
    assert found.enterprises == enterprises
    assert found.certificates["hnte"] == hnte
    assert found.certificates["tech_sme"] == tech_sme
    assert found.institutions["incubator"] == incubators


def test_every_tier_and_institution_kind_appears_zero_included(
    counts: FakeRegistryCounts,
) -> None:
    found = summarise(counts, 2025)
    assert set(found.certificates) == {t.value for t in Tier}
    assert set(found.institutions) == {k.value for k in InstitutionKind}
    assert found.certificates["single_champion"] == 0
    assert found.patents == {"invention": 1, "utility": 1}
