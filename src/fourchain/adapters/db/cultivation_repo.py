"""Cultivation reads in SQL: a registry year as columns for the batch evaluator, one
enterprise's profile, certificates about to lapse, and a ladder's history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, func, or_, select

from fourchain.adapters.analytics.cultivation_batch import VERDICTS, assess_panel
from fourchain.adapters.analytics.cultivation_explain import explain
from fourchain.adapters.analytics.cultivation_panel import (
    ATTRIBUTES,
    YEAR_FIELDS,
    Panel,
    code_attribute,
)
from fourchain.adapters.db.tables import certificates, enterprise_years, enterprises
from fourchain.domain.cultivation import EnterpriseProfile, RuleSet
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier, year_end
from fourchain.errors import NotFound
from fourchain.services.cultivation import EnterpriseInfo, TierTable

DEPTH = 5  # the rules look back at most five years (standards led in the last 5 years)
_ENTERPRISE_FIELDS = tuple(Enterprise.__dataclass_fields__)


def _certificate(row: Any) -> Certificate:
    return Certificate(
        row.credit_code,
        Tier(row.tier),
        row.issued,
        row.expires,
        row.number,
        row.issuer,
        row.revoked,
    )


class SqlCultivationStore:
    """The cultivation area's reads, on one connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def enterprise_info(self) -> dict[str, EnterpriseInfo]:
        e = enterprises.c
        rows = self.connection.execute(
            select(e.credit_code, e.name, e.cluster, e.district, e.zone)
        ).all()
        return {
            r.credit_code: EnterpriseInfo(r.credit_code, r.name, r.cluster, r.district, r.zone)
            for r in rows
        }

    def panel(self, year: int) -> Panel:
        """Every enterprise founded by the end of `year`, with the last DEPTH years."""
        e = enterprises.c
        rows = self.connection.execute(
            select(e.credit_code, e.founded, *(e[name] for name in ATTRIBUTES))
            .where(or_(e.founded.is_(None), e.founded <= year_end(year)))
            .order_by(e.credit_code)
        ).all()
        codes = [r.credit_code for r in rows]
        index = {code: i for i, code in enumerate(codes)}
        n = len(codes)
        panel = Panel(
            year=year,
            credit_codes=codes,
            founded_year=np.array([np.nan if r.founded is None else r.founded.year for r in rows]),
            attributes={
                name: code_attribute(name, [r._mapping[name] for r in rows]) for name in ATTRIBUTES
            },
            held={tier.value: np.zeros(n) for tier in Tier},
        )
        y = enterprise_years.c
        year_rows = self.connection.execute(
            select(y.credit_code, y.year, *(y[name] for name in YEAR_FIELDS)).where(
                y.year > year - DEPTH, y.year <= year
            )
        ).all()
        kept = [tuple(r) for r in year_rows if r.credit_code in index]
        if kept:
            by_column = list(zip(*kept, strict=True))  # transposed once: one array per field
            positions = np.array([index[code] for code in by_column[0]])
            years = np.array(by_column[1])
            for offset, name in enumerate(YEAR_FIELDS, start=2):
                values = np.array(by_column[offset], dtype=np.float64)
                for panel_year in range(year - DEPTH + 1, year + 1):
                    mask = years == panel_year
                    column = np.full(n, np.nan)
                    column[positions[mask]] = values[mask]
                    panel.columns[(name, panel_year)] = column
        for code, tier in self._held(year_end(year)):
            if code in index:
                panel.held[tier][index[code]] = 1.0
        return panel

    def holders(self, tier: Tier, day: date) -> set[str]:
        return {code for code, held in self._held(day) if held == tier.value}

    def _held(self, day: date) -> list[tuple[str, str]]:
        c = certificates.c
        query = select(c.credit_code, c.tier).where(
            c.issued <= day, c.expires >= day, or_(c.revoked.is_(None), c.revoked > day)
        )
        return [(r.credit_code, r.tier) for r in self.connection.execute(query)]

    def assess(self, year: int, rule_sets: Sequence[RuleSet], tolerance: float) -> list[TierTable]:
        panel = self.panel(year)
        results = assess_panel(panel, list(rule_sets), tolerance=tolerance)
        return [
            TierTable(
                rule_set=result.rule_set,
                credit_codes=panel.credit_codes,
                verdicts=[VERDICTS[v].value for v in result.verdict.tolist()],
                gaps=result.gap_total.tolist(),
                explain=lambda row, result=result: explain(result, row),  # type: ignore[misc]
            )
            for result in results
        ]

    def profile(self, credit_code: str) -> EnterpriseProfile:
        row = self.connection.execute(
            select(enterprises).where(enterprises.c.credit_code == credit_code)
        ).first()
        if row is None:
            raise NotFound(f"no enterprise {credit_code}")
        enterprise = Enterprise(**{k: row._mapping[k] for k in _ENTERPRISE_FIELDS})
        y = enterprise_years.c
        years = {
            r.year: EnterpriseYear(
                **{k: r._mapping[k] for k in EnterpriseYear.__dataclass_fields__}
            )
            for r in self.connection.execute(
                select(enterprise_years).where(y.credit_code == credit_code)
            )
        }
        return EnterpriseProfile(enterprise, years, self.certificates_of(credit_code))

    def certificates_of(self, credit_code: str) -> list[Certificate]:
        c = certificates.c
        rows = self.connection.execute(
            select(certificates).where(c.credit_code == credit_code).order_by(c.issued, c.tier)
        )
        return [_certificate(r) for r in rows]

    def certificates_expiring(self, start: date, end: date) -> list[Certificate]:
        """Certificates valid on `start` whose validity ends by `end`."""
        c = certificates.c
        rows = self.connection.execute(
            select(certificates)
            .where(
                and_(c.issued <= start, c.expires >= start, c.expires <= end),
                or_(c.revoked.is_(None), c.revoked > start),
            )
            .order_by(c.expires, c.credit_code)
        )
        return [_certificate(r) for r in rows]

    def latest_year(self) -> int | None:
        found = self.connection.scalar(select(func.max(enterprise_years.c.year)))
        return None if found is None else int(found)
