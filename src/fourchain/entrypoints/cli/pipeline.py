"""CLI commands of the pipeline and capital chain: `pipeline funnel|flows|projects|show|advance`
and `finance leverage|funds`."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import open_services
from fourchain.domain.finance import FUND_LABELS
from fourchain.domain.pipeline import STAGE_LABELS, IncubationStage, parse_stage
from fourchain.entrypoints.cli.options import DbOption, JsonFlag
from fourchain.errors import InvalidInput
from fourchain.services import finance
from fourchain.services.pipeline import (
    Advance,
    EvidenceFile,
    advance,
    pipeline_flows,
    pipeline_funnel,
    project_list,
    project_page,
    states,
)

pipeline_app = typer.Typer(help="全链条孵化 Incubation pipeline.", no_args_is_help=True)
finance_app = typer.Typer(help="资金链 Capital chain.", no_args_is_help=True)

CohortOption = Annotated[
    int | None, typer.Option("--cohort", help="Only projects that started in this year.")
]


def _echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False))


@pipeline_app.command("funnel")
def funnel_command(
    db: DbOption = None, cohort: CohortOption = None, as_json: JsonFlag = False
) -> None:
    """Per stage: projects that entered and passed it, conversion and median days in it."""
    with open_services(db) as services, services.pipeline.reading() as stores:
        rows = pipeline_funnel(stores.pipeline, cohort)
    if as_json:
        _echo_json([row.as_json() for row in rows])
        return
    table = Table(
        title=f"孵化漏斗 Incubation funnel{'' if cohort is None else f', cohort {cohort}'}"
    )
    for heading in (
        "阶段 Stage",
        "进入 Entered",
        "通过 Passed",
        "转化率 Conversion",
        "中位天数 Median days",
    ):
        table.add_column(heading, justify="left" if heading.startswith("阶段") else "right")
    for row in rows:
        zh, en = STAGE_LABELS[row.stage]
        conversion = "—" if row.conversion is None else f"{row.conversion * 100:.1f}%"
        days = "—" if row.median_days is None else f"{row.median_days:.0f}"
        table.add_row(f"{zh} {en}", f"{row.entered:,}", f"{row.passed:,}", conversion, days)
    Console().print(table)


@pipeline_app.command("flows")
def flows_command(db: DbOption = None, cohort: CohortOption = None) -> None:
    """The Sankey links (JSON): stage to next stage, last stage to its exit."""
    with open_services(db) as services, services.pipeline.reading() as stores:
        links = pipeline_flows(stores.pipeline, cohort)
    _echo_json([{"source": f.source, "target": f.target, "count": f.count} for f in links])


@pipeline_app.command("projects")
def projects_command(
    db: DbOption = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            help="A stage key: rd_institution, proof_of_concept, pilot, incubator, industry_park.",
        ),
    ] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="An industry cluster key.")
    ] = None,
    cohort: CohortOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Projects with their current stage (with --stage: those in it now)."""
    wanted: IncubationStage | None = parse_stage(stage) if stage else None
    with open_services(db) as services, services.pipeline.reading() as stores:
        items = project_list(stores.pipeline, stage=wanted, cluster=cluster, cohort=cohort)
    if as_json:
        _echo_json([item.as_json() for item in items])
        return
    table = Table(title=f"孵化项目 Incubation projects ({len(items):,})")
    for heading in ("编号 ID", "名称 Title", "阶段 Stage", "退出 Exit", "起始 Started", "TRL"):
        table.add_column(heading)
    for item in items[:500]:
        data = item.as_json()
        table.add_row(
            *(str(data[k] or "") for k in ("id", "title", "stage", "exit", "started", "trl"))
        )
    Console().print(table)


@pipeline_app.command("show")
def show_command(
    project: Annotated[str, typer.Option("--project", help="The project's ID.")],
    db: DbOption = None,
) -> None:
    """One project as JSON: its state, timeline, evidence and team (bureau view)."""
    with open_services(db) as services, services.pipeline.reading() as stores:
        page = project_page(stores.pipeline, project)
    _echo_json(
        {
            "project": {
                "id": page.project.id,
                "title": page.project.title,
                "cluster": page.project.cluster,
                "chain": page.project.chain,
            },
            "stage": page.state.stage.value if page.state.stage else None,
            "exit": page.state.exit.value if page.state.exit else None,
            "overrides": list(page.state.overrides),
            "timeline": [
                {
                    "kind": e.kind.value,
                    "on": e.on.isoformat(),
                    "by": e.by,
                    "stage": e.stage.value if e.stage else None,
                    "exit": e.exit.value if e.exit else None,
                    "amount": e.amount,
                    "trl": e.trl,
                    "evidence": sorted(e.evidence),
                    "note": e.note,
                }
                for e in page.events
            ],
            "evidence": [
                {
                    "kind": r.kind.value,
                    "file": r.file_name,
                    "sha256": r.sha256,
                    "size": r.size,
                    "by": r.recorded_by,
                }
                for r in page.evidence
            ],
            "team": [
                {
                    "role": m.role.value,
                    "name": p.name,
                    "affiliation": p.affiliation,
                    "joined": m.joined.isoformat(),
                    "left": m.left.isoformat() if m.left else None,  # kept: the history
                }
                for m, p in page.team
            ],
        }
    )


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--on must be a date like 2025-06-30, got {text!r}") from None


@pipeline_app.command("advance")
def advance_command(
    project: Annotated[str, typer.Option("--project", help="The project's ID.")],
    to: Annotated[
        str, typer.Option("--to", help="Next stage key, or graduated / stopped / moved.")
    ],
    db: DbOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            help="FILE or KIND=FILE (repeatable); a plain FILE stands for missing evidence.",
        ),
    ] = None,
    trl: Annotated[
        int | None, typer.Option("--trl", help="TRL assessed at the gate (1–9).")
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Date of the move (default today).")
    ] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="Hosting institution's ID at the new stage.")
    ] = None,
    enterprise: Annotated[
        str | None,
        typer.Option("--enterprise", help="Credit code of the enterprise, on graduation."),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why it stopped / where it moved.")] = "",
    by: Annotated[
        str | None, typer.Option("--by", help="Who records the move (default: $USER).")
    ] = None,
    override_reason: Annotated[
        str | None,
        typer.Option(
            "--override-reason",
            help="Administrators: pass the gate anyway, for this recorded reason.",
        ),
    ] = None,
) -> None:
    """Move a project through its next gate; refused moves exit 2 with the reason."""
    request = Advance(
        project_id=project,
        to=to,
        by=by or os.environ.get("USER") or "cli",
        on=_day(on),
        trl=trl,
        evidence=tuple(EvidenceFile.parse(text) for text in evidence or ()),
        institution=institution,
        enterprise=enterprise,
        note=note,
        # Whoever runs the CLI holds the database itself: an administrator by construction.
        by_admin=override_reason is not None,
        override_reason=override_reason,
    )
    with open_services(db) as services, services.pipeline.writing() as stores:
        vault = services.pipeline.vault
        state = advance(stores.pipeline, vault, request, datetime.now(), stores.audit)
    where = state.exit.value if state.exit else state.stage.value if state.stage else "-"
    typer.echo(f"{project}: {where} (recorded by {request.by})")


@finance_app.command("leverage")
def leverage_command(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Money in (public, private) by kind, stage, cluster, chain; private yuan per public yuan."""
    with open_services(db) as services, services.pipeline.reading() as stores:
        store, pipeline = stores.finance, stores.pipeline
        view = finance.capital_view(store.book(), finance.places(store, pipeline, states(pipeline)))
    if as_json:
        _echo_json(view.as_json())
        return
    table = Table(title="资金投入与杠杆 Money in and leverage (yuan)")
    for heading in ("分组 Group", "财政 Public", "社会 Private", "合计 Total", "杠杆 Leverage"):
        table.add_column(heading, justify="left" if heading.startswith("分组") else "right")
    for label, groups in (("kind", view.by_kind), ("stage", view.by_stage)):
        for key, split in sorted(groups.items()):
            lev = "—" if split.leverage is None else f"{split.leverage:.2f}"
            table.add_row(
                f"{label}: {key}",
                f"{split.public:,.0f}",
                f"{split.private:,.0f}",
                f"{split.total:,.0f}",
                lev,
            )
    o = view.overall
    table.add_row(
        "合计 All",
        f"{o.public:,.0f}",
        f"{o.private:,.0f}",
        f"{o.total:,.0f}",
        "—" if o.leverage is None else f"{o.leverage:.2f}",
    )
    Console().print(table)


@finance_app.command("funds")
def funds_command(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Funds: size, commitments (public part), invested, portfolio counts."""
    with open_services(db) as services, services.finance.reading() as book_store:
        summaries = finance.fund_summaries(book_store.book())
    if as_json:
        _echo_json([s.as_json() for s in summaries])
        return
    table = Table(title="基金 Funds (yuan)")
    for heading in (
        "基金 Fund",
        "类别 Kind",
        "规模 Size",
        "认缴 Committed",
        "已投 Invested",
        "项目 Projects",
    ):
        table.add_column(heading)
    for s in summaries:
        table.add_row(
            s.fund.name,
            FUND_LABELS[s.fund.kind][0],
            f"{s.fund.size:,.0f}",
            f"{s.committed:,.0f}",
            f"{s.invested:,.0f}",
            f"{s.projects:,}",
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.add_typer(pipeline_app, name="pipeline")
    app.add_typer(finance_app, name="finance")
