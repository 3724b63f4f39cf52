"""Registry reads in SQL: the counts behind the summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Select, and_, func, or_, select

from fourchain.adapters.db.tables import certificates, enterprises, institutions, patents
from fourchain.domain.registry import maintained_ten_years_cutoff


def _enterprises_of(district: str) -> Select[tuple[str]]:
    return select(enterprises.c.credit_code).where(enterprises.c.district == district)


class SqlRegistryCounts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def enterprises_existing(self, day: date, district: str | None = None) -> int:
        query = select(func.count()).where(
            or_(enterprises.c.founded.is_(None), enterprises.c.founded <= day)
        )
        if district is not None:
            query = query.where(enterprises.c.district == district)
        return int(self.connection.scalar(query) or 0)

    def certificates_valid(self, day: date, district: str | None = None) -> dict[str, int]:
        c = certificates.c
        query = (
            select(c.tier, func.count(func.distinct(c.credit_code)))
            .where(c.issued <= day, c.expires >= day, or_(c.revoked.is_(None), c.revoked > day))
            .group_by(c.tier)
        )
        if district is not None:
            query = query.where(c.credit_code.in_(_enterprises_of(district)))
        return {tier: int(n) for tier, n in self.connection.execute(query)}

    def institutions_active(self, day: date, district: str | None = None) -> dict[str, int]:
        c = institutions.c
        query = (
            select(c.kind, func.count())
            .where(
                or_(c.recognised.is_(None), c.recognised <= day),
                or_(c.closed.is_(None), c.closed > day),
            )
            .group_by(c.kind)
        )
        if district is not None:
            query = query.where(c.district == district)
        return {kind: int(n) for kind, n in self.connection.execute(query)}

    def patents_valid(self, day: date, district: str | None = None) -> dict[str, int]:
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
        query = select(
            func.count().filter(valid),
            func.count().filter(invention),
            func.count().filter(high_value),
        )
        if district is not None:
            # held by an enterprise or an institution of the district
            query = query.where(
                or_(
                    c.holder_credit_code.in_(_enterprises_of(district)),
                    c.holder_institution.in_(
                        select(institutions.c.id).where(institutions.c.district == district)
                    ),
                )
            )
        row = self.connection.execute(query).one()
        return {
            "valid": int(row[0]),
            "valid_invention": int(row[1]),
            "high_value_invention": int(row[2]),
        }
