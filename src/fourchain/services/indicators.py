"""Indicator use cases: every indicator of a year, trends, breakdowns and the fusion index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fourchain.domain.indicators.catalogue import BY_AREA, CATALOGUE, Level
from fourchain.domain.indicators.composite import MEASURES, FusionScore, fusion_index
from fourchain.errors import InvalidInput
from fourchain.services.ports import IndicatorSource

# A plan period is five years; span indicators in a year's listing cover the five ending in it.
PLAN_YEARS = 5
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class IndicatorValue:
    id: str
    year: int
    value: float | None
    unit: str
    span_start: int | None = None
    chain: str | None = None  # set for the fusion index, which is per industry chain

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
        }
        if self.chain is not None:
            data["chain"] = self.chain
        return data


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"--year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    return year


def plan_span(year: int) -> tuple[int, int]:
    return (year - PLAN_YEARS + 1, year)


def values_for(
    source: IndicatorSource, years: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[IndicatorValue]:
    """Every catalogue indicator the source can give for `years` (yearly) and `spans`."""
    out = [
        IndicatorValue(id_, year, value, CATALOGUE[id_].unit, start)
        for id_, year, value, start in source.compute(years, spans)
    ]
    return sorted(out, key=lambda v: (v.id, v.year, v.span_start or 0))


def fusion_scores(source: IndicatorSource, year: int) -> list[FusionScore]:
    """The fusion index of every industry chain in `year`; a chain with no records reads 0."""
    measures: dict[str, dict[str, float | None]] = {
        key: dict.fromkeys(MEASURES, 0.0) for key, _zh, _en in source.chains()
    }
    for chain, row_year, measure, value in source.chain_measures([year]):
        if row_year == year and chain in measures:
            measures[chain][measure] = value
    return fusion_index(measures)


def year_indicators(source: IndicatorSource, year: int) -> list[IndicatorValue]:
    """Every indicator in `year`, in the catalogue's order: yearly ones at its end, span ones
    over the five years ending in it, and the fusion index once per industry chain."""
    check_year(year)
    computed = {v.id: v for v in values_for(source, [year], [plan_span(year)])}
    out: list[IndicatorValue] = []
    for indicator in CATALOGUE.values():
        if indicator.levels == (Level.CHAIN,):
            out.extend(
                IndicatorValue(indicator.id, year, round(s.index, 6), indicator.unit, chain=s.chain)
                for s in fusion_scores(source, year)
            )
        elif indicator.id in computed:
            out.append(computed[indicator.id])
    return out


def trends(source: IndicatorSource, first: int, last: int) -> dict[str, dict[int, float | None]]:
    """Each yearly indicator's value in every year first..last (None where it has none)."""
    check_year(first)
    check_year(last)
    if first > last:
        raise InvalidInput(f"the first year {first} is after the last {last}")
    years = list(range(first, last + 1))
    series: dict[str, dict[int, float | None]] = {}
    for value in values_for(source, years, []):
        series.setdefault(value.id, {})[value.year] = value.value
    return series


def breakdown(
    source: IndicatorSource, indicator: str, by: str, years: Sequence[int]
) -> list[tuple[int, str | None, float | None]]:
    spec = CATALOGUE.get(indicator)
    if spec is None or spec.levels != BY_AREA:
        raise InvalidInput(f"indicator {indicator!r} has no breakdown by area")
    if by not in ("district", "zone", "cluster", "chain"):
        raise InvalidInput(f"cannot break down by {by!r}: use district, zone, cluster or chain")
    return source.breakdown(indicator, by, years)
