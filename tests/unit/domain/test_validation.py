"""Cells become typed values by their column's type; rows are checked against the contract."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import pytest

from fourchain.domain.credit_code import make_credit_code
from fourchain.domain.records import RECORD_KINDS, FieldSpec, FieldType
from fourchain.domain.validation import (
    CROSS_RULES,
    CellProblem,
    Context,
    Raw,
    Value,
    parse_cell,
    validate_rows,
    visible_text,
)
from fourchain.errors import RowError

CODE = make_credit_code("91350200MA0000001")
OTHER = make_credit_code("91350200MA0000002")
TODAY = date(2025, 6, 30)


def spec(type_: FieldType, **kw: object) -> FieldSpec:
    return FieldSpec("x", "某列", type_, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (spec(FieldType.TEXT), "  厦门  ", "厦门"),
        (spec(FieldType.TEXT), 3976.0, "3976"),
        (spec(FieldType.TEXT), 12, "12"),
        (spec(FieldType.TEXT), "", None),
        (spec(FieldType.TEXT), "   ", None),
        (spec(FieldType.TEXT), None, None),
        (spec(FieldType.INT), "42", 42),
        (spec(FieldType.INT), " 1,234 ", 1234),
        (spec(FieldType.INT), "12.0", 12),
        (spec(FieldType.INT), 7.0, 7),
        (spec(FieldType.INT), 7, 7),
        (spec(FieldType.INT), "-3", -3),
        (spec(FieldType.NUMBER), "1,234.5", 1234.5),
        (spec(FieldType.NUMBER), "1234567.25", 1234567.25),
        (spec(FieldType.NUMBER), "-0.5", -0.5),
        (spec(FieldType.NUMBER), "1.5e3", 1500.0),
        (spec(FieldType.NUMBER), 3, 3.0),
        (spec(FieldType.DATE), "2021-03-04", date(2021, 3, 4)),
        (spec(FieldType.DATE), "2021/3/4", date(2021, 3, 4)),
        (spec(FieldType.DATE), "2021.03.04", date(2021, 3, 4)),
        (spec(FieldType.DATE), "2021年3月4日", date(2021, 3, 4)),
        (spec(FieldType.DATE), datetime(2021, 3, 4, 15, 30), date(2021, 3, 4)),
        (spec(FieldType.DATE), date(2021, 3, 4), date(2021, 3, 4)),
        (spec(FieldType.DATE), 44259, date(2021, 3, 4)),  # Excel's day number
        (spec(FieldType.DATE), 44259.0, date(2021, 3, 4)),
        (spec(FieldType.CHOICE, choices=("none", "national")), "national", "national"),
        (spec(FieldType.CHOICE, choices=("none", "national")), " National ", "national"),
        (spec(FieldType.CREDIT_CODE), CODE, CODE),
        (spec(FieldType.CREDIT_CODE), f" {CODE.lower()} ", CODE),
    ],
)
def test_a_cell_becomes_the_value_of_its_type(field: FieldSpec, raw: Raw, expected: Value) -> None:
    assert parse_cell(field, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *((word, True) for word in ("是", "true", "TRUE", "True", "1", "Y", "y", "yes", "Yes")),
        *((word, False) for word in ("否", "false", "FALSE", "0", "N", "n", "no", "No")),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (1.0, True),
    ],
)
def test_every_yes_and_no_spelling_is_understood(raw: Raw, expected: bool) -> None:
    assert parse_cell(spec(FieldType.BOOL), raw) is expected


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        (spec(FieldType.INT), "12a", '"12a" is not a number'),
        (spec(FieldType.INT), "1.5", "not a whole number"),
        (spec(FieldType.INT), True, "not a whole number"),
        (spec(FieldType.INT), "²", "not a number"),
        (spec(FieldType.NUMBER), "12a", '"12a" is not a number'),
        (spec(FieldType.NUMBER), "1,23.4", "not a number"),
        (spec(FieldType.NUMBER), "1_000", "not a number"),
        (spec(FieldType.NUMBER), "nan", "not a finite number"),
        (spec(FieldType.NUMBER), "inf", "not a finite number"),
        (spec(FieldType.NUMBER), ",", "not a number"),
        (spec(FieldType.NUMBER), date(2020, 1, 1), "not a number"),
        (spec(FieldType.BOOL), "maybe", "not yes or no"),
        (spec(FieldType.BOOL), 2, "not yes or no"),
        (spec(FieldType.DATE), "2021-02-30", "not a date on the calendar"),
        (spec(FieldType.DATE), "04/03/2021", "use YYYY-MM-DD"),
        (spec(FieldType.DATE), "yesterday", "not a date"),
        (spec(FieldType.DATE), 44259.5, "whole day number"),
        (spec(FieldType.DATE), 0, "whole day number"),
        (spec(FieldType.DATE), True, "not a date"),
        (
            spec(FieldType.CHOICE, choices=("none", "national")),
            "city",
            "not one of: none, national",
        ),
        (spec(FieldType.CREDIT_CODE), CODE[:-1] + ("0" if CODE[-1] != "0" else "1"), "check"),
        (spec(FieldType.CREDIT_CODE), "123", "18 characters"),
        (spec(FieldType.TEXT, max_length=3), "abcd", "4 characters long, at most 3"),
        (spec(FieldType.TEXT, required=True), "  ", "required but empty"),
        (spec(FieldType.INT, required=True), None, "required but empty"),
        (spec(FieldType.INT, minimum=0), "-1", "below the minimum 0"),
        (spec(FieldType.NUMBER, maximum=100.0), "100.01", "above the maximum 100"),
    ],
)
def test_a_bad_cell_says_why_in_plain_words(field: FieldSpec, raw: Raw, reason: str) -> None:
    with pytest.raises(CellProblem, match=reason):
        parse_cell(field, raw)


@pytest.mark.parametrize(
    ("raw", "ok"), [("0", True), ("100", True), ("-0.001", False), ("100.001", False)]
)
def test_minimum_and_maximum_are_inclusive(raw: str, ok: bool) -> None:
    field = spec(FieldType.NUMBER, minimum=0.0, maximum=100.0)
    if ok:
        assert parse_cell(field, raw) == float(raw)
    else:
        with pytest.raises(CellProblem):
            parse_cell(field, raw)


def check(
    kind: str, *rows: Mapping[str, Raw], context: Context | None = None
) -> tuple[list[dict[str, Value]], list[RowError]]:
    numbered = list(enumerate(rows, start=2))
    result = validate_rows(
        RECORD_KINDS[kind], numbered, file="f.csv", context=context or Context(today=TODAY)
    )
    return result.records, result.errors


def test_a_good_row_carries_every_column_with_unknowns_as_none() -> None:
    records, errors = check("enterprise_years", {"credit_code": CODE, "year": "2024"})
    assert errors == []
    assert records[0]["year"] == 2024
    assert set(records[0]) == set(RECORD_KINDS["enterprise_years"].keys)
    assert records[0]["revenue"] is None


def test_an_error_names_file_row_column_and_reason() -> None:
    _, errors = check(
        "enterprise_years",
        {"credit_code": CODE, "year": "2024"},
        {"credit_code": CODE, "year": "2023"},
        {"credit_code": CODE, "year": "2022", "revenue": "12a"},
    )
    assert [str(error) for error in errors] == [
        'f.csv:4 [revenue]: "12a" is not a number of 元 '
        "(write digits: 1,200,000, 80万, 0.8亿元) (营业收入)"
    ]


def _panel_rule_cases() -> list[tuple[str, str, str, str, bool]]:
    cases = []
    for rule in CROSS_RULES["enterprise_years"]:
        cases += [
            (rule.lower, rule.upper, "100", "100", True),  # equal is allowed
            (rule.lower, rule.upper, "99", "100", True),
            (rule.lower, rule.upper, "101", "100", False),
            (rule.lower, rule.upper, "101", "", True),  # unknown upper: nothing to compare
        ]
    return cases


@pytest.mark.parametrize(("lower", "upper", "low", "high", "ok"), _panel_rule_cases())
def test_each_panel_rule_holds_at_its_edge(
    lower: str, upper: str, low: str, high: str, ok: bool
) -> None:
    _, errors = check(
        "enterprise_years", {"credit_code": CODE, "year": "2024", lower: low, upper: high}
    )
    if ok:
        assert errors == []
    else:
        assert [(e.row, e.column) for e in errors] == [(2, lower)]
        assert "must not exceed" in errors[0].reason


@pytest.mark.parametrize(
    ("kind", "row", "column", "ok"),
    [
        (
            "certificates",
            {"tier": "hnte", "issued": "2021-01-01", "expires": "2021-01-01"},
            "issued",
            True,
        ),
        (
            "certificates",
            {"tier": "hnte", "issued": "2021-01-02", "expires": "2021-01-01"},
            "issued",
            False,
        ),
        (
            "institutions",
            {
                "id": "L1",
                "name": "实验室",
                "kind": "incubator",
                "recognised": "2020-01-01",
                "closed": "2020-01-01",
            },
            "recognised",
            True,
        ),
        (
            "institutions",
            {
                "id": "L1",
                "name": "实验室",
                "kind": "incubator",
                "recognised": "2020-01-02",
                "closed": "2020-01-01",
            },
            "recognised",
            False,
        ),
        (
            "patents",
            {
                "number": "CN1",
                "title": "t",
                "kind": "invention",
                "filed": "2020-05-01",
                "granted": "2020-05-01",
            },
            "filed",
            True,
        ),
        (
            "patents",
            {
                "number": "CN1",
                "title": "t",
                "kind": "invention",
                "filed": "2020-05-02",
                "granted": "2020-05-01",
            },
            "filed",
            False,
        ),
    ],
)
def test_dates_that_must_come_in_order_are_checked_at_the_edge(
    kind: str, row: dict[str, Raw], column: str, ok: bool
) -> None:
    if kind == "certificates":
        row = {"credit_code": CODE, **row}
    _, errors = check(kind, row)
    assert [e.column for e in errors] == ([] if ok else [column])
    if not ok:
        assert "is after" in errors[0].reason


@pytest.mark.parametrize(("year", "ok"), [(2024, True), (2025, True), (2026, False)])
def test_a_panel_year_may_not_be_in_the_future(year: int, ok: bool) -> None:
    _, errors = check("enterprise_years", {"credit_code": CODE, "year": str(year)})
    assert [e.column for e in errors] == ([] if ok else ["year"])


@pytest.mark.parametrize(
    ("founded", "year", "ok"),
    [
        (date(2020, 12, 31), 2020, True),
        (date(2021, 1, 1), 2020, False),
        (date(2019, 6, 1), 2020, True),
        (None, 2020, True),
    ],
)
def test_a_panel_year_may_not_precede_the_founding(
    founded: date | None, year: int, ok: bool
) -> None:
    context = Context(today=TODAY, founded={CODE: founded})
    _, errors = check("enterprise_years", {"credit_code": CODE, "year": str(year)}, context=context)
    assert [e.column for e in errors] == ([] if ok else ["year"])
    if not ok:
        assert "before the enterprise was founded (2021-01-01)" in errors[0].reason


@pytest.mark.parametrize(
    ("kind", "row", "known", "column"),
    [
        (
            "enterprise_years",
            {"credit_code": OTHER, "year": "2020"},
            {"enterprises": {CODE}},
            "credit_code",
        ),
        (
            "enterprises",
            {"credit_code": CODE, "name": "甲", "cluster": "biotech"},
            {"clusters": {"semiconductors"}, "chain_links": set()},
            "cluster",
        ),
        (
            "chains",
            {"key": "c", "name_zh": "链", "name_en": "chain", "cluster": "x"},
            {"clusters": {"y"}},
            "cluster",
        ),
        (
            "patents",
            {
                "number": "CN1",
                "title": "t",
                "kind": "design",
                "filed": "2020-01-01",
                "holder_institution": "L9",
            },
            {"institutions": {"L1"}, "enterprises": set()},
            "holder_institution",
        ),
    ],
)
def test_a_reference_to_a_record_the_registry_lacks_is_an_error(
    kind: str, row: dict[str, Raw], known: dict[str, set[str]], column: str
) -> None:
    _, errors = check(kind, row, context=Context(today=TODAY, known=known))
    assert [e.column for e in errors] == [column]
    assert "import it there first" in errors[0].reason


def test_a_known_reference_passes() -> None:
    context = Context(today=TODAY, known={"enterprises": {CODE}})
    records, errors = check(
        "certificates",
        {"credit_code": CODE, "tier": "hnte", "issued": "2020-01-01", "expires": "2022-12-31"},
        context=context,
    )
    assert errors == [] and len(records) == 1


def test_a_duplicate_natural_key_reports_the_later_row_naming_the_first() -> None:
    _, errors = check(
        "enterprise_years",
        {"credit_code": CODE, "year": "2020"},
        {"credit_code": CODE, "year": "2021"},
        {"credit_code": CODE.lower(), "year": "2020.0"},
    )
    assert [(e.row, e.column) for e in errors] == [(4, "credit_code,year")]
    assert errors[0].reason == f"duplicate of row 2 (credit_code={CODE}, year=2020)"


def test_a_row_whose_key_is_unreadable_is_not_called_a_duplicate() -> None:
    _, errors = check(
        "enterprise_years", {"credit_code": CODE, "year": "x"}, {"credit_code": CODE, "year": "x"}
    )
    assert [(e.row, e.column) for e in errors] == [(2, "year"), (3, "year")]


def test_every_error_of_a_row_is_kept_and_no_record_comes_from_a_bad_row() -> None:
    records, errors = check(
        "enterprise_years",
        {"credit_code": "bad", "year": "", "employees": "-1", "revenue": "x"},
        {"credit_code": CODE, "year": "2020"},
    )
    assert [e.column for e in errors] == ["credit_code", "year", "employees", "revenue"]
    assert [r["credit_code"] for r in records] == [CODE]


MONEY = RECORD_KINDS["enterprise_years"].field("revenue")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,200,000", 1_200_000.0),
        ("1200000", 1_200_000.0),
        ("80万", 800_000.0),
        ("80万元", 800_000.0),
        ("0.8亿元", 80_000_000.0),
        ("0.7亿", 70_000_000.0),
        ("1,234.5元", 1234.5),
        (" 12.5 万 ", 125_000.0),
        (3_000_000, 3_000_000.0),
    ],
)
def test_money_is_read_in_yuan_with_its_units(raw: Raw, expected: float) -> None:
    assert parse_cell(MONEY, raw) == expected


@pytest.mark.parametrize("raw", ["八十万", "八十万元", "万", "1.2.3万", "80w", "约80万"])
def test_words_where_a_number_belongs_are_refused_not_guessed(raw: str) -> None:
    with pytest.raises(CellProblem, match="is not a number of 元"):
        parse_cell(MONEY, raw)


@pytest.mark.parametrize(
    ("kind", "column", "raw", "expected"),
    [
        ("certificates", "tier", "高新技术企业", "hnte"),
        ("certificates", "tier", "High and new technology enterprise", "hnte"),
        ("certificates", "tier", "HNTE", "hnte"),
        ("institutions", "kind", "概念验证中心", "proof_of_concept_centre"),
        ("institutions", "level", "国家级", "national"),
        ("patents", "kind", "发明专利", "invention"),
        ("enterprises", "district", "湖里区", "湖里"),
        ("enterprises", "district", "湖里", "湖里"),
        ("enterprises", "key_chain_role", "Fills a gap in the chain", "fills_gap"),
    ],
)
def test_a_coded_column_takes_the_key_the_chinese_or_the_english_name(
    kind: str, column: str, raw: str, expected: str
) -> None:
    assert parse_cell(RECORD_KINDS[kind].field(column), raw) == expected


def test_a_refused_code_says_what_was_expected_and_lists_the_valid_codes() -> None:
    with pytest.raises(CellProblem) as caught:
        parse_cell(RECORD_KINDS["institutions"].field("level"), "县级")
    message = str(caught.value)
    assert "none (无 / None), municipal (市级 / Municipal)" in message
    assert "national (国家级 / National)" in message


def test_a_cluster_named_in_chinese_or_english_is_stored_by_its_key() -> None:
    context = Context(
        today=TODAY,
        known={"clusters": {"electronic_information"}, "chain_links": set()},
        aliases={
            "clusters": {
                "电子信息": "electronic_information",
                "electronic information": "electronic_information",
            }
        },
    )
    for name in ("电子信息", "Electronic information", "electronic_information"):
        records, errors = check(
            "enterprises", {"credit_code": CODE, "name": "甲", "cluster": name}, context=context
        )
        assert errors == []
        assert records[0]["cluster"] == "electronic_information"


def test_an_unknown_cluster_lists_the_clusters_there_are() -> None:
    context = Context(today=TODAY, known={"clusters": {"biotech", "semiconductors"}})
    _, errors = check(
        "enterprises", {"credit_code": CODE, "name": "甲", "cluster": "电子"}, context=context
    )
    assert errors[0].reason.endswith("the codes are: biotech, semiconductors")


@pytest.mark.parametrize(("code", "flag"), [("91350211M0000XUF46", True), (CODE, False)])
def test_an_enterprise_with_a_pilot_era_code_is_flagged_as_such(code: str, flag: bool) -> None:
    records, errors = check(
        "enterprises",
        {"credit_code": code, "name": "甲", "credit_code_pre_standard": "否"},
        context=Context(today=TODAY),
    )
    assert errors == []
    assert records[0]["credit_code_pre_standard"] is flag


@pytest.mark.parametrize(
    "raw",
    [
        "厦门\u200b甲公司",  # zero-width space
        "\ufeff厦门甲公司",  # byte-order mark
        "厦门甲\u200d公司\u2060",  # zero-width joiner, word joiner
        "厦门\u202e甲公司",  # right-to-left override
        "厦门\u00ad甲公司",  # soft hyphen
        "厦门甲公司\x07",  # a control character
        " 厦门甲公司\u200c ",
    ],
)
def test_invisible_characters_are_stripped_from_text_cells(raw: str) -> None:
    name = RECORD_KINDS["enterprises"].field("name")
    assert parse_cell(name, raw) == "厦门甲公司"
    assert visible_text(raw) == "厦门甲公司"


def _call(**cells: Raw) -> dict[str, Raw]:
    row: dict[str, Raw] = {
        "id": 1,
        "title": "高端芯片封装攻关",
        "problem": "难题",
        "conditions": "条件",
        "reward": "500万",
        "apply_by": "2025/3/1",
        "field": "集成电路",
        "rubric": None,
        "min_reviews": 3,
        "state": "已发榜",
        "published": "2025年1月2日",
    }
    return row | cells


def test_a_challenge_call_takes_the_default_rubric_and_refuses_one_it_cannot_read() -> None:
    kind = RECORD_KINDS["challenge_calls"]
    good = validate_rows(kind, [(2, _call())], file="calls.csv", context=Context(today=TODAY))
    assert good.errors == []
    (record,) = good.records
    assert record["state"] == "published" and record["reward"] == 5_000_000
    assert '"key": "approach"' in str(record["rubric"])
    bad = validate_rows(
        kind, [(2, _call(rubric='[{"key": "x"}]'))], file="calls.csv", context=Context(today=TODAY)
    )
    assert [(e.row, e.column) for e in bad.errors] == [(2, "rubric")]
    assert "expected" in bad.errors[0].reason and bad.records == []


def _cooperation(**cells: Raw) -> dict[str, Raw]:
    row: dict[str, Raw] = {
        "id": 7,
        "kind": "揭榜挂帅",
        "year": 2024,
        "title": "联合攻关",
        "lead_kind": "企业",
        "lead_id": CODE,
        "partners": f"institution:xmu, enterprise:{OTHER}",
        "funding": "80万",
        "challenge_call_id": 1,
    }
    return row | cells


def test_a_cooperation_project_names_known_partners_and_its_call() -> None:
    kind = RECORD_KINDS["cooperation_projects"]
    context = Context(
        today=TODAY,
        known={
            "enterprises": {CODE, OTHER},
            "institutions": {"xmu"},
            "challenge_calls": {"1"},
        },
    )
    good = validate_rows(kind, [(2, _cooperation())], file="coop.csv", context=context)
    assert good.errors == []
    assert good.records[0]["partners"] == f"institution:xmu,enterprise:{OTHER}"
    rows = [
        (2, _cooperation(partners="institution:nowhere")),
        (3, _cooperation(id=8, partners=f"enterprise:{CODE}")),
        (4, _cooperation(id=9, challenge_call_id=None)),
        (5, _cooperation(id=10, challenge_call_id=99)),
        (6, _cooperation(id=11, partners="xmu")),
    ]
    bad = validate_rows(kind, rows, file="coop.csv", context=context)
    assert [(e.row, e.column) for e in bad.errors] == [
        (2, "partners"),
        (3, "partners"),
        (4, "challenge_call_id"),
        (5, "challenge_call_id"),
        (6, "partners"),
    ]
    assert bad.records == []
