"""The collaboration and honours kinds import, export and import again unchanged; a bad row is
refused with file, row and field, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.ingest import write_table
from fourchain.bootstrap import Database
from fourchain.domain.records import RECORD_KINDS
from fourchain.errors import ImportRejected
from fourchain.services.ingest import export_rows
from tests.integration.ingest.conftest import CODES, count, import_file, seed, stored, write_csv

KINDS = ("partners", "networks", "network_members", "joint_projects", "honours")


def _load(database: Database, folder: Path) -> None:
    seed(database, folder)
    import_file(
        database,
        "partners",
        write_csv(
            folder / "partners.csv",
            ["key", "name_zh", "name_en", "country", "kind", "city"],
            ["sp1", "圣保罗创新中心", "Sao Paulo Innovation Centre", "BR", "incubator", ""],
            ["ka1", "喀山大学", "Kazan University", "RUS", "高校", "Kazan"],
            ["fz1", "福州研究院", "Fuzhou Institute", "China", "research_institute", ""],
        ),
    )
    import_file(
        database,
        "networks",
        write_csv(
            folder / "networks.csv",
            ["key", "name_zh", "name_en", "kind", "founded"],
            ["brics_incubation", "金砖网络", "BRICS network", "network", "2021-03-01"],
        ),
    )
    import_file(
        database,
        "network_members",
        write_csv(
            folder / "members.csv",
            ["id", "network", "partner", "joined", "left"],
            [1, "brics_incubation", "sp1", "2021-05-01", ""],
            [2, "brics_incubation", "ka1", "2022-05-01", "2024-01-01"],
        ),
    )
    import_file(
        database,
        "joint_projects",
        write_csv(
            folder / "projects.csv",
            ["id", "title", "partner", "network", "credit_code", "started"],
            [1, "跨境孵化", "sp1", "brics_incubation", CODES[0], "2023-04-01"],
            [2, "联合研发", "fz1", "", "", "2024-04-01"],
        ),
    )
    import_file(
        database,
        "honours",
        write_csv(
            folder / "honours.csv",
            ["id", "kind", "category", "title", "holder", "awarded", "rank", "source"],
            [1, "ranking", "torch_zone_evaluation", "综合评价", "高新区", "2024-11-20", 14, "通报"],
        ),
    )


def test_partners_store_iso_codes_from_codes_and_names(database: Database, tmp_path: Path) -> None:
    _load(database, tmp_path)
    assert {r["key"]: r["country"] for r in stored(database, "partners")} == {
        "sp1": "BR",
        "ka1": "RU",
        "fz1": "CN",
    }
    assert count(database, "network_members") == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_new_kinds_round_trip_unchanged(
    database: Database, tmp_path: Path, suffix: str
) -> None:
    _load(database, tmp_path)
    for kind in KINDS:
        before = stored(database, kind)
        out = tmp_path / f"out-{kind}{suffix}"
        with database.engine.connect() as connection:
            rows = export_rows(SqlIngestStore(connection), RECORD_KINDS[kind])
            written = write_table(out, RECORD_KINDS[kind], rows)
        assert written == len(before) > 0
        result = import_file(database, kind, out)
        assert (result.inserted, result.updated, result.unchanged) == (0, 0, written), kind
        assert stored(database, kind) == before


def test_a_bad_row_names_file_row_and_field_and_writes_nothing(
    database: Database, tmp_path: Path
) -> None:
    _load(database, tmp_path)
    path = write_csv(
        tmp_path / "more.csv",
        ["key", "name_zh", "name_en", "country", "kind"],
        ["ok1", "好机构", "Good", "IN", "university"],
        ["bad1", "坏机构", "Bad", "Atlantis", "university"],
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(database, "partners", path)
    (error,) = caught.value.errors
    assert str(error).startswith("more.csv:3 [country]: 'Atlantis' is not an ISO 3166 country")
    assert count(database, "partners") == 3
    members = write_csv(
        tmp_path / "members2.csv",
        ["id", "network", "partner", "joined", "left"],
        [3, "brics_incubation", "nobody", "2021-05-01", ""],
        [4, "brics_incubation", "sp1", "2024-05-01", "2023-01-01"],
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(database, "network_members", members)
    shown = [str(e) for e in caught.value.errors]
    assert shown[0].startswith(
        'members2.csv:2 [partner]: "nobody" is not in the registry\'s partners'
    )
    assert shown[1].startswith("members2.csv:3 [joined]: joined 2024-05-01 is after left")
    assert count(database, "network_members") == 2
