"""On the full demo city, the programme claims of the published figures are consistent: 600+ key
technology projects, 7 national major projects led and about 100 leading-level products in
2021–2025 — each computed from programme projects by the claims check."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.db.tables_market import cooperation_projects
from fourchain.adapters.db.tables_programmes import programme_projects, programme_stage_events
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.build import DemoStats
from fourchain.domain.indicators.claims import Status
from fourchain.services.claims import check_claims, read_claims

PUBLISHED = Path(__file__).parents[3].parent / "shared" / "domain" / "published_figures.csv"
CLAIMS = {"key_tech_projects", "national_major_projects_led", "leading_level_products"}


@pytest.mark.slow
def test_the_programme_claims_are_consistent_on_the_demo_city(
    demo_city: tuple[Path, DemoStats],
) -> None:
    if not PUBLISHED.exists():
        pytest.skip(f"the shared published figures are not at {PUBLISHED}")
    database = open_database(sqlite_url(demo_city[0]), create=False)
    try:
        claims = [c for c in read_claims(PUBLISHED) if c.id in CLAIMS]
        verdicts = check_claims(IbisIndicatorSource.from_engine(database.engine), claims)
        with database.engine.connect() as connection:
            stages = dict(
                connection.execute(
                    select(programme_projects.c.stage, func.count()).group_by(
                        programme_projects.c.stage
                    )
                ).all()
            )
            events = connection.scalar(select(func.count()).select_from(programme_stage_events))
            organised = connection.scalar(
                select(func.count())
                .select_from(cooperation_projects)
                .where(cooperation_projects.c.year.between(2021, 2025))
            )
    finally:
        database.dispose()
    assert {v.claim.id: v.status for v in verdicts} == dict.fromkeys(CLAIMS, Status.CONSISTENT), [
        (v.claim.id, v.detail) for v in verdicts
    ]
    # what counts: the market's organised cooperation projects, each the approved project of
    # its programme; the rejected applications beside them do not
    computed = {v.claim.id: v.computed for v in verdicts}
    assert computed["key_tech_projects"] == organised
    # not every application is approved, and the approved ones carry their history
    assert stages["not_approved"] > 0 and stages["accepted"] > 0
    assert (events or 0) > sum(stages.values()) * 3
