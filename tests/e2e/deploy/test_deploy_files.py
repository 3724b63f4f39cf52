"""The files in deploy/ hold together: nginx accepts the site (`nginx -t`, where nginx is
installed; required in CI), and the systemd units start commands the CLI accepts."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer

from fourchain.entrypoints.cli.main import app, run

DEPLOY = Path(__file__).parents[3] / "deploy"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _tool_or_skip(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI (.ci/run installs it)")
    pytest.skip(f"{name} not installed (apt-get install nginx-light openssl); required in CI")


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / name, encoding="utf-8")
    return unit


def test_nginx_accepts_the_site_with_a_certificate_in_place(tmp_path: Path) -> None:
    nginx, openssl = _tool_or_skip("nginx"), _tool_or_skip("openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=fourchain.test", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx-fourchain.conf").read_text("utf-8")
    site = site.replace("/etc/ssl/fourchain", str(tmp_path)).replace(
        "/var/log/nginx", str(tmp_path)
    )
    (tmp_path / "site.conf").write_text(site, "utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include {tmp_path}/site.conf;\n}}\n",
        "utf-8",
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.mark.parametrize(
    "directive",
    [
        r"listen 443 ssl",
        r"return 301 https://\$host\$request_uri",
        r"ssl_protocols TLSv1\.2 TLSv1\.3",
        r"client_max_body_size \d+m",
        r"proxy_set_header Host \$host",
        r"proxy_set_header X-Forwarded-For \$remote_addr",
        r"proxy_set_header X-Forwarded-Proto \$scheme",
        r"location /static/ \{\s+alias /opt/fourchain/src/fourchain/entrypoints/web/static/",
    ],
)
def test_the_site_has_tls_a_body_cap_proxy_headers_and_static_files(directive: str) -> None:
    assert re.search(directive, (DEPLOY / "nginx-fourchain.conf").read_text("utf-8"))


def test_the_static_folder_nginx_serves_is_the_one_in_the_package() -> None:
    static = Path(__file__).parents[3] / "src/fourchain/entrypoints/web/static"
    assert (static / "app.css").exists()


def test_nginx_proxies_to_the_port_and_proxy_address_the_web_unit_serves() -> None:
    command = shlex.split(_unit("fourchain-web.service")["Service"]["ExecStart"])
    port = command[command.index("--port") + 1]
    assert f"server 127.0.0.1:{port};" in (DEPLOY / "nginx-fourchain.conf").read_text("utf-8")
    assert command[command.index("--forwarded-allow-ips") + 1] == "127.0.0.1"
    assert command[command.index("--host") + 1] == "127.0.0.1"


@pytest.mark.parametrize("unit", ["fourchain-web.service", "fourchain-worker.service"])
def test_each_unit_runs_a_command_the_cli_accepts_with_the_settings_file(
    unit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    service = _unit(unit)["Service"]
    assert service["EnvironmentFile"] == "/etc/fourchain/fourchain.env"
    assert service["User"] == "fourchain" and service["Restart"] == "on-failure"
    program, *arguments = shlex.split(service["ExecStart"])
    assert program == "/opt/fourchain/.venv/bin/fourchain"
    commands = {c.name for c in typer.main.get_command(app).commands.values()}  # type: ignore[attr-defined]
    if arguments[0] not in commands:
        pytest.skip(f"`fourchain {arguments[0]}` is not on this branch yet (being built on h/jobs)")
    # --help after the unit's options: an option the command lacks fails before it.
    assert run([*arguments, "--help"]) == 0, capsys.readouterr().err
