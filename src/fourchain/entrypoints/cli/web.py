"""CLI commands of the web area: `serve`, `users create`, `audit verify`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
import uvicorn

from fourchain.bootstrap import database_url, open_database, open_services
from fourchain.config import get_settings
from fourchain.domain.accounts import ROLE_LABELS, parse_role
from fourchain.entrypoints.cli.options import DbOption
from fourchain.services.accounts import Caller, DemoAccount, ensure_demo_accounts

WEB_POOL_SIZE = 32
users_app = typer.Typer(help="Accounts of the web platform.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


def demo_accounts(url: str) -> list[DemoAccount]:
    """Make sure the database at `url` has one account per role, bound to demo objects, and
    return their credentials (for `fourchain demo` to print)."""
    with open_services(url, create=True) as services:
        enterprise, institution = services.registry.views.reader.demo_bindings()
        return ensure_demo_accounts(
            services.auth.accounts, datetime.now(UTC), enterprise, institution
        )


def print_demo_accounts(made: list[DemoAccount]) -> None:
    typer.echo("演示账号 Demo accounts:")
    for account in made:
        zh, en = ROLE_LABELS[account.role]
        bound = f"  [{account.bound_to}]" if account.bound_to else ""
        typer.echo(f"  {account.username:<12} {account.password:<24} {zh} {en}{bound}")


def serve(url: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the platform over the database at `url` until interrupted."""
    from fourchain.entrypoints.web.app import create_app

    settings = get_settings()
    # Requests run in a thread pool of 40: a pool as wide keeps connections (and SQLite's
    # per-connection pragmas) from being opened and closed on every busy request.
    database = open_database(url, pool_size=WEB_POOL_SIZE, max_overflow=8)
    app = create_app(database, settings)
    typer.echo(f"fourchain: serving {url} at http://{host}:{port} (Ctrl+C stops)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        database.dispose()


def serve_command(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Serve the web platform over a database."""
    serve(database_url(db), host, port)


@users_app.command("create")
def users_create(
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="bureau_admin, bureau_analyst, "
            "enterprise_user, institution_user or expert_reviewer",
        ),
    ],
    username: Annotated[str, typer.Option("--username")],
    password: Annotated[str, typer.Option("--password", help="At least 8 characters.")],
    db: DbOption = None,
    enterprise: Annotated[
        str | None, typer.Option("--enterprise", help="CREDIT_CODE, for an enterprise user.")
    ] = None,
    institution: Annotated[
        str | None, typer.Option("--institution", help="Institution ID, for an institution user.")
    ] = None,
) -> None:
    """Create an account (the password is stored as an argon2 hash)."""
    with open_services(db) as services:
        services.auth.accounts.create(
            username,
            password,
            parse_role(role),
            datetime.now(UTC),
            enterprise=enterprise,
            institution=institution,
            caller=Caller(username="cli"),
        )
    typer.echo(f"created {username} ({role})")


@audit_app.command("verify")
def audit_verify(db: DbOption = None) -> None:
    """Check the audit log's hash chain from the first entry to the last."""
    with open_services(db) as services:
        result = services.auth.audit.verify()
    if result.ok:
        typer.echo(f"audit log intact: {result.entries} entries verified")
        return
    typer.echo(
        f"audit log BROKEN at entry {result.first_bad}: {result.reason} "
        f"({result.entries} entries read)",
        err=True,
    )
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
