"""The registry's counts port, in memory: enterprises, certificates, institutions, patents
with the days they begin and end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from fourchain.services.ports import RegistryCounts


def _live(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


@dataclass
class FakeRegistryCounts:
    """Records as (kind, start, end) rows; a count at `day` counts the rows live on it."""

    enterprises: list[tuple[date | None, date | None]] = field(default_factory=list)
    certificates: list[tuple[str, date, date]] = field(default_factory=list)
    institutions: list[tuple[str, date | None, date | None]] = field(default_factory=list)
    patents: list[tuple[str, date, date | None]] = field(default_factory=list)

    def enterprises_existing(self, day: date) -> int:
        return sum(_live(start, end, day) for start, end in self.enterprises)

    def certificates_valid(self, day: date) -> dict[str, int]:
        return dict(Counter(t for t, start, end in self.certificates if _live(start, end, day)))

    def institutions_active(self, day: date) -> dict[str, int]:
        return dict(Counter(k for k, start, end in self.institutions if _live(start, end, day)))

    def patents_valid(self, day: date) -> dict[str, int]:
        return dict(Counter(k for k, start, end in self.patents if _live(start, end, day)))


_: RegistryCounts = FakeRegistryCounts()
