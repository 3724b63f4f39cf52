"""The year-end summary counts what was valid or active on 31 December, on both backends."""

from datetime import date

from sqlalchemy import insert

from fourchain.adapters.db.registry_repo import SqlRegistryCounts
from fourchain.adapters.db.tables import certificates, enterprises, institutions, patents
from fourchain.bootstrap import Database
from fourchain.domain.credit_code import make_credit_code
from fourchain.services.registry import summarise

A = make_credit_code("91350200MA0000001")
B = make_credit_code("91350200MA0000002")
C = make_credit_code("91350200MA0000003")


def _rows(*rows: dict[str, object]) -> list[dict[str, object]]:
    """Executemany wants every row to name the same columns; absent ones are NULL."""
    keys = {key for row in rows for key in row}
    return [{key: row.get(key) for key in keys} for row in rows]


def _fill(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            insert(enterprises),
            _rows(
                {"credit_code": A, "name": "甲", "founded": date(2015, 1, 1)},
                {"credit_code": B, "name": "乙", "founded": date(2021, 6, 1)},
                {"credit_code": C, "name": "丙", "founded": None},
            ),
        )
        connection.execute(
            insert(certificates),
            _rows(
                # valid through 2020 and 2021
                {
                    "credit_code": A,
                    "tier": "hnte",
                    "issued": date(2019, 11, 1),
                    "expires": date(2022, 10, 31),
                },
                # expires on 31 Dec 2020: still held that day
                {
                    "credit_code": C,
                    "tier": "hnte",
                    "issued": date(2017, 12, 31),
                    "expires": date(2020, 12, 31),
                },
                # revoked mid-2020
                {
                    "credit_code": B,
                    "tier": "little_giant",
                    "issued": date(2019, 7, 1),
                    "expires": date(2022, 6, 30),
                    "revoked": date(2020, 5, 1),
                },
            ),
        )
        connection.execute(
            insert(institutions),
            _rows(
                {
                    "id": "L1",
                    "name": "实验室",
                    "kind": "national_key_lab",
                    "recognised": date(2018, 1, 1),
                },
                {
                    "id": "L2",
                    "name": "新实验室",
                    "kind": "national_key_lab",
                    "recognised": date(2021, 3, 1),
                },
                {
                    "id": "P1",
                    "name": "关闭的中试平台",
                    "kind": "pilot_platform",
                    "recognised": date(2016, 1, 1),
                    "closed": date(2020, 6, 1),
                },
            ),
        )
        connection.execute(
            insert(patents),
            _rows(
                # granted, old enough to be high-value by maintenance alone
                {
                    "number": "CN1",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2009, 5, 1),
                    "granted": date(2012, 1, 1),
                    "holder_credit_code": A,
                },
                # granted, flagged high-value
                {
                    "number": "CN2",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2018, 5, 1),
                    "granted": date(2020, 3, 1),
                    "hv_overseas_family": True,
                },
                # granted invention, not high-value
                {
                    "number": "CN3",
                    "title": "t",
                    "kind": "invention",
                    "filed": date(2018, 5, 1),
                    "granted": date(2020, 3, 1),
                },
                # utility model, lapsed in 2020
                {
                    "number": "CN4",
                    "title": "t",
                    "kind": "utility_model",
                    "filed": date(2017, 5, 1),
                    "granted": date(2018, 3, 1),
                    "lapsed": date(2020, 2, 1),
                },
                # not yet granted
                {"number": "CN5", "title": "t", "kind": "invention", "filed": date(2020, 5, 1)},
            ),
        )


def test_summary_counts_what_was_held_at_year_end(database: Database) -> None:
    _fill(database)
    with database.engine.connect() as connection:
        result = summarise(SqlRegistryCounts(connection), 2020)
    assert result.enterprises == 2  # B was founded in 2021
    assert result.certificates["hnte"] == 2
    assert result.certificates["little_giant"] == 0
    assert result.certificates["single_champion"] == 0
    assert result.institutions["national_key_lab"] == 1
    assert result.institutions["pilot_platform"] == 0
    assert result.patents == {"valid": 3, "valid_invention": 3, "high_value_invention": 2}


def test_next_year_drops_lapsed_certificates_and_adds_new_institutions(
    database: Database,
) -> None:
    _fill(database)
    with database.engine.connect() as connection:
        result = summarise(SqlRegistryCounts(connection), 2021)
    assert result.enterprises == 3
    assert result.certificates["hnte"] == 1
    assert result.institutions["national_key_lab"] == 2
