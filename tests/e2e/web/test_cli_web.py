"""The web area's commands end to end: `users create`, `serve`, and the demo accounts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from fourchain.bootstrap import Database, Services
from fourchain.domain.accounts import Role
from fourchain.entrypoints.cli.main import run
from fourchain.entrypoints.cli.web import demo_accounts
from tests.integration.web.conftest import FAST_HASHER, web_settings
from tests.integration.web.fixtures import OWN, OWN_INSTITUTION, seed_registry


@pytest.fixture
def db(sqlite_database: Database) -> Database:
    seed_registry(sqlite_database.engine)
    return sqlite_database


def _path(db: Database) -> str:
    return db.url.removeprefix("sqlite:///")


@pytest.mark.parametrize(
    ("extra", "role"),
    [
        (["--role", "bureau_admin"], Role.BUREAU_ADMIN),
        (["--role", "enterprise_user", "--enterprise", OWN], Role.ENTERPRISE_USER),
        (["--role", "institution_user", "--institution", OWN_INSTITUTION], Role.INSTITUTION_USER),
    ],
)
def test_users_create_makes_an_account_that_can_sign_in(
    db: Database, extra: list[str], role: Role, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["users", "create", "--db", _path(db), "--username", "wang",
                "--password", "a-long-password", *extra])  # fmt: skip
    assert code == 0
    assert "created wang" in capsys.readouterr().out
    services = Services(db, web_settings())
    principal = services.auth.accounts.authenticate(
        "wang", "a-long-password", datetime.now(UTC), "t"
    )
    assert principal.role is role
    stored = services.auth.accounts.store.by_username("wang")
    assert stored is not None and stored.password_hash.startswith("$argon2")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "root"], "unknown role 'root'"),
        (["--role", "enterprise_user"], "needs --enterprise"),
        (["--role", "enterprise_user", "--enterprise", "91350200MA0000009X"], "no enterprise"),
        (["--role", "expert_reviewer", "--institution", OWN_INSTITUTION], "cannot be bound"),
        (["--role", "expert_reviewer", "--password", "short"], "at least 8"),
    ],
)
def test_users_create_refuses_bad_input_in_one_line_with_exit_code_2(
    db: Database, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["users", "create", "--db", _path(db), "--username", "li", "--password", "long-enough"]
    assert run([*args, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_users_create_refuses_a_taken_username(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["users", "create", "--db", _path(db), "--role", "bureau_analyst", "--username", "zhao",
            "--password", "long-enough"]  # fmt: skip
    assert run(args) == 0
    assert run(args) == 2
    assert "the username 'zhao' is taken" in capsys.readouterr().err


def test_users_create_on_a_missing_database_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["users", "create", "--db", str(tmp_path / "nope.db"), "--role", "bureau_admin",
                "--username", "x", "--password", "long-enough"])  # fmt: skip
    assert code == 2
    assert "no database at" in capsys.readouterr().err


def test_demo_accounts_cover_every_role_bound_to_demo_objects_and_are_idempotent(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fourchain.services.accounts.PasswordHasher", lambda: FAST_HASHER)
    first = demo_accounts(db.url)
    second = demo_accounts(db.url)
    assert first == second
    assert {a.role for a in first} == set(Role)
    bound = {a.role: a.bound_to for a in first}
    assert bound[Role.ENTERPRISE_USER] in {OWN, "91350200MA00000020"}
    assert bound[Role.INSTITUTION_USER] == OWN_INSTITUTION
    services = Services(db, web_settings())
    for account in first:
        who = services.auth.accounts.authenticate(account.username, account.password,
                                             datetime.now(UTC), "t")  # fmt: skip
        assert who.role is account.role


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_on_the_given_port(db: Database) -> None:
    port = _free_port()
    fourchain = Path(sys.executable).with_name("fourchain")
    env = dict(os.environ, FOURCHAIN_ENV="development")
    server = subprocess.Popen(
        [str(fourchain), "serve", "--db", _path(db), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/enterprises", timeout=5)
                break
            except httpx.HTTPError:
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        assert page.status_code == 200
        assert "厦门星海微电子有限公司" in page.text
    finally:
        server.terminate()
        server.communicate(timeout=30)  # also closes the pipe
