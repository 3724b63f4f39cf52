"""Audit use cases: record an event at the end of the keyed chain, anchor its head, verify
the chain (against an anchor), browse it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fourchain.domain.audit import (
    Action,
    Anchor,
    AuditEntry,
    AuditEvent,
    Result,
    Verification,
    redact,
    seal,
    sign_anchor,
    utc_stamp,
    verify,
)
from fourchain.errors import Conflict
from fourchain.services.paging import Page
from fourchain.services.ports import AuditStore

PAGE_SIZE = 50
_ATTEMPTS = 20


AUDIT_SORTS = ("seq", "at", "username", "address", "action", "object", "result")


@dataclass(frozen=True)
class AuditFilter:
    """What the log page lists, and in which order (`sort` is one of AUDIT_SORTS; the store
    orders by that column, then by sequence number)."""

    username: str = ""
    action: str = ""
    result: str = ""
    sort: str = "seq"
    descending: bool = True


class AuditTrail:
    """Writes and reads the keyed, hash-chained log through its store. The key comes from
    the settings and never reaches the database."""

    def __init__(self, store: AuditStore, key: bytes) -> None:
        self.store = store
        self.key = key

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
        """Append one event; a secret's value in any text is redacted, never refused (the
        record of what happened must not be lost). Two writers racing for the same place: the
        loser re-reads the end of the chain and tries again, so the chain never forks."""
        event = AuditEvent(
            at=utc_stamp(now),
            username=redact(username)[:80],
            address=address[:64],
            action=action.value,
            object=redact(object)[:200],
            result=result.value,
            detail=redact(detail),
        )
        for _ in range(_ATTEMPTS):
            entry = seal(self.store.last(), event, self.key)
            if self.store.insert(entry):
                return entry
        raise Conflict("the audit log is too busy to append to; try again")

    def verify(self, anchor: Anchor | None = None) -> Verification:
        return verify(self.store.in_order(), self.key, anchor)

    def anchor(self, now: datetime) -> Anchor:
        """The signed head of the log now, to be kept outside the database."""
        return sign_anchor(self.key, self.store.last(), utc_stamp(now))

    def browse(self, where: AuditFilter, page: int = 1) -> Page[AuditEntry]:
        page = max(page, 1)
        entries, total = self.store.page(where, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        return Page(entries, total, page=page, page_size=PAGE_SIZE)
