"""Indicators read from the programme projects' tables (key technology projects, national major
projects led, leading-level products, programme funding), and why they are not derivable when
the tables are absent or empty."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from fourchain.adapters.analytics.indicators_ibis import Context, SpanFn
from fourchain.adapters.analytics.quiet import ibis_on_duckdb
from fourchain.adapters.analytics.registry_source import RegistryTables
from fourchain.domain.programmes import KEY_TECH_KINDS, LEADING_LEVELS, OutcomeKind, ProgrammeKind

PROJECT_INDICATORS = {
    "key_tech_projects": tuple(k.value for k in KEY_TECH_KINDS),
    "national_major_projects_led": (ProgrammeKind.NATIONAL_MAJOR.value,),
}


def _span_value(rows: Table, value: ibis.Value, end: int) -> Table:
    return rows.aggregate(value=value.cast("float64")).select(
        year=ibis.literal(end, "int64"), value="value"
    )


def _approved(ctx: Context, kinds: tuple[str, ...], start: int, end: int) -> Table:
    """Projects approved (立项) in [start, end] under programmes of `kinds`."""
    t = ctx.t
    assert t.programme_projects is not None and t.programme_calls is not None
    assert t.programmes is not None
    projects, calls, programmes = t.programme_projects, t.programme_calls, t.programmes
    kinds_of = calls.join(programmes, calls.programme == programmes.key).select(
        call_id=calls.id, kind=programmes.kind
    )
    joined = projects.join(kinds_of, projects.call_id == kinds_of.call_id)
    year = joined.approved.year()
    return joined.filter(
        joined.approved.notnull() & year.between(start, end) & joined.kind.isin(kinds)
    )


def _count_projects(kinds: tuple[str, ...]) -> SpanFn:
    def fn(ctx: Context, start: int, end: int) -> Table:
        rows = _approved(ctx, kinds, start, end)
        return _span_value(rows, rows.count(), end)

    return fn


def _funding(ctx: Context, start: int, end: int) -> Table:
    rows = _approved(ctx, tuple(k.value for k in ProgrammeKind), start, end)
    return _span_value(rows, rows.public_budget.sum().fill_null(0), end)


def _leading_products(ctx: Context, start: int, end: int) -> Table:
    outcomes = ctx.t.programme_outcomes
    assert outcomes is not None
    levels = tuple(level.value for level in LEADING_LEVELS)
    rows = outcomes.filter(
        (outcomes.kind == OutcomeKind.PRODUCT.value)
        & outcomes.level.isin(levels)
        & outcomes.appraised.notnull()
        & outcomes.appraised.year().between(start, end)
    )
    return _span_value(rows, rows.reference.nunique(), end)


def _empty(table: Table | None) -> bool:
    with ibis_on_duckdb():
        return table is None or int(table.count().to_pyarrow().as_py()) == 0


def programme_spans(tables: RegistryTables) -> tuple[dict[str, SpanFn], dict[str, str]]:
    """The expressions the programme tables support, and a reason for each they cannot."""
    names = ("programme_projects", "programme_calls", "programmes")
    absent = [name for name in names if getattr(tables, name) is None]
    spans: dict[str, SpanFn] = {}
    missing: dict[str, str] = {}
    project_ids = (*PROJECT_INDICATORS, "programme_funding")
    if absent:
        for indicator in (*project_ids, "leading_level_products"):
            missing[indicator] = f"the database has no {', '.join(absent)} table"
        return spans, missing
    if _empty(tables.programme_projects):
        # An empty table says the records were never entered, not that there were none.
        for indicator in project_ids:
            missing[indicator] = "the programme_projects table holds no records"
    else:
        for indicator, kinds in PROJECT_INDICATORS.items():
            spans[indicator] = _count_projects(kinds)
        spans["programme_funding"] = _funding
    if tables.programme_outcomes is None or _empty(tables.programme_outcomes):
        missing["leading_level_products"] = "the programme_outcomes table holds no records"
    else:
        spans["leading_level_products"] = _leading_products
    return spans, missing
