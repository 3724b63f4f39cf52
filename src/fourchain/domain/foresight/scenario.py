"""A what-if scenario: changes to the registry's yearly figures, and how verdicts move."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fourchain.errors import InvalidInput

# Figures a scenario may change, with their Chinese labels. Each is a field of the panel
# (`EnterpriseYear`); a ratio the rules test moves through its numerator (R&D spending moves
# the R&D ratio, high-tech revenue its share, S&T staff theirs, class-I IP the patent counts).
CHANGEABLE: dict[str, tuple[str, str]] = {
    "rd_expense": ("研发费用", "R&D expense"),
    "hitech_revenue": ("高新技术产品（服务）收入", "High-tech product and service revenue"),
    "st_staff": ("科技人员数", "S&T staff"),
    "rd_staff": ("研发人员数", "R&D staff"),
    "class1_ip": ("I类知识产权（发明专利等）", "Class-I IP (invention patents …)"),
    "class1_ip_high_value": ("高价值发明专利", "High-value invention patents"),
    "class2_ip": ("II类知识产权", "Class-II IP"),
    "revenue": ("营业收入", "Revenue"),
    "main_business_revenue": ("主营业务收入", "Main-business revenue"),
    "equity_financing": ("股权融资", "Equity financing"),
    "standards_led": ("主导制定标准", "Standards led"),
    "conversions": ("成果转化数", "Achievements converted"),
}
# Spending more on R&D is spending more in China too: the domestic part moves with the whole,
# so the domestic share (an HNTE criterion) is unchanged by a change in R&D spending.
LINKED: dict[str, tuple[str, ...]] = {"rd_expense": ("rd_expense_domestic",)}

_PATTERN = re.compile(r"^\s*([a-z0-9_]+)\s*=\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Change:
    """`field` × (1 + percent/100) when relative, else `field` + amount, in every year."""

    field: str
    amount: float
    relative: bool

    @property
    def text(self) -> str:
        sign = "+" if self.amount >= 0 else ""
        return f"{self.field}={sign}{self.amount:g}{'%' if self.relative else ''}"

    def apply(self, value: float) -> float:
        return value * (1 + self.amount / 100) if self.relative else value + self.amount


def parse_change(text: str) -> Change:
    """`rd_expense=+10%` (relative) or `class1_ip=+1` (added each year)."""
    found = _PATTERN.match(text)
    if found is None:
        raise InvalidInput(f"--change {text!r}: expected FIELD=+10% or FIELD=+1")
    name, number, percent = found.groups()
    if name not in CHANGEABLE:
        raise InvalidInput(
            f"--change {text!r}: {name} cannot be changed; one of {', '.join(CHANGEABLE)}"
        )
    amount = float(number)
    if percent and amount <= -100:
        raise InvalidInput(f"--change {text!r}: a cut of 100% or more leaves nothing")
    return Change(name, amount, bool(percent))


def parse_changes(texts: list[str]) -> list[Change]:
    changes = [parse_change(t) for t in texts]
    fields = [c.field for c in changes]
    if len(set(fields)) != len(fields):
        raise InvalidInput("--change: each field may be changed once")
    return changes


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    n: int

    def as_json(self) -> dict[str, object]:
        return {"from": self.source, "to": self.target, "n": self.n}


def moves(pairs: dict[tuple[str, str], int]) -> list[Move]:
    """The changed (from, to) pairs with their counts, largest first."""
    found = [Move(a, b, n) for (a, b), n in pairs.items() if a != b and n]
    return sorted(found, key=lambda m: (-m.n, m.source, m.target))


@dataclass(frozen=True)
class MeasureCost:
    """A measure's payout over the registry without and with the changes (yuan)."""

    measure_id: str
    name_zh: str
    name_en: str
    n_baseline: int
    n_scenario: int
    baseline: float
    scenario: float

    def as_json(self) -> dict[str, object]:
        return {
            "measure": self.measure_id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "n_baseline": self.n_baseline,
            "n_scenario": self.n_scenario,
            "baseline": round(self.baseline, 2),
            "scenario": round(self.scenario, 2),
            "extra": round(self.scenario - self.baseline, 2),
        }


@dataclass
class ScenarioOutcome:
    """A tier's pre-screen of a registry year before and after the changes."""

    year: int
    tier: str
    rule_set: str
    changes: list[Change]
    baseline: dict[str, int]
    scenario: dict[str, int]
    moves: list[Move]
    by_cluster: dict[str, list[Move]]
    by_district: dict[str, list[Move]]
    binding: list[tuple[str, int]]
    costs: list[MeasureCost]
    candidates: bool = False  # only enterprises not holding the tier

    @property
    def extra_cost(self) -> float:
        return sum(c.scenario - c.baseline for c in self.costs)

    def as_json(self) -> dict[str, object]:
        def grouped(key: str, found: dict[str, list[Move]]) -> list[dict[str, object]]:
            return [{key: k, **m.as_json()} for k, ms in found.items() for m in ms]

        return {
            "year": self.year,
            "tier": self.tier,
            "rule_set": self.rule_set,
            "candidates": self.candidates,
            "changes": [c.text for c in self.changes],
            "baseline": self.baseline,
            "scenario": self.scenario,
            "moves": [m.as_json() for m in self.moves],
            "by_cluster": grouped("cluster", self.by_cluster),
            "by_district": grouped("district", self.by_district),
            "binding": [{"criterion": c, "n": n} for c, n in self.binding],
            "cost": {
                "measures": [c.as_json() for c in self.costs],
                "extra_total": round(self.extra_cost, 2),
            },
        }
