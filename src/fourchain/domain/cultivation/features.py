"""The derived inputs the rules test, computed from one enterprise's profile for one year.

The panel year Y is the rules' "last fiscal year"; "the last n years" are Y−n+1 … Y. Years
before the enterprise was founded are outside its operating period and are left out (the
HNTE rule "or the actual operating period if under 3 years"); a year inside it with no figure
makes the feature unknown. Ratios and growth rates are in percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fourchain.domain.cultivation.model import Calc, Feature
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, year_end

# Ordinal codes of the enterprise's categorical attributes, so thresholds can test them.
ATTRIBUTE_CODES: dict[str, dict[str, float]] = {
    "rd_institution_level": {"none": 0.0, "municipal": 1.0, "provincial": 2.0, "national": 3.0},
    "key_chain_role": {"none": 0.0, "supplies_leading": 1.0, "fills_gap": 2.0},
}
# Per-year quantities that are not columns of the panel.
DERIVED_YEAR_FIELDS = {"net_assets": ("total_assets", "total_liabilities")}


@dataclass
class EnterpriseProfile:
    """What the rules read of one enterprise: its record, its panel years, its certificates."""

    enterprise: Enterprise
    years: dict[int, EnterpriseYear] = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def credit_code(self) -> str:
        return self.enterprise.credit_code


def year_value(profile: EnterpriseProfile, name: str, year: int) -> float | None:
    """One panel figure as a number (booleans as 1/0); None when the row or value is missing."""
    row = profile.years.get(year)
    if row is None:
        return None
    if name in DERIVED_YEAR_FIELDS:
        plus, minus = (year_value(profile, part, year) for part in DERIVED_YEAR_FIELDS[name])
        return None if plus is None or minus is None else plus - minus
    value = getattr(row, name)
    if value is None:
        return None
    return float(value)


def attribute_value(enterprise: Enterprise, name: str) -> float | None:
    value = getattr(enterprise, name)
    if value is None:
        return None
    if name in ATTRIBUTE_CODES:
        return ATTRIBUTE_CODES[name].get(str(value))
    return float(value)


def operating_years(profile: EnterpriseProfile, year: int, n: int) -> list[int]:
    """The last n years up to `year` that fall in the operating period (oldest first)."""
    founded = profile.enterprise.founded
    return [y for y in range(year - n + 1, year + 1) if founded is None or y >= founded.year]


def _window(profile: EnterpriseProfile, name: str, years: list[int]) -> list[float] | None:
    values = [year_value(profile, name, y) for y in years]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None]


def ratio_parts(
    profile: EnterpriseProfile, feature: Feature, year: int
) -> tuple[float, float] | None:
    """Σ numerator and Σ denominator of a RATIO feature over its years (None: unknown)."""
    years = operating_years(profile, year, feature.years)
    num = _window(profile, feature.fields[0], years)
    den = _window(profile, feature.fields[1], years)
    if not years or num is None or den is None:
        return None
    return sum(num), sum(den)


def hnte_growth(values: list[float]) -> float:
    """The 指引's growth rate over the operating years (oldest first, at most three), in
    percent: ½(y2/y1 + y3/y2) − 1; on the last two years when y1 is 0; 0 (scores 0) when y2
    is 0 or fewer than two years exist."""
    if len(values) < 2:
        return 0.0
    *earlier, y2, y3 = values
    if y2 == 0:
        return 0.0
    if not earlier or earlier[-1] == 0:
        return 100.0 * (y3 / y2 - 1.0)
    y1 = earlier[-1]
    return 100.0 * (0.5 * (y2 / y1 + y3 / y2) - 1.0)


def compute(feature: Feature, profile: EnterpriseProfile, year: int) -> float | None:
    """The feature's value for `profile` in `year`; None when an input is missing."""
    calc, names = feature.calc, feature.fields
    if calc is Calc.LAST:
        return year_value(profile, names[0], year)
    if calc is Calc.TOTAL:
        values = [year_value(profile, name, year) for name in names]
        known = [v for v in values if v is not None]
        return None if len(known) < len(values) else sum(known)
    if calc in (Calc.SUM, Calc.AVG, Calc.MIN, Calc.ANY):
        years = operating_years(profile, year, feature.years)
        return _over_years(calc, [year_value(profile, names[0], y) for y in years])
    if calc is Calc.RATIO:
        sums = ratio_parts(profile, feature, year)
        if sums is None or sums[1] == 0:
            return None
        return 100.0 * sums[0] / sums[1]
    if calc is Calc.MIN_RATIO:
        ratios = []
        for y in operating_years(profile, year, feature.years):
            num, den = year_value(profile, names[0], y), year_value(profile, names[1], y)
            if num is None or den is None or den == 0:
                return None
            ratios.append(100.0 * num / den)
        return min(ratios) if ratios else None
    if calc in (Calc.GROWTH, Calc.AVG_GROWTH, Calc.CAGR):
        back = 1 if calc is Calc.GROWTH else 2
        series = [year_value(profile, names[0], y) for y in range(year - back, year + 1)]
        return _growth(calc, series)
    if calc is Calc.HNTE_GROWTH:
        window = _window(profile, names[0], operating_years(profile, year, 3))
        return None if window is None else hnte_growth(window)
    if calc is Calc.YEARS_SINCE:
        value = getattr(profile.enterprise, names[0])
        if value is None:
            return None
        since = value if isinstance(value, int) else value.year
        return float(year - since)
    if calc is Calc.ATTRIBUTE:
        return attribute_value(profile.enterprise, names[0])
    if calc is Calc.HELD:
        day = year_end(year)
        held = any(c.tier.value == names[0] and c.valid_on(day) for c in profile.certificates)
        return 1.0 if held else 0.0
    raise ValueError(f"unknown calculation {calc}")


def _over_years(calc: Calc, values: list[float | None]) -> float | None:
    if calc is Calc.ANY:
        if any(v is not None and v > 0 for v in values):
            return 1.0
        return None if any(v is None for v in values) else 0.0
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    if calc is Calc.SUM:
        return sum(known)
    if calc is Calc.AVG:
        return sum(known) / len(known)
    return min(known)


def _growth(calc: Calc, series: list[float | None]) -> float | None:
    """Growth in percent over `series` (oldest first); None when a base year is ≤ 0 or missing."""
    if any(v is None for v in series):
        return None
    s = [v for v in series if v is not None]
    if calc is Calc.GROWTH:
        return None if s[0] <= 0 else 100.0 * (s[1] / s[0] - 1.0)
    if calc is Calc.AVG_GROWTH:
        if s[0] <= 0 or s[1] <= 0:
            return None
        return 100.0 * ((s[1] / s[0] - 1.0) + (s[2] / s[1] - 1.0)) / 2.0
    if s[0] <= 0 or s[2] < 0:
        return None
    return 100.0 * (math.sqrt(s[2] / s[0]) - 1.0)
