"""The audit log's entries, their keyed hash chain, and the signed anchor kept outside it.

Each entry's SHA-256 hash covers its content and the hash before it, so an edit breaks every
later link; its MAC (HMAC-SHA256 of the hash under a key kept outside the database) means that
nobody without the key can re-seal an edited chain. An anchor — the head's sequence number and
hash, signed with the same key and stored outside the database — catches the one thing a chain
cannot show about itself: entries cut off its end.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from fourchain.errors import InvalidInput

GENESIS = "0" * 64
REDACTED = "[redacted]"
# A secret's value after one of these words never reaches the log: it is replaced, and the
# entry is still written (refusing it would lose the record of what happened).
_SECRET = re.compile(
    r"(?i)(password|passwd|token|secret|cookie|authorization)"
    r"(\"?\s*[=:]\s*)((?:bearer|basic)\s+)?(\"[^\"]*\"|'[^']*'|[^\s&;,\"}]+)?"
)


class Action(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    LOCKOUT = "lockout"
    TOKEN_ISSUED = "token_issued"
    TOKEN_REVOKED = "token_revoked"
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
    PROGRAMME_STEP = "programme_step"


class Result(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    REFUSED = "refused"


def utc_stamp(moment: datetime) -> str:
    """The entry's time as fixed-width UTC text, so it sorts and hashes the same everywhere."""
    if moment.tzinfo is None:
        raise InvalidInput("audit times must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def redact(text: str) -> str:
    """`text` with the value after any `password=`, `token:`, `"secret": …` replaced."""
    return _SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)


def details(**fields: object) -> str:
    """An entry's detail as compact JSON text (keys sorted, None left out), e.g.
    `{"rows":100}`: the log page says it in the reader's language, an export as readable text.
    The chain hashes this text as it hashes a plain-text detail written before."""
    kept = {key: value for key, value in fields.items() if value is not None}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def detail_fields(detail: str) -> dict[str, object] | None:
    """The fields of a structured detail; None for plain text (entries written before, or a
    detail a redaction made unreadable), which is shown as it is."""
    if not detail.startswith("{"):
        return None
    try:
        value = json.loads(detail)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def figures_scope(what: str) -> dict[str, object]:
    """The structured detail of a read of an enterprise's figures: `year 2024` → one year,
    else all years (`(profile)`: read for its profile page)."""
    if what.startswith("year ") and what[5:].isdigit():
        return {"year": int(what[5:])}
    return {"years": "all", "via": "profile" if "profile" in what else None}


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


@dataclass(frozen=True)
class AuditEntry:
    """One sealed line of the log: its place, the event, the hash before, its own hash and
    its MAC under the audit key (None: written before the log was keyed)."""

    seq: int
    event: AuditEvent
    prev_hash: str
    hash: str
    mac: str | None = None


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


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def entry_mac(key: bytes, digest: str) -> str:
    """HMAC-SHA256 of an entry's hash: only a holder of the key can seal an entry."""
    return _mac(key, f"entry|{digest}")


def seal(previous: AuditEntry | None, event: AuditEvent, key: bytes | None = None) -> AuditEntry:
    """The next entry after `previous` (None: the first entry of the log), keyed when a key
    is given."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS if previous is None else previous.hash
    digest = entry_hash(seq, event, prev_hash)
    mac = entry_mac(key, digest) if key is not None else None
    return AuditEntry(seq, event, prev_hash, digest, mac)


@dataclass(frozen=True)
class Anchor:
    """The head of the log at a moment, signed with the audit key, kept outside the database:
    the log must still hold entry `seq` with hash `digest`."""

    seq: int
    digest: str
    at: str
    signature: str

    def to_json(self) -> str:
        body = {"seq": self.seq, "digest": self.digest, "at": self.at, "signature": self.signature}
        return json.dumps(body, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "anchor") -> Anchor:
        try:
            data = json.loads(text)
            anchor = cls(
                int(data["seq"]), str(data["digest"]), str(data["at"]), str(data["signature"])
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInput(f"{source}: not an audit anchor ({error})") from None
        return anchor


def _anchor_message(seq: int, digest: str, at: str) -> str:
    return f"anchor|{seq}|{digest}|{at}"


def sign_anchor(key: bytes, head: AuditEntry | None, at: str) -> Anchor:
    """The signed anchor of the log whose last entry is `head` (None: the empty log)."""
    seq, digest = (0, GENESIS) if head is None else (head.seq, head.hash)
    return Anchor(seq, digest, at, _mac(key, _anchor_message(seq, digest, at)))


def anchor_is_signed(anchor: Anchor, key: bytes) -> bool:
    expected = _mac(key, _anchor_message(anchor.seq, anchor.digest, anchor.at))
    return hmac.compare_digest(expected, anchor.signature)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_bad: int | None = None
    reason: str = ""
    unkeyed: int = 0  # entries written before the log had a key: chained, not keyed


def verify(
    entries: Iterable[AuditEntry], key: bytes | None = None, anchor: Anchor | None = None
) -> Verification:
    """Walk the chain in order: numbering without gaps, each entry linked to the one before,
    each hash matching its content; with a key, each MAC (entries from before the log was
    keyed may only come first); with an anchor, its entry still there with its hash. The
    first break is reported."""
    if anchor is not None and (key is None or not anchor_is_signed(anchor, key)):
        return Verification(False, 0, None, "the anchor's signature does not match this key")
    previous_hash = GENESIS
    expected = 1
    count = unkeyed = 0
    keyed = False
    for entry in entries:
        count += 1
        if entry.seq != expected:
            return Verification(False, count, entry.seq, f"expected entry {expected}")
        if entry.prev_hash != previous_hash:
            return Verification(False, count, entry.seq, "link to the previous entry is broken")
        if entry_hash(entry.seq, entry.event, entry.prev_hash) != entry.hash:
            return Verification(False, count, entry.seq, "content does not match its hash")
        if key is not None:
            if entry.mac is None:
                if keyed:
                    return Verification(False, count, entry.seq, "unkeyed entry after keyed ones")
                unkeyed += 1
            elif not hmac.compare_digest(entry.mac, entry_mac(key, entry.hash)):
                return Verification(False, count, entry.seq, "MAC does not match (re-sealed?)")
            else:
                keyed = True
        if anchor is not None and entry.seq == anchor.seq and entry.hash != anchor.digest:
            reason = "differs from the anchor (re-sealed or rewritten)"
            return Verification(False, count, entry.seq, reason)
        previous_hash = entry.hash
        expected += 1
    if anchor is not None and count < anchor.seq:
        reason = (
            f"the log ends at entry {count} but the anchor holds entry {anchor.seq} (truncated)"
        )
        return Verification(False, count, count + 1, reason)
    return Verification(True, count, unkeyed=unkeyed)
