"""Patents held by firms and institutions, titled from per-cluster vocabulary, with a filing,
grant and lapse history; high-value flags are then calibrated so that high-value invention
patents per 10,000 residents (`Patent.high_value_on`) hit the published figures."""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import accumulate

from fourchain.demo.calibration import HIGH_VALUE_PER_10K, LAST_YEAR, POPULATION, YEARS
from fourchain.demo.firms import Firm
from fourchain.demo.identifiers import patent_number
from fourchain.demo.tiers import CalibrationFailed
from fourchain.demo.vocabulary import SYNTHETIC_NOTE, VOCABULARY
from fourchain.domain.registry import Patent, PatentKind

INV, UM, DES = PatentKind.INVENTION, PatentKind.UTILITY_MODEL, PatentKind.DESIGN
_KIND_DIGIT = {INV: 1, UM: 2, DES: 3}
_END = date(LAST_YEAR, 12, 31)
_FILING_GROWTH = 0.09
# Valid invention patents an institution of each kind holds at the end of 2025 (scale 1).
INSTITUTION_PORTFOLIO = {
    "university": 620.0,
    "national_key_lab": 150.0,
    "provincial_lab": 80.0,
    "research_institute": 100.0,
    "new_rd_institution": 18.0,
}


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class PatentMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.patents: list[Patent] = []
        self.serials: dict[tuple[int, PatentKind], int] = {}
        self._years: dict[tuple[int, int], tuple[list[int], list[float]]] = {}

    def _number(self, filed: date, kind: PatentKind) -> str:
        key = (filed.year, kind)
        serial = self.serials.get(key, self.rng.randint(1, 5000)) + self.rng.randint(1, 40)
        self.serials[key] = serial
        return patent_number(filed.year, _KIND_DIGIT[kind], serial)

    def _text(self, cluster: str, kind: PatentKind) -> tuple[str, str]:
        v, rng = VOCABULARY[cluster], self.rng
        obj, feature, method = rng.choice(v.objects), rng.choice(v.features), rng.choice(v.methods)
        if kind is DES:
            return f"{rng.choice(v.products)}（{rng.choice('ABCDEFGH')}款）", (
                f"本外观设计产品为{obj}，用于{rng.choice(v.products)}。{SYNTHETIC_NOTE}"
            )
        if kind is UM:
            title = rng.choice((f"一种便于装配的{obj}", f"一种{obj}的固定结构",
                                f"一种改善{feature}的{obj}"))  # fmt: skip
            what = "实用新型"
        else:
            title = rng.choice((f"一种基于{method}的{obj}及其制备方法",
                                f"一种{obj}的{method}控制方法", f"一种改善{feature}的{obj}",
                                f"基于{method}的{obj}{feature}检测方法及系统"))  # fmt: skip
            what = "发明"
        abstract = (
            f"本{what}公开了一种{title.removeprefix('一种')}，采用{method}，"
            f"改善了{obj}的{feature}，适用于{rng.choice(v.products)}。{SYNTHETIC_NOTE}"
        )
        return title, abstract

    def add(
        self,
        kind: PatentKind,
        cluster: str,
        filed: date,
        holder: Firm | None = None,
        institution: str | None = None,
        granted: date | None = None,
        closes: int | None = None,
    ) -> Patent:
        rng = self.rng
        if granted is None and (kind is not INV or rng.random() < 0.78):
            lag = rng.uniform(1.2, 3.6) if kind is INV else rng.uniform(0.4, 1.2)
            granted = filed + timedelta(days=int(lag * 365))
        if granted is not None and granted > _END:
            granted = None  # still under examination
        title, abstract = self._text(cluster, kind)
        term = 20 if kind is INV else (15 if kind is DES and filed >= date(2021, 6, 1) else 10)
        lapsed = None
        if granted is not None:
            end_of_term = date(filed.year + term, filed.month, min(filed.day, 28))
            hazard = 0.035 if kind is INV else 0.09
            # Whole years kept before the fee goes unpaid: geometric with the yearly hazard.
            kept = int(math.log(1.0 - rng.random()) / math.log(1.0 - hazard)) + 1
            day = granted + timedelta(days=365 * kept)
            lapsed = day if day <= _END else None
            if end_of_term <= _END and (lapsed is None or end_of_term < lapsed):
                lapsed = end_of_term
            if closes is not None and (lapsed is None or lapsed.year > closes + 1):
                lapsed = date(closes + 1, rng.randint(1, 12), rng.randint(1, 28))
            if lapsed is not None and lapsed <= granted:  # granted after the holder closed:
                lapsed = granted + timedelta(days=365)  # the second year's fee goes unpaid
            if lapsed is not None and lapsed > _END:
                lapsed = None
        strategic = holder.strategic_emerging is True if holder else rng.random() < 0.5
        patent = Patent(
            number=self._number(filed, kind),
            title=title,
            kind=kind,
            filed=filed,
            abstract=abstract,
            ipc=f"{rng.choice(VOCABULARY[cluster].ipc)}{rng.randint(1, 99):02d}",
            holder_credit_code=holder.credit_code if holder else None,
            holder_institution=institution,
            granted=granted,
            lapsed=lapsed,
            hv_strategic_emerging=kind is INV and strategic and rng.random() < 0.45,
            hv_overseas_family=kind is INV and rng.random() < 0.05,
            hv_pledge_financing=kind is INV and holder is not None and rng.random() < 0.03,
            hv_award=kind is INV and rng.random() < 0.004,
        )
        self.patents.append(patent)
        return patent

    def filing_day(self, first_year: int, last_year: int = LAST_YEAR) -> date:
        """A filing date; filings grow about 9 % a year."""
        key = (first_year, max(first_year, last_year))
        if key not in self._years:
            years = list(range(key[0], key[1] + 1))
            weights = list(accumulate(math.exp(_FILING_GROWTH * (y - LAST_YEAR)) for y in years))
            self._years[key] = (years, weights)
        years, cum = self._years[key]
        year = years[bisect(cum, self.rng.random() * cum[-1])]
        return date(year, 1, 1) + timedelta(days=int(self.rng.random() * 364))


def _firm_portfolio(firm: Firm) -> float:
    """Expected invention filings: research intensity and rung on the ladder."""
    lam = 0.1 + 1.4 * firm.tech**3
    if firm.ever_holds("hnte"):
        lam += 2.6
    if firm.ever_holds("little_giant"):
        lam += 9.0
    if firm.ever_holds("single_champion"):
        lam += 28.0
    if firm.leading:
        lam += 14.0
    return lam * VOCABULARY[firm.cluster].tech_weight / 0.7


def make_patents(
    rng: random.Random,
    firms: list[Firm],
    institutions: list[dict[str, object]],
    first_hnte: dict[int, date],
    scale: float,
) -> list[Patent]:
    maker = PatentMaker(rng)
    for firm in firms:
        start = max(2003, firm.founded.year)
        cluster = firm.cluster
        issue = first_hnte.get(firm.index)
        if issue is not None and firm.compliant:
            # A core class-I right granted before the first HNTE recognition.
            filed = max(firm.founded + timedelta(days=30), issue - timedelta(days=1300))
            granted = max(filed + timedelta(days=200), issue - timedelta(days=rng.randint(40, 200)))
            maker.add(
                INV, cluster, filed, firm, granted=min(granted, issue), closes=firm.death_year
            )
        lam = _firm_portfolio(firm)
        manufacturing = firm.section == "C"
        for kind, n in (
            (INV, _poisson(rng, lam * 1.7)),
            (UM, _poisson(rng, lam * (1.1 if manufacturing else 0.3) + 0.1)),
            (
                DES,
                _poisson(
                    rng, 0.6 if manufacturing or cluster == "culture_tourism_creative" else 0.05
                ),
            ),
        ):
            for _ in range(n):
                day = maker.filing_day(start, firm.last_year)
                maker.add(kind, cluster, day, firm, closes=firm.death_year)
    for inst in institutions:
        lam = INSTITUTION_PORTFOLIO.get(str(inst["kind"]), 0.0) * 1.6 * scale
        recognised = inst["recognised"]
        start = max(2003, recognised.year) if isinstance(recognised, date) else 2003
        for _ in range(_poisson(rng, lam)):
            maker.add(
                INV, str(inst["cluster"]), maker.filing_day(start), institution=str(inst["id"])
            )
    calibrate_high_value(rng, maker.patents, scale)
    return maker.patents


def high_value_target(year: int, scale: float) -> int:
    """The count of high-value invention patents that gives the calibrated per-10k figure."""
    return round(HIGH_VALUE_PER_10K[year] * POPULATION[year] / 10_000 * scale)


def _flag(patent: Patent) -> None:
    if patent.holder_credit_code is not None and not patent.hv_strategic_emerging:
        patent.hv_pledge_financing = True
    else:
        patent.hv_strategic_emerging = True


def _unflag(patent: Patent) -> None:
    patent.hv_strategic_emerging = False
    patent.hv_overseas_family = False
    patent.hv_pledge_financing = False
    patent.hv_award = False


def calibrate_high_value(rng: random.Random, patents: list[Patent], scale: float) -> None:
    """Set or clear high-value flags so the 2020 and 2025 year-end counts are the targets.
    2020 is settled first; 2025 then moves only patents granted after 2020, which 2020's
    count cannot see."""
    first, last = min(HIGH_VALUE_PER_10K), max(HIGH_VALUE_PER_10K)
    for year in (first, last):
        day = date(year, 12, 31)
        target = high_value_target(year, scale)
        inventions = [p for p in patents if p.kind is INV and p.valid_on(day)]
        if year == last:
            earlier = date(first, 12, 31)
            movable = [p for p in inventions if not p.valid_on(earlier)]
        else:
            movable = inventions
        count = sum(p.high_value_on(day) for p in inventions)
        rng.shuffle(movable)
        if count < target:
            for patent in movable:
                if count == target:
                    break
                if not patent.high_value_on(day):
                    _flag(patent)
                    count += 1
        elif count > target:
            for patent in movable:
                if count == target:
                    break
                if patent.high_value_on(day):
                    _unflag(patent)
                    count -= patent.high_value_on(day) is False
        if count != target and scale == 1:  # a shrunk city is calibrated as far as it goes
            raise CalibrationFailed(
                f"high-value invention patents {year}: reached {count}, target {target}"
            )


YearFlags = tuple[tuple[bool, ...], tuple[bool, ...]]


def ip_columns(
    firm: Firm, held: list[Patent], status: Mapping[str, YearFlags], rng: random.Random
) -> dict[int, dict[str, int]]:
    """The panel's IP counts per year, read off the firm's own patents (software firms add
    software copyrights to class II)."""
    acquired = rng.uniform(0.0, 0.2)
    copyrights = rng.randint(1, 6) if firm.section == "I" else 0
    class1 = dict.fromkeys(YEARS, 0)
    high = dict.fromkeys(YEARS, 0)
    class2 = dict.fromkeys(YEARS, 0)
    for patent in held:
        valid, high_value = status[patent.number]
        for year, is_valid, is_high in zip(YEARS, valid, high_value, strict=True):
            if is_valid:
                if patent.kind is INV:
                    class1[year] += 1
                    high[year] += is_high
                else:
                    class2[year] += 1
    result: dict[int, dict[str, int]] = {}
    for year in YEARS:
        software = copyrights * max(0, year - max(firm.founded.year, 2015) + 1)
        result[year] = {
            "class1_ip": class1[year],
            "class1_ip_high_value": high[year],
            "class1_ip_self_developed": class1[year] - math.floor(class1[year] * acquired),
            "class2_ip": class2[year] + software,
        }
    return result


_YEAR_ENDS = tuple(date(year, 12, 31) for year in YEARS)


def yearly(patent: Patent) -> YearFlags:
    """Valid and high-value at each year end of the panel (as `Patent` defines them)."""
    if patent.granted is None or patent.granted > _YEAR_ENDS[-1]:
        none = (False,) * len(YEARS)
        return none, none
    valid = tuple(patent.valid_on(day) for day in _YEAR_ENDS)
    if patent.kind is not INV:
        return valid, (False,) * len(YEARS)
    return valid, tuple(patent.high_value_on(day) for day in _YEAR_ENDS)
