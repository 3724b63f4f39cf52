"""The table convention on every long list: sortable headers (whitelisted keys, ordered in the
query), paging with a page-jump box, a jump past the end shows the last page, a bad sort key
is ignored; the institutions' tabs list their own kinds and count what they list; a chain
page pages its links through the directory; the fund portfolio pages; an enterprise profile
links to its pre-screen and its incubation history. Both databases."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import insert

from fourchain.adapters.db.finance_repo import SqlFinanceStore
from fourchain.adapters.db.pipeline_repo import SqlPipelineStore
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.finance import Fund, FundKind, Investment
from fourchain.domain.jobs import JobStatus
from fourchain.domain.pipeline import (
    GATES,
    GRADUATION_GATE,
    STAGES,
    EventKind,
    PipelineEvent,
    Project,
    ProjectExit,
)
from fourchain.services.jobs import CULTIVATION_POOLS
from tests.integration.web.client import TestClient
from tests.integration.web.fixtures import OTHER, OWN, OWN_INSTITUTION

EXTRA = 45  # with the fixture's three: 48 enterprises, three pages of 20
DISTRICTS = ("思明", "湖里", "集美", "海沧")


def _code(n: int) -> str:
    return make_credit_code(f"91350200MC{n:07d}")


def _seed(app: FastAPI) -> None:
    engine = app.state.services.database.engine
    with engine.begin() as connection:
        connection.execute(
            insert(enterprises),
            [
                {
                    "credit_code": _code(n),
                    "name": f"测试企业{n:03d}",
                    "district": DISTRICTS[n % 4],
                    "chain_link": "ic_design",
                    "founded": date(2000 + n % 20, 1, 1),
                }
                for n in range(EXTRA)
            ],
        )
        connection.execute(
            insert(institutions),
            [
                {"id": "INST-C1", "name": "已撤销的重点实验室", "kind": "national_key_lab",
                 "closed": date(2020, 1, 1)},
                {"id": "INST-P2", "name": "第二孵化器", "kind": "incubator", "closed": None},
            ],
        )  # fmt: skip
        pipeline, money = SqlPipelineStore(connection), SqlFinanceStore(connection)
        pipeline.add_projects([Project("P9", "芯片封装新工艺", date(2021, 1, 1), "officer")])
        trls = (2, 4, 5, 7)
        entered = [
            PipelineEvent(
                EventKind.ENTERED_STAGE,
                date(2021 + n, 1, 3),
                "officer",
                stage=stage,
                trl=trls[n],
                evidence=GATES[stage].evidence,
                institution=OWN_INSTITUTION if n == 0 else None,
            )
            for n, stage in enumerate(STAGES[:4])
        ]
        graduated = PipelineEvent(
            EventKind.EXIT,
            date(2025, 5, 6),
            "officer",
            trl=8,
            evidence=GRADUATION_GATE.evidence,
            exit=ProjectExit.GRADUATED,
            enterprise=OWN,
        )
        pipeline.append_events("P9", [*entered, graduated], datetime(2025, 6, 1))  # fmt: skip
        money.add_funds([Fund("angel", "天使基金", FundKind.VENTURE, 1e9)])
        money.add_investments(
            [
                Investment("天使基金", f"第{n:03d}轮", 1e6 + n, date(2020, 1, 1 + n % 28), "angel",
                           enterprise=_code(n % EXTRA))
                for n in range(120)
            ]
        )  # fmt: skip


@pytest.fixture
def tables_app(app: FastAPI) -> FastAPI:
    _seed(app)
    return app


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/enterprises/[0-9A-Z]{18}">([^<]+)</a>', page)


def test_the_directory_sorts_in_the_query_and_jumps_to_a_page(tables_app: FastAPI) -> None:
    client = TestClient(tables_app)
    first = client.get("/enterprises?sort=name&dir=asc").text
    every = []
    for page in (1, 2, 3):
        every += _names(client.get(f"/enterprises?sort=name&dir=asc&page={page}").text)
    assert len(every) == EXTRA + 3 and every == sorted(every)
    assert _names(first) == every[:20]
    down = _names(client.get("/enterprises?sort=name&dir=desc&page=3").text)
    assert down == sorted(every, reverse=True)[40:]
    # the headers carry the order; the pager and its jump box keep it
    assert 'aria-sort="ascending"' in first and "sort=name&amp;dir=desc" in first
    assert 'class="page-jump"' in first and 'name="sort" value="name"' in first
    # a jump past the end shows the last page; an unknown key is ignored (the default order)
    assert _names(client.get("/enterprises?page=999").text) == every[40:]
    assert _names(client.get("/enterprises?sort=evil;--&dir=sideways").text) == every[:20]
    # by district (code-point order: 思明 first, 集美 last), then by name within one
    by_district = _names(client.get("/enterprises?sort=district&page=1").text)
    assert by_district[0] == "厦门星海微电子有限公司"  # 思明
    down_district = _names(client.get("/enterprises?sort=district&dir=desc").text)
    assert down_district[0] == "厦门蓝湾新材料有限公司"  # 集美


def test_the_tabs_list_their_own_kinds_and_count_what_they_list(tables_app: FastAPI) -> None:
    client = TestClient(tables_app)
    research = client.get("/institutions").text
    platforms = client.get("/institutions?group=platforms").text
    assert "厦门大学" in research and "厦门中试平台" not in research
    assert "厦门中试平台" in platforms and "第二孵化器" in platforms and "厦门大学" not in platforms
    assert "已撤销的重点实验室" not in research  # closed: not counted, not listed
    assert "已撤销的重点实验室" in client.get("/institutions?closed=true").text
    api = client.get("/api/dashboard").json()
    active = sum(api["summary"]["institutions"].values()) if api.get("summary") else None
    n_research = int(re.search(r"\((\d+)\)</a> · <a href=\"/institutions\?group", research)[1])
    n_platforms = int(re.search(r"\((\d+)\)</a></p>", research)[1])
    assert (n_research, n_platforms) == (1, 2)
    if active is not None:
        assert n_research + n_platforms == active
    assert platforms.count('<a href="/institutions/') == 2
    # a kind of the other tab is not a filter of this one
    assert "厦门大学" not in client.get("/institutions?group=platforms&kind=university").text


def test_a_chain_page_shows_a_dozen_per_link_and_pages_the_rest(tables_app: FastAPI) -> None:
    client = TestClient(tables_app)
    chain = client.get("/chains/ic_chain").text
    assert chain.count('<li><a href="/enterprises/') <= 12 + 1  # + the packaging link's one
    assert 'href="/enterprises?link=ic_design"' in chain
    listed = client.get("/enterprises?link=ic_design").text
    found_line = re.search(r'<p class="muted">([^<]*)<a href="/enterprises/export', listed)[1]
    assert re.search(r"(?<!\d)46(?!\d)", found_line)  # the fixture's OWN and the 45 added
    assert len(_names(listed)) == 20 and "›" in listed


def test_the_fund_portfolio_pages_and_sorts(
    tables_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("analyst")
    first = client.get("/finance/funds/angel").text
    rounds = re.findall(r"<td>(第\d{3}轮)</td>", first)
    assert len(rounds) == 50 and 'class="page-jump"' in first
    last = re.findall(r"<td>(第\d{3}轮)</td>", client.get("/finance/funds/angel?page=3").text)
    assert len(last) == 20
    by_round = client.get("/finance/funds/angel?sort=round&dir=asc&page=2").text
    assert re.findall(r"<td>(第\d{3}轮)</td>", by_round)[0] == "第050轮"
    ignored = client.get("/finance/funds/angel?sort=bogus").text
    assert re.findall(r"<td>(第\d{3}轮)</td>", ignored) == rounds


def test_the_pool_lists_as_many_as_it_counts(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client("analyst")
    # None stored yet: the page queues the pools job; the worker's run of it stores them.
    assert "pool-pending" in client.get("/cultivation?tier=tech_sme").text
    jobs = app.state.services.jobs.jobs
    for job in jobs.active(CULTIVATION_POOLS):
        done = jobs.run(job.id)
        assert done is not None and done.status is JobStatus.DONE, done
    for more in ("", "&more=true"):
        page = client.get(f"/cultivation?tier=tech_sme{more}").text
        cells = re.search(r'class="list numbers pool-counts">.*?<tbody><tr>(.*?)</tr>', page, re.S)
        likely, near, not_yet, _ = (
            int(n.replace(",", "")) for n in re.findall(r"<td>([\d,]+)</td>", cells[1])
        )
        listed = int(re.search(r'class="muted pool-total">\D*([\d,]+)', page)[1].replace(",", ""))
        assert listed == likely + near + (not_yet if more else 0)
        assert page.count('<a href="/cultivation/enterprises/') == min(listed, 50)


def test_a_profile_links_to_its_pre_screen_and_incubation_history(
    tables_app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    own = browser_client("ent").get(f"/enterprises/{OWN}").text
    assert f'href="/cultivation/enterprises/{OWN}"' in own
    assert 'href="/pipeline/projects/P9"' in own and "芯片封装新工艺" in own
    public = browser_client("public").get(f"/enterprises/{OWN}").text
    assert "/cultivation/enterprises/" not in public  # not theirs to open
    assert 'href="/pipeline/projects/P9"' in public  # the history itself is public
    other = browser_client("ent").get(f"/enterprises/{OTHER}").text
    assert "/cultivation/enterprises/" not in other and "/pipeline/projects/" not in other
    project = browser_client("public").get("/pipeline/projects/P9").text
    assert f'href="/enterprises/{OWN}"' in project  # and back


def test_the_market_lists_sort_by_their_columns(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    from tests.integration.web.test_global_search import seed_market

    seed_market(app.state.services.database.engine)
    client = browser_client("admin")

    def titles(url: str) -> list[str]:
        return re.findall(r'<a href="/market/achievements/\d+">([^<]+)</a>', client.get(url).text)

    up = titles("/market/achievements?sort=title&dir=asc")
    assert len(up) == 3 and up == sorted(up)
    assert titles("/market/achievements?sort=title&dir=desc") == sorted(up, reverse=True)
    assert titles("/market/achievements?sort=abstract") == titles("/market/achievements")
    page = client.get("/market/demands?sort=problem&dir=desc").text
    problems = re.findall(r'<a href="/market/demands/\d+">([^<]+)</a>', page)
    assert len(problems) == 3 and problems == sorted(problems, reverse=True)
    assert 'aria-sort="descending"' in page
