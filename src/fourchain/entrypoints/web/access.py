"""The one place where every route is classified: public, signed-in, or restricted to roles.

The app factory refuses to build when a route is missing here (and a test says which), and one
app-wide dependency (`deps.enforce_access`) applies the class to every request before the
route runs. Object-level checks (whose figures, whose institution) are done by the services
with `fourchain.domain.accounts`, and a foreign object answers exactly like a missing one (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from fourchain.domain.accounts import BUREAU_ROLES, Principal, Role


@dataclass(frozen=True)
class Access:
    """Who may call a route. `roles` empty with signed_in: any signed-in account. `csrf` False
    only for routes that a browser's cookie can never authorise (the bearer-token exchange)."""

    name: str
    signed_in: bool
    roles: frozenset[Role] = frozenset()
    csrf: bool = True

    def allows(self, role: Role | None, signed_in: bool) -> bool:
        if not self.signed_in:
            return True
        if not signed_in:
            return False
        return not self.roles or (role is not None and role in self.roles)


PUBLIC = Access("public", signed_in=False)
SIGNED_IN = Access("signed-in", signed_in=True)
TOKEN_EXCHANGE = Access("public", signed_in=False, csrf=False)


def only(*roles: Role) -> Access:
    return Access("role-restricted", signed_in=True, roles=frozenset(roles))


BUREAU = only(*BUREAU_ROLES)
ADMIN = only(Role.BUREAU_ADMIN)
# Teams apply to challenge calls in the name of the enterprise or institution they belong to.
MARKET_APPLICANTS = only(Role.ENTERPRISE_USER, Role.INSTITUTION_USER)
# An enterprise publishes, edits and withdraws its own demands, an institution its own
# achievements; a bureau administrator may act for either (object checks: services/market).
DEMAND_OWNERS = only(Role.ENTERPRISE_USER, Role.BUREAU_ADMIN)
ACHIEVEMENT_OWNERS = only(Role.INSTITUTION_USER, Role.BUREAU_ADMIN)

# "METHOD /path" exactly as the route is declared (FastAPI's path format). Areas add their
# routes here, grouped under the area's name; keep each group sorted by path.
ROUTE_ACCESS: dict[str, Access] = {
    # --- platform: static files, docs, language, accounts
    "GET /static": PUBLIC,
    "GET /api/docs": PUBLIC,
    "GET /api/openapi.json": PUBLIC,
    "POST /api/auth/token": TOKEN_EXCHANGE,
    "POST /api/auth/logout": SIGNED_IN,
    "GET /api/auth/tokens": SIGNED_IN,
    "DELETE /api/auth/tokens/{token_id}": SIGNED_IN,
    "GET /api/me": SIGNED_IN,
    "GET /lang/{code}": PUBLIC,
    "GET /login": PUBLIC,
    "POST /login": PUBLIC,
    "POST /logout": SIGNED_IN,
    "GET /healthz": PUBLIC,
    # --- the form system: suggestions for its searchable fields
    "GET /forms/options/{source}": SIGNED_IN,
    # --- admin: audit log and accounts
    "GET /admin/audit": ADMIN,
    "GET /admin/users": ADMIN,
    "POST /admin/users": ADMIN,
    "POST /admin/users/{user_id}/role": ADMIN,
    # --- registry: dashboard, directory, profiles, institutions
    "GET /": PUBLIC,
    "GET /chains/{chain_key}": PUBLIC,
    "GET /enterprises": PUBLIC,
    "GET /enterprises/export.csv": PUBLIC,
    "GET /enterprises/{credit_code}": PUBLIC,
    "GET /enterprises/{credit_code}/figures": SIGNED_IN,
    "GET /institutions": PUBLIC,
    "GET /institutions/{institution_id}": PUBLIC,
    "GET /api/dashboard": PUBLIC,
    "GET /api/enterprises": PUBLIC,
    "GET /api/enterprises/{credit_code}": PUBLIC,
    "GET /api/enterprises/{credit_code}/years": SIGNED_IN,
    "GET /api/enterprises/{credit_code}/years/{year}": SIGNED_IN,
    "GET /api/institutions": PUBLIC,
    "GET /api/institutions/{institution_id}": PUBLIC,
    "GET /api/institutions/{institution_id}/accounts": SIGNED_IN,
    # --- cultivation: the pool is the bureau's; a pre-screen is its enterprise's (services)
    "GET /cultivation": BUREAU,
    "GET /cultivation/enterprises/{credit_code}": SIGNED_IN,
    "GET /cultivation/pool.xlsx": BUREAU,
    "GET /cultivation/self-check": only(Role.ENTERPRISE_USER),
    "GET /api/cultivation/enterprises/{credit_code}": SIGNED_IN,
    "GET /api/cultivation/pool": BUREAU,
    # --- market: achievements, demands, contracts, challenge calls (object checks: services)
    "GET /market": PUBLIC,
    "GET /market/achievements": PUBLIC,
    "POST /market/achievements": only(Role.INSTITUTION_USER, Role.BUREAU_ADMIN),
    "GET /market/achievements/new": only(Role.INSTITUTION_USER, Role.BUREAU_ADMIN),
    "GET /market/achievements/{achievement_id}": PUBLIC,
    "GET /market/achievements/{achievement_id}/matches": PUBLIC,
    "POST /market/achievements/{achievement_id}/withdraw": ACHIEVEMENT_OWNERS,
    "GET /market/applications/{application_id}": SIGNED_IN,
    "POST /market/applications/{application_id}/declare": only(Role.EXPERT_REVIEWER),
    "POST /market/applications/{application_id}/feedback": ADMIN,
    "POST /market/applications/{application_id}/score": only(Role.EXPERT_REVIEWER),
    "POST /market/applications/{application_id}/withdraw": MARKET_APPLICANTS,
    "GET /market/challenges": PUBLIC,
    "POST /market/challenges": ADMIN,
    "GET /market/challenges/new": ADMIN,
    "GET /market/challenges/{call_id}": PUBLIC,
    "POST /market/challenges/{call_id}/apply": MARKET_APPLICANTS,
    "POST /market/challenges/{call_id}/milestones": ADMIN,
    "POST /market/challenges/{call_id}/milestones/{milestone_id}/accept": ADMIN,
    "POST /market/challenges/{call_id}/milestones/{milestone_id}/pay": ADMIN,
    "POST /market/challenges/{call_id}/move": ADMIN,
    "POST /market/challenges/{call_id}/reviewers": ADMIN,
    "GET /market/contracts": SIGNED_IN,
    "GET /market/demands": PUBLIC,
    "POST /market/demands": only(Role.ENTERPRISE_USER, Role.BUREAU_ADMIN),
    "GET /market/demands/new": only(Role.ENTERPRISE_USER, Role.BUREAU_ADMIN),
    "GET /market/demands/{demand_id}": PUBLIC,
    "GET /market/contracts/new": ADMIN,
    "POST /market/contracts": ADMIN,
    "GET /market/contracts/{contract_id}/edit": ADMIN,
    "POST /market/contracts/{contract_id}/edit": ADMIN,
    "POST /market/contracts/{contract_id}/withdraw": ADMIN,
    "GET /market/cooperation": BUREAU,
    "POST /market/cooperation": ADMIN,
    "GET /market/cooperation/new": ADMIN,
    "GET /market/cooperation/{project_id}/edit": ADMIN,
    "POST /market/cooperation/{project_id}/edit": ADMIN,
    "POST /market/cooperation/{project_id}/withdraw": ADMIN,
    "GET /market/demands/{demand_id}/edit": DEMAND_OWNERS,
    "POST /market/demands/{demand_id}/edit": DEMAND_OWNERS,
    "POST /market/demands/{demand_id}/withdraw": DEMAND_OWNERS,
    "GET /market/demands/{demand_id}/matches": PUBLIC,
    "GET /market/matching": SIGNED_IN,
    "POST /market/matching/embedding": ADMIN,
    "GET /api/market/achievements": PUBLIC,
    "POST /api/market/achievements": ACHIEVEMENT_OWNERS,
    "GET /api/market/achievements/{achievement_id}": PUBLIC,
    "PUT /api/market/achievements/{achievement_id}": ACHIEVEMENT_OWNERS,
    "POST /api/market/achievements/{achievement_id}/withdraw": ACHIEVEMENT_OWNERS,
    "GET /api/market/applications": SIGNED_IN,
    "GET /api/market/applications/{application_id}": SIGNED_IN,
    "POST /api/market/applications/{application_id}/declaration": only(Role.EXPERT_REVIEWER),
    "POST /api/market/applications/{application_id}/scores": only(Role.EXPERT_REVIEWER),
    "GET /api/market/challenges": PUBLIC,
    "GET /api/market/challenges/{call_id}": PUBLIC,
    "POST /api/market/challenges/{call_id}/applications": MARKET_APPLICANTS,
    "GET /api/market/contracts": SIGNED_IN,
    "GET /api/market/search": PUBLIC,
    "POST /api/market/contracts": ADMIN,
    "GET /api/market/cooperation": PUBLIC,
    "POST /api/market/cooperation": ADMIN,
    "POST /api/market/contracts/{contract_id}/withdraw": ADMIN,
    "POST /api/market/cooperation/{project_id}/withdraw": ADMIN,
    "PUT /api/market/contracts/{contract_id}": ADMIN,
    "PUT /api/market/cooperation/{project_id}": ADMIN,
    "GET /api/market/demands": PUBLIC,
    "POST /api/market/demands": DEMAND_OWNERS,
    "GET /api/market/demands/{demand_id}": PUBLIC,
    "PUT /api/market/demands/{demand_id}": DEMAND_OWNERS,
    "POST /api/market/demands/{demand_id}/withdraw": DEMAND_OWNERS,
    # --- pipeline and capital chain: aggregates public; people and money by role (services)
    "GET /finance": PUBLIC,
    "GET /finance/funds/{fund_key}": BUREAU,
    "GET /finance/investments": ADMIN,
    "GET /finance/investments/new": ADMIN,
    "POST /finance/investments": ADMIN,
    "GET /finance/investments/{record_id}/edit": ADMIN,
    "POST /finance/investments/{record_id}/edit": ADMIN,
    "POST /finance/investments/{record_id}/withdraw": ADMIN,
    "GET /finance/subsidies": ADMIN,
    "GET /finance/subsidies/new": ADMIN,
    "POST /finance/subsidies": ADMIN,
    "GET /finance/subsidies/{record_id}/edit": ADMIN,
    "POST /finance/subsidies/{record_id}/edit": ADMIN,
    "POST /finance/subsidies/{record_id}/withdraw": ADMIN,
    "GET /finance/loans": ADMIN,
    "GET /finance/loans/new": ADMIN,
    "POST /finance/loans": ADMIN,
    "GET /finance/loans/{record_id}/edit": ADMIN,
    "POST /finance/loans/{record_id}/edit": ADMIN,
    "POST /finance/loans/{record_id}/withdraw": ADMIN,
    "GET /finance/funds/new": ADMIN,
    "POST /finance/funds": ADMIN,
    "GET /finance/funds/{fund_key}/edit": ADMIN,
    "POST /finance/funds/{fund_key}/edit": ADMIN,
    "POST /finance/funds/{fund_key}/withdraw": ADMIN,
    "GET /finance/insurance": ADMIN,
    "GET /finance/insurance/new": ADMIN,
    "POST /finance/insurance": ADMIN,
    "GET /finance/insurance/{record_id}/edit": ADMIN,
    "POST /finance/insurance/{record_id}/edit": ADMIN,
    "POST /finance/insurance/{record_id}/withdraw": ADMIN,
    "GET /pipeline": PUBLIC,
    "GET /pipeline/projects/{project_id}": PUBLIC,
    "POST /pipeline/projects/{project_id}/advance": BUREAU,
    "GET /pipeline/new-project": BUREAU,
    "POST /pipeline/new-project": BUREAU,
    "GET /pipeline/people/new": BUREAU,
    "POST /pipeline/people/new": BUREAU,
    "GET /pipeline/conversions": ADMIN,
    "GET /pipeline/conversions/new": ADMIN,
    "POST /pipeline/conversions": ADMIN,
    "GET /pipeline/conversions/{record_id}/edit": ADMIN,
    "POST /pipeline/conversions/{record_id}/edit": ADMIN,
    "POST /pipeline/conversions/{record_id}/withdraw": ADMIN,
    # people and incubation projects corrected in the browser (pages/people_forms.py,
    # pages/project_forms.py): the list for bureau staff, the changes the desk's (admins)
    "GET /pipeline/people": BUREAU,
    "GET /pipeline/people/{person_id}/edit": ADMIN,
    "POST /pipeline/people/{person_id}/edit": ADMIN,
    "POST /pipeline/people/{person_id}/withdraw": ADMIN,
    "GET /pipeline/projects/{project_id}/edit": ADMIN,
    "POST /pipeline/projects/{project_id}/edit": ADMIN,
    "POST /pipeline/projects/{project_id}/withdraw": ADMIN,
    "POST /pipeline/projects/{project_id}/people": ADMIN,
    "POST /pipeline/projects/{project_id}/people/{person_id}/detach": ADMIN,
    "GET /api/finance/funds": PUBLIC,
    "POST /api/finance/funds": ADMIN,
    "POST /api/finance/funds/{fund_key}/commitments": ADMIN,
    "POST /api/finance/insurance/policies": ADMIN,
    "POST /api/finance/insurance/policies/{policy_id}/claims": ADMIN,
    "POST /api/finance/investments": ADMIN,
    "POST /api/finance/loans": ADMIN,
    "POST /api/finance/subsidies": ADMIN,
    "POST /api/finance/subsidies/{subsidy_id}/disbursements": ADMIN,
    "PUT /api/finance/investments/{record_id}": ADMIN,
    "POST /api/finance/investments/{record_id}/withdraw": ADMIN,
    "PUT /api/finance/subsidies/{record_id}": ADMIN,
    "POST /api/finance/subsidies/{record_id}/withdraw": ADMIN,
    "PUT /api/finance/loans/{record_id}": ADMIN,
    "POST /api/finance/loans/{record_id}/withdraw": ADMIN,
    "PUT /api/finance/insurance/policies/{record_id}": ADMIN,
    "POST /api/finance/insurance/policies/{record_id}/withdraw": ADMIN,
    "PUT /api/finance/funds/{fund_key}": ADMIN,
    "POST /api/finance/funds/{fund_key}/withdraw": ADMIN,
    "POST /api/finance/funds/{fund_key}/commitments/{record_id}/withdraw": ADMIN,
    "POST /api/finance/subsidies/{subsidy_id}/disbursements/{record_id}/withdraw": ADMIN,
    "POST /api/finance/insurance/policies/{policy_id}/claims/{record_id}/withdraw": ADMIN,
    "GET /api/finance/funds/{fund_key}/portfolio": BUREAU,
    "GET /api/finance/funds/{fund_key}/commitments": BUREAU,
    "GET /api/finance/subsidies/{subsidy_id}/disbursements": BUREAU,
    "GET /api/finance/insurance/policies/{policy_id}/claims": BUREAU,
    "GET /api/finance/leverage": PUBLIC,
    "GET /api/pipeline/flows": PUBLIC,
    "GET /api/pipeline/funnel": PUBLIC,
    "GET /api/pipeline/projects": PUBLIC,
    "GET /api/pipeline/projects/{project_id}": PUBLIC,
    "POST /api/pipeline/projects": BUREAU,
    "POST /api/pipeline/projects/{project_id}/advance": BUREAU,
    "POST /api/people": BUREAU,
    "POST /api/pipeline/conversions": ADMIN,
    "PUT /api/pipeline/conversions/{record_id}": ADMIN,
    "POST /api/pipeline/conversions/{record_id}/withdraw": ADMIN,
    "PUT /api/pipeline/projects/{project_id}": ADMIN,
    "POST /api/pipeline/projects/{project_id}/withdraw": ADMIN,
    "PUT /api/people/{person_id}": ADMIN,
    "POST /api/people/{person_id}/withdraw": ADMIN,
    "POST /api/pipeline/projects/{project_id}/people": ADMIN,
    "DELETE /api/pipeline/projects/{project_id}/people/{person_id}": ADMIN,
    # --- foresight: what-if and outlook over the whole registry, for the bureau's staff
    "GET /foresight": BUREAU,
    "GET /foresight/outlook": BUREAU,
    # --- indicators and reports: city-wide figures for the bureau's staff
    "GET /indicators": BUREAU,
    "GET /indicators/export.xlsx": BUREAU,
    "GET /reports": BUREAU,
    "POST /reports/jobs": BUREAU,
    "GET /reports/jobs/{job_id}": BUREAU,
    "GET /reports/jobs/{job_id}/{name}": BUREAU,
    "GET /api/indicators": BUREAU,
    # --- S&T programme projects: the bureau's records; moves by administrators (services)
    "GET /programmes": BUREAU,
    "GET /programmes/projects": BUREAU,
    "GET /programmes/projects/{project_id}": BUREAU,
    "GET /api/programmes/projects": BUREAU,
    "GET /api/programmes/projects/{project_id}": BUREAU,
    "POST /api/programmes/projects/{project_id}/move": ADMIN,
    # --- workspace: each signed-in role's own (我的工作台; what it lists is the services')
    "GET /workspace": SIGNED_IN,
    # --- the claims check of a pasted press release (indicators area)
    "GET /indicators/claims": BUREAU,
    "POST /indicators/claims": BUREAU,
    # --- finding: the global search (each kind as the asker may see it: services/finding)
    "GET /search": PUBLIC,
    "GET /api/search": PUBLIC,
    # --- open collaboration and the honours register: published facts, open to everyone
    "GET /collaboration": PUBLIC,
    "GET /collaboration/honours": PUBLIC,
}


def route_key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def access_for(method: str, path: str) -> Access | None:
    """The class of a route; HEAD is answered like GET."""
    method = "GET" if method.upper() == "HEAD" else method
    return ROUTE_ACCESS.get(route_key(method, path))


def can(principal: Principal, method: str, path: str) -> bool:
    """Whether the principal may open a route (`path` as declared): what pages and templates
    ask before they offer a link or a form, so the offer and the guard never disagree."""
    access = access_for(method, path)
    return access is not None and access.allows(principal.role, principal.signed_in)
