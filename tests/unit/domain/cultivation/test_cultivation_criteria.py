"""Every threshold criterion at, just below and just above its edge, inclusive or exclusive
exactly as criteria.md words it (≥ / ≤ / < …), plus its unknown case; the manual criteria;
the revenue bands of the HNTE R&D ratio and of the little giant's R&D intensity."""

from __future__ import annotations

import pytest

from fourchain.domain.cultivation.catalogue import FEATURES
from fourchain.domain.cultivation.evaluate import assess_features
from fourchain.domain.cultivation.explain import result_id
from fourchain.domain.cultivation.model import (
    AllOf,
    AnyOf,
    Banded,
    Criterion,
    Manual,
    Outcome,
    Threshold,
    Unit,
)
from fourchain.domain.cultivation.rulesets import RULE_SETS

MET, UNMET, UNKNOWN, MANUAL = Outcome.MET, Outcome.UNMET, Outcome.UNKNOWN, Outcome.MANUAL

# (rule set, criterion, feature, edge, as worded). Edges from ../shared/domain/criteria.md.
THRESHOLDS = [
    ("tech_sme-2017", "employees", "employees", 500, "<="),
    ("tech_sme-2017", "revenue", "revenue", 200000000.0, "<="),
    ("tech_sme-2017", "total_assets", "total_assets", 200000000.0, "<="),
    ("tech_sme-2017", "no_incident", "incident_2y", 0, "<="),
    ("tech_sme-2017", "not_dishonest", "dishonest_2y", 0, "<="),
    ("tech_sme-2017", "evaluation.score_route.st_score_nonzero", "st_share", 10, ">="),
    ("tech_sme-2017", "evaluation.direct_hnte", "hnte_held", 1, ">="),
    ("tech_sme-2017", "evaluation.direct_rd_institution", "rd_level", 2, ">="),
    ("tech_sme-2017", "evaluation.direct_standard", "standards_5y", 1, ">="),
    ("tech_sme-2022", "employees", "employees", 500, "<="),
    ("tech_sme-2022", "revenue", "revenue", 200000000.0, "<="),
    ("tech_sme-2022", "total_assets", "total_assets", 200000000.0, "<="),
    ("tech_sme-2022", "no_incident", "incident_2y", 0, "<="),
    ("tech_sme-2022", "not_dishonest", "dishonest_2y", 0, "<="),
    ("tech_sme-2022", "evaluation.score_route.st_score_nonzero", "st_share", 10, ">="),
    ("tech_sme-2022", "evaluation.direct_hnte", "hnte_held", 1, ">="),
    ("tech_sme-2022", "evaluation.direct_rd_institution", "rd_level", 2, ">="),
    ("tech_sme-2022", "evaluation.direct_standard", "standards_5y", 1, ">="),
    ("hnte-2016", "registered", "registered_years", 1, ">="),
    ("hnte-2016", "core_ip", "ip_total", 1, ">="),
    ("hnte-2016", "st_staff_share", "st_share", 10, ">="),
    ("hnte-2016", "rd_domestic", "rd_domestic_share_3y", 60, ">="),
    ("hnte-2016", "hitech_revenue", "hitech_share", 60, ">="),
    ("hnte-2016", "no_incident", "incident_1y", 0, "<="),
    ("innovative_sme-2022", "sme_size.sme_employees", "employees", 1000, "<"),
    ("innovative_sme-2022", "sme_size.sme_revenue", "revenue", 400000000.0, "<"),
    ("innovative_sme-2022", "not_dishonest", "dishonest_1y", 0, "<="),
    ("innovative_sme-2022", "no_incident", "incident_1y", 0, "<="),
    ("innovative_sme-2022", "evaluation.direct_hnte", "hnte_held", 1, ">="),
    ("innovative_sme-2022", "evaluation.direct_rd_institution", "rd_level", 2, ">="),
    ("innovative_sme-2022", "evaluation.direct_equity", "equity_3y", 5000000.0, ">="),
    ("innovative_sme-2026", "sme_size.sme_employees", "employees", 1000, "<"),
    ("innovative_sme-2026", "sme_size.sme_revenue", "revenue", 400000000.0, "<"),
    ("innovative_sme-2026", "not_dishonest", "dishonest_1y", 0, "<="),
    ("innovative_sme-2026", "no_incident", "incident_1y", 0, "<="),
    ("innovative_sme-2026", "evaluation.direct_hnte", "hnte_held", 1, ">="),
    ("innovative_sme-2026", "evaluation.direct_rd_institution", "rd_level", 2, ">="),
    ("innovative_sme-2026", "evaluation.direct_equity", "equity_3y", 5000000.0, ">="),
    ("srdi_sme-2022", "niche_years", "niche_years", 2, ">="),
    ("srdi_sme-2022", "rd_amount", "rd_expense", 1000000.0, ">="),
    ("srdi_sme-2022", "rd_ratio", "rd_ratio_1y", 3, ">="),
    ("srdi_sme-2022", "revenue_or_equity.revenue", "revenue", 10000000.0, ">="),
    ("srdi_sme-2022", "revenue_or_equity.equity", "equity_2y", 20000000.0, ">="),
    ("srdi_sme-2022", "evaluation.direct_rd", "rd_avg_2y", 10000000.0, ">="),
    ("srdi_sme-2022", "evaluation.direct_equity", "equity_2y", 60000000.0, ">="),
    ("srdi_sme-2026", "title.tech_sme", "tech_sme_held", 1, ">="),
    ("srdi_sme-2026", "title.innovative_sme", "innovative_sme_held", 1, ">="),
    ("srdi_sme-2026", "niche_years", "niche_years", 3, ">="),
    ("srdi_sme-2026", "revenue_or_equity.revenue", "revenue", 15000000.0, ">="),
    ("srdi_sme-2026", "revenue_or_equity.equity", "equity_2y", 20000000.0, ">="),
    ("srdi_sme-2026", "main_share", "main_share", 80, ">="),
    ("srdi_sme-2026", "debt_ratio", "debt_ratio", 80, "<="),
    ("srdi_sme-2026", "rd_amount", "rd_min_2y", 1000000.0, ">="),
    ("srdi_sme-2026", "rd_ratio", "rd_ratio_min_2y", 3, ">="),
    ("srdi_sme-2026", "class1_ip.ip", "class1_ip", 1, ">="),
    ("srdi_sme-2026", "class1_ip.rd_institution", "rd_level", 2, ">="),
    ("little_giant-2022", "srdi_title", "srdi_sme_held", 1, ">="),
    ("little_giant-2022", "niche_years", "niche_years", 3, ">="),
    ("little_giant-2022", "main_share", "main_share", 70, ">="),
    ("little_giant-2022", "main_growth", "main_growth_2y", 5, ">="),
    ("little_giant-2022", "info_system", "digital_level", 2, ">="),
    ("little_giant-2022", "debt_ratio", "debt_ratio", 70, "<="),
    ("little_giant-2022", "niche_share", "niche_share", 10, ">="),
    ("little_giant-2022", "innovation.rd_intensity.equity", "equity_2y", 80000000.0, ">="),
    ("little_giant-2022", "innovation.rd_intensity.rd_total", "rd_sum_2y", 30000000.0, ">="),
    ("little_giant-2022", "innovation.rd_intensity.rd_staff", "rd_staff_share", 50, ">="),
    ("little_giant-2022", "innovation.rd_institution", "rd_level", 1, ">="),
    ("little_giant-2022", "innovation.class1_ip", "class1_ip", 2, ">="),
    ("little_giant-2022", "chain_role", "chain_role", 2, ">="),
    ("little_giant-2026", "srdi_title", "srdi_sme_held", 1, ">="),
    ("little_giant-2026", "niche_years", "niche_years", 3, ">="),
    ("little_giant-2026", "revenue", "revenue", 50000000.0, ">="),
    ("little_giant-2026", "main_share", "main_share", 90, ">="),
    ("little_giant-2026", "revenue_cagr", "revenue_cagr_2y", 5, ">="),
    ("little_giant-2026", "debt_ratio", "debt_ratio", 75, "<="),
    ("little_giant-2026", "rd_total", "rd_sum_2y", 12000000.0, ">="),
    ("little_giant-2026", "rd_ratio", "rd_ratio_min_2y", 3, ">="),
    ("little_giant-2026", "class1_ip", "class1_ip_self_developed", 4, ">="),
    ("little_giant-2026", "market_share", "niche_share", 10, ">="),
    ("little_giant-2026", "product_field", "chain_role", 1, ">="),
    ("single_champion-2023", "years_in_field", "niche_years", 10, ">="),
    (
        "single_champion-2023",
        "main_revenue.main_revenue_400m",
        "main_revenue_avg_3y",
        400000000.0,
        ">=",
    ),
    ("single_champion-2023", "main_revenue.srdi_200m.srdi_title.srdi", "srdi_sme_held", 1, ">="),
    (
        "single_champion-2023",
        "main_revenue.srdi_200m.srdi_title.giant",
        "little_giant_held",
        1,
        ">=",
    ),
    (
        "single_champion-2023",
        "main_revenue.srdi_200m.main_revenue_200m",
        "main_revenue_avg_3y",
        200000000.0,
        ">=",
    ),
    ("single_champion-2023", "global_rank", "global_rank", 3, "<="),
    ("single_champion-2023", "rd_institution", "rd_level", 2, ">="),
    ("single_champion-2023", "standards", "standards_3y", 1, ">="),
    ("single_champion-2023", "conversions", "conversions_3y", 1, ">="),
    ("single_champion-2023", "no_incident", "incident_2y", 0, "<="),
    ("single_champion-2023", "not_dishonest", "dishonest_2y", 0, "<="),
]

# What each wording gives just below, at and just above its edge.
EXPECTED = {
    ">=": (UNMET, MET, MET),
    ">": (UNMET, UNMET, MET),
    "<=": (MET, MET, UNMET),
    "<": (MET, UNMET, UNMET),
}
STEP = {Unit.PERCENT: 0.01, Unit.YUAN: 1.0}


# The parts of a band's all-of exist only inside that band.
CONTEXT = {"innovation.rd_intensity.": {"revenue": 4e7}}


def outcome_of(key: str, criterion: str, values: dict[str, float | None]) -> Outcome:
    for prefix, extra in CONTEXT.items():
        if criterion.startswith(prefix):
            values = {**extra, **values}
    assessment = assess_features(values, 2025, RULE_SETS[key])
    found = {result_id(r): r.outcome for r in assessment.results}
    return found[criterion]


@pytest.mark.parametrize(("key", "criterion", "feature", "edge", "wording"), THRESHOLDS)
def test_a_threshold_criterion_is_decided_at_its_edge_exactly_as_worded(
    key: str, criterion: str, feature: str, edge: float, wording: str
) -> None:
    step = STEP.get(FEATURES[feature].unit, 1.0)
    for value, expected in zip((edge - step, edge, edge + step), EXPECTED[wording], strict=True):
        if value < 0 and FEATURES[feature].unit is not Unit.PERCENT:
            continue  # no negative counts, flags or money amounts
        assert outcome_of(key, criterion, {feature: value}) is expected, (value, expected)


@pytest.mark.parametrize(("key", "criterion", "feature", "edge", "wording"), THRESHOLDS)
def test_a_threshold_criterion_whose_input_is_missing_is_unknown(
    key: str, criterion: str, feature: str, edge: float, wording: str
) -> None:
    assert outcome_of(key, criterion, {feature: None}) is UNKNOWN


def _leaves(criterion: Criterion, parent: str | None = None) -> list[tuple[str, Criterion]]:
    full = criterion.id if parent is None else f"{parent}.{criterion.id}"
    test = criterion.test
    if isinstance(test, AnyOf | AllOf):
        return [leaf for part in test.parts for leaf in _leaves(part, full)]
    if isinstance(test, Banded):
        inner = [b.test for b in test.bands if isinstance(b.test, AllOf)]
        return [(full, criterion)] + [
            leaf for t in inner for p in t.parts for leaf in _leaves(p, full)
        ]
    return [(full, criterion)]


def test_every_threshold_criterion_of_every_rule_set_is_in_the_boundary_table() -> None:
    tabled = {(key, criterion) for key, criterion, *_ in THRESHOLDS}
    missing = [
        (key, full)
        for key, rule_set in RULE_SETS.items()
        for top in rule_set.criteria
        for full, leaf in _leaves(top)
        if isinstance(leaf.test, Threshold) and (key, full) not in tabled
    ]
    assert missing == []


MANUALS = [
    ("hnte-2016", "key_field"),
    ("srdi_sme-2026", "market_share"),
    ("srdi_sme-2026", "development_score"),
    ("little_giant-2022", "governance"),
    ("little_giant-2022", "brand"),
    ("little_giant-2022", "product_field"),
    ("little_giant-2026", "development_score"),
    ("single_champion-2023", "technology"),
    ("single_champion-2023", "international_revenue"),
    ("single_champion-2023", "management"),
]


@pytest.mark.parametrize(("key", "criterion"), MANUALS)
def test_a_criterion_that_needs_an_expert_is_left_for_manual_review(
    key: str, criterion: str
) -> None:
    assert isinstance(next(c for c in RULE_SETS[key].criteria if c.id == criterion).test, Manual)
    assert outcome_of(key, criterion, {}) is MANUAL


# HNTE 第十一条(五): ≥5% up to 50 million inclusive; ≥4% above 50 up to 200 million inclusive;
# ≥3% above 200 million.
HNTE_RD_BANDS = [
    (0.0, 4.99, UNMET),
    (5e7, 4.99, UNMET),
    (5e7, 5.0, MET),
    (5e7 + 1, 3.99, UNMET),
    (5e7 + 1, 4.0, MET),
    (2e8, 3.99, UNMET),
    (2e8, 4.0, MET),
    (2e8 + 1, 2.99, UNMET),
    (2e8 + 1, 3.0, MET),
    (None, 9.0, UNKNOWN),
    (1e8, None, UNKNOWN),
]


@pytest.mark.parametrize(("revenue", "ratio", "expected"), HNTE_RD_BANDS)
def test_the_hnte_rd_ratio_is_judged_against_the_band_of_last_year_revenue(
    revenue: float | None, ratio: float | None, expected: Outcome
) -> None:
    values = {"revenue": revenue, "rd_ratio_3y": ratio}
    assert outcome_of("hnte-2016", "rd_ratio", values) is expected


# 小巨人 2022 创新能力(一): revenue ≥ 100 million → ≥3%; 50–100 million → ≥6%; below 50
# million → equity ≥ 80m and R&D ≥ 30m and R&D staff ≥ 50%, in both of the last 2 years.
LG_BANDS = [
    ({"revenue": 1e8, "rd_ratio_min_2y": 3.0}, MET),
    ({"revenue": 1e8, "rd_ratio_min_2y": 2.99}, UNMET),
    ({"revenue": 1e8 - 1, "rd_ratio_min_2y": 5.99}, UNMET),
    ({"revenue": 5e7, "rd_ratio_min_2y": 6.0}, MET),
    ({"revenue": 5e7 - 1, "rd_ratio_min_2y": 50.0}, UNKNOWN),
    ({"revenue": 4e7, "equity_2y": 8e7, "rd_sum_2y": 3e7, "rd_staff_share": 50.0}, MET),
    ({"revenue": 4e7, "equity_2y": 8e7, "rd_sum_2y": 3e7, "rd_staff_share": 49.99}, UNMET),
    ({"revenue": 4e7, "equity_2y": 8e7 - 1, "rd_sum_2y": 3e7, "rd_staff_share": 60.0}, UNMET),
]


@pytest.mark.parametrize(("values", "expected"), LG_BANDS)
def test_the_little_giant_rd_intensity_follows_its_revenue_band(
    values: dict[str, float | None], expected: Outcome
) -> None:
    assert outcome_of("little_giant-2022", "innovation.rd_intensity", values) is expected


ANY_OF = [
    ({"employees": 999.0, "revenue": 5e8}, MET),
    ({"employees": 1000.0, "revenue": 4e8 - 1}, MET),
    ({"employees": 1000.0, "revenue": 4e8}, UNMET),
    ({"employees": 1000.0, "revenue": None}, UNKNOWN),
    ({"employees": None, "revenue": 1.0}, MET),
]


@pytest.mark.parametrize(("values", "expected"), ANY_OF)
def test_an_any_of_criterion_is_met_by_one_part_and_unknown_only_when_no_part_decides(
    values: dict[str, float | None], expected: Outcome
) -> None:
    assert outcome_of("innovative_sme-2022", "sme_size", values) is expected


def test_an_unmet_any_of_reports_the_gap_of_its_nearest_part() -> None:
    values = {"revenue": 9e6, "equity_2y": 1e7}
    assessment = assess_features(values, 2025, RULE_SETS["srdi_sme-2022"])
    result = next(r for r in assessment.results if result_id(r) == "revenue_or_equity")
    assert result.outcome is UNMET
    assert result.gap is not None and result.gap.relative == pytest.approx(0.1)
    assert "营业收入" in result.gap.text_zh
