"""The demo city's S&T programme projects (科技计划项目), built over the market's cooperation
projects: each organised cooperation project is the approved project of its programme (the
challenge ones under the 揭榜挂帅 programme's call for their challenge call), next to the
applications that were not approved, 7 national major projects led by city organisations in
2021–2025, and about 100 products appraised at national-leading level or above.

Every project's history is made by the pure domain's `advance`, so the demo obeys the same
rules as the bureau's desk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, insert, select

from fourchain.adapters.db.programmes_repo import (
    SqlProgrammes,
    event_row,
    outcome_row,
    parse_parties,
)
from fourchain.adapters.db.tables import enterprises, institutions, patents
from fourchain.adapters.db.tables_market import cooperation_projects
from fourchain.adapters.db.tables_programmes import programme_outcomes, programme_stage_events
from fourchain.domain.challenge import Reviewer
from fourchain.domain.market import Party, PartyKind
from fourchain.domain.programmes import (
    AppraisalLevel,
    Evidence,
    Move,
    Outcome,
    OutcomeKind,
    Programme,
    ProgrammeCall,
    ProgrammeKind,
    ProgrammeLevel,
    ProgrammeProject,
    Review,
    Stage,
    advance,
)
from fourchain.errors import InvalidInput

DEMO_TODAY = date(2025, 12, 31)  # histories run up to the end of the demo's last year
NATIONAL_MAJOR_LED = 7  # 2021–2025, "7 national major S&T special projects led"
LEADING_PRODUCTS = 98  # 2021–2025, "about 100 products … at national or world-leading level"
NOT_APPROVED_SHARE = 0.25  # applications that fail the formal check or the review
PROGRAMMES = (
    Programme("key_rd", "重点研发计划（关键核心技术攻关）", "Key R&D programme (key technologies)",
              ProgrammeKind.BREAKTHROUGH),
    Programme("challenge", "揭榜挂帅", "Open-competition challenge", ProgrammeKind.CHALLENGE),
    Programme("iur", "产学研合作项目", "Industry–university–research projects", ProgrammeKind.IUR),
    Programme("national_major", "国家重大科技专项（本市牵头）",
              "National major S&T projects (city-led)", ProgrammeKind.NATIONAL_MAJOR,
              ProgrammeLevel.NATIONAL),
)  # fmt: skip
NAMES = {p.key: p.name_zh for p in PROGRAMMES}
KIND_PROGRAMME = {"breakthrough": "key_rd", "challenge": "challenge", "iur": "iur"}
PANEL = Review([Reviewer(f"demo-expert-{n}", f"评审专家{n}") for n in range(5)], min_reviews=3)
PRODUCT_WORDS = ("芯片", "模组", "装备", "材料", "工艺", "系统", "试剂", "器件")


@dataclass(frozen=True)
class ProgrammeDemoStats:
    rows: dict[str, int]


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randint(0, 364))


def _history(
    rng: random.Random, project: ProgrammeProject, approved: date | None, reason: str = ""
) -> None:
    """Walk the project through its stages up to today with plausible evidence."""
    a = project.applied
    advance(project, Move.FORMAL_CHECK, Evidence(a + timedelta(days=10)))
    advance(project, Move.SEND_TO_REVIEW, Evidence(a + timedelta(days=20)), PANEL)
    if approved is None:
        advance(project, Move.REJECT, Evidence(a + timedelta(days=45), note=reason))
        return
    year = approved.year
    granted = int(round(project.public_budget * rng.uniform(0.7, 1.0), -4))
    advance(
        project,
        Move.APPROVE,
        Evidence(approved, f"厦科计〔{year}〕{rng.randint(1, 99)}号", public_funding=granted),
    )
    signed = approved + timedelta(days=rng.randint(15, 60))
    if signed > DEMO_TODAY:
        return
    ends = signed + timedelta(days=rng.choice((365, 730, 1095)))
    advance(project, Move.CONTRACT, Evidence(signed, f"RW-{year}-{project.title[:2]}", ends=ends))
    middle = signed + (ends - signed) / 2
    if (ends - signed).days > 730 or rng.random() < 0.5:
        if middle > DEMO_TODAY:
            return
        advance(project, Move.MID_TERM_CHECK, Evidence(middle, "中期检查报告"))
    closing = ends + timedelta(days=rng.randint(10, 90))
    if closing <= DEMO_TODAY:
        advance(project, Move.ACCEPT, Evidence(closing, f"验收意见（{closing.year}）"))


def _approved_day(rng: random.Random, year: int) -> tuple[date, date]:
    """(applied, approved) with the approval inside `year`."""
    approved = date(year, 3, 1) + timedelta(days=rng.randint(0, 270))
    return approved - timedelta(days=rng.randint(60, 120)), approved


def _scaled(n: int, scale: float) -> int:
    return max(1, round(n * scale))


def build_programme_demo(engine: Engine, *, seed: int, scale: float = 1.0) -> ProgrammeDemoStats:
    """Add the programme projects to a demo city whose market is already built, in one
    transaction."""
    rng = random.Random(f"fourchain-demo:{seed}:programmes")
    with engine.begin() as connection:
        store = SqlProgrammes(connection)
        organised = list(
            connection.execute(select(cooperation_projects).order_by(cooperation_projects.c.id))
        )
        if not organised:
            raise InvalidInput("the programme demo needs the market demo's cooperation projects")
        query_clusters = select(enterprises.c.credit_code, enterprises.c.cluster)
        clusters: dict[str, str | None] = {
            row[0]: row[1] for row in connection.execute(query_clusters)
        }
        firms = sorted(code for code, cluster in clusters.items() if cluster)
        labs = [
            row.id
            for row in connection.execute(
                select(institutions.c.id).where(
                    institutions.c.kind.in_(("provincial_lab", "national_key_lab", "university"))
                )
            )
        ] or [row.id for row in connection.execute(select(institutions.c.id).limit(20))]
        held: dict[str, list[str]] = {}
        query = select(patents.c.holder_credit_code, patents.c.number).where(
            patents.c.holder_credit_code.is_not(None), patents.c.granted.is_not(None)
        )
        for holder, number in connection.execute(query):
            held.setdefault(holder, []).append(number)
        for programme in PROGRAMMES:
            store.add_programme(programme)
        calls: dict[tuple[str, int], int] = {}
        challenge_calls: dict[int, int] = {}
        for row in organised:
            key = KIND_PROGRAMME[row.kind]
            if row.challenge_call_id is not None:
                if row.challenge_call_id not in challenge_calls:
                    challenge_calls[row.challenge_call_id] = store.add_call(
                        ProgrammeCall(
                            key,
                            row.year,
                            f"{row.year}年度揭榜挂帅榜单 {row.challenge_call_id}",
                            row.challenge_call_id,
                        )
                    )
            elif (key, row.year) not in calls:
                calls[key, row.year] = store.add_call(
                    ProgrammeCall(key, row.year, f"{row.year}年度{NAMES[key]}申报指南")
                )
        projects: list[tuple[ProgrammeProject, int | None]] = []
        for row in organised:
            lead = Party(PartyKind(row.lead_kind), row.lead_id)
            applied, approved = _approved_day(rng, row.year)
            public = int(round(row.funding, -4)) or 500_000
            project = ProgrammeProject(
                call_id=challenge_calls[row.challenge_call_id]
                if row.challenge_call_id is not None
                else calls[KIND_PROGRAMME[row.kind], row.year],
                title=row.title,
                lead=lead,
                applied=applied,
                partners=parse_parties(row.partners),
                public_budget=public,
                self_raised=int(round(public * rng.uniform(1.0, 3.0), -4)),
                cluster=clusters.get(row.lead_id),
            )
            _history(rng, project, approved)
            projects.append((project, row.id))
            if row.challenge_call_id is None and rng.random() < NOT_APPROVED_SHARE:
                loser = ProgrammeProject(
                    call_id=project.call_id,
                    title=f"{row.title}（未立项申请）",
                    lead=Party(PartyKind.ENTERPRISE, rng.choice(firms)),
                    applied=applied,
                    public_budget=public,
                    self_raised=public,
                )
                loser.cluster = clusters.get(loser.lead.id)
                _history(rng, loser, None, "专家评审得分未达立项线")
                projects.append((loser, None))
        national = [(year, None) for year in (2020,)] + [
            (year, n) for n, year in enumerate(_national_years(NATIONAL_MAJOR_LED, scale))
        ]
        for year, _ in national:
            call = calls.get(("national_major", year))
            if call is None:
                call = store.add_call(
                    ProgrammeCall("national_major", year, f"{year}年度国家重大科技专项（本市牵头）")
                )
                calls["national_major", year] = call
            applied, approved = _approved_day(rng, year)
            lead_code = rng.choice(firms)
            project = ProgrammeProject(
                call,
                f"国家重大科技专项课题：{rng.choice(PRODUCT_WORDS)}关键技术",
                Party(PartyKind.ENTERPRISE, lead_code),
                applied,
                (Party(PartyKind.INSTITUTION, rng.choice(labs)),),
                public_budget=int(rng.uniform(2e7, 8e7) // 10_000 * 10_000),
                self_raised=int(rng.uniform(2e7, 1e8) // 10_000 * 10_000),
                cluster=clusters.get(lead_code),
            )
            _history(rng, project, approved)
            projects.append((project, None))
        for project, cooperation in projects:
            new_id = store.add_project(project)
            if cooperation is not None:
                store.link_cooperation(new_id, cooperation)
            project.id = new_id
        events = [event_row(p.id, e) for p, _ in projects for e in p.history if p.id]
        connection.execute(insert(programme_stage_events), events)
        outcomes = list(_outcomes(rng, [p for p, _ in projects], held, scale))
        connection.execute(insert(programme_outcomes), outcomes)
    return ProgrammeDemoStats(
        {
            "programmes": len(PROGRAMMES),
            "programme_calls": len(calls) + len(challenge_calls),
            "programme_projects": len(projects),
            "programme_stage_events": len(events),
            "programme_outcomes": len(outcomes),
        }
    )


def _national_years(count: int, scale: float) -> list[int]:
    n = _scaled(count, scale)
    return [2021 + (k * 5) // n for k in range(n)]


def _outcomes(
    rng: random.Random,
    projects: list[ProgrammeProject],
    held: dict[str, list[str]],
    scale: float,
) -> Iterator[dict[str, object]]:
    """Patents of the lead for a share of contracted projects; appraised products of accepted
    ones: LEADING_PRODUCTS in 2021–2025 at 国内领先 or above, the rest below or outside."""
    done = [p for p in projects if p.stage in (Stage.ACCEPTED, Stage.MID_TERM_CHECKED)]
    for p in projects:
        numbers = held.get(p.lead.id, [])
        running = p.stage in (Stage.CONTRACTED, Stage.MID_TERM_CHECKED, Stage.ACCEPTED)
        if running and numbers and rng.random() < 0.4:
            assert p.id is not None
            yield outcome_row(p.id, Outcome(OutcomeKind.PATENT, rng.choice(numbers)))
    accepted = [p for p in done if p.stage is Stage.ACCEPTED]
    rng.shuffle(accepted)
    # those appraised inside 2021–2025 first, so the leading ones all fall in the span
    accepted.sort(key=lambda p: not 2021 <= p.history[-1].evidence.on.year <= 2024)
    leading = _scaled(LEADING_PRODUCTS, scale)
    levels = (
        AppraisalLevel.INTERNATIONAL_LEADING,
        AppraisalLevel.INTERNATIONAL_ADVANCED,
        AppraisalLevel.DOMESTIC_LEADING,
    )
    for n, p in enumerate(accepted):
        assert p.id is not None
        closing = p.history[-1].evidence.on
        appraised = min(closing + timedelta(days=rng.randint(20, 120)), DEMO_TODAY)
        in_span = 2021 <= appraised.year <= 2025
        if n < leading:
            level = rng.choices(levels, weights=(2, 3, 5))[0]
        elif n < leading * 2:
            level = AppraisalLevel.DOMESTIC_ADVANCED
        else:
            continue
        if not in_span and level is not AppraisalLevel.DOMESTIC_ADVANCED:
            raise AssertionError("a leading-level appraisal fell outside 2021–2025")
        name = f"{p.title[:12]}{rng.choice(PRODUCT_WORDS)}（第{n + 1}号）"
        yield outcome_row(
            p.id, Outcome(OutcomeKind.PRODUCT, name, level, appraised, "第三方科技成果评价机构")
        )
