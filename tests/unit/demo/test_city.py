"""The whole city's row counts add up the parts that write to the same table."""

from fourchain.demo.build import DemoStats
from fourchain.demo.city import DemoCityStats, is_complete
from fourchain.demo.market import MarketDemoStats
from fourchain.demo.pipeline import PipelineDemoStats


def test_rows_of_a_table_written_by_several_parts_are_added_not_overwritten() -> None:
    stats = DemoCityStats(
        DemoStats(
            seed=1,
            scale=1.0,
            rows={"enterprises": 30_000, "patents": 5},
            seconds=1.0,
            generate_seconds=0.5,
        ),
        PipelineDemoStats(rows={"enterprises": 2_223, "pipeline_projects": 7}, funnel=[]),
        MarketDemoStats(rows={"demands": 3}),
    )
    assert stats.rows == {
        "enterprises": 32_223,
        "patents": 5,
        "pipeline_projects": 7,
        "demands": 3,
    }


def test_a_build_is_complete_only_when_every_part_was_labelled() -> None:
    assert is_complete(
        {"synthetic": "true", "parts": "registry,pipeline,market,programmes,collaboration"}
    )
    assert not is_complete({"synthetic": "true", "parts": "registry,pipeline,market,programmes"})
    assert not is_complete({"synthetic": "true", "parts": "registry,pipeline,market"})
    assert not is_complete({"synthetic": "true"})
