"""Who may see a challenge call, an application, its scores and its feedback: applications
stay between their applicant, bureau staff and the reviewers they were assigned to."""

from __future__ import annotations

from fourchain.domain.accounts import Role
from fourchain.domain.challenge.records import (
    CallState,
    ChallengeApplication,
    ChallengeCall,
    ChallengeCase,
    assigned_to,
)
from fourchain.domain.market import Viewer


def may_see_call(viewer: Viewer, call: ChallengeCall) -> bool:
    """Drafts are the bureau's; a published call is public."""
    return call.state is not CallState.DRAFT or viewer.is_bureau


def may_see_application(
    viewer: Viewer, case: ChallengeCase, application: ChallengeApplication
) -> bool:
    """Its own applicant's users, bureau staff, and reviewers it is assigned to (on the panel,
    not of the applicant's organisation, no conflict declared) — never another applicant."""
    if viewer.is_bureau:
        return True
    if viewer.role in (Role.ENTERPRISE_USER, Role.INSTITUTION_USER):
        return viewer.acts_for(application.applicant)
    if viewer.role is Role.EXPERT_REVIEWER and viewer.expert_id is not None:
        reviewer = case.reviewer(viewer.expert_id)
        return reviewer is not None and assigned_to(reviewer, case, application)
    return False


def may_see_feedback(viewer: Viewer, application: ChallengeApplication) -> bool:
    """Feedback is written to the applicant; reviewers and other applicants do not see it."""
    return viewer.is_bureau or viewer.acts_for(application.applicant)


def may_see_all_scores(viewer: Viewer) -> bool:
    """Every reviewer's sheet and the ranking: bureau staff only (a reviewer sees their own)."""
    return viewer.is_bureau


def visible_applications(viewer: Viewer, case: ChallengeCase) -> list[ChallengeApplication]:
    return [a for a in case.applications if may_see_application(viewer, case, a)]
