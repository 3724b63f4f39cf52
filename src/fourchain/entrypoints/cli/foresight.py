"""CLI commands of the foresight area: `whatif` (a policy scenario on the tier pre-screen) and
`policy` (the support-measure register and one enterprise's entitlements)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import database_url, open_database
from fourchain.bootstrap.foresight import foresight_services
from fourchain.domain.cultivation import DEFAULT_TOLERANCE, parse_tier
from fourchain.domain.foresight.policy import REGISTER, in_force, measure_json
from fourchain.domain.foresight.scenario import parse_changes
from fourchain.domain.registry import TIER_LABELS
from fourchain.entrypoints.cli.options import DbOption, JsonFlag
from fourchain.services.foresight import policy_calculator, whatif

_err = Console(stderr=True)
VERDICT_ZH = {"likely": "较可能", "near": "接近", "not_yet": "尚未", "unknown": "数据不全"}


def _wan(yuan: float) -> str:
    return f"{yuan / 10_000:,.1f}万元"


def whatif_command(
    year: Annotated[int, typer.Option("--year", help="The panel year assessed.")],
    tier: Annotated[str, typer.Option("--tier", help="The tier pre-screened (e.g. hnte).")],
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            help="FIELD=+10% (relative) or FIELD=+1 (added), applied to every panel year; "
            "repeatable. None: the baseline.",
        ),
    ] = None,
    db: DbOption = None,
    near: Annotated[float, typer.Option("--near", help="The 'near' tolerance.")] = (
        DEFAULT_TOLERANCE
    ),
    candidates: Annotated[
        bool,
        typer.Option(
            "--candidates", help="Only enterprises not holding the tier (the reserve pool's)."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Policy what-if: the tier pre-screen again on changed figures, with the measures' cost."""
    chosen, changes = parse_tier(tier), parse_changes(change or [])
    database = open_database(database_url(db), create=False)
    try:
        with (
            foresight_services(database) as services,
            _err.status("情景测算 running the scenario…"),
        ):
            outcome = whatif(
                services.whatif_engine,
                year,
                chosen,
                changes,
                tolerance=near,
                candidates=candidates,
            )
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps(outcome.as_json(), ensure_ascii=False, indent=1))
        return
    zh, en = TIER_LABELS[chosen]
    console = Console()
    title = ", ".join(c.text for c in changes) or "无变化 no change"
    counts = Table(title=f"{zh} {en} · {outcome.rule_set} · {year} · {title}（预筛，非认定）")
    for column in ("结果 Outcome", "基线 Baseline", "情景 Scenario", "变化 Change"):
        counts.add_column(column)
    for key, label in VERDICT_ZH.items():
        b, s = outcome.baseline[key], outcome.scenario[key]
        counts.add_row(f"{label} {key}", f"{b:,}", f"{s:,}", f"{s - b:+,}")
    console.print(counts)
    moved = Table(title="迁移 Moves")
    for column in ("从 From", "到 To", "企业数 n"):
        moved.add_column(column)
    for m in outcome.moves:
        moved.add_row(VERDICT_ZH[m.source], VERDICT_ZH[m.target], f"{m.n:,}")
    console.print(moved)
    cost = Table(title=f"政策成本 Cost of the measures: 新增 {_wan(outcome.extra_cost)}")
    for column in ("措施 Measure", "基线 Baseline", "情景 Scenario", "新增 Extra"):
        cost.add_column(column)
    for c in outcome.costs:
        cost.add_row(c.name_zh, _wan(c.baseline), _wan(c.scenario), _wan(c.scenario - c.baseline))
    console.print(cost)
    if outcome.binding:
        console.print(
            "仍受约束的准则 Binding criteria (near firms): "
            + ", ".join(f"{c} {n:,}" for c, n in outcome.binding)
        )


def policy_command(
    credit_code: Annotated[
        str | None,
        typer.Option("--credit-code", help="The enterprise whose entitlements to list."),
    ] = None,
    year: Annotated[
        int, typer.Option("--year", help="The year (measures in force at its end).")
    ] = (2025),
    db: DbOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every version in the register, not only those in force.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """The policy register, or with --credit-code the measures an enterprise qualifies for."""
    if credit_code is None:
        measures = list(REGISTER) if show_all else in_force(year)
        if as_json:
            typer.echo(json.dumps([measure_json(m) for m in measures], ensure_ascii=False))
            return
        table = Table(title=f"政策登记册 Policy register ({'all' if show_all else year})")
        for column in ("措施 Measure", "对象 Who", "支持 What", "依据 Basis", "状态 Status"):
            table.add_column(column)
        for m in measures:
            table.add_row(f"{m.name_zh}\n{m.id}", m.who_zh(), m.what_zh(), m.basis, m.status)
        Console().print(table)
        return
    database = open_database(database_url(db), create=False)
    try:
        with foresight_services(database) as services:
            found = policy_calculator(services.cultivation, credit_code, year)
    finally:
        database.dispose()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "credit_code": credit_code,
                    "year": year,
                    "verdicts": found.verdicts,
                    "held": sorted(t.value for t in found.facts.held),
                    "measures": [
                        {
                            "measure": e.measure.id,
                            "name_zh": e.measure.name_zh,
                            "name_en": e.measure.name_en,
                            "amount": round(e.amount, 2),
                            "reason_zh": e.reason_zh,
                            "reason_en": e.reason_en,
                            "basis": e.measure.basis,
                            "status": e.measure.status.value,
                        }
                        for e in found.entitlements
                    ],
                    "total": round(sum(e.amount for e in found.entitlements), 2),
                },
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"{credit_code} · {year} 可享政策 Eligible measures（预估）")
    for column in ("措施 Measure", "金额 Amount", "理由 Why", "依据 Basis"):
        table.add_column(column)
    for e in found.entitlements:
        table.add_row(e.measure.name_zh, _wan(e.amount), e.reason_zh, e.measure.basis)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("whatif")(whatif_command)
    app.command("policy")(policy_command)
