"""Foresight pages (bureau staff): the policy what-if with its cost and a sweep of R&D
increases charted, and the outlook to the plan's end against the plan targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fourchain.domain.cultivation import RULE_SETS, parse_tier
from fourchain.domain.foresight.scenario import CHANGEABLE, Change
from fourchain.domain.indicators.catalogue import CATALOGUE
from fourchain.domain.indicators.numbers import format_en, format_zh
from fourchain.domain.registry import TIER_LABELS, Tier
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import ServicesDep
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.services.foresight import sweep, whatif
from fourchain.services.outlook import outlook

router = APIRouter(prefix="/foresight", include_in_schema=False)

CHART_NAMES = (
    N_("Baseline"),
    N_("Scenario"),
    N_("Extra cost (10k yuan)"),
    N_("Observed"),
    N_("Projected"),
    N_("Interval low"),
    N_("Interval high"),
)
SWEEP = (0.0, 5.0, 10.0, 20.0, 30.0, 50.0)
VERDICTS = ("likely", "near", "not_yet", "unknown")
TierQuery = Annotated[str, Query(pattern="^(" + "|".join(t.value for t in Tier) + ")$")]
FieldQuery = Annotated[str, Query(pattern="^(" + "|".join(CHANGEABLE) + ")$")]
Percent = Annotated[float, Query(ge=-90, le=500)]


def _wan(yuan: float) -> float:
    return round(yuan / 10_000, 1)


@router.get("")
def whatif_page(
    request: Request,
    container: ServicesDep,
    year: Annotated[int, Query(ge=2000, le=2100)] = 2025,
    tier: TierQuery = "hnte",
    field: FieldQuery = "rd_expense",
    percent: Percent = 10.0,
) -> Response:
    """A scenario on the tier pre-screen, its moves and cost, and a sweep of R&D increases."""
    chosen = parse_tier(tier)
    change = Change(field, percent, relative=True)
    with container.foresight.services() as services:
        outcome = whatif(services.whatif_engine, year, chosen, [change])
        swept = sweep(services.whatif_engine, year, chosen, "rd_expense", SWEEP)
    criteria = {c.id: (c.label_zh, c.label_en) for c in RULE_SETS[outcome.rule_set].criteria}
    return render(
        request,
        "foresight/whatif.html",
        {
            "year": year,
            "tier": tier,
            "field": field,
            "percent": percent,
            "tiers": {t.value: TIER_LABELS[t] for t in Tier},
            "fields": CHANGEABLE,
            "outcome": outcome,
            "binding": [(criteria[c], n) for c, n in outcome.binding],
            "verdicts": VERDICTS,
            "wan": _wan,
            "counts_chart": {
                "type": "bar",
                "x": [i18n.gettext(i18n.request_locale(request), v) for v in VERDICTS],
                "series": [
                    {
                        "name": i18n.gettext(i18n.request_locale(request), "Baseline"),
                        "data": [outcome.baseline[v] for v in VERDICTS],
                    },
                    {
                        "name": i18n.gettext(i18n.request_locale(request), "Scenario"),
                        "data": [outcome.scenario[v] for v in VERDICTS],
                    },
                ],
            },
            "sweep_chart": {
                "type": "line",
                "x": [f"+{p:g}%" for p in SWEEP],
                "series": [
                    {
                        "name": i18n.gettext(i18n.request_locale(request), v),
                        "data": [o.scenario[v] for o in swept],
                    }
                    for v in ("likely", "near")
                ],
            },
            "cost_chart": {
                "type": "line",
                "x": [f"+{p:g}%" for p in SWEEP],
                "series": [
                    {
                        "name": i18n.gettext(i18n.request_locale(request), "Extra cost (10k yuan)"),
                        "data": [_wan(o.extra_cost) for o in swept],
                    }
                ],
            },
        },
        active="foresight",
    )


@router.get("/outlook")
def outlook_page(
    request: Request,
    container: ServicesDep,
    indicator: Annotated[str, Query(max_length=80)] = "hnte_count",
    to: Annotated[int, Query(ge=2026, le=2050)] = 2030,
) -> Response:
    """Every yearly indicator projected to the plan's end; one charted with its interval."""
    locale = i18n.request_locale(request)
    with (
        container.indicators.source() as source,
        container.foresight.services() as services,
    ):
        found = outlook(source, services.targets.targets(), services.fit, base=2025, to=to)
    chosen = next((o for o in found if o.indicator == indicator), found[0])
    years = sorted(chosen.history) + [p.year for p in chosen.projection]

    def text(value: float | None, unit: str) -> str:
        if value is None:
            return "—"
        return format_en(value, unit) if locale == "en" else format_zh(value, unit)

    def series(name: str, values: dict[int, float]) -> dict[str, object]:
        return {"name": i18n.gettext(locale, name), "data": [values.get(y) for y in years]}

    last = max(chosen.history) if chosen.history else None
    joined = {p.year: p.value for p in chosen.projection}
    if last is not None:
        joined[last] = chosen.history[last]  # the projection starts where the history ends
    chart = {
        "type": "line",
        "x": years,
        "series": [
            series("Observed", chosen.history),
            series("Projected", joined),
            series("Interval low", {p.year: p.low for p in chosen.projection}),
            series("Interval high", {p.year: p.high for p in chosen.projection}),
        ],
    }
    return render(
        request,
        "foresight/outlook.html",
        {
            "found": found,
            "chosen": chosen,
            "to": to,
            "outlook_chart": chart,
            "catalogue": CATALOGUE,
            "text": text,
        },
        active="foresight",
    )
