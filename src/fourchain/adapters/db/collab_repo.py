"""Open collaboration's and the honours register's records, read for the pages."""

from __future__ import annotations

from sqlalchemy import Connection, select

from fourchain.adapters.countries import country_names
from fourchain.adapters.db.tables_collab import (
    honours,
    joint_projects,
    network_members,
    networks,
    partners,
)
from fourchain.domain.collaboration import Honour, JointProject, Membership, Network, Partner


class SqlCollaborationReader:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def partners(self) -> list[Partner]:
        c = partners.c
        rows = self.connection.execute(
            select(c.key, c.name_zh, c.name_en, c.country, c.kind).order_by(c.key)
        )
        return [Partner(*row) for row in rows]

    def networks(self) -> list[Network]:
        c = networks.c
        rows = self.connection.execute(
            select(c.key, c.name_zh, c.name_en, c.kind, c.host, c.founded).order_by(c.key)
        )
        return [
            Network(k, zh, en, kind, host or "", founded) for k, zh, en, kind, host, founded in rows
        ]

    def memberships(self) -> list[Membership]:
        c = network_members.c
        rows = self.connection.execute(
            select(c.network, c.partner, c.joined, c.left).order_by(c.id)
        )
        return [Membership(*row) for row in rows]

    def joint_projects(self) -> list[JointProject]:
        c = joint_projects.c
        rows = self.connection.execute(
            select(c.id, c.title, c.partner, c.started, c.network).order_by(c.id)
        )
        return [JointProject(*row) for row in rows]

    def honours(self) -> list[Honour]:
        c = honours.c
        rows = self.connection.execute(
            select(
                c.id, c.kind, c.category, c.title, c.holder, c.awarded, c.source, c.rank
            ).order_by(c.awarded.desc(), c.id)
        )
        return [Honour(*row) for row in rows]

    def country_names(self, code: str) -> tuple[str, str]:
        return country_names(code)
