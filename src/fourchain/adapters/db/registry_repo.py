"""Registry reads in SQL: the counts behind the summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from fourchain.adapters.db.tables import certificates, enterprises, institutions, patents
from fourchain.domain.registry import maintained_ten_years_cutoff


class SqlRegistryCounts:
    """The counts of the whole city, or of one district: its enterprises, their certificates,
    its institutions, and the patents held by either."""

    def __init__(self, connection: Connection, district: str | None = None) -> None:
        self.connection = connection
        self.district = district

    def _in_district(self) -> ColumnElement[bool]:
        """Patents whose holder (enterprise or institution) is in the district."""
        e, i, p = enterprises.c, institutions.c, patents.c
        return or_(
            p.holder_credit_code.in_(select(e.credit_code).where(e.district == self.district)),
            p.holder_institution.in_(select(i.id).where(i.district == self.district)),
        )

    def enterprises_existing(self, day: date) -> int:
        query = select(func.count()).where(
            or_(enterprises.c.founded.is_(None), enterprises.c.founded <= day)
        )
        if self.district is not None:
            query = query.where(enterprises.c.district == self.district)
        return int(self.connection.scalar(query) or 0)

    def certificates_valid(self, day: date) -> dict[str, int]:
        c = certificates.c
        query = (
            select(c.tier, func.count(func.distinct(c.credit_code)))
            .where(c.issued <= day, c.expires >= day, or_(c.revoked.is_(None), c.revoked > day))
            .group_by(c.tier)
        )
        if self.district is not None:
            query = query.where(
                c.credit_code.in_(
                    select(enterprises.c.credit_code).where(enterprises.c.district == self.district)
                )
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
        if self.district is not None:
            query = query.where(c.district == self.district)
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
        query = select(
            func.count().filter(valid),
            func.count().filter(invention),
            func.count().filter(high_value),
        )
        if self.district is not None:
            query = query.where(self._in_district())
        row = self.connection.execute(query).one()
        return {
            "valid": int(row[0]),
            "valid_invention": int(row[1]),
            "high_value_invention": int(row[2]),
        }
