"""Challenge calls in SQL: a call's whole case in and out, and the lists of calls and
applications filtered in the WHERE clause by who is looking."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    and_,
    delete,
    exists,
    false,
    insert,
    not_,
    select,
    true,
    update,
)

from fourchain.adapters.db.tables_market import (
    challenge_applications,
    challenge_calls,
    challenge_reviewers,
    coi_declarations,
    feedback,
    milestones,
    payments,
    review_scores,
)
from fourchain.domain.accounts import Role
from fourchain.domain.challenge import (
    ApplicationState,
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    CoiDeclaration,
    Criterion,
    Milestone,
    Payment,
    Reviewer,
    Score,
)
from fourchain.domain.market import Party, PartyKind, Viewer


def _rubric_json(rubric: tuple[Criterion, ...]) -> str:
    return json.dumps(
        [
            {"key": c.key, "label_zh": c.label_zh, "label_en": c.label_en, "weight": c.weight}
            for c in rubric
        ],
        ensure_ascii=False,
    )


def _call(row: Any) -> ChallengeCall:
    return ChallengeCall(
        id=row.id,
        title=row.title,
        problem=row.problem,
        conditions=row.conditions,
        reward=row.reward,
        apply_by=row.apply_by,
        field=row.field,
        rubric=tuple(Criterion(**c) for c in json.loads(row.rubric)),
        min_reviews=row.min_reviews,
        state=CallState(row.state),
        published=row.published,
    )


def _application(row: Any) -> ChallengeApplication:
    return ChallengeApplication(
        id=row.id,
        call_id=row.call_id,
        applicant=Party(PartyKind(row.applicant_kind), row.applicant_id),
        team_lead=row.team_lead,
        team=row.team,
        proposal=row.proposal,
        approach=row.approach,
        requested=row.requested,
        submitted=row.submitted,
        state=ApplicationState(row.state),
    )


def _affiliation(row: Any) -> Party | None:
    if row.affiliation_kind is None:
        return None
    return Party(PartyKind(row.affiliation_kind), row.affiliation_id)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class SqlChallenges:
    """Reads and writes on one connection; the caller owns the transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- calls ---------------------------------------------------------------------------------
    def add_call(self, call: ChallengeCall) -> int:
        row = {
            "title": call.title,
            "problem": call.problem,
            "conditions": call.conditions,
            "reward": call.reward,
            "apply_by": call.apply_by,
            "field": call.field,
            "rubric": _rubric_json(call.rubric),
            "min_reviews": call.min_reviews,
            "state": call.state.value,
            "published": call.published,
        }
        return _new_id(self.connection.execute(insert(challenge_calls).values(row)))

    def calls(self, viewer: Viewer, state: CallState | None = None) -> list[ChallengeCall]:
        where: list[ColumnElement[bool]] = []
        if viewer.role not in (Role.BUREAU_ADMIN, Role.BUREAU_ANALYST):
            where.append(challenge_calls.c.state != CallState.DRAFT.value)
        if state is not None:
            where.append(challenge_calls.c.state == state.value)
        query = select(challenge_calls).where(*where).order_by(challenge_calls.c.id.desc())
        return [_call(r) for r in self.connection.execute(query)]

    def call(self, call_id: int) -> ChallengeCall | None:
        query = select(challenge_calls).where(challenge_calls.c.id == call_id)
        row = self.connection.execute(query).first()
        return None if row is None else _call(row)

    def call_id_of(self, application_id: int) -> int | None:
        query = select(challenge_applications.c.call_id).where(
            challenge_applications.c.id == application_id
        )
        value = self.connection.scalar(query)
        return None if value is None else int(value)

    def case(self, call_id: int) -> ChallengeCase | None:
        """The call with everything its rules look at (a call is small: tens of rows)."""
        call = self.call(call_id)
        if call is None:
            return None
        ca = challenge_applications.c
        apps = [
            _application(r)
            for r in self.connection.execute(
                select(challenge_applications).where(ca.call_id == call_id).order_by(ca.id)
            )
        ]
        app_ids = [a.id for a in apps]
        reviewers = [
            Reviewer(r.expert_id, r.name, _affiliation(r))
            for r in self.connection.execute(
                select(challenge_reviewers)
                .where(challenge_reviewers.c.call_id == call_id)
                .order_by(challenge_reviewers.c.expert_id)
            )
        ]
        declarations = [
            CoiDeclaration(r.expert_id, r.application_id, r.conflicted, r.statement, r.declared)
            for r in self.connection.execute(
                select(coi_declarations).where(coi_declarations.c.application_id.in_(app_ids))
            )
        ]
        scores = [
            Score(r.expert_id, r.application_id, r.criterion, r.points)
            for r in self.connection.execute(
                select(review_scores).where(review_scores.c.application_id.in_(app_ids))
            )
        ]
        plan = [
            Milestone(r.title, r.due, r.amount, r.accepted, r.id)
            for r in self.connection.execute(
                select(milestones).where(milestones.c.call_id == call_id).order_by(milestones.c.id)
            )
        ]
        paid = [
            Payment(r.milestone_id, r.amount, r.paid)
            for r in self.connection.execute(
                select(payments)
                .where(payments.c.milestone_id.in_([m.id for m in plan]))
                .order_by(payments.c.id)
            )
        ]
        notes = {
            int(r.application_id): r.text
            for r in self.connection.execute(
                select(feedback).where(feedback.c.application_id.in_(app_ids))
            )
        }
        return ChallengeCase(call, apps, reviewers, declarations, scores, plan, paid, notes)

    def save_call_state(self, call: ChallengeCall) -> None:
        self.connection.execute(
            update(challenge_calls)
            .where(challenge_calls.c.id == call.id)
            .values(state=call.state.value, published=call.published)
        )

    # --- applications --------------------------------------------------------------------------
    def add_application(self, app: ChallengeApplication) -> int:
        row = {
            "call_id": app.call_id,
            "applicant_kind": app.applicant.kind.value,
            "applicant_id": app.applicant.id,
            "team_lead": app.team_lead,
            "team": app.team,
            "proposal": app.proposal,
            "approach": app.approach,
            "requested": app.requested,
            "submitted": app.submitted,
            "state": app.state.value,
        }
        result = self.connection.execute(insert(challenge_applications).values(row))
        return _new_id(result)

    def save_application_states(self, apps: list[ChallengeApplication]) -> None:
        for app in apps:
            self.connection.execute(
                update(challenge_applications)
                .where(challenge_applications.c.id == app.id)
                .values(state=app.state.value)
            )

    def _applications_visible(self, viewer: Viewer) -> ColumnElement[bool]:
        """The policy of domain.challenge.visibility, in SQL."""
        ca = challenge_applications.c
        if viewer.role in (Role.BUREAU_ADMIN, Role.BUREAU_ANALYST):
            return true()
        party = viewer.party
        if viewer.role in (Role.ENTERPRISE_USER, Role.INSTITUTION_USER) and party is not None:
            return and_(ca.applicant_kind == party.kind.value, ca.applicant_id == party.id)
        if viewer.role is Role.EXPERT_REVIEWER and viewer.expert_id:
            cr, cd = challenge_reviewers.c, coi_declarations.c
            on_panel = exists().where(
                cr.call_id == ca.call_id,
                cr.expert_id == viewer.expert_id,
                # a reviewer of the applicant's own organisation never sees it
                not_(
                    and_(
                        cr.affiliation_kind.is_not(None),
                        cr.affiliation_kind == ca.applicant_kind,
                        cr.affiliation_id == ca.applicant_id,
                    )
                ),
            )
            conflicted = exists().where(
                cd.application_id == ca.id,
                cd.expert_id == viewer.expert_id,
                cd.conflicted.is_(True),
            )
            return and_(on_panel, not_(conflicted))
        return false()

    def applications(
        self, viewer: Viewer, call_id: int | None = None
    ) -> list[ChallengeApplication]:
        ca = challenge_applications.c
        where = [self._applications_visible(viewer)]
        if call_id is not None:
            where.append(ca.call_id == call_id)
        query = select(challenge_applications).where(*where).order_by(ca.call_id, ca.id)
        return [_application(r) for r in self.connection.execute(query)]

    # --- review ------------------------------------------------------------------------------
    def add_reviewer(self, call_id: int, reviewer: Reviewer) -> None:
        party = reviewer.affiliation
        self.connection.execute(
            insert(challenge_reviewers).values(
                call_id=call_id,
                expert_id=reviewer.expert_id,
                name=reviewer.name,
                affiliation_kind=party.kind.value if party else None,
                affiliation_id=party.id if party else None,
            )
        )

    def add_declaration(self, d: CoiDeclaration) -> None:
        self.connection.execute(
            insert(coi_declarations).values(
                application_id=d.application_id,
                expert_id=d.expert_id,
                conflicted=d.conflicted,
                statement=d.statement,
                declared=d.declared,
            )
        )

    def replace_scores(self, expert_id: str, application_id: int, sheet: list[Score]) -> None:
        rs = review_scores.c
        self.connection.execute(
            delete(review_scores).where(
                rs.expert_id == expert_id, rs.application_id == application_id
            )
        )
        self.connection.execute(
            insert(review_scores),
            [
                {
                    "application_id": s.application_id,
                    "expert_id": s.expert_id,
                    "criterion": s.criterion,
                    "points": s.points,
                }
                for s in sheet
            ],
        )

    # --- delivery and feedback -------------------------------------------------------------------
    def add_milestone(self, call_id: int, m: Milestone) -> int:
        result = self.connection.execute(
            insert(milestones).values(
                call_id=call_id, title=m.title, due=m.due, amount=m.amount, accepted=m.accepted
            )
        )
        return _new_id(result)

    def save_milestone_accepted(self, m: Milestone) -> None:
        self.connection.execute(
            update(milestones).where(milestones.c.id == m.id).values(accepted=m.accepted)
        )

    def add_payment(self, p: Payment) -> None:
        self.connection.execute(
            insert(payments).values(milestone_id=p.milestone_id, amount=p.amount, paid=p.paid)
        )

    def save_feedback(self, application_id: int, text: str, written: date) -> None:
        self.connection.execute(delete(feedback).where(feedback.c.application_id == application_id))
        self.connection.execute(
            insert(feedback).values(application_id=application_id, text=text, written=written)
        )
