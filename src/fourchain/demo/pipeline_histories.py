"""The demo pipeline's projects and their histories 2021–2025, generated as events and
accepted one by one by the real state machine (no derived state is ever written by hand)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from fourchain.domain.pipeline import (
    GATES,
    STAGES,
    EventKind,
    EvidenceKind,
    History,
    IncubationStage,
    PipelineEvent,
    Project,
    ProjectExit,
)

RD, POC, PILOT, INC, PARK = STAGES
END = date(2025, 10, 22)  # the day the city announced its five-year figures
SCIENCE_CITY = "厦门科学城核心区"
OFFICER, REVIEWER, ADMIN = "pipeline_officer", "gate_panel", "bureau_admin"

# Cohort sizes at scale 1 (projects that entered a new-type R&D institution that year).
COHORTS = {2021: 420, 2022: 520, 2023: 600, 2024: 680, 2025: 560}
MEDIAN_DAYS = {RD: 240, POC: 190, PILOT: 290, INC: 420, PARK: 520}
# What happens when a stay ends: (advance, graduate, stop, move); rows sum to 1.
OUTCOMES = {
    RD: (0.62, 0.0, 0.28, 0.10),
    POC: (0.58, 0.0, 0.33, 0.09),
    PILOT: (0.60, 0.0, 0.30, 0.10),
    INC: (0.40, 0.32, 0.18, 0.10),
    PARK: (0.0, 0.78, 0.08, 0.14),
}
CLUSTER_WEIGHTS = {
    "biomedicine": 0.18,
    "new_materials": 0.15,
    "new_energy": 0.16,
    "electronic_information": 0.16,
    "artificial_intelligence": 0.14,
    "hydrogen_storage": 0.09,
    "machinery_equipment": 0.08,
    "culture_tourism_creative": 0.02,
    "trade_logistics": 0.01,
    "financial_services": 0.01,
}
OVERRIDE_REASON = "成果已在国家重大专项中完成概念验证（科技局审定）"
STOP_NOTES = (
    "概念验证未达预期指标",
    "中试工艺放大失败",
    "核心团队解散",
    "市场需求不足，终止孵化",
    "关键技术路线被替代",
)
MOVE_NOTES = ("迁往深圳继续孵化", "并入省外产业园", "由外地企业收购后迁出", "转入高校继续研究")
STAGE_WORDS = {
    "biomedicine": ("mRNA 疫苗递送", "分子诊断试剂", "抗体偶联药物", "海洋多糖药物"),
    "new_materials": ("稀土永磁材料", "石墨烯导热膜", "钙钛矿薄膜", "高熵合金"),
    "new_energy": ("固态电池电解质", "钠离子电池正极", "光伏逆变器", "储能热管理"),
    "electronic_information": ("MicroLED 巨量转移", "碳化硅功率器件", "射频滤波芯片", "光通信芯片"),
    "artificial_intelligence": ("工业视觉检测", "大模型推理加速", "具身智能关节", "类脑计算芯片"),
    "hydrogen_storage": ("碱性电解水制氢", "质子交换膜", "储氢合金", "燃料电池双极板"),
    "machinery_equipment": ("协作机器人", "精密减速器", "智能数控系统", "液压节能阀"),
    "culture_tourism_creative": ("数字文博交互", "虚拟制片引擎"),
    "trade_logistics": ("冷链追溯终端", "智能分拣系统"),
    "financial_services": ("供应链金融风控", "隐私计算平台"),
}


@dataclass(frozen=True)
class Host:
    id: str
    kind: str
    zone: str | None
    district: str | None
    cluster: str | None
    recognised: date | None
    closed: date | None

    def active(self, day: date) -> bool:
        return (self.recognised is None or self.recognised <= day) and (
            self.closed is None or self.closed > day
        )


@dataclass
class Startup:
    """An enterprise a project incorporates as, at the incubator gate."""

    project: str
    founded: date
    cluster: str
    chain: str | None
    zone: str | None
    district: str | None
    credit_code: str = ""


@dataclass
class Generated:
    projects: list[Project] = field(default_factory=list)
    histories: dict[str, History] = field(default_factory=dict)
    startups: list[Startup] = field(default_factory=list)
    overrides: int = 0


# Creates the registry enterprise for a start-up and returns its credit code.
Incorporate = Callable[[Startup], str]


class HistoryMaker:
    def __init__(
        self,
        rng: random.Random,
        hosts: dict[IncubationStage, list[Host]],
        chains: dict[str, list[str]],
        incorporate: Incorporate,
    ) -> None:
        self.rng = rng
        self.hosts = hosts
        self.chains = chains
        self.incorporate = incorporate
        self.out = Generated()

    def _host(self, stage: IncubationStage, day: date, cluster: str) -> Host:
        pool = [h for h in self.hosts[stage] if h.active(day)] or self.hosts[stage]
        science = [h for h in pool if h.zone == SCIENCE_CITY]
        # The science city's platforms carry most of the pipeline; same-cluster hosts first.
        if science and self.rng.random() < 0.65:
            pool = science
        same = [h for h in pool if h.cluster == cluster]
        return self.rng.choice(same if same and self.rng.random() < 0.6 else pool)

    def _stay(self, stage: IncubationStage) -> int:
        return max(30, round(MEDIAN_DAYS[stage] * math.exp(self.rng.gauss(0.0, 0.45))))

    def _trl(self, stage: IncubationStage) -> int:
        gate = GATES[stage]
        return self.rng.randint(gate.trl_min, min(gate.trl_max, gate.trl_min + 1))

    def project(self, number: int, cohort: int) -> None:
        rng = self.rng
        cluster = rng.choices(list(CLUSTER_WEIGHTS), weights=list(CLUSTER_WEIGHTS.values()))[0]
        last = END if cohort == END.year else date(cohort, 12, 31)
        start = date(cohort, 1, 1) + timedelta(days=rng.randrange((last - date(cohort, 1, 1)).days))
        chains = self.chains.get(cluster) or [None]  # type: ignore[list-item]
        host = self._host(RD, start, cluster)
        project = Project(
            id=f"IP{cohort}{number:05d}",
            title=f"{rng.choice(STAGE_WORDS[cluster])}成果转化项目{number}",
            created_on=start,
            created_by=OFFICER,
            cluster=cluster,
            chain=rng.choice(chains),
            origin_institution=host.id,
        )
        history = History()
        self.out.projects.append(project)
        self.out.histories[project.id] = history
        self._walk(project, history, start, host)

    def _add(self, history: History, event: PipelineEvent) -> None:
        # Papers dated "some weeks before the gate" never predate what was already recorded.
        last = history.state.last_on
        if last is not None and event.on < last:
            event = replace(event, on=last)
        history.append(event)  # the state machine refuses anything inconsistent

    def _walk(self, project: Project, history: History, start: date, host: Host) -> None:
        rng = self.rng
        self._add(
            history,
            PipelineEvent(
                EventKind.ENTERED_STAGE,
                start,
                OFFICER,
                stage=RD,
                trl=self._trl(RD),
                institution=host.id,
            ),
        )
        stage, entered = RD, start
        while True:
            ends = entered + timedelta(days=self._stay(stage))
            if ends > END:
                if entered + timedelta(days=60) < END:
                    self._add(
                        history,
                        PipelineEvent(
                            EventKind.MILESTONE,
                            entered + timedelta(days=45),
                            OFFICER,
                            note="阶段中期检查",
                        ),
                    )
                return
            advance, graduate, stop, _move = OUTCOMES[stage]
            draw = rng.random()
            if draw < advance:
                target = STAGES[STAGES.index(stage) + 1]
                if stage is RD and rng.random() < 0.015:  # a result proven elsewhere
                    target = PILOT
                self._gate(project, history, stage, target, ends)
                stage, entered = target, ends
            elif draw < advance + graduate:
                self._graduate(project, history, ends)
                return
            else:
                how = ProjectExit.STOPPED if draw < advance + graduate + stop else ProjectExit.MOVED
                if how is ProjectExit.STOPPED and rng.random() < 0.5:
                    self._add(
                        history,
                        PipelineEvent(
                            EventKind.GATE_REVIEW,
                            ends - timedelta(days=7),
                            REVIEWER,
                            passed=False,
                            note="关口评审未通过",
                        ),
                    )
                note = rng.choice(STOP_NOTES if how is ProjectExit.STOPPED else MOVE_NOTES)
                self._add(
                    history, PipelineEvent(EventKind.EXIT, ends, OFFICER, exit=how, note=note)
                )
                return

    def _evidence_for(self, target: IncubationStage) -> frozenset[EvidenceKind]:
        return GATES[target].evidence - {EvidenceKind.INCORPORATION}

    def _gate(
        self,
        project: Project,
        history: History,
        stage: IncubationStage,
        target: IncubationStage,
        day: date,
    ) -> None:
        rng = self.rng
        evidence = self._evidence_for(target)
        if evidence:
            self._add(
                history,
                PipelineEvent(
                    EventKind.MILESTONE,
                    day - timedelta(days=rng.randint(15, 40)),
                    OFFICER,
                    evidence=evidence,
                    note="提交关口证明材料",
                ),
            )
        if target is INC:
            self._incorporate(project, history, day - timedelta(days=rng.randint(10, 14)))
        self._add(
            history,
            PipelineEvent(
                EventKind.GATE_REVIEW,
                day - timedelta(days=rng.randint(2, 9)),
                REVIEWER,
                trl=self._trl(target),
                passed=True,
            ),
        )
        skip = STAGES.index(target) - STAGES.index(stage) > 1
        host = self._host(target, day, project.cluster or "")
        self._add(
            history,
            PipelineEvent(
                EventKind.ENTERED_STAGE,
                day,
                ADMIN if skip else OFFICER,
                stage=target,
                institution=host.id,
                by_admin=skip,
                override_reason=OVERRIDE_REASON if skip else None,
            ),
        )
        self.out.overrides += skip

    def _incorporate(self, project: Project, history: History, day: date) -> None:
        incubator = self._host(INC, day, project.cluster or "")
        startup = Startup(
            project.id,
            day,
            project.cluster or "",
            project.chain,
            incubator.zone,
            incubator.district,
        )
        startup.credit_code = self.incorporate(startup)
        self.out.startups.append(startup)
        self._add(
            history,
            PipelineEvent(
                EventKind.MILESTONE,
                day,
                OFFICER,
                evidence=frozenset({EvidenceKind.INCORPORATION}),
                enterprise=startup.credit_code,
                note="完成工商注册",
            ),
        )

    def _graduate(self, project: Project, history: History, day: date) -> None:
        state = history.state
        if EvidenceKind.FIRST_REVENUE not in state.evidence:
            self._add(
                history,
                PipelineEvent(
                    EventKind.MILESTONE,
                    day - timedelta(days=self.rng.randint(20, 60)),
                    OFFICER,
                    evidence=frozenset({EvidenceKind.FIRST_REVENUE}),
                    note="实现首笔销售收入",
                ),
            )
        self._add(
            history,
            PipelineEvent(
                EventKind.EXIT,
                day,
                OFFICER,
                exit=ProjectExit.GRADUATED,
                enterprise=state.enterprise,
                trl=self.rng.randint(8, 9),
                note="毕业成企",
            ),
        )


def generate_histories(
    rng: random.Random,
    scale: float,
    hosts: dict[IncubationStage, list[Host]],
    chains: dict[str, list[str]],
    incorporate: Incorporate,
) -> Generated:
    maker = HistoryMaker(rng, hosts, chains, incorporate)
    for cohort, size in COHORTS.items():
        for number in range(1, max(1, round(size * scale)) + 1):
            maker.project(number, cohort)
    return maker.out
