"""The `assess --input` file: enterprises and their panel years in one CSV or XLSX sheet, read
into profiles; and its template.

Layout: one row per enterprise and year. `credit_code` and `year` are required on every row;
the `enterprises` columns may be given on any one of an enterprise's rows (the rest left
empty) and must not contradict each other; `held_tiers` lists the tiers it holds at the end
of the assessment year (e.g. `hnte;srdi_sme`; empty: none). A header cell is a column key or
its Chinese label. Empty means unknown.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from fourchain.adapters.ingest.files import SUFFIXES, notes, read_table, write_table
from fourchain.adapters.ingest.headers import combined_header
from fourchain.adapters.ingest.xlsx_files import write_xlsx
from fourchain.domain.cultivation import EnterpriseProfile
from fourchain.domain.records import (
    ENTERPRISE_YEARS,
    ENTERPRISES,
    FieldSpec,
    FieldType,
    RecordKind,
)
from fourchain.domain.registry import Certificate, Enterprise, EnterpriseYear, Tier
from fourchain.domain.validation import CellProblem, parse_cell
from fourchain.errors import ImportRejected, InvalidInput, RowError

HELD = FieldSpec("held_tiers", "年末持有资质", FieldType.TEXT)
_REQUIRED = ("credit_code", "year")
# The input file as a record kind of its own: the importer's reader (encoding sniffing, the
# XLSX bomb limits, header by key, Chinese label or `标签 (key)`) and its cell parser (money
# words, yes/no words, districts, credit codes) read it. Only credit code and year are required.
ASSESS_INPUT = RecordKind(
    "assess_input",
    "培育测评输入",
    tuple(
        replace(spec, required=spec.key in _REQUIRED)
        for spec in (*ENTERPRISES.fields, *ENTERPRISE_YEARS.fields[1:], HELD)
    ),
    _REQUIRED,
)
SPECS: dict[str, FieldSpec] = {spec.key: spec for spec in ASSESS_INPUT.fields}
MAX_ROWS = 200_000


def read_profiles(path: Path) -> list[EnterpriseProfile]:
    """Profiles from an input file; every bad cell is reported with its row and column."""
    if path.suffix.lower() in SUFFIXES and not path.is_file():
        raise InvalidInput(f"no file {path}")
    errors: list[RowError] = []
    firms: dict[str, dict[str, tuple[Any, int]]] = {}
    years: dict[str, dict[int, dict[str, Any]]] = {}
    seen = 0
    with read_table(path, ASSESS_INPUT) as table:
        for number, cells in table.rows:
            seen += 1
            if seen > MAX_ROWS:
                raise InvalidInput(f"{path.name}: more than {MAX_ROWS:,} rows; split the file")
            record: dict[str, Any] = {}
            for key, raw in cells.items():
                try:
                    record[key] = parse_cell(SPECS[key], raw)
                except CellProblem as error:
                    errors.append(RowError(path.name, number, key, str(error)))
            code, year = record.get("credit_code"), record.get("year")
            if code is None or year is None:
                continue  # the missing column's own error is already listed
            _merge(path, number, firms.setdefault(code, {}), record, errors)
            if year in years.setdefault(code, {}):
                errors.append(RowError(path.name, number, "year", f"{code} has {year} twice"))
            years[code][year] = {k: record.get(k) for k in ENTERPRISE_YEARS.keys[2:]}
            revenue, main = record.get("revenue"), record.get("main_business_revenue")
            if revenue is not None and main is not None and main > revenue:
                errors.append(
                    RowError(path.name, number, "main_business_revenue", "exceeds revenue")
                )
        errors = table.problems + errors
    if seen == 0 and not errors:
        raise InvalidInput(f"{path.name}: the file has a header but no rows")
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
    """The input layout with a worked example (three years of one enterprise); an XLSX file
    carries the importer's `说明 Notes` sheet."""
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput(f"{path.name}: the template is written as .csv or .xlsx")
    if path.suffix.lower() == ".csv":
        write_table(path, ASSESS_INPUT, EXAMPLE)
        return
    header = combined_header(ASSESS_INPUT)
    rows = ([row.get(key) for key in ASSESS_INPUT.keys] for row in EXAMPLE)
    write_xlsx(path, header, rows, title="assess", notes=notes(ASSESS_INPUT))
