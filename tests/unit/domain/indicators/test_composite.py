"""The four-chain fusion index: outliers tamed, min-max normalised, equal weights, mean of four."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fourchain.domain.indicators.composite import MEASURES, fusion_index, min_max, tame_outliers


def test_min_max_maps_the_lowest_to_zero_and_the_highest_to_one() -> None:
    assert min_max([2.0, 4.0, 6.0]) == [0.0, 0.5, 1.0]


def test_a_measure_on_which_all_chains_agree_gives_each_one_half() -> None:
    assert min_max([3.0, 3.0]) == [0.5, 0.5]


def test_an_outlier_is_replaced_by_the_highest_value_that_is_not_one() -> None:
    values = [1.0] * 10 + [2.0, 1000.0]
    tamed = tame_outliers(values)
    assert tamed[-1] == 2.0
    assert tamed[:-1] == values[:-1]


def test_the_leading_chain_on_every_measure_scores_100_and_the_last_0() -> None:
    measures = {
        "a": dict.fromkeys(MEASURES, 10.0),
        "b": dict.fromkeys(MEASURES, 5.0),
        "c": dict.fromkeys(MEASURES, 0.0),
    }
    scores = {s.chain: s for s in fusion_index(measures)}
    assert scores["a"].index == 100.0
    assert scores["b"].index == 50.0
    assert scores["c"].index == 0.0
    assert scores["b"].dimensions == dict.fromkeys(scores["b"].dimensions, 50.0)


def test_dimensions_weigh_equally_whatever_their_number_of_measures() -> None:
    # a leads only on capital (one measure), b on the three innovation measures
    a = dict.fromkeys(MEASURES, 0.0) | {"equity_financing": 1.0}
    innovation = ("institutions", "invention_patents", "conversions")
    b = dict.fromkeys(MEASURES, 0.0) | dict.fromkeys(innovation, 1.0)
    scores = {s.chain: s.index for s in fusion_index({"a": a, "b": b})}
    # every other measure is tied (0.5 each): a = (0 + 50 + 100 + 50) / 4, b the mirror image
    assert scores["a"] == pytest.approx(50.0)
    assert scores["b"] == pytest.approx(50.0)


def test_a_missing_measure_counts_as_the_lowest_of_the_others() -> None:
    measures = {
        "a": dict.fromkeys(MEASURES, 2.0),
        "b": dict.fromkeys(MEASURES, 1.0) | {"st_staff": None},
        "c": dict.fromkeys(MEASURES, 1.0),
    }
    scores = {s.chain: s for s in fusion_index(measures)}
    assert scores["b"].dimensions["talent"] == 0.0


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=4),
        st.fixed_dictionaries({m: st.floats(0, 1e12) for m in MEASURES}),
        min_size=1,
        max_size=12,
    )
)
def test_every_index_lies_between_0_and_100(measures: dict[str, dict[str, float]]) -> None:
    for score in fusion_index(measures):  # type: ignore[arg-type]
        assert 0.0 <= score.index <= 100.0
