"""XLSX files: refuse zip bombs unread, parse XML safely, write escaped cells."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from fourchain.adapters.ingest.cells import escape_text
from fourchain.adapters.ingest.xlsx_sheet import first_sheet_path, shared_strings, sheet_rows
from fourchain.domain.validation import Raw
from fourchain.errors import InvalidInput


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


_UNSAFE_XML = (DefusedXmlException, ParseError, KeyError, ValueError, IndexError)


def read_xlsx(
    path: Path,
) -> tuple[list[Raw], Iterator[tuple[int, list[Raw]]], Callable[[], None]]:
    """The first sheet's header cells, numbered data rows (the header is row 1) and a close
    function. The zip directory is checked first; XML declaring entities is refused."""
    check_zip(path)
    archive = zipfile.ZipFile(path)
    try:
        strings = shared_strings(archive)
        handle = archive.open(first_sheet_path(archive))
        numbered = sheet_rows(handle, strings)
        _first, header = next(numbered, (1, []))
    except _UNSAFE_XML as error:
        archive.close()
        raise _unreadable(path, error) from None

    def close() -> None:
        handle.close()
        archive.close()

    def rows() -> Iterator[tuple[int, list[Raw]]]:
        try:
            yield from numbered
        except _UNSAFE_XML as error:
            raise _unreadable(path, error) from None
        finally:
            close()

    return list(header), rows(), close


def _unreadable(path: Path, error: Exception) -> InvalidInput:
    if isinstance(error, DefusedXmlException):
        return InvalidInput(f"{path.name}: refused, its XML declares entities or a DTD ({error})")
    return InvalidInput(f"{path.name}: not a readable XLSX file ({type(error).__name__}: {error})")


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
