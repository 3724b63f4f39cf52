"""The password blocklist (NIST SP 800-63B): common, repeated, sequential and contextual."""

from __future__ import annotations

import pytest

from fourchain.errors import InvalidInput
from fourchain.services.passwords import screen_password


@pytest.mark.parametrize(
    ("password", "username"),
    [
        ("password", "wang"),
        ("12345678", "wang"),
        (" " * 8, "wang"),
        ("aaaaaaaaaaaa", "wang"),
        ("qwertyuiop", "wang"),
        ("abcdefghij", "wang"),
        ("iloveyou1", "wang"),
        ("wangwei-tech", "wangwei-tech"),  # the username itself
        ("Wangwei-Tech1", "wangwei-tech"),  # the username, capitalised, one digit added
        ("fourchain2025", "wang"),  # the product's name and a year
        ("Fourchain!", "wang"),
    ],
)
def test_a_common_repeated_or_contextual_password_is_refused(password: str, username: str) -> None:
    with pytest.raises(InvalidInput, match="password"):
        screen_password(password, username)


@pytest.mark.parametrize(
    "password",
    ["correct-horse-battery", "demo-admin-2025", "long-enough-1", "风起于青萍之末浪成于微澜之间"],
)
def test_a_phrase_of_unrelated_words_is_accepted(password: str) -> None:
    screen_password(password, "wang")
