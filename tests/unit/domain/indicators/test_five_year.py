"""The five-year bulletin says what the data gives, in a bulletin's words, every figure traced."""

from __future__ import annotations

import pytest

from fourchain.domain.indicators.bulletin import Sentence, figure
from fourchain.domain.indicators.composite import FusionScore
from fourchain.domain.indicators.five_year import FiveYearInputs, write_five_year

SERIES = {
    "rd_intensity": {2020: 3.08, 2024: 3.46, 2025: None},
    "rd_intensity_gap_national": {2024: 0.77},
    "hnte_count": {2020: 2080.0, 2025: 4735.0},
    "hnte_net_gain_per_year": {2021: 540.0, 2022: 530.0, 2023: 530.0, 2024: 520.0, 2025: 535.0},
    "little_giants": {2020: 49.0, 2025: 213.0},
    "little_giants_province_share": {2025: 42.01},
    "little_giants_growth_vs_2020": {2025: 334.69},
    "pillar_clusters_scale": {2025: 2.068e12},
    "strategic_emerging_scale": {2025: 5.355e11},
}
INPUTS = FiveYearInputs(
    year=2025,
    series=SERIES,
    spans={"enterprise_rd_growth": 15.116, "enterprise_rd_centres": 411.0},
    fusion=[
        FusionScore("ic", 80.0, dict.fromkeys(("innovation", "industry"), 80.0)),
        FusionScore("drug", 20.0, dict.fromkeys(("innovation", "industry"), 20.0)),
    ],
    chain_names={
        "ic": ("集成电路产业链", "Integrated circuits"),
        "drug": ("创新药产业链", "Drugs"),
    },
    not_derivable={"conversion_projects": "the database has no conversion_projects table"},
)


def _texts(lang: str) -> dict[str, str]:
    bulletin = write_five_year(INPUTS, lang)
    return {s.key: "".join(sentence.text for sentence in s.sentences) for s in bulletin.sections}


def test_the_rd_sentence_reads_like_the_bureaus_bulletin() -> None:
    # 2025 has no R&D intensity yet, so the sentence ends at the latest year that has one
    assert _texts("zh")["input"].startswith(
        "全社会研发经费投入强度由2020年的3.08%提升至2024年的3.46%，高于全国平均水平0.77个百分点。"
        "2021—2025年，全市企业研发经费年均增长15.1%。"
    )


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("enterprises", "国家高新技术企业达4735家，每年净增均不少于520家。"),
        ("enterprises", "国家级专精特新“小巨人”企业213家，占全省42%，较2020年增长334.7%。"),
        ("industry", "四大支柱产业集群规模达2.07万亿元，战略性新兴产业规模达5355亿元。"),
        ("platforms", "2021—2025年累计支持企业研发中心411家。"),
        ("fusion", "四链融合指数位居前列的产业链为集成电路产业链（80.0）、创新药产业链（20.0）。"),
    ],
)
def test_each_section_states_its_figures_in_chinese(section: str, expected: str) -> None:
    assert expected in _texts("zh")[section]


def test_a_figure_the_data_lacks_is_left_out_rather_than_written_as_none() -> None:
    texts = _texts("zh")
    assert "None" not in "".join(texts.values())
    assert "单项冠军" not in texts["enterprises"]  # no single_champions series
    assert "新能源" not in texts["industry"]


def test_every_figure_in_the_prose_names_its_indicator_and_has_a_footnote() -> None:
    bulletin = write_five_year(INPUTS, "zh")
    figures = bulletin.figures()
    assert {f.indicator for f in figures} >= {"rd_intensity", "hnte_count", "fusion_index"}
    noted = {note.indicator for note in bulletin.footnotes()}
    assert noted == {f.indicator for f in figures}
    assert [n.number for n in bulletin.footnotes()] == list(range(1, len(noted) + 1))


def test_the_english_edition_says_the_same_in_english() -> None:
    texts = _texts("en")
    assert texts["input"].startswith(
        "Whole-society R&D spending rose from 3.08% of GDP in 2020 to 3.46% in 2024, "
        "0.77 percentage points above the national average."
    )
    assert "4,735" in texts["enterprises"]
    assert write_five_year(INPUTS, "en").title.startswith("Xiamen")


def test_the_title_names_the_plan_only_for_a_plan_period() -> None:
    assert "“十四五”" in write_five_year(INPUTS, "zh").title
    other = FiveYearInputs(2023, {}, {}, [], {}, {})
    assert "十四五" not in write_five_year(other, "zh").title


def test_a_sentence_template_keeps_text_and_figures_in_order() -> None:
    fig = figure("rd_intensity", 2024, 3.46, "zh")
    sentence = Sentence.of("由{y}年的{a}", y=2020, a=fig)
    assert sentence.parts == ("由2020年的", fig)
    assert sentence.text == "由2020年的3.46%"
