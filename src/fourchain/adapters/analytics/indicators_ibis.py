"""One Ibis expression per indicator of the catalogue, the same on DuckDB and on PySpark.

Each yearly indicator is a table (year, value) over a table of years, so one query answers every
year of a trend; `catalogue_table` unions them into (id, year, value) and runs as one query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import ibis
import pyarrow as pa  # type: ignore[import-untyped]
from ibis import _
from ibis.expr.types import BooleanValue, Table

from fourchain.adapters.analytics.registry_source import RegistryTables
from fourchain.domain.indicators.catalogue import SCIENCE_CITY_ZONE

CITY, PROVINCE, NATION = "xiamen", "fujian", "china"
ABOVE_SCALE_REVENUE = 20_000_000.0
INDUSTRIAL_SECTIONS = ("B", "C", "D")
HUNDRED_BILLION = 100_000_000_000.0
BASE_YEAR = 2020  # the base of the "vs 2020" indicators (the last five-year plan's end)

YearlyFn = Callable[["Context"], Table]


class Context:
    """The registry tables and the years an evaluation covers (plus the base years it needs)."""

    def __init__(self, tables: RegistryTables, years: Sequence[int]) -> None:
        self.t = tables
        self.requested = sorted(set(years))
        self.city_sums: Table | None = None
        self._tables: dict[tuple[str, ...], Table] = {}
        wanted = set(self.requested) | {y - 1 for y in self.requested} | {BASE_YEAR}
        self.all_years = sorted(wanted)
        # Built from Arrow, not a dict: a dict goes through pandas, which costs seconds to load.
        self.years = ibis.memtable(
            pa.table(
                {
                    "year": pa.array(self.all_years, pa.int64()),
                    "day": pa.array([date(y, 12, 31) for y in self.all_years], pa.date32()),
                    "cutoff": pa.array([date(y - 10, 12, 31) for y in self.all_years], pa.date32()),
                }
            )
        )

    def once(self, key: tuple[str, ...], build: Callable[[], Table]) -> Table:
        """The table under `key`, built on first use: a shared subquery in the final query."""
        if key not in self._tables:
            self._tables[key] = build()
        return self._tables[key]


def _valid_at_day(issued: object, expires: object, revoked: object, day: object) -> BooleanValue:
    return (issued <= day) & (expires >= day) & (revoked.isnull() | (revoked > day))  # type: ignore[operator,attr-defined]


def held_by(ctx: Context, tiers: Sequence[str], by: Sequence[str] = ()) -> Table:
    """Distinct enterprises holding a certificate of `tiers` valid on 31 December of each year,
    grouped by year and by enterprise columns `by` (district, cluster, chain ...)."""
    certs = ctx.t.certificates.filter(ctx.t.certificates.tier.isin(list(tiers)))
    if by:
        certs = certs.join(_enterprise_areas(ctx), "credit_code")
    years = ctx.years
    joined = years.join(certs, _valid_at_day(certs.issued, certs.expires, certs.revoked, years.day))
    return joined.group_by(["year", *by]).aggregate(value=joined.credit_code.nunique())


def _enterprise_areas(ctx: Context) -> Table:
    """Each enterprise with its district, zone, cluster and chain (through its chain link)."""
    links = ctx.t.chain_links.select(chain_link=_.key, chain=_.chain)
    return ctx.t.enterprises.left_join(links, "chain_link").select(
        "credit_code", "district", "zone", "cluster", "chain"
    )


def _every_year(ctx: Context, table: Table, fill: float | None = 0.0) -> Table:
    """Left-join a (year, value) table onto the years so a year with no rows reads `fill`."""
    joined = ctx.years.select("year").left_join(table, "year")
    value = joined.value.cast("float64")
    if fill is not None:
        value = value.fill_null(fill)
    return joined.select("year", value=value)


def _held(tier: str) -> YearlyFn:
    # One table per tier and evaluation: the count, its net gain, its growth and its share
    # then read the same subquery instead of each joining the certificates to the years again.
    return lambda ctx: ctx.once(("held", tier), lambda: _every_year(ctx, held_by(ctx, [tier])))


def _active(kind: str) -> YearlyFn:
    def fn(ctx: Context) -> Table:
        inst = ctx.t.institutions.filter(ctx.t.institutions.kind == kind)
        years = ctx.years
        joined = years.join(
            inst,
            (inst.recognised.isnull() | (inst.recognised <= years.day))
            & (inst.closed.isnull() | (inst.closed > years.day)),
        )
        return _every_year(ctx, joined.group_by("year").aggregate(value=joined.id.count()))

    return fn


def macro(ctx: Context, region: str, key: str) -> Table:
    m = ctx.t.macro_stats
    return m.filter((m.region == region) & (m.key == key)).select(
        year=m.year.cast("int64"), value=m.value.cast("float64")
    )


def _ratio(top: Table, bottom: Table, scale: float = 100.0) -> Table:
    joined = top.join(bottom.select("year", below=bottom.value), "year")
    return joined.select("year", value=joined.value / joined.below * scale)


def _previous(table: Table) -> Table:
    """The same values, moved to the next year: join it to compare a year with the one before."""
    # A view: Ibis needs self-joins to name the second copy of a table apart from the first.
    other = table.view()
    return other.select(year=other.year + 1, before=other.value)


def _difference(table: Table) -> Table:
    joined = table.join(_previous(table), "year")
    return joined.select("year", value=joined.value - joined.before)


def _growth(table: Table) -> Table:
    joined = table.join(_previous(table), "year")
    return joined.select("year", value=(joined.value / joined.before - 1) * 100)


def _vs_base(table: Table, op: Callable[[object, object], object]) -> Table:
    other = table.view()
    base = other.filter(other.year == BASE_YEAR).select(base=other.value)
    joined = table.cross_join(base)
    return joined.select("year", value=op(joined.value, joined.base))


def above_scale_industrial(ctx: Context) -> Table:
    """The panel rows of above-scale industrial enterprises (sections B-D, revenue ≥ 20 m)."""
    e = ctx.t.enterprises
    rows = ctx.t.enterprise_years.join(
        e.select("credit_code", "industry_code", "strategic_emerging"), "credit_code"
    )
    section = rows.industry_code.upper().substr(0, 1)
    return rows.filter(
        section.isin(list(INDUSTRIAL_SECTIONS))
        & (rows.main_business_revenue >= ABOVE_SCALE_REVENUE)
    )


def above_scale_sums(ctx: Context, by: Sequence[str] = ()) -> Table:
    """Per year (and area): the sums the above-scale ratios divide. The city-level table is
    built once per evaluation, so the catalogue's query joins the panel to the enterprises once
    (one CTE) rather than once per ratio."""
    if not by and ctx.city_sums is not None:
        return ctx.city_sums
    rows = above_scale_industrial(ctx)
    if by:
        rows = rows.join(_enterprise_areas(ctx).select("credit_code", *by), "credit_code")
    emerging = rows.strategic_emerging.fill_null(False)
    sums = rows.group_by(["year", *by]).aggregate(
        rd=rows.rd_expense.sum().cast("float64"),
        mbr=rows.main_business_revenue.sum().cast("float64"),
        revenue=rows.revenue.sum().cast("float64"),
        emerging=rows.revenue.sum(where=emerging).fill_null(0).cast("float64"),
    )
    if not by:
        ctx.city_sums = sums
    return sums


def rd_revenue_ratio(ctx: Context, by: Sequence[str] = ()) -> Table:
    sums = above_scale_sums(ctx, by)
    return sums.select("year", *by, value=sums.rd / sums.mbr * 100)


def strategic_share(ctx: Context, by: Sequence[str] = ()) -> Table:
    sums = above_scale_sums(ctx, by)
    return sums.select("year", *by, value=sums.emerging / sums.revenue * 100)


def cluster_scale(ctx: Context, kind: str) -> Table:
    m = ctx.t.macro_stats
    clusters = ctx.t.clusters.filter(ctx.t.clusters.kind == kind).select(
        output_key="cluster_output." + _.key
    )
    rows = m.filter(m.region == CITY).join(clusters, m.key == clusters.output_key)
    return rows.group_by(year=rows.year.cast("int64")).aggregate(
        value=rows.value.sum().cast("float64")
    )


def high_value_patents(ctx: Context) -> Table:
    p = ctx.t.patents.filter(ctx.t.patents.kind == "invention")
    years = ctx.years
    flagged = (
        p.hv_strategic_emerging.fill_null(False)
        | p.hv_overseas_family.fill_null(False)
        | p.hv_pledge_financing.fill_null(False)
        | p.hv_award.fill_null(False)
    )
    joined = years.join(
        p,
        p.granted.notnull()
        & (p.granted <= years.day)
        & (p.lapsed.isnull() | (p.lapsed > years.day))
        & (flagged | (p.filed < years.cutoff)),
    )
    return _every_year(ctx, joined.group_by("year").aggregate(value=joined.number.count()))


def consecutive_over(table: Table, threshold: float) -> Table:
    """Years in a row, ending in each year, with value ≥ threshold (0 in a year below it)."""
    over = table.filter(table.value >= threshold)
    over = over.mutate(run=over.year - ibis.row_number().over(order_by=over.year))
    starts = over.group_by("run").aggregate(start=over.year.min())
    runs = over.join(starts, "run").select("year", "start")
    joined = table.left_join(runs, "year")
    return joined.select(
        year=joined.year,
        value=ibis.ifelse(joined.value >= threshold, joined.year - joined.start + 1, 0).cast(
            "float64"
        ),
    )


def _little_giants(ctx: Context) -> Table:
    return _held("little_giant")(ctx)


def _rd_intensity(ctx: Context) -> Table:
    return _ratio(macro(ctx, CITY, "rd_spending"), macro(ctx, CITY, "gdp"))


def _new_energy(ctx: Context) -> Table:
    return macro(ctx, CITY, "cluster_output.new_energy")


YEARLY: dict[str, YearlyFn] = {
    "hnte_count": _held("hnte"),
    "hnte_net_gain_per_year": lambda ctx: _difference(_held("hnte")(ctx)),
    "little_giants": _little_giants,
    "little_giants_growth_vs_2020": lambda ctx: _vs_base(
        _little_giants(ctx),
        lambda v, b: (v / b - 1) * 100,  # type: ignore[operator]
    ),
    "little_giants_province_share": lambda ctx: _ratio(
        _little_giants(ctx), macro(ctx, PROVINCE, "little_giants")
    ),
    "single_champions": _held("single_champion"),
    "national_key_labs": _active("national_key_lab"),
    "innovation_consortia": _active("innovation_consortium"),
    "rd_intensity": _rd_intensity,
    "rd_intensity_gap_national": lambda ctx: _difference_of(
        _rd_intensity(ctx), macro(ctx, NATION, "rd_intensity")
    ),
    "high_value_patents_per_10k": lambda ctx: _ratio(
        high_value_patents(ctx), macro(ctx, CITY, "population"), 10_000.0
    ),
    "above_scale_rd_revenue_ratio": lambda ctx: rd_revenue_ratio(ctx),
    "above_scale_rd_revenue_ratio_change_vs_2020": lambda ctx: _vs_base(
        rd_revenue_ratio(ctx),
        lambda v, b: v - b,  # type: ignore[operator]
    ),
    "strategic_emerging_output_share": lambda ctx: strategic_share(ctx),
    "pillar_clusters_scale": lambda ctx: cluster_scale(ctx, "pillar"),
    "strategic_emerging_scale": lambda ctx: cluster_scale(ctx, "strategic_emerging"),
    "new_energy_output": _new_energy,
    "new_energy_growth": lambda ctx: _growth(_new_energy(ctx)),
    "biomedicine_revenue_years_over_100bn": lambda ctx: consecutive_over(
        macro(ctx, CITY, "cluster_output.biomedicine"), HUNDRED_BILLION
    ),
}


def _difference_of(left: Table, right: Table) -> Table:
    joined = left.join(right.select("year", other=right.value), "year")
    return joined.select("year", value=joined.value - joined.other)


def rd_growth(ctx: Context, start: int, end: int) -> Table:
    """Compound annual growth of Σ rd_expense from year start−1 to year end, percent."""
    ey = ctx.t.enterprise_years
    rows = ey.filter(ey.year.isin([start - 1, end]))
    sums = rows.aggregate(
        last=rows.rd_expense.sum(where=rows.year == end).cast("float64"),
        base=rows.rd_expense.sum(where=rows.year == start - 1).cast("float64"),
    )
    years = end - start + 1
    return sums.select(
        year=ibis.literal(end, "int64"),
        value=((sums["last"] / sums.base) ** (1.0 / years) - 1) * 100,
    )


def rd_centres(ctx: Context, start: int, end: int) -> Table:
    inst = ctx.t.institutions
    rows = inst.filter(
        (inst.kind == "enterprise_rd_centre")
        & inst.recognised.notnull()
        & inst.recognised.year().between(start, end)
    )
    return rows.aggregate(value=rows.id.count().cast("float64")).select(
        year=ibis.literal(end, "int64"), value=_.value
    )


def science_city_entities(ctx: Context, start: int, end: int) -> Table:
    """Enterprises founded and institutions recognised in the science city's core area."""
    firms = ctx.t.enterprises
    firms = firms.filter(
        (firms.zone == SCIENCE_CITY_ZONE)
        & firms.founded.notnull()
        & firms.founded.year().between(start, end)
    )
    inst = ctx.t.institutions
    inst = inst.filter(
        (inst.zone == SCIENCE_CITY_ZONE)
        & inst.recognised.notnull()
        & inst.recognised.year().between(start, end)
    )
    founded = firms.aggregate(firms=firms.credit_code.count().cast("float64"))
    recognised = inst.aggregate(institutions=inst.id.count().cast("float64"))
    both = founded.cross_join(recognised)
    return both.select(year=ibis.literal(end, "int64"), value=both.firms + both.institutions)


SpanFn = Callable[[Context, int, int], Table]
SPAN: dict[str, SpanFn] = {
    "enterprise_rd_growth": rd_growth,
    "enterprise_rd_centres": rd_centres,
    "science_city_new_entities": science_city_entities,
}


def catalogue_table(
    tables: RegistryTables,
    years: Sequence[int],
    spans: Sequence[tuple[int, int]] = (),
    only: Sequence[str] | None = None,
    extra_span: dict[str, SpanFn] | None = None,
    extra_yearly: dict[str, YearlyFn] | None = None,
) -> Table:
    """Every yearly indicator for `years` and every span indicator for each (start, end) of
    `spans`, as one table (id, year, value, span_start); span_start is null for yearly ones."""
    ctx = Context(tables, years)
    parts: list[Table] = []
    for name, fn in {**YEARLY, **(extra_yearly or {})}.items():
        if only is not None and name not in only:
            continue
        table = fn(ctx)
        table = table.filter(table.year.isin(ctx.requested))
        parts.append(
            table.select(
                id=ibis.literal(name),
                year=table.year.cast("int64"),
                value=table.value.cast("float64"),
                span_start=ibis.null("int64"),
            )
        )
    span_fns = {**SPAN, **(extra_span or {})}
    for name, span_fn in span_fns.items():
        if only is not None and name not in only:
            continue
        for start, end in spans:
            table = span_fn(ctx, start, end)
            parts.append(
                table.select(
                    id=ibis.literal(name),
                    year=table.year.cast("int64"),
                    value=table.value.cast("float64"),
                    span_start=ibis.literal(start, "int64"),
                )
            )
    return ibis.union(*parts)
