"""PostgreSQL that demands a password: a scratch cluster (scram-sha-256) started and stopped here.

The shared test server trusts local connections, so a URL whose password was masked or dropped
still connects there; only a server that checks the password shows the bug.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fourchain.adapters.db.engine import make_engine
from fourchain.bootstrap import open_database
from tests.conftest import IN_CI, with_database
from tests.db_templates import MigratedPostgres

PASSWORD = "s3cret-pa$$word"
pytestmark = pytest.mark.postgres


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(*argv: str) -> None:
    """Run a server tool; initdb refuses root, so as root it runs as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *argv], check=True, capture_output=True)


@pytest.fixture(scope="module")
def password_cluster() -> Iterator[str]:
    """A URL (user postgres, with its password) of a scratch cluster that refuses trust."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        if IN_CI:
            pytest.fail("initdb and pg_ctl are required in CI")
        pytest.skip("initdb/pg_ctl not installed: no scratch PostgreSQL cluster")
    folder = Path(tempfile.mkdtemp(prefix="fourchain-pg-"))
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _spare_port()
    _run(initdb, "-D", str(data), "-U", "postgres", "--auth=scram-sha-256", f"--pwfile={pwfile}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    _run(pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres:{PASSWORD.replace('$', '%24')}@127.0.0.1:{port}/postgres"
    finally:
        _run(pg_ctl, "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_the_scratch_cluster_refuses_a_wrong_password(password_cluster: str) -> None:
    wrong = password_cluster.replace(PASSWORD.replace("$", "%24"), "wrong")
    engine = create_engine(wrong.replace("postgresql://", "postgresql+psycopg://"))
    with pytest.raises(Exception, match="password authentication failed"):
        engine.connect()
    engine.dispose()


def test_an_engine_connects_and_migrates_with_a_password(password_cluster: str) -> None:
    engine = make_engine(password_cluster)
    with engine.connect() as connection:
        assert connection.scalar(text("select 1")) == 1
    engine.dispose()
    database = open_database(password_cluster)
    with database.engine.connect() as connection:
        assert connection.scalar(text("select count(*) from audit_log")) == 0
    database.dispose()


def test_the_test_fixtures_keep_the_password_when_they_name_a_database(
    password_cluster: str,
) -> None:
    admin = make_engine(password_cluster, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "fourchain_pw_check"'))
    try:
        engine = make_engine(with_database(password_cluster, "fourchain_pw_check"))
        with engine.connect() as connection:
            assert connection.scalar(text("select current_database()")) == "fourchain_pw_check"
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE "fourchain_pw_check" WITH (FORCE)'))
        admin.dispose()


def test_the_tests_migrated_database_is_emptied_over_a_password(password_cluster: str) -> None:
    admin = make_engine(password_cluster, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "fourchain_pw_migrated"'))
    try:
        migrated = MigratedPostgres(with_database(password_cluster, "fourchain_pw_migrated"))
        database = open_database(migrated.fresh(), upgrade=False)
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE data_version SET version = 7 WHERE id = 1"))
        database.dispose()
        database = open_database(migrated.fresh(), upgrade=False)
        assert database.version() == 0
        database.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE "fourchain_pw_migrated" WITH (FORCE)'))
        admin.dispose()
