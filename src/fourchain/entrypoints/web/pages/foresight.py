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
from fourchain.entrypoints.web.forms import Form
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


WHATIF_FIELDS = ("year", "tier", "field", "percent")
WHATIF_DEFAULTS = {"year": "2025", "tier": "hnte", "field": "rd_expense", "percent": "10"}


def _whatif_form(request: Request) -> Form:
    """The scenario as typed in the query (the defaults where nothing was), each value
    checked: a refused one stays as typed, with its reason beside it, and the page answers
    for the default instead."""
    params = request.query_params
    form = Form(WHATIF_FIELDS, {k: params.get(k, v)[:20] for k, v in WHATIF_DEFAULTS.items()})
    try:
        if not 2000 <= int(form["year"]) <= 2100:
            raise ValueError
    except ValueError:
        form.error("year", "年份应为 2000–2100 (a year from 2000 to 2100)")
    try:
        if not -90 <= float(form["percent"]) <= 500:
            raise ValueError
    except ValueError:
        form.error("percent", "变动应为 -90 到 500 之间的百分数 (a percentage from -90 to 500)")
    if form["tier"] not in {t.value for t in Tier}:
        form.error("tier", "未知的梯度 (unknown tier)")
    if form["field"] not in CHANGEABLE:
        form.error("field", "未知的指标 (unknown figure)")
    return form


@router.get("")
def whatif_page(request: Request, container: ServicesDep) -> Response:
    """A scenario on the tier pre-screen, its moves and cost, and a sweep of R&D increases."""
    form = _whatif_form(request)
    used = {k: WHATIF_DEFAULTS[k] if k in form.errors else form[k] for k in WHATIF_FIELDS}
    year, tier, field = int(used["year"]), used["tier"], used["field"]
    percent = float(used["percent"])
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
            "form": form,
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
        status_code=form.status,
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
