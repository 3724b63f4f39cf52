"""Cultivation use cases: assess a registry year, the reserve pool per tier, certificates
about to lapse with a renewal pre-screen, and each enterprise's ladder history."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fourchain.domain.accounts import may_read_figures
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.cultivation import (
    DEFAULT_TOLERANCE,
    RuleSet,
    TierAssessment,
    assess,
    for_year,
    in_force,
)
from fourchain.domain.cultivation.model import Outcome
from fourchain.domain.registry import Certificate, Tier, year_end
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.audit import AuditTrail
from fourchain.services.ports import CultivationStore
from fourchain.services.registry_views import Asker

LADDER = list(Tier)  # the order of the rungs, lowest first


@dataclass(frozen=True)
class EnterpriseInfo:
    credit_code: str
    name: str
    cluster: str | None
    district: str | None
    zone: str | None


@dataclass
class TierTable:
    """A registry year against one rule set: one verdict and gap per enterprise, and a way
    to explain any row criterion by criterion."""

    rule_set: RuleSet
    credit_codes: Sequence[str]
    verdicts: Sequence[str]
    gaps: Sequence[float]
    explain: Callable[[int], TierAssessment]

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(("likely", "near", "not_yet", "unknown"), 0)
        for verdict in self.verdicts:
            found[verdict] += 1
        return found


def assess_registry(
    store: CultivationStore,
    year: int,
    *,
    tiers: list[Tier] | None = None,
    rule_set_keys: list[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[TierTable]:
    """Every enterprise of the registry in `year` against the chosen rule sets, in one pass."""
    if not 0 <= tolerance <= 1:
        raise InvalidInput(f"the near tolerance must be between 0 and 1; got {tolerance}")
    rule_sets = for_year(year, tiers, rule_set_keys)
    if not rule_sets:
        raise NotFound(f"no rule set of the chosen tiers is in force at the end of {year}")
    return store.assess(year, rule_sets, tolerance)


@dataclass(frozen=True)
class PoolEntry:
    """A reserve-pool candidate: how near it is and what it still lacks."""

    rank: int
    info: EnterpriseInfo
    verdict: str
    gap: float
    shortfalls: list[str] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The entry as the CLI's `pool --json` and the API's pool list give it."""
        return {
            "rank": self.rank,
            "credit_code": self.info.credit_code,
            "name": self.info.name,
            "cluster": self.info.cluster,
            "district": self.info.district,
            "zone": self.info.zone,
            "outcome": self.verdict,
            "gap": round(self.gap, 4),
            "shortfalls": self.shortfalls,
            "manual_review": self.manual,
        }


@dataclass(frozen=True)
class PoolFilter:
    cluster: str | None = None
    district: str | None = None
    zone: str | None = None

    def admits(self, info: EnterpriseInfo) -> bool:
        return all(
            wanted is None or wanted == got
            for wanted, got in (
                (self.cluster, info.cluster),
                (self.district, info.district),
                (self.zone, info.zone),
            )
        )


_ORDER = {"likely": 0, "near": 1, "not_yet": 2, "unknown": 3}
# What a candidate still lacks: its shortfalls ("中文 / English") and the criteria left to a
# manual review (their Chinese labels).
Details = tuple[list[str], list[str]]


@dataclass
class PoolSnapshot:
    """One tier's assessment of a registry year, with what the pool needs to filter it; the
    web keeps one for a while so that paging and filtering do not assess again. A stored one
    (`cultivation_pools`) carries each listable candidate's `details` instead of explaining
    rows on demand, the data-version stamp it was computed at and when."""

    year: int
    tier: Tier
    table: TierTable
    info: dict[str, EnterpriseInfo]
    holders: set[str]
    details: Callable[[Sequence[int]], Mapping[int, Details]] | None = None
    data_version: int | None = None
    computed_at: datetime | None = None

    def _candidates(self, where: PoolFilter) -> list[int]:
        """Rows that do not hold the tier yet, within the filters: what the pool draws from."""
        table, info = self.table, self.info
        return [
            i
            for i, code in enumerate(table.credit_codes)
            if code not in self.holders and where.admits(info[code])
        ]

    def counts(self, where: PoolFilter = PoolFilter()) -> dict[str, int]:
        """The candidates by pre-screen outcome — over the rows the list draws from (not
        holding the tier, within the filters), so that the summary and the list agree —
        and under `held` how many within the filters already hold the tier."""
        found = dict.fromkeys(("likely", "near", "not_yet", "unknown"), 0)
        candidates = self._candidates(where)
        for i in candidates:
            found[self.table.verdicts[i]] += 1
        admitted = sum(1 for code in self.table.credit_codes if where.admits(self.info[code]))
        found["held"] = admitted - len(candidates)
        return found

    def page(
        self,
        where: PoolFilter = PoolFilter(),
        *,
        offset: int = 0,
        limit: int = 200,
        include_not_yet: bool = False,
        sort: str = "rank",
        descending: bool = False,
    ) -> tuple[list[PoolEntry], int]:
        """One page of candidates and how many there are in all: likely first, then near by
        gap (and, if asked, the rest not yet there), or by one of POOL_SORTS. The rank stays
        the pool's own (likely first, by gap), whatever the order shown."""
        table = self.table
        wanted = {"likely", "near"} | ({"not_yet"} if include_not_yet else set())
        rows = [i for i in self._candidates(where) if table.verdicts[i] in wanted]
        rows.sort(key=lambda i: (_ORDER[table.verdicts[i]], table.gaps[i], table.credit_codes[i]))
        rank = {row: n for n, row in enumerate(rows, start=1)}
        if sort != "rank":
            key = POOL_SORTS.get(sort)
            if key is None:
                raise InvalidInput(f"the pool cannot be sorted by {sort!r}")
            rows.sort(key=lambda i: (key(self, i), rank[i]))
        if descending:
            rows.reverse()
        chosen = rows[max(0, offset) : max(0, offset) + limit]
        if self.details is not None:
            found = self.details(chosen)  # one read for the page
            explained = [found.get(i, ([], [])) for i in chosen]
        else:
            explained = [details_of(table.explain(i)) for i in chosen]
        return [
            self._entry(rank[i], i, details) for i, details in zip(chosen, explained, strict=True)
        ], len(rows)

    def _entry(self, rank: int, row: int, details: Details) -> PoolEntry:
        table = self.table
        shortfalls, manual = details
        code = table.credit_codes[row]
        return PoolEntry(
            rank,
            self.info[code],
            table.verdicts[row],
            table.gaps[row],
            list(shortfalls),
            list(manual),
        )

    def listable(self) -> list[int]:
        """The rows a pool list may show (candidates not holding the tier, whose outcome is
        known): the ones a stored pool keeps details for."""
        verdicts = self.table.verdicts
        return [i for i in self._candidates(PoolFilter()) if verdicts[i] != "unknown"]

    def entries(
        self, where: PoolFilter = PoolFilter(), limit: int = 200, include_not_yet: bool = False
    ) -> list[PoolEntry]:
        """Candidates that do not hold the tier yet: likely first, then near by gap (and, if
        asked, the nearest of the rest), within the filters."""
        return self.page(where, limit=limit, include_not_yet=include_not_yet)[0]


# The orders a pool list may be shown in besides its rank (whitelisted: a sort key from a
# request is looked up here, never evaluated).
POOL_SORTS: dict[str, Callable[[PoolSnapshot, int], Any]] = {
    "name": lambda snap, i: snap.info[snap.table.credit_codes[i]].name,
    "district": lambda snap, i: snap.info[snap.table.credit_codes[i]].district or "",
    "gap": lambda snap, i: snap.table.gaps[i],
}


def pool_snapshot(
    store: CultivationStore,
    year: int,
    tier: Tier,
    *,
    rule_set_key: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> PoolSnapshot:
    keys = [rule_set_key] if rule_set_key else None
    (table,) = assess_registry(store, year, tiers=[tier], rule_set_keys=keys, tolerance=tolerance)
    if table.rule_set.tier is not tier:
        raise InvalidInput(f"rule set {table.rule_set.key} is not a {tier.value} rule set")
    return PoolSnapshot(
        year, tier, table, store.enterprise_info(), store.holders(tier, year_end(year))
    )


def reserve_pool(
    store: CultivationStore,
    year: int,
    tier: Tier,
    *,
    where: PoolFilter = PoolFilter(),
    rule_set_key: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    limit: int = 200,
    include_not_yet: bool = False,
) -> list[PoolEntry]:
    """The reserve pool of `tier` in `year` (see PoolSnapshot.entries)."""
    snapshot = pool_snapshot(store, year, tier, rule_set_key=rule_set_key, tolerance=tolerance)
    return snapshot.entries(where, limit, include_not_yet)


def details_of(assessment: TierAssessment) -> Details:
    """A candidate's shortfalls and manual-review criteria, from its top-level criteria."""
    tops = [r for r in assessment.results if r.parent is None]
    return (
        [f"{r.gap.text_zh} / {r.gap.text_en}" for r in tops if r.gap is not None],
        [r.criterion.label_zh for r in tops if r.outcome is Outcome.MANUAL],
    )


@dataclass(frozen=True)
class Renewal:
    """A certificate about to lapse, with a pre-screen against the rules for renewing it."""

    certificate: Certificate
    months_left: int
    assessment: TierAssessment | None  # None: no rule set for the tier is in force


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expiring(
    store: CultivationStore,
    on: date,
    months: int,
    *,
    year: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Renewal]:
    """Certificates valid on `on` that lapse within `months`, each with a renewal pre-screen
    on the latest panel year (or `year`) under the rules in force when it lapses."""
    if months < 0:
        raise InvalidInput(f"--months must be 0 or more; got {months}")
    panel_year = year if year is not None else store.latest_year()
    if panel_year is None:
        raise NotFound("the registry has no panel years to pre-screen renewals on")
    out = []
    for certificate in store.certificates_expiring(on, _add_months(on, months)):
        rules = in_force(certificate.tier, certificate.expires)
        assessment = None
        if rules is not None:
            profile = store.profile(certificate.credit_code)
            assessment = assess(profile, panel_year, rules, tolerance=tolerance)
        out.append(Renewal(certificate, _months_between(on, certificate.expires), assessment))
    return out


@dataclass(frozen=True)
class Rung:
    year: int
    highest: Tier | None
    held: list[Tier]


def ladder_history(
    store: CultivationStore, credit_code: str, until: int
) -> tuple[list[Certificate], list[Rung]]:
    """The enterprise's certificates in order, and the tiers it held at each year's end."""
    held = store.certificates_of(credit_code)
    if not held:
        store.profile(credit_code)  # NotFound for a stranger; an empty ladder otherwise
        return [], []
    first = min(c.issued.year for c in held)
    rungs = []
    for y in range(first, until + 1):
        tiers = sorted({c.tier for c in held if c.valid_on(year_end(y))}, key=LADDER.index)
        rungs.append(Rung(y, tiers[-1] if tiers else None, tiers))
    return held, rungs


class PrescreenViews:
    """The pre-screen of one enterprise for the web: its figures are confidential, so only
    bureau staff and the enterprise's own users see it; anyone else gets the answer a missing
    enterprise gets, and the refusal is audited."""

    def __init__(self, store: CultivationStore, audit: AuditTrail) -> None:
        self.store = store
        self.audit = audit

    def prescreen(
        self, credit_code: str, year: int | None, viewer: Asker
    ) -> tuple[int, list[TierAssessment]]:
        # The policy is checked before the database is asked anything (same path as missing).
        if not may_read_figures(viewer.principal, credit_code):
            self._record(viewer, Action.ACCESS_REFUSED, Result.REFUSED, credit_code, "pre-screen")
            raise NotFound(f"no pre-screen for enterprise {credit_code}")
        profile = self.store.profile(credit_code)
        chosen = year if year is not None else max(profile.years, default=None)
        if chosen is None:
            raise NotFound(f"no pre-screen for enterprise {credit_code}")
        found = [assess(profile, chosen, rs) for rs in for_year(chosen)]
        self._record(
            viewer, Action.READ_FIGURES, Result.SUCCESS, credit_code, f"pre-screen {chosen}"
        )
        return chosen, found

    def log_export(self, viewer: Asker, what: str, rows: int) -> None:
        self._record(viewer, Action.EXPORT, Result.SUCCESS, what, details(rows=rows))

    def _record(
        self, viewer: Asker, action: Action, result: Result, what: str, detail: str
    ) -> None:
        self.audit.record(
            viewer.now,
            action,
            result,
            username=viewer.principal.username,
            address=viewer.address,
            object=f"enterprise:{what}"[:200] if action is not Action.EXPORT else what[:200],
            detail=detail,
        )
