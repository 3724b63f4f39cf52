"""CLI commands of the web area: `serve`, `users create`, `audit verify`, `audit anchor`."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from sqlalchemy.engine import make_url

from fourchain.bootstrap import database_url, open_services
from fourchain.config import get_settings
from fourchain.domain.accounts import ROLE_LABELS, parse_role
from fourchain.domain.audit import Anchor
from fourchain.entrypoints.cli.options import DbOption
from fourchain.errors import NotFound
from fourchain.services.accounts import Caller, DemoAccount, ensure_demo_accounts

WORKER_HEALTHCHECK_SECONDS = 60
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


def serve(
    url: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Serve the platform over the database at `url` until interrupted: in this process, or
    in `workers` processes under uvicorn's supervisor (which restarts a worker that dies)."""
    from fourchain.bootstrap.serving import check_workers, web_database

    settings = get_settings()
    check_workers(url, workers)
    proxy: dict[str, Any] = {"proxy_headers": False}
    if forwarded_allow_ips is not None:
        proxy = {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips}
    typer.echo(
        f"fourchain: serving {make_url(url).render_as_string(hide_password=True)} at "
        f"http://{host}:{port} with {workers} worker(s) (Ctrl+C stops)"
    )
    typer.echo("fourchain: report builds, embeddings and index syncs run in `fourchain worker`")
    if workers == 1:
        from fourchain.entrypoints.web.app import create_app

        database = web_database(url)
        try:
            uvicorn.run(
                create_app(database, settings, serving=True),
                host=host,
                port=port,
                log_level="warning",
                **proxy,
            )
        finally:
            database.dispose()
        return
    web_database(url).dispose()  # migrate once, before the workers start
    # The workers are new processes: they read the database and their count from the
    # environment through Settings, like every other setting.
    os.environ["DATABASE_URL"] = make_url(url).render_as_string(hide_password=False)
    os.environ["FOURCHAIN_WEB_WORKERS"] = str(workers)
    uvicorn.run(
        "fourchain.entrypoints.web.asgi:app_from_settings",
        factory=True,
        workers=workers,
        # The supervisor pings each worker and kills one that has not answered in time; a
        # worker still importing its app on a busy machine took longer than uvicorn's 5 s.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        host=host,
        port=port,
        log_level="warning",
        **proxy,
    )


def serve_command(
    db: DbOption = None,
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes (above 1 needs PostgreSQL); uvicorn restarts any that dies.",
        ),
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Trust X-Forwarded-For/-Proto from these addresses (the reverse proxy's, "
            "e.g. 127.0.0.1). Unset: proxy headers are ignored.",
        ),
    ] = None,
) -> None:
    """Serve the web platform over a database."""
    serve(database_url(db), host, port, workers, forwarded_allow_ips)


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


AnchorFile = Annotated[
    Path | None,
    typer.Option(
        "--anchor",
        help="An anchor written by `audit anchor`: the log must still hold its entry, "
        "unchanged (catches truncation and a re-sealed chain).",
    ),
]


@audit_app.command("verify")
def audit_verify(db: DbOption = None, anchor: AnchorFile = None) -> None:
    """Check the audit log's keyed hash chain from the first entry to the last."""
    held = _read_anchor(anchor) if anchor is not None else None
    with open_services(db) as services:
        result = services.auth.audit.verify(held)
    if result.ok:
        against = f", anchor entry {held.seq} of {held.at} matches" if held else ""
        before = f" ({result.unkeyed} from before the log was keyed)" if result.unkeyed else ""
        typer.echo(f"audit log intact: {result.entries} entries verified{before}{against}")
        return
    where = f"at entry {result.first_bad}" if result.first_bad is not None else "against the anchor"
    typer.echo(
        f"audit log BROKEN {where}: {result.reason} ({result.entries} entries read)", err=True
    )
    raise typer.Exit(1)


@audit_app.command("anchor")
def audit_anchor(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write the signed head (JSON). Default: a new file in "
            "FOURCHAIN_DATA_DIR/audit-anchors/. Copy it off the database's machine, e.g. to "
            "write-once storage.",
        ),
    ] = None,
) -> None:
    """Write the log's head (sequence, hash, time), signed with the audit key, to a file."""
    with open_services(db) as services:
        signed = services.auth.audit.anchor(datetime.now(UTC))
        data_dir = services.settings.fourchain_data_dir
    if out is None:
        stamp = signed.at.replace(":", "").replace("-", "").split(".")[0]
        out = data_dir / "audit-anchors" / f"head-{signed.seq:09d}-{stamp}.json"
    _write_atomically(out, signed.to_json())
    typer.echo(f"{out}: anchored entry {signed.seq} ({signed.digest[:16]}…) at {signed.at}")


def _read_anchor(path: Path) -> Anchor:
    if not path.is_file():
        raise NotFound(f"{path}: no such anchor file")
    return Anchor.from_json(path.read_text(encoding="utf-8"), str(path))


def _write_atomically(path: Path, text: str) -> None:
    """A half-written anchor would verify nothing: write beside it, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.command("serve")(serve_command)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
