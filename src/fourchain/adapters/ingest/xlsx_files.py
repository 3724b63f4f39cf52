"""XLSX files: refuse zip bombs and unsafe XML before openpyxl parses; write escaped cells."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import openpyxl.xml.functions
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from fourchain.adapters.ingest.cells import escape_text, unescape_text
from fourchain.domain.validation import Raw
from fourchain.errors import ConfigError, InvalidInput


@dataclass(frozen=True)
class ZipLimits:
    """What an XLSX may hold before it is opened (a zip bomb is refused unread)."""

    max_entries: int = 10_000
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    # Tiny entries compress badly or absurdly well; only larger ones are judged by ratio.
    ratio_floor_bytes: int = 64 * 1024


LIMITS = ZipLimits()


def check_zip(path: Path, limits: ZipLimits = LIMITS) -> None:
    """Refuse the file from its zip directory alone: entry count, declared sizes and ratios.
    Python's zipfile stops reading an entry at its declared size (and fails the CRC), so a
    file that lies about its sizes cannot expand past these limits later either."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInput(f"{path.name}: not a readable XLSX file ({error})") from None
    if len(entries) > limits.max_entries:
        raise InvalidInput(
            f"{path.name}: refused, {len(entries):,} zip entries (limit {limits.max_entries:,})"
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_total_bytes:
        raise InvalidInput(
            f"{path.name}: refused, it would expand to {total:,} bytes "
            f"(limit {limits.max_total_bytes:,})"
        )
    for entry in entries:
        if entry.file_size < limits.ratio_floor_bytes:
            continue
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > limits.max_ratio:
            raise InvalidInput(
                f"{path.name}: refused, {entry.filename} expands {ratio:,.0f} times "
                f"(limit {limits.max_ratio:g}); it looks like a zip bomb"
            )


def require_safe_xml() -> None:
    """openpyxl parses with defusedxml only when it is installed and not switched off
    (OPENPYXL_DEFUSEDXML); without it an entity-expansion sheet could exhaust memory."""
    parser = openpyxl.xml.functions.iterparse
    if not openpyxl.DEFUSEDXML or not parser.__module__.startswith("defusedxml"):
        raise ConfigError(
            "XLSX import needs defusedxml active in openpyxl (is OPENPYXL_DEFUSEDXML=False set?)"
        )


def _cell(value: object) -> Raw:
    """An openpyxl value as a raw cell: text unescaped, other exotic values as their text."""
    if isinstance(value, str):
        return unescape_text(value)
    if value is None or isinstance(value, bool | int | float | date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def read_xlsx(path: Path) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """The first sheet's header cells and numbered data rows (the header is row 1)."""
    check_zip(path)
    require_safe_xml()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any parse failure is the file's fault
        raise InvalidInput(f"{path.name}: not a readable XLSX file ({error})") from None
    sheet = workbook.worksheets[0]
    # read_only sheets yield rows lazily; the number of a row is its place in the sheet.
    cells = sheet.iter_rows(values_only=True)
    header: list[object] = [_cell(value) for value in next(cells, ())]

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, values in enumerate(cells, start=2):
                yield number, [_cell(value) for value in values]
        finally:
            workbook.close()

    return header, rows()


def _write_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        # openpyxl writes a date as its day number; the format makes Excel show a date.
        cell = WriteOnlyCell(sheet, value=datetime(value.year, value.month, value.day))
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    notes: Sequence[Sequence[str]] = (),
) -> int:
    """Write the rows on a first sheet (text escaped, numbers as numbers, dates as dates) and,
    when given, a second sheet `说明 Notes`. Returns the number of rows written."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    head_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        head_cells.append(cell)
    sheet.append(head_cells)
    count = 0
    for row in rows:
        sheet.append([_write_cell(sheet, value) for value in row])
        count += 1
    if notes:
        notes_sheet = workbook.create_sheet("说明 Notes")
        for line in notes:
            notes_sheet.append([escape_text(text) for text in line])
    workbook.save(path)
    return count
