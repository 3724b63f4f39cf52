"""Registry records in files: pick CSV or XLSX by extension, map headers to column keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fourchain.adapters.ingest.csv_files import read_csv, write_csv
from fourchain.adapters.ingest.headers import combined_header, resolve_header
from fourchain.adapters.ingest.xlsx_files import read_xlsx, write_xlsx
from fourchain.domain.records import FieldType, RecordKind
from fourchain.domain.validation import Raw
from fourchain.errors import ImportRejected, InvalidInput, RowError

SUFFIXES = (".csv", ".xlsx")

_TYPE_NOTES = {
    FieldType.TEXT: "文本 text",
    FieldType.INT: "整数 whole number",
    FieldType.NUMBER: "数值 number",
    FieldType.BOOL: "是/否 yes/no",
    FieldType.DATE: "日期 date (YYYY-MM-DD)",
    FieldType.CHOICE: "选项 choice",
    FieldType.CREDIT_CODE: "统一社会信用代码 credit code (GB 32100-2015; 福建试点期代码亦可)",
    FieldType.MONEY: "金额(元) money in yuan: 1,200,000 / 80万 / 0.8亿元",
    FieldType.DISTRICT: "区 district (湖里 or 湖里区)",
    FieldType.COUNTRY: "国家或地区 country (ISO 3166: BR / BRA / Brazil)",
}


@dataclass
class SourceTable:
    """A file being read: its display name, the columns it has, its numbered rows, and the
    problems found while reading them (filled as `rows` is consumed)."""

    file: str
    columns: tuple[str, ...]
    rows: Iterator[tuple[int, Mapping[str, Raw]]]
    problems: list[RowError] = field(default_factory=list)
    close: Callable[[], None] = lambda: None

    def __enter__(self) -> SourceTable:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            f"{path.name}: use a .csv or .xlsx file (got {suffix or 'no extension'})"
        )
    return suffix


def read_table(path: Path, kind: RecordKind) -> SourceTable:
    """Open `path` as a file of `kind`; a header that does not fit the kind is rejected.
    Reading every row closes the file; use `with` when the rows may be left unread."""
    suffix = _suffix(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if suffix == ".csv":
        header, numbered = read_csv(path)
        close: Callable[[], None] = lambda: None  # noqa: E731 - the text is already in memory
    else:
        header, numbered, close = read_xlsx(path)
    columns, errors = resolve_header(header, kind, path.name)
    if not header:
        errors = [RowError(path.name, 1, "", "the file is empty; row 1 must be the header")]
    if errors:
        close()
        raise ImportRejected(path.name, errors)
    width = len(columns)
    problems: list[RowError] = []

    def rows() -> Iterator[tuple[int, Mapping[str, Raw]]]:
        for number, cells in numbered:
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue  # blank lines between records are not rows
            extra = [cell for cell in cells[width:] if cell not in (None, "")]
            if extra:
                problems.append(
                    RowError(path.name, number, "", f"{len(extra)} cell(s) beyond the last column")
                )
            yield (
                number,
                {key: cell for key, cell in zip(columns, cells, strict=False) if key is not None},
            )

    present = tuple(key for key in columns if key is not None)
    return SourceTable(path.name, present, rows(), problems, close)


def write_table(path: Path, kind: RecordKind, records: Iterable[Mapping[str, object]]) -> int:
    """Write records of `kind` under the template's header; returns the number of rows."""
    suffix = _suffix(path)
    header = combined_header(kind)
    rows = ([record.get(key) for key in kind.keys] for record in records)
    if suffix == ".csv":
        return write_csv(path, header, rows)
    return write_xlsx(path, header, rows, title=kind.label_zh)


def notes(kind: RecordKind) -> list[list[str]]:
    """The `说明 Notes` sheet: each column's key, label, type, whether required, what is allowed."""
    lines = [["列 key", "中文标签 label", "类型 type", "必填 required", "允许值 allowed values"]]
    for spec in kind.fields:
        allowed = []
        if spec.choices:
            allowed.append(spec.choices_shown())
        if spec.derived:
            allowed.append("导入时自动判定 filled in on import")
        if spec.minimum is not None:
            allowed.append(f"≥ {spec.minimum:g}")
        if spec.maximum is not None:
            allowed.append(f"≤ {spec.maximum:g}")
        if spec.max_length is not None:
            allowed.append(f"≤ {spec.max_length} 字符 characters")
        required = "是 yes" if spec.required else "否 no"
        lines.append(
            [spec.key, spec.label_zh, _TYPE_NOTES[spec.type], required, "; ".join(allowed)]
        )
    return lines


def write_template(path: Path, kind: RecordKind) -> None:
    """An empty file to fill in: the combined header, and in XLSX a `说明 Notes` sheet."""
    if _suffix(path) == ".csv":
        write_csv(path, combined_header(kind), [])
    else:
        write_xlsx(path, combined_header(kind), [], title=kind.label_zh, notes=notes(kind))
