"""The five-year report builds in all three formats from a registry, in Chinese and English."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fourchain.adapters.analytics.engine import IbisIndicatorSource
from fourchain.adapters.reports.five_year_files import BulletinFiles
from fourchain.bootstrap import Database
from fourchain.errors import InvalidInput
from fourchain.services.reports import build_five_year
from tests.integration.indicators.small_registry import fill


@pytest.fixture
def source(sqlite_database: Database) -> IbisIndicatorSource:
    fill(sqlite_database.engine)
    return IbisIndicatorSource.from_engine(sqlite_database.engine)


@pytest.mark.slow
def test_the_report_is_written_as_html_pdf_and_xlsx(
    source: IbisIndicatorSource, tmp_path: Path
) -> None:
    steps: list[str] = []
    paths = build_five_year(source, BulletinFiles(), 2025, tmp_path / "out", progress=steps.append)
    assert [p.name for p in paths] == ["report.html", "report.pdf", "report.xlsx"]
    assert steps == ["indicators", "html", "pdf", "xlsx"]

    html = paths[0].read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    assert "全社会研发经费投入强度由2020年的" in html
    # every figure in the prose carries its indicator and links to its footnote
    spans = re.findall(r'<span class="fig" data-indicator="([a-z0-9_]+)"', html)
    assert "rd_intensity" in spans and "little_giants" in spans
    for indicator in set(spans):
        assert f'id="note-{indicator}"' in html
    assert html.count("<svg") >= 4
    # captions, notes and the missing list name indicators, never by key (rd_intensity)
    shown = re.sub(r"<style.*?</style>|<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)
    assert re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", shown) == []
    # why an indicator is missing (the hover text) reads in Chinese, with no table keys
    reasons = re.findall(r'<li title="([^"]*)">', html)
    assert "基金数据中没有“创业投资”类基金" in reasons
    assert all(not re.search(r"[a-z]{3}", r) for r in reasons), reasons

    pdf = paths[1].read_bytes()
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdffonts"):  # poppler-utils, where installed: the CJK font is embedded
        fonts = subprocess.run(["pdffonts", str(paths[1])], capture_output=True, text=True).stdout
        assert "NotoSansSC" in fonts.replace("-", "")

    book = load_workbook(paths[2])
    assert len(book.sheetnames) >= 5  # the figures, and one sheet per chart
    figures = book.worksheets[0]
    header = [cell.value for cell in figures[1]]
    assert header == ["indicator", "period", "value", "text"]
    quoted = {row[0] for row in figures.iter_rows(min_row=2, values_only=True)}
    assert set(spans) == quoted
    # Figures rounded to two places and shown with a number format (never 2.139999995).
    numbers = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, float)
    ]
    assert numbers and all(round(c.value, 2) == c.value for c in numbers)
    assert all(c.number_format == "#,##0.00" for c in numbers)


@pytest.mark.slow
def test_the_english_edition_is_in_english(source: IbisIndicatorSource, tmp_path: Path) -> None:
    paths = build_five_year(source, BulletinFiles(), 2025, tmp_path, lang="en")
    html = paths[0].read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "R&amp;D spending rose from" in html
    assert '<li title="the funds table holds no fund of kind “venture capital”">' in html
    reasons = re.findall(r'<li title="([^"]*)">', html)
    assert reasons and all(not re.search(r"[a-z]+_[a-z]", r) for r in reasons), reasons


@pytest.mark.parametrize(
    ("lang", "message"), [("fr", "--lang 'fr'"), ("zh", "is a file, not a folder")]
)
def test_bad_report_options_are_refused_before_any_work(
    source: IbisIndicatorSource, tmp_path: Path, lang: str, message: str
) -> None:
    out = tmp_path / "taken"
    out.write_text("x")
    with pytest.raises(InvalidInput, match=message):
        build_five_year(source, BulletinFiles(), 2025, out, lang=lang)
