"""我的工作台: each signed-in role's own workspace, where it lands after signing in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fourchain.domain.accounts import Role
from fourchain.domain.challenge import APPLICATION_LABELS, STATE_LABELS
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS, IncubationStage, ProjectExit
from fourchain.domain.registry import TIER_LABELS, Tier
from fourchain.domain.workspace import EXPIRY_DAYS, REVIEW_DAYS
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep
from fourchain.entrypoints.web.templating import render

router = APIRouter(include_in_schema=False)

TARGETS: dict[str, tuple[str, str]] = {
    **{s.value: STAGE_LABELS[s] for s in IncubationStage},
    ProjectExit.GRADUATED.value: EXIT_LABELS[ProjectExit.GRADUATED],
}


@router.get("/workspace")
def workspace(request: Request, services: ServicesDep, viewer: AskerDep) -> Response:
    """The workspace of the signed-in role (the access guard lets only the signed-in in)."""
    role = viewer.principal.role
    spaces = services.workspace
    context: dict[str, Any] = {
        "tiers": {t.value: TIER_LABELS[t] for t in Tier},
        "call_states": STATE_LABELS,
        "application_states": APPLICATION_LABELS,
        "targets": TARGETS,
        "expiry_days": EXPIRY_DAYS,
        "review_days": REVIEW_DAYS,
        "today": viewer.now.date(),
    }
    if role is Role.ENTERPRISE_USER:
        context["desk"], kind = spaces.enterprise(viewer), "enterprise"
    elif role is Role.INSTITUTION_USER:
        context["desk"], kind = spaces.institution(viewer), "institution"
    elif role is Role.EXPERT_REVIEWER:
        context["desk"], kind = spaces.expert(viewer), "expert"
    else:
        context["desk"], kind = spaces.bureau(viewer), "bureau"
    context["kind"] = kind
    return render(request, f"workspace/{kind}.html", context, active="workspace")
