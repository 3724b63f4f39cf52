"""API accounts: exchange a username and password for a bearer token; who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from fourchain.domain.audit import Action, Result
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import (
    CurrentPrincipal,
    ServicesDep,
    client_address,
    utc_now,
)
from fourchain.services.accounts import BEARER

router = APIRouter(prefix="/api", tags=["auth"], responses=ERRORS)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    username: str
    role: str
    enterprise: str | None
    institution: str | None


@router.post("/auth/token", response_model=TokenOut)
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    services: ServicesDep,
) -> TokenOut:
    """OAuth2 password flow: a bearer token for API calls (same idle and total limits as a
    browser session)."""
    now = utc_now()
    address = client_address(request)
    principal = services.auth.accounts.authenticate(form.username, form.password, now, address)
    token = services.auth.accounts.open_session(principal, BEARER, now)
    services.auth.audit.record(
        now,
        Action.TOKEN_ISSUED,
        Result.SUCCESS,
        username=principal.username,
        address=address,
        object=f"user:{principal.username}",
    )
    idle = services.settings.fourchain_session_idle_minutes * 60
    return TokenOut(access_token=token, expires_in=idle)


@router.get("/me", response_model=MeOut)
def me(principal: CurrentPrincipal) -> MeOut:
    """The signed-in account."""
    assert principal.role is not None
    return MeOut(
        username=principal.username,
        role=principal.role.value,
        enterprise=principal.enterprise,
        institution=principal.institution,
    )
