"""On the demo city, the claims check marks every claim the registry supports consistent."""

from __future__ import annotations

from pathlib import Path

import pytest

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.demo.build import DemoStats
from fourchain.domain.indicators.catalogue import NOT_IN_REGISTRY
from fourchain.domain.indicators.claims import Status
from fourchain.services.claims import check_claims, read_claims

PUBLISHED = Path(__file__).parents[3].parent / "shared" / "domain" / "published_figures.csv"


@pytest.mark.slow
def test_every_registry_derivable_published_claim_is_consistent_on_the_demo(
    demo_city: tuple[Path, DemoStats],
) -> None:
    if not PUBLISHED.exists():
        pytest.skip(f"the shared published figures are not at {PUBLISHED}")
    # the same city `fourchain demo --build-only` builds (default seed, full scale)
    database = open_database(sqlite_url(demo_city[0]), create=False)
    try:
        verdicts = check_claims(
            IbisIndicatorSource.from_engine(database.engine), read_claims(PUBLISHED)
        )
    finally:
        database.dispose()
    wrong = {v.claim.id: v.detail for v in verdicts if v.status is Status.INCONSISTENT}
    assert wrong == {}
    consistent = {v.claim.id for v in verdicts if v.status is Status.CONSISTENT}
    # the figures the registry's own records (not other areas' tables) must give
    assert consistent >= {
        "rd_intensity_2020",
        "rd_intensity_2024",
        "rd_intensity_gap_national_2024",
        "enterprise_rd_growth",
        "high_value_patents_per_10k",
        "national_key_labs",
        "pillar_clusters_scale",
        "strategic_emerging_scale",
        "strategic_emerging_output_share",
        "above_scale_rd_revenue_ratio",
        "biomedicine_revenue_years_over_100bn",
        "new_energy_growth",
        "new_energy_output_2025",
        "hnte_count",
        "hnte_net_gain_per_year",
        "little_giants",
        "little_giants_province_share",
        "little_giants_growth_vs_2020",
        "single_champions",
        "innovation_consortia",
        "enterprise_rd_centres",
        # from the pipeline's and the capital chain's tables, which the demo fills too
        "conversion_projects",
        "venture_fund_size",
        "tech_innovation_fund_size",
        # from the programme projects' tables
        "key_tech_projects",
        "national_major_projects_led",
        "leading_level_products",
        # open collaboration, the honours register and statistics-bureau figures
        "science_city_new_entities",
        "brics_partner_institutions",
        "brics_partner_countries",
        "brics_projects",
        "ocean_programme_institutions",
        "ocean_programme_countries",
        "top10_science_advances_years",
        "torch_zone_national_rank",
        "new_display_rank",
        "smart_factories",
        "class1_drugs_2025q1q3",
        "hitech_mfg_va_growth_jan_aug",
        "digital_economy_share",
    }
    unexplained = [
        v.claim.id for v in verdicts if v.status is Status.NOT_DERIVABLE and not v.detail
    ]
    assert unexplained == []
    assert sum(v.detail == NOT_IN_REGISTRY for v in verdicts) <= 1
    assert len(consistent) >= 38  # issue 16: at least 38 of the 41 published claims
