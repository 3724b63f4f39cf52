"""Indicators API (bureau staff): every indicator of a year, as `fourchain indicators --json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import ServicesDep
from fourchain.entrypoints.web.pages.indicators import DEFAULT_YEAR, indicator_values
from fourchain.services.indicators import FIRST_YEAR, LAST_YEAR

router = APIRouter(prefix="/api/indicators", tags=["indicators"], responses=ERRORS)


class IndicatorOut(BaseModel):
    """One indicator's value; `chain` only for the fusion index, which is per industry chain.
    Span indicators cover the five years ending in `year`."""

    id: str
    year: int
    value: float | None
    unit: str
    chain: str | None = None


@router.get("", response_model=list[IndicatorOut], response_model_exclude_unset=True)
def indicators(
    services: ServicesDep,
    year: Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = DEFAULT_YEAR,
) -> list[IndicatorOut]:
    """Every indicator of the catalogue in `year` (the same objects as the CLI's `--json`)."""
    return [IndicatorOut.model_validate(v.as_json()) for v in indicator_values(services, year)]
