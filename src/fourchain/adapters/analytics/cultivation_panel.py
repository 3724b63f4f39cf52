"""A registry year as columns (numpy), and the rules' features computed column-wise.

Each feature is read from the same catalogue (`domain.cultivation.catalogue.FEATURES`) the
per-enterprise evaluator uses; this module only says how each kind of calculation is done on
whole columns, with NaN for "unknown". `tests/integration/cultivation` checks it against the
per-enterprise evaluator value by value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from fourchain.domain.cultivation.features import (
    ATTRIBUTE_CODES,
    DERIVED_YEAR_FIELDS,
    EnterpriseProfile,
    attribute_value,
)
from fourchain.domain.cultivation.model import Calc, Feature
from fourchain.domain.registry import EnterpriseYear, Tier, year_end

Floats = npt.NDArray[np.float64]
YEAR_FIELDS = tuple(
    name for name in EnterpriseYear.__dataclass_fields__ if name not in ("credit_code", "year")
)
ATTRIBUTES = ("niche_since", "rd_institution_level", "key_chain_role", "strategic_emerging")


@dataclass
class Panel:
    """N enterprises: attributes, certificates held at the year's end, and yearly figures."""

    year: int
    credit_codes: list[str]
    founded_year: Floats
    attributes: dict[str, Floats]
    held: dict[str, Floats]  # tier → 1.0 / 0.0
    columns: dict[tuple[str, int], Floats] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.credit_codes)

    def column(self, name: str, year: int) -> Floats:
        if name in DERIVED_YEAR_FIELDS:
            plus, minus = DERIVED_YEAR_FIELDS[name]
            return self.column(plus, year) - self.column(minus, year)
        found = self.columns.get((name, year))
        if found is None:
            return np.full(self.n, np.nan)
        return found

    @classmethod
    def from_profiles(
        cls, profiles: Iterable[EnterpriseProfile], year: int, depth: int = 5
    ) -> Panel:
        """Columns from per-enterprise profiles (tests, small files)."""
        items = list(profiles)
        day = year_end(year)

        def num(value: object) -> float:
            return np.nan if value is None else float(value)  # type: ignore[arg-type]

        columns = {
            (name, y): np.array([num(_field(p, name, y)) for p in items], dtype=np.float64)
            for name in YEAR_FIELDS
            for y in range(year - depth + 1, year + 1)
        }
        founded = [p.enterprise.founded for p in items]
        return cls(
            year=year,
            credit_codes=[p.credit_code for p in items],
            founded_year=np.array([np.nan if f is None else f.year for f in founded]),
            attributes={
                name: np.array([num(attribute_value(p.enterprise, name)) for p in items])
                for name in ATTRIBUTES
            },
            held={
                tier.value: np.array(
                    [
                        float(any(c.tier is tier and c.valid_on(day) for c in p.certificates))
                        for p in items
                    ]
                )
                for tier in Tier
            },
            columns=columns,
        )


def _field(profile: EnterpriseProfile, name: str, year: int) -> object:
    row = profile.years.get(year)
    return None if row is None else getattr(row, name)


def code_attribute(name: str, values: Iterable[object]) -> Floats:
    """An attribute column coded as the per-enterprise evaluator codes it."""
    codes = ATTRIBUTE_CODES.get(name)
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out.append(np.nan)
        elif codes is not None:
            out.append(codes.get(str(value), np.nan))
        else:
            out.append(float(value))  # type: ignore[arg-type]
    return np.array(out, dtype=np.float64)


class ColumnFeatures:
    """Features of a panel, computed once each and kept (they are the explanations' values)."""

    def __init__(self, panel: Panel) -> None:
        self.panel = panel
        self.values: dict[str, Floats] = {}
        self.parts: dict[str, tuple[Floats, Floats]] = {}

    def get(self, feature: Feature) -> Floats:
        if feature.key not in self.values:
            with np.errstate(all="ignore"):
                self.values[feature.key] = self._compute(feature)
        return self.values[feature.key]

    def _operating(self, y: int) -> npt.NDArray[np.bool_]:
        founded = self.panel.founded_year
        return np.isnan(founded) | (y >= founded)

    def _window(self, name: str, n: int) -> tuple[list[Floats], list[npt.NDArray[np.bool_]]]:
        years = range(self.panel.year - n + 1, self.panel.year + 1)
        return [self.panel.column(name, y) for y in years], [self._operating(y) for y in years]

    def _sums(self, name: str, n: int) -> tuple[Floats, Floats, npt.NDArray[np.bool_]]:
        values, masks = self._window(name, n)
        total = np.zeros(self.panel.n)
        count = np.zeros(self.panel.n)
        unknown = np.zeros(self.panel.n, dtype=bool)
        for v, m in zip(values, masks, strict=True):
            unknown |= m & np.isnan(v)
            total = total + np.where(m, v, 0.0)
            count = count + m
        return total, count, unknown

    def _compute(self, f: Feature) -> Floats:
        p, y, names = self.panel, self.panel.year, f.fields
        if f.calc is Calc.LAST:
            return p.column(names[0], y).copy()
        if f.calc is Calc.TOTAL:
            out: Floats = np.sum([p.column(name, y) for name in names], axis=0)
            return out
        if f.calc in (Calc.SUM, Calc.AVG):
            total, count, unknown = self._sums(names[0], f.years)
            out = total if f.calc is Calc.SUM else total / count
            return np.where(unknown | (count == 0), np.nan, out)
        if f.calc is Calc.MIN:
            values, masks = self._window(names[0], f.years)
            return _masked_min(values, masks)
        if f.calc is Calc.ANY:
            values, masks = self._window(names[0], f.years)
            positive = np.any([m & (v > 0) for v, m in zip(values, masks, strict=True)], axis=0)
            unknown = np.any([m & np.isnan(v) for v, m in zip(values, masks, strict=True)], axis=0)
            return np.where(positive, 1.0, np.where(unknown, np.nan, 0.0))
        if f.calc is Calc.RATIO:
            num, count, unknown_num = self._sums(names[0], f.years)
            den, _, unknown_den = self._sums(names[1], f.years)
            bad = unknown_num | unknown_den | (count == 0)
            num, den = np.where(bad, np.nan, num), np.where(bad, np.nan, den)
            self.parts[f.key] = (num, den)
            return np.where(den == 0, np.nan, 100.0 * num / den)
        if f.calc is Calc.MIN_RATIO:
            nums, masks = self._window(names[0], f.years)
            dens, _ = self._window(names[1], f.years)
            ratios = [
                np.where(d == 0, np.nan, 100.0 * a / d) for a, d in zip(nums, dens, strict=True)
            ]
            return _masked_min(ratios, masks)
        if f.calc in (Calc.GROWTH, Calc.AVG_GROWTH, Calc.CAGR):
            return _growth(f.calc, [p.column(names[0], yy) for yy in range(y - 2, y + 1)])
        if f.calc is Calc.HNTE_GROWTH:
            return self._hnte_growth(names[0])
        if f.calc is Calc.YEARS_SINCE:
            since = p.founded_year if names[0] == "founded" else p.attributes[names[0]]
            return np.asarray(y - since, dtype=np.float64)
        if f.calc is Calc.ATTRIBUTE:
            return p.attributes[names[0]]
        if f.calc is Calc.HELD:
            return p.held[names[0]]
        raise ValueError(f"unknown calculation {f.calc}")

    def _hnte_growth(self, name: str) -> Floats:
        (a, b, c), (o0, o1, o2) = self._window(name, 3)
        unknown = (o0 & np.isnan(a)) | (o1 & np.isnan(b)) | (o2 & np.isnan(c))
        k = o0.astype(int) + o1 + o2
        two_years = 100.0 * (c / b - 1.0)
        three_years = 100.0 * (0.5 * (b / a + c / b) - 1.0)
        out = np.where((k == 2) | (a == 0), two_years, three_years)
        out = np.where((k < 2) | (b == 0), 0.0, out)
        return np.where(unknown, np.nan, out)


def _masked_min(values: list[Floats], masks: list[npt.NDArray[np.bool_]]) -> Floats:
    stacked = np.array([np.where(m, v, np.inf) for v, m in zip(values, masks, strict=True)])
    unknown = np.any([m & np.isnan(v) for v, m in zip(values, masks, strict=True)], axis=0)
    none = ~np.any(masks, axis=0)
    out = stacked.min(axis=0)
    return np.where(unknown | none, np.nan, out)


def _growth(calc: Calc, series: list[Floats]) -> Floats:
    y2, y1, y0 = series  # oldest first: Y-2, Y-1, Y
    if calc is Calc.GROWTH:
        return np.where(y1 <= 0, np.nan, 100.0 * (y0 / y1 - 1.0))
    if calc is Calc.AVG_GROWTH:
        out = 100.0 * ((y1 / y2 - 1.0) + (y0 / y1 - 1.0)) / 2.0
        return np.where((y2 <= 0) | (y1 <= 0) | np.isnan(y0), np.nan, out)
    out = 100.0 * (np.sqrt(y0 / y2) - 1.0)
    return np.where((y2 <= 0) | (y0 < 0) | np.isnan(y1), np.nan, out)
