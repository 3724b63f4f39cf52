"""Claims read from a press release's text: number forms, bounds, periods, comparisons, the
indicator each figure is a value of, and the noise of copies found in the wild."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.domain.indicators.claim_patterns import NAMES_ZH, PATTERNS
from fourchain.domain.indicators.claims import Bound, Period
from fourchain.domain.indicators.claims_text import (
    ExtractedClaim,
    chinese_number,
    figures,
    read_release,
    release_year,
)
from fourchain.domain.indicators.release import html_text, sentences
from fourchain.errors import InvalidInput

REPO = Path(__file__).parents[4]
RELEASES = REPO / "tests" / "data" / "releases"
PUBLISHED = REPO.parent / "shared" / "domain" / "published_figures.csv"
SENTENCES = {
    row["id"]: row["sentence"]
    for row in csv.DictReader(
        (RELEASES / "claim_sentences.csv").read_text(encoding="utf-8").splitlines()
    )
}


def _published() -> list[dict[str, str]]:
    if not PUBLISHED.exists():
        pytest.skip(f"the shared published figures are not at {PUBLISHED}")
    with PUBLISHED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _same(found: ExtractedClaim, row: dict[str, str]) -> bool:
    return (found.row()["indicator"], found.claim.value, found.unit_text) == (
        row["indicator"],
        Decimal(row["value"]),
        row["unit"],
    ) and (str(found.claim.period), found.claim.comparison) == (row["period"], row["comparison"])


def test_every_published_claim_has_a_sentence_as_the_city_would_write_it() -> None:
    assert {row["id"] for row in _published()} == set(SENTENCES)


@pytest.mark.parametrize("claim_id", sorted(SENTENCES))
def test_the_sentence_of_each_published_claim_gives_its_row(claim_id: str) -> None:
    row = next(r for r in _published() if r["id"] == claim_id)
    found = read_release(SENTENCES[claim_id], year=2025).claims
    assert any(_same(c, row) for c in found), [c.row() for c in found]


def test_the_published_sentences_make_no_claim_without_an_indicator() -> None:
    text = "\n".join(dict.fromkeys(SENTENCES.values()))
    unmapped = [c.figure for c in read_release(text, year=2025).claims if not c.mapped]
    assert unmapped == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "bound"),
    [
        ("强度达3.46%", "3.46", "percent", Bound.EXACT),
        ("高出0.77个百分点", "0.77", "percentage points", Bound.EXACT),
        ("超过2500家", "2500", "count", Bound.LOWER),
        ("规模2万亿元", "2000000000000", "yuan", Bound.EXACT),
        ("规模突破2.5万亿元", "2500000000000", "yuan", Bound.LOWER),
        ("增长334.7%", "334.7", "percent", Bound.EXACT),
        ("近百项产品", "100", "count", Bound.ABOUT),
        ("600多项", "600", "count", Bound.LOWER),
        ("百余项", "100", "count", Bound.LOWER),
        ("十几年来", "10", "years", Bound.LOWER),
        ("30家以上", "30", "count", Bound.LOWER),
        ("约50家", "50", "count", Bound.ABOUT),
        ("1000家左右", "1000", "count", Bound.ABOUT),
        ("逾千亿元", "100000000000", "yuan", Bound.LOWER),
        ("位居全国第六", "6", "rank", Bound.EXACT),
        ("排名第14", "14", "rank", Bound.EXACT),
        ("连续两年入选", "2", "years", Bound.EXACT),
    ],
)
def test_chinese_number_forms_read_as_value_unit_and_bound(
    text: str, value: str, unit: str, bound: Bound
) -> None:
    [figure] = figures(text)
    assert (figure.value, figure.unit, figure.bound) == (Decimal(value), unit, bound)


@pytest.mark.parametrize(
    "text", ["2025年10月", "两个创新", "四个方面", "1类创新药", "第一季度", "是2020年的两倍"]
)
def test_dates_and_number_words_are_not_figures(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("words", "value"),
    [("两", 2), ("十", 10), ("十二", 12), ("三十五", 35), ("百", 100), ("一百二十", 120)],
)
def test_chinese_numerals(words: str, value: int) -> None:
    assert chinese_number(words) == value


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("1—8月,高技术制造业增加值同比增长18.7%。", Period(2025, 2025, (1, 8))),
        ("2024年1-6月,高技术制造业增加值同比增长9.1%。", Period(2024, 2024, (1, 6))),
        ("前三季度,获批1类创新药2个。", Period(2025, 2025, (1, 9))),
        ("2021—2025年,企业研发投入年均增长超过13%。", Period(2021, 2025)),
        ("五年来,企业研发投入年均增长超过13%。", Period(2021, 2025)),
        ("“十四五”期间,实施成果转化项目1775项。", Period(2021, 2025)),
        ("2023年,国家高新技术企业达4000家。", Period(2023, 2023)),
        ("国家高新技术企业达4735家。", Period(2025, 2025)),
    ],
)
def test_periods_come_from_the_words_before_the_figure(sentence: str, period: Period) -> None:
    [found] = read_release(sentence, year=2025).claims
    assert found.claim.period == period


def test_html_furniture_is_left_out_and_the_body_kept() -> None:
    page = (RELEASES / "xiamen-five-years.html").read_text(encoding="utf-8")
    text = html_text(page)
    for noise in ("首页", "分享到", "ICP", "document.title", "100%中奖", "新闻中心"):
        assert noise not in text
    assert "国家高新技术企业达4,735家" in text


def test_spam_titles_navigation_romanisation_and_repeats_are_read_through() -> None:
    page = (RELEASES / "xiamen-five-years.html").read_text(encoding="utf-8")
    found = sentences(page)
    assert not any("注册送" in s or "娱乐城" in s or "Xiàmén" in s or "Torch" in s for s in found)
    assert sum(s.startswith("产业方面") for s in found) == 1
    assert "厦门市举行“厦门这五年”系列主题新闻发布会第二场。" in "".join(found)


def _check_release(release_file: str, to_simplified: object = str) -> dict[str, ExtractedClaim]:
    raw = (RELEASES / release_file).read_text(encoding="utf-8")
    release = read_release(raw, to_simplified)  # type: ignore[arg-type]
    assert release.year == 2025  # from its date, 2025年10月23日
    return {c.claim.indicator: c for c in release.claims}


def test_the_simplified_html_release_gives_every_published_claim_once() -> None:
    rows = _published()
    raw = (RELEASES / "xiamen-five-years.html").read_text(encoding="utf-8")
    claims = read_release(raw).claims
    missed = [row["id"] for row in rows if not any(_same(c, row) for c in claims)]
    assert missed == []
    assert [c.figure for c in claims if not c.mapped] == []
    keys = [(c.claim.indicator, str(c.claim.period)) for c in claims]
    assert len(keys) == len(set(keys))  # the repeated paragraph and the headline count once


def test_the_traditional_text_release_reads_like_the_simplified_one() -> None:
    opencc = pytest.importorskip("opencc")
    converter = opencc.OpenCC("t2s")
    raw = (RELEASES / "xiamen-five-years-hant.txt").read_text(encoding="utf-8")
    release = read_release(raw, lambda text: str(converter.convert(text)))
    assert release.year == 2025
    by_id = {c.claim.id: c for c in release.claims}
    assert set(by_id) == {
        "hnte_count_2025",
        "rd_intensity_2020",
        "rd_intensity_2024",
        "rd_intensity_gap_national_2024",
        "enterprise_rd_growth_2021-2025",
        "high_value_patents_per_10k_2025",
        "top10_science_advances_years_2024-2025",
        "hnte_net_gain_per_year_2021-2025",
        "little_giants_2025",
        "little_giants_province_share_2025",
        "little_giants_growth_vs_2020_2020-2025",
        "new_energy_growth_2023-2025",
        "new_energy_output_2025",
        "hitech_mfg_va_growth_2025-01_2025-08",
        "class1_drugs_approved_2025-01_2025-09",
        "leading_level_products_2021-2025",
        "brics_partner_countries_2025",
        "brics_partner_institutions_2025",
        "brics_projects_2025",
    }
    assert by_id["new_energy_output_2025"].unit_text == "yuan (lower bound; first time)"
    assert by_id["hitech_mfg_va_growth_2025-01_2025-08"].claim.comparison == "same period 2024"


def test_the_release_year_is_its_date_else_the_latest_year_named() -> None:
    assert release_year(["发布时间:2025年10月23日", "2026年将继续"]) == 2025
    assert release_year(["2023年达3.2%", "2024年达3.46%"]) == 2024
    assert release_year(["没有年份"]) is None


def test_a_release_with_figures_but_no_year_is_refused() -> None:
    with pytest.raises(InvalidInput, match="names no year"):
        read_release("国家高新技术企业达4735家。")


PARAPHRASES = list(
    csv.DictReader((RELEASES / "paraphrases.csv").read_text(encoding="utf-8").splitlines())
)


@pytest.mark.parametrize("case", PARAPHRASES, ids=lambda case: case["id"])
def test_claims_worded_otherwise_than_the_published_sentences_give_the_same_row(
    case: dict[str, str],
) -> None:
    row = next(r for r in _published() if r["id"] == case["id"])
    found = read_release(case["sentence"], year=2025).claims
    assert any(_same(c, row) for c in found), [c.row() for c in found]


@pytest.mark.parametrize(
    ("text", "value"),
    [("增加值下降2.1%", "-2.1"), ("企业4 735家", "4735"), ("企业4,735家", "4735")],
)
def test_a_decline_is_negative_and_thousands_separators_are_read_through(
    text: str, value: str
) -> None:
    [found] = read_release(text, year=2025).claims
    assert found.claim.value == Decimal(value)


def test_every_indicator_a_claim_maps_to_has_a_chinese_name() -> None:
    unnamed = [p.indicator for p in PATTERNS if p.indicator not in CATALOGUE | NAMES_ZH]
    assert unnamed == []
