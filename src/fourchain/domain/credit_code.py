"""The unified social credit code (统一社会信用代码) of GB 32100-2015 and its check character,
and the pre-standard codes of Fujian's pilot years that the standard's check refuses.

Fujian (Xiamen and Fuzhou among it) issued unified codes to firms from 2014, before
GB 32100-2015 fixed how the 18th character is computed, and those codes stay the firms' legal
codes (e.g. 91350211M0000XUF46, 91350203M0001FUE2P, 91350100M0001TGQXM; hutool issue #4119,
91350203M0001QKT19: "厦门某些企业在2016年以前注册的代码都不符合这个标准"). Such a code is told
apart from a mistyped one by what the pilot issued (docs/import-export.md, "Credit codes"):
registration authority 9 (工商), a Fujian region code (35xxxx), a subject identifier from the
pilot's own series — `M` then a digit, where codes under the standard carry `MA`… — whose
GB 11714 organisation-code check character (the 17th) holds. Every other check-character
error is still refused."""

from __future__ import annotations

import re

# The code's alphabet: digits and upper-case letters without I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"need 17 characters, got {len(first17)}")
    total = 0
    for ch, weight in zip(first17, _WEIGHTS, strict=True):
        if ch not in _VALUE:
            raise ValueError(f"character {ch!r} is not allowed in a credit code")
        total += _VALUE[ch] * weight
    return ALPHABET[(31 - total % 31) % 31]


# GB 11714-1997: the organisation code's eight-character body, weights and check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_PILOT = re.compile(r"9[0-9A-Y]35\d{4}M\d[0-9A-Y]{7}")


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def organisation_check(body: str) -> str:
    """The GB 11714 check character of an eight-character organisation-code body."""
    remainder = 11 - sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def is_pre_standard(code: str) -> bool:
    """Whether `code` is a Fujian pilot-era code: well formed, failing GB 32100-2015's check
    character, with the pilot's `M`-digit subject identifier whose own GB 11714 check holds."""
    if len(code) != LENGTH or not _PILOT.fullmatch(code[:17]) or code[17] not in _VALUE:
        return False
    if any(ch not in _VALUE for ch in code):
        return False
    return code[17] != check_character(code[:17]) and organisation_check(code[8:16]) == code[16]


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid credit code, or None when it is (a pre-standard pilot code
    is valid: see is_pre_standard)."""
    if len(code) != LENGTH:
        return f"a credit code has 18 characters, this has {len(code)}"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"characters not allowed in a credit code: {''.join(bad)}"
    expected = check_character(code[:17])
    if code[17] != expected and not is_pre_standard(code):
        return f"check character is {code[17]!r}, GB 32100-2015 gives {expected!r}"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def make_credit_code(first17: str) -> str:
    """Complete 17 characters into a valid code (for generators and tests)."""
    return first17 + check_character(first17)
