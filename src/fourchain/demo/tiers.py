"""Certificates of the enterprise ladder, simulated year by year (recognitions, renewals,
rare revocations) so that the year-end holder counts follow `calibration.TIER_PATHS` exactly."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from fourchain.demo.calibration import LAST_YEAR, TIER_PATHS, YEARS
from fourchain.demo.firms import Firm
from fourchain.errors import FourchainError


class CalibrationFailed(FourchainError):
    """The generator could not meet a calibration target (too few eligible records)."""

    code = "calibration_failed"


@dataclass(slots=True)
class Cert:
    firm: Firm
    tier: str
    issued: date
    expires: date
    number: str
    issuer: str
    revoked: date | None = None
    renewed: bool = False

    def valid_on(self, day: date) -> bool:
        if self.revoked is not None and self.revoked <= day:
            return False
        return self.issued <= day <= self.expires

    def row(self) -> dict[str, object]:
        return {
            "credit_code": self.firm.credit_code,
            "tier": self.tier,
            "number": self.number,
            "issued": self.issued,
            "expires": self.expires,
            "issuer": self.issuer,
            "revoked": self.revoked,
        }


@dataclass(frozen=True)
class TierSpec:
    tier: str
    validity_years: int
    batches: tuple[tuple[int, int], ...]  # (month, day) of the year's recognition batches
    renew_p: float
    revoke_p: float
    issuer: str
    number_prefix: str


# In the order processed each year: a rung may look at the rungs below it in the same year.
SPECS = (
    TierSpec("hnte", 3, ((10, 28), (11, 22), (12, 12)), 0.86, 0.004,
             "福建省高新技术企业认定管理机构", "GR"),
    TierSpec("tech_sme", 1, ((4, 20), (6, 15), (8, 25)), 0.82, 0.0,
             "科技型中小企业信息服务平台", "TS"),
    TierSpec("innovative_sme", 3, ((6, 30), (10, 20)), 0.85, 0.0, "福建省工业和信息化厅", "CX"),
    TierSpec("srdi_sme", 3, ((9, 15), (12, 5)), 0.84, 0.0, "福建省工业和信息化厅", "ZJ"),
    TierSpec("little_giant", 3, ((7, 19), (8, 12)), 0.92, 0.005, "工业和信息化部", "XJR"),
    TierSpec("single_champion", 3, ((11, 28),), 0.95, 0.0, "工业和信息化部", "DXGJ"),
)  # fmt: skip


def _expires(issued: date, years: int) -> date:
    return issued.replace(year=issued.year + years) - timedelta(days=1)


class Ladder:
    """Runs the simulation and records which tiers each firm holds at each year end."""

    def __init__(self, rng: random.Random, firms: list[Firm], scale: float) -> None:
        self.rng = rng
        self.firms = firms
        self.scale = scale
        self.certs: list[Cert] = []
        self.by_tier: dict[str, list[Cert]] = {spec.tier: [] for spec in SPECS}
        self.banned: set[tuple[int, str]] = set()
        self.serial = 0
        self.year_end_holders: dict[tuple[str, int], set[int]] = {}
        self.ever: set[tuple[int, str]] = set()
        self.pools: dict[str, list[Firm]] = {}

    def target(self, tier: str, year: int) -> int:
        return round(TIER_PATHS[tier][year] * self.scale)

    def valid_holders(self, tier: str, day: date) -> set[int]:
        return {c.firm.index for c in self.by_tier[tier] if c.valid_on(day)}

    def run(self) -> list[Cert]:
        first = min(min(path) for path in TIER_PATHS.values())
        for year in range(first, LAST_YEAR + 1):
            for spec in SPECS:
                if year in TIER_PATHS[spec.tier]:
                    self._year(spec, year)
        for firm in self.firms:
            firm.held = {year: set() for year in YEARS}
        for year in YEARS:
            day = date(year, 12, 31)
            for cert in self.certs:
                if cert.valid_on(day):
                    cert.firm.held[year].add(cert.tier)
        return self.certs

    def _issue(self, spec: TierSpec, firm: Firm, year: int) -> Cert:
        month, day = self.rng.choice(spec.batches)
        issued = date(year, month, day)
        self.serial += 1
        number = f"{spec.number_prefix}{year}3502{self.serial:05d}"
        cert = Cert(firm, spec.tier, issued, _expires(issued, spec.validity_years), number,
                    spec.issuer)  # fmt: skip
        if spec.revoke_p and self.rng.random() < spec.revoke_p:
            revoked = issued + timedelta(days=self.rng.randint(200, 700))
            if revoked <= date(LAST_YEAR, 12, 31):
                cert.revoked = revoked
                self.banned.add((firm.index, spec.tier))
        self.certs.append(cert)
        self.by_tier[spec.tier].append(cert)
        self.ever.add((firm.index, spec.tier))
        return cert

    def _year(self, spec: TierSpec, year: int) -> None:
        end = date(year, 12, 31)
        target = self.target(spec.tier, year)
        holders = self.valid_holders(spec.tier, end)
        expiring = [
            c
            for c in self.by_tier[spec.tier]
            if c.expires.year == year and not c.renewed and c.revoked is None
        ]
        self.rng.shuffle(expiring)
        for cert in expiring:
            firm = cert.firm
            if len(holders) >= target or firm.index in holders:
                continue
            if firm.survivor and self.rng.random() < spec.renew_p:
                cert.renewed = True
                self._issue(spec, firm, year)
                holders.add(firm.index)
        need = target - len(holders)
        if need < 0:
            raise CalibrationFailed(f"{spec.tier} {year}: {len(holders)} holders exceed {target}")
        if need > 0:
            self._recognise(spec, year, holders, need)
        self.year_end_holders[(spec.tier, year)] = self.valid_holders(spec.tier, end)

    def _recognise(self, spec: TierSpec, year: int, holders: set[int], need: int) -> None:
        score = _SCORES[spec.tier]
        if spec.tier not in self.pools:
            # Eligibility rests on fixed traits only, so the pool is settled once.
            self.pools[spec.tier] = [
                f for f in self.firms if f.survivor and score(self, f, year) is not None
            ]
        ranked = []
        youngest = year - _MIN_AGE[spec.tier]
        gauss = self.rng.gauss
        for firm in self.pools[spec.tier]:
            if firm.index in holders or firm.founded.year >= youngest:
                continue
            if (firm.index, spec.tier) in self.banned:
                continue
            value = score(self, firm, year)
            assert value is not None
            ranked.append((value + gauss(0.0, 0.12), firm.index))
        if len(ranked) < need:
            raise CalibrationFailed(
                f"{spec.tier} {year}: {need} new holders needed, {len(ranked)} eligible"
            )
        ranked.sort(reverse=True)
        for _, index in ranked[:need]:
            self._issue(spec, self.firms[index], year)
            holders.add(index)

    def recently_held(self, firm: Firm, tier: str, year: int) -> bool:
        """Held at the end of `year` if that tier is already settled, else of the year before."""
        ends = self.year_end_holders
        held = ends.get((tier, year), ends.get((tier, year - 1), set()))
        return firm.index in held

    def ever_held(self, firm: Firm, tier: str) -> bool:
        return (firm.index, tier) in self.ever


def _hnte(ladder: Ladder, firm: Firm, year: int) -> float | None:
    if firm.tech < 0.3:
        return None
    return firm.tech


def _tech_sme(ladder: Ladder, firm: Firm, year: int) -> float | None:
    if firm.revenue0 > 1.5e8 or firm.leading or firm.tech < 0.25:
        return None
    return firm.tech + 0.2 * ladder.recently_held(firm, "hnte", year)


def _innovative(ladder: Ladder, firm: Firm, year: int) -> float | None:
    if firm.revenue0 > 3e8 or firm.leading or firm.tech < 0.3:
        return None
    return firm.tech + 0.25 * ladder.recently_held(firm, "hnte", year)


def _srdi(ladder: Ladder, firm: Firm, year: int) -> float | None:
    if firm.revenue0 > 4e8 or firm.revenue0 < 5e6 or firm.leading or firm.tech < 0.35:
        return None
    if firm.section not in ("C", "I"):
        return None
    return (
        firm.tech
        + 0.3 * ladder.recently_held(firm, "innovative_sme", year)
        + 0.2 * ladder.recently_held(firm, "hnte", year)
    )


def _little_giant(ladder: Ladder, firm: Firm, year: int) -> float | None:
    # Manufacturing (or industrial software) SMEs in a niche; srdi holders come first.
    if firm.section not in ("C", "I") or firm.revenue0 < 3e7 or firm.tech < 0.4:
        return None
    return (
        firm.tech
        + 1.5 * ladder.recently_held(firm, "srdi_sme", year)
        + 0.3 * ladder.recently_held(firm, "hnte", year)
        + 0.1 * math.log10(firm.revenue0)
    )


def _champion(ladder: Ladder, firm: Firm, year: int) -> float | None:
    if firm.section != "C" or firm.revenue0 < 1.5e8:
        return None
    return (
        1.5 * ladder.ever_held(firm, "little_giant")
        + 0.5 * firm.leading
        + 0.3 * math.log10(firm.revenue0)
        + firm.tech
    )


_SCORES: dict[str, Callable[[Ladder, Firm, int], float | None]] = {
    "hnte": _hnte,
    "tech_sme": _tech_sme,
    "innovative_sme": _innovative,
    "srdi_sme": _srdi,
    "little_giant": _little_giant,
    "single_champion": _champion,
}
_MIN_AGE = {
    "hnte": 1,
    "tech_sme": 0,
    "innovative_sme": 1,
    "srdi_sme": 2,
    "little_giant": 4,
    "single_champion": 11,
}
