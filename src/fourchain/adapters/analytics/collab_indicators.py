"""Open-collaboration and honours indicators, read from the tables that area adds (partners,
network_members, joint_projects, honours), with the reason each one is not derivable when its
records are absent; and the figures for a span of months within a year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import ibis
from ibis.expr.types import Table

from fourchain.adapters.analytics.indicators_ibis import (
    CITY,
    Context,
    YearlyFn,
    consecutive_over,
    macro,
)
from fourchain.adapters.analytics.quiet import ibis_on_duckdb
from fourchain.adapters.analytics.registry_source import RegistryTables
from fourchain.domain.collaboration import HOME_COUNTRY
from fourchain.domain.indicators.catalogue import BRICS_NETWORK, OCEAN_PROGRAMME

NETWORK_INDICATORS: dict[str, tuple[str, str]] = {
    "brics_partner_institutions": (BRICS_NETWORK, "institutions"),
    "brics_partner_countries": (BRICS_NETWORK, "countries"),
    "brics_projects": (BRICS_NETWORK, "projects"),
    "ocean_programme_institutions": (OCEAN_PROGRAMME, "institutions"),
    "ocean_programme_countries": (OCEAN_PROGRAMME, "countries"),
}
RANKS = {
    "torch_zone_national_rank": "torch_zone_evaluation",
    "new_display_rank": "new_display_rank",
}
HONOUR_CATEGORIES = {
    **RANKS,
    "top10_science_advances_years": "top10_science_advances",
    "smart_factories": "smart_factory",
    "class1_drugs_approved": "class1_drug",
}
MonthlyFn = Callable[[RegistryTables, int, int, int], float | None]


def _every_year(ctx: Context, table: Table, fill: float | None = 0.0) -> Table:
    joined = ctx.years.select("year").left_join(table, "year")
    value = joined.value.cast("float64")
    if fill is not None:
        value = value.fill_null(fill)
    return joined.select("year", value=value)


def _members(network: str, what: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        members, partners = ctx.t.network_members, ctx.t.partners
        assert members is not None and partners is not None
        years = ctx.years
        rows = members.filter(members.network == network)
        joined = years.join(
            rows, (rows.joined <= years.day) & (rows.left.isnull() | (rows.left > years.day))
        )
        if what == "countries":
            joined = joined.join(partners.select(partner="key", country="country"), "partner")
            counted = joined.group_by("year").aggregate(value=joined.country.nunique())
        else:
            counted = joined.group_by("year").aggregate(value=joined.partner.nunique())
        return _every_year(ctx, counted)

    return fn


def _projects(network: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        projects = ctx.t.joint_projects
        assert projects is not None
        years = ctx.years
        rows = projects.filter(projects.network == network)
        joined = years.join(rows, rows.started <= years.day)
        return _every_year(ctx, joined.group_by("year").aggregate(value=joined.id.count()))

    return fn


def _international_share(ctx: Context) -> Table:
    projects, partners = ctx.t.joint_projects, ctx.t.partners
    assert projects is not None and partners is not None
    rows = projects.join(partners.select(partner="key", country="country"), "partner")
    rows = rows.mutate(year=rows.started.year().cast("int64"))
    counted = rows.group_by("year").aggregate(
        foreign=(rows.country != HOME_COUNTRY).sum().cast("float64"),
        total=rows.id.count().cast("float64"),
    )
    return counted.select("year", value=counted.foreign / counted.total * 100)


def _honours(ctx: Context, category: str) -> Table:
    honours = ctx.t.honours
    assert honours is not None
    rows = honours.filter(honours.category == category)
    return rows.mutate(year=rows.awarded.year().cast("int64"))


def _rank(category: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        rows = _honours(ctx, category).filter(lambda t: t["rank"].notnull())
        return rows.group_by("year").aggregate(value=rows["rank"].min().cast("float64"))

    return fn


def _consecutive(category: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        rows = _honours(ctx, category)
        per_year = rows.group_by("year").aggregate(value=rows.id.count().cast("float64"))
        return _every_year(ctx, consecutive_over(per_year, 1.0))

    return fn


def _designated(category: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        rows = _honours(ctx, category)
        years = ctx.years
        joined = years.join(rows, rows.awarded <= years.day)
        return _every_year(ctx, joined.group_by("year").aggregate(value=joined.holder.nunique()))

    return fn


def _in_year(category: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        rows = _honours(ctx, category)
        return _every_year(ctx, rows.group_by("year").aggregate(value=rows.id.count()))

    return fn


def _count(table: Table) -> int:
    with ibis_on_duckdb():
        return int(table.count().to_pyarrow().as_py())


def collab_yearly(tables: RegistryTables) -> tuple[dict[str, YearlyFn], dict[str, str]]:
    """The yearly expressions these tables support, and a reason for each they cannot give."""
    yearly: dict[str, YearlyFn] = {}
    missing: dict[str, str] = {}
    members, partners, projects = tables.network_members, tables.partners, tables.joint_projects
    for indicator, (network, what) in NETWORK_INDICATORS.items():
        if what == "projects":
            if projects is None:
                missing[indicator] = "the database has no joint_projects table"
            elif _count(projects.filter(projects.network == network)) == 0:
                missing[indicator] = f"no joint project is recorded for network {network!r}"
            else:
                yearly[indicator] = _projects(network)
        elif members is None or partners is None:
            missing[indicator] = "the database has no partners and network_members tables"
        elif _count(members.filter(members.network == network)) == 0:
            missing[indicator] = f"no member of network {network!r} is recorded"
        else:
            yearly[indicator] = _members(network, what)
    if projects is None or partners is None or _count(projects) == 0:
        missing["international_cooperation_share"] = "no joint project is recorded"
    else:
        yearly["international_cooperation_share"] = _international_share
    honours = tables.honours
    builders: dict[str, Callable[[str], YearlyFn]] = {
        "torch_zone_national_rank": _rank,
        "new_display_rank": _rank,
        "top10_science_advances_years": _consecutive,
        "smart_factories": _designated,
        "class1_drugs_approved": _in_year,
    }
    for indicator, category in HONOUR_CATEGORIES.items():
        if honours is None:
            missing[indicator] = "the database has no honours table"
        elif _count(honours.filter(honours.category == category)) == 0:
            missing[indicator] = f"the honours register holds no record of category {category!r}"
        else:
            yearly[indicator] = builders[indicator](category)
    return yearly, missing


def macro_yearly() -> dict[str, YearlyFn]:
    """Statistics-bureau figures held as macro stats."""
    return {
        "hitech_mfg_va_growth": lambda ctx: macro(ctx, CITY, "hitech_mfg_va_growth"),
        "digital_economy_share": lambda ctx: macro(ctx, CITY, "digital_economy_share"),
    }


def month_key(key: str, first: int, last: int) -> str:
    """The macro-stat key of a cumulative figure for months first..last (the whole year's key
    for January–December)."""
    return key if (first, last) == (1, 12) else f"{key}@{first:02d}-{last:02d}"


def _last_day(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def _hitech_months(tables: RegistryTables, year: int, first: int, last: int) -> float | None:
    m = tables.macro_stats
    key = month_key("hitech_mfg_va_growth", first, last)
    rows = m.filter((m.region == CITY) & (m.year == year) & (m.key == key)).select("value")
    with ibis_on_duckdb():
        found = rows.to_pyarrow().column("value").to_pylist()
    return float(found[0]) if found else None


def _drugs_months(tables: RegistryTables, year: int, first: int, last: int) -> float | None:
    honours = tables.honours
    if honours is None:
        return None
    start, end = date(year, first, 1), _last_day(year, last)
    rows = honours.filter(
        (honours.category == "class1_drug")
        & (honours.awarded >= ibis.literal(start))
        & (honours.awarded < ibis.literal(end))
    )
    return float(_count(rows))


MONTHLY: dict[str, MonthlyFn] = {
    "hitech_mfg_va_growth": _hitech_months,
    "class1_drugs_approved": _drugs_months,
}
