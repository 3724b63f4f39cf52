"""The audit log's entries and their hash chain: each entry seals the one before it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from fourchain.errors import InvalidInput

GENESIS = "0" * 64
# Words that must never reach the log: an entry naming one of these is refused outright.
_SECRET_WORDS = ("password", "passwd", "token", "secret", "cookie", "authorization")


class Action(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    LOCKOUT = "lockout"
    TOKEN_ISSUED = "token_issued"
    ACCESS_REFUSED = "access_refused"
    READ_FIGURES = "read_figures"
    IMPORT = "import"
    EXPORT = "export"
    ACCOUNT_CREATED = "account_created"
    ROLE_CHANGED = "role_changed"
    ACCOUNT_CHANGED = "account_changed"
    # Changes to the records a city keeps: each written in the change's own transaction.
    RECORD_CREATED = "record_created"
    RECORD_EDITED = "record_edited"
    RECORD_WITHDRAWN = "record_withdrawn"
    PUBLISHED = "published"
    GATE_MOVED = "gate_moved"
    CHALLENGE_STEP = "challenge_step"
    COI_DECLARED = "coi_declared"
    SCORED = "scored"
    AWARDED = "awarded"


class Result(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    REFUSED = "refused"


def utc_stamp(moment: datetime) -> str:
    """The entry's time as fixed-width UTC text, so it sorts and hashes the same everywhere."""
    if moment.tzinfo is None:
        raise InvalidInput("audit times must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEvent:
    """What happened, before it is placed in the chain."""

    at: str
    username: str
    address: str
    action: str
    object: str
    result: str
    detail: str = ""

    def __post_init__(self) -> None:
        for name in ("object", "detail"):
            value = getattr(self, name).lower()
            for word in _SECRET_WORDS:
                if f"{word}=" in value or f"{word}:" in value or f'"{word}"' in value:
                    raise InvalidInput(f"audit {name} must not carry a {word}")


@dataclass(frozen=True)
class AuditEntry:
    """One sealed line of the log: its place, the event, the hash before and its own hash."""

    seq: int
    event: AuditEvent
    prev_hash: str
    hash: str


def entry_hash(seq: int, event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the entry and the previous hash."""
    body = {
        "seq": seq,
        "at": event.at,
        "username": event.username,
        "address": event.address,
        "action": event.action,
        "object": event.object,
        "result": event.result,
        "detail": event.detail,
        "prev": prev_hash,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal(previous: AuditEntry | None, event: AuditEvent) -> AuditEntry:
    """The next entry after `previous` (None: the first entry of the log)."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS if previous is None else previous.hash
    return AuditEntry(seq, event, prev_hash, entry_hash(seq, event, prev_hash))


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str = ""


def verify(entries: Iterable[AuditEntry]) -> Verification:
    """Walk the chain in order: numbering without gaps, each entry linked to the one before,
    each hash matching its content. The first break is reported."""
    previous_hash = GENESIS
    expected = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.seq != expected:
            return Verification(False, count, entry.seq, f"expected entry {expected}")
        if entry.prev_hash != previous_hash:
            return Verification(False, count, entry.seq, "link to the previous entry is broken")
        if entry_hash(entry.seq, entry.event, entry.prev_hash) != entry.hash:
            return Verification(False, count, entry.seq, "content does not match its hash")
        previous_hash = entry.hash
        expected += 1
    return Verification(True, count)
