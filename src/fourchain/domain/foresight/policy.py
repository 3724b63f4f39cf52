"""The policy register: the city's support measures as versioned, cited rules — who qualifies
and what they receive — and the "policy calculator" that lists one enterprise's entitlements.

Each measure is a record like a tier criterion: a key and version, the dates it is in force,
its basis (document and article) and its status. The amounts below are the register's working
values; `status` says how well each is sourced (criteria.md's marks) and every UNCONFIRMED one
must be checked against the bureau's current document before a cost is quoted as fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fourchain.domain.cultivation.model import Status
from fourchain.domain.registry import Tier, year_end
from fourchain.errors import NotFound


@dataclass(frozen=True)
class TierReward:
    """A one-off reward to an enterprise recognised in `tier` for the first time."""

    tier: Tier
    amount: float  # yuan


@dataclass(frozen=True)
class RdSubsidy:
    """`rate` of the year's growth in R&D expense over the year before, at most `cap` yuan, to
    an enterprise holding (or likely to be recognised in) one of `tiers`."""

    rate: float
    cap: float
    tiers: tuple[Tier, ...]


Benefit = TierReward | RdSubsidy


@dataclass(frozen=True)
class Measure:
    key: str
    version: str
    name_zh: str
    name_en: str
    basis: str
    status: Status
    valid_from: date
    valid_to: date | None
    benefit: Benefit

    @property
    def id(self) -> str:
        return f"{self.key}-{self.version}"

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def who_zh(self) -> str:
        b = self.benefit
        if isinstance(b, TierReward):
            return f"首次认定{b.tier.value}的企业"
        return "持有或较可能获得" + "、".join(t.value for t in b.tiers) + "且研发费用增长的企业"

    def what_zh(self) -> str:
        b = self.benefit
        if isinstance(b, TierReward):
            return f"一次性奖励{b.amount / 10_000:g}万元"
        return f"按研发费用增量的{b.rate * 100:g}%补助，最高{b.cap / 10_000:g}万元"


_XM = "厦门市科学技术局"
REGISTER: tuple[Measure, ...] = (
    Measure(
        "hnte_first_award",
        "2021",
        "首次认定国家高新技术企业奖励",
        "Reward for a first HNTE recognition",
        f"{_XM}·高新技术企业培育扶持措施（文号待核实）",
        Status.UNCONFIRMED,
        date(2021, 1, 1),
        None,
        TierReward(Tier.HNTE, 200_000.0),
    ),
    Measure(
        "tech_sme_award",
        "2022",
        "科技型中小企业入库奖励",
        "Reward for entering the tech-based SME database",
        f"{_XM}·科技型中小企业评价入库支持（文号待核实）",
        Status.UNCONFIRMED,
        date(2022, 1, 1),
        None,
        TierReward(Tier.TECH_SME, 20_000.0),
    ),
    Measure(
        "srdi_award",
        "2022",
        "专精特新中小企业认定奖励",
        "Reward for SRDI SME recognition",
        "厦门市工业和信息化局·专精特新企业梯度培育措施（文号待核实）",
        Status.UNCONFIRMED,
        date(2022, 6, 1),
        None,
        TierReward(Tier.SRDI_SME, 100_000.0),
    ),
    Measure(
        "little_giant_award",
        "2022",
        "国家级专精特新“小巨人”企业奖励",
        "Reward for a national little-giant recognition",
        "厦门市工业和信息化局·专精特新企业梯度培育措施（文号待核实）",
        Status.UNCONFIRMED,
        date(2022, 6, 1),
        None,
        TierReward(Tier.LITTLE_GIANT, 1_000_000.0),
    ),
    Measure(
        "rd_growth_subsidy",
        "2021",
        "企业研发费用增量补助",
        "Subsidy on growth in R&D expense",
        f"{_XM}·企业研发经费投入补助（文号待核实）",
        Status.UNCONFIRMED,
        date(2021, 1, 1),
        None,
        RdSubsidy(0.10, 2_000_000.0, (Tier.TECH_SME, Tier.HNTE)),
    ),
)


def in_force(year: int, register: tuple[Measure, ...] = REGISTER) -> list[Measure]:
    """The measures in force on 31 December of `year`, one version per key."""
    day = year_end(year)
    return [m for m in register if m.in_force_on(day)]


def measure(measure_id: str, register: tuple[Measure, ...] = REGISTER) -> Measure:
    for m in register:
        if m.id == measure_id or m.key == measure_id:
            return m
    raise NotFound(f"no measure {measure_id!r} in the policy register")


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the register's rules look at for one enterprise in one year."""

    credit_code: str
    held: frozenset[Tier]
    likely: frozenset[Tier]
    rd_expense: float | None
    rd_expense_before: float | None


@dataclass(frozen=True)
class Entitlement:
    measure: Measure
    amount: float  # yuan
    reason_zh: str
    reason_en: str


def entitlement(m: Measure, facts: EnterpriseFacts) -> Entitlement | None:
    """What `facts`' enterprise would receive under `m` (None: it does not qualify)."""
    b = m.benefit
    if isinstance(b, TierReward):
        if b.tier in facts.likely and b.tier not in facts.held:
            return Entitlement(
                m,
                b.amount,
                f"预筛较可能获得{b.tier.value}认定且尚未持有",
                f"likely to be recognised as {b.tier.value} and not yet holding it",
            )
        return None
    qualified = (facts.held | facts.likely) & set(b.tiers)
    if not qualified or facts.rd_expense is None or facts.rd_expense_before is None:
        return None
    growth = facts.rd_expense - facts.rd_expense_before
    if growth <= 0:
        return None
    amount = min(b.cap, b.rate * growth)
    return Entitlement(
        m,
        amount,
        f"研发费用增加{growth / 10_000:,.1f}万元",
        f"R&D expense up ¥{growth / 1e6:,.2f} million",
    )


def entitlements(facts: EnterpriseFacts, measures: list[Measure]) -> list[Entitlement]:
    """The policy calculator: every measure in `measures` the enterprise qualifies for."""
    found = [entitlement(m, facts) for m in measures]
    return [e for e in found if e is not None]


def measure_json(m: Measure) -> dict[str, object]:
    b = m.benefit
    rule: dict[str, object]
    if isinstance(b, TierReward):
        rule = {"kind": "tier_reward", "tier": b.tier.value, "amount": b.amount}
    else:
        rule = {
            "kind": "rd_subsidy",
            "rate": b.rate,
            "cap": b.cap,
            "tiers": [t.value for t in b.tiers],
        }
    return {
        "id": m.id,
        "key": m.key,
        "version": m.version,
        "name_zh": m.name_zh,
        "name_en": m.name_en,
        "basis": m.basis,
        "status": m.status.value,
        "valid_from": m.valid_from.isoformat(),
        "valid_to": None if m.valid_to is None else m.valid_to.isoformat(),
        "who": m.who_zh(),
        "what": m.what_zh(),
        "rule": rule,
    }
