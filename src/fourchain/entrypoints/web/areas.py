"""The routers the app serves. An area adds its API and pages routers here (see docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter

from fourchain.entrypoints.web.api import auth as auth_api
from fourchain.entrypoints.web.api import cultivation as cultivation_api
from fourchain.entrypoints.web.api import finance_parts as finance_parts_api
from fourchain.entrypoints.web.api import finance_writes as finance_writes_api
from fourchain.entrypoints.web.api import finding as finding_api
from fourchain.entrypoints.web.api import indicators as indicators_api
from fourchain.entrypoints.web.api import market as market_api
from fourchain.entrypoints.web.api import market_writes as market_writes_api
from fourchain.entrypoints.web.api import pipeline as pipeline_api
from fourchain.entrypoints.web.api import pipeline_writes as pipeline_writes_api
from fourchain.entrypoints.web.api import programmes as programmes_api
from fourchain.entrypoints.web.api import registry as registry_api
from fourchain.entrypoints.web.pages import admin as admin_pages
from fourchain.entrypoints.web.pages import auth as auth_pages
from fourchain.entrypoints.web.pages import challenge as challenge_pages
from fourchain.entrypoints.web.pages import challenge_forms as challenge_form_pages
from fourchain.entrypoints.web.pages import choices as choice_pages
from fourchain.entrypoints.web.pages import claims as claims_pages
from fourchain.entrypoints.web.pages import collaboration as collaboration_pages
from fourchain.entrypoints.web.pages import conversion_forms as conversion_form_pages
from fourchain.entrypoints.web.pages import cultivation as cultivation_pages
from fourchain.entrypoints.web.pages import finance_forms as finance_form_pages
from fourchain.entrypoints.web.pages import finding as finding_pages
from fourchain.entrypoints.web.pages import foresight as foresight_pages
from fourchain.entrypoints.web.pages import fund_forms as fund_form_pages
from fourchain.entrypoints.web.pages import indicators as indicators_pages
from fourchain.entrypoints.web.pages import market as market_pages
from fourchain.entrypoints.web.pages import market_contract_forms as contract_form_pages
from fourchain.entrypoints.web.pages import market_cooperation_forms as cooperation_pages
from fourchain.entrypoints.web.pages import market_forms as market_form_pages
from fourchain.entrypoints.web.pages import people_forms as people_form_pages
from fourchain.entrypoints.web.pages import pipeline as pipeline_pages
from fourchain.entrypoints.web.pages import pipeline_forms as pipeline_form_pages
from fourchain.entrypoints.web.pages import programmes as programme_pages
from fourchain.entrypoints.web.pages import project_forms as project_form_pages
from fourchain.entrypoints.web.pages import registry as registry_pages
from fourchain.entrypoints.web.pages import workspace as workspace_pages

ROUTERS: tuple[APIRouter, ...] = (
    auth_api.router,
    registry_api.router,
    auth_pages.router,
    admin_pages.router,
    registry_pages.router,
    cultivation_api.router,
    cultivation_pages.router,
    market_api.router,
    market_writes_api.router,
    market_form_pages.router,
    contract_form_pages.router,
    cooperation_pages.router,
    market_pages.router,
    challenge_form_pages.router,
    challenge_pages.router,
    choice_pages.router,
    pipeline_api.router,
    finance_writes_api.router,
    finance_parts_api.router,
    fund_form_pages.router,  # before the fund's page: /finance/funds/new is not a fund
    pipeline_pages.router,
    indicators_api.router,
    indicators_pages.router,
    foresight_pages.router,
    programmes_api.router,
    programme_pages.router,
    workspace_pages.router,
    claims_pages.router,
    finding_api.router,
    finding_pages.router,
    collaboration_pages.router,
    pipeline_writes_api.router,
    finance_form_pages.router,
    pipeline_form_pages.router,
    conversion_form_pages.router,
    people_form_pages.router,
    project_form_pages.router,
)
