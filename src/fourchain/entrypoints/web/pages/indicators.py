"""Indicator pages (bureau staff): the explorer — every indicator of a year, a trend, a breakdown
by cluster and district, XLSX — and the five-year report, built as a job by the job worker
(`fourchain worker`): its record is in the platform database, so any server process shows its
progress and serves its files, and a restart loses nothing. One build is queued or runs at a time.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font

from fourchain.bootstrap import Services
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.cells import escape_text
from fourchain.domain.indicators.catalogue import BY_AREA, CATALOGUE, Indicator, Level
from fourchain.domain.indicators.numbers import format_en, format_zh
from fourchain.domain.jobs import Job, JobStatus
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep
from fourchain.entrypoints.web.errors import status_for
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.templating import render
from fourchain.errors import Conflict, InvalidInput, NotFound
from fourchain.services.indicators import (
    FIRST_YEAR,
    LAST_YEAR,
    IndicatorValue,
    breakdown,
    trends,
    year_indicators,
)
from fourchain.services.jobs import REPORT_FIVE_YEAR
from fourchain.services.registry_views import Asker
from fourchain.services.reports import FILES, LANGUAGES, STEP_PERCENT

log = logging.getLogger("fourchain.web")

router = APIRouter(include_in_schema=False)

DEFAULT_YEAR = 2025
TREND_FIRST, TREND_LAST = 2020, 2025
BREAKDOWN_BY = ("cluster", "district")
UNASSIGNED = N_("Unassigned")  # enterprises with no cluster or district
BY_LABELS = {"cluster": N_("Industry cluster"), "district": N_("District")}
# The catalogue's units, looked up by value in the table.
UNITS = (
    N_("count"),
    N_("index"),
    N_("per 10000 residents"),
    N_("percent"),
    N_("percentage points"),
    N_("years"),
    N_("yuan"),
)
YearQuery = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)]
JobId = Annotated[str, Path(pattern="^[0-9a-f]{32}$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ReportJob:
    """A five-year report job as its pages show it: state running (queued or building),
    done or failed; `stage` the last step the build announced."""

    job: Job

    @property
    def id(self) -> str:
        return self.job.id

    @property
    def year(self) -> int:
        return int(str(self.job.params.get("year", 0)))

    @property
    def lang(self) -> str:
        return str(self.job.params.get("lang", ""))

    @property
    def username(self) -> str:
        return self.job.account

    @property
    def state(self) -> str:
        return "running" if self.job.active else self.job.status.value

    @property
    def stage(self) -> str:
        if self.job.status is JobStatus.DONE:
            return "done"
        if self.job.status is JobStatus.FAILED:
            return "failed"
        return self.job.stage if self.job.stage in STAGE_LABELS else "queued"

    @property
    def percent(self) -> int:
        return STAGE_PERCENT[self.stage]

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def files(self) -> tuple[str, ...]:
        """The files to link: those of a finished build whose files are still kept."""
        if self.job.status is JobStatus.DONE and not self.job.files_removed:
            return tuple(name for name in FILES if name in self.job.files)
        return ()


STAGE_LABELS = {
    "queued": N_("Waiting to start"),
    "registry": N_("Reading the registry"),
    "indicators": N_("Computing the indicators"),
    "html": N_("Writing report.html"),
    "pdf": N_("Typesetting report.pdf"),
    "xlsx": N_("Writing report.xlsx"),
    "done": N_("Done"),
    "failed": N_("The build failed; see the server log"),
}
STAGE_PERCENT = {"queued": 0, **STEP_PERCENT, "done": 100, "failed": 100}
KEEP_JOBS = 20


def indicator_values(services: Services, year: int) -> list[IndicatorValue]:
    """Every indicator of `year`, as the CLI's `fourchain indicators` gives them."""
    with services.indicators.shared() as source:
        return year_indicators(source, year)


def value_text(value: float | None, unit: str, locale: str) -> str:
    """A value written the Chinese way (万, 亿, 个百分点) or the English way."""
    if value is None:
        return "—"
    return format_en(value, unit) if locale == "en" else format_zh(value, unit)


def _trendable() -> list[Indicator]:
    return [i for i in CATALOGUE.values() if not i.is_span and i.levels != (Level.CHAIN,)]


@dataclass(frozen=True)
class Explorer:
    values: list[IndicatorValue]
    chains: dict[str, tuple[str, str]]
    series: dict[int, float | None]
    parts: dict[str, list[tuple[str | None, float | None]]]


def explore(services: Services, year: int, indicator: str) -> Explorer:
    spec = CATALOGUE[indicator]
    with services.indicators.shared() as source:
        values = year_indicators(source, year)
        chains = {key: (zh, en) for key, zh, en in source.chains()}
        series = trends(source, TREND_FIRST, TREND_LAST).get(indicator, {})
        parts: dict[str, list[tuple[str | None, float | None]]] = {}
        if spec.levels == BY_AREA:
            for by in BREAKDOWN_BY:
                rows = breakdown(source, indicator, by, [year])
                parts[by] = sorted(
                    ((a, v) for y, a, v in rows if y == year),
                    key=lambda p: (p[0] is None, -(p[1] or 0.0), p[0] or ""),
                )
    return Explorer(values, chains, series, parts)


def _audit(services: Services, viewer: Asker, what: str, detail: str = "") -> None:
    services.auth.audit.record(
        viewer.now,
        Action.EXPORT,
        Result.SUCCESS,
        username=viewer.principal.username,
        address=viewer.address,
        object=what[:200],
        detail=detail,
    )


@router.get("/indicators")
def explorer_page(
    request: Request,
    services: ServicesDep,
    year: YearQuery = DEFAULT_YEAR,
    indicator: Annotated[str, Query(max_length=80)] = "hnte_count",
) -> Response:
    """Every indicator of a year, one indicator's trend and its breakdown by area."""
    choices = _trendable()
    if indicator not in {i.id for i in choices}:
        raise InvalidInput(f"indicator {indicator!r} has no yearly trend")
    locale = i18n.request_locale(request)
    found = explore(services, year, indicator)
    rows = [
        {
            "value": v,
            "spec": CATALOGUE[v.id],
            "chain": found.chains.get(v.chain, (v.chain, v.chain)) if v.chain else None,
            "text": value_text(v.value, v.unit, locale),
        }
        for v in found.values
    ]
    years = list(range(TREND_FIRST, TREND_LAST + 1))
    clusters = {key: (zh, en) for key, zh, en in services.registry.views.clusters()}
    unassigned = i18n.gettext(locale, UNASSIGNED)

    def area_name(by: str, key: str | None) -> str:
        if key is None:
            return unassigned
        return i18n.bilingual(clusters[key], locale) if by == "cluster" and key in clusters else key

    context: dict[str, Any] = {
        "year": year,
        "rows": rows,
        "choices": choices,
        "indicator": CATALOGUE[indicator],
        "years": [str(y) for y in years],
        "trend": [found.series.get(y) for y in years],
        "parts": {
            by: [
                {
                    "area": area_name(by, a),
                    "value": v,
                    "text": value_text(v, CATALOGUE[indicator].unit, locale),
                }
                for a, v in pairs
            ]
            for by, pairs in found.parts.items()
        },
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "BY_LABELS": BY_LABELS,
    }
    return render(request, "indicators/explorer.html", context, active="indicators")


def write_indicators_xlsx(values: list[IndicatorValue], year: int, out: io.BytesIO) -> None:
    """Every indicator of a year: numbers stay numbers, text cells are made formula-safe."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"指标 Indicators {year}"
    headers = (
        "指标代码 Id",
        "指标名称 Name (zh)",
        "Name (en)",
        "产业链 Chain",
        "年份 Year",
        "起始年份 Span start",
        "数值 Value",
        "单位 Unit",
        "中文表述 As written",
    )
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for v in values:
        spec = CATALOGUE[v.id]
        sheet.append(
            [
                escape_text(v.id),
                escape_text(spec.name_zh),
                escape_text(spec.name_en),
                escape_text(v.chain or ""),
                v.year,
                v.span_start,
                v.value,
                escape_text(v.unit),
                escape_text(value_text(v.value, v.unit, "zh_CN")),
            ]
        )
    for column, width in zip("ABCDEFGHI", (34, 30, 50, 16, 8, 10, 18, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(out)


@router.get("/indicators/export.xlsx")
def explorer_export(
    services: ServicesDep, viewer: AskerDep, year: YearQuery = DEFAULT_YEAR
) -> Response:
    """Every indicator of a year as XLSX."""
    values = indicator_values(services, year)
    out = io.BytesIO()
    write_indicators_xlsx(values, year, out)
    _audit(services, viewer, f"indicators {year}", details(rows=len(values)))
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"content-disposition": f'attachment; filename="indicators-{year}.xlsx"'},
    )


# --- the five-year report, built as a job by the worker


def _report_job(services: Services, job_id: str) -> ReportJob:
    job = services.jobs.jobs.get(job_id)
    if job.kind != REPORT_FIVE_YEAR:
        raise NotFound(f"no report job {job_id}")
    return ReportJob(job)


def _reports_page(
    request: Request, services: Services, *, refused: ReportJob | None = None, status: int = 200
) -> Response:
    jobs = [ReportJob(job) for job in services.jobs.jobs.recent(REPORT_FIVE_YEAR, KEEP_JOBS)]
    context = {
        "jobs": jobs,
        "refused": refused,
        "default_year": DEFAULT_YEAR,
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
    }
    return render(request, "indicators/reports.html", context, status_code=status, active="reports")


@router.get("/reports")
def reports_page(request: Request, services: ServicesDep) -> Response:
    """Start a five-year report; the latest builds with their files."""
    return _reports_page(request, services)


@router.post("/reports/jobs")
def start_report(
    request: Request,
    services: ServicesDep,
    viewer: AskerDep,
    year: Annotated[int, Form(ge=FIRST_YEAR + 5, le=LAST_YEAR)] = DEFAULT_YEAR,
    lang: Annotated[str, Form(max_length=2)] = "zh",
) -> Response:
    """Queue the build for the job worker; one build at a time (409 while one is queued or
    runs, with a link to it)."""
    if lang not in LANGUAGES:
        raise InvalidInput(f"lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    jobs = services.jobs.jobs
    running = jobs.active(REPORT_FIVE_YEAR)
    if running:
        busy = Conflict(f"report job {running[0].id} is queued or running")
        return _reports_page(
            request, services, refused=ReportJob(running[0]), status=status_for(busy)
        )
    try:
        submitted = jobs.submit(
            REPORT_FIVE_YEAR,
            viewer.principal.username,
            {"year": year, "lang": lang},
            exclusive=True,
        )
    except Conflict as error:  # another process queued one in between
        running = jobs.active(REPORT_FIVE_YEAR)
        refused = ReportJob(running[0]) if running else None
        return _reports_page(request, services, refused=refused, status=status_for(error))
    job_id = submitted.job.id
    _audit(services, viewer, f"report five-year {year} {lang}", details(job=job_id))
    return RedirectResponse(f"/reports/jobs/{job_id}", status_code=303)


@router.get("/reports/jobs/{job_id}")
def job_page(request: Request, services: ServicesDep, job_id: JobId) -> Response:
    """A build's progress; HTMX polls the partial until the files are ready."""
    job = _report_job(services, job_id)
    partial = bool(request.headers.get("hx-request"))
    template = "indicators/_job.html" if partial else "indicators/job.html"
    return render(request, template, {"job": job, "files": job.files}, active="reports")


@router.get("/reports/jobs/{job_id}/{name}")
def job_file(
    services: ServicesDep,
    viewer: AskerDep,
    job_id: JobId,
    name: Annotated[str, Path(max_length=20)],
) -> Response:
    """One of the three files of a finished build (until the retention removes them)."""
    job = _report_job(services, job_id)
    if name not in FILES:
        raise NotFound(f"no file {name} in report job {job_id}")
    path = services.jobs.jobs.file(job.job, name)
    _audit(services, viewer, f"report five-year {job.year} {name}", details(job=job.id))
    return FileResponse(path, filename=f"five-year-{job.year}-{name}")
