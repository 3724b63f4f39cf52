"""The authorisation matrix: every role × every route × objects owned by self, by another
enterprise or institution, and missing. Zero leaks: a foreign object answers exactly like a
missing one, and no answer a role may not see carries another enterprise's figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi import FastAPI

from fourchain.entrypoints.web.app import served_route_keys
from tests.integration.web.client import TestClient
from tests.integration.web.conftest import bearer_for, form_token
from tests.integration.web.fixtures import (
    ACCOUNTS,
    LEAK_MARKERS,
    MISSING,
    MISSING_INSTITUTION,
    OTHER,
    OTHER_INSTITUTION,
    OWN,
    OWN_INSTITUTION,
    THIRD,
)
from tests.integration.web.test_market_matrix import MARKET_ROUTES

ROLES = list(ACCOUNTS)
BUREAU = {"admin", "analyst"}
OBJECTS = {"own": OWN, "other": OTHER, "third": THIRD, "missing": MISSING}
INSTITUTIONS = {"own": OWN_INSTITUTION, "other": OTHER_INSTITUTION, "missing": MISSING_INSTITUTION}


@dataclass(frozen=True)
class Case:
    method: str
    route: str  # the declared path, as in access.ROUTE_ACCESS
    path: str  # the concrete path requested
    obj: str  # own / other / third / missing / "" (no object)
    expect: dict[str, int]  # role -> status


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def figures_status(role: str, obj: str, page: bool, empty_ok: bool) -> int:
    """Who sees an enterprise's yearly figures: its own users and the bureau; 404 for the
    rest, exactly as for a missing enterprise; the public must sign in first."""
    if role == "public":
        return 303 if page else 401
    if obj == "missing" or (obj == "third" and not empty_ok):
        return 404
    if role in BUREAU or (role == "ent" and obj == "own"):
        return 200
    return 404


def institution_private_status(role: str, obj: str) -> int:
    """An institution's accounts: its own users and the bureau; 404 for everyone else."""
    if role == "public":
        return 401
    if obj == "missing":
        return 404
    return 200 if role in BUREAU or (role == "inst" and obj == "own") else 404


def admin_status(role: str, page: bool) -> int:
    if role == "admin":
        return 200
    if role == "public":
        return 303 if page else 401
    return 403


def cases() -> list[Case]:
    out: list[Case] = []
    for route in (
        "/",
        "/enterprises",
        "/enterprises/export.csv",
        "/institutions",
        "/institutions?group=platforms",
        "/api/enterprises",
        "/api/dashboard",
        "/api/institutions",
        "/healthz",
        "/api/openapi.json",
        "/api/docs",
        "/login",
        "/search?q=厦门",
        "/api/search?q=厦门",
    ):
        out.append(Case("GET", route.split("?")[0], route, "", everyone(200)))
    out.append(Case("GET", "/static", "/static/app.css", "", everyone(200)))
    out.append(
        Case("GET", "/api/enterprises", "/api/enterprises?query=厦门&tier=hnte", "", everyone(200))
    )
    out.append(Case("GET", "/enterprises", f"/enterprises?query={OTHER[:10]}", "", everyone(200)))
    out.append(Case("GET", "/lang/{code}", "/lang/en", "", everyone(303)))
    out.append(Case("GET", "/chains/{chain_key}", "/chains/ic_chain", "own", everyone(200)))
    out.append(Case("GET", "/chains/{chain_key}", "/chains/no_chain", "missing", everyone(404)))
    me = {role: (401 if role == "public" else 200) for role in ROLES}
    out.append(Case("GET", "/api/me", "/api/me", "", me))
    out.append(Case("GET", "/api/auth/tokens", "/api/auth/tokens", "", me))
    for obj, code in OBJECTS.items():
        public = everyone(404 if obj == "missing" else 200)
        out.append(
            Case("GET", "/api/enterprises/{credit_code}", f"/api/enterprises/{code}", obj, public)
        )
        out.append(Case("GET", "/enterprises/{credit_code}", f"/enterprises/{code}", obj, public))
        out.append(
            Case(
                "GET",
                "/api/enterprises/{credit_code}/years",
                f"/api/enterprises/{code}/years",
                obj,
                {r: figures_status(r, obj, page=False, empty_ok=True) for r in ROLES},
            )
        )
        out.append(
            Case(
                "GET",
                "/api/enterprises/{credit_code}/years/{year}",
                f"/api/enterprises/{code}/years/2024",
                obj,
                {r: figures_status(r, obj, page=False, empty_ok=False) for r in ROLES},
            )
        )
        out.append(
            Case(
                "GET",
                "/enterprises/{credit_code}/figures",
                f"/enterprises/{code}/figures",
                obj,
                {r: figures_status(r, obj, page=True, empty_ok=True) for r in ROLES},
            )
        )
    for obj, ident in INSTITUTIONS.items():
        status = everyone(404 if obj == "missing" else 200)
        out.append(
            Case(
                "GET",
                "/api/institutions/{institution_id}",
                f"/api/institutions/{ident}",
                obj,
                status,
            )
        )
        out.append(
            Case("GET", "/institutions/{institution_id}", f"/institutions/{ident}", obj, status)
        )
        out.append(
            Case(
                "GET",
                "/api/institutions/{institution_id}/accounts",
                f"/api/institutions/{ident}/accounts",
                obj,
                {r: institution_private_status(r, obj) for r in ROLES},
            )
        )
    for route in ("/admin/audit", "/admin/users"):
        out.append(Case("GET", route, route, "", {r: admin_status(r, True) for r in ROLES}))
    signed_in = {r: (303 if r == "public" else 200) for r in ROLES}
    for source in ("organisations", "districts"):
        url = f"/forms/options/{source}?q=厦门"
        out.append(Case("GET", "/forms/options/{source}", url, "", signed_in))
    bureau_only = {r: bureau_status(r, page=True) for r in ROLES}
    out.append(
        Case("GET", "/forms/options/{source}", "/forms/options/experts?q=e", "", bureau_only)
    )
    out.extend(cultivation_cases())
    return out


def bureau_status(role: str, page: bool) -> int:
    if role in BUREAU:
        return 200
    if role == "public":
        return 303 if page else 401
    return 403


def cultivation_cases() -> list[Case]:
    """The reserve pool is the bureau's; a pre-screen shows an enterprise's figures, so it
    follows the figures' rule; the self-check sends an enterprise user to its own."""
    out = [
        Case("GET", "/cultivation", "/cultivation", "", {r: bureau_status(r, True) for r in ROLES}),
        Case(
            "GET",
            "/cultivation/pool.xlsx",
            "/cultivation/pool.xlsx?tier=hnte",
            "",
            {r: bureau_status(r, True) for r in ROLES},
        ),
        Case(
            "GET",
            "/api/cultivation/pool",
            "/api/cultivation/pool?tier=hnte",
            "",
            {r: bureau_status(r, False) for r in ROLES},
        ),
        Case(
            "GET",
            "/cultivation/self-check",
            "/cultivation/self-check",
            "",
            {r: 303 if r in ("ent", "public") else 403 for r in ROLES},
        ),
        # Each signed-in role's own workspace; the public is sent to sign in.
        Case(
            "GET", "/workspace", "/workspace", "", {r: 303 if r == "public" else 200 for r in ROLES}
        ),
    ]
    for obj in ("own", "other", "missing"):
        code = OBJECTS[obj]
        out.append(
            Case(
                "GET",
                "/api/cultivation/enterprises/{credit_code}",
                f"/api/cultivation/enterprises/{code}",
                obj,
                {r: figures_status(r, obj, page=False, empty_ok=True) for r in ROLES},
            )
        )
        out.append(
            Case(
                "GET",
                "/cultivation/enterprises/{credit_code}",
                f"/cultivation/enterprises/{code}",
                obj,
                {r: figures_status(r, obj, page=True, empty_ok=True) for r in ROLES},
            )
        )
    return out


# Routes whose every class of caller is tested elsewhere, each with where.
COVERED_ELSEWHERE = {
    "POST /login": "test_auth.py (sign-in, lock-out, CSRF)",
    "POST /logout": "test_auth.py (sign-out needs CSRF)",
    "POST /api/auth/token": "test_auth.py (bearer tokens)",
    "POST /api/auth/logout": "test_tokens.py (every role; the public must sign in)",
    "DELETE /api/auth/tokens/{token_id}": "test_tokens.py (every role; own tokens only)",
    "POST /admin/users": "test_matrix.py::test_only_administrators_change_accounts",
    "POST /admin/users/{user_id}/role": "test_matrix.py::test_only_administrators_change_accounts",
    "GET /finance": "test_pipeline_pages.py (every role)",
    "GET /finance/funds/{fund_key}": "test_pipeline_pages.py (every role)",
    "GET /pipeline": "test_pipeline_pages.py (every role)",
    "GET /pipeline/projects/{project_id}": "test_pipeline_pages.py (every role)",
    "POST /pipeline/projects/{project_id}/advance": "test_pipeline_pages.py (every role)",
    "GET /api/finance/funds": "test_pipeline_pages.py (every role)",
    "GET /api/finance/funds/{fund_key}/portfolio": "test_pipeline_pages.py (every role)",
    "GET /api/finance/funds/{fund_key}/commitments": "test_finance_parts.py (every role)",
    "GET /api/finance/subsidies/{subsidy_id}/disbursements": "test_finance_parts.py (every role)",
    "GET /api/finance/insurance/policies/{policy_id}/claims": "test_finance_parts.py (every role)",
    "GET /api/finance/leverage": "test_pipeline_pages.py (every role)",
    "POST /api/finance/funds": "test_finance_writes.py",
    "POST /api/finance/funds/{fund_key}/commitments": "test_finance_writes.py",
    "POST /api/finance/insurance/policies": "test_finance_writes.py",
    "POST /api/finance/insurance/policies/{policy_id}/claims": "test_finance_writes.py",
    "POST /api/finance/investments": "test_finance_writes.py",
    "POST /api/finance/loans": "test_finance_writes.py",
    "POST /api/finance/subsidies": "test_finance_writes.py",
    "POST /api/finance/subsidies/{subsidy_id}/disbursements": "test_finance_writes.py",
    "POST /api/pipeline/projects": "test_pipeline_writes.py",
    "GET /pipeline/new-project": "test_pipeline_writes.py (every role)",
    "POST /pipeline/new-project": "test_pipeline_writes.py (every role)",
    "GET /pipeline/people/new": "test_pipeline_writes.py (every role)",
    "POST /pipeline/people/new": "test_pipeline_writes.py (every role)",
    "GET /pipeline/conversions": "test_conversion_forms.py (every role)",
    "GET /pipeline/conversions/new": "test_conversion_forms.py (every role)",
    "POST /pipeline/conversions": "test_conversion_forms.py (every role)",
    "GET /pipeline/conversions/{record_id}/edit": "test_conversion_forms.py (every role)",
    "POST /pipeline/conversions/{record_id}/edit": "test_conversion_forms.py (every role)",
    "POST /pipeline/conversions/{record_id}/withdraw": "test_conversion_forms.py (every role)",
    "GET /pipeline/people": "test_people_forms.py (every role)",
    "GET /pipeline/people/{person_id}/edit": "test_people_forms.py (every role)",
    "POST /pipeline/people/{person_id}/edit": "test_people_forms.py (every role)",
    "POST /pipeline/people/{person_id}/withdraw": "test_people_forms.py (every role)",
    "GET /pipeline/projects/{project_id}/edit": "test_people_forms.py (every role)",
    "POST /pipeline/projects/{project_id}/edit": "test_people_forms.py (every role)",
    "POST /pipeline/projects/{project_id}/withdraw": "test_people_forms.py (every role)",
    "POST /pipeline/projects/{project_id}/people": "test_people_forms.py (every role)",
    "POST /pipeline/projects/{project_id}/people/{person_id}/detach": (
        "test_people_forms.py (every role)"
    ),
    "GET /finance/investments": "test_finance_forms.py (every role)",
    "GET /finance/investments/new": "test_finance_forms.py (every role)",
    "POST /finance/investments": "test_finance_forms.py (every role)",
    "GET /finance/investments/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/investments/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/investments/{record_id}/withdraw": "test_finance_forms.py (every role)",
    "GET /finance/subsidies": "test_finance_forms.py (every role)",
    "GET /finance/subsidies/new": "test_finance_forms.py (every role)",
    "POST /finance/subsidies": "test_finance_forms.py (every role)",
    "GET /finance/subsidies/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/subsidies/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/subsidies/{record_id}/withdraw": "test_finance_forms.py (every role)",
    "GET /finance/loans": "test_finance_forms.py (every role)",
    "GET /finance/loans/new": "test_finance_forms.py (every role)",
    "POST /finance/loans": "test_finance_forms.py (every role)",
    "GET /finance/loans/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/loans/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/loans/{record_id}/withdraw": "test_finance_forms.py (every role)",
    "GET /finance/funds/new": "test_fund_forms.py",
    "POST /finance/funds": "test_fund_forms.py",
    "GET /finance/funds/{fund_key}/edit": "test_fund_forms.py",
    "POST /finance/funds/{fund_key}/edit": "test_fund_forms.py",
    "POST /finance/funds/{fund_key}/withdraw": "test_fund_forms.py",
    "GET /finance/insurance": "test_finance_forms.py (every role)",
    "GET /finance/insurance/new": "test_finance_forms.py (every role)",
    "POST /finance/insurance": "test_finance_forms.py (every role)",
    "GET /finance/insurance/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/insurance/{record_id}/edit": "test_finance_forms.py (every role)",
    "POST /finance/insurance/{record_id}/withdraw": "test_finance_forms.py (every role)",
    "POST /api/pipeline/projects/{project_id}/advance": "test_pipeline_writes.py",
    "POST /api/people": "test_pipeline_writes.py",
    "POST /api/pipeline/conversions": "test_pipeline_desk.py",
    "PUT /api/pipeline/conversions/{record_id}": "test_pipeline_desk.py",
    "POST /api/pipeline/conversions/{record_id}/withdraw": "test_pipeline_desk.py",
    "PUT /api/pipeline/projects/{project_id}": "test_pipeline_desk.py",
    "POST /api/pipeline/projects/{project_id}/withdraw": "test_pipeline_desk.py",
    "PUT /api/people/{person_id}": "test_pipeline_desk.py",
    "POST /api/people/{person_id}/withdraw": "test_pipeline_desk.py",
    "POST /api/pipeline/projects/{project_id}/people": "test_pipeline_desk.py",
    "DELETE /api/pipeline/projects/{project_id}/people/{person_id}": "test_pipeline_desk.py",
    "PUT /api/finance/investments/{record_id}": "test_finance_writes.py",
    "POST /api/finance/investments/{record_id}/withdraw": "test_finance_writes.py",
    "PUT /api/finance/subsidies/{record_id}": "test_finance_writes.py",
    "POST /api/finance/subsidies/{record_id}/withdraw": "test_finance_writes.py",
    "PUT /api/finance/loans/{record_id}": "test_finance_writes.py",
    "POST /api/finance/loans/{record_id}/withdraw": "test_finance_writes.py",
    "PUT /api/finance/insurance/policies/{record_id}": "test_finance_writes.py",
    "POST /api/finance/insurance/policies/{record_id}/withdraw": "test_finance_writes.py",
    "PUT /api/finance/funds/{fund_key}": "test_fund_writes.py",
    "POST /api/finance/funds/{fund_key}/withdraw": "test_fund_writes.py",
    "POST /api/finance/funds/{fund_key}/commitments/{record_id}/withdraw": "test_fund_writes.py",
    "POST /api/finance/subsidies/{subsidy_id}/disbursements/{record_id}/withdraw": (
        "test_fund_writes.py"
    ),
    "POST /api/finance/insurance/policies/{policy_id}/claims/{record_id}/withdraw": (
        "test_fund_writes.py"
    ),
    "GET /api/pipeline/flows": "test_pipeline_pages.py (every role)",
    "GET /api/pipeline/funnel": "test_pipeline_pages.py (every role)",
    "GET /api/pipeline/projects": "test_pipeline_pages.py (every role)",
    "GET /api/pipeline/projects/{project_id}": "test_pipeline_pages.py (every role)",
    "GET /foresight": "test_foresight_pages.py (every role; the area's own matrix)",
    "GET /foresight/outlook": "test_foresight_pages.py (every role; the area's own matrix)",
    "GET /collaboration": "test_collaboration_pages.py (every role)",
    "GET /collaboration/honours": "test_collaboration_pages.py (every role)",
    **dict.fromkeys(MARKET_ROUTES, "test_market_matrix.py (the market's own matrix)"),
    **dict.fromkeys(
        (
            "GET /indicators",
            "GET /indicators/export.xlsx",
            "GET /reports",
            "POST /reports/jobs",
            "GET /reports/jobs/{job_id}",
            "GET /reports/jobs/{job_id}/{name}",
            "GET /api/indicators",
        ),
        "test_indicator_pages.py (every role; the area's own matrix)",
    ),
    "GET /programmes": "test_programme_pages.py (every role)",
    "GET /programmes/projects": "test_programme_pages.py (every role)",
    "GET /programmes/projects/{project_id}": "test_programme_pages.py (every role)",
    "GET /api/programmes/projects": "test_programme_pages.py (every role)",
    "GET /api/programmes/projects/{project_id}": "test_programme_pages.py (every role)",
    "POST /api/programmes/projects/{project_id}/move": "test_programme_pages.py (every role)",
    "GET /indicators/claims": "test_claims_page.py (every role; the page's own matrix)",
    "POST /indicators/claims": "test_claims_page.py (every role; the page's own matrix)",
}
CASES = cases()


def test_every_served_route_is_in_the_matrix_or_covered_elsewhere(sqlite_app: FastAPI) -> None:
    in_matrix = {f"{case.method} {case.route}" for case in CASES}
    missing = set(served_route_keys(sqlite_app)) - in_matrix - set(COVERED_ELSEWHERE)
    assert not missing, f"add these routes to the authorisation matrix: {sorted(missing)}"


def _normalise(body: bytes, obj_value: str, placeholder: str) -> bytes:
    return body.replace(obj_value.encode(), placeholder.encode())


def _leaks(role: str, body: bytes) -> list[str]:
    """Figures of an enterprise this role may not see, found in an answer."""
    allowed = set(OBJECTS.values()) if role in BUREAU else ({OWN} if role == "ent" else set())
    text = body.decode("utf-8", errors="replace")
    return [
        f"{code}:{marker}"
        for code, markers in LEAK_MARKERS.items()
        if code not in allowed
        for marker in markers
        if marker in text
    ]


def _run_matrix(role: str, request: Callable[[Case], tuple[int, bytes]]) -> list[str]:
    problems: list[str] = []
    answers: dict[tuple[str, str], tuple[int, bytes]] = {}
    for case in CASES:
        status, body = request(case)
        if status != case.expect[role]:
            problems.append(f"{case.method} {case.path}: {status}, expected {case.expect[role]}")
        leaks = _leaks(role, body)
        if leaks:
            problems.append(f"{case.method} {case.path} leaks {leaks}")
        if case.obj:
            ids = INSTITUTIONS if "institution" in case.route else OBJECTS
            answers[(case.route, case.obj)] = (status, _normalise(body, ids[case.obj], "{id}"))
    # A foreign object must be indistinguishable from a missing one.
    for (route, obj), (status, body) in answers.items():
        if obj == "other" and status == 404:
            missing_status, missing_body = answers[(route, "missing")]
            if (status, body) != (missing_status, missing_body):
                problems.append(f"{route}: another's object answers unlike a missing one")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_what_it_may_not_through_the_browser(
    role: str, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client(role)

    def request(case: Case) -> tuple[int, bytes]:
        response = client.request(case.method, case.path, follow_redirects=False)
        return response.status_code, response.content

    assert _run_matrix(role, request) == []


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_what_it_may_not_through_the_api_with_a_bearer_token(
    role: str, app: FastAPI
) -> None:
    headers = bearer_for(app, role)
    with TestClient(app) as client:

        def request(case: Case) -> tuple[int, bytes]:
            if not case.path.startswith("/api/") or case.path == "/api/docs":
                return case.expect[role], b""
            response = client.request(
                case.method, case.path, headers=headers, follow_redirects=False
            )
            return response.status_code, response.content

        assert _run_matrix(role, request) == []


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_change_accounts(
    role: str, app: FastAPI, browser_client: Callable[[str], TestClient]
) -> None:
    client = browser_client(role)
    expert = app.state.services.auth.accounts.store.by_username("expert")
    client.get("/")  # sets the CSRF cookie for the public client too
    token = form_token(client)
    expect = {"admin": 303, "public": 401}.get(role, 403)
    created = client.post(
        "/admin/users",
        data={
            "username": f"new-{role}",
            "password": "long-enough-1",
            "role": "expert_reviewer",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert created.status_code == expect
    changed = client.post(
        f"/admin/users/{expert.id}/role",
        data={"role": "bureau_analyst", "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == expect
    missing = client.post(
        "/admin/users/9999/role",
        data={"role": "bureau_analyst", "csrf_token": token},
        follow_redirects=False,
    )
    assert missing.status_code == (404 if role == "admin" else expect)
