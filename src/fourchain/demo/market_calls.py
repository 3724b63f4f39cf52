"""The demo's challenge calls, one or more in every state, driven through the domain's own
workflow steps (so every stored call is one the rules could have produced) and stored as
they go."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from fourchain.adapters.db.challenge_repo import SqlChallenges
from fourchain.demo.vocabulary import NAME_SYLLABLES, SYNTHETIC_NOTE, VOCABULARY
from fourchain.domain.challenge import (
    DEFAULT_RUBRIC,
    ApplicationState,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    CoiDeclaration,
    Milestone,
    Payment,
    Reviewer,
    eligible_reviewers,
    steps,
)
from fourchain.domain.market import Party, PartyKind

DEMO_EXPERT = "expert"  # the demo account of the expert-reviewer role
ORDER = list(CallState)
ADVICE = {
    "approach": "补充关键工艺的验证数据，论证技术路线的可行性",
    "team": "引入具备中试与产业化经验的成员，加强团队基础",
    "innovation": "明确与国内外现有方案相比的创新点和先进性",
    "delivery": "细化里程碑与预算安排，说明风险应对措施",
}
SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢洪曾周庄苏叶"


def _plan(scale: float, today: date) -> list[tuple[CallState, date]]:
    """(target state, publication day) for every call: history first, then the live ones."""
    history = [(CallState.CLOSED, date(2023, 4, 10)), (CallState.IN_DELIVERY, date(2025, 3, 18))]
    if scale >= 0.5:
        history = [
            (CallState.CLOSED, date(2021, 5, 6)),
            (CallState.CLOSED, date(2022, 4, 12)),
            (CallState.CLOSED, date(2023, 4, 10)),
            (CallState.CLOSED, date(2024, 3, 26)),
            (CallState.IN_DELIVERY, date(2024, 9, 9)),
            (CallState.IN_DELIVERY, date(2025, 3, 18)),
        ]
    live = [
        (CallState.AWARDED, today - timedelta(days=150)),
        (CallState.UNDER_REVIEW, today - timedelta(days=75)),
        (CallState.APPLICATIONS_CLOSED, today - timedelta(days=55)),
        (CallState.PUBLISHED, today - timedelta(days=10)),
        (CallState.DRAFT, today),
    ]
    if scale >= 0.5:
        live.insert(3, (CallState.PUBLISHED, today - timedelta(days=20)))
    return history + live


class CallPlanner:
    def __init__(
        self,
        rng: random.Random,
        institutions: list[tuple[str, str | None]],
        enterprises: list[tuple[str, str | None]],
        today: date,
    ) -> None:
        self.rng = rng
        self.institutions = [i for i, _ in institutions]
        self.enterprises = [e for e, _ in enterprises]
        self.today = today
        self.counts: Counter[str] = Counter()
        self.experts = [
            Reviewer(
                f"EXP-{n:03d}",
                rng.choice(SURNAMES) + "".join(rng.sample(NAME_SYLLABLES, 2)),
                Party(PartyKind.INSTITUTION, self.institutions[n % len(self.institutions)]),
            )
            for n in range(1, 41)
        ]

    def build_all(
        self, store: SqlChallenges, scale: float, demo_institution: str, demo_enterprise: str
    ) -> list[tuple[int, int, Party]]:
        """Every planned call; returns (call id, year, winner) of those awarded."""
        awarded = []
        demo = [
            Party(PartyKind.INSTITUTION, demo_institution),
            Party(PartyKind.ENTERPRISE, demo_enterprise),
        ]
        for target, start in _plan(scale, self.today):
            # The demo accounts take part in the call under review and in a closed one.
            with_demo = target is CallState.UNDER_REVIEW or start == date(2023, 4, 10)
            case = self.build(store, target, start, demo if with_demo else [])
            winners = case.in_state(ApplicationState.WON)
            if winners and case.call.id is not None:
                awarded.append((case.call.id, start.year, winners[0].applicant))
        return awarded

    def _call(self, start: date, target: CallState) -> ChallengeCall:
        cluster = self.rng.choice(sorted(VOCABULARY))
        v = VOCABULARY[cluster]
        obj, feature = self.rng.choice(v.objects), self.rng.choice(v.features)
        apply_by = start + timedelta(days=45)
        if target in (CallState.PUBLISHED, CallState.DRAFT):
            apply_by = self.today + timedelta(days=50)
        return ChallengeCall(
            title=f"{obj}{feature}关键技术揭榜攻关",
            problem=(
                f"面向{self.rng.choice(v.products)}，{obj}的{feature}长期依赖进口方案，"
                f"需在两年内实现自主可控并通过用户验证。{SYNTHETIC_NOTE}"
            ),
            conditions="牵头单位须在本市注册，具备相关研发基础；可联合申报；攻关期不超过 24 个月。",
            reward=float(self.rng.randint(10, 80) * 100_000),
            apply_by=apply_by,
            field=cluster,
            rubric=DEFAULT_RUBRIC,
            min_reviews=3,
        )

    def _panel(self, demo_expert_from: Party | None) -> list[Reviewer]:
        pool = list(self.experts)
        self.rng.shuffle(pool)
        panel: list[Reviewer] = []
        taken: set[Party | None] = {demo_expert_from} if demo_expert_from else set()
        for expert in pool:
            if expert.affiliation not in taken and len(panel) < 5:
                panel.append(expert)
                taken.add(expert.affiliation)
        if demo_expert_from is not None:
            panel.append(Reviewer(DEMO_EXPERT, "演示专家", demo_expert_from))
        return panel

    def _applicants(self, demo: list[Party]) -> list[Party]:
        n = self.rng.randint(3, 6)
        parties = list(demo)
        while len(parties) < n + len(demo):
            if self.rng.random() < 0.6:
                party = Party(PartyKind.INSTITUTION, self.rng.choice(self.institutions))
            else:
                party = Party(PartyKind.ENTERPRISE, self.rng.choice(self.enterprises))
            if party not in parties:
                parties.append(party)
        return parties

    def build(
        self, store: SqlChallenges, target: CallState, start: date, demo: list[Party]
    ) -> ChallengeCase:
        rng, reached = self.rng, ORDER.index(target)
        call = self._call(start, target)
        call.id = store.add_call(call)
        case = ChallengeCase(call)
        for reviewer in self._panel(demo[0] if demo else None):
            steps.add_reviewer(case, reviewer)
            store.add_reviewer(call.id, reviewer)
        self.counts["challenge_calls"] += 1
        self.counts["challenge_reviewers"] += len(case.reviewers)
        if reached >= ORDER.index(CallState.PUBLISHED):
            steps.publish(case, start)
            for k, party in enumerate(self._applicants(demo)):
                app = ChallengeApplication(
                    call_id=call.id,
                    applicant=party,
                    team_lead=rng.choice(SURNAMES) + "".join(rng.sample(NAME_SYLLABLES, 2)),
                    team="项目负责人及研发团队 5–12 人",
                    proposal=f"{call.title.removesuffix('关键技术揭榜攻关')}攻关方案 {k + 1}",
                    approach=f"采用{rng.choice(VOCABULARY[call.field].methods)}，分三阶段实施。",
                    requested=round(call.reward * rng.uniform(0.6, 1.0), -4),
                    submitted=start + timedelta(days=1 + k * 3),
                )
                steps.submit(case, app)
                app.id = store.add_application(app)
            self.counts["challenge_applications"] += len(case.applications)
        if reached >= ORDER.index(CallState.APPLICATIONS_CLOSED):
            steps.close_applications(case)
        if reached >= ORDER.index(CallState.UNDER_REVIEW):
            steps.start_review(case)
            self._review(store, case, complete=reached > ORDER.index(CallState.UNDER_REVIEW))
        if reached >= ORDER.index(CallState.AWARDED):
            # A reviewer's declared conflict can leave an application short of complete reviews.
            steps.award(case, reason="示例数据：部分评审专家回避 (demo: conflicted reviewers)")
            self._deliver(store, case, target)
        store.save_application_states(case.applications)
        store.save_call_state(case.call)
        return case

    def _review(self, store: SqlChallenges, case: ChallengeCase, *, complete: bool) -> None:
        """Declarations and score sheets; a call still under review gets about half of them,
        and the demo expert's desk is left for the browser."""
        day = case.call.apply_by + timedelta(days=5)
        for app in case.applications:
            assert app.id is not None
            quality = self.rng.uniform(55, 90)
            conflicted_one = self.rng.random() < 0.15
            for reviewer in eligible_reviewers(case, app):
                if reviewer.expert_id == DEMO_EXPERT and not complete:
                    continue
                if not complete and self.rng.random() < 0.5:
                    continue
                conflicted = conflicted_one and reviewer.expert_id != DEMO_EXPERT
                conflicted_one = conflicted_one and not conflicted
                statement = "近三年与申报团队有合作发表" if conflicted else ""
                declaration = CoiDeclaration(reviewer.expert_id, app.id, conflicted, statement, day)
                steps.declare(case, declaration)
                store.add_declaration(declaration)
                self.counts["coi_declarations"] += 1
                if conflicted:
                    continue
                points = {
                    c.key: round(min(100.0, max(0.0, self.rng.gauss(quality, 6))), 1)
                    for c in case.call.rubric
                }
                sheet = steps.score(case, reviewer.expert_id, app.id, points)
                store.replace_scores(reviewer.expert_id, app.id, sheet)
                self.counts["review_scores"] += len(sheet)

    def _feedback(self, case: ChallengeCase, app: ChallengeApplication) -> str:
        mine = [s for s in case.scores if s.application_id == app.id]
        means = {
            c: sum(s.points for s in mine if s.criterion == c.key)
            / max(1, sum(1 for s in mine if s.criterion == c.key))
            for c in case.call.rubric
        }
        weakest = min(means, key=lambda c: means[c])
        return (
            f"感谢贵单位参与揭榜。评审认为方案在“{weakest.label_zh}”方面相对不足"
            f"（平均 {means[weakest]:.1f} 分），建议{ADVICE.get(weakest.key, '进一步完善方案')}。"
            "欢迎关注后续榜单。"
        )

    def _deliver(self, store: SqlChallenges, case: ChallengeCase, target: CallState) -> None:
        call = case.call
        assert call.id is not None
        day = call.apply_by + timedelta(days=40)
        losers = case.in_state(ApplicationState.NOT_WON)
        # An awarded call has half its feedback written; one in delivery all but the last.
        to_write = {
            CallState.AWARDED: losers[: len(losers) // 2],
            CallState.IN_DELIVERY: losers[:-1],
        }.get(target, losers)
        for app in to_write:
            assert app.id is not None
            steps.give_feedback(case, app.id, self._feedback(case, app))
            store.save_feedback(app.id, case.feedback[app.id], day)
            self.counts["feedback"] += 1
        for n, share in enumerate((0.3, 0.4, 0.3)):
            milestone = Milestone(
                ("技术方案评审与样品试制", "中试验证", "用户验收与产业化")[n],
                day + timedelta(days=180 * (n + 1)),
                round(call.reward * share, 2),
            )
            steps.add_milestone(case, milestone)
            milestone.id = store.add_milestone(call.id, milestone)
            self.counts["milestones"] += 1
        if target is CallState.AWARDED:
            return
        steps.start_delivery(case)
        done = case.milestones if target is CallState.CLOSED else case.milestones[:1]
        for milestone in done:
            assert milestone.id is not None
            store.save_milestone_accepted(steps.accept_milestone(case, milestone.id, milestone.due))
            payment = Payment(milestone.id, milestone.amount, milestone.due + timedelta(days=20))
            steps.pay(case, payment)
            store.add_payment(payment)
            self.counts["payments"] += 1
        if target is CallState.CLOSED:
            steps.close(case)
