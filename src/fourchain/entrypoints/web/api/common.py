"""What every API router shares: the error body and the error answers each route documents."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """Every error answer: a stable code and a readable message (never a trace)."""

    error: str
    message: str


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


# Declared on every API router so the schema matches what the error map answers.
# PostgreSQL text cannot hold a NUL character: a body with one is bad input, not a crash.
NO_NUL = r"^[^\x00]*$"

ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("Not signed in, or the token is invalid or expired"),
    403: _error("Signed in, but the role may not use this route"),
    404: _error("Not found (also: someone else's object)"),
    413: _error("The request body is larger than the server accepts"),
    422: _error("Invalid input, with the field and the reason"),
}
