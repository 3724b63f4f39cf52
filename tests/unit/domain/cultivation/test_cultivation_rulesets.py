"""Which version of the rules is in force, the verdict from the criteria, the gap in the
enterprise's own terms, the JSON shape, and the flags on unconfirmed criteria."""

from __future__ import annotations

from datetime import date

import pytest

from fourchain.domain.cultivation import RULE_SETS, assess, assessment_json, for_year, in_force
from fourchain.domain.cultivation.evaluate import assess_features
from fourchain.domain.cultivation.explain import result_id
from fourchain.domain.cultivation.model import Status, Verdict
from fourchain.domain.cultivation.rulesets import parse_tier, rule_set
from fourchain.domain.registry import Tier
from fourchain.errors import InvalidInput, NotFound
from tests.unit.domain.cultivation.builders import make_profile

VERSIONS = [
    (Tier.HNTE, date(2016, 1, 1), "hnte-2016"),
    (Tier.HNTE, date(2015, 12, 31), None),
    (Tier.TECH_SME, date(2021, 12, 31), "tech_sme-2017"),
    (Tier.TECH_SME, date(2022, 1, 1), "tech_sme-2022"),
    (Tier.TECH_SME, date(2017, 5, 9), None),
    (Tier.INNOVATIVE_SME, date(2022, 5, 31), None),
    (Tier.INNOVATIVE_SME, date(2022, 6, 1), "innovative_sme-2022"),
    (Tier.INNOVATIVE_SME, date(2026, 4, 1), "innovative_sme-2026"),
    (Tier.SRDI_SME, date(2026, 3, 31), "srdi_sme-2022"),
    (Tier.SRDI_SME, date(2026, 4, 1), "srdi_sme-2026"),
    (Tier.LITTLE_GIANT, date(2026, 3, 31), "little_giant-2022"),
    (Tier.LITTLE_GIANT, date(2026, 4, 1), "little_giant-2026"),
    (Tier.SINGLE_CHAMPION, date(2022, 12, 31), None),
    (Tier.SINGLE_CHAMPION, date(2023, 1, 1), "single_champion-2023"),
]


@pytest.mark.parametrize(("tier", "day", "expected"), VERSIONS)
def test_the_version_in_force_is_chosen_by_date(
    tier: Tier, day: date, expected: str | None
) -> None:
    found = in_force(tier, day)
    assert (found.key if found else None) == expected


def test_an_assessment_year_uses_the_rules_in_force_on_its_31_december() -> None:
    assert {rs.key for rs in for_year(2025)} == {
        "tech_sme-2022",
        "hnte-2016",
        "innovative_sme-2022",
        "srdi_sme-2022",
        "little_giant-2022",
        "single_champion-2023",
    }
    assert "little_giant-2026" in {rs.key for rs in for_year(2026)}
    assert [rs.key for rs in for_year(2022, [Tier.SINGLE_CHAMPION])] == []


def test_a_user_can_ask_for_a_specific_version() -> None:
    assert [rs.key for rs in for_year(2026, keys=["little_giant-2022"])] == ["little_giant-2022"]
    with pytest.raises(NotFound, match="little_giant-2030"):
        rule_set("little_giant-2030")
    with pytest.raises(InvalidInput, match="unknown tier 'giant'"):
        parse_tier("giant")


def test_versions_of_one_tier_never_overlap() -> None:
    for tier in Tier:
        spans = sorted(
            (rs.effective_from, rs.effective_to or date.max)
            for rs in RULE_SETS.values()
            if rs.tier is tier
        )
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start, tier


VERDICTS = [
    # (values, tolerance) -> verdict, for the 2022 little giant's quantitative criteria
    ({"main_share": 70.0}, 0.2, Verdict.LIKELY),
    ({"main_share": 63.0}, 0.2, Verdict.NEAR),  # 10% short
    ({"main_share": 63.0}, 0.05, Verdict.NOT_YET),  # beyond a tighter tolerance
    ({"main_share": 40.0}, 0.2, Verdict.NOT_YET),
    ({"main_share": None}, 0.2, Verdict.UNKNOWN),
    ({"main_share": None, "niche_years": 1.0}, 0.2, Verdict.NOT_YET),  # far gap decides
]
GIANT: dict[str, float | None] = {
    "srdi_sme_held": 1.0,
    "niche_years": 5.0,
    "main_growth_2y": 8.0,
    "digital_level": 3.0,
    "debt_ratio": 50.0,
    "niche_share": 12.0,
    "revenue": 2e8,
    "rd_ratio_min_2y": 4.0,
    "chain_role": 2.0,
}


@pytest.mark.parametrize(("values", "tolerance", "verdict"), VERDICTS)
def test_the_verdict_is_likely_near_not_yet_or_unknown(
    values: dict[str, float | None], tolerance: float, verdict: Verdict
) -> None:
    assessment = assess_features(
        {**GIANT, **values}, 2025, RULE_SETS["little_giant-2022"], tolerance=tolerance
    )
    assert assessment.verdict is verdict


def test_manual_review_items_do_not_block_a_likely_verdict_but_are_listed() -> None:
    assessment = assess_features(
        {**GIANT, "main_share": 80.0}, 2025, RULE_SETS["little_giant-2022"]
    )
    assert assessment.verdict is Verdict.LIKELY
    manual = [result_id(r) for r in assessment.results if r.outcome.value == "manual_review"]
    assert manual == ["governance", "brand", "product_field"]


def _hnte_profile() -> object:
    years = {
        y: {"revenue": 0.5e8 * 1.2 ** (y - 2023), "rd_expense": 0.0} for y in (2023, 2024, 2025)
    }
    # R&D 3.6% of three years' revenue (last year's revenue in the 50–200 million band)
    total = sum(v["revenue"] for v in years.values())
    years[2025]["rd_expense"] = 0.036 * total
    return make_profile(years)


def test_the_hnte_rd_gap_is_said_as_yuan_more_rd_at_this_revenue() -> None:
    profile = _hnte_profile()
    assessment = assess(profile, 2025, RULE_SETS["hnte-2016"])  # type: ignore[arg-type]
    rd = next(r for r in assessment.results if r.criterion.id == "rd_ratio")
    assert rd.gap is not None
    total = 0.5e8 * (1 + 1.2 + 1.44)
    assert rd.gap.amount == pytest.approx(0.004 * total)
    assert rd.gap.text_zh.startswith(
        "近三年研发费用占销售收入比例 3.60% < 4.00%（销售收入5000万–2亿元）"
    )
    assert "约需增加研发费用72.8万元" in rd.gap.text_zh
    assert "about ¥0.73 million more R&D expense at this scale" in rd.gap.text_en


def test_the_json_has_the_issue_shape_and_never_says_qualified() -> None:
    assessment = assess(_hnte_profile(), 2025, RULE_SETS["hnte-2016"])  # type: ignore[arg-type]
    data = assessment_json(assessment)
    assert {"credit_code", "tier", "rule_set", "outcome", "score", "criteria"} <= set(data)
    assert data["tier"] == "hnte" and data["rule_set"] == "hnte-2016"
    first = data["criteria"][0]  # type: ignore[index]
    assert {"id", "outcome", "value", "threshold", "gap", "basis"} <= set(first)
    assert "第十一条" in first["basis"]
    assert "qualified" not in str(data).lower()


def test_unconfirmed_criteria_are_flagged_in_the_output() -> None:
    assessment = assess_features({}, 2025, RULE_SETS["srdi_sme-2022"])
    data = assessment_json(assessment)
    assert "evaluation.direct_rd: UNCONFIRMED" in data["unconfirmed"]  # type: ignore[operator]
    statuses = {c["id"]: c["status"] for c in data["criteria"]}  # type: ignore[attr-defined]
    assert statuses["evaluation.direct_rd"] == Status.UNCONFIRMED.value


def test_every_criterion_cites_a_document_and_the_evidence_it_needs() -> None:
    for rs in RULE_SETS.values():
        for criterion in rs.criteria:
            assert "〔" in criterion.basis.document and criterion.basis.article, criterion.id
            assert criterion.evidence, criterion.id


def test_a_shortfall_in_a_percentage_is_said_in_percentage_points() -> None:
    assessment = assess_features({"niche_share": 9.3}, 2025, RULE_SETS["little_giant-2022"])
    gap = next(r.gap for r in assessment.results if r.criterion.id == "niche_share")
    assert gap is not None
    assert gap.text_zh == "细分市场占有率 9.30% < 10.00%：差距 0.70个百分点"
    assert gap.text_en == "niche market share 9.30% < 10.00%: short by 0.70 percentage points"
