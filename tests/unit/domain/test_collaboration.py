"""Open collaboration's pure rules: countries, network figures, the international share."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.collaboration import (
    JointProject,
    Membership,
    Partner,
    consecutive_years,
    international_share,
    network_figures,
    partners_by_country,
)

PARTNERS = {
    "a": Partner("a", "甲", "A", "BR", "university"),
    "b": Partner("b", "乙", "B", "BR", "incubator"),
    "c": Partner("c", "丙", "C", "CN", "enterprise"),
    "d": Partner("d", "丁", "D", "ZA", "university"),
}


def test_network_figures_count_members_on_the_day_their_countries_and_projects() -> None:
    members = [
        Membership("n", "a", date(2021, 1, 1)),
        Membership("n", "b", date(2021, 1, 1), left=date(2023, 1, 1)),
        Membership("n", "c", date(2024, 6, 1)),
        Membership("other", "d", date(2021, 1, 1)),
    ]
    projects = [
        JointProject(1, "x", "a", date(2022, 1, 1), "n"),
        JointProject(2, "y", "c", date(2026, 1, 1), "n"),
        JointProject(3, "z", "d", date(2022, 1, 1), "other"),
    ]
    at_2022 = network_figures("n", members, PARTNERS, projects, date(2022, 12, 31))
    assert (at_2022.institutions, at_2022.countries, at_2022.projects) == (2, 1, 1)
    at_2025 = network_figures("n", members, PARTNERS, projects, date(2025, 12, 31))
    assert (at_2025.institutions, at_2025.countries, at_2025.projects) == (2, 2, 1)
    assert at_2025.international_institutions == 1


def test_the_international_share_is_of_the_years_projects() -> None:
    projects = [
        JointProject(1, "x", "a", date(2024, 1, 1)),
        JointProject(2, "y", "c", date(2024, 2, 1)),
        JointProject(3, "z", "d", date(2024, 3, 1)),
        JointProject(4, "w", "c", date(2025, 3, 1)),
    ]
    assert international_share(projects, PARTNERS, 2024) == pytest.approx(200 / 3)
    assert international_share(projects, PARTNERS, 2025) == 0
    assert international_share(projects, PARTNERS, 2023) is None


def test_partners_by_country_largest_first() -> None:
    assert list(partners_by_country(PARTNERS.values()).items()) == [
        ("BR", 2),
        ("CN", 1),
        ("ZA", 1),
    ]


def test_consecutive_years_end_in_the_last() -> None:
    assert consecutive_years([2024, 2025, 2021], 2025) == 2
    assert consecutive_years([2024], 2025) == 0
