"""Numbers as a Chinese bulletin writes them (万, 亿, 个百分点, 3.08%), and in English."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN = 10_000
YI = 100_000_000
WAN_YI = WAN * YI

# How many decimals a unit is shown with when the caller does not say.
DEFAULT_DECIMALS = {
    "percent": 2,
    "percentage points": 2,
    "per 10000 residents": 1,
    "index": 1,
    "count": 0,
    "years": 0,
    "rank": 0,
}

# The measure word a bulletin puts after a count of each kind of thing.
MEASURE_WORDS = {
    "count": "家",
    "years": "年",
    "per 10000 residents": "件",
    "rank": "位",
}


def rounded(value: float, decimals: int) -> str:
    """Half away from zero, as statistical bulletins round; no exponent notation."""
    places = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP))
    return "0" if text in ("-0", "-0.0") and decimals == 0 else text


def _trim(text: str) -> str:
    """2.00 -> 2, 2.50 -> 2.5: amounts in 亿 and 万亿 read without trailing zeros."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def yuan_zh(value: float, decimals: int = 2) -> str:
    """5,000,000,000 -> '50亿元'; 2,050,000,000,000 -> '2.05万亿元'; 35,000 -> '3.5万元'."""
    size = abs(value)
    if size >= WAN_YI:
        return f"{_trim(rounded(value / WAN_YI, decimals))}万亿元"
    if size >= YI:
        return f"{_trim(rounded(value / YI, decimals))}亿元"
    if size >= WAN:
        return f"{_trim(rounded(value / WAN, decimals))}万元"
    return f"{_trim(rounded(value, decimals))}元"


def count_zh(value: float, word: str = "家") -> str:
    """4735 -> '4735家'; 1,250,000 -> '125万家' (large counts in 万, as bulletins do)."""
    if abs(value) >= 10 * WAN:
        return f"{_trim(rounded(value / WAN, 2))}万{word}"
    return f"{rounded(value, 0)}{word}"


def format_zh(value: float, unit: str, decimals: int | None = None, word: str | None = None) -> str:
    """A value in a published unit, written for a Chinese reader."""
    places = DEFAULT_DECIMALS.get(unit, 2) if decimals is None else decimals
    if unit == "percent":
        return f"{rounded(value, places)}%"
    if unit == "percentage points":
        return f"{rounded(value, places)}个百分点"
    if unit == "yuan":
        return yuan_zh(value, 2 if decimals is None else decimals)
    if unit == "count":
        return count_zh(value, word if word is not None else "家")
    measure = MEASURE_WORDS.get(unit, "") if word is None else word
    return f"{rounded(value, places)}{measure}"


def format_en(value: float, unit: str, decimals: int | None = None) -> str:
    """The same value for an English reader: 3.46%, 0.77 pp, CNY 2.05 trillion, 4,735."""
    places = DEFAULT_DECIMALS.get(unit, 2) if decimals is None else decimals
    if unit == "percent":
        return f"{rounded(value, places)}%"
    if unit == "percentage points":
        return f"{rounded(value, places)} percentage points"
    if unit == "yuan":
        size = abs(value)
        for scale, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if size >= scale:
                return f"CNY {_trim(rounded(value / scale, 2))} {name}"
        return f"CNY {float(rounded(value, 0)):,.0f}"
    if unit in ("count", "rank"):
        return f"{float(rounded(value, 0)):,.0f}"
    if unit == "years":
        return f"{rounded(value, 0)} years"
    return rounded(value, places)


def change_verb_zh(before: float, after: float) -> str:
    """提升至 / 下降至 / 保持在: the verb a bulletin uses between two levels."""
    if after > before:
        return "提升至"
    if after < before:
        return "下降至"
    return "保持在"
