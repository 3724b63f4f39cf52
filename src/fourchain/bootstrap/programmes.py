"""S&T programme projects' wiring: the bureau's programme desk over its units of work."""

from __future__ import annotations

from fourchain.adapters.db.programmes_repo import programme_units
from fourchain.bootstrap.database import Database
from fourchain.services.programmes import ProgrammeDesk


def build(database: Database) -> ProgrammeDesk:
    return ProgrammeDesk(programme_units(database.engine, database.audit_key))
