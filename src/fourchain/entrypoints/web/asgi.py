"""The ASGI application as a factory, for `fourchain serve --workers N` (each worker process
builds its own app, with its own connection pool) and for any ASGI server:
`uvicorn --factory fourchain.entrypoints.web.asgi:app_from_settings`."""

from __future__ import annotations

from fastapi import FastAPI

from fourchain.bootstrap.serving import web_database
from fourchain.config import get_settings
from fourchain.entrypoints.web.app import create_app


def app_from_settings() -> FastAPI:
    """The platform over the configured DATABASE_URL. The serving command has migrated it."""
    settings = get_settings()
    database = web_database(
        settings.resolved_database_url, settings.fourchain_web_workers, migrate=False
    )
    return create_app(database, settings, serving=True)
