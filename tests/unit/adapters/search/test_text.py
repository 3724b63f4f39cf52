"""Normalisation and tokenisation of Chinese and English text."""

from __future__ import annotations

import pytest

from fourchain.adapters.search.text import Analyzer, Profile, normalise, token_bags
from fourchain.errors import InvalidInput


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("機器學習與臺灣", "机器学习与台湾"),  # traditional → simplified
        ("ＡＢＣ１２３", "abc123"),  # full-width → half-width, lowercased
        ("深度学习，　模型", "深度学习, 模型"),  # full-width comma and ideographic space
        ("ｍ²", "m2"),  # NFKC folds the superscript
        ("①", "1"),  # NFKC folds the circled digit
        ("Lithium-Ion BATTERY", "lithium-ion battery"),
        ("", ""),
    ],
)
def test_normalisation_folds_script_width_and_case(raw: str, normal: str) -> None:
    assert normalise(raw) == normal


def test_tokens_include_character_bigrams_of_every_chinese_run() -> None:
    tokens = Analyzer().analyse("锂离子电池")
    assert {"锂离", "离子", "子电", "电池"} <= set(tokens)


def test_tokens_include_jieba_words_and_domain_dictionary_terms() -> None:
    tokens = Analyzer().analyse("基于卷积神经网络的锂离子电池估计")
    assert "卷积神经网络" in tokens  # a term of the shipped S&T dictionary
    assert "锂离子电池" in tokens
    assert "估计" in tokens


def test_tokens_include_english_words_and_numbers_lowercased() -> None:
    tokens = Analyzer().analyse("基于Lyapunov函数的5G OFDM系统 3.5 GHz")
    assert {"lyapunov", "5g", "ofdm", "3", "5", "ghz"} <= set(tokens)


def test_a_whole_chinese_run_is_never_a_single_token() -> None:
    text = "水运工程施工项目全过程管理"
    assert text not in Analyzer().analyse(text)
    assert text not in Analyzer(Profile.BIGRAM).analyse(text)


def test_a_lone_chinese_character_is_kept_as_a_unigram() -> None:
    assert Analyzer(Profile.BIGRAM).analyse("钢 and 铁") == ["钢", "and", "铁"]


def test_the_bigram_profile_emits_no_jieba_words() -> None:
    assert Analyzer(Profile.BIGRAM).analyse("锂离子电池") == ["锂离", "离子", "子电", "电池"]


def test_traditional_and_simplified_queries_give_the_same_tokens() -> None:
    analyzer = Analyzer()
    assert analyzer.analyse("鋰離子電池儲能") == analyzer.analyse("锂离子电池储能")


def test_display_terms_are_readable_words_in_query_order() -> None:
    assert Analyzer().display_terms("固态电池 Lyapunov 储能") == ["固态电池", "lyapunov", "储能"]


def test_an_unknown_profile_is_refused_with_the_choices() -> None:
    with pytest.raises(InvalidInput, match="bigram\\+jieba"):
        Analyzer("whitespace")


@pytest.mark.parametrize("processes", [1, 2])
def test_token_bags_count_tokens_in_order_with_and_without_workers(processes: int) -> None:
    texts = ["电池电池", "固态 solid", ""]
    bags = list(token_bags(texts, Analyzer(), processes=processes, chunk=1))
    assert bags[0]["电池"] >= 2
    assert bags[1]["solid"] == 1
    assert bags[2] == {}
