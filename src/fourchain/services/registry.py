"""Registry use cases: the year-end summary of what the registry holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from fourchain.domain.registry import InstitutionKind, Tier, year_end
from fourchain.services.ports import RegistryCounts


@dataclass(frozen=True)
class RegistrySummary:
    year: int
    enterprises: int
    certificates: dict[str, int] = field(default_factory=dict)
    institutions: dict[str, int] = field(default_factory=dict)
    patents: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "enterprises": self.enterprises,
            "certificates": self.certificates,
            "institutions": self.institutions,
            "patents": self.patents,
        }


def summarise(counts: RegistryCounts, year: int) -> RegistrySummary:
    """Counts at the end of `year`: enterprises, valid certificates per tier, active
    institutions per kind, and valid patents. Every tier and kind appears, zero included."""
    day = year_end(year)
    held = counts.certificates_valid(day)
    active = counts.institutions_active(day)
    return RegistrySummary(
        year=year,
        enterprises=counts.enterprises_existing(day),
        certificates={tier.value: held.get(tier.value, 0) for tier in Tier},
        institutions={kind.value: active.get(kind.value, 0) for kind in InstitutionKind},
        patents=counts.patents_valid(day),
    )
