"""Indicators read from tables other areas add (conversion projects, funds): their expressions
when the tables are there, and the reason they are not derivable when they are not."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from fourchain.adapters.analytics.indicators_ibis import Context, SpanFn
from fourchain.adapters.analytics.programme_tables import programme_spans
from fourchain.adapters.analytics.quiet import ibis_on_duckdb
from fourchain.adapters.analytics.registry_source import RegistryTables

# The column a conversion project is dated by, in the order we look for it.
PROJECT_DATES = ("year", "recognised", "registered", "approved", "started", "created")
FUND_KINDS = {"venture_fund_size": "venture", "tech_innovation_fund_size": "tech_innovation"}


def _first(table: Table, names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in table.columns), None)


def _standing(projects: Table) -> Table:
    """The conversion projects not withdrawn (a table from before 0023 has no such column)."""
    if "withdrawn" in projects.columns:
        return projects.filter(projects.withdrawn.isnull())
    return projects


def _conversion_projects(date_column: str) -> SpanFn:
    def fn(ctx: Context, start: int, end: int) -> Table:
        assert ctx.t.conversion_projects is not None  # checked before this is offered
        projects = _standing(ctx.t.conversion_projects)
        when = projects[date_column]
        year = when if when.type().is_integer() else when.year()
        rows = projects.filter(when.notnull() & year.between(start, end))
        return rows.aggregate(value=rows.count().cast("float64")).select(
            year=ibis.literal(end, "int64"), value="value"
        )

    return fn


def _fund_size(kind: str, size: str, since: str | None) -> SpanFn:
    """The size of the funds of `kind` at the end of the span's last year (those established by
    then, when the table records when)."""

    def fn(ctx: Context, start: int, end: int) -> Table:
        funds = ctx.t.funds
        assert funds is not None
        if "withdrawn" in funds.columns:  # a withdrawn fund (0024) counts no more
            funds = funds.filter(funds.withdrawn.isnull())
        if "parent" in funds.columns and "key" in funds.columns:
            # A sub-fund of a fund of the same kind is part of its parent's size, not added to it.
            parents = funds.view()
            parents = parents.filter(parents.kind == kind).select(parent_key=parents.key)
            funds = funds.left_join(parents, funds.parent == parents.parent_key).filter(
                lambda t: t.parent_key.isnull()
            )
        keep = funds.kind == kind
        if since is not None:
            opened = funds[since]
            opened_year = opened if opened.type().is_integer() else opened.year()
            keep &= opened.isnull() | (opened_year <= end)
        rows = funds.filter(keep)
        return rows.aggregate(value=rows[size].sum().fill_null(0).cast("float64")).select(
            year=ibis.literal(end, "int64"), value="value"
        )

    return fn


def _count(table: Table) -> int:
    with ibis_on_duckdb():
        return int(table.count().to_pyarrow().as_py())


def optional_spans(tables: RegistryTables) -> tuple[dict[str, SpanFn], dict[str, str]]:
    """The expressions these tables support, and a reason for each indicator they cannot."""
    spans: dict[str, SpanFn] = {}
    missing: dict[str, str] = {}
    projects = tables.conversion_projects
    if projects is None:
        missing["conversion_projects"] = "the database has no conversion_projects table"
    elif (column := _first(projects, PROJECT_DATES)) is None:
        missing["conversion_projects"] = (
            f"conversion_projects has none of the date columns {', '.join(PROJECT_DATES)}"
        )
    elif _count(_standing(projects)) == 0:
        # An empty table says the records were never entered, not that there were none.
        missing["conversion_projects"] = "the conversion_projects table holds no records"
    else:
        spans["conversion_projects"] = _conversion_projects(column)
    funds = tables.funds
    for indicator, kind in FUND_KINDS.items():
        if funds is None:
            missing[indicator] = "the database has no funds table"
        elif "kind" not in funds.columns or _first(funds, ("size", "amount")) is None:
            missing[indicator] = "the funds table has no kind and size columns"
        elif _count(funds.filter(funds.kind == kind)) == 0:
            missing[indicator] = f"the funds table holds no fund of kind {kind!r}"
        else:
            size = _first(funds, ("size", "amount"))
            assert size is not None
            since = _first(funds, ("established", "founded", "year"))
            spans[indicator] = _fund_size(kind, size, since)
    more, why = programme_spans(tables)
    spans.update(more)
    missing.update(why)
    return spans, missing
