"""Build the demo city: generate every record deterministically from a seed and write it into
an empty registry in one transaction. The public entry point is `build_demo`."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import Connection, Engine, Table, func, insert, select

from fourchain.adapters.db.tables import (
    certificates,
    chain_links,
    chains,
    enterprise_years,
    enterprises,
    institutions,
    macro_stats,
    patents,
)
from fourchain.adapters.db.tables_demo import dataset_info
from fourchain.demo.calibrate import calibrate_rd_ratio, calibrate_strategic
from fourchain.demo.calibration import FIRMS_AT_SCALE_1
from fourchain.demo.chains import chain_rows, link_rows
from fourchain.demo.checks import derived_figures
from fourchain.demo.firms import Firm, make_firms
from fourchain.demo.institutions import make_institutions
from fourchain.demo.macro import macro_rows
from fourchain.demo.panel import finish_row, panel_rows
from fourchain.demo.patents import YearFlags, ip_columns, make_patents, yearly
from fourchain.demo.tiers import Ladder
from fourchain.domain.registry import Patent
from fourchain.errors import Conflict, InvalidInput

DEFAULT_SEED = 20251022  # the day the published figures were announced
GENERATOR_VERSION = "1.0"
DATASET_NAME_ZH = "示例城市（合成数据）"
DATASET_NAME_EN = "synthetic demo city"
_CHUNK = 5000

Progress = Callable[[str, int, int], None]
Row = dict[str, object]


class HasEngine(Protocol):
    @property
    def engine(self) -> Engine: ...


@dataclass(frozen=True)
class DemoStats:
    """What a build wrote and the calibrated figures it reached."""

    seed: int
    scale: float
    rows: dict[str, int]
    seconds: float
    generate_seconds: float
    figures: dict[str, float] = field(default_factory=dict)


def _stream(seed: int, name: str) -> random.Random:
    # A separate stream per part keeps each part stable when another part changes.
    return random.Random(f"fourchain-demo:{seed}:{name}")


def _assign_niches(
    rng: random.Random, firms: list[Firm], first_issue: dict[tuple[int, str], int]
) -> None:
    """Niche-market entry years and chain roles that fit each firm's rungs (little giants ≥ 3
    years in the niche, champions ≥ 10, provincial srdi ≥ 2)."""
    for firm in firms:
        start = firm.founded.year
        champion = first_issue.get((firm.index, "single_champion"))
        giant = first_issue.get((firm.index, "little_giant"))
        srdi = first_issue.get((firm.index, "srdi_sme"))
        if champion is not None:
            firm.niche_since = rng.randint(start, max(start, champion - 11))
        elif giant is not None:
            latest = giant - 3 if firm.compliant else giant - 2
            firm.niche_since = rng.randint(min(start, latest), max(start, latest))
        elif srdi is not None:
            firm.niche_since = rng.randint(start, max(start, srdi - 2))
        elif firm.section in ("C", "I") and firm.tech >= 0.55 and rng.random() < 0.3:
            firm.niche_since = rng.randint(start, max(start, 2025))
        if giant is not None or champion is not None:
            # The little-giant condition is a 补短板/锻长板/填空白 role in a key chain.
            firm.key_chain_role = (
                rng.choices(("fills_gap", "supplies_leading"), weights=(9, 1))[0]
                if firm.compliant
                else "supplies_leading"
            )


def generate(
    seed: int, scale: float, progress: Progress
) -> tuple[dict[str, list[Row]], dict[str, float]]:
    """Every table's rows, in insertion order, and the derived figures they give."""
    count = max(50, round(FIRMS_AT_SCALE_1 * scale))
    firms = make_firms(_stream(seed, "firms"), count)
    progress("enterprises", 1, 6)
    ladder = Ladder(_stream(seed, "tiers"), firms, scale)
    certs = ladder.run()
    first_issue: dict[tuple[int, str], int] = {}
    first_hnte: dict[int, date] = {}
    for cert in certs:
        key = (cert.firm.index, cert.tier)
        first_issue[key] = min(first_issue.get(key, 9999), cert.issued.year)
        if cert.tier == "hnte":
            index = cert.firm.index
            first_hnte[index] = min(first_hnte.get(index, cert.issued), cert.issued)
    _assign_niches(_stream(seed, "niches"), firms, first_issue)
    progress("certificates", 2, 6)
    rng = _stream(seed, "panel")
    panel = [(firm, row) for firm in firms for row in panel_rows(rng, firm)]
    factors = calibrate_rd_ratio(panel)
    share = calibrate_strategic(_stream(seed, "strategic"), panel)
    progress("panel", 3, 6)
    institution_rows = make_institutions(_stream(seed, "institutions"), firms, scale)
    progress("institutions", 4, 6)
    patent_list = make_patents(_stream(seed, "patents"), firms, institution_rows, first_hnte, scale)
    status = {p.number: yearly(p) for p in patent_list}
    _fill_ip(_stream(seed, "ip"), firms, panel, patent_list, status)
    for _, row in panel:
        finish_row(row)
    last_row: dict[int, Row] = {firm.index: row for firm, row in panel}
    enterprise_rows = []
    for firm in firms:
        row = firm.enterprise_row()
        main = last_row[firm.index]["main_business_revenue"] if firm.index in last_row else None
        row["above_scale"] = None if not isinstance(main, float) else main >= 2e7
        enterprise_rows.append(row)
    progress("patents", 5, 6)
    tables: dict[str, list[Row]] = {
        "chains": chain_rows(),
        "chain_links": link_rows(),
        "enterprises": enterprise_rows,
        "enterprise_years": [row for _, row in panel],
        "certificates": [cert.row() for cert in certs],
        "institutions": institution_rows,
        "patents": [_patent_row(p) for p in patent_list],
        "macro_stats": macro_rows(),
        "dataset_info": _info_rows(seed, scale),
    }
    figures = derived_figures(firms, panel, tables["macro_stats"], status)
    figures.update({f"rd_factor_{year}": f for year, f in factors.items()})
    figures["strategic_share_calibrated"] = share
    return tables, figures


def _fill_ip(
    rng: random.Random,
    firms: list[Firm],
    panel: Sequence[tuple[Firm, Row]],
    held: list[Patent],
    status: Mapping[str, YearFlags],
) -> None:
    by_holder: dict[str, list[Patent]] = {}
    for patent in held:
        if patent.holder_credit_code is not None:
            by_holder.setdefault(patent.holder_credit_code, []).append(patent)
    columns = {f.index: ip_columns(f, by_holder.get(f.credit_code, []), status, rng) for f in firms}
    for firm, row in panel:
        year = int(str(row["year"]))
        row.update(columns[firm.index][year])


def _patent_row(p: Patent) -> Row:
    return {
        "number": p.number,
        "title": p.title,
        "kind": p.kind.value,
        "abstract": p.abstract,
        "ipc": p.ipc,
        "holder_credit_code": p.holder_credit_code,
        "holder_institution": p.holder_institution,
        "filed": p.filed,
        "granted": p.granted,
        "lapsed": p.lapsed,
        "hv_strategic_emerging": p.hv_strategic_emerging,
        "hv_overseas_family": p.hv_overseas_family,
        "hv_pledge_financing": p.hv_pledge_financing,
        "hv_award": p.hv_award,
    }


def _info_rows(seed: int, scale: float) -> list[Row]:
    facts = {
        "synthetic": "true",
        "name_zh": DATASET_NAME_ZH,
        "name_en": DATASET_NAME_EN,
        "seed": str(seed),
        "scale": repr(scale),
        "generator": "fourchain.demo",
        "generator_version": GENERATOR_VERSION,
        "years": "2020-2025",
        "note": "全部记录为合成数据，仅用于演示；all records are synthetic, for demonstration.",
    }
    return [{"key": k, "value": v} for k, v in facts.items()]


_TABLES: dict[str, Table] = {
    "chains": chains,
    "chain_links": chain_links,
    "enterprises": enterprises,
    "enterprise_years": enterprise_years,
    "certificates": certificates,
    "institutions": institutions,
    "patents": patents,
    "macro_stats": macro_stats,
    "dataset_info": dataset_info,
}


def _engine(database: Engine | HasEngine) -> Engine:
    return database if isinstance(database, Engine) else database.engine


def _refuse_non_empty(connection: Connection) -> None:
    held = int(connection.scalar(select(func.count()).select_from(enterprises)) or 0)
    info = int(connection.scalar(select(func.count()).select_from(dataset_info)) or 0)
    if held or info:
        raise Conflict(
            f"the database already holds {held:,} enterprises"
            + (" and a dataset label" if info else "")
            + "; the demo city is built only into an empty registry"
        )


def check_scale(scale: float) -> None:
    if not 0 < scale <= 1:
        raise InvalidInput(f"scale must be in (0, 1], got {scale}")


def build_demo(
    database: Engine | HasEngine,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> DemoStats:
    """Generate the synthetic demo city and write it into an empty, migrated registry, all in
    one transaction. The published figures are exact only at scale 1."""
    check_scale(scale)
    report = progress or (lambda _stage, _done, _total: None)
    started = time.perf_counter()
    engine = _engine(database)
    with engine.connect() as connection:
        _refuse_non_empty(connection)
    tables, figures = generate(seed, scale, report)
    generated = time.perf_counter()
    written: dict[str, int] = {}
    total = sum(len(rows) for rows in tables.values())
    done = 0
    with engine.begin() as connection:
        _refuse_non_empty(connection)
        for name, rows in tables.items():
            for start in range(0, len(rows), _CHUNK):
                chunk = rows[start : start + _CHUNK]
                connection.execute(insert(_TABLES[name]), chunk)
                done += len(chunk)
                report(f"write {name}", done, total)
            written[name] = len(rows)
    return DemoStats(
        seed=seed,
        scale=scale,
        rows=written,
        seconds=time.perf_counter() - started,
        generate_seconds=generated - started,
        figures=figures,
    )
