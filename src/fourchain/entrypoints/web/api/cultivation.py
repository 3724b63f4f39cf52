"""Cultivation API: the reserve pool (bureau) and one enterprise's pre-screen (bureau, or the
enterprise's own users; anyone else gets 404, as for a missing enterprise)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from fourchain.domain.cultivation import assessment_json
from fourchain.domain.registry import Tier
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep
from fourchain.services.cultivation import PoolFilter, PrescreenViews

router = APIRouter(prefix="/api/cultivation", tags=["cultivation"], responses=ERRORS)

Text = Annotated[str, Query(max_length=100)]


class PoolEntryOut(BaseModel):
    rank: int
    credit_code: str
    name: str
    cluster: str | None
    district: str | None
    zone: str | None
    outcome: str
    gap: float
    shortfalls: list[str]
    manual_review: list[str]


class PoolOut(BaseModel):
    """A pre-screen, not a qualification decision."""

    year: int
    tier: str
    rule_set: str
    counts: dict[str, int]
    items: list[PoolEntryOut]


class CriterionOut(BaseModel):
    id: str
    outcome: str
    value: float | None
    threshold: float | None
    gap: dict[str, Any] | None
    basis: str
    label: dict[str, str]
    status: str
    parent: str | None
    evidence: str
    note: str


class TierPrescreenOut(BaseModel):
    credit_code: str
    tier: str
    rule_set: str
    outcome: str
    score: dict[str, Any] | None
    criteria: list[CriterionOut]
    year: int
    gap_total: float
    unconfirmed: list[str]


@router.get("/pool", response_model=PoolOut)
def pool(
    services: ServicesDep,
    tier: Annotated[Tier, Query(description="The tier whose candidates to rank")] = Tier.HNTE,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    cluster: Text = "",
    district: Text = "",
    zone: Text = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    include_not_yet: bool = False,
) -> PoolOut:
    """Candidates nearest to a tier that do not hold it yet, ranked by gap."""
    snap = services.cultivation.pool(year, tier)
    where = PoolFilter(cluster or None, district or None, zone or None)
    entries = snap.entries(where, limit, include_not_yet)
    return PoolOut(
        year=snap.year,
        tier=snap.tier.value,
        rule_set=snap.table.rule_set.key,
        counts=snap.counts(where),
        items=[PoolEntryOut.model_validate(e.as_json()) for e in entries],
    )


@router.get("/enterprises/{credit_code}", response_model=list[TierPrescreenOut])
def prescreen(
    services: ServicesDep,
    viewer: AskerDep,
    credit_code: Annotated[str, Path(min_length=1, max_length=18)],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[TierPrescreenOut]:
    """One enterprise against every tier in force, each criterion with its value, threshold,
    gap and basis."""
    with services.cultivation.reading() as store:
        views = PrescreenViews(store, services.auth.audit)
        _, found = views.prescreen(credit_code, year, viewer)
    return [TierPrescreenOut.model_validate(assessment_json(a)) for a in found]
