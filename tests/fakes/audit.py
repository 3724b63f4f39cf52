"""The audit log's store in memory, for service tests that check what a change audits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fourchain.domain.audit import AuditEntry
from fourchain.services.audit import AuditFilter, AuditTrail

AUDIT_KEY = b"fake-audit-key"


@dataclass
class FakeAuditLog:
    """The audit log's store in memory: the chain the trail seals, in order."""

    entries: list[AuditEntry] = field(default_factory=list)

    def last(self) -> AuditEntry | None:
        return self.entries[-1] if self.entries else None

    def insert(self, entry: AuditEntry) -> bool:
        if entry.seq != len(self.entries) + 1:
            return False  # another writer took this place in the chain
        self.entries.append(entry)
        return True

    def in_order(self, batch: int = 1000) -> Iterator[AuditEntry]:
        return iter(list(self.entries))

    def page(self, where: AuditFilter, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
        chosen = [
            e
            for e in reversed(self.entries)
            if (not where.username or e.event.username == where.username)
            and (not where.action or e.event.action == where.action)
            and (not where.result or e.event.result == where.result)
        ]
        return chosen[offset : offset + limit], len(chosen)


def fake_trail() -> AuditTrail:
    """An audit trail over a fresh in-memory log (its store is `trail.store`)."""
    return AuditTrail(FakeAuditLog(), AUDIT_KEY)
