"""Audit you can prove, on both backends: a username or path never makes an audit write fail,
the chain is keyed, an anchor outside the database catches truncation and re-sealing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select, text, update

from fourchain.adapters.db.tables_accounts import audit_log
from fourchain.bootstrap import Database, Services
from fourchain.config import DEFAULT_AUDIT_KEY, DEFAULT_SECRET, Settings
from fourchain.domain.accounts import Role
from fourchain.domain.audit import AuditEntry, AuditEvent, seal
from fourchain.entrypoints.cli.main import run
from fourchain.errors import ConfigError
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import FAST_HASHER, form_token
from tests.integration.web.fixtures import PASSWORD


def _log(database: Database) -> list[AuditEntry]:
    from fourchain.adapters.db.accounts_repo import SqlAuditLog

    return list(SqlAuditLog(database.engine).in_order())


@pytest.mark.parametrize("username", ["token=abc", "password=hunter2", "secret:x"])
def test_an_account_named_like_a_secret_is_created_with_its_audit_entry_from_the_cli(
    database: Database, username: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["users", "create", "--db", database.url, "--username", username,
                "--password", "a-long-password", "--role", "bureau_analyst"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    created = [e.event for e in _log(database) if e.event.action == "account_created"]
    assert len(created) == 1
    assert created[0].object.endswith("[redacted]")
    assert username.split("=")[-1].split(":")[-1] not in created[0].object


def test_an_account_named_like_a_secret_is_created_with_its_audit_entry_from_the_web(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    admin = browser_client("admin")
    admin.get("/admin/users")
    response = admin.post(
        "/admin/users",
        data={
            "username": "token=abc",
            "password": "a-long-password",
            "role": "bureau_analyst",
            "csrf_token": form_token(admin),
        },
        follow_redirects=False,
    )
    assert response.status_code in (200, 303)
    services: Services = app.state.services
    assert services.auth.accounts.store.by_username("token=abc") is not None
    objects = [e.event.object for e in services.auth.audit.store.in_order()]
    assert "user:token=[redacted]" in objects


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/finance/funds/token=abc", "GET /finance/funds/token=[redacted]"),
        ("/finance/funds/password:x", "GET /finance/funds/password:[redacted]"),
    ],
)
def test_a_refusal_on_a_path_carrying_a_telltale_word_is_refused_and_audited(
    app: FastAPI, browser_client: Callable[[str], TestClient], path: str, logged: str
) -> None:
    response = browser_client("ent").get(path)
    assert response.status_code == 403
    services: Services = app.state.services
    entries = services.auth.audit.store.in_order()
    assert [e.event.object for e in entries if e.event.action == "access_refused"] == [logged]


def _drop_guards(database: Database) -> None:
    """An attacker with the database: around the append-only triggers."""
    with database.engine.begin() as connection:
        if database.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))


def _fill(database: Database, n: int) -> None:
    from fourchain.domain.audit import Action, Result

    trail = Services(database, Settings()).auth.audit
    for i in range(n):
        trail.record(datetime.now(UTC), Action.LOGIN, Result.SUCCESS, username=f"u{i}")


def _anchor(database: Database, tmp_path: Path) -> Path:
    out = tmp_path / "anchors" / "head.json"
    assert run(["audit", "anchor", "--db", database.url, "--out", str(out)]) == 0
    return out


def test_verify_against_an_anchor_catches_the_last_fifty_entries_cut_off(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(database, 80)
    head = _anchor(database, tmp_path)
    assert run(["audit", "verify", "--db", database.url, "--anchor", str(head)]) == 0
    assert "intact: 80 entries verified, anchor entry 80" in capsys.readouterr().out
    _drop_guards(database)
    with database.engine.begin() as connection:
        connection.execute(delete(audit_log).where(audit_log.c.seq > 30))
    assert run(["audit", "verify", "--db", database.url]) == 0  # the chain alone cannot tell
    assert run(["audit", "verify", "--db", database.url, "--anchor", str(head)]) == 1
    assert "ends at entry 30 but the anchor holds entry 80 (truncated)" in capsys.readouterr().err


@pytest.mark.parametrize("attacker_key", [None, b"a-key-of-their-own"])
def test_a_chain_re_sealed_after_an_edit_is_caught(
    database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    attacker_key: bytes | None,
) -> None:
    _fill(database, 6)
    head = _anchor(database, tmp_path)
    _drop_guards(database)
    entries = _log(database)
    events = [e.event for e in entries]
    events[2] = AuditEvent(**{**events[2].__dict__, "username": "someone-else"})
    resealed: list[AuditEntry] = []
    for event in events:
        resealed.append(seal(resealed[-1] if resealed else None, event, attacker_key))
    with database.engine.begin() as connection:
        for entry in resealed:
            connection.execute(
                update(audit_log)
                .where(audit_log.c.seq == entry.seq)
                .values(
                    username=entry.event.username,
                    prev_hash=entry.prev_hash,
                    hash=entry.hash,
                    mac=entry.mac,
                )  # fmt: skip
            )
    code = run(["audit", "verify", "--db", database.url, "--anchor", str(head)])
    assert code == 1
    err = capsys.readouterr().err
    assert "BROKEN" in err and ("MAC does not match" in err or "anchor" in err)


def test_a_forged_anchor_is_refused(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fill(database, 3)
    head = _anchor(database, tmp_path)
    head.write_text(head.read_text().replace('"seq": 3', '"seq": 2'))
    assert run(["audit", "verify", "--db", database.url, "--anchor", str(head)]) == 1
    assert "signature does not match" in capsys.readouterr().err


def test_entries_are_keyed_and_the_key_is_not_in_the_database(database: Database) -> None:
    _fill(database, 2)
    key = Settings().fourchain_audit_key
    with database.engine.connect() as connection:
        macs = connection.execute(select(audit_log.c.mac)).scalars().all()
        dump = " ".join(str(row) for row in connection.execute(select(audit_log)).all())
    assert len(macs) == 2 and all(mac and len(mac) == 64 for mac in macs)
    assert key not in dump


@pytest.mark.parametrize(
    ("secret", "audit_key", "message"),
    [
        (DEFAULT_SECRET, "a-real-audit-key", "FOURCHAIN_SECRET_KEY"),
        ("a-real-secret", DEFAULT_AUDIT_KEY, "FOURCHAIN_AUDIT_KEY is the development default"),
        ("same-for-both", "same-for-both", "must differ"),
    ],
)
def test_settings_refuse_development_keys_outside_development(
    secret: str, audit_key: str, message: str
) -> None:
    for env in ("test", "production"):
        settings = Settings(
            fourchain_env=env, fourchain_secret_key=secret, fourchain_audit_key=audit_key
        )
        with pytest.raises(ConfigError, match=message):
            settings.check()
    Settings(
        fourchain_env="development", fourchain_secret_key=secret, fourchain_audit_key=audit_key
    ).check()


def test_a_created_account_survives_a_telltale_username_on_the_service(
    app: FastAPI,
) -> None:
    services: Services = app.state.services
    services.auth.accounts.hasher = FAST_HASHER
    services.auth.accounts.create("cookie=1", PASSWORD, Role.BUREAU_ANALYST, datetime.now(UTC))
    assert services.auth.audit.verify().ok


def test_anchor_without_out_writes_a_new_file_in_the_data_folder(
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FOURCHAIN_DATA_DIR", str(tmp_path / "var"))
    _fill(database, 2)
    assert run(["audit", "anchor", "--db", database.url]) == 0
    written = list((tmp_path / "var" / "audit-anchors").glob("head-000000002-*.json"))
    assert len(written) == 1
    capsys.readouterr()
    assert run(["audit", "verify", "--db", database.url, "--anchor", str(written[0])]) == 0
