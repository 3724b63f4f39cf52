"""The `assess --input` file: enterprises and their panel years in one CSV or XLSX sheet, read
into profiles; and its template.

Layout: one row per enterprise and year. `credit_code` and `year` are required on every row;
the `enterprises` columns may be given on any one of an enterprise's rows (the rest left
empty) and must not contradict each other; `held_tiers` lists the tiers it holds at the end
of the assessment year (e.g. `hnte;srdi_sme`; empty: none). A header cell is a column key or
its Chinese label. Empty means unknown.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from fourchain.domain.credit_code import credit_code_problem
from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.records import ENTERPRISE_YEARS, ENTERPRISES, FieldSpec, FieldType
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier
from fourchain.domain.validation import parse_cell
from fourchain.errors import ImportRejected, InvalidInput, RowError

HELD = FieldSpec("held_tiers", "年末持有资质", FieldType.TEXT)
SPECS: dict[str, FieldSpec] = {
    spec.key: spec for spec in (*ENTERPRISES.fields, *ENTERPRISE_YEARS.fields[1:], HELD)
}
_BY_LABEL = {spec.label_zh: key for key, spec in SPECS.items()}
_TRUE = {"true", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "no", "n", "0", "否", "无"}
MAX_ROWS = 200_000


def _parse(spec: FieldSpec, raw: Any) -> Any:
    """One cell as the column's type; ValueError says why it is not."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    kind = spec.type
    if kind is FieldType.MONEY:  # 元, 80万, 0.8亿元: the importer's own money words
        return parse_cell(spec, text)
    if kind is FieldType.BOOL:
        if isinstance(text, bool):
            return text
        word = str(text).lower()
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise ValueError(f"{text!r} is not yes/no (是/否, true/false, 1/0)")
    if kind in (FieldType.INT, FieldType.NUMBER):
        number = float(str(text).replace(",", "")) if not isinstance(text, int | float) else text
        if kind is FieldType.INT:
            if float(number) != int(number):
                raise ValueError(f"{text!r} is not a whole number")
            number = int(number)
        if spec.minimum is not None and number < spec.minimum:
            raise ValueError(f"{number} is below the minimum {spec.minimum:g}")
        if spec.maximum is not None and number > spec.maximum:
            raise ValueError(f"{number} is above the maximum {spec.maximum:g}")
        return number
    if kind is FieldType.DATE:
        if isinstance(text, datetime):
            return text.date()
        if isinstance(text, date):
            return text
        return date.fromisoformat(str(text))
    if kind is FieldType.CHOICE and str(text) not in spec.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(spec.choices)}")
    if kind is FieldType.CREDIT_CODE:
        problem = credit_code_problem(str(text).upper())
        if problem:
            raise ValueError(problem)
        return str(text).upper()
    return str(text)


def _rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise InvalidInput(f"no file {path}")
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    if suffix == ".xlsx":
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    raise InvalidInput(f"{path.name}: expected a .csv or .xlsx file")


def _header(path: Path, cells: list[Any]) -> list[str | None]:
    keys: list[str | None] = []
    for cell in cells:
        name = "" if cell is None else str(cell).strip()
        keys.append(name if name in SPECS else _BY_LABEL.get(name) if name else None)
    unknown = [
        str(c) for c, k in zip(cells, keys, strict=True) if k is None and c not in (None, "")
    ]
    missing = [k for k in ("credit_code", "year") if k not in keys]
    if unknown or missing:
        raise InvalidInput(
            f"{path.name}: header — unknown column(s) {unknown or 'none'}; "
            f"missing required {missing or 'none'} (see `fourchain assess --template`)"
        )
    return keys


def read_profiles(path: Path) -> list[EnterpriseProfile]:
    """Profiles from an input file; every bad cell is reported with its row and column."""
    rows = _rows(path)
    if not rows:
        raise InvalidInput(f"{path.name}: the file is empty")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"{path.name}: {len(rows)} rows; at most {MAX_ROWS} in one file")
    keys = _header(path, rows[0])
    errors: list[RowError] = []
    firms: dict[str, dict[str, tuple[Any, int]]] = {}
    years: dict[str, dict[int, dict[str, Any]]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        record: dict[str, Any] = {}
        for key, raw in zip(keys, row, strict=False):
            if key is None:
                continue
            try:
                record[key] = _parse(SPECS[key], raw)
            except ValueError as error:
                errors.append(RowError(path.name, number, key, str(error)))
        code, year = record.get("credit_code"), record.get("year")
        if code is None or year is None:
            if not any(e.row == number for e in errors):
                errors.append(RowError(path.name, number, "", "credit_code and year are required"))
            continue
        _merge(path, number, firms.setdefault(code, {}), record, errors)
        if year in years.setdefault(code, {}):
            errors.append(RowError(path.name, number, "year", f"{code} has {year} twice"))
        years[code][year] = {k: record.get(k) for k in ENTERPRISE_YEARS.keys[2:]}
        revenue, main = record.get("revenue"), record.get("main_business_revenue")
        if revenue is not None and main is not None and main > revenue:
            errors.append(RowError(path.name, number, "main_business_revenue", "exceeds revenue"))
    if errors:
        raise ImportRejected(path.name, errors)
    return [_profile(code, firms[code], years[code]) for code in firms]


def _merge(
    path: Path,
    number: int,
    firm: dict[str, tuple[Any, int]],
    record: dict[str, Any],
    errors: list[RowError],
) -> None:
    for key in (*ENTERPRISES.keys, HELD.key):
        value = record.get(key)
        if value is None:
            continue
        if key in firm and firm[key][0] != value:
            reason = f"{value!r} contradicts {firm[key][0]!r} on row {firm[key][1]}"
            errors.append(RowError(path.name, number, key, reason))
        firm.setdefault(key, (value, number))


def _profile(
    code: str, firm: dict[str, tuple[Any, int]], years: dict[int, dict[str, Any]]
) -> EnterpriseProfile:
    values = {k: v for k, (v, _) in firm.items()}
    held = str(values.pop("held_tiers", "") or "")
    values.setdefault("name", code)
    enterprise = Enterprise(**values)
    panel = {y: EnterpriseYear(code, y, **fields) for y, fields in years.items()}
    last = max(years)
    certificates = [
        Certificate(code, _tier(t), date(last, 1, 1), date(last, 12, 31))
        for t in held.replace(",", ";").replace("；", ";").split(";")
        if t.strip()
    ]
    return EnterpriseProfile(enterprise, panel, certificates)


def _tier(text: str) -> Tier:
    try:
        return Tier(text.strip())
    except ValueError:
        known = ", ".join(t.value for t in Tier)
        raise InvalidInput(f"held_tiers: unknown tier {text.strip()!r}; expected {known}") from None


ExpertScores = dict[str, dict[str, dict[str, float]]]


def read_expert_scores(path: Path) -> ExpertScores:
    """Expert scores for the expert-judged score items, as JSON:
    `{"<credit_code>": {"<tier or rule-set key>": {"<item id>": points}}}`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"no file {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path.name}: not JSON ({error})") from None
    out: ExpertScores = {}
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: expected an object keyed by credit code")
    for code, per_tier in data.items():
        if not isinstance(per_tier, dict):
            raise InvalidInput(f"{path.name}: {code}: expected an object keyed by tier")
        for tier, items in per_tier.items():
            if not isinstance(items, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in items.values()
            ):
                raise InvalidInput(f"{path.name}: {code}.{tier}: expected {{item: points}}")
            out.setdefault(code, {})[tier] = {k: float(v) for k, v in items.items()}
    return out


EXAMPLE: list[dict[str, Any]] = [
    {
        "credit_code": "91350200MA2Y0C0X1B",
        "name": "厦门示例科技有限公司",
        "founded": "2016-05-10",
        "district": "思明",
        "zone": "火炬高新区",
        "cluster": "electronic_information",
        "niche_since": 2017,
        "strategic_emerging": "是",
        "key_chain_role": "supplies_leading",
        "rd_institution_level": "municipal",
        "held_tiers": "tech_sme",
        "year": 2025,
        "employees": 180,
        "st_staff": 45,
        "rd_staff": 30,
        "revenue": 86_000_000,
        "main_business_revenue": 80_000_000,
        "hitech_revenue": 60_000_000,
        "rd_expense": 3_300_000,
        "rd_expense_domestic": 3_300_000,
        "total_cost": 75_000_000,
        "net_profit": 6_000_000,
        "total_assets": 120_000_000,
        "total_liabilities": 50_000_000,
        "equity_financing": 0,
        "class1_ip": 3,
        "class1_ip_high_value": 0,
        "class1_ip_self_developed": 2,
        "class2_ip": 12,
        "conversions": 3,
        "standards_led": 0,
        "niche_market_share": 6.5,
        "digital_level": 3,
        "major_incident": "否",
        "dishonest_listed": "否",
    },
    {
        "credit_code": "91350200MA2Y0C0X1B",
        "year": 2024,
        "employees": 160,
        "st_staff": 40,
        "revenue": 70_000_000,
        "main_business_revenue": 65_000_000,
        "rd_expense": 2_800_000,
        "rd_expense_domestic": 2_800_000,
        "total_assets": 100_000_000,
        "total_liabilities": 45_000_000,
        "conversions": 2,
        "standards_led": 0,
        "major_incident": "否",
        "dishonest_listed": "否",
    },
    {
        "credit_code": "91350200MA2Y0C0X1B",
        "year": 2023,
        "revenue": 58_000_000,
        "main_business_revenue": 54_000_000,
        "rd_expense": 2_200_000,
        "rd_expense_domestic": 2_200_000,
        "total_assets": 90_000_000,
        "total_liabilities": 42_000_000,
        "conversions": 2,
        "standards_led": 0,
    },
]


def write_template(path: Path) -> None:
    """The input layout with a worked example (three years of one enterprise)."""
    keys = list(SPECS)
    rows = [[row.get(k, "") for k in keys] for row in EXAMPLE]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(keys)
            writer.writerows(rows)
        return
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path.name}: the template is written as .csv or .xlsx")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "assess"
    sheet.append(keys)
    for row in rows:
        sheet.append(row)
    notes = book.create_sheet("columns 说明")
    notes.append(["key", "中文", "type", "required"])
    for key, spec in SPECS.items():
        notes.append(
            [key, spec.label_zh, spec.type.value, "yes" if key in ("credit_code", "year") else ""]
        )
    book.save(path)
