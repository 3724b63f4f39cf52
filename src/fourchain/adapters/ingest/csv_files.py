"""CSV files: read UTF-8 (with or without BOM) or GB18030; write UTF-8 with BOM for Excel.

Almost any byte string decodes as GB18030, so a file in another encoding — Big5 from Taiwan or
Hong Kong, Shift-JIS, EUC-KR — would come out as plausible-looking garbage. Which encoding the
text is really in is judged by charset-normalizer (measured on these files: it names Big5,
Shift-JIS and EUC-KR as such, and ties GB18030 with others only on a few characters, where
GB18030 is taken); anything but UTF-8 or GB18030 is refused with the encoding it looks like.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from charset_normalizer import from_bytes

from fourchain.adapters.ingest.cells import csv_cell, unescape_text
from fourchain.domain.validation import Raw
from fourchain.errors import InvalidInput

MAX_CSV_BYTES = 200 * 1024 * 1024


_RESAVE = "save it as CSV UTF-8"
# What the detector is shown: enough lines to judge, cut at a line end (no multi-byte
# character of these encodings holds the byte 0x0A).
_SAMPLE_BYTES = 256 * 1024
_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz"})
_NAMES = {
    "big5": "Big5 (traditional Chinese)",
    "big5hkscs": "Big5-HKSCS (traditional Chinese)",
    "cp950": "Big5 (traditional Chinese)",
    "shift_jis": "Shift-JIS (Japanese)",
    "shift_jis_2004": "Shift-JIS (Japanese)",
    "cp932": "Shift-JIS (Japanese)",
    "euc_jis_2004": "EUC-JP (Japanese)",
    "euc_jp": "EUC-JP (Japanese)",
    "cp949": "EUC-KR (Korean)",
    "euc_kr": "EUC-KR (Korean)",
}


def _sample(data: bytes) -> bytes:
    if len(data) <= _SAMPLE_BYTES:
        return data
    cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
    return data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]


def _looks_gb18030(data: bytes) -> tuple[bool, str]:
    """Whether the detector rates GB18030 at least as well as anything else; else the
    encoding it rates best."""
    # UTF-16 and UTF-32 without a byte-order mark are no spreadsheet's CSV.
    matches = [m for m in from_bytes(_sample(data)) if not m.encoding.startswith("utf_")]
    if not matches:
        return False, ""
    best = min(match.percent_chaos for match in matches)
    gb = [m for m in matches if m.encoding in _GB_FAMILY]
    if gb and min(m.percent_chaos for m in gb) <= best:
        return True, "gb18030"
    top = min(matches, key=lambda m: m.percent_chaos)
    return False, top.encoding


def decode(data: bytes, file: str) -> str:
    """The text of a CSV file: UTF-8 first (a BOM is dropped), else GB18030 (Chinese Excel)
    when the bytes read as GB18030 text; anything else is refused, naming what it looks like."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{file}: is neither UTF-8 nor GB18030 text (byte {error.start}); {_RESAVE}"
        ) from None
    gb, seen = _looks_gb18030(data)
    if not gb:
        looks = _NAMES.get(seen, seen or "an unknown encoding")
        raise InvalidInput(
            f"{file}: is neither UTF-8 nor GB18030 text (it looks like {looks}); {_RESAVE}"
        )
    return text


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
