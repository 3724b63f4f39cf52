"""Scored indicators at their band edges, expert-judged ranges, expert scores, pass marks."""

from __future__ import annotations

import pytest

from fourchain.domain.cultivation.evaluate import assess_features
from fourchain.domain.cultivation.explain import result_id
from fourchain.domain.cultivation.model import Outcome
from fourchain.domain.cultivation.rulesets import RULE_SETS
from fourchain.errors import InvalidInput

V = dict[str, float | None]
ITEMS: list[tuple[str, str, V, tuple[float, float]]] = [
    # HNTE 指引: IP count A ≥1 class I 7–8; B ≥5 class II 5–6; C 3–4 → 3–4; D 1–2 → 1–2; E 0
    ("hnte-2016", "ip_count", {"class1_ip": 1, "class2_ip": 0}, (7, 8)),
    ("hnte-2016", "ip_count", {"class1_ip": 0, "class2_ip": 5}, (5, 6)),
    ("hnte-2016", "ip_count", {"class1_ip": 0, "class2_ip": 4}, (3, 4)),
    ("hnte-2016", "ip_count", {"class1_ip": 0, "class2_ip": 3}, (3, 4)),
    ("hnte-2016", "ip_count", {"class1_ip": 0, "class2_ip": 2}, (1, 2)),
    ("hnte-2016", "ip_count", {"class1_ip": 0, "class2_ip": 0}, (0, 0)),
    ("hnte-2016", "ip_count", {"class1_ip": None, "class2_ip": 2}, (1, 8)),
    ("hnte-2016", "ip_acquisition", {"class1_ip_self_developed": 1}, (1, 6)),
    ("hnte-2016", "ip_acquisition", {"class1_ip_self_developed": 0, "ip_total": 2}, (1, 3)),
    ("hnte-2016", "ip_standards", {"standards_3y": 1}, (1, 2)),
    # conversions, annual mean of 3 years: ≥5 25–30 … ≥1 1–6, 0 → 0
    ("hnte-2016", "conversion", {"conversions_avg_3y": 5.0}, (25, 30)),
    ("hnte-2016", "conversion", {"conversions_avg_3y": 4.99}, (19, 24)),
    ("hnte-2016", "conversion", {"conversions_avg_3y": 1.0}, (1, 6)),
    ("hnte-2016", "conversion", {"conversions_avg_3y": 0.67}, (0, 0)),
    # growth: ≥35 9–10; ≥25 7–8; ≥15 5–6; ≥5 3–4; >0 1–2; ≤0 0
    ("hnte-2016", "growth_sales", {"sales_growth": 35.0}, (9, 10)),
    ("hnte-2016", "growth_sales", {"sales_growth": 34.99}, (7, 8)),
    ("hnte-2016", "growth_sales", {"sales_growth": 5.0}, (3, 4)),
    ("hnte-2016", "growth_sales", {"sales_growth": 0.01}, (1, 2)),
    ("hnte-2016", "growth_sales", {"sales_growth": 0.0}, (0, 0)),
    ("hnte-2016", "growth_net_assets", {"net_asset_growth": -3.0}, (0, 0)),
    ("hnte-2016", "rdm_system", {}, (0, 6)),
    # 科技型中小企业 第七条
    ("tech_sme-2022", "st_share", {"st_share": 30.0}, (20, 20)),
    ("tech_sme-2022", "st_share", {"st_share": 29.99}, (16, 16)),
    ("tech_sme-2022", "st_share", {"st_share": 10.0}, (4, 4)),
    ("tech_sme-2022", "st_share", {"st_share": 9.99}, (0, 0)),
    ("tech_sme-2022", "rd_input", {"rd_ratio_1y": 6.0, "rd_ratio_cost": 0.0}, (50, 50)),
    ("tech_sme-2022", "rd_input", {"rd_ratio_1y": 1.99, "rd_ratio_cost": 25.0}, (40, 40)),
    ("tech_sme-2022", "rd_input", {"rd_ratio_1y": 2.0, "rd_ratio_cost": 9.99}, (10, 10)),
    ("tech_sme-2022", "rd_input", {"rd_ratio_1y": 2.0, "rd_ratio_cost": None}, (10, 50)),
    ("tech_sme-2022", "achievements", {"class1_ip": 1}, (30, 30)),
    ("tech_sme-2022", "achievements", {"class1_ip": 0, "class2_ip": 4}, (24, 24)),
    ("tech_sme-2022", "achievements", {"class1_ip": 0, "class2_ip": 1}, (6, 6)),
    # 创新型中小企业 附件1
    ("innovative_sme-2022", "ip", {"class1_ip_high_value": 1}, (20, 20)),
    (
        "innovative_sme-2022",
        "ip",
        {"class1_ip_high_value": 0, "class1_ip_self_developed": 0, "class1_ip": 1},
        (10, 10),
    ),
    ("innovative_sme-2022", "rd_ratio", {"rd_ratio_1y": 5.0}, (20, 20)),
    ("innovative_sme-2022", "rd_ratio", {"rd_ratio_1y": 4.99}, (15, 15)),
    ("innovative_sme-2022", "rd_ratio", {"rd_ratio_1y": 0.99}, (0, 0)),
    ("innovative_sme-2022", "main_growth", {"main_growth_1y": 0.0}, (5, 5)),
    ("innovative_sme-2022", "main_growth", {"main_growth_1y": -0.01}, (0, 0)),
    ("innovative_sme-2022", "debt_ratio", {"debt_ratio": 55.0}, (10, 10)),
    ("innovative_sme-2022", "debt_ratio", {"debt_ratio": 55.01}, (5, 5)),
    ("innovative_sme-2022", "debt_ratio", {"debt_ratio": 75.0}, (5, 5)),
    ("innovative_sme-2022", "debt_ratio", {"debt_ratio": 75.01}, (0, 0)),
    ("innovative_sme-2022", "field", {"strategic_emerging": 0.0}, (5, 5)),
    ("innovative_sme-2022", "field", {"strategic_emerging": None}, (0, 10)),
    ("innovative_sme-2022", "main_share", {"main_share": 50.0}, (5, 5)),
    ("innovative_sme-2022", "main_share", {"main_share": 49.99}, (0, 0)),
    # 专精特新中小企业 附件2
    ("srdi_sme-2022", "main_share", {"main_share": 80.0}, (5, 5)),
    ("srdi_sme-2022", "main_share", {"main_share": 59.99}, (0, 0)),
    ("srdi_sme-2022", "main_growth", {"main_growth_2y": 0.0}, (2, 2)),
    ("srdi_sme-2022", "niche_years", {"niche_years": 9.0}, (4, 4)),
    ("srdi_sme-2022", "niche_years", {"niche_years": 1.0}, (0, 0)),
    ("srdi_sme-2022", "field", {"chain_role": 1.0}, (3, 3)),
    ("srdi_sme-2022", "digital", {"digital_level": 3.0}, (5, 5)),
    ("srdi_sme-2022", "digital", {"digital_level": 1.0}, (0, 0)),
    ("srdi_sme-2022", "net_margin", {"net_margin": 1.99}, (0, 0)),
    ("srdi_sme-2022", "debt_ratio", {"debt_ratio": 70.0}, (1, 1)),
    ("srdi_sme-2022", "debt_ratio", {"debt_ratio": 70.01}, (0, 0)),
    ("srdi_sme-2022", "rd_input", {"rd_expense": 5e6, "rd_ratio_1y": 1.0}, (10, 10)),
    ("srdi_sme-2022", "rd_input", {"rd_expense": 9e5, "rd_ratio_1y": 3.0}, (2, 2)),
    ("srdi_sme-2022", "rd_staff", {"rd_staff_share": 4.99}, (0, 0)),
    ("srdi_sme-2022", "rd_institution", {"rd_level": 3.0}, (10, 10)),
    ("srdi_sme-2022", "rd_institution", {"rd_level": 1.0}, (4, 4)),
    ("srdi_sme-2022", "local", {}, (0, 15)),
]


@pytest.mark.parametrize(("key", "item", "values", "expected"), ITEMS)
def test_a_scored_indicator_gives_the_points_of_its_band(
    key: str, item: str, values: V, expected: tuple[float, float]
) -> None:
    score = assess_features(values, 2025, RULE_SETS[key]).score
    assert score is not None
    found = next(s for s in score.items if s.item.id == item)
    assert (found.points_min, found.points_max) == expected


def test_the_hnte_ip_group_is_capped_at_30_points() -> None:
    experts = {"ip_advancement": 8, "ip_core_support": 8, "ip_count": 8, "ip_acquisition": 6}
    values: V = {"class1_ip": 3, "class1_ip_self_developed": 1, "standards_3y": 1}
    score = assess_features(values, 2025, RULE_SETS["hnte-2016"], expert_scores=experts).score
    assert score is not None and score.groups["ip"] == (30, 30)


STRONG_HNTE: V = {
    "class1_ip": 2,
    "class1_ip_self_developed": 1,
    "ip_total": 2,
    "standards_3y": 0,
    "conversions_avg_3y": 5,
    "net_asset_growth": 40,
    "sales_growth": 40,
}


@pytest.mark.parametrize(
    ("experts", "outcome"),
    [
        ({}, Outcome.MANUAL),  # a range around 70: the experts decide
        (
            {
                "ip_advancement": 1,
                "ip_core_support": 1,
                **{"rdm_system": 0, "rdm_institution": 0},
                "rdm_conversion": 0,
                "rdm_talent": 4,
            },
            Outcome.UNMET,  # at most 16 + 30 + 20 + 4 = 70: not above 70
        ),
        (
            {
                "ip_advancement": 1,
                "ip_core_support": 1,
                "rdm_system": 0,
                "rdm_institution": 0,
                "rdm_conversion": 1,
                "rdm_talent": 4,
            },
            Outcome.MANUAL,  # at most 71: the experts' band scores decide
        ),
        (
            {
                "ip_advancement": 8,
                "ip_core_support": 8,
                "ip_count": 7,
                "ip_acquisition": 1,
                "conversion": 25,
                "growth_net_assets": 9,
                "growth_sales": 9,
                "rdm_system": 4,
            },
            Outcome.MET,  # 71 for certain
        ),
    ],
)
def test_the_hnte_innovation_score_passes_only_above_70_points(
    experts: dict[str, float], outcome: Outcome
) -> None:
    assessment = assess_features(STRONG_HNTE, 2025, RULE_SETS["hnte-2016"], expert_scores=experts)
    found = next(r for r in assessment.results if result_id(r) == "innovation_score")
    assert found.outcome is outcome, found.note


def test_an_expert_score_outside_the_attainable_range_is_refused() -> None:
    with pytest.raises(InvalidInput, match="ip_count.*7–8"):
        assess_features(STRONG_HNTE, 2025, RULE_SETS["hnte-2016"], expert_scores={"ip_count": 3})


def test_an_expert_score_for_an_item_the_rule_set_lacks_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown items"):
        assess_features({}, 2025, RULE_SETS["hnte-2016"], expert_scores={"charm": 5})


FLOORS = [
    # innovation ≥ 20, growth ≥ 15, specialisation ≥ 15, total ≥ 60
    ({"ip": 20, "rd": 5.0, "growth": 15.0, "debt": 50.0, "se": 1.0, "share": 70.0}, Outcome.MET),
    ({"ip": 20, "rd": 0.5, "growth": 15.0, "debt": 50.0, "se": 1.0, "share": 70.0}, Outcome.MET),
    ({"ip": 0, "rd": 3.0, "growth": 15.0, "debt": 50.0, "se": 1.0, "share": 70.0}, Outcome.UNMET),
    ({"ip": 20, "rd": 5.0, "growth": -1.0, "debt": 76.0, "se": 1.0, "share": 70.0}, Outcome.UNMET),
]


@pytest.mark.parametrize(("given", "outcome"), FLOORS)
def test_the_innovative_sme_score_needs_60_points_and_every_group_floor(
    given: dict[str, float], outcome: Outcome
) -> None:
    values: V = {
        "class1_ip_high_value": 1 if given["ip"] == 20 else 0,
        "class1_ip_self_developed": 0,
        "class1_ip": 0,
        "class2_ip": 0,
        "rd_ratio_1y": given["rd"],
        "main_growth_1y": given["growth"],
        "debt_ratio": given["debt"],
        "strategic_emerging": given["se"],
        "main_share": given["share"],
    }
    assessment = assess_features(values, 2025, RULE_SETS["innovative_sme-2022"])
    found = next(r for r in assessment.results if result_id(r) == "evaluation.score")
    assert found.outcome is outcome
