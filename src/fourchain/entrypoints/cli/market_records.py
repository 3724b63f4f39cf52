"""CLI commands of the technology market's records and challenge calls."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
