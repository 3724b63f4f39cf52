"""Passwords after NIST SP 800-63B: a length rule and a blocklist, no composition rules.

The blocklist is zxcvbn's: its dictionaries of common passwords (and common words and names),
repeats ("aaaaaaaa", eight spaces), sequences ("12345678", "abcdefgh"), keyboard walks, dates,
and the contextual words given to it — the username and the product's names. A password is
refused when zxcvbn finds it guessable in fewer than a million tries (its score below 2).
"""

from __future__ import annotations

from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from fourchain.domain.accounts import check_password
from fourchain.errors import InvalidInput

# Words of this product an attacker would try first, beside the username.
PRODUCT_WORDS = ("fourchain", "four chain", "四链", "四链融合", "科技局", "kejiju")
MIN_GUESSES_LOG10 = 6.0
# zxcvbn's work grows with the length; past this the tail adds strength, not risk.
_SCREENED = 100


def screen_password(password: str, username: str) -> None:
    """Refuse a password that is too short, too long, common, or made of the context."""
    check_password(password)
    lowered = password.casefold()
    name = username.strip().casefold()
    if name and (lowered == name or name in lowered and len(lowered) - len(name) < 4):
        raise InvalidInput("the password must not be the username or a variant of it")
    found = zxcvbn(password[:_SCREENED], user_inputs=[username, *PRODUCT_WORDS])
    if float(found["guesses_log10"]) < MIN_GUESSES_LOG10:
        warning = str(found["feedback"].get("warning") or "").rstrip(".")
        reason = f": {warning}" if warning else ""
        raise InvalidInput(
            f"the password is too easy to guess{reason}; choose a longer phrase of unrelated words"
        )
