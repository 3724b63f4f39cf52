"""ISO 3166 through pycountry: codes and English names read as alpha-2; names in Chinese."""

from __future__ import annotations

import pytest

from fourchain.adapters.countries import country_names, iso_country


@pytest.mark.parametrize(("text", "code"), [("BR", "BR"), ("bra", "BR"), ("Brazil", "BR")])
def test_a_country_is_read_as_its_iso_alpha_2_code(text: str, code: str) -> None:
    assert iso_country(text) == code


@pytest.mark.parametrize("text", ["", "Atlantis", "XX"])
def test_an_unknown_country_is_none(text: str) -> None:
    assert iso_country(text) is None


def test_a_country_is_named_in_chinese_and_english() -> None:
    assert country_names("BR") == ("巴西", "Brazil")
