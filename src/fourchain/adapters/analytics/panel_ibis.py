"""A registry year as the batch evaluator's panel, built by one Ibis expression on any backend
(DuckDB, PySpark): the scan, the year pivot and the certificate join run on the engine; the
rule sets are then evaluated column-wise by the same batch engine as `assess --db`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from fourchain.adapters.analytics.cultivation_batch import VERDICTS, assess_panel
from fourchain.adapters.analytics.cultivation_explain import explain
from fourchain.adapters.analytics.cultivation_panel import (
    ATTRIBUTES,
    YEAR_FIELDS,
    Panel,
    code_attribute,
)
from fourchain.adapters.analytics.quiet import ibis_on_duckdb
from fourchain.adapters.analytics.registry_source import RegistryTables
from fourchain.domain.cultivation import RuleSet
from fourchain.domain.registry import Tier, year_end
from fourchain.services.cultivation import TierTable

DEPTH = 5  # as the SQL read: the rules look back at most five years


def panel_expression(tables: RegistryTables, year: int) -> Any:
    """One row per enterprise founded by the end of `year`: attributes, one column per panel
    field and year (`<field>__<year>`), and a 0/1 column per tier held at the year's end."""
    day = year_end(year)
    e = tables.enterprises
    e = e.filter(e.founded.isnull() | (e.founded <= ibis.literal(day)))
    e = e.select("credit_code", *ATTRIBUTES, founded_year=e.founded.year().cast("float64"))
    y = tables.enterprise_years
    years = range(year - DEPTH + 1, year + 1)
    y = y.filter(y.year.between(years[0], years[-1]))
    wide = y.group_by("credit_code").aggregate(
        **{
            f"{name}__{yy}": y[name].cast("float64").max(where=y.year == yy)
            for name in YEAR_FIELDS
            for yy in years
        }
    )
    c = tables.certificates
    when = ibis.literal(day)
    c = c.filter(
        (c.issued <= when) & (c.expires >= when) & (c.revoked.isnull() | (c.revoked > when))
    )
    held = c.group_by("credit_code").aggregate(
        **{f"held__{t.value}": (c.tier == t.value).ifelse(1.0, 0.0).max() for t in Tier}
    )
    joined = e.left_join(wide, "credit_code").left_join(held, "credit_code")
    keep = [
        "credit_code",
        "founded_year",
        *ATTRIBUTES,
        *(f"{n}__{yy}" for n in YEAR_FIELDS for yy in years),
        *(f"held__{t.value}" for t in Tier),
    ]
    return joined.select(*keep).order_by("credit_code")


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    return np.asarray(column.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def panel_from_tables(tables: RegistryTables, year: int) -> Panel:
    """The panel of `year` computed on the tables' backend and handed over as Arrow."""
    with ibis_on_duckdb():
        arrow = panel_expression(tables, year).to_pyarrow()
    years = range(year - DEPTH + 1, year + 1)
    return Panel(
        year=year,
        credit_codes=arrow.column("credit_code").to_pylist(),
        founded_year=_floats(arrow.column("founded_year")),
        attributes={
            name: code_attribute(name, arrow.column(name).to_pylist()) for name in ATTRIBUTES
        },
        held={
            t.value: np.nan_to_num(_floats(arrow.column(f"held__{t.value}")), nan=0.0) for t in Tier
        },
        columns={
            (name, yy): _floats(arrow.column(f"{name}__{yy}"))
            for name in YEAR_FIELDS
            for yy in years
        },
    )


class IbisPanelAssessor:
    """The tier batch over Ibis tables (a snapshot on DuckDB or PySpark)."""

    def __init__(self, tables: RegistryTables) -> None:
        self.tables = tables

    def assess(self, year: int, rule_sets: Sequence[RuleSet], tolerance: float) -> list[TierTable]:
        panel = panel_from_tables(self.tables, year)
        return [
            TierTable(
                rule_set=result.rule_set,
                credit_codes=panel.credit_codes,
                verdicts=[VERDICTS[v].value for v in result.verdict.tolist()],
                gaps=result.gap_total.tolist(),
                explain=lambda row, result=result: explain(result, row),  # type: ignore[misc]
            )
            for result in assess_panel(panel, list(rule_sets), tolerance=tolerance)
        ]
