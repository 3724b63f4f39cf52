"""API accounts: exchange a username and password for a bearer token, end it, list and
revoke the account's tokens; who am I."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from fourchain.domain.audit import Action, Result
from fourchain.entrypoints.web.api.common import ERRORS
from fourchain.entrypoints.web.deps import (
    SESSION_COOKIE,
    CurrentPrincipal,
    ServicesDep,
    client_address,
    oauth2,
    utc_now,
)
from fourchain.services.accounts import BEARER, TOKEN_ID_LENGTH

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


class TokenInfoOut(BaseModel):
    id: str
    kind: str
    created: datetime
    last_seen: datetime
    current: bool


BearerToken = Annotated[str | None, Depends(oauth2)]
TokenId = Annotated[
    str, Path(min_length=TOKEN_ID_LENGTH, max_length=TOKEN_ID_LENGTH, pattern="^[0-9a-f]+$")
]


def _own_token(request: Request, bearer: str | None) -> str | None:
    return bearer or request.cookies.get(SESSION_COOKIE)


@router.post("/auth/logout", status_code=204)
def logout(
    request: Request, principal: CurrentPrincipal, services: ServicesDep, bearer: BearerToken
) -> Response:
    """End the token (or browser session) this request was made with, at once."""
    token = _own_token(request, bearer)
    if token:
        services.auth.accounts.close_session(token)
    services.auth.audit.record(
        utc_now(),
        Action.LOGOUT,
        Result.SUCCESS,
        username=principal.username,
        address=client_address(request),
        object=f"user:{principal.username}",
        detail="bearer" if bearer else "browser",
    )
    return Response(status_code=204)


@router.get("/auth/tokens", response_model=list[TokenInfoOut])
def tokens(
    request: Request, principal: CurrentPrincipal, services: ServicesDep, bearer: BearerToken
) -> list[TokenInfoOut]:
    """The signed-in account's live bearer tokens and browser sessions (never the secrets)."""
    found = services.auth.accounts.tokens(principal, _own_token(request, bearer), utc_now())
    return [TokenInfoOut(**t.__dict__) for t in found]


@router.delete("/auth/tokens/{token_id}", status_code=204)
def revoke_token(
    request: Request, token_id: TokenId, principal: CurrentPrincipal, services: ServicesDep
) -> Response:
    """Revoke one of the account's own tokens or sessions; another account's is not found."""
    services.auth.accounts.revoke(principal, token_id, utc_now(), client_address(request))
    return Response(status_code=204)


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
