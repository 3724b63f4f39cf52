"""What every API router shares: the error body and the error answers each route documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    """Every error answer: a stable code and a readable message (never a trace)."""

    error: str
    message: str


def error_answer(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


# Declared on every API router so the schema matches what the error map answers.
# PostgreSQL text cannot hold a NUL character: a body with one is bad input, not a crash.
NO_NUL = r"^[^\x00]*$"

ERRORS: dict[int | str, dict[str, Any]] = {
    401: error_answer("Not signed in, or the token is invalid or expired"),
    403: error_answer("Signed in, but the role may not use this route"),
    404: error_answer("Not found (also: someone else's object)"),
    413: error_answer("The request body is larger than the server accepts"),
    422: error_answer("Invalid input, with the field and the reason"),
    503: error_answer("The database is held by a long write (an import); try again (Retry-After)"),
}


class WithdrawalIn(BaseModel):
    """Why a record is withdrawn: kept in the withdrawal's audit entry (optional)."""

    reason: str | None = Field(default=None, max_length=1000, pattern=NO_NUL)


def reason_of(body: WithdrawalIn | None) -> str | None:
    """The reason a withdrawal's optional body gives, if any."""
    return body.reason if body is not None else None
