"""Write enterprise profiles into the registry tables (for the cultivation tests)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import Connection, insert

from fourchain.adapters.db.tables import certificates, enterprise_years, enterprises
from fourchain.domain.cultivation import EnterpriseProfile


def fill(connection: Connection, profiles: list[EnterpriseProfile]) -> None:
    connection.execute(insert(enterprises), [asdict(p.enterprise) for p in profiles])
    years = [asdict(row) for p in profiles for row in p.years.values()]
    if years:
        connection.execute(insert(enterprise_years), years)
    held = [{**asdict(c), "tier": c.tier.value} for p in profiles for c in p.certificates]
    if held:
        connection.execute(insert(certificates), held)
