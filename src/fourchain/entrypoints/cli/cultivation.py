"""CLI commands of the cultivation area: `assess`, `pool`, `expiring` and `ladder`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from fourchain.bootstrap import database_url, open_database, open_services
from fourchain.bootstrap.cultivation import CultivationArea, ExpertScores
from fourchain.bootstrap.foresight import tier_assessor
from fourchain.domain.cultivation import (
    DEFAULT_TOLERANCE,
    RuleSet,
    TierAssessment,
    assess,
    assessment_json,
    for_year,
    parse_tier,
)
from fourchain.domain.cultivation.explain import result_id
from fourchain.domain.registry import TIER_LABELS, Tier
from fourchain.entrypoints.cli.options import (
    DbOption,
    EngineOption,
    JsonFlag,
    MasterOption,
    SnapshotOption,
)
from fourchain.errors import InvalidInput
from fourchain.services.cultivation import (
    PoolFilter,
    TierTable,
    assess_registry,
    expiring,
    ladder_history,
    reserve_pool,
)
from fourchain.services.foresight import assess_elsewhere

YearRequired = Annotated[
    int, typer.Option("--year", help="The panel year assessed (its last fiscal year).")
]
TierOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tier",
        help="A tier (tech_sme, hnte, innovative_sme, srdi_sme, little_giant, "
        "single_champion); repeat for several. Default: all.",
    ),
]
RuleSetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rule-set", help="A specific rule-set version, e.g. little_giant-2022 (repeatable)."
    ),
]
NearOption = Annotated[
    float,
    typer.Option(
        "--near", help="'near' when every unmet criterion is within this share of its threshold."
    ),
]
err = Console(stderr=True)

VERDICT_ZH = {"likely": "较可能", "near": "接近", "not_yet": "尚未", "unknown": "数据不全"}


def _tiers(values: list[str] | None) -> list[Tier] | None:
    return [parse_tier(v) for v in values] if values else None


def _stream_json(objects: Iterator[dict[str, object]]) -> None:
    """A JSON array written as it is produced (the whole registry need not sit in memory)."""
    out = sys.stdout
    out.write("[")
    for n, obj in enumerate(objects):
        out.write(",\n" if n else "\n")
        out.write(json.dumps(obj, ensure_ascii=False))
    out.write("\n]\n")


def _criteria_table(assessment: TierAssessment) -> Table:
    rs = assessment.rule_set
    zh, en = TIER_LABELS[rs.tier]
    table = Table(
        title=f"{assessment.credit_code} · {zh} {en} · {rs.key} · "
        f"{VERDICT_ZH[assessment.verdict.value]} {assessment.verdict.value} (预筛 pre-screen)"
    )
    for column in (
        "准则 Criterion",
        "结果 Outcome",
        "值 Value",
        "门槛 Threshold",
        "差距 Gap",
        "依据 Basis",
    ):
        table.add_column(column)
    for r in assessment.results:
        flag = " [UNCONFIRMED]" if r.criterion.status.value == "UNCONFIRMED" else ""
        table.add_row(
            f"{result_id(r)} {r.criterion.label_zh}{flag}",
            r.outcome.value,
            "" if r.value is None else f"{r.value:g}",
            "" if r.threshold is None else f"{r.threshold:g}",
            r.gap.text_zh if r.gap else r.note,
            str(r.criterion.basis),
        )
    return table


def _counts_table(year: int, tables: list[TierTable]) -> Table:
    table = Table(title=f"梯度培育预筛 Tier pre-screen, {year} (not a qualification)")
    for column in (
        "资质 Tier",
        "规则 Rule set",
        "较可能 likely",
        "接近 near",
        "尚未 not_yet",
        "数据不全 unknown",
    ):
        table.add_column(column)
    for t in tables:
        c = t.counts()
        zh, en = TIER_LABELS[t.rule_set.tier]
        table.add_row(
            f"{zh} {en}",
            t.rule_set.key,
            *(f"{c[k]:,}" for k in ("likely", "near", "not_yet", "unknown")),
        )
    return table


def assess_command(
    year: Annotated[
        int | None, typer.Option("--year", help="The panel year assessed (its last fiscal year).")
    ] = None,
    db: DbOption = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="A CSV or XLSX file in the assess layout.")
    ] = None,
    tier: TierOption = None,
    rule_set: RuleSetOption = None,
    credit_code: Annotated[
        str | None, typer.Option("--credit-code", help="Only this enterprise.")
    ] = None,
    near: NearOption = DEFAULT_TOLERANCE,
    as_json: JsonFlag = False,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Write the --input layout (.csv/.xlsx) and stop."),
    ] = None,
    expert_scores: Annotated[
        Path | None,
        typer.Option(
            "--expert-scores",
            help='JSON {"<credit_code>": {"<tier or rule set>": {"<item>": points}}} for the '
            "expert-judged score items.",
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    spark_master: MasterOption = "local[*]",
    snapshot: SnapshotOption = None,
) -> None:
    """Pre-screen enterprises against the tier rules (the registry, or a file with --input)."""
    if template is not None:
        CultivationArea.write_template(template)
        typer.echo(f"template written: {template}")
        return
    if year is None:
        raise InvalidInput("--year is required (the panel year to assess)")
    tiers = _tiers(tier)
    experts = CultivationArea.read_expert_scores(expert_scores) if expert_scores else {}
    if input_file is not None:
        _assess_file(input_file, year, tiers, rule_set, credit_code, near, as_json, experts)
        return
    if engine != "duckdb" or snapshot is not None:
        if experts:
            raise InvalidInput("--expert-scores needs the registry database (--db, DuckDB)")
        _assess_elsewhere(
            db, year, tiers, rule_set, credit_code, near, as_json, engine, spark_master, snapshot
        )
        return
    with open_services(db) as services, services.cultivation.reading() as store:
        tables = assess_registry(store, year, tiers=tiers, rule_set_keys=rule_set, tolerance=near)
        rows = {code: i for i, code in enumerate(tables[0].credit_codes)} if tables else {}
        if credit_code is not None and credit_code not in rows:
            raise InvalidInput(f"--credit-code {credit_code}: not in the registry for {year}")
        picked = [rows[credit_code]] if credit_code else range(len(rows))

        def explain(table: TierTable, row: int) -> TierAssessment:
            # Enterprises with expert scores are assessed one by one (the batch has none).
            code = table.credit_codes[row]
            scores = _scores_for(experts, code, table.rule_set)
            if scores is None:
                return table.explain(row)
            profile = store.profile(code)
            return assess(profile, year, table.rule_set, expert_scores=scores, tolerance=near)

        if as_json:
            _stream_json(_explained(tables, list(picked), explain))
        elif credit_code:
            for t in tables:
                Console().print(_criteria_table(explain(t, rows[credit_code])))
        else:
            Console().print(_counts_table(year, tables))


def _assess_elsewhere(
    db: str | None,
    year: int,
    tiers: list[Tier] | None,
    keys: list[str] | None,
    credit_code: str | None,
    near: float,
    as_json: bool,
    engine: str,
    master: str,
    snapshot: Path | None,
) -> None:
    """The registry batch on a Parquet snapshot, on DuckDB or PySpark (docs/scale.md)."""
    database = None if snapshot is not None else open_database(database_url(db), create=False)
    try:
        with err.status(f"读取登记库 reading the registry ({engine})…"):
            assessor = tier_assessor(database, engine=engine, master=master, snapshot=snapshot)
    finally:
        if database is not None:
            database.dispose()
    tables = assess_elsewhere(assessor, year, tiers=tiers, rule_set_keys=keys, tolerance=near)
    rows = {code: i for i, code in enumerate(tables[0].credit_codes)} if tables else {}
    if credit_code is not None and credit_code not in rows:
        raise InvalidInput(f"--credit-code {credit_code}: not in the registry for {year}")
    picked = [rows[credit_code]] if credit_code else list(range(len(rows)))
    if as_json:
        _stream_json(_explained(tables, picked, lambda t, row: t.explain(row)))
    elif credit_code:
        for t in tables:
            Console().print(_criteria_table(t.explain(rows[credit_code])))
    else:
        Console().print(_counts_table(year, tables))


def _scores_for(experts: ExpertScores, code: str, rules: RuleSet) -> dict[str, float] | None:
    mine = experts.get(code, {})
    return mine.get(rules.key, mine.get(rules.tier.value))


def _explained(
    tables: list[TierTable],
    rows: list[int],
    explain: Callable[[TierTable, int], TierAssessment],
) -> Iterator[dict[str, object]]:
    with Progress(console=err, transient=True, disable=len(rows) < 2000) as progress:
        task = progress.add_task("explaining", total=len(rows) * len(tables))
        for row in rows:
            for t in tables:
                yield assessment_json(explain(t, row))
                progress.advance(task)


def _assess_file(
    path: Path,
    year: int,
    tiers: list[Tier] | None,
    keys: list[str] | None,
    credit_code: str | None,
    near: float,
    as_json: bool,
    experts: ExpertScores,
) -> None:
    profiles = CultivationArea.read_profiles(path)
    if credit_code is not None:
        profiles = [p for p in profiles if p.credit_code == credit_code]
        if not profiles:
            raise InvalidInput(f"--credit-code {credit_code}: not in {path.name}")
    rule_sets = for_year(year, tiers, keys)
    if not rule_sets:
        raise InvalidInput(f"no rule set of the chosen tiers is in force at the end of {year}")
    found = [
        assess(p, year, rs, tolerance=near, expert_scores=_scores_for(experts, p.credit_code, rs))
        for p in profiles
        for rs in rule_sets
    ]
    if as_json:
        _stream_json(assessment_json(a) for a in found)
        return
    console = Console()
    for a in found:
        console.print(_criteria_table(a))


def pool_command(
    year: YearRequired,
    tier: Annotated[str, typer.Option("--tier", help="The tier whose reserve pool to list.")],
    db: DbOption = None,
    cluster: Annotated[str | None, typer.Option("--cluster")] = None,
    district: Annotated[str | None, typer.Option("--district")] = None,
    zone: Annotated[str | None, typer.Option("--zone")] = None,
    rule_set: Annotated[str | None, typer.Option("--rule-set", help="A specific version.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 200,
    near: NearOption = DEFAULT_TOLERANCE,
    include_not_yet: Annotated[bool, typer.Option("--include-not-yet")] = False,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Also write the pool to this XLSX file.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The reserve pool: candidates nearest to a tier, ranked by gap (not holders of it)."""
    chosen = parse_tier(tier)
    # Assessed here, inline (the web reads the stored pools); the status goes to stderr only,
    # so the table or JSON on stdout stays as it was.
    with (
        open_services(db) as services,
        services.cultivation.reading() as store,
        err.status(f"评估后备库 assessing the {chosen.value} reserve pool of {year}"),
    ):
        entries = reserve_pool(
            store,
            year,
            chosen,
            where=PoolFilter(cluster, district, zone),
            rule_set_key=rule_set,
            tolerance=near,
            limit=limit,
            include_not_yet=include_not_yet,
        )
    zh, en = TIER_LABELS[chosen]
    if xlsx is not None:
        CultivationArea.write_pool(entries, f"{zh}后备库 {en} reserve pool, {year}", xlsx)
    if as_json:
        typer.echo(json.dumps([e.as_json() for e in entries], ensure_ascii=False))
        return
    table = Table(title=f"{zh}后备库 {en} reserve pool, {year} ({len(entries)})")
    for column in (
        "#",
        "企业 Enterprise",
        "区 District",
        "结果 Outcome",
        "差距 Gap",
        "未达标 Shortfalls",
    ):
        table.add_column(column)
    for e in entries:
        table.add_row(
            str(e.rank),
            f"{e.info.name}\n{e.info.credit_code}",
            e.info.district or "",
            e.verdict,
            f"{e.gap:.3f}",
            "\n".join(s.split(" / ")[0] for s in e.shortfalls),
        )
    Console().print(table)


def expiring_command(
    months: Annotated[int, typer.Option("--months", help="Lapsing within this many months.")],
    db: DbOption = None,
    on: Annotated[
        str | None, typer.Option("--on", help="From this date (YYYY-MM-DD); default today.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Panel year for the renewal pre-screen.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Certificates about to lapse, each with a renewal pre-screen."""
    try:
        start = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise InvalidInput(f"--on {on!r}: expected a date as YYYY-MM-DD") from None
    with open_services(db) as services, services.cultivation.reading() as store:
        found = expiring(store, start, months, year=year)
    rows = [
        {
            "credit_code": r.certificate.credit_code,
            "tier": r.certificate.tier.value,
            "number": r.certificate.number,
            "expires": r.certificate.expires.isoformat(),
            "months_left": r.months_left,
            "renewal": None if r.assessment is None else r.assessment.verdict.value,
            "rule_set": None if r.assessment is None else r.assessment.rule_set.key,
        }
        for r in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(
        title=f"{months}个月内到期的资质 Certificates lapsing within {months} months of {start}"
    )
    for column in (
        "企业 Credit code",
        "资质 Tier",
        "到期 Expires",
        "剩余月 Months",
        "续期预筛 Renewal",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["credit_code"]),
            str(r["tier"]),
            str(r["expires"]),
            str(r["months_left"]),
            str(r["renewal"] or "—"),
        )
    Console().print(table)


def ladder_command(
    credit_code: Annotated[str, typer.Option("--credit-code")],
    db: DbOption = None,
    until: Annotated[int, typer.Option("--until", help="Last year shown.")] = date.today().year,
    as_json: JsonFlag = False,
) -> None:
    """An enterprise's ladder history: its certificates and the tiers held each year."""
    with open_services(db) as services, services.cultivation.reading() as store:
        held, rungs = ladder_history(store, credit_code, until)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "credit_code": credit_code,
                    "certificates": [
                        {
                            "tier": c.tier.value,
                            "number": c.number,
                            "issued": c.issued.isoformat(),
                            "expires": c.expires.isoformat(),
                            "revoked": c.revoked.isoformat() if c.revoked else None,
                        }
                        for c in held
                    ],
                    "years": [
                        {
                            "year": r.year,
                            "highest": r.highest.value if r.highest else None,
                            "held": [t.value for t in r.held],
                        }
                        for r in rungs
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"{credit_code} 梯度历程 ladder history")
    table.add_column("年末 Year end")
    table.add_column("最高资质 Highest tier")
    table.add_column("持有 Held")
    for r in rungs:
        label = " ".join(TIER_LABELS[r.highest]) if r.highest else "—"
        table.add_row(str(r.year), label, ", ".join(t.value for t in r.held))
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("assess")(assess_command)
    app.command("pool")(pool_command)
    app.command("expiring")(expiring_command)
    app.command("ladder")(ladder_command)
