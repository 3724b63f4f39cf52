"""CSV files: read UTF-8 (with or without BOM) or GB18030; write UTF-8 with BOM for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from fourchain.adapters.ingest.cells import csv_cell, unescape_text
from fourchain.domain.validation import Raw
from fourchain.errors import InvalidInput

MAX_CSV_BYTES = 200 * 1024 * 1024


def decode(data: bytes, file: str) -> str:
    """The text of a CSV file: UTF-8 first (a BOM is dropped), else GB18030 (Chinese Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{file}: is neither UTF-8 nor GB18030 text (byte {error.start}); save it as CSV UTF-8"
        ) from None


def read_csv(path: Path) -> tuple[list[Raw], Iterator[tuple[int, list[Raw]]]]:
    """The header cells and the numbered data rows (the header is row 1)."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InvalidInput(f"{path.name}: {size:,} bytes is over the {MAX_CSV_BYTES:,}-byte limit")
    reader = csv.reader(io.StringIO(decode(path.read_bytes(), path.name), newline=""))
    header: list[Raw] = list(next(reader, []))

    def rows() -> Iterator[tuple[int, list[Raw]]]:
        # A spreadsheet numbers records, not lines: a quoted cell may span lines.
        for number, cells in enumerate(reader, start=2):
            yield number, [unescape_text(cell) for cell in cells]

    return header, rows()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a CSV Excel opens with Chinese intact; every text cell escaped. Returns rows."""
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            count += 1
    return count
