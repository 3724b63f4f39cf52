"""Filter predicates on documents: kind, field, TRL range, IP status, district."""

from __future__ import annotations

from dataclasses import dataclass

from fourchain.domain.matching.documents import Attributes, Document, DocumentKind
from fourchain.errors import InvalidInput


@dataclass(frozen=True)
class Filters:
    """What a match must satisfy; an empty set or None means "any".

    A document whose TRL is not stated fails a TRL range (a buyer asking for TRL ≥ 6
    should not be shown results of unknown maturity)."""

    kinds: frozenset[DocumentKind] = frozenset()
    fields: frozenset[str] = frozenset()
    trl_min: int | None = None
    trl_max: int | None = None
    ip_statuses: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name, value in (("trl_min", self.trl_min), ("trl_max", self.trl_max)):
            if value is not None and not 1 <= value <= 9:
                raise InvalidInput(f"{name} must be between 1 and 9, got {value}")
        if self.trl_min is not None and self.trl_max is not None and self.trl_min > self.trl_max:
            raise InvalidInput(
                f"TRL range is empty: trl_min {self.trl_min} > trl_max {self.trl_max}"
            )

    @property
    def is_empty(self) -> bool:
        return not (
            self.kinds
            or self.fields
            or self.ip_statuses
            or self.districts
            or self.trl_min is not None
            or self.trl_max is not None
        )

    def accepts(self, kind: DocumentKind, attributes: Attributes) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.fields and attributes.field not in self.fields:
            return False
        if self.ip_statuses and attributes.ip_status not in self.ip_statuses:
            return False
        if self.districts and attributes.district not in self.districts:
            return False
        if self.trl_min is None and self.trl_max is None:
            return True
        if attributes.trl is None:
            return False
        low = self.trl_min if self.trl_min is not None else 1
        high = self.trl_max if self.trl_max is not None else 9
        return low <= attributes.trl <= high

    def accepts_document(self, document: Document) -> bool:
        return self.accepts(document.kind, document.attributes)


NO_FILTERS = Filters()
