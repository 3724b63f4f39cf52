"""CLI commands of the technology market's records and challenge calls: the bureau's read-only
views (`achievements`, `demands`, `contracts`, `challenge`, `cooperation`), with --json."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from fourchain.bootstrap import open_services
from fourchain.domain.accounts import Role
from fourchain.domain.challenge import APPLICATION_LABELS, STATE_LABELS, CallState
from fourchain.domain.market import LABELS, ListQuery, Party, PartyKind, Viewer
from fourchain.domain.matching import KIND_LABELS
from fourchain.entrypoints.cli.options import (
    DbOption,
    DistrictFilter,
    FieldFilter,
    IpFilter,
    JsonFlag,
    TrlMax,
    TrlMin,
    match_filters,
)
from fourchain.errors import InvalidInput
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from fourchain.services.market_matching import Found, MarketMatching

# The CLI is the bureau's console on the database: it reads as a bureau analyst would.
CONSOLE_VIEWER = Viewer(Role.BUREAU_ANALYST)

achievements_app = typer.Typer(
    help="科技成果 Research achievements offered for transfer.", no_args_is_help=True
)
demands_app = typer.Typer(help="技术需求 Enterprises' technology demands.", no_args_is_help=True)
contracts_app = typer.Typer(help="技术合同 Registered technology contracts.", no_args_is_help=True)
challenge_app = typer.Typer(help="揭榜挂帅 Open-competition challenge calls.", no_args_is_help=True)
cooperation_app = typer.Typer(
    help="产学研合作 Cooperation projects organised.", no_args_is_help=True
)

LimitOption = Annotated[int, typer.Option("--limit", help="At most this many rows (1–500).")]
TextOption = Annotated[str | None, typer.Option("--text", help="Words to look for.")]
ClusterOption = Annotated[str | None, typer.Option("--cluster", help="A cluster key.")]


@contextmanager
def _services(db: Any) -> Iterator[tuple[MarketRecords, ChallengeDesk]]:
    with open_services(db) as services:
        yield services.market.records, services.market.desk


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, enums as their values, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _emit(rows: list[Any], as_json: bool, table: Callable[[list[Any]], Table]) -> None:
    if as_json:
        typer.echo(json.dumps(_plain([asdict(r) for r in rows]), ensure_ascii=False))
    else:
        Console().print(table(rows))


def _label(key: str) -> str:
    zh, en = LABELS.get(key, (key, key))
    return f"{zh} {en}"


@achievements_app.command("list")
def achievements_list(
    db: DbOption = None,
    text: TextOption = None,
    cluster: ClusterOption = None,
    trl_min: Annotated[int | None, typer.Option("--trl-min", help="TRL at least.")] = None,
    limit: LimitOption = 50,
    as_json: JsonFlag = False,
) -> None:
    """Achievements, newest first (unlisted ones included: this is the bureau's view)."""
    query = ListQuery(text=text, cluster=cluster, trl_min=trl_min, limit=limit)
    with _services(db) as (records, _):
        page = records.achievements(CONSOLE_VIEWER, query)

    def table(rows: list[Any]) -> Table:
        out = Table(title=f"科技成果 Achievements ({len(rows)} of {page.total})")
        for column in ("编号 Id", "名称 Title", "机构 Institution", "TRL", "知识产权 IP", "上架"):
            out.add_column(column)
        for a in rows:
            owner = page.names.get(Party(PartyKind.INSTITUTION, a.institution_id), "")
            listed = "是" if a.listed else "否"
            out.add_row(str(a.id), a.title, owner, str(a.trl), _label(a.ip_status), listed)
        return out

    _emit(page.items, as_json, table)


@achievements_app.command("show")
def achievements_show(
    achievement_id: Annotated[int, typer.Argument(help="The achievement's id.")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """One achievement with every field."""
    with _services(db) as (records, _):
        achievement, owner = records.achievement(CONSOLE_VIEWER, achievement_id)
    data = _plain(asdict(achievement)) | {"institution_name": owner}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    out = Table(title=f"科技成果 Achievement {achievement_id}", show_header=False)
    for key, value in data.items():
        out.add_row(key, ", ".join(value) if isinstance(value, list) else str(value))
    Console().print(out)


@demands_app.command("list")
def demands_list(
    db: DbOption = None,
    text: TextOption = None,
    cluster: ClusterOption = None,
    limit: LimitOption = 50,
    as_json: JsonFlag = False,
) -> None:
    """Demands, newest first; confidential ones are marked (the bureau sees them)."""
    with _services(db) as (records, _):
        page = records.demands(CONSOLE_VIEWER, ListQuery(text=text, cluster=cluster, limit=limit))

    def table(rows: list[Any]) -> Table:
        out = Table(title=f"技术需求 Demands ({len(rows)} of {page.total})")
        for column in ("编号 Id", "问题 Problem", "企业 Enterprise", "预算(元)", "截止", "保密"):
            out.add_column(column)
        for d in rows:
            owner = page.names.get(Party(PartyKind.ENTERPRISE, d.credit_code), "")
            secret = "保密 confidential" if d.confidential else ""
            out.add_row(str(d.id), d.problem, owner, f"{d.budget:,.0f}", str(d.deadline), secret)
        return out

    _emit(page.items, as_json, table)


@contracts_app.command("list")
def contracts_list(
    db: DbOption = None,
    year: Annotated[int | None, typer.Option("--year", help="Signed in this year.")] = None,
    limit: LimitOption = 50,
    as_json: JsonFlag = False,
) -> None:
    """Registered technology contracts, newest first."""
    if not 1 <= limit <= 500:
        raise InvalidInput(f"--limit: 须在 1–500 (must be 1–500, got {limit})")
    with _services(db) as (records, _):
        page = records.contracts(CONSOLE_VIEWER, year=year, limit=limit)

    def table(rows: list[Any]) -> Table:
        out = Table(title=f"技术合同 Contracts ({len(rows)} of {page.total})")
        for column in ("编号 Number", "名称 Title", "类型 Type", "卖方", "买方", "金额(元)"):
            out.add_column(column)
        for c in rows:
            seller = page.names.get(c.seller, c.seller.id)
            buyer = page.names.get(c.buyer, c.buyer.id)
            out.add_row(c.number, c.title, _label(c.type), seller, buyer, f"{c.value:,.0f}")
        return out

    _emit(page.items, as_json, table)


@contracts_app.command("turnover")
def contracts_turnover(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Registered contracts per year of signing: count and value (技术合同成交额)."""
    with _services(db) as (records, _):
        totals = records.contract_turnover(CONSOLE_VIEWER)
    if as_json:
        rows = [{"year": y, "contracts": n, "value": v} for y, (n, v) in sorted(totals.items())]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    out = Table(title="技术合同成交额 Contract turnover")
    for column in ("年度 Year", "合同数 Contracts", "成交额(亿元) Value (100M yuan)"):
        out.add_column(column, justify="right")
    for y, (n, v) in sorted(totals.items()):
        out.add_row(str(y), f"{n:,}", f"{v / 1e8:,.2f}")
    Console().print(out)


@challenge_app.command("list")
def challenge_list(
    db: DbOption = None,
    state: Annotated[
        CallState | None, typer.Option("--state", help="Only calls in this state.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Challenge calls, newest first, with their state."""
    with _services(db) as (_, desk):
        calls = desk.calls(CONSOLE_VIEWER, state)
    rows = [
        {
            "id": c.id,
            "title": c.title,
            "state": c.state.value,
            "reward": c.reward,
            "apply_by": c.apply_by.isoformat(),
            "field": c.field,
        }
        for c in calls
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    out = Table(title=f"揭榜挂帅 Challenge calls ({len(rows)})")
    for column in ("编号 Id", "榜单 Title", "状态 State", "奖励(万元)", "截止 Apply by"):
        out.add_column(column)
    for c in calls:
        zh, en = STATE_LABELS[c.state]
        out.add_row(str(c.id), c.title, f"{zh} {en}", f"{c.reward / 1e4:,.0f}", str(c.apply_by))
    Console().print(out)


@challenge_app.command("show")
def challenge_show(
    call_id: Annotated[int, typer.Argument(help="The call's id.")],
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """One call: its applications, ranking, panel, milestones and payments."""
    with _services(db) as (_, desk):
        view = desk.view(CONSOLE_VIEWER, call_id)
    ranking = {r.application_id: r for r in view.ranking}
    applications = [
        {
            "id": a.id,
            "applicant": str(a.applicant),
            "applicant_name": view.names.get(a.applicant, a.applicant.id),
            "proposal": a.proposal,
            "state": a.state.value,
            "total": ranking[a.id].total if a.id in ranking else None,
            "feedback": view.feedback.get(a.id or 0),
        }
        for a in view.applications
    ]
    data = {
        "call": _plain(asdict(view.call)),
        "applications": applications,
        "reviewers": [_plain(asdict(r)) for r in view.reviewers],
        "milestones": [_plain(asdict(m)) for m in view.milestones],
        "paid": sum(p.amount for p in view.payments),
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
        return
    zh, en = STATE_LABELS[view.call.state]
    console = Console()
    console.print(f"[bold]{view.call.title}[/bold]  {zh} {en}  奖励 {view.call.reward:,.0f} 元")
    out = Table(title="揭榜申请 Applications")
    for column in ("编号 Id", "申报单位 Applicant", "方案 Proposal", "状态 State", "得分 Total"):
        out.add_column(column)
    for a in view.applications:
        total = ranking[a.id].total if a.id in ranking else None
        state_zh, state_en = APPLICATION_LABELS[a.state]
        out.add_row(
            str(a.id),
            view.names.get(a.applicant, a.applicant.id),
            a.proposal,
            f"{state_zh} {state_en}",
            "—" if total is None else f"{total:.2f}",
        )
    console.print(out)
    console.print(
        f"评审专家 Reviewers: {len(view.reviewers)}  里程碑 Milestones: {len(view.milestones)}  "
        f"已拨付 Paid: {data['paid']:,.0f} 元"
    )


@cooperation_app.command("counts")
def cooperation_counts(db: DbOption = None, as_json: JsonFlag = False) -> None:
    """Cooperation projects organised per kind and year (breakthrough / challenge / iur)."""
    with _services(db) as (records, _):
        counts = records.cooperation_counts()
    if as_json:
        typer.echo(json.dumps(counts, ensure_ascii=False))
        return
    years = sorted({y for per_year in counts.values() for y in per_year})
    out = Table(title="产学研合作项目 Cooperation projects organised")
    out.add_column("类别 Kind")
    for y in years:
        out.add_column(str(y), justify="right")
    out.add_column("合计 Total", justify="right")
    for kind, per_year in counts.items():
        cells = [str(per_year.get(y, 0)) for y in years]
        out.add_row(_label(kind), *cells, str(sum(per_year.values())))
    Console().print(out)


TopOption = Annotated[int, typer.Option("--top", help="At most this many matches.", min=1, max=100)]
ModeOption = Annotated[
    str | None,
    typer.Option(
        "--mode", help="Retrieval: bm25, dense or hybrid (default: hybrid once embedded)."
    ),
]


def _matching(db: Any) -> Iterator[MarketMatching]:
    # The engine (jieba, bm25s, embeddings) is imported only by the commands that match.
    with open_services(db) as services:
        matching = services.market.matching()
        matching.sync()  # a one-off command answers from the records as they are now
        yield matching


def _print_found(title: str, found: list[Found], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps([f.as_json() for f in found], ensure_ascii=False))
        return
    out = Table(title=title)
    columns = (
        "名次 Rank",
        "类别 Kind",
        "编号 Id",
        "名称 Title",
        "命中 Matched",
        "相关度 Relevance",
    )
    for column in columns:
        out.add_column(column)
    for f in found:
        zh, en = KIND_LABELS[f.kind]
        relevance = "" if f.relevance is None else f"{f.relevance:.0f}"
        out.add_row(str(f.rank), f"{zh} {en}", f.id, f.title, "、".join(f.terms), relevance)
    Console().print(out)


@demands_app.command("match")
def demands_match(
    demand_id: Annotated[int, typer.Argument(help="The demand's id.")],
    db: DbOption = None,
    top: TopOption = 10,
    mode: ModeOption = None,
    as_json: JsonFlag = False,
    field: FieldFilter = None,
    trl_min: TrlMin = None,
    trl_max: TrlMax = None,
    ip_status: IpFilter = None,
    district: DistrictFilter = None,
) -> None:
    """Achievements, experts and institutions that may solve a demand (the matching engine);
    filters apply to the kinds they make sense for (TRL and IP status to achievements)."""
    filters = match_filters(field, trl_min, trl_max, ip_status, district)
    with contextmanager(_matching)(db) as matching:
        found = matching.for_demand(CONSOLE_VIEWER, demand_id, top=top, mode=mode, filters=filters)
    _print_found(f"需求 {demand_id} 的匹配 Matches for demand {demand_id}", found, as_json)


@achievements_app.command("match")
def achievements_match(
    achievement_id: Annotated[int, typer.Argument(help="The achievement's id.")],
    db: DbOption = None,
    top: TopOption = 10,
    mode: ModeOption = None,
    as_json: JsonFlag = False,
    field: FieldFilter = None,
    trl_min: TrlMin = None,
    trl_max: TrlMax = None,
    ip_status: IpFilter = None,
    district: DistrictFilter = None,
) -> None:
    """Enterprises that may take an achievement up (the matching engine)."""
    filters = match_filters(field, None, None, None, district)
    with contextmanager(_matching)(db) as matching:
        found = matching.for_achievement(
            CONSOLE_VIEWER, achievement_id, top=top, mode=mode, filters=filters
        )
    _print_found(
        f"成果 {achievement_id} 的匹配 Matches for achievement {achievement_id}", found, as_json
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.add_typer(achievements_app, name="achievements")
    app.add_typer(demands_app, name="demands")
    app.add_typer(contracts_app, name="contracts")
    app.add_typer(challenge_app, name="challenge")
    app.add_typer(cooperation_app, name="cooperation")
