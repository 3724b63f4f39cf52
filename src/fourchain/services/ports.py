"""The small protocols that services need of storage; adapters implement them."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class RegistryCounts(Protocol):
    def enterprises_existing(self, day: date) -> int: ...

    def certificates_valid(self, day: date) -> dict[str, int]: ...

    def institutions_active(self, day: date) -> dict[str, int]: ...

    def patents_valid(self, day: date) -> dict[str, int]: ...
