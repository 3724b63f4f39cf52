"""Published claims: reading their value, unit and period, and judging a computed value against one.

A published value carries its own precision: "3.46" is consistent with any computed value that
rounds to 3.46 at two decimals (half away from zero); "13" with a "(lower bound)" unit means the
computed value must exceed 13; "(about)" allows a relative tolerance of ABOUT_TOLERANCE.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from fourchain.errors import InvalidInput

# "about 100" in a bulletin is a round figure: we accept ±10 % of it.
ABOUT_TOLERANCE = 0.10

CLAIM_COLUMNS = ("id", "indicator", "topic", "claim", "value", "unit", "period", "comparison")


class Bound(StrEnum):
    EXACT = "exact"
    LOWER = "lower bound"
    ABOUT = "about"


class Status(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    NOT_DERIVABLE = "not derivable"


@dataclass(frozen=True)
class Period:
    """A year (2025), a span of years (2021-2025) or a span of months (2025-01..2025-08)."""

    start: int
    end: int
    months: tuple[int, int] | None = None

    @property
    def is_year(self) -> bool:
        return self.start == self.end and self.months is None

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        if self.months is not None:
            return f"{self.start}-{self.months[0]:02d}..{self.end}-{self.months[1]:02d}"
        return str(self.start) if self.is_year else f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Claim:
    id: str
    indicator: str
    claim: str
    value: Decimal
    unit: str  # the base unit, qualifiers removed: "percent", "count", ...
    bound: Bound
    period: Period
    topic: str = ""
    comparison: str = ""

    @property
    def decimals(self) -> int:
        exponent = self.value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    status: Status
    computed: float | None = None
    detail: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.claim.id,
            "indicator": self.claim.indicator,
            "period": str(self.claim.period),
            "published": float(self.claim.value),
            "unit": self.claim.unit,
            "bound": self.claim.bound.value,
            "status": self.status.value,
            "computed": self.computed,
            "detail": self.detail,
        }


_PERIOD_YEAR = re.compile(r"^(\d{4})$")
_PERIOD_SPAN = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_PERIOD_MONTHS = re.compile(r"^(\d{4})-(\d{2})\s*\.\.\s*(\d{4})-(\d{2})$")
_UNIT = re.compile(r"^\s*([^()]+?)\s*(?:\((.*)\))?\s*$")


def parse_period(text: str) -> Period:
    text = text.strip()
    if match := _PERIOD_YEAR.match(text):
        year = int(match.group(1))
        return Period(year, year)
    if match := _PERIOD_SPAN.match(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start > end:
            raise InvalidInput(f"period {text!r} ends before it starts")
        return Period(start, end)
    if match := _PERIOD_MONTHS.match(text):
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or (y1, m1) > (y2, m2):
            raise InvalidInput(f"period {text!r} is not a valid span of months")
        return Period(y1, y2, (m1, m2))
    raise InvalidInput(f"period {text!r} is not a year, YYYY-YYYY or YYYY-MM..YYYY-MM")


def parse_unit(text: str) -> tuple[str, Bound]:
    """'percent (lower bound)' -> ('percent', LOWER); 'yuan (lower bound; first time)' too."""
    match = _UNIT.match(text)
    if not match or not match.group(1).strip():
        raise InvalidInput(f"unit {text!r} is empty")
    base = match.group(1).strip()
    qualifiers = [q.strip() for q in (match.group(2) or "").split(";") if q.strip()]
    bound = Bound.EXACT
    if "lower bound" in qualifiers:
        bound = Bound.LOWER
    elif "about" in qualifiers:
        bound = Bound.ABOUT
    return base, bound


def parse_claim(row: Mapping[str, str | None], where: str) -> Claim:
    """One CSV row as a Claim; `where` (file:line) names the row in errors."""

    def cell(key: str, required: bool = True) -> str:
        value = (row.get(key) or "").strip()
        if required and not value:
            raise InvalidInput(f"{where}: column {key!r} is empty")
        return value

    try:
        value = Decimal(cell("value"))
    except InvalidOperation:
        raise InvalidInput(f"{where}: value {row.get('value')!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{where}: value {row.get('value')!r} is not a finite number")
    try:
        unit, bound = parse_unit(cell("unit"))
        period = parse_period(cell("period"))
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error.message}") from None
    return Claim(
        id=cell("id"),
        indicator=cell("indicator"),
        claim=cell("claim", required=False),
        value=value,
        unit=unit,
        bound=bound,
        period=period,
        topic=cell("topic", required=False),
        comparison=cell("comparison", required=False),
    )


def parse_claims(rows: Sequence[Mapping[str, str | None]], file: str) -> list[Claim]:
    """Every row of a claims file (header on line 1); duplicate ids are an error."""
    claims: list[Claim] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        claim = parse_claim(row, f"{file}:{number}")
        if claim.id in seen:
            raise InvalidInput(f"{file}:{number}: claim id {claim.id!r} appears twice")
        seen.add(claim.id)
        claims.append(claim)
    return claims


def rounds_to(computed: float, published: Decimal) -> bool:
    """Does `computed`, rounded half away from zero at the published decimals, equal it?"""
    places = Decimal(1).scaleb(published.as_tuple().exponent)  # type: ignore[arg-type]
    rounded = Decimal(repr(computed)).quantize(places, rounding=ROUND_HALF_UP)
    return rounded == published


def judge(claim: Claim, computed: float) -> Verdict:
    """Consistent or not, with both numbers in the detail when not."""
    published = float(claim.value)
    if claim.bound is Bound.LOWER:
        ok = computed > published
        rule = f"computed {computed:g} must exceed {published:g}"
    elif claim.bound is Bound.ABOUT:
        ok = abs(computed - published) <= ABOUT_TOLERANCE * abs(published)
        rule = f"computed {computed:g} must be within ±{ABOUT_TOLERANCE:.0%} of {published:g}"
    else:
        ok = rounds_to(computed, claim.value)
        rule = f"computed {computed:g} must round to {claim.value} at {claim.decimals} decimals"
    status = Status.CONSISTENT if ok else Status.INCONSISTENT
    return Verdict(claim, status, computed, "" if ok else rule)


def judge_each(claim: Claim, computed_by_year: Mapping[int, float | None]) -> Verdict:
    """A claim that holds for each year of its span: every year must pass; the detail names the
    first year that fails. The reported computed value is the one that decides (the weakest)."""
    missing = [year for year in claim.period.years if computed_by_year.get(year) is None]
    if missing:
        return not_derivable(claim, f"no value for {', '.join(map(str, missing))}")
    values = {year: float(computed_by_year[year]) for year in claim.period.years}  # type: ignore[arg-type]
    for year, value in values.items():
        verdict = judge(claim, value)
        if verdict.status is Status.INCONSISTENT:
            return Verdict(claim, Status.INCONSISTENT, value, f"{year}: {verdict.detail}")
    weakest = min(values.values()) if claim.bound is Bound.LOWER else values[claim.period.end]
    return Verdict(claim, Status.CONSISTENT, weakest)


def not_derivable(claim: Claim, why: str) -> Verdict:
    return Verdict(claim, Status.NOT_DERIVABLE, None, why)
