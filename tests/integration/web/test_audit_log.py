"""The audit log: what is recorded, that no secret reaches it, that it is append-only and
that the chain verifies (and a broken one is caught), in the UI and on the command line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from fourchain.adapters.db.tables_accounts import audit_log
from fourchain.bootstrap import Database, Services
from fourchain.domain.audit import detail_fields
from fourchain.entrypoints.cli.main import run
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import form_token, sign_in
from tests.integration.web.fixtures import OTHER, OWN, PASSWORD


def _entries(app: FastAPI) -> list[tuple[str, str, str, str, str]]:
    services: Services = app.state.services
    return [
        (e.event.action, e.event.result, e.event.username, e.event.object, e.event.detail)
        for e in services.auth.audit.store.in_order()
    ]


def test_sign_ins_lockouts_refusals_reads_and_exports_are_recorded(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    with TestClient(app) as client:
        for _ in range(5):
            sign_in(client, "inst", "wrong-password")
    ent = browser_client("ent")
    ent.get(f"/api/enterprises/{OWN}/years/2024")
    ent.get(f"/api/enterprises/{OTHER}/years/2024")
    ent.get("/admin/audit")
    ent.get("/enterprises/export.csv?cluster=biomedicine")
    entries = _entries(app)
    seen = {(action, result, user) for action, result, user, _, _ in entries}
    assert ("login", "failure", "inst") in seen
    assert ("lockout", "success", "inst") in seen
    assert ("login", "success", "ent") in seen
    assert ("read_figures", "success", "ent") in seen
    assert ("access_refused", "refused", "ent") in seen
    assert ("export", "success", "ent") in seen
    assert ("account_created", "success", "") in seen
    refused = [e for e in entries if e[0] == "access_refused"]
    assert {e[3] for e in refused} == {f"enterprise:{OTHER}", "GET /admin/audit"}
    read = next(e for e in entries if e[0] == "read_figures")
    assert read[3] == f"enterprise:{OWN}" and detail_fields(read[4]) == {"year": 2024}


def test_no_entry_ever_carries_a_password_or_a_token(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("admin")
    session = client.cookies.get("fc_session") or ""
    client.post(
        "/admin/users",
        data={
            "username": "newbie",
            "password": "s3cret-Passw0rd",
            "role": "expert_reviewer",
            "csrf_token": form_token(client),
        },
    )
    with TestClient(app) as api:
        token = api.post("/api/auth/token", data={"username": "ent", "password": PASSWORD}).json()[
            "access_token"
        ]
        sign_in(api, "ent", "my-typo-password")
    everything = repr(_entries(app))
    for secret in (PASSWORD, "s3cret-Passw0rd", "my-typo-password", token, session):
        assert secret not in everything


def test_the_audit_log_refuses_updates_deletes_and_truncation(database: Database) -> None:
    names = ("seq", "at", "username", "address", "action", "object", "result", "detail")
    values = (1, "2026-01-01T00:00:00.000000Z", "u", "a", "login", "o", "success", "")
    with database.engine.begin() as connection:
        connection.execute(
            audit_log.insert().values(
                **dict(zip(names, values, strict=True)), prev_hash="0" * 64, hash="f" * 64
            )
        )
    statements = [update(audit_log).values(result="failure"), audit_log.delete()]
    if database.engine.dialect.name == "postgresql":
        statements.append(text("TRUNCATE audit_log"))
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as c:
            c.execute(statement)
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_log")) == 1


def test_admins_browse_filter_and_verify_the_log_in_the_ui(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    browser_client("ent").get(f"/api/enterprises/{OTHER}/years")
    admin = browser_client("admin")
    page = admin.get("/admin/audit?action=access_refused")
    assert page.status_code == 200
    assert f"<td>企业 {OTHER}</td>" in page.text  # the object by its kind's name, not its key
    assert "<td>用户 ent</td>" not in page.text  # the filter keeps the sign-ins out
    verified = admin.get("/admin/audit?verify=1")
    assert "哈希链完整" in verified.text


def _break_the_chain(database: Database) -> None:
    """Tamper as an attacker with database access would: around the append-only guard."""
    with database.engine.begin() as connection:
        if database.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(update(audit_log).where(audit_log.c.seq == 2).values(result="failure"))


def test_the_verify_command_passes_an_intact_log_and_names_the_first_broken_entry(
    app: FastAPI, database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["audit", "verify", "--db", database.url]) == 0
    assert "intact: 5 entries" in capsys.readouterr().out  # the five accounts created
    _break_the_chain(database)
    assert run(["audit", "verify", "--db", database.url]) == 1
    assert "BROKEN at entry 2: content does not match its hash" in capsys.readouterr().err
