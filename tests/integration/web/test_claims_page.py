"""The claims check of a pasted press release: bureau staff only (this file is the page's access
matrix, named in test_matrix.COVERED_ELSEWHERE); each sentence with its claims, each claim
consistent, inconsistent or not derivable with the registry's figure, in both languages."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from fourchain.adapters.db.tables import institutions
from fourchain.bootstrap import Database
from fourchain.entrypoints.web.app import create_app
from tests.integration.indicators.small_registry import fill
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import add_accounts, form_token, sign_in, web_settings
from tests.integration.web.fixtures import ACCOUNTS, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
# Traditional characters in an HTML page with navigation, a spam title and romanisation.
RELEASE = (
    "<html><head><title>娛樂城註冊送88元</title></head><body>"
    "<div class='nav'>首頁 | 新聞中心 | 科技動態</div>"
    "<p>發佈時間：2025年10月23日</p>"
    "<p>2024年，廈門（Xiàmén）全社會研發投入強度達3.46%。國家高新技術企業達5家。</p>"
    "<p>火炬高新區位列全國第14位。簽約合作協議120個。近百項產品達到國際領先水平。</p>"
    "<p>我們將繼續努力。</p></body></html>"
)


@pytest.fixture
def client_as(sqlite_database: Database, tmp_path: Path) -> Iterator[Callable[[str], TestClient]]:
    """A client signed in as one of ACCOUNTS, on the indicators' hand-computed registry."""
    fill(sqlite_database.engine)
    with sqlite_database.engine.begin() as connection:  # the institution user's own
        connection.execute(
            institutions.insert(),
            [{"id": OWN_INSTITUTION, "name": "厦门大学", "kind": "university", "district": "思明"}],
        )
    app: FastAPI = create_app(sqlite_database, web_settings(fourchain_data_dir=tmp_path / "data"))
    add_accounts(app.state.services)
    clients: list[TestClient] = []

    def make(key: str) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        login = ACCOUNTS[key]
        if login.role is not None:
            assert sign_in(client, login.username) == 303
        else:
            client.get("/login")  # the CSRF cookie
        return client

    yield make
    for client in clients:
        client.close()
    # Drop the cached in-memory DuckDB now: one left for the interpreter's shutdown can abort it.
    app.state.services.indicators.release()
    gc.collect()


def _post(client: TestClient, text: str, year: str = "") -> tuple[int, str]:
    client.get("/indicators/claims")
    answer = client.post(
        "/indicators/claims",
        data={"text": text, "year": year, "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    return answer.status_code, answer.text


@pytest.mark.parametrize("role", ROLES)
def test_only_bureau_staff_reach_the_claims_page(
    role: str, client_as: Callable[[str], TestClient]
) -> None:
    client = client_as(role)
    page = client.get("/indicators/claims", follow_redirects=False).status_code
    assert page == {"public": 303}.get(role, 200 if role in BUREAU else 403)
    posted = client.post(
        "/indicators/claims",
        data={"text": "国家高新技术企业达5家。", "year": "2025", "csrf_token": form_token(client)},
        follow_redirects=False,
    ).status_code
    assert posted == {"public": 401}.get(role, 200 if role in BUREAU else 403)


def _rows(html: str) -> dict[str, str]:
    """Each claim row's status by the words it was read from."""
    rows = re.findall(r'<tr data-status="([a-z ]+)">\s*<td>([^<]+)</td>', html)
    return {figure: status for status, figure in rows}


def test_an_analyst_sees_each_sentence_with_its_claims_and_their_check(
    client_as: Callable[[str], TestClient],
) -> None:
    status, html = _post(client_as("analyst"), RELEASE)
    assert status == 200
    assert _rows(html) == {
        "3.46%": "consistent",
        "5家": "inconsistent",
        "第14位": "not derivable",
        "120个": "not derivable",
        "近百项": "not derivable",
    }
    assert "<blockquote>2024年,厦门全社会研发投入强度达3.46%。</blockquote>" in html
    assert "全社会研发经费投入强度" in html and "一致" in html and "不一致" in html
    assert "指标目录中没有与该数据对应的指标" in html  # 120个: no indicator
    assert "约 100" in html  # 近百项, written the Chinese way
    assert "2021—2025年" in html
    assert re.search(r"<td>2025年</td>\s*<td>第14位</td>", html)  # published: a rank, not 14家
    assert "另有1句不含数据。" in html
    results = html.split("逐句数据")[1]  # after the form, which keeps what was pasted
    for noise in ("Xiàmén", "娱乐城", "新闻中心", "rd_intensity"):
        assert noise not in results


def test_the_english_page_writes_the_check_in_english(
    client_as: Callable[[str], TestClient],
) -> None:
    client = client_as("admin")
    client.get("/lang/en")
    status, html = _post(client, RELEASE)
    assert status == 200
    assert "Consistent" in html and "Inconsistent" in html and "Not derivable" in html
    assert "R&amp;D intensity" in html


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("国家高新技术企业达4735家。", "", "names no year"),
        ("国家高新技术企业达4735家。", "2200", "outside"),
        ("国家高新技术企业达4735家。", "abcd", "year"),
    ],
)
def test_a_release_that_cannot_be_read_is_shown_again_with_the_reason(
    client_as: Callable[[str], TestClient], text: str, year: str, message: str
) -> None:
    status, html = _post(client_as("analyst"), text, year)
    assert status == 422  # the one status mapping (errors.status_for)
    assert 'role="alert"' in html and message in html
    assert text in html  # what was pasted stays in the form
