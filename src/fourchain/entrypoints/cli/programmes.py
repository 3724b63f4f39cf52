"""CLI commands of S&T programme projects (科技计划项目): list programmes and projects, show one
with its stage history and outcomes, move a project to its next stage with evidence (audited),
and the funding by programme and cluster. Money is stored in 元 and shown in 万元."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import open_services
from fourchain.domain.accounts import Role
from fourchain.domain.market import Party, PartyKind, Viewer
from fourchain.domain.programmes import (
    LABELS,
    AppraisalLevel,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
    ProgrammeKind,
    Stage,
    next_moves,
    to_wan,
)
from fourchain.entrypoints.cli.market_writes import console_admin
from fourchain.entrypoints.cli.options import DbOption, JsonFlag
from fourchain.errors import InvalidInput
from fourchain.services.programmes import ProjectFilter

CONSOLE_VIEWER = Viewer(Role.BUREAU_ANALYST)
programmes_app = typer.Typer(
    help="科技计划项目 S&T programme projects: programmes, calls, projects.", no_args_is_help=True
)


def _label(key: str) -> str:
    zh, en = LABELS.get(key, (key, key))
    return f"{zh} {en}"


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: 日期须为 YYYY-MM-DD (a date, got {value!r})") from None


def _lead(value: str | None) -> Party | None:
    if value is None:
        return None
    kind = PartyKind.ENTERPRISE if len(value) == 18 and value[:1].isdigit() else None
    return Party(kind or PartyKind.INSTITUTION, value)


@programmes_app.command("programmes")
def programmes_list(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Programmes with their yearly calls."""
    with open_services(db) as services:
        found = services.programmes.programmes(CONSOLE_VIEWER)
    if as_json:
        rows = [
            {
                "key": p.key,
                "name_zh": p.name_zh,
                "kind": p.kind.value,
                "level": p.level.value,
                "calls": [{"id": c.id, "year": c.year, "title": c.title} for c in calls],
            }
            for p, calls in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    out = Table(title="科技计划 Programmes")
    for column in ("键 Key", "名称 Name", "类别 Kind", "级别 Level", "年度指南 Calls"):
        out.add_column(column)
    for p, calls in found:
        years = sorted({c.year for c in calls})
        span = f"{years[0]}–{years[-1]} ({len(calls)})" if years else "—"
        out.add_row(p.key, p.name_zh, _label(p.kind), _label(p.level), span)
    Console().print(out)


@programmes_app.command("list")
def projects_list(
    db: DbOption = None,
    programme: Annotated[str | None, typer.Option("--programme", help="A programme key.")] = None,
    kind: Annotated[ProgrammeKind | None, typer.Option("--kind", help="Programme kind.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="The call's year.")] = None,
    stage: Annotated[Stage | None, typer.Option("--stage", help="The project's stage.")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", help="A cluster key.")] = None,
    lead: Annotated[
        str | None, typer.Option("--lead", help="Lead: a credit code or an institution id.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows (1–500).")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """Programme projects, newest first, with filters."""
    if not 1 <= limit <= 500:
        raise InvalidInput(f"--limit: 须在 1–500 (must be 1–500, got {limit})")
    where = ProjectFilter(programme, kind, year, stage, cluster, _lead(lead), limit)
    with open_services(db) as services:
        page = services.programmes.projects(CONSOLE_VIEWER, where)
    if as_json:
        rows = [
            {
                "id": p.id,
                "title": p.title,
                "stage": p.stage.value,
                "lead": f"{p.lead.kind.value}:{p.lead.id}",
                "public_budget": p.public_budget,
                "self_raised": p.self_raised,
                "cluster": p.cluster,
                "number": p.number,
            }
            for p in page.items
        ]
        typer.echo(json.dumps({"total": page.total, "items": rows}, ensure_ascii=False))
        return
    out = Table(title=f"科技计划项目 Programme projects ({len(page.items)} of {page.total})")
    for column in ("编号 Id", "名称 Title", "牵头单位 Lead", "阶段 Stage", "财政资金(万元)"):
        out.add_column(column)
    for p in page.items:
        lead_name = page.names.get(p.lead, p.lead.id)
        out.add_row(str(p.id), p.title, lead_name, _label(p.stage), to_wan(p.public_budget))
    Console().print(out)


@programmes_app.command("show")
def project_show(
    project_id: Annotated[int, typer.Argument(min=1, help="The project's id.")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """One project: its programme and call, budget, parties, stage history and outcomes."""
    with open_services(db) as services:
        view = services.programmes.project(CONSOLE_VIEWER, project_id)
    p = view.project
    data: dict[str, Any] = {
        "id": p.id,
        "title": p.title,
        "programme": view.programme.key,
        "call": {"id": view.call.id, "year": view.call.year, "title": view.call.title},
        "challenge_call_id": view.call.challenge_call_id,
        "stage": p.stage.value,
        "number": p.number,
        "lead": {"party": f"{p.lead.kind.value}:{p.lead.id}", "name": view.names.get(p.lead)},
        "partners": [
            {"party": f"{q.kind.value}:{q.id}", "name": view.names.get(q)} for q in p.partners
        ],
        "public_budget": p.public_budget,
        "self_raised": p.self_raised,
        "cluster": p.cluster,
        "history": [
            {
                "move": e.move.value,
                "to": e.target.value,
                "on": e.evidence.on.isoformat(),
                "document": e.evidence.document,
                "note": e.evidence.note,
            }
            for e in p.history
        ],
        "outcomes": [
            {
                "kind": o.kind.value,
                "reference": o.reference,
                "level": o.level.value if o.level else None,
                "appraised": o.appraised.isoformat() if o.appraised else None,
            }
            for o in p.outcomes
        ],
        "next_moves": [m.value for m in next_moves(p.stage)],
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    console = Console()
    head = Table(title=f"科技计划项目 Project {project_id}: {p.title}", show_header=False)
    head.add_row("计划 Programme", f"{view.programme.name_zh} · {view.call.title}")
    head.add_row("阶段 Stage", _label(p.stage))
    head.add_row("牵头单位 Lead", view.names.get(p.lead, p.lead.id))
    head.add_row("合作单位 Partners", "、".join(view.names.get(q, q.id) for q in p.partners))
    head.add_row("财政资金(万元) Public", to_wan(p.public_budget))
    head.add_row("自筹资金(万元) Self-raised", to_wan(p.self_raised))
    head.add_row("可执行 Next", ", ".join(_label(m) for m in next_moves(p.stage)) or "—")
    console.print(head)
    history = Table(title="阶段记录 Stage history")
    for column in ("日期 Date", "环节 Move", "到达 Stage", "文件 Document", "说明 Note"):
        history.add_column(column)
    for e in p.history:
        history.add_row(
            str(e.evidence.on),
            _label(e.move),
            _label(e.target),
            e.evidence.document,
            e.evidence.note,
        )
    console.print(history)
    if p.outcomes:
        outcomes = Table(title="成果 Outcomes")
        for column in ("类别 Kind", "名称/编号 Reference", "评价水平 Level", "评价日期"):
            outcomes.add_column(column)
        for o in p.outcomes:
            level = _label(o.level) if o.level else ""
            outcomes.add_row(_label(o.kind), o.reference, level, str(o.appraised or ""))
        console.print(outcomes)


@programmes_app.command("move")
def project_move(
    project_id: Annotated[int, typer.Argument(min=1, help="The project's id.")],
    move: Annotated[Move, typer.Argument(help="The move: formal_check, approve, accept, …")],
    on: Annotated[str, typer.Option("--on", help="The day of the step (YYYY-MM-DD).")],
    document: Annotated[
        str, typer.Option("--document", help="文号/任务书编号/验收文件 The document.")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="Why (needed to reject/terminate).")] = "",
    funding: Annotated[
        int | None, typer.Option("--funding", help="Approved public funding in 元 (approve).")
    ] = None,
    ends: Annotated[
        str | None, typer.Option("--ends", help="The contract's end day (contract).")
    ] = None,
    failed: Annotated[bool, typer.Option("--failed", help="The check did not pass.")] = False,
    db: DbOption = None,
) -> None:
    """Move project ID to its next stage with the evidence the move needs; the stage, its
    history and the audit entry are written together, or nothing is."""
    evidence = Evidence(
        _day(on, "--on"),
        document,
        note,
        funding,
        _day(ends, "--ends") if ends else None,
        not failed,
    )
    with open_services(db) as services:
        event = services.programmes.move(console_admin(), project_id, move, evidence)
    typer.echo(f"project {project_id}: {event.source.value} → {event.target.value}")


@programmes_app.command("declare")
def project_declare(
    project_id: Annotated[int, typer.Argument(min=1, help="The project's id.")],
    expert: Annotated[str, typer.Argument(help="The panel expert's id.")],
    conflicted: Annotated[
        bool, typer.Option("--conflicted/--no-conflict", help="Whether there is a conflict.")
    ] = False,
    statement: Annotated[str, typer.Option("--statement", help="The conflict explained.")] = "",
    on: Annotated[str | None, typer.Option("--on", help="The day (default today).")] = None,
    db: DbOption = None,
) -> None:
    """Record a panel expert's conflict-of-interest declaration on project ID (the expert
    review of the challenge desk: a conflicted expert is not counted for the review)."""
    day = _day(on, "--on") if on else date.today()
    with open_services(db) as services:
        services.programmes.declare(
            console_admin(),
            project_id,
            conflicted=conflicted,
            statement=statement,
            today=day,
            expert_id=expert,
        )
    typer.echo(f"project {project_id}: {expert} declared conflicted={conflicted}")


@programmes_app.command("outcome")
def project_outcome(
    project_id: Annotated[int, typer.Argument(min=1, help="The project's id.")],
    kind: Annotated[OutcomeKind, typer.Option("--kind", help="patent, achievement or product.")],
    reference: Annotated[
        str, typer.Option("--reference", help="Patent number, achievement id or product name.")
    ],
    level: Annotated[
        AppraisalLevel | None, typer.Option("--level", help="An appraised product's level.")
    ] = None,
    appraised: Annotated[
        str | None, typer.Option("--appraised", help="The appraisal's day (YYYY-MM-DD).")
    ] = None,
    appraiser: Annotated[str, typer.Option("--appraiser", help="Who appraised it.")] = "",
    db: DbOption = None,
) -> None:
    """Record an outcome of project ID (once its contract is signed), audited."""
    outcome = Outcome(
        kind, reference, level, _day(appraised, "--appraised") if appraised else None, appraiser
    )
    with open_services(db) as services:
        services.programmes.add_outcome(console_admin(), project_id, outcome)
    typer.echo(f"project {project_id}: outcome {kind.value} {reference} recorded")


@programmes_app.command("funding")
def funding(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Funding of approved projects by programme and cluster (万元)."""
    with open_services(db) as services:
        rows = services.programmes.funding(CONSOLE_VIEWER)
    if as_json:
        data = [
            {"programme": p.key, "cluster": c, "public_budget": pub, "self_raised": own}
            for p, c, pub, own in rows
        ]
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out = Table(title="科技计划项目资金 Funding by programme and cluster")
    for column in ("计划 Programme", "集群 Cluster", "财政资金(万元)", "自筹资金(万元)"):
        out.add_column(column)
    for p, c, pub, own in rows:
        out.add_row(p.name_zh, c or "—", to_wan(pub), to_wan(own))
    Console().print(out)


def register(app: typer.Typer) -> None:
    app.add_typer(programmes_app, name="programmes")
