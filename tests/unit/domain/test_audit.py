"""The audit log's hash chain: sealing, verification, and what an entry may never carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fourchain.domain.audit import (
    GENESIS,
    AuditEntry,
    AuditEvent,
    entry_hash,
    seal,
    utc_stamp,
    verify,
)
from fourchain.errors import InvalidInput

T0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def event(n: int) -> AuditEvent:
    return AuditEvent(
        at=utc_stamp(T0 + timedelta(seconds=n)),
        username=f"user{n}",
        address="127.0.0.1",
        action="login",
        object=f"user:user{n}",
        result="success",
    )


def chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        entries.append(seal(entries[-1] if entries else None, event(i)))
    return entries


def test_a_chain_starts_at_one_from_the_genesis_hash_and_links_each_entry_to_the_last() -> None:
    entries = chain(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert verify(entries).ok
    assert verify(entries).entries == 3


def test_an_empty_log_verifies() -> None:
    assert verify([]).ok


def _edit_content(entries: list[AuditEntry]) -> list[AuditEntry]:
    entries[1] = replace(entries[1], event=replace(entries[1].event, result="failure"))
    return entries


def _drop_one(entries: list[AuditEntry]) -> list[AuditEntry]:
    return [entries[0], *entries[2:]]


def _relink(entries: list[AuditEntry]) -> list[AuditEntry]:
    # Rewriting an entry and its own hash still breaks the link from the next one.
    edited = replace(entries[1].event, username="someone-else")
    entries[1] = AuditEntry(2, edited, entries[0].hash, entry_hash(2, edited, entries[0].hash))
    return entries


def _swap(entries: list[AuditEntry]) -> list[AuditEntry]:
    entries[1], entries[2] = entries[2], entries[1]
    return entries


@pytest.mark.parametrize(
    ("tamper", "first_bad", "reason"),
    [
        (_edit_content, 2, "content does not match"),
        (_drop_one, 3, "expected entry 2"),
        (_relink, 3, "link to the previous entry"),
        (_swap, 3, "expected entry 2"),
    ],
)
def test_any_tampering_is_found_at_the_first_entry_it_breaks(
    tamper: object, first_bad: int, reason: str
) -> None:
    result = verify(tamper(chain(4)))  # type: ignore[operator]
    assert not result.ok
    assert result.first_bad == first_bad
    assert reason in result.reason


@pytest.mark.parametrize(
    "detail",
    ["password=hunter2", "token: abc", '{"secret": 1}', "Authorization: Bearer x", "cookie=1"],
)
def test_an_entry_carrying_a_password_or_token_is_refused(detail: str) -> None:
    with pytest.raises(InvalidInput, match="must not carry"):
        replace(event(0), detail=detail)


def test_times_are_stamped_in_utc_and_a_naive_time_is_refused() -> None:
    eight_in_xiamen = datetime(2026, 1, 1, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    assert utc_stamp(eight_in_xiamen) == "2026-01-01T08:00:00.000000Z"
    with pytest.raises(InvalidInput, match="time zone"):
        utc_stamp(datetime(2026, 1, 1))


def test_the_hash_covers_every_field() -> None:
    base = event(0)
    original = entry_hash(1, base, GENESIS)
    for field in ("at", "username", "address", "action", "object", "result", "detail"):
        changed = replace(base, **{field: getattr(base, field) + "x"})
        assert entry_hash(1, changed, GENESIS) != original, field
    assert entry_hash(2, base, GENESIS) != original
