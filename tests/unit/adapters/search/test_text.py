"""Normalisation and tokenisation of Chinese and English text, and the builder's fast path
(normalise_many, tokenise_chunk, token_chunks) against the reference Analyzer."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from fourchain.adapters.search import text as text_module
from fourchain.adapters.search.text import (
    Analyzer,
    ChunkTokens,
    Profile,
    normalise,
    normalise_many,
    token_bags,
    token_chunks,
    tokenise_chunk,
)
from fourchain.errors import InvalidInput

CSL = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "csl" / "csl_dev_1k.jsonl"

# Texts where a chunk-at-once path could go wrong, neighbours chosen so that a separator that
# let NFKC, OpenCC or lower() see across two texts would change one of them.
TRICKY = [
    "",
    "x",
    "钢",
    "Ａ",
    "   \n\t",
    "\u3000",
    "機器學習與臺灣的乾燥系統",  # traditional; 乾 is converted by phrase
    "乾隆",
    "ＡＢＣ１２３　ｄｅｆ，深度学习",  # full-width letters, digits, space and comma
    "ﬁnance ﬂow",  # ligatures
    "Ⅻ ① ㍿ ｍ² ℃ µm",  # NFKC compatibility forms (㍿ becomes CJK characters)
    "ﾊﾝｶｸ",  # half-width katakana
    "\uf900\uf901",  # CJK compatibility ideographs
    "e",
    "\u0301abc",  # a combining accent that would compose with the e before it
    "\u1100",
    "\u1161\u11a8",  # Hangul jamo that would compose with the text before
    "ΟΔΟΣ",
    "ΣΑΣ",  # final sigma: lower() looks at the neighbours
    "İstanbul Straße",
    "基于Lyapunov函数的5G OFDM系统 3.5 GHz",
    "a 钢 b 铁 c",
    "水运工程施工项目全过程管理",
    "锂离子电池储能",
    "𠀀𠀁 丁 𪜀",  # supplementary-plane CJK, a lone character
    "\ue000FDA8\ue002 私用区",  # private-use characters, as in CSL
    "ĀĒĪ àéî αβγ ×÷",  # accented Latin and Greek word characters
    "🔋电池🔋",
    "\u0130\u03a3",
]


def csl_texts() -> list[str]:
    if not CSL.exists():
        pytest.skip(f"CSL records not found at {CSL} (the shared data folder beside the repo)")
    records = [json.loads(line) for line in CSL.read_text(encoding="utf-8").splitlines()]
    return [f"{r['title']}\n{r['abstract']}\n{'；'.join(r.get('keywords', []))}" for r in records]


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


# ---------------------------------------------------------------- the builder's fast path


def test_the_fast_paths_character_table_is_the_tokenisers_regex() -> None:
    every = "".join(map(chr, range(0x110000)))
    for pattern, kind in ((text_module._CJK_ONLY, 1), (text_module._WORD_RUN, 2)):
        expected = np.zeros(0x110000, dtype=bool)
        for match in pattern.finditer(every):
            expected[match.start() : match.end()] = True
        classes = text_module._CLASS_OF
        np.testing.assert_array_equal(classes == kind, expected)


def test_normalise_many_equals_normalise_text_by_text() -> None:
    texts = csl_texts() + TRICKY
    assert normalise_many(texts) == [normalise(t) for t in texts]
    for first in range(len(TRICKY) - 1):  # every tricky text beside its neighbour
        pair = TRICKY[first : first + 2]
        assert normalise_many(pair) == [normalise(t) for t in pair]


def test_normalise_many_falls_back_when_a_text_holds_the_separator() -> None:
    texts = ["機器", "a\uffffb", "ＡＢ"]
    assert normalise_many(texts) == [normalise(t) for t in texts]


def _chunk_counts(texts: list[str], profile: Profile, chunk: int) -> list[Counter[str]]:
    out: list[Counter[str]] = []
    for tokens in token_chunks(texts, Analyzer(profile), chunk=chunk):
        out.extend(Counter(bag) for bag in tokens.bags())
    return out


@pytest.mark.parametrize("profile", list(Profile))
def test_fast_tokens_equal_the_analyzers_for_every_csl_record(profile: Profile) -> None:
    texts = csl_texts() + TRICKY
    analyzer = Analyzer(profile)
    expected = [Counter(analyzer.analyse(text)) for text in texts]
    chunks = list(token_chunks(texts, analyzer, chunk=97))  # chunk edges inside the records
    got = [Counter(bag) for chunk in chunks for bag in chunk.bags()]
    mismatched = [texts[i][:40] for i in range(len(texts)) if got[i] != expected[i]]
    assert not mismatched
    lengths = np.concatenate([chunk.lengths for chunk in chunks])
    assert lengths.tolist() == [sum(bag.values()) for bag in expected]


def test_fast_tokens_of_a_chunk_holding_the_separator_are_still_right() -> None:
    texts = ["钢铁\uffff工业", "a\uffffb", "機器學習"]
    analyzer = Analyzer()
    assert _chunk_counts(texts, Profile.BIGRAM_JIEBA, 3) == [
        Counter(analyzer.analyse(text)) for text in texts
    ]


@pytest.mark.parametrize("profile", list(Profile))
def test_fast_tokens_equal_the_analyzers_for_tricky_texts_one_by_one(profile: Profile) -> None:
    analyzer = Analyzer(profile)
    for text in TRICKY:
        assert _chunk_counts([text], profile, 1) == [Counter(analyzer.analyse(text))], text


def test_fast_tokens_are_bigrams_not_whole_runs() -> None:
    (bag,) = tokenise_chunk(["水运工程 钢 Lyapunov函数"], Profile.BIGRAM).bags()
    assert bag == {"水运": 1, "运工": 1, "工程": 1, "钢": 1, "lyapunov": 1, "函数": 1}


def test_a_two_character_jieba_word_shares_its_bigrams_key() -> None:
    (bag,) = tokenise_chunk(["锂离子电池"], Profile.BIGRAM_JIEBA).bags()
    assert bag["电池"] == 2  # the bigram and jieba's word: one token, counted twice
    assert bag["锂离子电池"] == 1


def test_a_chunk_without_tokens_has_empty_postings() -> None:
    chunk = tokenise_chunk(["", " , "], Profile.BIGRAM)
    assert isinstance(chunk, ChunkTokens)
    assert chunk.n_docs == 2 and chunk.keys.size == 0 and chunk.bags() == [{}, {}]


def test_token_chunks_give_the_same_chunks_with_workers() -> None:
    texts = csl_texts()[:300] + TRICKY
    alone = list(token_chunks(texts, Analyzer(), chunk=50))
    forked = list(token_chunks(texts, Analyzer(), processes=2, chunk=50))
    assert [c.bags() for c in forked] == [c.bags() for c in alone]


def test_token_chunks_refuse_a_bad_chunk_size() -> None:
    with pytest.raises(InvalidInput, match="chunk"):
        next(token_chunks(["a"], Analyzer(), chunk=0))
