"""Imports on SQLite and PostgreSQL: all or nothing, upserts by natural key, exact round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from fourchain.adapters.db.ingest_repo import KIND_TABLES as RECORD_TABLES
from fourchain.adapters.db.ingest_repo import SqlIngestStore
from fourchain.adapters.db.tables import certificates, enterprises
from fourchain.adapters.ingest import write_table
from fourchain.bootstrap import Database
from fourchain.domain.credit_code import credit_code_problem, make_credit_code
from fourchain.domain.records import RECORD_KINDS
from fourchain.domain.validation import REFERENCES
from fourchain.errors import ImportRejected, InvalidInput
from fourchain.services.ingest import export_rows
from tests.integration.ingest.conftest import CODES, count, import_file, seed, stored, write_csv

PANEL_HEADER = ["credit_code", "year", "employees", "st_staff", "revenue", "main_business_revenue"]


def test_every_foreign_key_of_the_tables_is_a_checked_reference() -> None:
    # A reference the import does not check would surface as a raw database error instead.
    for kind, table in RECORD_TABLES.items():
        for fk in table.foreign_keys:
            assert REFERENCES[kind][fk.parent.name] == fk.column.table.name, (kind, fk)


def test_a_good_file_of_each_kind_is_imported(database: Database, tmp_path: Path) -> None:
    seed(database, tmp_path)
    result = import_file(
        database,
        "enterprise_years",
        write_csv(
            tmp_path / "panel.csv",
            PANEL_HEADER,
            [CODES[0], 2023, 120, 30, "1,234,567.5", "1,200,000"],
            [CODES[0], 2024, 130, 35, "2000000", "1900000"],
            [CODES[1], 2024, 12, 3, "", ""],
        ),
    )
    assert (result.rows, result.inserted, result.updated) == (3, 3, 0)
    import_file(
        database,
        "certificates",
        write_csv(
            tmp_path / "certs.csv",
            ["credit_code", "tier", "number", "issued", "expires"],
            [CODES[0], "hnte", "GR202335000001", "2023-11-01", "2026-10-31"],
        ),
    )
    import_file(
        database,
        "institutions",
        write_csv(
            tmp_path / "inst.csv",
            ["id", "name", "kind", "level", "host_credit_code", "recognised", "cluster"],
            [
                "L1",
                "厦门甲芯片研发中心",
                "enterprise_rd_centre",
                "municipal",
                CODES[0],
                "2020-01-01",
                "semiconductors",
            ],
        ),
    )
    import_file(
        database,
        "patents",
        write_csv(
            tmp_path / "patents.csv",
            [
                "number",
                "title",
                "kind",
                "holder_credit_code",
                "holder_institution",
                "filed",
                "granted",
                "hv_award",
            ],
            [
                "ZL202310000001.1",
                "一种芯片封装结构",
                "invention",
                CODES[1],
                "L1",
                "2023-01-05",
                "2024-03-01",
                "N",
            ],
        ),
    )
    import_file(
        database,
        "macro_stats",
        write_csv(
            tmp_path / "macro.csv",
            ["region", "year", "key", "value", "unit", "source"],
            ["厦门", 2024, "gdp", "8589.01", "亿元", "统计公报"],
        ),
    )
    # clusters: the ten the migration seeds, and semiconductors
    assert [count(database, k) for k in list(RECORD_KINDS)[:9]] == [3, 3, 1, 1, 1, 1, 11, 1, 2]
    panel = stored(database, "enterprise_years")
    assert panel[0]["revenue"] == 1234567.5 and panel[0]["year"] == 2023
    assert panel[2]["revenue"] is None
    first = stored(database, "enterprises")[0]
    assert first["founded"] == date(2012, 5, 1) and first["above_scale"] is True


def test_a_bad_file_writes_nothing_and_names_file_row_column_and_reason(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)
    bad = CODES[0].replace("9135", "9235")
    path = write_csv(
        tmp_path / "panel.csv",
        PANEL_HEADER,
        [CODES[0], 2023, 120, 30, "100", "90"],
        [CODES[0], 2024, 120, 130, "100", "12a"],
        [bad, 2024, 1, 1, "1", "1"],
        [CODES[0], 2023, 1, 1, "1", "1"],
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(database, "enterprise_years", path)
    assert [str(e) for e in caught.value.errors] == [
        'panel.csv:3 [main_business_revenue]: "12a" is not a number of 元 '
        "(write digits: 1,200,000, 80万, 0.8亿元) (主营业务收入)",
        "panel.csv:3 [st_staff]: st_staff 130 is more than employees 120 "
        "(科技人员数 must not exceed 职工总数)",
        f'panel.csv:4 [credit_code]: "{bad}": {credit_code_problem(bad)} (统一社会信用代码)',
        f"panel.csv:5 [credit_code,year]: duplicate of row 2 (credit_code={CODES[0]}, year=2023)",
    ]
    assert caught.value.message == "panel.csv: 4 bad row(s); nothing was imported"
    assert count(database, "enterprise_years") == 0


@pytest.mark.parametrize(
    ("kind", "header", "row", "column"),
    [
        ("enterprise_years", ["credit_code", "year"], ["UNKNOWN", 2024], "credit_code"),
        ("enterprises", ["credit_code", "name", "cluster"], ["NEW", "丁", "aerospace"], "cluster"),
        ("enterprises", ["credit_code", "name", "chain_link"], ["NEW", "丁", "ic_x"], "chain_link"),
        (
            "certificates",
            ["credit_code", "tier", "issued", "expires"],
            ["UNKNOWN", "hnte", "2020-01-01", "2022-01-01"],
            "credit_code",
        ),
        ("chains", ["key", "name_zh", "name_en", "cluster"], ["x", "链", "x", "none"], "cluster"),
        (
            "chain_links",
            ["key", "chain", "name_zh", "name_en", "position"],
            ["k", "nochain", "环节", "link", "upstream"],
            "chain",
        ),
        (
            "patents",
            ["number", "title", "kind", "filed", "holder_institution"],
            ["CN1", "t", "design", "2020-01-01", "L404"],
            "holder_institution",
        ),
        (
            "institutions",
            ["id", "name", "kind", "host_credit_code"],
            ["L2", "中心", "incubator", "UNKNOWN"],
            "host_credit_code",
        ),
    ],
)
def test_a_reference_the_registry_lacks_rejects_the_file(
    database: Database, tmp_path: Path, kind: str, header: list[str], row: list[object], column: str
) -> None:
    unknown = make_credit_code("91350200MA9999999")
    row = [unknown if cell == "UNKNOWN" else cell for cell in row]
    row = [make_credit_code("91350200MA8888888") if cell == "NEW" else cell for cell in row]
    seed(database, tmp_path)
    before = count(database, kind)
    with pytest.raises(ImportRejected) as caught:
        import_file(database, kind, write_csv(tmp_path / "f.csv", header, row))
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, column)]
    assert count(database, kind) == before


def test_a_panel_year_before_the_stored_founding_is_rejected(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)  # CODES[1] was founded on 2019-07-15
    path = write_csv(tmp_path / "p.csv", ["credit_code", "year"], [CODES[1], 2018])
    with pytest.raises(ImportRejected, match="1 bad row") as caught:
        import_file(database, "enterprise_years", path)
    assert "before the enterprise was founded (2019-07-15)" in caught.value.errors[0].reason


def test_reimporting_creates_no_duplicates_and_updates_changed_values(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)
    rows = [[CODES[0], 2023, 120, 30, "100", "90"], [CODES[1], 2023, 10, 1, "50", "50"]]
    path = write_csv(tmp_path / "panel.csv", PANEL_HEADER, *rows)
    import_file(database, "enterprise_years", path)
    again = import_file(database, "enterprise_years", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    rows[1][4] = "60"
    rows.append([CODES[2], 2023, 5, 1, "", ""])
    changed = import_file(database, "enterprise_years", write_csv(path, PANEL_HEADER, *rows))
    assert (changed.inserted, changed.updated, changed.unchanged) == (1, 1, 1)
    panel = stored(database, "enterprise_years")
    assert len(panel) == 3
    assert [p["revenue"] for p in panel] == [100.0, 60.0, None]


def test_a_certificate_is_matched_on_code_tier_and_issue_date(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)
    header = ["credit_code", "tier", "issued", "expires", "issuer"]
    first = [CODES[0], "hnte", "2020-11-01", "2023-10-31", "厦门市科技局"]
    import_file(database, "certificates", write_csv(tmp_path / "c.csv", header, first))
    with database.engine.connect() as connection:
        (cert_id,) = connection.execute(select(certificates.c.id)).one()
    renewal = [CODES[0], "hnte", "2023-11-01", "2026-10-31", "厦门市科技局"]
    corrected = [*first[:4], "福建省科技厅"]
    result = import_file(
        database, "certificates", write_csv(tmp_path / "c.csv", header, corrected, renewal)
    )
    assert (result.inserted, result.updated) == (1, 1)
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(certificates.c.id, certificates.c.issuer).order_by(certificates.c.issued)
        ).all()
    assert rows[0] == (cert_id, "福建省科技厅")  # the stored row kept its id
    assert len(rows) == 2


def test_progress_is_reported_batch_by_batch_up_to_the_total(
    database: Database, tmp_path: Path
) -> None:
    seed(database, tmp_path)
    path = write_csv(
        tmp_path / "panel.csv", ["credit_code", "year"], *([CODES[0], y] for y in range(2019, 2024))
    )
    seen: list[tuple[int, int]] = []
    import_file(database, "enterprise_years", path, progress=seen)
    assert seen == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(
    database: Database, tmp_path: Path, suffix: str
) -> None:
    seed(database, tmp_path)
    with database.engine.begin() as connection:
        # Values that tempt a spreadsheet or a lossy writer.
        connection.execute(
            update(enterprises)
            .where(enterprises.c.credit_code == CODES[2])
            .values(name='=HYPERLINK("http://x","点我")', zone="-东区", district="'思明")
        )
    import_file(
        database,
        "enterprise_years",
        write_csv(
            tmp_path / "panel.csv",
            [*PANEL_HEADER, "net_profit", "niche_market_share", "major_incident"],
            [CODES[0], 2023, 120, 30, "1234567.89", "1000000.1", "-0.3", "33.333", "否"],
            [CODES[1], 2024, "", "", "0.1", "", "-12", "", "是"],
        ),
    )
    before = {kind: stored(database, kind) for kind in RECORD_KINDS}
    for kind in RECORD_KINDS:
        out = tmp_path / f"{kind}{suffix}"
        with database.engine.connect() as connection:
            written = write_table(
                out, RECORD_KINDS[kind], export_rows(SqlIngestStore(connection), RECORD_KINDS[kind])
            )
        assert written == len(before[kind])
        if written:
            result = import_file(database, kind, out)
            assert (result.inserted, result.updated, result.unchanged) == (0, 0, written), kind
    assert {kind: stored(database, kind) for kind in RECORD_KINDS} == before


def test_an_export_escapes_formula_text(database: Database, tmp_path: Path) -> None:
    seed(database, tmp_path)
    with database.engine.begin() as connection:
        connection.execute(
            update(enterprises).where(enterprises.c.credit_code == CODES[0]).values(name="=1+1")
        )
    out = tmp_path / "e.csv"
    with database.engine.connect() as connection:
        spec = RECORD_KINDS["enterprises"]
        write_table(out, spec, export_rows(SqlIngestStore(connection), spec))
    assert f"{CODES[0]},'=1+1," in out.read_text(encoding="utf-8-sig")


def test_export_of_one_year_holds_only_that_year(database: Database, tmp_path: Path) -> None:
    seed(database, tmp_path)
    import_file(
        database,
        "enterprise_years",
        write_csv(tmp_path / "p.csv", ["credit_code", "year"], [CODES[0], 2023], [CODES[0], 2024]),
    )
    with database.engine.connect() as connection:
        store = SqlIngestStore(connection)
        years = [r["year"] for r in export_rows(store, RECORD_KINDS["enterprise_years"], 2024)]
        assert years == [2024]
        with pytest.raises(InvalidInput, match="--year applies to enterprise_years, macro_stats"):
            export_rows(store, RECORD_KINDS["clusters"], 2024)
