"""The market's authorisation matrix: every role × every market route × objects of its own,
of another enterprise or institution, and missing. Confidential demands and challenge
applications never reach anyone else: one applicant never sees another's application, a
reviewer never sees one from their own institution, and a foreign object answers exactly like
a missing one."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi import FastAPI

from fourchain.adapters.db.market_repo import market_units
from fourchain.domain.accounts import Role
from fourchain.domain.challenge import ChallengeApplication, ChallengeCall, Reviewer
from fourchain.domain.market import (
    PUBLISHERS,
    Achievement,
    Demand,
    IPStatus,
    Party,
    PartyKind,
    TransferMode,
    Viewer,
)
from fourchain.services.challenge import ChallengeDesk
from fourchain.services.market import MarketRecords
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import ACCOUNTS, OTHER, OTHER_INSTITUTION, OWN, OWN_INSTITUTION

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
TODAY = date.today()
MISSING_ID = 987654
ADMIN = Viewer(Role.BUREAU_ADMIN)
ENT_OWN = Party(PartyKind.ENTERPRISE, OWN)
ENT_OTHER = Party(PartyKind.ENTERPRISE, OTHER)
INST_OWN = Party(PartyKind.INSTITUTION, OWN_INSTITUTION)
INST_OTHER = Party(PartyKind.INSTITUTION, OTHER_INSTITUTION)
# Words that only the confidential rows contain: finding one in an answer is a leak.
SECRETS = {
    "ent_own_demand": "甲方保密需求",
    "ent_other_demand": "乙方保密需求",
    "app_ent_own": "甲企业揭榜方案",
    "app_ent_other": "乙企业揭榜方案",
    "app_inst_own": "本机构揭榜方案",
    "app_inst_other": "他机构揭榜方案",
    "unlisted_own": "本机构未上架成果",
    "unlisted_other": "他机构未上架成果",
}
# Who may see each confidential object (beyond the bureau, who sees everything).
SEEN_BY = {
    "ent_own_demand": {"ent"},
    "ent_other_demand": set(),
    "app_ent_own": {"ent", "expert"},
    "app_ent_other": {"expert"},
    "app_inst_own": {"inst"},  # the expert belongs to this institution: never on their desk
    "app_inst_other": {"expert"},
    "unlisted_own": {"inst"},
    "unlisted_other": set(),
}


def _achievement(owner: str, title: str, listed: bool) -> Achievement:
    return Achievement(
        institution_id=owner,
        title=title,
        abstract="用于测试的成果摘要。",
        keywords=("测试",),
        trl=5,
        ip_status=IPStatus.NONE,
        transfer_modes=(TransferMode.LICENCE,),
        contact="0592-0000000",
        published=TODAY,
        discipline="工程",
        listed=listed,
    )


def _demand(owner: str, problem: str, confidential: bool) -> Demand:
    return Demand(owner, problem, "说明", "电子信息", 1000.0, TODAY, TODAY, confidential)


def seed_market(app: FastAPI) -> dict[str, int]:
    """Achievements, demands and a call under review with four applicants; the expert account
    sits on its panel as a member of the institution user's own institution."""
    units = market_units(app.state.services.database.engine, app.state.services.database.audit_key)
    records, desk = MarketRecords(units, lambda: TODAY), ChallengeDesk(units, lambda: TODAY)
    ids = {
        "unlisted_own": records.publish_achievement(
            ADMIN, _achievement(OWN_INSTITUTION, SECRETS["unlisted_own"], False)
        ),
        "unlisted_other": records.publish_achievement(
            ADMIN, _achievement(OTHER_INSTITUTION, SECRETS["unlisted_other"], False)
        ),
        "listed": records.publish_achievement(
            ADMIN, _achievement(OTHER_INSTITUTION, "公开成果", True)
        ),
        "ent_own_demand": records.publish_demand(
            ADMIN, _demand(OWN, SECRETS["ent_own_demand"], True)
        ),
        "ent_other_demand": records.publish_demand(
            ADMIN, _demand(OTHER, SECRETS["ent_other_demand"], True)
        ),
        "public_demand": records.publish_demand(ADMIN, _demand(OTHER, "公开需求", False)),
    }
    call = ChallengeCall("测试榜单", "问题", "条件", 1e6, TODAY + timedelta(days=30), "电子信息")
    ids["call"] = desk.create_call(ADMIN, call)
    ids["draft"] = desk.create_call(
        ADMIN, ChallengeCall("草稿榜单", "问题", "条件", 1e6, TODAY, "x")
    )
    for expert, party in (("expert", INST_OWN), ("e2", INST_OTHER), ("e3", None)):
        desk.add_reviewer(ADMIN, ids["call"], Reviewer(expert, expert, party))
    desk.publish(ADMIN, ids["call"])
    for key, party in (
        ("app_ent_own", ENT_OWN),
        ("app_ent_other", ENT_OTHER),
        ("app_inst_own", INST_OWN),
        ("app_inst_other", INST_OTHER),
    ):
        applicant = Viewer(PUBLISHERS[party.kind], party)
        application = ChallengeApplication(
            ids["call"], party, "负责人", SECRETS[key], "路线", 5e5, TODAY
        )
        ids[key] = desk.apply(applicant, application)
    desk.close_applications(ADMIN, ids["call"])
    desk.start_review(ADMIN, ids["call"])
    return ids


@pytest.fixture
def market_app(app: FastAPI) -> tuple[FastAPI, dict[str, int]]:
    return app, seed_market(app)


@dataclass(frozen=True)
class Case:
    route: str
    path: str
    obj: str  # the confidential object's key, "missing", or "" for none
    expect: dict[str, int]


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _object_status(obj: str, *, signed_in_route: bool, page: bool) -> dict[str, int]:
    out = {}
    for role in ROLES:
        if role == "public" and signed_in_route:
            out[role] = 303 if page else 401
        elif obj == "missing":
            out[role] = 404
        else:
            out[role] = 200 if role in BUREAU or role in SEEN_BY.get(obj, set(ROLES)) else 404
    return out


def cases(ids: dict[str, int]) -> list[Case]:
    out = [
        Case(route, route, "", _everyone(200))
        for route in (
            "/market",
            "/market/achievements",
            "/market/demands",
            "/market/challenges",
            "/api/market/achievements",
            "/api/market/demands",
            "/api/market/challenges",
            "/api/market/cooperation",
        )
    ]
    signed_in = {r: (303 if r == "public" else 200) for r in ROLES}
    out.append(Case("/market/contracts", "/market/contracts", "", signed_in))
    api_signed_in = {r: (401 if r == "public" else 200) for r in ROLES}
    for route in ("/api/market/contracts", "/api/market/applications"):
        out.append(Case(route, route, "", api_signed_in))
    objects = {
        "achievements": ("unlisted_own", "unlisted_other", "missing"),
        "demands": ("ent_own_demand", "ent_other_demand", "missing"),
        "applications": (
            "app_ent_own",
            "app_ent_other",
            "app_inst_own",
            "app_inst_other",
            "missing",
        ),
    }
    param = {
        "achievements": "achievement_id",
        "demands": "demand_id",
        "applications": "application_id",
    }
    for kind, keys in objects.items():
        for key in keys:
            ident = MISSING_ID if key == "missing" else ids[key]
            for prefix, page in (("/market", True), ("/api/market", False)):
                out.append(
                    Case(
                        f"{prefix}/{kind}/{{{param[kind]}}}",
                        f"{prefix}/{kind}/{ident}",
                        key,
                        _object_status(key, signed_in_route=kind == "applications", page=page),
                    )
                )
    draft = {r: (200 if r in BUREAU else 404) for r in ROLES}
    for prefix in ("/market", "/api/market"):
        route = f"{prefix}/challenges/{{call_id}}"
        out.append(Case(route, f"{prefix}/challenges/{ids['call']}", "", _everyone(200)))
        out.append(Case(route, f"{prefix}/challenges/{ids['draft']}", "draft", draft))
        out.append(Case(route, f"{prefix}/challenges/{MISSING_ID}", "missing", _everyone(404)))
    forms = {"inst": 200, "admin": 200, "public": 303}
    out.append(
        Case(
            "/market/achievements/new",
            "/market/achievements/new",
            "",
            {r: forms.get(r, 403) for r in ROLES},
        )
    )
    forms = {"ent": 200, "admin": 200, "public": 303}
    out.append(
        Case(
            "/market/demands/new", "/market/demands/new", "", {r: forms.get(r, 403) for r in ROLES}
        )
    )
    forms = {"admin": 200, "public": 303}
    out.append(
        Case(
            "/market/challenges/new",
            "/market/challenges/new",
            "",
            {r: forms.get(r, 403) for r in ROLES},
        )
    )
    return out


def _normalise(body: bytes, ident: int) -> bytes:
    """The object's id where a page or message shows it (a path, a message, an encoded link);
    small ids must not be replaced inside tokens or other numbers."""
    pattern = rf"(?:(?<=/)|(?<= )|(?<=%2F)){ident}(?![0-9A-Za-z])"
    return re.sub(pattern.encode(), b"{id}", body)


def _leaks(role: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    return [
        key
        for key, secret in SECRETS.items()
        if secret in text and role not in BUREAU and role not in SEEN_BY[key]
    ]


def _run(role: str, ids: dict[str, int], request: Callable[[str], tuple[int, bytes]]) -> list[str]:
    problems: list[str] = []
    answers: dict[tuple[str, str], tuple[int, bytes]] = {}
    for case in cases(ids):
        status, body = request(case.path)
        if status != case.expect[role]:
            problems.append(f"GET {case.path}: {status}, expected {case.expect[role]}")
        if leaks := _leaks(role, body):
            problems.append(f"GET {case.path} leaks {leaks}")
        if case.obj:
            ident = MISSING_ID if case.obj == "missing" else ids.get(case.obj, 0)
            answers[(case.route, case.obj)] = (status, _normalise(body, ident))
    for (route, obj), (status, body) in answers.items():
        missing = answers.get((route, "missing"))
        if obj != "missing" and status == 404 and missing and (status, body) != missing:
            problems.append(f"{route} ({obj}): a foreign object answers unlike a missing one")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_a_confidential_market_object_through_the_browser(
    role: str,
    market_app: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
) -> None:
    _, ids = market_app
    client = browser_client(role)

    def request(path: str) -> tuple[int, bytes]:
        response = client.get(path, follow_redirects=False)
        return response.status_code, response.content

    assert _run(role, ids, request) == []


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_a_confidential_market_object_through_the_api(
    role: str, market_app: tuple[FastAPI, dict[str, int]]
) -> None:
    app, ids = market_app
    headers = bearer_for(app, role)
    with TestClient(app) as client:

        def request(path: str) -> tuple[int, bytes]:
            if not path.startswith("/api/"):
                expected = next(c.expect[role] for c in cases(ids) if c.path == path)
                return expected, b""
            response = client.get(path, headers=headers, follow_redirects=False)
            return response.status_code, response.content

        assert _run(role, ids, request) == []


def _post(client: TestClient, path: str, data: dict[str, str]) -> int:
    client.get("/market")
    response = client.post(
        path, data={**data, "csrf_token": form_token(client)}, follow_redirects=False
    )
    return response.status_code


@pytest.mark.parametrize(
    ("role", "expect"),
    [("admin", 403), ("analyst", 403), ("ent", 403), ("inst", 403), ("public", 401)],
)
def test_only_an_expert_reviewer_may_declare_or_score(
    role: str,
    expect: int,
    market_app: tuple[FastAPI, dict[str, int]],
    browser_client: Callable[[str], TestClient],
) -> None:
    _, ids = market_app
    client = browser_client(role)
    path = f"/market/applications/{ids['app_ent_other']}"
    assert _post(client, f"{path}/declare", {"conflicted": "false"}) == expect
    assert _post(client, f"{path}/score", {"points_approach": "80"}) == expect


def test_the_reviewer_declares_before_scoring_and_never_reaches_their_own_institution(
    market_app: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    _, ids = market_app
    expert = browser_client("expert")
    own_inst = f"/market/applications/{ids['app_inst_own']}"
    assert _post(expert, f"{own_inst}/declare", {"conflicted": "false"}) == 404
    other = f"/market/applications/{ids['app_inst_other']}"
    sheet = {
        "points_approach": "80",
        "points_team": "70",
        "points_innovation": "90",
        "points_delivery": "60",
    }
    assert _post(expert, f"{other}/score", sheet) == 409  # no declaration yet
    assert _post(expert, f"{other}/declare", {"conflicted": "false"}) == 303
    assert _post(expert, f"{other}/score", sheet) == 303
    page = expert.get(other).text
    assert 'value="80.0"' in page and 'value="60.0"' in page
    # A declared conflict takes the application off the desk.
    ent_other = f"/market/applications/{ids['app_ent_other']}"
    assert (
        _post(expert, f"{ent_other}/declare", {"conflicted": "true", "statement": "合作关系"})
        == 303
    )
    assert expert.get(ent_other, follow_redirects=False).status_code == 404


def test_an_applicant_applies_in_its_own_name_and_sees_only_its_own_application(
    app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    units = market_units(app.state.services.database.engine, app.state.services.database.audit_key)
    desk = ChallengeDesk(units, lambda: TODAY)
    call_id = desk.create_call(
        ADMIN, ChallengeCall("开放榜单", "问题", "条件", 1e6, TODAY + timedelta(days=9), "x")
    )
    desk.publish(ADMIN, call_id)
    form = {
        "team_lead": "张工",
        "proposal": "我们的方案",
        "approach": "路线",
        "requested": "300000",
    }
    ent, inst, expert = browser_client("ent"), browser_client("inst"), browser_client("expert")
    assert _post(ent, f"/market/challenges/{call_id}/apply", form) == 303
    assert (
        _post(inst, f"/market/challenges/{call_id}/apply", {**form, "proposal": "机构方案"}) == 303
    )
    assert _post(expert, f"/market/challenges/{call_id}/apply", form) == 403
    assert _post(ent, f"/market/challenges/{call_id}/apply", form) == 409  # one per organisation
    ent_page = ent.get(f"/market/challenges/{call_id}").text
    assert "我们的方案" in ent_page and "机构方案" not in ent_page
    inst_page = inst.get(f"/market/challenges/{call_id}").text
    assert "机构方案" in inst_page and "我们的方案" not in inst_page


def test_the_bureau_runs_a_call_and_writes_feedback_through_the_pages(
    market_app: tuple[FastAPI, dict[str, int]], browser_client: Callable[[str], TestClient]
) -> None:
    _, ids = market_app
    admin, analyst = browser_client("admin"), browser_client("analyst")
    ent, inst, expert = browser_client("ent"), browser_client("inst"), browser_client("expert")
    # Not enough complete reviews on the seeded call: the award is refused with the reason.
    seeded = f"/market/challenges/{ids['call']}"
    assert _post(admin, f"{seeded}/move", {"action": "award", "confirmed": "yes"}) == 409
    assert _post(admin, f"{seeded}/move", {"action": "no-such-step", "confirmed": "yes"}) == 422
    assert _post(analyst, f"{seeded}/move", {"action": "award", "confirmed": "yes"}) == 403

    draft = {
        "title": "浏览器中的榜单",
        "problem": "问题",
        "conditions": "条件",
        "reward": "1,000,000",
        "apply_by": (TODAY + timedelta(days=20)).isoformat(),
        "field": "electronic_information",
        "min_reviews": "1",
    }
    assert _post(analyst, "/market/challenges", draft) == 403
    created = admin.post(
        "/market/challenges",
        data={**draft, "csrf_token": form_token(admin)},
        follow_redirects=False,
    )
    call = created.headers["location"]
    assert _post(admin, f"{call}/reviewers", {"expert_id": "expert", "name": "专家"}) == 303
    # Unconfirmed, a step only asks (saying what it will do); confirmed, it is taken.
    assert _post(admin, f"{call}/move", {"action": "publish"}) == 200
    assert 'value="publish"' in admin.get(call).text  # still a draft
    assert _post(admin, f"{call}/move", {"action": "publish", "confirmed": "yes"}) == 303
    form = {"team_lead": "张工", "proposal": "企业方案", "approach": "路线", "requested": "500000"}
    assert _post(ent, f"{call}/apply", form) == 303
    assert _post(inst, f"{call}/apply", {**form, "proposal": "机构方案"}) == 303
    for action in ("close_applications", "start_review"):
        assert _post(admin, f"{call}/move", {"action": action, "confirmed": "yes"}) == 303
    call_id = int(call.rsplit("/", 1)[1])
    apps = ChallengeDesk(
        market_units(
            ent.app.state.services.database.engine, ent.app.state.services.database.audit_key
        )
    ).view(ADMIN, call_id)
    strong, weak = (a.id for a in apps.applications)
    for app_id, points in ((strong, "90"), (weak, "60")):
        page = f"/market/applications/{app_id}"
        assert _post(expert, f"{page}/declare", {"conflicted": "false"}) == 303
        sheet = {f"points_{k}": points for k in ("approach", "team", "innovation", "delivery")}
        assert _post(expert, f"{page}/score", sheet) == 303
    assert _post(admin, f"{call}/move", {"action": "award", "confirmed": "yes"}) == 303
    assert (
        _post(admin, f"{call}/move", {"action": "close", "confirmed": "yes"}) == 409
    )  # not in delivery yet
    milestone = {"title": "验收", "due": TODAY.isoformat(), "amount": "400000"}
    assert _post(admin, f"{call}/milestones", milestone) == 303
    assert _post(admin, f"{call}/move", {"action": "start_delivery", "confirmed": "yes"}) == 303
    milestone_id = (
        ChallengeDesk(
            market_units(
                ent.app.state.services.database.engine, ent.app.state.services.database.audit_key
            )
        )
        .view(ADMIN, call_id)
        .milestones[0]
        .id
    )
    assert _post(admin, f"{call}/milestones/{milestone_id}/accept", {}) == 303
    assert _post(admin, f"{call}/milestones/{milestone_id}/pay", {"amount": "400000"}) == 303
    assert (
        _post(admin, f"{call}/move", {"action": "close", "confirmed": "yes"}) == 409
    )  # feedback still missing
    feedback = {"text": "方案技术路线尚需中试验证数据支撑，欢迎参加下一批榜单。"}
    assert _post(inst, f"/market/applications/{weak}/feedback", feedback) == 403
    assert _post(admin, f"/market/applications/{weak}/feedback", feedback) == 303
    assert _post(admin, f"{call}/move", {"action": "close", "confirmed": "yes"}) == 303
    # The non-winner reads its feedback; the winner and the reviewer never see it.
    assert "中试验证数据" in inst.get(f"/market/applications/{weak}").text
    assert "中试验证数据" not in ent.get(f"/market/applications/{strong}").text
    assert "中试验证数据" not in expert.get(f"/market/applications/{weak}").text
    assert "企业方案" not in inst.get(call).text


@pytest.mark.parametrize(
    ("role", "achievement", "demand"),
    [
        ("admin", 303, 303),
        ("analyst", 403, 403),
        ("ent", 403, 303),
        ("inst", 303, 403),
        ("expert", 403, 403),
        ("public", 401, 401),
    ],
)
def test_publishing_is_for_the_owner_and_the_bureau(
    role: str,
    achievement: int,
    demand: int,
    app: FastAPI,
    browser_client: Callable[[str], TestClient],
) -> None:
    client = browser_client(role)
    record = {
        "title": "新成果",
        "abstract": "摘要",
        "keywords": "甲，乙",
        "trl": "4",
        "ip_status": "none",
        "contact": "电话",
        "transfer_modes": "licence",
        "discipline": "工程",
        "institution_id": OWN_INSTITUTION,
    }
    assert _post(client, "/market/achievements", record) == achievement
    need = {
        "problem": "新需求",
        "description": "说明",
        "field": "电子",
        "budget": "1000",
        "deadline": (TODAY + timedelta(days=9)).isoformat(),
        "confidential": "true",
        "credit_code": OWN,
    }
    assert _post(client, "/market/demands", need) == demand


def test_the_api_keeps_applicants_apart_and_reviewers_off_their_own_institution(
    market_app: tuple[FastAPI, dict[str, int]],
) -> None:
    app, ids = market_app
    desk = ChallengeDesk(
        market_units(app.state.services.database.engine, app.state.services.database.audit_key),
        lambda: TODAY,
    )
    call_id = desk.create_call(
        ADMIN, ChallengeCall("接口榜单", "问题", "条件", 1e6, TODAY + timedelta(days=9), "x")
    )
    desk.publish(ADMIN, call_id)
    body = {"team_lead": "李工", "proposal": "接口方案", "approach": "路线", "requested": 1000}
    with TestClient(app) as client:
        ent, inst = bearer_for(app, "ent"), bearer_for(app, "inst")
        expert, analyst = bearer_for(app, "expert"), bearer_for(app, "analyst")
        made = client.post(f"/api/market/challenges/{call_id}/applications", json=body, headers=ent)
        assert made.status_code == 201
        own_id = made.json()["id"]
        refused = client.post(
            f"/api/market/challenges/{call_id}/applications", json=body, headers=analyst
        )
        assert refused.status_code == 403
        mine = {a["id"] for a in client.get("/api/market/applications", headers=ent).json()}
        assert own_id in mine and ids["app_ent_other"] not in mine
        other = client.get(f"/api/market/applications/{own_id}", headers=inst)
        missing = client.get(f"/api/market/applications/{MISSING_ID}", headers=inst)
        assert other.status_code == missing.status_code == 404
        assert other.json()["error"] == missing.json()["error"] == "not_found"
        declared = {"conflicted": False, "statement": ""}
        sheet = {"points": {"approach": 80, "team": 80, "innovation": 80, "delivery": 80}}
        own_inst = f"/api/market/applications/{ids['app_inst_own']}"
        assert (
            client.post(f"{own_inst}/declaration", json=declared, headers=expert).status_code == 404
        )
        other_app = f"/api/market/applications/{ids['app_inst_other']}"
        assert client.post(f"{other_app}/scores", json=sheet, headers=expert).status_code == 409
        assert (
            client.post(f"{other_app}/declaration", json=declared, headers=expert).status_code
            == 200
        )
        assert client.post(f"{other_app}/scores", json=sheet, headers=expert).status_code == 200
        assert (
            client.post(f"{other_app}/declaration", json=declared, headers=analyst).status_code
            == 403
        )
        desk_ids = {a["id"] for a in client.get("/api/market/applications", headers=expert).json()}
        assert ids["app_inst_own"] not in desk_ids and ids["app_inst_other"] in desk_ids


# Every market route and the test above that covers each class of caller for it (the platform's
# matrix in test_matrix.py defers to this module for them).
MARKET_ROUTES = {
    "GET /api/market/search": "test_market_matching_pages.py::test_the_search_api_finds_what_the…",
    "GET /market": "cases",
    "GET /market/achievements": "cases",
    "GET /market/achievements/new": "cases",
    "GET /market/achievements/{achievement_id}": "cases",
    "POST /market/achievements": "test_publishing_is_for_the_owner_and_the_bureau",
    "GET /market/demands": "cases",
    "GET /market/demands/new": "cases",
    "GET /market/demands/{demand_id}": "cases",
    "POST /market/demands": "test_publishing_is_for_the_owner_and_the_bureau",
    "GET /market/contracts": "cases",
    "GET /market/challenges": "cases",
    "GET /market/challenges/new": "cases",
    "POST /market/challenges": "test_the_bureau_runs_a_call_and_writes_feedback_through_the_pages",
    "GET /market/challenges/{call_id}": "cases",
    "POST /market/challenges/{call_id}/move": "test_the_bureau_runs_a_call_and_writes_feedback…",
    "POST /market/challenges/{call_id}/reviewers": "test_the_bureau_runs_a_call_and_writes…",
    "POST /market/challenges/{call_id}/milestones": "test_the_bureau_runs_a_call_and_writes…",
    "POST /market/challenges/{call_id}/milestones/{milestone_id}/accept": "(same)",
    "POST /market/challenges/{call_id}/milestones/{milestone_id}/pay": "(same)",
    "POST /market/challenges/{call_id}/apply": "test_an_applicant_applies_in_its_own_name…",
    "GET /market/applications/{application_id}": "cases",
    "POST /market/applications/{application_id}/withdraw": "test_an_applicant_applies…",
    "POST /market/applications/{application_id}/declare": "test_only_an_expert_reviewer…",
    "POST /market/applications/{application_id}/score": "test_only_an_expert_reviewer…",
    "POST /market/applications/{application_id}/feedback": "test_the_bureau_runs_a_call…",
    "GET /api/market/achievements": "cases",
    "GET /api/market/achievements/{achievement_id}": "cases",
    "GET /api/market/demands": "cases",
    "GET /api/market/demands/{demand_id}": "cases",
    "GET /api/market/contracts": "cases",
    "GET /api/market/cooperation": "cases",
    "GET /api/market/challenges": "cases",
    "GET /api/market/challenges/{call_id}": "cases",
    "POST /api/market/challenges/{call_id}/applications": "test_the_api_keeps_applicants_apart",
    "GET /api/market/applications": "cases",
    "GET /api/market/applications/{application_id}": "cases",
    "POST /api/market/applications/{application_id}/declaration": "test_the_api_keeps…",
    "POST /api/market/applications/{application_id}/scores": "test_the_api_keeps…",
    # Writes by the records' owners: test_market_writes.py (API, every role × own, foreign,
    # missing) and tests/e2e/web/test_market_writes_browser.py (the pages).
    "POST /api/market/demands": "test_each_role_may_publish_edit_and_withdraw_only_its_own…",
    "PUT /api/market/demands/{demand_id}": "(same)",
    "POST /api/market/demands/{demand_id}/withdraw": "(same)",
    "POST /api/market/achievements": "(same)",
    "PUT /api/market/achievements/{achievement_id}": "(same)",
    "POST /api/market/achievements/{achievement_id}/withdraw": "(same)",
    "POST /api/market/contracts": "test_the_bureau_registers_contracts_and_cooperation…",
    "POST /api/market/cooperation": "(same)",
    "POST /api/market/contracts/{contract_id}/withdraw": "test_the_bureau_withdraws_contracts…",
    "POST /api/market/cooperation/{project_id}/withdraw": "(same)",
    "PUT /api/market/contracts/{contract_id}": "test_market_contract_edits.py (every role)",
    "PUT /api/market/cooperation/{project_id}": "(same)",
    "GET /market/contracts/new": "test_market_contract_forms.py (every role)",
    "POST /market/contracts": "(same)",
    "GET /market/contracts/{contract_id}/edit": "(same)",
    "POST /market/contracts/{contract_id}/edit": "(same)",
    "POST /market/contracts/{contract_id}/withdraw": "(same)",
    "GET /market/cooperation": "test_market_cooperation_forms.py (every role)",
    "POST /market/cooperation": "(same)",
    "GET /market/cooperation/new": "(same)",
    "GET /market/cooperation/{project_id}/edit": "(same)",
    "POST /market/cooperation/{project_id}/edit": "(same)",
    "POST /market/cooperation/{project_id}/withdraw": "(same)",
    "GET /market/demands/{demand_id}/edit": "test_the_edit_and_withdraw_pages_are_the_owners",
    "POST /market/demands/{demand_id}/edit": "(same)",
    "POST /market/demands/{demand_id}/withdraw": "(same)",
    "POST /market/achievements/{achievement_id}/withdraw": "(same)",
    # Matching: test_market_matching_pages.py (its own matrix, with the index in tmp_path).
    "GET /market/demands/{demand_id}/matches": "test_matches_answer_like_the_records_page…",
    "GET /market/achievements/{achievement_id}/matches": "test_matches_answer_like_the…",
    "GET /market/matching": "test_the_status_panel_is_for_signed_in_users_and_the_button…",
    "POST /market/matching/embedding": "test_only_the_bureau_admin_may_start_the_embedding",
}


def test_every_market_route_is_covered_here(sqlite_app: FastAPI) -> None:
    from fourchain.entrypoints.web.app import served_route_keys

    served = {
        key for key in served_route_keys(sqlite_app) if " /market" in key or "/api/market" in key
    }
    assert served == set(MARKET_ROUTES)
