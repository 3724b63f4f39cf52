"""The market's matching pages on both backends: a demand's matches (achievements, experts,
research institutions) and an achievement's enterprises, loaded by HTMX with the same
permission as the record's own page; the matching index's status panel and the bureau
administrator's button that starts the embedding job; and a record published through the web
matched once the job worker has synced the index (a request never syncs it). The index lives
in each test's own folder."""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, update

from fourchain.adapters.db.market_documents import document_sources
from fourchain.adapters.db.market_repo import market_units
from fourchain.adapters.db.tables import enterprises, institutions
from fourchain.adapters.db.tables_pipeline import people
from fourchain.adapters.search.embeddings import Vectors
from fourchain.bootstrap import Database, market_index_folder, market_matching
from fourchain.bootstrap.jobs import JobServices
from fourchain.domain.accounts import Role
from fourchain.domain.jobs import JobStatus
from fourchain.domain.market import Achievement, Demand, IPStatus, TransferMode, Viewer
from fourchain.entrypoints.web.app import create_app
from fourchain.services.jobs import MARKET_EMBEDDING, MARKET_INDEX_SYNC
from fourchain.services.jobs import Jobs as JobsService
from fourchain.services.market import MarketRecords
from fourchain.services.market_matching import MarketMatching
from tests.integration.jobs.worker import running_worker, settle
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import (
    FAST_HASHER,
    add_accounts,
    form_token,
    web_settings,
)
from tests.integration.web.fixtures import (
    ACCOUNTS,
    OTHER,
    OTHER_INSTITUTION,
    OWN,
    OWN_INSTITUTION,
    seed_registry,
)

with warnings.catch_warnings():  # jieba warns on import; warnings are errors in tests
    warnings.simplefilter("ignore", DeprecationWarning)
    from fourchain.adapters.search.market_index import PersistentMarketIndex

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
TODAY = date.today()
MISSING_ID = 987654
ADMIN = Viewer(Role.BUREAU_ADMIN)
# Words only the confidential records hold: seeing one where the role may not is a leak.
SECRETS = {
    "own_secret_demand": "甲方保密钙钛矿量产需求",
    "other_secret_demand": "乙方保密钙钛矿量产需求",
    "unlisted_own": "本机构未上架钙钛矿成果",
    "unlisted_other": "他机构未上架钙钛矿成果",
}
SEEN_BY = {
    "own_secret_demand": {"ent"},
    "other_secret_demand": set(),
    "unlisted_own": {"inst"},
    "unlisted_other": set(),
}
# An expert's review fields: shown to the bureau and expert reviewers only.
EXPERTISE = "叠层组件封装工艺"
AFFILIATION = "光电子研究院"


def _achievement(owner: str, title: str, *, listed: bool = True) -> Achievement:
    return Achievement(
        institution_id=owner,
        title=title,
        abstract=f"{title}：钙钛矿与晶硅叠层的太阳能电池制备方法，光电转换效率高。",
        keywords=("钙钛矿", "太阳能电池"),
        trl=5,
        ip_status=IPStatus.NONE,
        transfer_modes=(TransferMode.LICENCE,),
        contact="0592-0000000",
        published=TODAY,
        discipline="材料",
        listed=listed,
    )


def _demand(owner: str, problem: str, confidential: bool) -> Demand:
    return Demand(
        owner, problem, f"{problem}：提升钙钛矿太阳能电池的效率", "新能源", 1e5, TODAY, TODAY,
        confidential,
    )  # fmt: skip


def seed_matching(database: Database) -> dict[str, int]:
    """A listed solar achievement, unlisted ones of each institution, a public demand and a
    confidential one of each enterprise, an expert and an institution that fit them."""
    records = MarketRecords(market_units(database.engine, database.audit_key), lambda: TODAY)
    ids = {
        "solar": records.publish_achievement(
            ADMIN, _achievement(OTHER_INSTITUTION, "钙钛矿叠层太阳能电池")
        ),
        "drug": records.publish_achievement(
            ADMIN,
            replace(
                _achievement(OTHER_INSTITUTION, "抗体偶联药物"),
                abstract="抗体偶联药物的制备。",
                keywords=("抗体",),
            ),
        ),
        "unlisted_own": records.publish_achievement(
            ADMIN, _achievement(OWN_INSTITUTION, SECRETS["unlisted_own"], listed=False)
        ),
        "unlisted_other": records.publish_achievement(
            ADMIN, _achievement(OTHER_INSTITUTION, SECRETS["unlisted_other"], listed=False)
        ),
        "public_demand": records.publish_demand(ADMIN, _demand(OTHER, "钙钛矿电池效率提升", False)),
        "own_secret_demand": records.publish_demand(
            ADMIN, _demand(OWN, SECRETS["own_secret_demand"], True)
        ),
        "other_secret_demand": records.publish_demand(
            ADMIN, _demand(OTHER, SECRETS["other_secret_demand"], True)
        ),
    }
    with database.engine.begin() as connection:
        connection.execute(
            update(institutions)
            .where(institutions.c.id == OWN_INSTITUTION)
            .values(services="钙钛矿太阳能电池中试与检测")
        )
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == OTHER)
            .values(main_product="光伏组件")
        )
        connection.execute(
            insert(people),
            [
                {
                    "id": "P1",
                    "name": "林光伏",
                    "affiliation": AFFILIATION,
                    "expertise": f"钙钛矿太阳能电池{EXPERTISE}",
                }
            ],
        )
    return ids


@pytest.fixture
def app(database: Database, tmp_path: Path) -> FastAPI:
    """The platform over the web fixtures (both backends), its data folder — and so the
    matching index of a PostgreSQL database — in this test's own folder."""
    seed_registry(database.engine)
    app = create_app(database, web_settings(fourchain_data_dir=tmp_path))
    add_accounts(app.state.services)
    return app


@pytest.fixture
def seeded(app: FastAPI) -> tuple[FastAPI, dict[str, int]]:
    """The matching records, and the index built from them (as `fourchain demo` builds it)."""
    platform = app.state.services
    ids = seed_matching(platform.database)
    market_matching(platform.database, settings=platform.settings).sync()
    return app, ids


@pytest.fixture
def worker(app: FastAPI) -> Iterator[JobServices]:
    """A real job worker over the app's database and queue."""
    platform = app.state.services
    with running_worker(platform.database, platform.settings) as services:
        yield services


def _ids_linked(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="{re.escape(prefix)}([^"/]+)"', html))


def test_a_demands_matches_link_the_achievement_that_answers_it(
    seeded: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    _, ids = seeded
    public = browser_client("public")
    page = public.get(f"/market/demands/{ids['public_demand']}").text
    assert f'hx-get="/market/demands/{ids["public_demand"]}/matches"' in page
    assert 'hx-trigger="load, change"' in page
    answer = public.get(
        f"/market/demands/{ids['public_demand']}/matches", headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    html = answer.text
    achievements = _ids_linked(html, "/market/achievements/")
    assert str(ids["solar"]) in achievements
    assert str(ids["drug"]) not in achievements
    assert f"/institutions/{OWN_INSTITUTION}" in html
    assert "林光伏" in html  # the expert, by name
    assert '<span class="tag">钙钛矿</span>' in html
    # Three groups, in Chinese first; keyword matches banded 高/中/低 against the best of their
    # kind, never a raw BM25 score (no vectors yet: no cosine, no selector).
    for heading in ("科技成果", "专家", "科研机构", "相关度"):
        assert heading in html
    assert "BM25 得分" not in html
    assert re.search(r"<strong>[高中低]</strong> · \d+/100", html)
    assert "data-cosine" not in html and 'name="mode"' not in html
    assert "命中字段" in html and "标题" in html  # which fields the terms were found in
    # A TRL range narrows the achievements (the solar cell is at TRL 5), not the experts.
    matches = f"/market/demands/{ids['public_demand']}/matches"
    assert 'name="trl_min"' in html
    mature = public.get(matches, params={"trl_min": 6}).text
    assert str(ids["solar"]) not in _ids_linked(mature, "/market/achievements/")
    assert "林光伏" in mature
    early = public.get(matches, params={"trl_min": 4, "trl_max": 5}).text
    assert str(ids["solar"]) in _ids_linked(early, "/market/achievements/")
    empty = public.get(matches, params={"trl_min": 7, "trl_max": 5})
    assert empty.status_code == 422 and "TRL range is empty" in empty.text
    assert public.get(matches, params={"trl_min": 10}).status_code == 422
    # The form's "any" choice arrives as an empty value.
    anything = public.get(matches, params={"trl_min": "", "trl_max": ""}).text
    assert str(ids["solar"]) in _ids_linked(anything, "/market/achievements/")
    # The achievement's page loads the enterprises that asked for it in public.
    solar = public.get(f"/market/achievements/{ids['solar']}/matches").text
    assert f'href="/enterprises/{OTHER}"' in solar
    assert f'href="/enterprises/{OWN}"' not in solar  # OWN asked only in confidence


@dataclass(frozen=True)
class Case:
    route: str
    path: str
    obj: str  # a confidential object's key, "missing", or "" for a public one


def _cases(ids: dict[str, int]) -> list[Case]:
    out = []
    for key in ("public_demand", "own_secret_demand", "other_secret_demand", "missing"):
        ident = MISSING_ID if key == "missing" else ids[key]
        out.append(Case("/market/demands/{id}/matches", f"/market/demands/{ident}/matches", key))
    for key in ("solar", "unlisted_own", "unlisted_other", "missing"):
        ident = MISSING_ID if key == "missing" else ids[key]
        route = "/market/achievements/{id}/matches"
        out.append(Case(route, f"/market/achievements/{ident}/matches", key))
    return out


def _expected(role: str, obj: str) -> int:
    if obj == "missing":
        return 404
    if obj in SEEN_BY:
        return 200 if role in BUREAU or role in SEEN_BY[obj] else 404
    return 200


def _normalise(body: bytes, ident: int) -> bytes:
    pattern = rf"(?:(?<=/)|(?<= )|(?<=%2F)){ident}(?![0-9A-Za-z])"
    return re.sub(pattern.encode(), b"{id}", body)


def test_matches_answer_like_the_records_page_and_show_nothing_the_role_may_not_see(
    seeded: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    """Every role × each record's matches: a confidential demand's matches only for its
    enterprise and the bureau, an unlisted achievement's only for its institution and the
    bureau; another's answers exactly like a missing one; no secret in any answer."""
    _, ids = seeded
    problems: list[str] = []
    for role in ROLES:
        client = browser_client(role)
        answers: dict[tuple[str, str], tuple[int, bytes]] = {}
        for case in _cases(ids):
            response = client.get(case.path, headers={"HX-Request": "true"})
            if response.status_code != _expected(role, case.obj):
                problems.append(f"{role} GET {case.path}: {response.status_code}")
            text = response.text
            leaks = [
                key
                for key, secret in SECRETS.items()
                if secret in text and role not in BUREAU and role not in SEEN_BY[key]
            ]
            if leaks:
                problems.append(f"{role} GET {case.path} leaks {leaks}")
            ident = MISSING_ID if case.obj == "missing" else ids[case.obj]
            answers[(case.route, case.obj)] = (
                response.status_code,
                _normalise(response.content, ident),
            )
        for (route, obj), answer in answers.items():
            if obj != "missing" and answer[0] == 404 and answer != answers[(route, "missing")]:
                problems.append(f"{role} {route} ({obj}): unlike a missing one")
    assert problems == []


def test_an_experts_affiliation_and_expertise_are_for_the_bureau_and_reviewers(
    seeded: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    _, ids = seeded
    path = f"/market/demands/{ids['public_demand']}/matches"
    for role, shown in (
        ("admin", True),
        ("analyst", True),
        ("expert", True),
        ("ent", False),
        ("inst", False),
        ("public", False),
    ):
        html = browser_client(role).get(path).text
        assert "林光伏" in html, role
        assert (EXPERTISE in html, AFFILIATION in html) == (shown, shown), role
        assert ("请通过科技局联系该专家" in html) is not shown, role


def test_a_record_published_through_the_web_is_matched_once_the_worker_synced(
    seeded: tuple[FastAPI, dict[str, int]],
    worker: JobServices,
    browser_client: Callable[[str], TestClient],
) -> None:
    app, ids = seeded
    platform = app.state.services
    inst, ent = browser_client("inst"), browser_client("ent")
    demand_matches = f"/market/demands/{ids['public_demand']}/matches"
    before = _ids_linked(inst.get(demand_matches).text, "/market/achievements/")
    solar_matches = f"/market/achievements/{ids['solar']}/matches"
    assert f"/enterprises/{OWN}" not in ent.get(solar_matches).text
    achievement = {
        "title": "钙钛矿电池效率提升新工艺",
        "abstract": "提升钙钛矿太阳能电池效率的新工艺。",
        "keywords": "钙钛矿，效率",
        "trl": "6",
        "ip_status": "none",
        "contact": "电话",
        "transfer_modes": "licence",
        "discipline": "材料",
        "csrf_token": form_token(inst),
    }
    made = inst.post("/market/achievements", data=achievement, follow_redirects=False)
    assert made.status_code == 303
    fresh = made.headers["location"].rsplit("/", 1)[1]
    settle(platform)
    after = _ids_linked(inst.get(demand_matches).text, "/market/achievements/")
    assert fresh not in before and fresh in after
    # A public demand describes its enterprise: the achievement now finds OWN too.
    need = {
        "problem": "钙钛矿叠层电池产线",
        "description": "需要钙钛矿叠层太阳能电池的量产工艺。",
        "field": "新能源",
        "budget": "500000",
        "deadline": (TODAY + timedelta(days=30)).isoformat(),
        "csrf_token": form_token(ent),
    }
    assert ent.post("/market/demands", data=need, follow_redirects=False).status_code == 303
    settle(platform)
    assert f"/enterprises/{OWN}" in ent.get(solar_matches).text
    # Within the service's max_age only the publishing's queued sync brought them in.
    service = platform.market.matching()
    assert service.max_age >= 30


def test_a_match_never_syncs_inside_the_request_and_a_new_server_queues_one_sync(
    seeded: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
    tmp_path: Path,
) -> None:
    """A restarted server answers its first matches from the saved index at once, and queues
    one index sync (deduplicated) for the worker, which brings in what changed meanwhile."""
    first, ids = seeded
    database = first.state.services.database
    demand_matches = f"/market/demands/{ids['public_demand']}/matches"
    # Another process (an import, the CLI) adds a record the saved index does not hold.
    fresh = MarketRecords(market_units(database.engine, database.audit_key)).publish_achievement(
        ADMIN, _achievement(OTHER_INSTITUTION, "钙钛矿电池封装新材料")
    )
    settings = web_settings(fourchain_data_dir=tmp_path)
    restarted = create_app(database, settings)
    restarted.state.services.auth.accounts.hasher = FAST_HASHER
    platform = restarted.state.services
    current = market_index_folder(database.url, settings) / "CURRENT"
    generation = current.read_text(encoding="utf-8")
    with TestClient(restarted) as public:
        public.get("/login")
        found = _ids_linked(public.get(demand_matches).text, "/market/achievements/")
        assert str(ids["solar"]) in found and str(fresh) not in found  # the saved index
        public.get(demand_matches)
        public.get(f"/market/achievements/{ids['solar']}/matches")
        syncs = platform.jobs.jobs.active(MARKET_INDEX_SYNC)
        assert [job.status for job in syncs] == [JobStatus.QUEUED]  # one, not three
        assert current.read_text(encoding="utf-8") == generation, "a request wrote the index"
        with running_worker(database, settings):
            settle(platform)
        found = _ids_linked(public.get(demand_matches).text, "/market/achievements/")
        assert str(fresh) in found


def test_the_status_panel_is_for_signed_in_users_and_the_button_for_the_admin(
    seeded: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    _, ids = seeded
    clients = {role: browser_client(role) for role in ROLES}
    for role, client in clients.items():
        home = client.get("/market").text
        panel = client.get("/market/matching", follow_redirects=False)
        if role == "public":
            assert "/market/matching" not in home and panel.status_code == 303
        else:
            assert 'hx-get="/market/matching"' in home and panel.status_code == 200, role
            assert home.count('id="matching-status"') == 1, role
            assert ("/market/matching/embedding" in panel.text) is (role == "admin"), role
    analyst, admin = clients["analyst"], clients["admin"]
    analyst.get(f"/market/demands/{ids['public_demand']}/matches")  # builds the index
    panel = analyst.get("/market/matching").text
    assert 'data-vectors="none"' in panel and "已索引记录" in panel
    assert "/market/matching/embedding" not in panel
    indexed = re.search(r"<dd>([0-9,]+)</dd>", panel)
    assert indexed is not None and int(indexed.group(1).replace(",", "")) >= 7
    admin_panel = admin.get("/market/matching").text
    assert 'action="/market/matching/embedding"' in admin_panel
    assert 'name="csrf_token"' in admin_panel


def test_only_the_bureau_admin_may_start_the_embedding(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    for role, status in (
        ("analyst", 403),
        ("ent", 403),
        ("inst", 403),
        ("expert", 403),
        ("public", 401),
    ):
        client = browser_client(role)
        client.get("/market")
        answer = client.post(
            "/market/matching/embedding",
            data={"csrf_token": form_token(client)},
            follow_redirects=False,
        )
        assert answer.status_code == status, role
    assert not app.state.services.market.matching_made  # refused before the service is made


class GatedEmbedder:
    """A stand-in for the model: hashed character vectors, held back until `go` is set."""

    name, dim = "test-hash", 32

    def __init__(self) -> None:
        self.go = threading.Event()

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text:
                out[row, ord(char) % self.dim] += 1.0
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        vectors: Vectors = out / norms
        return vectors

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        assert self.go.wait(10), "the test never released the embedding job"
        return self._vectors(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._vectors(texts)


def test_the_admin_starts_the_embedding_and_hybrid_matching_follows(
    seeded: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
    tmp_path: Path,
) -> None:
    """On the tiny seeded database, with a stand-in model: the panel polls while the job runs
    and stops once the vectors are ready; the matches then offer hybrid and show cosines."""
    app, ids = seeded
    platform = app.state.services
    embedder = GatedEmbedder()

    def gated(jobs: JobsService | None = None) -> MarketMatching:
        return MarketMatching(
            MarketRecords(market_units(platform.database.engine, platform.database.audit_key)),
            document_sources(platform.database.engine),
            PersistentMarketIndex(tmp_path / "gated-index", embedder=embedder),
            jobs=jobs,
        )

    service = gated(platform.jobs.jobs)  # the web's: it queues jobs; the worker's runs them
    platform.market.use_matching(service)
    with running_worker(platform.database, platform.settings, matching=gated):
        _embed_through_the_panel(browser_client, service, embedder, ids)
    job = platform.jobs.jobs.latest(MARKET_EMBEDDING)
    assert job is not None and job.status is JobStatus.DONE
    assert job.account == ACCOUNTS["admin"].username and job.done == job.total > 0


def _embed_through_the_panel(
    browser_client: Callable[[str], TestClient],
    service: MarketMatching,
    embedder: GatedEmbedder,
    ids: dict[str, int],
) -> None:
    admin, analyst = browser_client("admin"), browser_client("analyst")
    admin.get("/market")
    started = admin.post(
        "/market/matching/embedding",
        headers={"HX-Request": "true", "X-CSRF-Token": form_token(admin)},
    )
    assert started.status_code == 200
    assert 'data-vectors="embedding"' in started.text
    assert 'hx-trigger="every 2s"' in started.text
    watching = analyst.get("/market/matching").text
    assert 'data-vectors="embedding"' in watching
    assert "/market/matching/embedding" not in watching  # the state only, no button
    again = admin.post(
        "/market/matching/embedding",
        data={"csrf_token": form_token(admin)},
        follow_redirects=False,
    )
    assert again.status_code == 303  # a plain form: back to the market's home
    embedder.go.set()
    deadline = time.monotonic() + 20
    while service.status().vectors == "embedding" and time.monotonic() < deadline:
        time.sleep(0.05)
    done = analyst.get("/market/matching").text
    assert 'data-vectors="ready"' in done and "every 2s" not in done
    html = analyst.get(f"/market/demands/{ids['public_demand']}/matches").text
    assert 'name="mode"' in html and 'value="hybrid" selected' in html
    assert "data-cosine" in html and "/100" in html  # the calibrated 0–100 relevance
    keywords = analyst.get(f"/market/demands/{ids['public_demand']}/matches?mode=bm25").text
    assert 'value="bm25" selected' in keywords and "data-cosine" not in keywords
    assert str(ids["solar"]) in _ids_linked(keywords, "/market/achievements/")


# ------------------------------------------------------------------ GET /api/market/search
def _search(client: TestClient, **params: object) -> dict[str, object]:
    response = client.get("/api/market/search", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_the_search_api_finds_what_the_role_may_see_and_no_more(
    seeded: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
    role: str,
) -> None:
    _, ids = seeded
    client = browser_client(role)
    body = _search(client, q="钙钛矿太阳能电池", top=20)
    assert body["query_kind"] == "title" and body["mode"] == "bm25"
    results = body["results"]
    assert isinstance(results, list)
    found = {(r["kind"], r["id"]) for r in results}
    # The two unlisted achievements differ by one character: near-duplicates, collapsed.
    found |= {(r["kind"], d) for r in results for d in r["duplicates"]}
    assert ("achievement", str(ids["solar"])) in found
    assert ("expert", "P1") in found and ("institution", OWN_INSTITUTION) in found
    text = response_text = str(results)
    for key in ("unlisted_own", "unlisted_other"):
        visible = role in BUREAU or role in SEEN_BY[key]
        assert (("achievement", str(ids[key])) in found) is visible, key
        if not visible:
            assert SECRETS[key] not in response_text, key
    # Never a confidential demand: demands are not searched, and no profile holds one.
    assert SECRETS["own_secret_demand"] not in text
    assert SECRETS["other_secret_demand"] not in text
    expert = next(r for r in results if r["kind"] == "expert")
    shown = role in BUREAU or role == "expert"
    assert (EXPERTISE in str(expert)) is shown
    for r in results:
        assert 0 <= r["relevance"] <= 100
        assert "合成示例数据" not in r["terms"]
    ranks = [r["rank"] for r in results if r["kind"] == "achievement"]
    assert ranks == list(range(1, len(ranks) + 1))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "钙钛矿", "kind": "expert"}, {"expert"}),
        ({"q": "钙钛矿", "kind": ["achievement", "institution"]}, {"achievement", "institution"}),
        ({"q": "钙钛矿", "kind": "achievement", "trl_min": 6}, set()),
        ({"q": "钙钛矿", "trl_min": 7, "trl_max": 5}, {"expert", "institution", "enterprise"}),
        # hybrid before the vectors exist: answered by BM25, and the answer says so
        ({"q": "钙钛矿", "kind": "expert", "mode": "hybrid"}, {"expert"}),
    ],
)
def test_the_search_api_narrows_to_the_kinds_and_filters_asked_for(
    seeded: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
    params: dict[str, object],
    expected: set[str],
) -> None:
    body = _search(browser_client("analyst"), **params)
    assert body["mode"] == "bm25"
    results = body["results"]
    assert isinstance(results, list)
    assert {r["kind"] for r in results if r["score"] > 0} == expected


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"q": ""}, 422),
        ({"q": "x" * 2001}, 422),
        ({"q": "   "}, 422),
        ({"q": "钙钛矿", "kind": "demand"}, 422),  # demands are not searched
        ({"q": "钙钛矿", "top": 0}, 422),
        ({"q": "钙钛矿", "mode": "semantic"}, 422),
    ],
)
def test_the_search_api_refuses_bad_input_with_a_client_error(
    seeded: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
    params: dict[str, object],
    status: int,
) -> None:
    response = browser_client("public").get("/api/market/search", params=params)
    assert response.status_code == status, response.text
