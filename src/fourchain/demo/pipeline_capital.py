"""The demo pipeline's money and people: the three published funds and their commitments,
investments, subsidies, guaranteed loans and R&D insurance along each project's stays (each
checked by the domain's rules), the teams, and the city's 1,775 conversion projects."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from fourchain.demo.pipeline_histories import END, Generated
from fourchain.domain.finance import (
    Claim,
    Commitment,
    Disbursement,
    Fund,
    FundKind,
    InsurancePolicy,
    Investment,
    Loan,
    Subsidy,
    check_claim,
    check_investment,
    check_loan,
)
from fourchain.domain.pipeline import (
    STAGES,
    EventKind,
    History,
    IncubationStage,
    PipelineEvent,
    ProjectExit,
    StageVisit,
)
from fourchain.domain.talent import Membership, Person, ProjectRole
from fourchain.services.finance import investment_note, loan_note, subsidy_note

RD, POC, PILOT, INC, PARK = STAGES
VENTURE, TECH, CREDIT = "xm-st-venture", "xm-tech-innovation", "xm-credit-enhancement"
FUNDS = (
    Fund(VENTURE, "厦门市科创风投基金（示例）", FundKind.VENTURE, 5e9),
    Fund(TECH, "厦门市科技创新基金（示例）", FundKind.TECH_INNOVATION, 50e9),
    Fund(CREDIT, "科创增信子基金（示例）", FundKind.CREDIT_ENHANCEMENT, 1e9, TECH),
)
COMMITMENTS = (
    Commitment(VENTURE, "厦门市财政局", 2.0e9, True, date(2021, 3, 1)),
    Commitment(VENTURE, "区级财政（集美、同安）", 1.0e9, True, date(2021, 6, 1)),
    Commitment(VENTURE, "社会资本出资人", 2.0e9, False, date(2021, 6, 1)),
    Commitment(TECH, "厦门市财政局", 15e9, True, date(2022, 1, 1)),
    Commitment(TECH, "国有企业出资人", 10e9, False, date(2022, 1, 1)),
    Commitment(TECH, "银行与保险资金", 25e9, False, date(2023, 1, 1)),
    Commitment(CREDIT, "厦门市财政局", 1e9, True, date(2022, 6, 1)),
)
BANKS = ("厦门银行", "兴业银行厦门分行", "建设银行厦门分行", "厦门农商银行", "招商银行厦门分行")
VCS = ("鹭江创投", "海峡资本", "嘉庚天使基金", "厦门创新投资", "同安产业资本", "翔业科创基金")
INSURER = "厦研保（科技保险共保体）"
SUBSIDY_PROGRAMMES = {
    RD: ("新型研发机构成果转化资助", 2e5, 8e5, 0.5),
    POC: ("概念验证项目资助", 3e5, 1.5e6, 0.7),
    PILOT: ("中试平台服务补贴", 5e5, 3e6, 0.6),
    INC: ("孵化企业场租补贴", 1e5, 5e5, 0.5),
}
# (investor kind, round, low, high, chance) per stage; None as fund = a private investor.
ROUNDS: dict[IncubationStage, tuple[tuple[str | None, str, float, float, float], ...]] = {
    POC: ((VENTURE, "种子轮", 1e6, 4e6, 0.25),),
    PILOT: ((VENTURE, "天使轮", 2e6, 8e6, 0.30), (None, "天使轮", 3e6, 1.2e7, 0.25)),
    INC: (
        (VENTURE, "A轮", 5e6, 2e7, 0.35),
        (None, "A轮", 8e6, 3e7, 0.5),
        (TECH, "A轮", 1e7, 4e7, 0.15),
    ),
    PARK: ((TECH, "B轮", 3e7, 1e8, 0.4), (None, "B轮", 3e7, 1.5e8, 0.6)),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华玲建国文晨宇航欣怡子轩浩然思远雨萱嘉琪博文"


@dataclass
class Capital:
    commitments: list[Commitment] = field(default_factory=lambda: list(COMMITMENTS))
    investments: list[Investment] = field(default_factory=list)
    subsidies: list[Subsidy] = field(default_factory=list)
    loans: list[Loan] = field(default_factory=list)
    policies: list[InsurancePolicy] = field(default_factory=list)
    funding: dict[str, list[PipelineEvent]] = field(default_factory=dict)
    invested: dict[str, float] = field(default_factory=dict)


class CapitalMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out = Capital()

    def _amount(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), -4)

    def _day(self, start: date, end: date) -> date | None:
        span = (end - start).days
        return start + timedelta(days=self.rng.randrange(1, span)) if span > 2 else None

    def _fund_money(
        self,
        project: str | None,
        enterprise: str | None,
        fund: str | None,
        investor: str,
        round_: str,
        amount: float,
        on: date,
    ) -> bool:
        """Invest if the fund's commitments still cover it (the domain's rule decides)."""
        commitments = [c for c in self.out.commitments if c.fund == fund and c.on <= on]
        deal = Investment(investor, round_, amount, on, fund, project, enterprise)
        known = {f.key: f for f in FUNDS}
        try:
            check_investment(
                known.get(fund or ""), commitments, self.out.invested.get(fund or "", 0.0), deal
            )
        except Exception:  # noqa: BLE001 - a fund that is spent simply makes no more deals
            return False
        self.out.investments.append(deal)
        if fund:
            self.out.invested[fund] = self.out.invested.get(fund, 0.0) + amount
        return True

    def _funded(self, project: str, on: date, amount: float, note: str) -> None:
        event = PipelineEvent(EventKind.FUNDING, on, "finance_officer", amount=amount, note=note)
        self.out.funding.setdefault(project, []).append(event)

    def visit(self, project: str, visit: StageVisit, end: date, failed: bool) -> None:
        rng, stage = self.rng, visit.stage
        if stage in SUBSIDY_PROGRAMMES:
            name, low, high, chance = SUBSIDY_PROGRAMMES[stage]
            on = self._day(visit.entered, end)
            if on is not None and rng.random() < chance:
                amount = self._amount(low, high)
                tranche = (Disbursement(on, amount),)
                self.out.subsidies.append(
                    Subsidy(name, amount, on, "按阶段验收拨付", project, None, tranche)
                )
                self._funded(project, on, amount, subsidy_note(name))
        for fund, round_, low, high, chance in ROUNDS.get(stage, ()):
            on = self._day(visit.entered, end)
            if on is None or rng.random() >= chance:
                continue
            investor = next(f.name for f in FUNDS if f.key == fund) if fund else rng.choice(VCS)
            amount = self._amount(low, high)
            if self._fund_money(project, None, fund, investor, round_, amount, on):
                self._funded(project, on, amount, investment_note(round_, investor))
        if stage in (INC, PARK) and rng.random() < 0.4:
            on = self._day(visit.entered, end)
            if on is not None and on >= date(2022, 6, 1):
                loan = Loan(
                    rng.choice(BANKS),
                    self._amount(2e6, 2e7 if stage is PARK else 1e7),
                    on,
                    rng.choice((12, 24, 36)),
                    CREDIT,
                    rng.choice((0.5, 0.6, 0.8)),
                    project,
                )
                check_loan(loan, FUNDS[2])
                self.out.loans.append(loan)
                self._funded(project, on, loan.amount, loan_note(loan.bank))
        if stage in (POC, PILOT) and rng.random() < 0.3:
            cover = self._amount(5e5, 3e6)
            policy = InsurancePolicy(
                INSURER,
                round(cover * 0.02, 2),
                cover,
                visit.entered,
                visit.entered + timedelta(days=365),
                project,
            )
            if failed and visit.left is not None and visit.left <= policy.end:
                paid = Claim(
                    visit.left, round(cover * rng.uniform(0.5, 0.9), -3), "研发失败，项目终止"
                )
                check_claim(policy, paid)
                policy = replace(policy, claims=(paid,))
            self.out.policies.append(policy)

    def enterprises(self, firms: list[tuple[str, str | None, date | None]], scale: float) -> None:
        """The technology innovation fund and guaranteed loans also reach established firms."""
        rng = self.rng
        strategic = [
            f
            for f in firms
            if f[1]
            in (
                "biomedicine",
                "new_materials",
                "new_energy",
                "electronic_information",
                "artificial_intelligence",
            )
        ]
        for _ in range(round(260 * scale)):
            code, _cluster, founded = rng.choice(strategic or firms)
            on = date(rng.randint(2022, 2025), rng.randint(1, 9), rng.randint(1, 28))
            if founded is None or founded < on:
                self._fund_money(
                    None,
                    code,
                    TECH,
                    FUNDS[1].name,
                    rng.choice(("B轮", "C轮", "战略投资")),
                    self._amount(3e7, 1.5e8),
                    on,
                )
        for _ in range(round(700 * scale)):
            code, _cluster, founded = rng.choice(firms)
            on = date(rng.randint(2022, 2025), rng.randint(1, 9), rng.randint(1, 28))
            if (founded is None or founded < on) and not (on.year == 2022 and on.month < 6):
                self.out.loans.append(
                    Loan(
                        rng.choice(BANKS),
                        self._amount(1e6, 2e7),
                        on,
                        12,
                        CREDIT,
                        rng.choice((0.5, 0.7)),
                        enterprise=code,
                    )
                )


def add_money(
    rng: random.Random,
    generated: Generated,
    firms: list[tuple[str, str | None, date | None]],
    scale: float,
) -> Capital:
    """Money along every project's stays, then each history replayed with its funding events
    through the state machine again."""
    maker = CapitalMaker(rng)
    for project in generated.projects:
        history = generated.histories[project.id]
        state = history.state
        failed = state.exit is ProjectExit.STOPPED
        for visit in state.visits:
            end = visit.left or END
            maker.visit(project.id, visit, end, failed and visit is state.visits[-1])
    maker.enterprises(firms, scale)
    for pid, funding in maker.out.funding.items():
        generated.histories[pid] = _merged(
            generated.histories[pid], sorted(funding, key=lambda e: e.on)
        )
    return maker.out


def _merged(history: History, funding: list[PipelineEvent]) -> History:
    merged = History()
    pending = list(funding)
    for event in history.events:
        while pending and pending[0].on < event.on:
            merged.append(pending.pop(0))
        merged.append(event)
    for event in pending:
        merged.append(event)
    return merged


def people_for(rng: random.Random, generated: Generated) -> tuple[list[Person], list[Membership]]:
    """A lead scientist and a small team per project; founders once it incorporates."""
    persons: list[Person] = []
    members: list[Membership] = []
    for project in generated.projects:
        state = generated.histories[project.id].state
        started = state.started or project.created_on
        left = state.exited_on if state.exit is not ProjectExit.GRADUATED else None
        roles = [ProjectRole.LEAD_SCIENTIST] + [ProjectRole.TEAM_MEMBER] * rng.randint(1, 3)
        incorporated = next(
            (s.founded for s in generated.startups if s.project == project.id), None
        )
        roles += [ProjectRole.FOUNDER] * (rng.randint(1, 2) if incorporated else 0)
        for role in roles:
            n = len(persons) + 1
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
            persons.append(
                Person(
                    f"PS{n:06d}",
                    name,
                    project.origin_institution,
                    project.title.split("成果")[0],
                    f"ps{n:06d}@example.org",
                )
            )
            joined = incorporated if role is ProjectRole.FOUNDER and incorporated else started
            members.append(Membership(f"PS{n:06d}", project.id, role, joined, left))
    return persons, members


CONVERSION_YEAR_WEIGHTS = {2021: 0.17, 2022: 0.19, 2023: 0.20, 2024: 0.21, 2025: 0.23}


def conversion_rows(
    rng: random.Random,
    total: int,
    generated: Generated,
    firms: list[tuple[str, str | None, date | None]],
    products: dict[str, tuple[str, ...]],
    cluster_names: dict[str, str],
) -> list[dict[str, object]]:
    """Exactly `total` conversion projects 2021–2025 (largest-remainder split by year); the
    pipeline's graduates convert first, in the year they graduated."""
    raw = {y: total * w for y, w in CONVERSION_YEAR_WEIGHTS.items()}
    per_year = {y: int(v) for y, v in raw.items()}
    for y in sorted(raw, key=lambda y: raw[y] - per_year[y], reverse=True)[
        : total - sum(per_year.values())
    ]:
        per_year[y] += 1
    rows: list[dict[str, object]] = []
    graduates = [(p, generated.histories[p.id].state) for p in generated.projects]
    for year, count in per_year.items():
        mine = [
            (p, s)
            for p, s in graduates
            if s.exit is ProjectExit.GRADUATED and s.exited_on and s.exited_on.year == year
        ][:count]
        for project, state in mine:
            rows.append(
                _conversion(
                    state.enterprise or "",
                    project.title.replace("成果转化项目", "产业化"),
                    year,
                    cluster_names.get(project.cluster or ""),
                    project.id,
                )
            )
        for _ in range(count - len(mine)):
            code, cluster, _founded = rng.choice(firms)
            product = rng.choice(products.get(cluster or "", ("新产品",)))
            rows.append(
                _conversion(
                    code, f"{product}成果转化产业化", year, cluster_names.get(cluster or ""), None
                )
            )
    return rows


def _conversion(
    code: str, title: str, year: int, field_: str | None, project: str | None
) -> dict[str, object]:
    return {
        "credit_code": code,
        "title": title,
        "year": year,
        "field": field_,
        "project_id": project,
    }
