"""fourchain's one error tree; every adapter maps it in one place.

FourchainError
 ├── ConfigError            settings refuse to start
 ├── NotFound               a missing object (and a foreign one, to its viewer)
 ├── PermissionDenied       signed in, but not allowed
 ├── AuthenticationFailed   who you are could not be established
 ├── Conflict               the write contradicts what is stored
 ├── Busy                   the store is held by another writer past the wait; try again
 ├── InvalidInput           one bad value, named with where it was
 │    └── ImportRejected    a file with bad rows: every row error, nothing written
 └── TransitionRefused      a state machine refused a move, with the reason
"""

from __future__ import annotations

from dataclasses import dataclass


class FourchainError(Exception):
    """Root of every error fourchain raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(FourchainError):
    code = "config_error"


class NotFound(FourchainError):
    code = "not_found"


class PermissionDenied(FourchainError):
    code = "permission_denied"


class AuthenticationFailed(FourchainError):
    code = "authentication_failed"


class Conflict(FourchainError):
    code = "conflict"


class Busy(FourchainError):
    """The database stayed locked by another writer (a long import, say) past the wait: nothing
    was written; the same request can be tried again shortly."""

    code = "busy"


class InvalidInput(FourchainError):
    code = "invalid_input"


@dataclass(frozen=True)
class RowError:
    """One problem with one cell (or one row) of an imported file."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.reason}"


class ImportRejected(InvalidInput):
    """A file with at least one bad row; nothing of it was written."""

    code = "import_rejected"

    def __init__(self, file: str, errors: list[RowError]) -> None:
        super().__init__(f"{file}: {len(errors)} bad row(s); nothing was imported")
        self.file = file
        self.errors = errors


class TransitionRefused(FourchainError):
    code = "transition_refused"
