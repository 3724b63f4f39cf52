"""Audit use cases: record an event at the end of the chain, verify the chain, browse it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fourchain.domain.audit import (
    Action,
    AuditEntry,
    AuditEvent,
    Result,
    Verification,
    seal,
    utc_stamp,
    verify,
)
from fourchain.errors import Conflict
from fourchain.services.ports import AuditStore

PAGE_SIZE = 50
_ATTEMPTS = 20


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    action: str = ""
    result: str = ""


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


class AuditTrail:
    """Writes and reads the hash-chained log through its store."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store

    def record(
        self,
        now: datetime,
        action: Action,
        result: Result,
        *,
        username: str = "",
        address: str = "",
        object: str = "",
        detail: str = "",
    ) -> AuditEntry:
        """Append one event. Two writers racing for the same place: the loser re-reads the end
        of the chain and tries again, so the chain never forks."""
        event = AuditEvent(
            at=utc_stamp(now),
            username=username[:80],
            address=address[:64],
            action=action.value,
            object=object[:200],
            result=result.value,
            detail=detail,
        )
        for _ in range(_ATTEMPTS):
            entry = seal(self.store.last(), event)
            if self.store.insert(entry):
                return entry
        raise Conflict("the audit log is too busy to append to; try again")

    def verify(self) -> Verification:
        return verify(self.store.in_order())

    def browse(self, where: AuditFilter, page: int = 1) -> AuditPage:
        page = max(page, 1)
        entries, total = self.store.page(where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return AuditPage(entries, total, page, pages)
