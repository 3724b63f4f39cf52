"""Match strength: calibrated relevance banded directly, keyword scores against the best."""

import pytest

from fourchain.domain.matching.strength import Strength, band, strength


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (100, Strength.HIGH),
        (50, Strength.HIGH),
        (49.9, Strength.MEDIUM),
        (20, Strength.MEDIUM),
        (19.9, Strength.LOW),
        (0, Strength.LOW),
    ],
)
def test_a_figure_falls_in_its_band(points: float, expected: Strength) -> None:
    assert band(points) is expected


def test_a_calibrated_relevance_decides_whatever_the_bm25_score() -> None:
    assert strength(85.0, bm25=1.0, best_bm25=119.25) is Strength.HIGH
    assert strength(12.0, bm25=119.25, best_bm25=119.25) is Strength.LOW


@pytest.mark.parametrize(
    ("bm25", "expected"),
    [(119.25, Strength.HIGH), (40.0, Strength.MEDIUM), (20.0, Strength.LOW)],
)
def test_a_keyword_match_is_banded_against_the_best_of_its_query(
    bm25: float, expected: Strength
) -> None:
    assert strength(None, bm25=bm25, best_bm25=119.25) is expected


def test_no_positive_best_score_reads_low() -> None:
    assert strength(None, bm25=0.0, best_bm25=0.0) is Strength.LOW
