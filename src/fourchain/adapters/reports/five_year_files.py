"""The five-year bulletin as files: HTML (Jinja2), PDF (WeasyPrint, shipped CJK font), XLSX."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.styles import Font

from fourchain.adapters.reports import pdf
from fourchain.adapters.reports.svg_charts import chart_svg
from fourchain.domain.indicators.bulletin import Bulletin
from fourchain.domain.indicators.catalogue import CATALOGUE

HERE = Path(__file__).parent
FONTS = HERE / "fonts"
_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
LABELS = {
    "zh": {
        "chart": "图",
        "missing": "以下指标因登记库缺少数据未纳入本报告：",
        "figures": "文中数字",
    },
    "en": {
        "chart": "Chart",
        "missing": "Indicators left out because the registry lacks their data:",
        "figures": "Figures in the text",
    },
}


def render_html(bulletin: Bulletin, *, embed_fonts: bool) -> str:
    """The bulletin as one HTML page; with embed_fonts the shipped Noto Sans SC is used (for
    the PDF), without it the reader's own Chinese fonts are (a file that travels alone)."""
    notes = bulletin.footnotes()
    svgs = {
        chart.key: chart_svg(chart.kind, chart.title, _scaled(chart.series), chart.unit_label)
        for section in bulletin.sections
        for chart in section.charts
    }
    return _env.get_template("five_year.html").render(
        report=bulletin,
        notes=notes,
        notes_by_id={note.indicator: note for note in notes},
        svgs=svgs,
        labels=LABELS[bulletin.lang],
        # an indicator's name in the edition's language (captions and notes show no keys)
        names={
            key: spec.name_zh if bulletin.lang == "zh" else spec.name_en
            for key, spec in CATALOGUE.items()
        },
        fonts=FONTS.resolve().as_uri() if embed_fonts else None,
    )


def _scaled(series: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    return {name: dict(values) for name, values in series.items()}


def write_pdf(bulletin: Bulletin, path: Path) -> None:
    pdf.write_pdf(render_html(bulletin, embed_fonts=True), str(HERE), path)


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(text: str, used: set[str]) -> str:
    title = _BAD_SHEET.sub(" ", text)[:28].strip() or "sheet"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


def _cell(value: object) -> object:
    """A figure rounded to what it means (2.139999995 → 2.14); the cell's number format then
    shows it with thousands separators."""
    if isinstance(value, float) and not isinstance(value, bool):
        return round(value, 2)
    return value


def _number_formats(sheet: Any, first_row: int) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"


def write_xlsx(bulletin: Bulletin, path: Path) -> None:
    """One sheet per chart with the numbers behind it, and one of every figure in the text."""
    book = Workbook()
    figures = book.active
    assert figures is not None
    used: set[str] = set()
    figures.title = _sheet_title(LABELS[bulletin.lang]["figures"], used)
    figures.append(["indicator", "period", "value", "text"])
    for fig in bulletin.figures():
        figures.append([fig.indicator, fig.period, _cell(fig.value), fig.text])
    _number_formats(figures, 2)
    for section in bulletin.sections:
        for chart in section.charts:
            sheet = book.create_sheet(_sheet_title(chart.title, used))
            sheet.append([chart.title])
            sheet.append(
                [f"indicators: {', '.join(chart.indicators)}", f"unit: {chart.unit_label}"]
            )
            names = list(chart.series)
            sheet.append(["", *names])
            categories: dict[str, None] = {}
            for values in chart.series.values():
                categories.update(dict.fromkeys(values))
            for category in categories:
                sheet.append([category, *(_cell(chart.series[n].get(category)) for n in names)])
            _number_formats(sheet, 4)
            for cell in sheet[3]:
                cell.font = Font(bold=True)
    book.save(path)


class BulletinFiles:
    """Writes a bulletin as HTML, PDF and XLSX (the services' ReportWriter)."""

    def write_html(self, bulletin: Bulletin, path: Path) -> None:
        path.write_text(render_html(bulletin, embed_fonts=False), encoding="utf-8")

    def write_pdf(self, bulletin: Bulletin, path: Path) -> None:
        write_pdf(bulletin, path)

    def write_xlsx(self, bulletin: Bulletin, path: Path) -> None:
        write_xlsx(bulletin, path)
