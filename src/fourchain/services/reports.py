"""Report use cases: gather the indicators a bulletin needs and write it in every format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from fourchain.domain.foresight.outlook import Outlook
from fourchain.domain.indicators.five_year import FiveYearInputs, write_five_year
from fourchain.errors import InvalidInput
from fourchain.services.indicators import check_year, fusion_scores, plan_span, trends, values_for
from fourchain.services.ports import IndicatorSource, ReportWriter

LANGUAGES = ("zh", "en")
FILES = ("report.html", "report.pdf", "report.xlsx")
# How far along a build is at each step its progress callback announces, in percent.
STEP_PERCENT = {"registry": 5, "indicators": 20, "html": 45, "pdf": 60, "xlsx": 90}


def five_year_inputs(
    source: IndicatorSource, year: int, outlook: Sequence[Outlook] = ()
) -> FiveYearInputs:
    """Every figure the five-year bulletin may quote: trends from the base year (one before the
    plan period) to `year`, the span indicators over the plan period and the fusion index."""
    check_year(year)
    start, end = plan_span(year)
    spans = {v.id: v.value for v in values_for(source, [], [(start, end)])}
    return FiveYearInputs(
        year=year,
        series=trends(source, start - 1, end),
        spans=spans,
        fusion=fusion_scores(source, year),
        chain_names={key: (zh, en) for key, zh, en in source.chains()},
        not_derivable=source.missing(),
        outlook=outlook,
    )


def build_five_year(
    source: IndicatorSource,
    writer: ReportWriter,
    year: int,
    out: Path,
    lang: str = "zh",
    progress: Callable[[str], None] = lambda _step: None,
    outlook: Sequence[Outlook] = (),
) -> list[Path]:
    """Write report.html, report.pdf and report.xlsx for the five years ending in `year` (with
    an outlook section when projections are given)."""
    if lang not in LANGUAGES:
        raise InvalidInput(f"--lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    progress("indicators")
    bulletin = write_five_year(five_year_inputs(source, year, outlook), lang)
    html, pdf, xlsx = (out / name for name in FILES)
    progress("html")
    writer.write_html(bulletin, html)
    progress("pdf")
    writer.write_pdf(bulletin, pdf)
    progress("xlsx")
    writer.write_xlsx(bulletin, xlsx)
    return [html, pdf, xlsx]
