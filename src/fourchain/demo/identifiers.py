"""Synthetic identifiers: GB 32100 credit codes, CNIPA patent numbers, firm names."""

from __future__ import annotations

import random

from fourchain.demo.vocabulary import DISTRICTS, NAME_SYLLABLES, SYNTHETIC_MARK
from fourchain.domain.credit_code import ALPHABET, make_credit_code

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Body characters of organisation codes issued since 2015 start "MA"; the rest avoids the
# letters GB 32100 leaves out (I, O, Z, S, V).
_BODY = ALPHABET


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 55


def organisation_code(body8: str) -> str:
    """GB 11714 organisation code: eight body characters and their check character."""
    total = sum(_org_value(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(district: str, serial: int) -> str:
    """A valid credit code for an enterprise (registration dept 9, type 1) in `district`;
    distinct serials give distinct codes."""
    body = ""
    n = serial
    for _ in range(6):
        n, digit = divmod(n, len(_BODY))
        body = _BODY[digit] + body
    if n:
        raise ValueError(f"serial {serial} is too large for a synthetic credit code")
    return make_credit_code("91" + DISTRICTS[district] + organisation_code("MA" + body))


def patent_number(year: int, kind_digit: int, serial: int) -> str:
    """A CNIPA application number ZL + year + kind + 7 digits + '.' + check digit."""
    digits = f"{year}{kind_digit}{serial:07d}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


class NamePool:
    """Unique synthetic firm names: 厦门 + two drawn syllables + trade word + 有限公司（示例）."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def firm(self, trade_word: str) -> str:
        for _ in range(50):
            brand = "".join(self.rng.sample(NAME_SYLLABLES, 2))
            name = f"厦门{brand}{trade_word}有限公司{SYNTHETIC_MARK}"
            if name not in self.used:
                self.used.add(name)
                return name
        while True:  # two syllables ran out for this trade word: three give ample room
            brand = "".join(self.rng.sample(NAME_SYLLABLES, 3))
            name = f"厦门{brand}{trade_word}有限公司{SYNTHETIC_MARK}"
            if name not in self.used:
                self.used.add(name)
                return name
