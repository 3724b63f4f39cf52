"""`fourchain assess`, `pool`, `expiring` and `ladder` from the command line: the JSON shape,
the input file and its template, one-line errors with exit code 2."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fourchain.bootstrap import Database
from fourchain.entrypoints.cli.main import run
from tests.integration.cultivation.random_profiles import profiles
from tests.integration.cultivation.registry_fill import fill

TIERS = ["tech_sme", "hnte", "innovative_sme", "srdi_sme", "little_giant", "single_champion"]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert run(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_template_is_an_input_file_that_assess_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    template = tmp_path / f"input{suffix}"
    assert run(["assess", "--template", str(template)]) == 0
    capsys.readouterr()
    found = _json(capsys, ["assess", "--input", str(template), "--year", "2025", "--json"])
    assert isinstance(found, list)
    assert [o["tier"] for o in found] == TIERS
    for obj in found:
        assert {"credit_code", "tier", "rule_set", "outcome", "score", "criteria"} <= set(obj)
        assert obj["outcome"] in ("likely", "near", "not_yet", "unknown")
        for criterion in obj["criteria"]:
            assert {"id", "outcome", "value", "threshold", "gap", "basis"} <= set(criterion)
    hnte = found[1]
    assert hnte["rule_set"] == "hnte-2016"
    rd = next(c for c in hnte["criteria"] if c["id"] == "rd_ratio")
    assert rd["outcome"] == "unmet" and "研发费用" in rd["gap"]["zh"]


def test_a_chinese_header_and_a_chosen_tier_and_version_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "firms.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["统一社会信用代码", "年度", "进入细分市场年份", "营业收入", "研发费用"])
        writer.writerow(["91350200MA2Y0C0X1B", "2025", "2019", "12000000", "400000"])
    found = _json(
        capsys,
        ["assess", "--input", str(path), "--year", "2025", "--rule-set", "srdi_sme-2022", "--json"],
    )
    assert [o["rule_set"] for o in found] == ["srdi_sme-2022"]  # type: ignore[union-attr]
    criteria = {c["id"]: c["outcome"] for c in found[0]["criteria"]}  # type: ignore[index]
    assert criteria["niche_years"] == "met"
    assert criteria["rd_amount"] == "unmet"


BAD_FILES = [
    ("credit_code,year,revenue\n91350200MA2Y0C0X1B,2025,abc\n", "firms.csv:2 [revenue]"),
    ("credit_code,year\n91350200MA2Y0C0X1A,2025\n", "check character"),
    (
        "credit_code,year,colour\n91350200MA2Y0C0X1B,2025,red\n",
        "firms.csv:1: unknown column(s) 'colour'",
    ),
    ("credit_code,revenue\n91350200MA2Y0C0X1B,1\n", "required column(s) missing: 年度 (year)"),
    (
        "credit_code,year,district\n91350200MA2Y0C0X1B,2025,思明\n91350200MA2Y0C0X1B,2024,湖里\n",
        "firms.csv:3 [district]",
    ),
]


def test_the_importers_words_and_encodings_are_read_money_yes_no_and_gb18030(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "firms.csv"
    lines = [
        "统一社会信用代码 (credit_code),年度,营业收入,研发费用,major_incident,进入细分市场年份",
        "91350200MA2Y0C0X1B,2025,1200万,0.04亿元,否,2019",
    ]
    path.write_bytes("\n".join(lines).encode("gb18030"))
    argv = ["assess", "--input", str(path), "--year", "2025", "--rule-set", "srdi_sme-2022"]
    found = _json(capsys, [*argv, "--json"])
    criteria = {c["id"]: c["outcome"] for c in found[0]["criteria"]}  # type: ignore[index]
    # 0.04亿元 is 4,000,000 元 of R&D (the test above: 400,000 元 is unmet)
    assert criteria["rd_amount"] == "met"
    assert criteria["niche_years"] == "met"


def test_a_file_over_the_row_limit_is_refused_before_it_is_all_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fourchain.adapters import cultivation_input

    monkeypatch.setattr(cultivation_input, "MAX_ROWS", 3)
    path = tmp_path / "firms.csv"
    rows = [f"91350200MA2Y0C0X1B,{2020 + i}" for i in range(5)]
    path.write_text("credit_code,year\n" + "\n".join(rows), encoding="utf-8")
    assert run(["assess", "--input", str(path), "--year", "2025", "--json"]) == 2
    assert "more than 3 rows" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_bad_input_file_is_refused_with_where_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "firms.csv"
    path.write_text(text, encoding="utf-8")
    assert run(["assess", "--input", str(path), "--year", "2025", "--json"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assess", "--input", "x.csv"], "--year is required"),
        (["assess", "--year", "2025", "--tier", "giant", "--input", "x.csv"], "unknown tier"),
        (["pool", "--year", "2025", "--tier", "hnte", "--db", "missing.db"], "no database"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.fixture
def registry(sqlite_database: Database) -> str:
    with sqlite_database.engine.begin() as connection:
        fill(connection, profiles(60, seed=11))
    return sqlite_database.url


def test_assess_over_the_registry_gives_one_object_per_enterprise_and_tier(
    registry: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _json(
        capsys, ["assess", "--db", registry, "--year", "2025", "--tier", "hnte", "--json"]
    )
    assert isinstance(found, list) and found
    assert {o["tier"] for o in found} == {"hnte"}
    assert len({o["credit_code"] for o in found}) == len(found)
    everything = _json(capsys, ["assess", "--db", registry, "--year", "2025", "--json"])
    assert len(everything) == len(found) * len(TIERS)  # type: ignore[arg-type]
    assert run(["assess", "--db", registry, "--year", "2025"]) == 0
    assert "hnte-2016" in capsys.readouterr().out


def test_the_pool_is_written_to_xlsx_and_expiring_and_ladder_answer(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "pool.xlsx"
    argv = ["pool", "--db", registry, "--year", "2025", "--tier", "tech_sme", "--include-not-yet"]
    pool = _json(capsys, [*argv, "--xlsx", str(book), "--json", "--limit", "10"])
    assert isinstance(pool, list) and 0 < len(pool) <= 10
    assert [p["rank"] for p in pool] == list(range(1, len(pool) + 1))
    workbook = load_workbook(book, read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()  # a read-only workbook holds its file open until closed
    assert rows[2][0] == "排名 Rank" and len(rows) == 3 + len(pool)
    soon = _json(
        capsys, ["expiring", "--db", registry, "--months", "12", "--on", "2026-01-01", "--json"]
    )
    assert isinstance(soon, list)
    for item in soon:
        assert date.fromisoformat(item["expires"]) <= date(2027, 1, 1)
    code = pool[0]["credit_code"]
    ladder = _json(
        capsys, ["ladder", "--db", registry, "--credit-code", code, "--until", "2025", "--json"]
    )
    assert ladder["credit_code"] == code  # type: ignore[index]


MANUAL_ITEMS = {  # the items only experts score, at their best
    "ip_advancement": 8,
    "ip_core_support": 8,
    "rdm_system": 6,
    "rdm_institution": 6,
    "rdm_conversion": 4,
    "rdm_talent": 4,
}
# and the band items at the top of the bands the template's figures fall in
EXPERTS = {
    **MANUAL_ITEMS,
    "ip_count": 8,
    "ip_acquisition": 6,
    "conversion": 12,
    "growth_net_assets": 6,
    "growth_sales": 6,
}


@pytest.mark.parametrize(
    ("scores", "outcome"),
    [
        ({}, "manual_review"),
        (EXPERTS, "met"),  # 30 + 12 + 20 + 12 = 74 for certain
        (dict.fromkeys(MANUAL_ITEMS, 0), "unmet"),  # at most 14 + 12 + 0 + 12 = 38
    ],
)
def test_expert_scores_settle_the_expert_judged_items_of_the_hnte_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scores: dict[str, int], outcome: str
) -> None:
    template = tmp_path / "input.csv"
    assert run(["assess", "--template", str(template)]) == 0
    experts = tmp_path / "experts.json"
    experts.write_text(json.dumps({"91350200MA2Y0C0X1B": {"hnte": scores}}), encoding="utf-8")
    argv = ["assess", "--input", str(template), "--year", "2025", "--tier", "hnte"]
    capsys.readouterr()
    (found,) = _json(capsys, [*argv, "--expert-scores", str(experts), "--json"])  # type: ignore[misc]
    score = next(c for c in found["criteria"] if c["id"] == "innovation_score")
    assert score["outcome"] == outcome


def test_an_expert_score_outside_its_band_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "input.csv"
    assert run(["assess", "--template", str(template)]) == 0
    experts = tmp_path / "experts.json"
    experts.write_text(
        json.dumps({"91350200MA2Y0C0X1B": {"hnte": {"ip_count": 2}}}), encoding="utf-8"
    )
    argv = ["assess", "--input", str(template), "--year", "2025", "--tier", "hnte"]
    assert run([*argv, "--expert-scores", str(experts)]) == 2
    assert "expert score for ip_count is 2; its attainable range is 7–8" in capsys.readouterr().err
