"""`fourchain claims extract|check FILE` on press releases, and `claims FILE.csv` as before."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fourchain.bootstrap import open_database
from fourchain.config import sqlite_url
from fourchain.domain.indicators.claims import CLAIM_COLUMNS
from fourchain.entrypoints.cli.main import run
from tests.integration.indicators.small_registry import fill

RELEASES = Path(__file__).parents[2] / "data" / "releases"
RELEASE = (
    "发布时间:2025年10月23日\n国家高新技术企业达4735家，年均净增超过500家。\n"
    "前三季度，获批1类创新药2个。\n"
)
EXTRACTED = (
    "id,indicator,topic,claim,value,unit,period,comparison\n"
    "hnte_count_2025,hnte_count,enterprises,national high-tech enterprises,4735,count,2025,\n"
    "hnte_net_gain_per_year_2021-2025,hnte_net_gain_per_year,enterprises,"
    "net gain of national high-tech enterprises per year,500,count (lower bound),2021-2025,\n"
    "class1_drugs_approved_2025-01_2025-09,class1_drugs_approved,conversion,"
    "class-1 innovative drugs approved,2,count,2025-01..2025-09,\n"
)
TO_CHECK = (
    "2024年，全社会研发投入强度达3.46%。国家高新技术企业达5家。"
    "2024年，火炬高新区位列全国第14位。签约合作协议120个。"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "registry.db"
    database = open_database(sqlite_url(path))
    fill(database.engine)
    database.dispose()
    return path


def test_extract_writes_the_published_figures_layout_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    assert run(["claims", "extract", str(release)]) == 0
    out = capsys.readouterr().out
    assert out == EXTRACTED
    assert out.splitlines()[0] == ",".join(CLAIM_COLUMNS)


def test_extracted_csv_is_checked_by_claims_file_csv_as_published_figures_are(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extracted = tmp_path / "extracted.csv"
    extracted.write_text(EXTRACTED, encoding="utf-8")
    assert run(["claims", "--db", str(db), str(extracted), "--json"]) == 0
    verdicts = json.loads(capsys.readouterr().out)
    assert [v["id"] for v in verdicts] == [row.split(",")[0] for row in EXTRACTED.splitlines()[1:]]


def test_extract_json_adds_the_words_each_claim_was_read_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    assert run(["claims", "extract", str(release), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["figure"] for r in rows] == ["4735家", "超过500家", "2个"]
    assert rows[1]["unit"] == "count (lower bound)"
    assert set(rows[0]) == {*CLAIM_COLUMNS, "figure"}


def test_extract_reads_a_gb18030_traditional_html_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = "<html><body><div class='nav'>首頁 | 新聞</div><p>發佈時間：2025年10月23日</p>"
    page += "<p>國家高新技術企業達4735家。</p></body></html>"
    release = tmp_path / "release.html"
    release.write_bytes(page.encode("gb18030"))
    assert run(["claims", "extract", str(release)]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [(r["indicator"], r["value"], r["period"]) for r in rows] == [
        ("hnte_count", "4735", "2025")
    ]


def test_extract_of_the_noisy_html_release_gives_every_published_claim(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["claims", "extract", str(RELEASES / "xiamen-five-years.html")]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 42  # the 41 published claims and the +0.38 pp change on 2020
    assert all(r["indicator"] for r in rows)


def test_check_on_a_text_release_judges_each_claim_with_its_sentence(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "release.txt"
    release.write_text(TO_CHECK, encoding="utf-8")
    assert run(["claims", "check", "--db", str(db), str(release), "--json"]) == 0
    verdicts = {v["indicator"] or v["figure"]: v for v in json.loads(capsys.readouterr().out)}
    assert verdicts["rd_intensity"]["status"] == "consistent"
    assert verdicts["rd_intensity"]["sentence"] == "2024年,全社会研发投入强度达3.46%。"
    assert verdicts["hnte_count"]["status"] == "inconsistent"
    # the release speaks from 2024, the latest year it names
    assert (verdicts["hnte_count"]["period"], verdicts["hnte_count"]["published"]) == ("2024", 5)
    assert verdicts["hnte_count"]["computed"] is not None
    assert verdicts["torch_zone_national_rank"]["status"] == "not derivable"
    assert verdicts["120个"]["status"] == "not derivable"
    assert verdicts["120个"]["detail"] == "no indicator of the catalogue matches this figure"


def test_check_on_a_csv_is_todays_claims_check(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extracted = tmp_path / "extracted.csv"
    extracted.write_text(EXTRACTED, encoding="utf-8")
    assert run(["claims", "--db", str(db), str(extracted), "--json"]) == 0
    today = capsys.readouterr().out
    assert run(["claims", "check", "--db", str(db), str(extracted), "--json"]) == 0
    assert capsys.readouterr().out == today


def test_check_prints_a_table_for_a_release(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "release.txt"
    release.write_text(TO_CHECK, encoding="utf-8")
    assert run(["claims", "check", "--db", str(db), str(release)]) == 0
    out = capsys.readouterr().out
    assert "rd_intensity_2024" in out
    assert "consistent" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["claims", "extract"], "error: claims extract: give the FILE"),
        (["claims", "extract", "{tmp}/missing.txt"], "error: no release file at"),
        (["claims", "frobnicate", "{tmp}/x.txt"], "error: unknown claims action 'frobnicate'"),
        (["claims", "extract", "{tmp}/noyear.txt"], "error: "),
        (["claims", "extract", "{tmp}/binary.txt"], "error: "),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "noyear.txt").write_text("国家高新技术企业达4735家。", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]))
    assert run([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(message)
    assert "Traceback" not in "\n".join(err)
