"""Challenge-call use cases: each loads the call's case in one transaction, lets the domain
decide, and stores what moved; reads show each viewer only what the policy allows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from fourchain.domain.accounts import Role
from fourchain.domain.audit import Action, details
from fourchain.domain.challenge import (
    CallAction,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    CoiDeclaration,
    Milestone,
    Payment,
    Ranked,
    Reviewer,
    Score,
    may_see_all_scores,
    may_see_application,
    may_see_call,
    may_see_feedback,
    rank,
    steps,
    visible_applications,
)
from fourchain.domain.market import Party, Viewer
from fourchain.errors import InvalidInput, NotFound, PermissionDenied
from fourchain.services.market import Units, note, require_acting_for, require_bureau_admin
from fourchain.services.ports import MarketUnit


@dataclass(frozen=True)
class CallView:
    """A call as one viewer sees it: only the applications they may see, and the ranking,
    panel and delivery only for the bureau."""

    call: ChallengeCall
    applications: list[ChallengeApplication]
    names: dict[Party, str]
    ranking: list[Ranked] = field(default_factory=list)
    reviewers: list[Reviewer] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    feedback: dict[int, str] = field(default_factory=dict)
    my_scores: dict[int, dict[str, float]] = field(default_factory=dict)
    my_declarations: dict[int, bool] = field(default_factory=dict)


def _require_expert(viewer: Viewer) -> str:
    if viewer.role is not Role.EXPERT_REVIEWER or not viewer.expert_id:
        raise PermissionDenied("仅评审专家可执行此操作 (expert reviewers only)")
    return viewer.expert_id


def _party_name(unit: MarketUnit, party: Party) -> str:
    return unit.market.party_names([party]).get(party, party.id)


def _score_lines(call: ChallengeCall, sheet: list[Score]) -> list[list[object]]:
    """A score sheet for the audit entry: each criterion by its two labels, then its points
    (the log page reads the rubric's words, not its keys)."""
    labels = {c.key: (c.label_zh, c.label_en) for c in call.rubric}
    return [[*labels.get(s.criterion, (s.criterion, s.criterion)), s.points] for s in sheet]


class ChallengeDesk:
    """The bureau's, the applicants' and the reviewers' steps of a challenge call."""

    def __init__(self, units: Units, today: Callable[[], date] = date.today) -> None:
        self.units = units
        self.today = today

    def _case(self, unit: MarketUnit, call_id: int) -> ChallengeCase:
        case = unit.challenges.case(call_id)
        if case is None:
            raise NotFound(f"没有榜单 {call_id} (no challenge call {call_id})")
        return case

    def _case_of(self, unit: MarketUnit, application_id: int) -> ChallengeCase:
        call_id = unit.challenges.call_id_of(application_id)
        if call_id is None:
            raise NotFound(f"没有揭榜申请 {application_id} (no application {application_id})")
        return self._case(unit, call_id)

    # --- the bureau ------------------------------------------------------------------------------
    def create_call(self, viewer: Viewer, call: ChallengeCall) -> int:
        require_bureau_admin(viewer)
        call.state, call.published = CallState.DRAFT, None
        call.validate()
        with self.units() as unit:
            call_id = unit.challenges.add_call(call)
            note(
                unit,
                viewer,
                Action.RECORD_CREATED,
                f"challenge_call:{call_id}",
                details(title=call.title),
            )
            return call_id

    def publish(self, viewer: Viewer, call_id: int) -> None:
        self._call_step(
            viewer, call_id, CallAction.PUBLISH, lambda case: steps.publish(case, self.today())
        )

    def close_applications(self, viewer: Viewer, call_id: int) -> None:
        self._call_step(viewer, call_id, CallAction.CLOSE_APPLICATIONS, steps.close_applications)

    def start_review(self, viewer: Viewer, call_id: int) -> None:
        self._call_step(viewer, call_id, CallAction.START_REVIEW, steps.start_review)

    def unscored(self, viewer: Viewer, call_id: int) -> list[int]:
        """The applications an award now would leave unread (not fully scored)."""
        require_bureau_admin(viewer)
        with self.units() as unit:
            return steps.unscored(self._case(unit, call_id))

    def award(self, viewer: Viewer, call_id: int, reason: str = "") -> steps.Award:
        """Award the call; over applications not fully scored only with a reason, which the
        award's audit entry records (one transaction with the award)."""
        require_bureau_admin(viewer)
        reason = " ".join(reason.split())[:1000]
        with self.units() as unit:
            case = self._case(unit, call_id)
            pending = steps.unscored(case)
            result = steps.award(case, reason)
            unit.challenges.save_application_states(case.applications)
            unit.challenges.save_call_state(case.call)
            winner = case.application(result.winner).applicant
            detail = details(
                step=CallAction.AWARD.value,
                state=case.call.state.value,
                winner=result.winner,
                winner_name=unit.market.party_names([winner]).get(winner, winner.id),
                unscored=pending or None,
                reason=(reason or None) if pending else None,
            )
            note(unit, viewer, Action.AWARDED, f"challenge_call:{call_id}", detail)
            return result

    def start_delivery(self, viewer: Viewer, call_id: int) -> None:
        self._call_step(viewer, call_id, CallAction.START_DELIVERY, steps.start_delivery)

    def close(self, viewer: Viewer, call_id: int) -> None:
        self._call_step(viewer, call_id, CallAction.CLOSE, steps.close)

    def _call_step(
        self,
        viewer: Viewer,
        call_id: int,
        action: CallAction,
        step: Callable[[ChallengeCase], object],
    ) -> None:
        require_bureau_admin(viewer)
        with self.units() as unit:
            case = self._case(unit, call_id)
            step(case)
            unit.challenges.save_application_states(case.applications)
            unit.challenges.save_call_state(case.call)
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"challenge_call:{call_id}",
                details(step=action.value, state=case.call.state.value),
            )

    def add_reviewer(self, viewer: Viewer, call_id: int, reviewer: Reviewer) -> None:
        require_bureau_admin(viewer)
        if not reviewer.expert_id.strip() or not reviewer.name.strip():
            raise InvalidInput("reviewer: 须有专家编号和姓名 (expert id and name required)")
        with self.units() as unit:
            case = self._case(unit, call_id)
            if reviewer.affiliation and not unit.market.party_exists(reviewer.affiliation):
                raise InvalidInput(f"reviewer.affiliation: 无此单位 ({reviewer.affiliation})")
            steps.add_reviewer(case, reviewer)
            unit.challenges.add_reviewer(call_id, reviewer)
            where = reviewer.affiliation
            names = unit.market.party_names([where]) if where else {}
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"challenge_call:{call_id}",
                details(
                    reviewer=reviewer.expert_id,
                    reviewer_name=reviewer.name,
                    affiliation=names.get(where, where.id) if where else None,
                ),
            )

    def add_milestone(self, viewer: Viewer, call_id: int, milestone: Milestone) -> int:
        require_bureau_admin(viewer)
        with self.units() as unit:
            case = self._case(unit, call_id)
            steps.add_milestone(case, milestone)
            milestone_id = unit.challenges.add_milestone(call_id, milestone)
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"challenge_call:{call_id}",
                details(
                    milestone_added=milestone.title, due=milestone.due, amount=milestone.amount
                ),
            )
            return milestone_id

    def accept_milestone(self, viewer: Viewer, call_id: int, milestone_id: int) -> None:
        require_bureau_admin(viewer)
        with self.units() as unit:
            case = self._case(unit, call_id)
            accepted = steps.accept_milestone(case, milestone_id, self.today())
            unit.challenges.save_milestone_accepted(accepted)
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"challenge_call:{call_id}",
                details(milestone_accepted=accepted.title, on=accepted.accepted),
            )

    def pay(self, viewer: Viewer, call_id: int, milestone_id: int, amount: float) -> None:
        require_bureau_admin(viewer)
        payment = Payment(milestone_id, amount, self.today())
        with self.units() as unit:
            case = self._case(unit, call_id)
            steps.pay(case, payment)
            unit.challenges.add_payment(payment)
            paid_for = next(m.title for m in case.milestones if m.id == milestone_id)
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"challenge_call:{call_id}",
                details(paid=amount, milestone=paid_for, on=payment.paid),
            )

    def give_feedback(self, viewer: Viewer, application_id: int, text: str) -> None:
        require_bureau_admin(viewer)
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            steps.give_feedback(case, application_id, text)
            unit.challenges.save_feedback(
                application_id, case.feedback[application_id], self.today()
            )
            applicant = case.application(application_id).applicant
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"application:{application_id}",
                details(feedback=_party_name(unit, applicant)),
            )

    # --- applicants ------------------------------------------------------------------------------
    def apply(self, viewer: Viewer, application: ChallengeApplication) -> int:
        """A team applies in its organisation's name; the bureau never applies itself."""
        if not viewer.acts_for(application.applicant):
            raise PermissionDenied(
                "只能以本单位名义揭榜 (apply only in your own organisation's name)"
            )
        application.submitted = self.today()
        with self.units() as unit:
            case = self._case(unit, application.call_id)
            if not may_see_call(viewer, case.call):
                raise NotFound(f"没有榜单 {application.call_id} (no challenge call)")
            steps.submit(case, application)
            new_id = unit.challenges.add_application(application)
            note(
                unit,
                viewer,
                Action.CHALLENGE_STEP,
                f"application:{new_id}",
                details(
                    submitted=_party_name(unit, application.applicant),
                    call=case.call.title,
                    requested=application.requested,
                ),
            )
            return new_id

    def withdraw(self, viewer: Viewer, application_id: int) -> None:
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            app = case.application(application_id)
            if not may_see_application(viewer, case, app):
                raise NotFound(f"没有揭榜申请 {application_id} (no application {application_id})")
            require_acting_for(viewer, app.applicant)
            steps.withdraw(case, application_id)
            unit.challenges.save_application_states([app])
            note(
                unit,
                viewer,
                Action.RECORD_WITHDRAWN,
                f"application:{application_id}",
                details(applicant=_party_name(unit, app.applicant)),
            )

    # --- reviewers -------------------------------------------------------------------------------
    def declare(
        self, viewer: Viewer, application_id: int, *, conflicted: bool, statement: str = ""
    ) -> None:
        expert = _require_expert(viewer)
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            self._visible(viewer, case, application_id)
            declaration = CoiDeclaration(
                expert, application_id, conflicted, statement.strip(), self.today()
            )
            steps.declare(case, declaration)
            unit.challenges.add_declaration(declaration)
            note(
                unit,
                viewer,
                Action.COI_DECLARED,
                f"application:{application_id}",
                details(conflicted=conflicted, statement=declaration.statement or None),
            )

    def score(self, viewer: Viewer, application_id: int, points: Mapping[str, float]) -> None:
        expert = _require_expert(viewer)
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            self._visible(viewer, case, application_id)
            sheet = steps.score(case, expert, application_id, points)
            unit.challenges.replace_scores(expert, application_id, sheet)
            note(
                unit,
                viewer,
                Action.SCORED,
                f"application:{application_id}",
                details(scores=_score_lines(case.call, sheet)),
            )

    def _visible(self, viewer: Viewer, case: ChallengeCase, application_id: int) -> None:
        if not may_see_application(viewer, case, case.application(application_id)):
            # A foreign application is "not found": its existence is not disclosed either.
            raise NotFound(f"没有揭榜申请 {application_id} (no application {application_id})")

    # --- reads -----------------------------------------------------------------------------------
    def calls(self, viewer: Viewer, state: CallState | None = None) -> list[ChallengeCall]:
        with self.units() as unit:
            return [c for c in unit.challenges.calls(viewer, state) if may_see_call(viewer, c)]

    def applications(self, viewer: Viewer) -> list[ChallengeApplication]:
        """Every application the viewer may see, across calls (their desk or their own)."""
        with self.units() as unit:
            return unit.challenges.applications(viewer)

    def view(self, viewer: Viewer, call_id: int) -> CallView:
        with self.units() as unit:
            case = self._case(unit, call_id)
            if not may_see_call(viewer, case.call):
                raise NotFound(f"没有榜单 {call_id} (no challenge call {call_id})")
            apps = unit.challenges.applications(viewer, call_id)
            # Belt and braces: the SQL filter and the pure policy must agree.
            allowed = {a.id for a in visible_applications(viewer, case)}
            apps = [a for a in apps if a.id in allowed]
            names = unit.market.party_names([a.applicant for a in apps])
            feedback = {
                a.id: case.feedback[a.id]
                for a in apps
                if a.id is not None and a.id in case.feedback and may_see_feedback(viewer, a)
            }
            mine: dict[int, dict[str, float]] = {}
            declared: dict[int, bool] = {}
            if viewer.role is Role.EXPERT_REVIEWER:
                for s in case.scores:
                    if s.expert_id == viewer.expert_id and s.application_id in allowed:
                        mine.setdefault(s.application_id, {})[s.criterion] = s.points
                for d in case.declarations:
                    if d.expert_id == viewer.expert_id and d.application_id in allowed:
                        declared[d.application_id] = d.conflicted
            if not may_see_all_scores(viewer):
                return CallView(
                    case.call,
                    apps,
                    names,
                    feedback=feedback,
                    my_scores=mine,
                    my_declarations=declared,
                )
            return CallView(
                case.call,
                apps,
                names,
                ranking=rank(case),
                reviewers=case.reviewers,
                milestones=case.milestones,
                payments=case.payments,
                feedback=feedback,
            )

    def application(
        self, viewer: Viewer, application_id: int
    ) -> tuple[ChallengeApplication, str | None]:
        """One application and, for its applicant and the bureau, its written feedback."""
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            self._visible(viewer, case, application_id)
            app = case.application(application_id)
            text = case.feedback.get(application_id) if may_see_feedback(viewer, app) else None
            return app, text

    def my_scores(self, viewer: Viewer, application_id: int) -> list[Score]:
        expert = _require_expert(viewer)
        with self.units() as unit:
            case = self._case_of(unit, application_id)
            self._visible(viewer, case, application_id)
            return [
                s
                for s in case.scores
                if s.expert_id == expert and s.application_id == application_id
            ]
