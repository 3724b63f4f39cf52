"""The per-chain measures behind the four-chain fusion index, and breakdowns by area, in Ibis."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis.expr.types import Table

from fourchain.adapters.analytics.indicators_ibis import (
    Context,
    _enterprise_areas,
    held_by,
    rd_revenue_ratio,
    strategic_share,
)
from fourchain.adapters.analytics.registry_source import RegistryTables

# Tiers that count as a rung of the ladder for the industry dimension ("tiers").
LADDER_TIERS = ("hnte", "little_giant", "single_champion")


def _long(table: Table, measure: str) -> Table:
    return table.select(
        chain=table.chain,
        year=table.year.cast("int64"),
        measure=ibis.literal(measure),
        value=table.value.cast("float64"),
    )


def chain_measures(tables: RegistryTables, years: Sequence[int]) -> Table:
    """(chain, year, measure, value) for every measure of composite.DIMENSIONS. Enterprises
    belong to a chain through their chain link; institutions through their host enterprise."""
    ctx = Context(tables, years)
    areas = _enterprise_areas(ctx).filter(lambda t: t.chain.notnull())
    panel = ctx.t.enterprise_years.join(areas.select("credit_code", "chain"), "credit_code")
    panel = panel.filter(panel.year.isin(ctx.requested))
    sums = panel.group_by(["chain", "year"]).aggregate(
        output=panel.revenue.sum().cast("float64"),
        enterprises=panel.credit_code.nunique().cast("float64"),
        conversions=panel.conversions.sum().cast("float64"),
        equity_financing=panel.equity_financing.sum().cast("float64"),
        st_staff=panel.st_staff.sum().cast("float64"),
    )
    parts = [
        _long(sums.select("chain", "year", value=sums[name]), name)
        for name in ("output", "enterprises", "conversions", "equity_financing", "st_staff")
    ]
    tiered = held_by(ctx, LADDER_TIERS, by=("chain",))
    tiered = tiered.filter(tiered.chain.notnull() & tiered.year.isin(ctx.requested))
    parts.append(_long(tiered, "tiered_enterprises"))

    years_t = ctx.years.filter(ctx.years.year.isin(ctx.requested))
    inst = ctx.t.institutions.join(
        areas.select(host_credit_code="credit_code", chain="chain"), "host_credit_code"
    )
    active = years_t.join(
        inst,
        (inst.recognised.isnull() | (inst.recognised <= years_t.day))
        & (inst.closed.isnull() | (inst.closed > years_t.day)),
    )
    parts.append(
        _long(active.group_by(["chain", "year"]).aggregate(value=active.id.count()), "institutions")
    )

    pats = ctx.t.patents.filter(ctx.t.patents.kind == "invention").join(
        areas.select(holder_credit_code="credit_code", chain="chain"), "holder_credit_code"
    )
    valid = years_t.join(
        pats,
        pats.granted.notnull()
        & (pats.granted <= years_t.day)
        & (pats.lapsed.isnull() | (pats.lapsed > years_t.day)),
    )
    parts.append(
        _long(
            valid.group_by(["chain", "year"]).aggregate(value=valid.number.count()),
            "invention_patents",
        )
    )
    return ibis.union(*parts)


def breakdown(tables: RegistryTables, indicator: str, by: str, years: Sequence[int]) -> Table:
    """(year, area, value) of one indicator split by an enterprise's district, zone, cluster or
    chain; enterprises with no such area are grouped under a null area."""
    ctx = Context(tables, years)
    tiers = {"hnte_count": "hnte", "little_giants": "little_giant"}
    tiers["single_champions"] = "single_champion"
    if indicator in tiers:
        table = held_by(ctx, [tiers[indicator]], by=(by,))
    elif indicator == "above_scale_rd_revenue_ratio":
        table = rd_revenue_ratio(ctx, by=(by,))
    else:
        table = strategic_share(ctx, by=(by,))
    table = table.filter(table.year.isin(ctx.requested))
    return table.select(
        year=table.year.cast("int64"), area=table[by], value=table.value.cast("float64")
    )
