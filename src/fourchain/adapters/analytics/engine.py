"""The indicator source the services use: the Ibis catalogue run on one backend's tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from fourchain.adapters.analytics.chain_measures import breakdown, chain_measures
from fourchain.adapters.analytics.collab_indicators import MONTHLY, collab_yearly, macro_yearly
from fourchain.adapters.analytics.indicators_ibis import SpanFn, YearlyFn, catalogue_table
from fourchain.adapters.analytics.optional_tables import optional_spans
from fourchain.adapters.analytics.quiet import rows
from fourchain.adapters.analytics.registry_source import RegistryTables, registry_on_duckdb

Row = tuple[str, int, float | None, int | None]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class IbisIndicatorSource:
    """Answers the services' questions by running the catalogue's Ibis expressions."""

    def __init__(self, tables: RegistryTables) -> None:
        self.tables = tables
        self._spans: dict[str, SpanFn]
        self._spans, self._missing = optional_spans(tables)
        self._yearly: dict[str, YearlyFn]
        self._yearly, missing = collab_yearly(tables)
        self._yearly.update(macro_yearly())
        self._missing.update(missing)

    @classmethod
    def from_engine(cls, engine: Engine) -> IbisIndicatorSource:
        """The registry behind a SQLAlchemy engine, loaded into an in-memory DuckDB."""
        return cls(registry_on_duckdb(engine))

    def missing(self) -> dict[str, str]:
        """Indicators this registry cannot give, each with the reason."""
        return dict(self._missing)

    def compute(self, years: Sequence[int], spans: Sequence[tuple[int, int]]) -> list[Row]:
        expr = catalogue_table(
            self.tables, years, spans, extra_span=self._spans, extra_yearly=self._yearly
        )
        frame = rows(expr)
        return [
            (
                str(row["id"]),
                int(row["year"]),
                _number(row["value"]),
                None if row["span_start"] is None else int(row["span_start"]),
            )
            for row in frame
        ]

    def compute_months(self, indicator: str, year: int, first: int, last: int) -> float | None:
        """An indicator over months first..last of `year` (None when the records or the
        statistic for those months are absent)."""
        fn = MONTHLY.get(indicator)
        if fn is None or indicator in self._missing:
            return None
        return _number(fn(self.tables, year, first, last))

    def chain_measures(self, years: Sequence[int]) -> list[tuple[str, int, str, float]]:
        found = rows(chain_measures(self.tables, years))
        return [
            (str(r["chain"]), int(r["year"]), str(r["measure"]), _number(r["value"]) or 0.0)
            for r in found
        ]

    def chains(self) -> list[tuple[str, str, str]]:
        found = rows(self.tables.chains.order_by("key"))
        return [(str(r["key"]), str(r["name_zh"]), str(r["name_en"])) for r in found]

    def breakdown(
        self, indicator: str, by: str, years: Sequence[int]
    ) -> list[tuple[int, str | None, float | None]]:
        found = rows(breakdown(self.tables, indicator, by, years))
        return [
            (int(r["year"]), None if r["area"] is None else str(r["area"]), _number(r["value"]))
            for r in found
        ]
