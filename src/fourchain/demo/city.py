"""The whole demo city: the registry, then the incubation pipeline with its money and people,
then the technology market, then the S&T programme projects over the market's cooperation
projects — and a label saying the build is complete."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Engine, insert

from fourchain.adapters.db.statistics import refresh_statistics
from fourchain.adapters.db.tables_demo import dataset_info
from fourchain.demo.build import DEFAULT_SEED, DemoStats, HasEngine, Progress, build_demo
from fourchain.demo.collaboration import CollaborationDemoStats, build_collaboration_demo
from fourchain.demo.market import MarketDemoStats, build_market_demo
from fourchain.demo.pipeline import PipelineDemoStats, build_pipeline_demo
from fourchain.demo.programmes import ProgrammeDemoStats, build_programme_demo

# The label's key and value that mark a build whose every part was written.
PARTS_KEY = "parts"
ALL_PARTS = "registry,pipeline,market,programmes,collaboration"


@dataclass(frozen=True)
class DemoCityStats:
    registry: DemoStats
    pipeline: PipelineDemoStats
    market: MarketDemoStats
    programmes: ProgrammeDemoStats = field(default_factory=lambda: ProgrammeDemoStats({}))
    collaboration: CollaborationDemoStats | None = None

    @property
    def rows(self) -> dict[str, int]:
        """Rows written per table by all parts (the pipeline adds enterprises and
        institutions to the registry's, so counts of one table add up)."""
        total: Counter[str] = Counter()
        for part in (
            self.registry.rows,
            self.pipeline.rows,
            self.market.rows,
            self.programmes.rows,
        ):
            total.update(part)
        if self.collaboration is not None:
            total.update(self.collaboration.rows)
        return dict(total)


def is_complete(label: dict[str, str]) -> bool:
    return label.get(PARTS_KEY) == ALL_PARTS


def build_demo_city(
    database: Engine | HasEngine,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> DemoCityStats:
    """Build every part of the demo city into an empty, migrated database. Each part is one
    transaction; the `parts` label is written last, so an interrupted build is recognised as
    incomplete and built again."""
    engine = database if isinstance(database, Engine) else database.engine
    registry = build_demo(engine, seed=seed, scale=scale, progress=progress)
    pipeline = build_pipeline_demo(engine, seed=seed, scale=scale, progress=progress)
    if progress is not None:
        progress("market", 0, 1)
    market = build_market_demo(engine, seed=seed, scale=scale)
    programmes = build_programme_demo(engine, seed=seed, scale=scale)
    collaboration = build_collaboration_demo(engine, seed=seed)
    with engine.begin() as connection:
        connection.execute(insert(dataset_info), [{"key": PARTS_KEY, "value": ALL_PARTS}])
        # the planner learns the new tables now, not a minute or more later (statistics.py)
        refresh_statistics(connection)
    if progress is not None:
        progress("market", 1, 1)
    return DemoCityStats(registry, pipeline, market, programmes, collaboration)
