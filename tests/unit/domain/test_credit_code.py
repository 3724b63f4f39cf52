import pytest

from fourchain.domain.credit_code import (
    check_character,
    credit_code_problem,
    is_pre_standard,
    is_valid_credit_code,
    make_credit_code,
)

# Real published codes (public registrations), whose check characters GB 32100-2015 fixes.
REAL_CODES = [
    "91110000802100433B",  # 中国石油天然气集团 (letter check character)
    "914403001922038216",  # 华为技术有限公司 (digit check character)
    "91440300708461136T",  # 腾讯科技(深圳)有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_accepted(code: str) -> None:
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350200612003311", "18 characters"),
        ("91350200612003311EX", "18 characters"),
        ("91350200612003311A", "check character"),
        ("9135020061200331IE", "not allowed"),
        ("91350200612003311e", "not allowed"),
    ],
)
def test_bad_codes_say_why(code: str, reason: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert reason in problem


def test_a_completed_code_validates_and_one_changed_character_does_not() -> None:
    code = make_credit_code("91350203MA2Y12345")
    assert is_valid_credit_code(code)
    wrong = code[:5] + ("1" if code[5] != "1" else "2") + code[6:]
    assert not is_valid_credit_code(wrong)


def test_check_character_needs_seventeen_characters() -> None:
    with pytest.raises(ValueError, match="17"):
        check_character("1234")


# Fujian pilot-era codes, still the legal codes of real firms, whose 18th character predates
# GB 32100-2015 (the standard gives R, J, 1 and F).
PILOT_CODES = [
    "91350211M0000XUF46",  # Xiamen, 湖里
    "91350203M0001FUE2P",  # Xiamen, 思明
    "91350100M0001TGQXM",  # Fuzhou
    "91350203M0001QKT19",  # Xiamen (hutool issue #4119)
]


@pytest.mark.parametrize("code", PILOT_CODES)
def test_a_fujian_pilot_code_is_accepted_and_known_as_pre_standard(code: str) -> None:
    assert credit_code_problem(code) is None
    assert is_pre_standard(code)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91350211M0000XUE46", "the organisation code's own check fails"),
        ("91440211M0000XUF46", "not a Fujian region code"),
        ("51350211M0000XUF46", "not registered by the AIC (9)"),
        ("91350200MA2Y123450", "a standard-era MA code with a wrong check character"),
        ("9135020061200331XA", "an old organisation-code body with a wrong check character"),
    ],
)
def test_every_other_check_character_error_is_still_refused(code: str, why: str) -> None:
    assert not is_pre_standard(code), why
    problem = credit_code_problem(code)
    assert problem is not None and "check character" in problem, why


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_code_that_passes_the_standard_is_not_pre_standard(code: str) -> None:
    assert not is_pre_standard(code)
