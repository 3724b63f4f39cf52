"""The small protocols that services need of storage; adapters implement them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Protocol

from fourchain.domain.pipeline import PipelineEvent


class RegistryCounts(Protocol):
    def enterprises_existing(self, day: date) -> int: ...

    def certificates_valid(self, day: date) -> dict[str, int]: ...

    def institutions_active(self, day: date) -> dict[str, int]: ...

    def patents_valid(self, day: date) -> dict[str, int]: ...


class IngestStore(Protocol):
    """Storage for imports and exports of registry records (one transaction per use)."""

    def natural_keys(self, kind: str) -> set[str]:
        """The one-column natural keys of every stored record of `kind`."""
        ...

    def founded_dates(self) -> dict[str, date | None]:
        """Each stored enterprise's founding date, by credit code."""
        ...

    def names(self, kind: str) -> dict[str, str]:
        """The names a cell may use for a stored record of `kind` (its Chinese name, its
        English name lower-cased), mapped to the record's natural key; empty for kinds
        without names."""
        ...

    def histories(self) -> dict[str, list[PipelineEvent]]:
        """Every pipeline project's stored events, in order."""
        ...

    def upsert(
        self,
        kind: str,
        records: Sequence[Mapping[str, object]],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, int]:
        """Insert new records and update changed ones by natural key: (inserted, updated)."""
        ...

    def records(self, kind: str, year: int | None = None) -> Iterator[dict[str, object]]:
        """Stored records of `kind` in natural-key order, optionally of one year."""
        ...
