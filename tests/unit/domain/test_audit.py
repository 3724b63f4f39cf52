"""The audit log's hash chain: sealing, verification, and what an entry may never carry."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from fourchain.domain.audit import (
    GENESIS,
    Anchor,
    AuditEntry,
    AuditEvent,
    entry_hash,
    redact,
    seal,
    sign_anchor,
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
    ("text", "redacted"),
    [
        ("password=hunter2", "password=[redacted]"),
        ("token: abc", "token: [redacted]"),
        ('{"secret": "s3"}', '{"secret": [redacted]}'),
        ("Authorization: Bearer xyz", "Authorization: [redacted]"),
        ("cookie=1; path=/", "cookie=[redacted]; path=/"),
        ("user:token=abc", "user:token=[redacted]"),
        ("GET /api/x/password=abc", "GET /api/x/password=[redacted]"),
        ("access_token=zz&page=2", "access_token=[redacted]&page=2"),
        ("user:secret:'q'", "user:secret:[redacted]"),
        ("tokens and passwords in prose", "tokens and passwords in prose"),
    ],
)
def test_a_secret_after_a_telltale_word_is_redacted_not_refused(text: str, redacted: str) -> None:
    assert redact(text) == redacted


KEY = b"k" * 32


def keyed_chain(n: int, key: bytes = KEY) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        entries.append(seal(entries[-1] if entries else None, event(i), key))
    return entries


def _reseal(entries: list[AuditEntry], key: bytes | None) -> list[AuditEntry]:
    """What an attacker with the database but not the key does after an edit: recompute
    every hash (and a MAC under a key of their own, or none)."""
    events = [e.event for e in entries]
    events[1] = replace(events[1], result="failure")
    out: list[AuditEntry] = []
    for ev in events:
        out.append(seal(out[-1] if out else None, ev, key))
    return out


def test_a_keyed_chain_verifies_only_with_its_key() -> None:
    entries = keyed_chain(3)
    assert all(e.mac for e in entries)
    assert verify(entries, KEY).ok
    wrong = verify(entries, b"x" * 32)
    assert not wrong.ok and wrong.first_bad == 1 and "MAC" in wrong.reason


def test_a_chain_re_sealed_under_another_key_is_caught() -> None:
    resealed = _reseal(keyed_chain(4), b"guess" * 8)
    assert verify(resealed).ok  # the bare hash chain cannot tell
    result = verify(resealed, KEY)
    assert not result.ok and result.first_bad == 1


def test_a_chain_re_sealed_with_no_mac_at_all_shows_as_wholly_unkeyed() -> None:
    # Without an anchor this is all a chain can say of itself; the anchor test below catches it.
    result = verify(_reseal(keyed_chain(4), None), KEY)
    assert result.ok and result.unkeyed == 4


def test_unkeyed_entries_from_before_the_key_are_accepted_only_first() -> None:
    old = chain(2)
    new = seal(old[-1], event(2), KEY)
    result = verify([*old, new], KEY)
    assert result.ok and result.unkeyed == 2
    after = seal(new, event(3))
    broken = verify([*old, new, after], KEY)
    assert not broken.ok and broken.first_bad == 4 and "unkeyed" in broken.reason


def test_an_anchor_catches_a_truncated_log() -> None:
    entries = keyed_chain(60)
    anchor = sign_anchor(KEY, entries[-1], "2026-01-01T09:00:00.000000Z")
    assert verify(entries, KEY, anchor).ok
    result = verify(entries[:10], KEY, anchor)
    assert not result.ok and "truncated" in result.reason


def test_an_anchor_catches_a_log_re_sealed_after_an_edit_even_as_unkeyed() -> None:
    entries = keyed_chain(5)
    anchor = sign_anchor(KEY, entries[-1], "2026-01-01T09:00:00.000000Z")
    # With every MAC dropped, the log reads as one from before keying; the anchor still holds.
    resealed = _reseal(entries, None)
    assert verify(resealed, KEY).ok
    result = verify(resealed, KEY, anchor)
    assert not result.ok and result.first_bad == 5 and "anchor" in result.reason


def test_a_forged_or_edited_anchor_is_refused() -> None:
    entries = keyed_chain(3)
    anchor = sign_anchor(KEY, entries[-1], "2026-01-01T09:00:00.000000Z")
    lowered = replace(anchor, seq=1, digest=entries[0].hash)
    assert "signature" in verify(entries[:1], KEY, lowered).reason
    assert Anchor.from_json(anchor.to_json()) == anchor
    with pytest.raises(InvalidInput, match="not an audit anchor"):
        Anchor.from_json("{}", "head.json")


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
