"""Helpers for the ingest tests: files written from rows, and a small valid registry."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from fourchain.adapters.db.ingest_repo import KIND_TABLES as RECORD_TABLES
from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.ingest import read_table
from fourchain.bootstrap import Database
from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.records import RECORD_KINDS
from fourchain.services.ingest import ImportResult, import_rows

TODAY = date(2025, 6, 30)
CODES = [make_credit_code(f"91350200MA{i:07d}") for i in range(1, 4)]


def write_csv(path: Path, header: Sequence[str], *rows: Sequence[object]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_file(
    database: Database, kind: str, path: Path, progress: list[tuple[int, int]] | None = None
) -> ImportResult:
    """Import as the CLI does: one transaction around reading, checking and writing."""
    spec = RECORD_KINDS[kind]
    with read_table(path, spec) as source, database.engine.begin() as connection:
        return import_rows(
            SqlIngestStore(connection, batch_rows=2),
            spec,
            source,
            today=TODAY,
            progress=None if progress is None else lambda d, t: progress.append((d, t)),
        )


def count(database: Database, kind: str) -> int:
    with database.engine.connect() as connection:
        query = select(func.count()).select_from(RECORD_TABLES[kind])
        return int(connection.scalar(query) or 0)


def stored(database: Database, kind: str) -> list[dict[str, object]]:
    with database.engine.connect() as connection:
        return list(SqlIngestStore(connection).records(kind))


def seed(database: Database, folder: Path) -> None:
    """Clusters, a chain, links and three enterprises, imported through the real path."""
    import_file(
        database,
        "clusters",
        write_csv(
            folder / "clusters.csv",
            ["集群键", "中文名称", "英文名称", "类别"],
            ["semiconductors", "半导体和集成电路", "Semiconductors and ICs", "strategic_emerging"],
            ["biomedicine", "生物医药", "Biomedicine", "strategic_emerging"],
        ),
    )
    import_file(
        database,
        "chains",
        write_csv(
            folder / "chains.csv",
            ["key", "name_zh", "name_en", "cluster"],
            ["ic", "集成电路产业链", "IC chain", "semiconductors"],
        ),
    )
    import_file(
        database,
        "chain_links",
        write_csv(
            folder / "links.csv",
            ["key", "chain", "name_zh", "name_en", "position"],
            ["ic_design", "ic", "芯片设计", "IC design", "upstream"],
            ["ic_packaging", "ic", "封装测试", "Packaging and testing", "downstream"],
        ),
    )
    import_file(
        database,
        "enterprises",
        write_csv(
            folder / "enterprises.csv",
            [
                "统一社会信用代码 (credit_code)",
                "企业名称 (name)",
                "成立日期",
                "cluster",
                "chain_link",
                "above_scale",
            ],
            [CODES[0], "厦门甲芯片有限公司", "2012-05-01", "semiconductors", "ic_design", "是"],
            [CODES[1], "厦门乙封测有限公司", "2019/7/15", "semiconductors", "ic_packaging", "否"],
            [CODES[2], "厦门丙生物科技有限公司", "", "biomedicine", "", ""],
        ),
    )
