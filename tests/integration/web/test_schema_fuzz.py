"""Schemathesis in-process against the OpenAPI description, signed in as each role: every API
operation answers without a server error and as its schema says."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.integration.web.conftest import bearer_for
from tests.integration.web.fixtures import ACCOUNTS

# Enough to reach every branch of the parameter handling; the whole suite must stay quick.
EXAMPLES_PER_OPERATION = 8
# Writes whose acceptance depends on stored records and rules across fields (an owner that
# exists, a deadline after publication, a discipline or an IPC): a schema-valid body may
# rightly answer 422 there, so only the other checks (no server error, answers as the schema
# says) apply.
RULE_CHECKED_WRITES = {
    "POST /api/finance/funds",
    "POST /api/finance/funds/{fund_key}/commitments",
    "POST /api/finance/insurance/policies",
    "POST /api/finance/insurance/policies/{policy_id}/claims",
    "POST /api/finance/investments",
    "POST /api/finance/loans",
    "POST /api/finance/subsidies",
    "POST /api/finance/subsidies/{subsidy_id}/disbursements",
    "POST /api/market/achievements",
    "POST /api/market/contracts",
    "POST /api/market/cooperation",
    "PUT /api/market/contracts/{contract_id}",
    "PUT /api/market/cooperation/{project_id}",
    "PUT /api/market/achievements/{achievement_id}",
    "POST /api/market/demands",
    "PUT /api/market/demands/{demand_id}",
    "POST /api/programmes/projects/{project_id}/move",
    "PUT /api/finance/investments/{record_id}",
    "PUT /api/finance/subsidies/{record_id}",
    "PUT /api/finance/loans/{record_id}",
    "PUT /api/finance/insurance/policies/{record_id}",
    "PUT /api/finance/funds/{fund_key}",
    "POST /api/pipeline/projects",
    "POST /api/pipeline/projects/{project_id}/advance",
    "POST /api/people",
    "POST /api/pipeline/conversions",
    "PUT /api/pipeline/conversions/{record_id}",
    "PUT /api/pipeline/projects/{project_id}",
    "PUT /api/people/{person_id}",
    "POST /api/pipeline/projects/{project_id}/people",
}

# Operations that end the caller's token: each call gets a fresh one, so the role's other
# operations keep theirs.
REVOKING = {"POST /api/auth/logout", "DELETE /api/auth/tokens/{token_id}"}


def _check(
    operation: schemathesis.APIOperation, headers: Callable[[], dict[str, str]]
) -> Callable[[], None]:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        rule_checked = case.operation.label in RULE_CHECKED_WRITES
        excluded = [positive_data_acceptance] if rule_checked else []
        case.call_and_validate(headers=headers(), excluded_checks=excluded)

    return check  # type: ignore[no-any-return]


@pytest.mark.slow
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_api_operation_answers_as_its_schema_says_for_every_role(
    role: str, app: FastAPI
) -> None:
    headers = bearer_for(app, role)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    failures: list[str] = []
    for operation in operations:
        # A revoking operation ends the caller's token: each of its calls gets a fresh one.
        fresh = operation.label in REVOKING
        check = _check(operation, lambda fresh=fresh: bearer_for(app, role) if fresh else headers)
        try:
            check()
        except Exception as failure:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.label}: {str(failure)[:800]}")
    assert failures == [], "\n\n".join(failures)
