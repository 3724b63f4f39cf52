"""The demo's synthetic identifiers follow their standards and never repeat."""

from __future__ import annotations

import random
import re

import pytest

from fourchain.demo.identifiers import NamePool, credit_code, organisation_code, patent_number
from fourchain.demo.vocabulary import DISTRICTS, NAME_SYLLABLES
from fourchain.domain.credit_code import credit_code_problem
from fourchain.errors import FourchainError


@pytest.mark.parametrize(
    ("body", "code"),
    [("80210043", "802100433"), ("MA000001", organisation_code("MA000001"))],
)
def test_the_organisation_code_carries_its_gb_11714_check_character(body: str, code: str) -> None:
    assert organisation_code(body) == code
    assert len(code) == 9


@pytest.mark.parametrize("district", list(DISTRICTS))
def test_credit_codes_are_valid_distinct_and_in_their_district(district: str) -> None:
    codes = [credit_code(district, serial) for serial in range(0, 40_000, 37)]
    assert all(credit_code_problem(code) is None for code in codes)
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("91" + DISTRICTS[district] + "MA") for code in codes)


def test_a_serial_beyond_the_code_space_is_refused() -> None:
    with pytest.raises(ValueError, match="too large"):
        credit_code("思明", 31**6)


@pytest.mark.parametrize(("kind", "digit"), [(1, "1"), (2, "2"), (3, "3")])
def test_patent_numbers_have_the_cnipa_shape(kind: int, digit: str) -> None:
    number = patent_number(2023, kind, 1234)
    assert re.fullmatch(r"ZL2023" + digit + r"\d{7}\.[\dX]", number)
    assert number != patent_number(2023, kind, 1235)


def test_firm_names_are_unique_and_marked_as_examples() -> None:
    pool = NamePool(random.Random(1))
    pairs = len(NAME_SYLLABLES) * (len(NAME_SYLLABLES) - 1)
    names = [pool.firm("光电科技") for _ in range(pairs + 300)]  # past the two-syllable space
    assert len(set(names)) == len(names)
    assert all(n.startswith("厦门") and n.endswith("光电科技有限公司（示例）") for n in names)


def test_calibration_failures_are_fourchain_errors() -> None:
    from fourchain.demo.tiers import CalibrationFailed

    assert issubclass(CalibrationFailed, FourchainError)
