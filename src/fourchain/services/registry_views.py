"""Registry page use cases: the directory, profiles with confidential figures, the dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from fourchain.domain.accounts import Principal, may_read_figures
from fourchain.domain.audit import Action, Result, details, figures_scope
from fourchain.domain.foresight.outlook import PlanTarget
from fourchain.domain.registry import (
    Certificate,
    Enterprise,
    EnterpriseYear,
    Institution,
    InstitutionKind,
    Tier,
    year_end,
)
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.audit import AuditTrail
from fourchain.services.caching import Memo
from fourchain.services.paging import Page
from fourchain.services.ports import RegistryReader
from fourchain.services.registry import RegistrySummary, summarise

PAGE_SIZE = 20
# A chain page shows this many enterprises per link; the directory pages through the rest.
CHAIN_MEMBERS = 12
MAX_PAGE_SIZE = 100
DASHBOARD_TTL_SECONDS = 60.0
EXPORT_LIMIT = 100_000
# Kinds shown as "platforms" (平台) beside the research institutions.
PLATFORM_KINDS = (
    InstitutionKind.PROOF_OF_CONCEPT_CENTRE,
    InstitutionKind.PILOT_PLATFORM,
    InstitutionKind.INCUBATOR,
    InstitutionKind.INDUSTRY_PARK,
    InstitutionKind.ENTERPRISE_RD_CENTRE,
    InstitutionKind.INNOVATION_CONSORTIUM,
)


# The orders the directories offer (the readers order by these columns in the query).
DIRECTORY_SORTS = ("name", "credit_code", "district", "cluster", "founded")
INSTITUTION_SORTS = ("name", "kind", "level", "district")
# Research institutions (创新机构): every kind that is not a platform.
RESEARCH_KINDS = tuple(kind for kind in InstitutionKind if kind not in PLATFORM_KINDS)


@dataclass(frozen=True)
class DirectoryQuery:
    query: str = ""
    cluster: str = ""
    district: str = ""
    tier: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE
    sort: str = "name"
    descending: bool = False
    link: str = ""  # a chain link's key: its enterprises only

    def checked(self) -> DirectoryQuery:
        if self.page < 1:
            raise InvalidInput("page must be 1 or more")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        if self.tier and self.tier not in {t.value for t in Tier}:
            raise InvalidInput(f"unknown tier {self.tier!r}")
        if len(self.query) > 200:
            raise InvalidInput("query must be at most 200 characters")
        if self.sort not in DIRECTORY_SORTS:
            raise InvalidInput(f"the directory cannot be sorted by {self.sort!r}")
        return self


@dataclass(frozen=True)
class EnterpriseRow:
    credit_code: str
    name: str
    district: str | None
    cluster: str | None
    founded: date | None
    tiers: tuple[str, ...]


@dataclass
class EnterpriseIdentity(Enterprise):
    """The domain's enterprise record (everything but its yearly figures) as a profile shows
    it, with what the registry stores beside it: whether the credit code is a Fujian
    pilot-era code that predates GB 32100-2015's check character, and the patents held."""

    credit_code_pre_standard: bool = False
    patents: int = 0


@dataclass(frozen=True)
class LinkView:
    key: str
    name_zh: str
    name_en: str
    position: str
    members: list[tuple[str, str]]  # the first CHAIN_MEMBERS by name
    count: int = 0  # how many enterprises the link has in all


@dataclass(frozen=True)
class ChainView:
    key: str
    name_zh: str
    name_en: str
    cluster: str
    links: list[LinkView]


@dataclass(frozen=True)
class Profile:
    identity: EnterpriseIdentity
    certificates: list[Certificate]
    held: list[Certificate]
    chain: tuple[str, str, str, str, str, str] | None
    figures: list[EnterpriseYear] | None  # None: the viewer may not see them
    reference_day: date


@dataclass(frozen=True)
class InstitutionQuery:
    query: str = ""
    kinds: tuple[str, ...] = ()
    page: int = 1
    page_size: int = PAGE_SIZE
    sort: str = "kind"
    descending: bool = False
    # only those recognised by this day and not closed on it (as the dashboard counts them)
    active_on: date | None = None


@dataclass(frozen=True)
class InstitutionRow:
    id: str
    name: str
    kind: str
    level: str | None
    district: str | None
    cluster: str | None


# The dashboard's headline figures (tiles), in order; those marked True follow the district
# filter. Every one does: enterprises and their certificates by the enterprise's district,
# institutions by their own, patents by their holder's (enterprise or institution). A figure
# with no district breakdown would be marked False and its tile says it is city-wide.
HEADLINES = (
    ("enterprises", True),
    ("hnte", True),
    ("tech_sme", True),
    ("srdi_sme", True),
    ("little_giant", True),
    ("institutions", True),
    ("valid_invention", True),
    ("high_value_invention", True),
)
# The indicator of the catalogue whose plan targets stand beside a headline figure.
HEADLINE_INDICATORS = {"hnte": "hnte_count", "little_giant": "little_giants"}


def year_on_year(now: int, before: int | None) -> float | None:
    """The change from the year before in percent; None without a previous year (or from 0)."""
    if before is None or before == 0:
        return None
    return (now - before) / before * 100.0


def headline_targets(targets: Sequence[PlanTarget], year: int) -> dict[str, PlanTarget]:
    """For each headline figure with an indicator, its plan target: the first one due in or
    after `year`, else the last one set."""
    found: dict[str, PlanTarget] = {}
    for key, indicator in HEADLINE_INDICATORS.items():
        mine = sorted((t for t in targets if t.indicator == indicator), key=lambda t: t.year)
        ahead = [t for t in mine if t.year >= year]
        if ahead:
            found[key] = ahead[0]
        elif mine:
            found[key] = mine[-1]
    return found


@dataclass(frozen=True)
class Dashboard:
    year: int | None
    summary: RegistrySummary | None
    # the district the figures were narrowed to (None: the whole city)
    district: str | None = None
    # headline figure -> value at the end of `year`, and its change from the year before (%)
    figures: dict[str, int] = field(default_factory=dict)
    changes: dict[str, float | None] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    certificates_per_tier: dict[str, list[int]] = field(default_factory=dict)
    enterprises_per_cluster: dict[str, int] = field(default_factory=dict)
    # HNTE holders per district at the end of `year` (the dashboard's map).
    hnte_per_district: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Asker:
    """Who asks, from where and when: what the audit trail of a confidential read needs.
    (The market's rules look at a `domain.market.Viewer`, derived from the same principal.)"""

    principal: Principal
    address: str
    now: datetime


class RegistryViews:
    """Read use cases for the registry's pages and API, with the object-level checks."""

    def __init__(self, reader: RegistryReader, audit: AuditTrail) -> None:
        self.reader = reader
        self.audit = audit
        # Both scan the whole registry; kept for a minute, cleared when the data changes.
        self._dashboard: Memo[tuple[int | None, str | None], Dashboard] = Memo(
            64, DASHBOARD_TTL_SECONDS
        )
        self._span: Memo[str, tuple[int, int] | None] = Memo(1, DASHBOARD_TTL_SECONDS)

    def data_changed(self) -> None:
        """The registry's data changed (an import): the next dashboard is computed afresh."""
        self._dashboard.clear()
        self._span.clear()

    def _data_years(self) -> tuple[int, int] | None:
        # Asked on every directory and profile request; a scan of the whole panel, so it is
        # kept for as long as the dashboard is.
        return self._span.get("span", self.reader.data_years)

    def reference_day(self, today: date) -> date:
        """Certificates are shown as held on this day: today, or the end of the last year of
        data when the data stops earlier (the demo city ends in 2025)."""
        span = self._data_years()
        if span is None:
            return today
        return min(today, year_end(span[1]))

    def directory(self, q: DirectoryQuery, today: date) -> Page[EnterpriseRow]:
        q = q.checked()
        day = self.reference_day(today)
        rows, total = self.reader.search_enterprises(
            q, day, (q.page - 1) * q.page_size, q.page_size
        )
        last = max(1, -(-total // q.page_size))
        if q.page > last:  # a jump past the end shows the last page
            q = replace(q, page=last)
            rows, total = self.reader.search_enterprises(
                q, day, (q.page - 1) * q.page_size, q.page_size
            )
        return Page(rows, total, q.page, q.page_size)

    def export_directory(self, q: DirectoryQuery, viewer: Asker) -> list[EnterpriseRow]:
        """Every row the directory search finds (public identity only), logged as an export."""
        q = q.checked()
        day = self.reference_day(viewer.now.date())
        rows, _ = self.reader.search_enterprises(q, day, 0, EXPORT_LIMIT)
        self.log_export(
            viewer, f"enterprise directory {q.query}|{q.cluster}|{q.district}|{q.tier}", len(rows)
        )
        return rows

    def identity(self, credit_code: str) -> EnterpriseIdentity:
        found = self.reader.enterprise(credit_code)
        if found is None:
            raise NotFound(f"no enterprise {credit_code}")
        return found

    def profile(self, credit_code: str, viewer: Asker, *, with_figures: bool = True) -> Profile:
        """The public record, with the yearly figures only for a viewer allowed to see them
        (and that read is logged)."""
        identity = self.identity(credit_code)
        certificates = self.reader.certificates_of(credit_code)
        day = self.reference_day(viewer.now.date())
        figures = None
        if with_figures and may_read_figures(viewer.principal, credit_code):
            figures = self.reader.years_of(credit_code)
            self._log_read(viewer, credit_code, "all years (profile)")
        chain = self.reader.link_of(identity.chain_link) if identity.chain_link else None
        held = [c for c in certificates if c.valid_on(day)]
        return Profile(identity, certificates, held, chain, figures, day)

    def link_of(self, link_key: str) -> tuple[str, str, str, str, str, str] | None:
        """(chain key, chain zh, chain en, link zh, link en, position) of a chain link."""
        return self.reader.link_of(link_key)

    def figures(self, credit_code: str, viewer: Asker) -> list[EnterpriseYear]:
        """All years of an enterprise's figures. A viewer who may not see them gets the same
        NotFound as for an enterprise that does not exist."""
        self._allow_figures(credit_code, viewer)
        if self.reader.enterprise(credit_code) is None:
            raise NotFound(f"no figures for enterprise {credit_code}")
        years = self.reader.years_of(credit_code)
        self._log_read(viewer, credit_code, "all years")
        return years

    def year(self, credit_code: str, year: int, viewer: Asker) -> EnterpriseYear:
        self._allow_figures(credit_code, viewer, f"year {year}")
        found = self.reader.year_of(credit_code, year)
        if found is None:
            raise NotFound(f"no figures for enterprise {credit_code} in {year}")
        self._log_read(viewer, credit_code, f"year {year}")
        return found

    def _allow_figures(self, credit_code: str, viewer: Asker, what: str = "all years") -> None:
        # The policy is checked before the database is asked anything, so a foreign enterprise
        # and a missing one take the same path and give the same answer.
        if may_read_figures(viewer.principal, credit_code):
            return
        self.audit.record(
            viewer.now,
            Action.ACCESS_REFUSED,
            Result.REFUSED,
            username=viewer.principal.username,
            address=viewer.address,
            object=f"enterprise:{credit_code}"[:200],
            detail=details(what="figures", **figures_scope(what)),
        )
        if what.startswith("year "):
            raise NotFound(f"no figures for enterprise {credit_code} in {what[5:]}")
        raise NotFound(f"no figures for enterprise {credit_code}")

    def _log_read(self, viewer: Asker, credit_code: str, what: str) -> None:
        self.audit.record(
            viewer.now,
            Action.READ_FIGURES,
            Result.SUCCESS,
            username=viewer.principal.username,
            address=viewer.address,
            object=f"enterprise:{credit_code}",
            detail=details(**figures_scope(what)),
        )

    def log_export(self, viewer: Asker, what: str, rows: int) -> None:
        self.audit.record(
            viewer.now,
            Action.EXPORT,
            Result.SUCCESS,
            username=viewer.principal.username,
            address=viewer.address,
            object=what[:200],
            detail=details(rows=rows),
        )

    def clusters(self) -> list[tuple[str, str, str]]:
        return self.reader.clusters()

    def districts(self) -> list[str]:
        return self.reader.districts()

    def chain(self, chain_key: str) -> ChainView:
        found = self.reader.chain(chain_key)
        if found is None:
            raise NotFound(f"no industry chain {chain_key}")
        return found

    def institutions(self, q: InstitutionQuery) -> Page[InstitutionRow]:
        if q.page < 1:
            raise InvalidInput("page must be 1 or more")
        if not 1 <= q.page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        known = {k.value for k in InstitutionKind}
        for kind in q.kinds:
            if kind not in known:
                raise InvalidInput(f"unknown institution kind {kind!r}")
        if q.sort not in INSTITUTION_SORTS:
            raise InvalidInput(f"the institutions cannot be sorted by {q.sort!r}")
        rows, total = self.reader.search_institutions(q, (q.page - 1) * q.page_size, q.page_size)
        last = max(1, -(-total // q.page_size))
        if q.page > last:  # a jump past the end shows the last page
            q = replace(q, page=last)
            rows, total = self.reader.search_institutions(
                q, (q.page - 1) * q.page_size, q.page_size
            )
        return Page(rows, total, q.page, q.page_size)

    def institution(self, institution_id: str) -> tuple[Institution, int]:
        found = self.reader.institution(institution_id)
        if found is None:
            raise NotFound(f"no institution {institution_id}")
        return found

    def dashboard(self, year: int | None = None, district: str | None = None) -> Dashboard:
        """Counts at the end of `year` (the last year of data when None), narrowed to
        `district` where the data allows, each with its change from the year before, and the
        series behind the charts; only aggregates, so the public may see it. Kept for a minute
        per (year, district): it scans every certificate. An unknown year or district is
        not found (NotFound)."""
        span = self._data_years()
        if year is not None and (span is None or not span[0] <= year <= span[1]):
            raise NotFound(f"no registry data for the year {year}")
        if district is not None and district not in self.reader.districts():
            raise NotFound(f"no district {district!r}")
        return self._dashboard.get((year, district), lambda: self._build_dashboard(year, district))

    @staticmethod
    def _headlines(summary: RegistrySummary) -> dict[str, int]:
        return {
            "enterprises": summary.enterprises,
            **summary.certificates,
            "institutions": sum(summary.institutions.values()),
            "valid_invention": summary.patents.get("valid_invention", 0),
            "high_value_invention": summary.patents.get("high_value_invention", 0),
        }

    def _build_dashboard(self, year: int | None, district: str | None) -> Dashboard:
        span = self._data_years()
        if span is None:
            return Dashboard(year=None, summary=None)
        shown = span[1] if year is None else year
        years = list(range(span[0], span[1] + 1))
        per_year = self.reader.certificates_per_tier(years, district)
        series = {tier.value: [per_year[y].get(tier.value, 0) for y in years] for tier in Tier}
        # the summary (and the API's totals) narrowed to the district like the tiles
        counts = self.reader.counts(district)
        summary = summarise(counts, shown)
        figures = self._headlines(summary)
        before = self._headlines(summarise(counts, shown - 1)) if shown - 1 in per_year else {}
        changes = {key: year_on_year(n, before.get(key)) for key, n in figures.items()}
        return Dashboard(
            year=shown,
            summary=summary,
            district=district,
            figures=figures,
            changes=changes,
            years=years,
            certificates_per_tier=series,
            enterprises_per_cluster=self.reader.enterprises_per_cluster(district),
            hnte_per_district=self.reader.holders_per_district(Tier.HNTE.value, shown),
        )
