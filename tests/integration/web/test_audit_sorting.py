"""The audit log page follows the table convention: sortable headers (a whitelisted column,
ordered in the query), the order kept by the pager's links, an unknown key ignored."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI

from tests.integration.web.client import TestClient
from tests.integration.web.conftest import sign_in


def _column(page: str, index: int) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[index] for row in rows]


def test_the_audit_log_sorts_by_a_column_and_pages_in_that_order(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    with TestClient(app) as other:
        for name in ("inst", "expert", "analyst", "ent"):
            sign_in(other, name, "wrong-password")
    client = browser_client("admin")
    newest = client.get("/admin/audit").text
    seqs = [int(s) for s in _column(newest, 0)]
    assert seqs == sorted(seqs, reverse=True)
    assert 'aria-sort="descending"' in newest
    up = client.get("/admin/audit?sort=username&dir=asc").text
    users = _column(up, 2)
    assert users == sorted(users) and len(set(users)) > 2
    assert 'aria-sort="ascending"' in up and "sort=username&amp;dir=desc" in up
    down = _column(client.get("/admin/audit?sort=username&dir=desc").text, 2)
    assert down == sorted(down, reverse=True)
    by_action = client.get("/admin/audit?sort=action&dir=asc&action=login").text
    assert "action=login" in by_action and "sort=action" in by_action
    assert _column(client.get("/admin/audit?sort=evil;--&dir=up").text, 0) == _column(newest, 0)
