"""Wiring of open collaboration and the honours register: readers on one connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from fourchain.adapters.db.collab_repo import SqlCollaborationReader
from fourchain.bootstrap.database import Database
from fourchain.services.ports import CollaborationReader


@dataclass
class CollaborationArea:
    database: Database

    def reader(self) -> AbstractContextManager[CollaborationReader]:
        return _reader(self.database)


@contextmanager
def _reader(database: Database) -> Iterator[CollaborationReader]:
    with database.engine.connect() as connection:
        yield SqlCollaborationReader(connection)


def build(database: Database) -> CollaborationArea:
    return CollaborationArea(database)
