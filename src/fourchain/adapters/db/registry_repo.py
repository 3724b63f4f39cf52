"""Registry reads in SQL: the counts behind the summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, func, or_, select

from fourchain.adapters.db.tables import certificates, enterprises, institutions, patents
from fourchain.domain.registry import maintained_ten_years_cutoff


class SqlRegistryCounts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def enterprises_existing(self, day: date) -> int:
        query = select(func.count()).where(
            or_(enterprises.c.founded.is_(None), enterprises.c.founded <= day)
        )
        return int(self.connection.scalar(query) or 0)

    def certificates_valid(self, day: date) -> dict[str, int]:
        c = certificates.c
        query = (
            select(c.tier, func.count(func.distinct(c.credit_code)))
            .where(c.issued <= day, c.expires >= day, or_(c.revoked.is_(None), c.revoked > day))
            .group_by(c.tier)
        )
        return {tier: int(n) for tier, n in self.connection.execute(query)}

    def institutions_active(self, day: date) -> dict[str, int]:
        c = institutions.c
        query = (
            select(c.kind, func.count())
            .where(
                or_(c.recognised.is_(None), c.recognised <= day),
                or_(c.closed.is_(None), c.closed > day),
            )
            .group_by(c.kind)
        )
        return {kind: int(n) for kind, n in self.connection.execute(query)}

    def patents_valid(self, day: date) -> dict[str, int]:
        c = patents.c
        valid = and_(
            c.granted.is_not(None), c.granted <= day, or_(c.lapsed.is_(None), c.lapsed > day)
        )
        invention = and_(valid, c.kind == "invention")
        high_value = and_(
            invention,
            or_(
                c.hv_strategic_emerging,
                c.hv_overseas_family,
                c.hv_pledge_financing,
                c.hv_award,
                c.filed < maintained_ten_years_cutoff(day),
            ),
        )
        row = self.connection.execute(
            select(
                func.count().filter(valid),
                func.count().filter(invention),
                func.count().filter(high_value),
            )
        ).one()
        return {
            "valid": int(row[0]),
            "valid_invention": int(row[1]),
            "high_value_invention": int(row[2]),
        }
