"""The global search: enterprises, institutions, achievements, demands, challenge calls and
experts, by name and by the words of what they make, offer or ask (an index answers, never a
scan), each kind as the asking role may see it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fourchain.domain.accounts import Principal, Role
from fourchain.services.ports import FindReader

# Longer queries are cut (nobody types more; the index would only be slower).
MAX_QUERY = 100
PER_KIND = 10


class FoundKind(StrEnum):
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"
    ACHIEVEMENT = "achievement"
    DEMAND = "demand"
    CALL = "call"
    EXPERT = "expert"


@dataclass(frozen=True)
class Found:
    kind: FoundKind
    key: str
    title: str
    detail: str  # the matched record's words: product, services, field, expertise


@dataclass(frozen=True)
class FindScope:
    """What the asker may see: the bureau everything; an institution its own unlisted
    achievements, an enterprise its own confidential demands; experts only the bureau and
    expert reviewers (an expert's expertise is a reviewer's field, not public)."""

    bureau: bool = False
    institution: str | None = None
    enterprise: str | None = None
    experts: bool = False


@dataclass(frozen=True)
class FoundGroup:
    kind: FoundKind
    hits: list[Found]
    total: int


def scope_of(principal: Principal) -> FindScope:
    return FindScope(
        bureau=principal.is_bureau,
        institution=principal.institution if principal.role is Role.INSTITUTION_USER else None,
        enterprise=principal.enterprise if principal.role is Role.ENTERPRISE_USER else None,
        experts=principal.is_bureau or principal.role is Role.EXPERT_REVIEWER,
    )


def clean_query(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())[:MAX_QUERY]


class GlobalSearch:
    def __init__(self, reader: FindReader) -> None:
        self.reader = reader

    def search(self, principal: Principal, text: str, per_kind: int = PER_KIND) -> list[FoundGroup]:
        """Each kind the asker may search, with its first `per_kind` hits and how many in all
        (kinds with none are left out; an empty query finds nothing)."""
        query = clean_query(text)
        if not query:
            return []
        scope = scope_of(principal)
        groups = []
        for kind in FoundKind:
            if kind is FoundKind.EXPERT and not scope.experts:
                continue
            hits, total = self.reader.find(kind, query, scope, max(1, min(per_kind, 50)))
            if total:
                groups.append(FoundGroup(kind, hits, total))
        return groups
