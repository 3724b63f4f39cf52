"""Turn raw spreadsheet cells into typed registry values and check rows against the contract."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from fourchain.domain.challenge.records import DEFAULT_RUBRIC, Criterion, validate_rubric
from fourchain.domain.credit_code import credit_code_problem, is_pre_standard
from fourchain.domain.records import RECORD_KINDS, WITHDRAWABLE, FieldSpec, FieldType, RecordKind
from fourchain.errors import InvalidInput, RowError

Raw = str | int | float | bool | date | datetime | None
Value = str | int | float | bool | date | None
Record = dict[str, Value]


class CellProblem(ValueError):
    """A cell that cannot become a value of its column; the message says why."""


TRUE_WORDS = frozenset({"是", "true", "1", "y", "yes", "t"})
FALSE_WORDS = frozenset({"否", "false", "0", "n", "no", "f"})
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# Excel counts days from 1899-12-30 (the 1900 leap-year bug folded in); 60 is the fake 29 Feb.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31


def _shown(raw: Raw) -> str:
    text = str(raw)
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def _number_text(text: str) -> float:
    if "," not in text and "_" not in text:
        try:  # the common case; float() alone would also take "1_000", which is not a number here
            return float(text)
        except ValueError:
            raise CellProblem(f"{_shown(text)} is not a number") from None
    if not _NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise CellProblem(f"{_shown(text)} is not a number")
    return float(text.replace(",", ""))


def visible_text(text: str) -> str:
    """`text` without invisible characters — zero-width spaces and joiners, direction
    marks and overrides, soft hyphens, the BOM (Unicode's format characters) and control
    characters other than line breaks and tabs — and without surrounding space. Two names
    that look the same are then the same."""
    if text.isascii() and text.isprintable():
        return text.strip()
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cf", "Cc"))
    return "".join(kept).strip()


def _parse_text(spec: FieldSpec, raw: Raw) -> Value:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores a code typed as 3976 as the number 3976.0
    text = raw.isoformat() if isinstance(raw, date) else visible_text(str(raw))
    if spec.max_length is not None and len(text) > spec.max_length:
        raise CellProblem(f"is {len(text)} characters long, at most {spec.max_length} allowed")
    return text


def _parse_int(spec: FieldSpec, raw: Raw) -> Value:
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        return int(raw)  # the common case, and exact for any length
    if isinstance(raw, bool | date):
        raise CellProblem(f"{_shown(raw)} is not a whole number")
    number = _number_text(raw.strip()) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    if not math.isfinite(number) or not number.is_integer():
        raise CellProblem(f"{_shown(raw)} is not a whole number")
    return int(number)


def _parse_number(spec: FieldSpec, raw: Raw) -> Value:
    if isinstance(raw, bool | date):
        raise CellProblem(f"{_shown(raw)} is not a number")
    number = _number_text(raw.strip()) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise CellProblem(f"{_shown(raw)} is not a finite number")
    return number


def _parse_bool(spec: FieldSpec, raw: Raw) -> Value:
    if isinstance(raw, bool):
        return raw
    word = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellProblem(f"{_shown(raw)} is not yes or no (use 是/否, true/false, 1/0, Y/N)")


def _parse_date(spec: FieldSpec, raw: Raw) -> Value:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise CellProblem(f"{_shown(raw)} is not a date")
    if isinstance(raw, int | float):
        if not (1 <= raw <= _EXCEL_MAX_SERIAL) or not float(raw).is_integer():
            raise CellProblem(f"{_shown(raw)} is not a date (an Excel date is a whole day number)")
        return _EXCEL_EPOCH + timedelta(days=int(raw))
    return parse_day(str(raw))


def parse_day(raw: str) -> date:
    """A date as people type it — 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日 — or CellProblem
    saying what was expected (the same rules as an imported cell)."""
    text = raw.strip()
    match = _DATE.fullmatch(text) or _DATE_ZH.fullmatch(text)
    if match is None:
        raise CellProblem(
            f"{_shown(raw)} is not a date (use YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日)"
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise CellProblem(f"{_shown(raw)} is not a date on the calendar ({error})") from None


# Money in 元 may be typed in 万元 or 亿元: "80万", "0.8亿元", "1,200,000元".
_MONEY_UNITS = (("亿元", 1e8), ("万元", 1e4), ("亿", 1e8), ("万", 1e4), ("元", 1.0))


def _parse_money(spec: FieldSpec, raw: Raw) -> Value:
    if not isinstance(raw, str):
        return _parse_number(spec, raw)
    return parse_money(raw)


def parse_money(raw: str) -> float:
    """元 from money as people type it — 1,200,000 元, 80万, 0.8亿元 — or CellProblem saying what
    was expected (Chinese numerals such as 八十万 are refused, not guessed)."""
    text = raw.strip().replace(" ", "").replace("，", ",")
    factor = 1.0
    for unit, times in _MONEY_UNITS:
        if text.endswith(unit) and len(text) > len(unit):
            text, factor = text[: -len(unit)], times
            break
    try:
        number = _number_text(text)
    except CellProblem:
        raise CellProblem(
            f"{_shown(raw)} is not a number of 元 (write digits: 1,200,000, 80万, 0.8亿元)"
        ) from None
    if not math.isfinite(number):
        raise CellProblem(f"{_shown(raw)} is not a finite number")
    # round to the fen: 0.7亿 is 70,000,000 元, not 70,000,000.00000001
    return round(number * factor, 2) if factor != 1.0 else number


# The suffix a district's full name carries: 湖里区 is the registry's 湖里.
_DISTRICT_SUFFIXES = ("区", "县")


def _parse_district(spec: FieldSpec, raw: Raw) -> Value:
    text = str(_parse_text(spec, raw))
    if len(text) > 2 and text.endswith(_DISTRICT_SUFFIXES):
        return text[:-1]
    return text


def _parse_choice(spec: FieldSpec, raw: Raw) -> Value:
    text = str(raw).strip()
    if text in spec.choices:
        return text
    key = spec.choice_names().get(text.lower())
    if key is not None:
        return key
    raise CellProblem(
        f"{_shown(raw)} is not one of: {spec.choices_shown()} (a code or its Chinese or "
        "English name)"
    )


def _parse_credit_code(spec: FieldSpec, raw: Raw) -> Value:
    # The code's alphabet is upper case; people type it in either case.
    code = str(raw).strip().upper()
    problem = credit_code_problem(code)
    if problem is not None:
        raise CellProblem(f"{_shown(raw)}: {problem}")
    return code


def _parse_country(spec: FieldSpec, raw: Raw) -> Value:
    # read as ISO 3166 against the context's country table (see _context_errors)
    return visible_text(str(raw))


_PARSERS: dict[FieldType, Callable[[FieldSpec, Raw], Value]] = {
    FieldType.TEXT: _parse_text,
    FieldType.INT: _parse_int,
    FieldType.NUMBER: _parse_number,
    FieldType.BOOL: _parse_bool,
    FieldType.DATE: _parse_date,
    FieldType.CHOICE: _parse_choice,
    FieldType.CREDIT_CODE: _parse_credit_code,
    FieldType.MONEY: _parse_money,
    FieldType.DISTRICT: _parse_district,
    FieldType.COUNTRY: _parse_country,
}

# Derived columns: what the importer fills from the rest of the record.
DERIVED: dict[str, dict[str, Callable[[Record], Value]]] = {
    "enterprises": {
        "credit_code_pre_standard": lambda r: (
            isinstance(r.get("credit_code"), str) and is_pre_standard(str(r["credit_code"]))
        )
    },
}


def parse_cell(spec: FieldSpec, raw: Raw) -> Value:
    """The typed value of one cell (None when blank: unknown), or CellProblem saying why not."""
    if raw is None or (isinstance(raw, str) and (raw == "" or raw.isspace())):
        if spec.required:
            raise CellProblem("is required but empty")
        return None
    value = _PARSERS[spec.type](spec, raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise CellProblem(f"{_shown(raw)} is below the minimum {spec.minimum:g}")
        if spec.maximum is not None and value > spec.maximum:
            raise CellProblem(f"{_shown(raw)} is above the maximum {spec.maximum:g}")
    return value


@dataclass(frozen=True)
class NotAbove:
    """A cross-column rule: `lower` must not exceed `upper` when both are known."""

    lower: str
    upper: str


CROSS_RULES: dict[str, tuple[NotAbove, ...]] = {
    "enterprise_years": (
        NotAbove("main_business_revenue", "revenue"),
        NotAbove("hitech_revenue", "revenue"),
        NotAbove("rd_expense_domestic", "rd_expense"),
        NotAbove("st_staff", "employees"),
        NotAbove("rd_staff", "employees"),
        NotAbove("class1_ip_high_value", "class1_ip"),
        NotAbove("class1_ip_self_developed", "class1_ip"),
    ),
    "certificates": (NotAbove("issued", "expires"),),
    "institutions": (NotAbove("recognised", "closed"),),
    "patents": (NotAbove("filed", "granted"),),
    "insurance_policies": (NotAbove("starts", "ends"),),
    "project_people": (NotAbove("joined", "left"),),
    "programme_projects": (NotAbove("applied", "approved"),),
    "network_members": (NotAbove("joined", "left"),),
    "cooperation_agreements": (NotAbove("signed", "expires"),),
    "consortium_members": (NotAbove("joined", "left"),),
}

_RECIPIENT = {"project_id": "pipeline_projects", "enterprise": "enterprises"}

# Columns that name a record of another kind (by that kind's one-column natural key).
REFERENCES: dict[str, dict[str, str]] = {
    "enterprises": {"cluster": "clusters", "chain_link": "chain_links"},
    "enterprise_years": {"credit_code": "enterprises"},
    "certificates": {"credit_code": "enterprises"},
    "institutions": {"cluster": "clusters", "host_credit_code": "enterprises"},
    "patents": {"holder_credit_code": "enterprises", "holder_institution": "institutions"},
    "chains": {"cluster": "clusters"},
    "chain_links": {"chain": "chains"},
    "pipeline_projects": {
        "cluster": "clusters",
        "chain": "chains",
        "origin_institution": "institutions",
    },
    "project_people": {"project_id": "pipeline_projects", "person_id": "people"},
    "pipeline_events": {
        "project_id": "pipeline_projects",
        "institution": "institutions",
        "enterprise": "enterprises",
    },
    "funds": {"parent": "funds"},
    "fund_commitments": {"fund": "funds"},
    "investments": {"fund": "funds", **_RECIPIENT},
    "subsidies": _RECIPIENT,
    "loans": {"guarantee_fund": "funds", **_RECIPIENT},
    "insurance_policies": _RECIPIENT,
    "insurance_claims": {"policy_id": "insurance_policies"},
    "subsidy_disbursements": {"subsidy_id": "subsidies"},
    "achievements": {"institution_id": "institutions", "cluster": "clusters"},
    "demands": {"credit_code": "enterprises", "cluster": "clusters"},
    "tech_contracts": {"achievement_id": "achievements", "demand_id": "demands"},
    "conversion_projects": {"credit_code": "enterprises", "project_id": "pipeline_projects"},
    "programme_calls": {"programme": "programmes"},
    "programme_projects": {"call_id": "programme_calls", "cluster": "clusters"},
    "programme_outcomes": {"project_id": "programme_projects"},
    "programme_stage_events": {"project_id": "programme_projects"},
    "network_members": {"network": "networks", "partner": "partners"},
    "cooperation_agreements": {"partner": "partners", "network": "networks"},
    "joint_projects": {"partner": "partners", "network": "networks", "credit_code": "enterprises"},
    "consortium_members": {"consortium": "institutions"},
    "honours": {"credit_code": "enterprises"},
    "challenge_applications": {"call_id": "challenge_calls"},
    "challenge_milestones": {"call_id": "challenge_calls"},
    "cooperation_projects": {"challenge_call_id": "challenge_calls"},
}

# A market party: `<prefix>_kind` (enterprise or institution) and `<prefix>_id` naming one.
PARTIES: dict[str, tuple[str, ...]] = {
    "tech_contracts": ("seller", "buyer"),
    "programme_projects": ("lead",),
    "consortium_members": ("member",),
    "challenge_applications": ("applicant",),
    "cooperation_projects": ("lead",),
}
PARTY_TARGETS = {"enterprise": "enterprises", "institution": "institutions", "partner": "partners"}
# A column listing parties as `kind:id`, separated by commas.
PARTY_LISTS: dict[str, str] = {"programme_projects": "partners"}


def _party_list(value: object, column: str, context: Context) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for item in filter(None, (part.strip() for part in str(value or "").split(","))):
        party, _, ident = item.partition(":")
        target = PARTY_TARGETS.get(party)
        if target is None or not ident:
            found.append((column, f'"{item}" is not kind:id (enterprise:… or institution:…)'))
            continue
        held = context.known.get(target)
        if held is not None and ident not in held:
            found.append((column, f'"{ident}" is not in the registry\'s {party} records'))
    return found


# Money that goes to a recipient goes to exactly one: a pipeline project or an enterprise
# (the rule of `finance.one_recipient`, which `invest`, `award_subsidy`, `lend` and `insure`
# apply).
ONE_RECIPIENT = frozenset({"investments", "subsidies", "loans", "insurance_policies"})
# Amounts the finance rules (`finance.positive`) want above zero.
POSITIVE: dict[str, tuple[str, ...]] = {
    "funds": ("size",),
    "fund_commitments": ("amount",),
    "investments": ("amount",),
    "subsidies": ("amount",),
    "loans": ("amount",),
    "insurance_policies": ("premium", "cover"),
    "insurance_claims": ("amount",),
    "subsidy_disbursements": ("amount",),
}

# A refused reference lists the codes the registry holds when there are this few.
_LISTED_CODES = 40

# Panels are facts about years that have happened (or are under way).
NO_FUTURE_YEAR = frozenset({"enterprise_years"})


@dataclass(frozen=True)
class Context:
    """What validation needs from outside the file: today, and what the registry holds."""

    today: date
    # referenced kind -> the natural keys the registry holds (see REFERENCES)
    known: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    # credit code -> founding date, to check a panel year is not before the founding
    founded: Mapping[str, date | None] = field(default_factory=dict)
    # referenced kind -> a name people type (中文 or lower-cased English) -> the natural key,
    # so that a 产业集群 cell may say 电子信息 or Electronic information for its key
    aliases: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # a country cell (ISO 3166 code or English name) -> its alpha-2 code, None when unknown
    country: Callable[[str], str | None] | None = None


@dataclass
class Checked:
    """The typed records of a file (all columns present, unknown = None) and its errors."""

    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # the spreadsheet row of each record
    rows: list[int] = field(default_factory=list)


def _label(kind: RecordKind, key: str) -> str:
    return kind.field(key).label_zh


def _cross_errors(kind: RecordKind, record: Record) -> list[tuple[str, str]]:
    found = []
    for rule in CROSS_RULES.get(kind.name, ()):
        low, high = record.get(rule.lower), record.get(rule.upper)
        if low is None or high is None or not low > high:  # type: ignore[operator]
            continue
        word = "after" if isinstance(low, date) else "more than"
        found.append(
            (
                rule.lower,
                f"{rule.lower} {low} is {word} {rule.upper} {high} "
                f"({_label(kind, rule.lower)} must not exceed {_label(kind, rule.upper)})",
            )
        )
    return found


def _rubric_errors(record: Record, context: Context) -> list[tuple[str, str]]:
    """A call's rubric: the platform's JSON, stored as the platform writes it (blank = the
    default rubric)."""
    text = record.get("rubric")
    try:
        items = DEFAULT_RUBRIC if text is None else _rubric_items(json.loads(str(text)))
        rubric = validate_rubric(items)
    except (ValueError, TypeError, KeyError, InvalidInput) as problem:
        expected = '[{"key": "approach", "label_zh": "…", "label_en": "…", "weight": 0.35}, …]'
        return [("rubric", f"{_shown(text)} is not a rubric ({problem}); expected {expected}")]
    record["rubric"] = rubric_json(rubric)
    return []


def _rubric_items(data: object) -> list[Criterion]:
    if not isinstance(data, list):
        raise ValueError("a JSON list of criteria")
    return [
        Criterion(str(c["key"]), str(c["label_zh"]), str(c["label_en"]), float(c["weight"]))
        for c in data
    ]


def rubric_json(rubric: Iterable[Criterion]) -> str:
    """A rubric as the platform keeps it."""
    return json.dumps(
        [
            {"key": c.key, "label_zh": c.label_zh, "label_en": c.label_en, "weight": c.weight}
            for c in rubric
        ],
        ensure_ascii=False,
    )


def _partner_errors(record: Record, context: Context) -> list[tuple[str, str]]:
    """Cooperation partners: `enterprise:<credit code>` or `institution:<id>`, by ",", each
    held by the registry and none the lead; a challenge project names its call."""
    found: list[tuple[str, str]] = []
    lead = f"{record.get('lead_kind')}:{record.get('lead_id')}"
    items = [p.strip() for p in str(record.get("partners") or "").split(",") if p.strip()]
    for item in items:
        party, _, ident = item.partition(":")
        held = context.known.get(PARTY_TARGETS.get(party, ""))
        if party not in PARTY_TARGETS or not ident:
            shape = "enterprise:<信用代码> or institution:<编号>"
            found.append(("partners", f'"{item}" is not {shape}'))
        elif held is not None and ident not in held:
            found.append(("partners", f'"{ident}" is not in the registry\'s {party} records'))
        elif item == lead:
            found.append(("partners", f'"{item}" is the lead (牵头单位), not a partner'))
    if record.get("partners") is not None:
        record["partners"] = ",".join(items)
    if record.get("kind") == "challenge" and record.get("challenge_call_id") is None:
        reason = "a 揭榜挂帅 project names its challenge call (榜单编号)"
        found.append(("challenge_call_id", reason))
    return found


# Row rules of one kind that look at several columns (and may put a value in its kept form).
ROW_CHECKS: dict[str, Callable[[Record, Context], list[tuple[str, str]]]] = {
    "challenge_calls": _rubric_errors,
    "cooperation_projects": _partner_errors,
}


def _context_errors(kind: RecordKind, record: Record, context: Context) -> list[tuple[str, str]]:
    found = []
    check = ROW_CHECKS.get(kind.name)
    if check is not None:
        found.extend(check(record, context))
    for column, target in REFERENCES.get(kind.name, {}).items():
        value = record.get(column)
        known = context.known.get(target)
        if target == kind.name:
            continue  # a record of the same file (a fund's parent): checked after the file
        if isinstance(value, str) and known is not None and value not in known:
            named = context.aliases.get(target, {})
            value = named.get(value, named.get(value.lower(), value))
            record[column] = value
        if value is not None and known is not None and str(value) not in known:
            listed = ""
            if not known:
                listed = "; it holds none yet"
            elif len(known) <= _LISTED_CODES:
                listed = f"; the codes are: {', '.join(sorted(known))}"
            found.append(
                (
                    column,
                    f'"{value}" is not in the registry\'s {target} '
                    f"({RECORD_KINDS[target].label_zh}); import it there first{listed}",
                )
            )
    for spec in kind.fields:
        text = record.get(spec.key)
        if spec.type is FieldType.COUNTRY and isinstance(text, str) and context.country:
            code = context.country(text)
            if code is None:
                found.append(
                    (
                        spec.key,
                        f"{text!r} is not an ISO 3166 country (use a code such as BR or BRA, "
                        f"or the English name) ({spec.label_zh})",
                    )
                )
            else:
                record[spec.key] = code
    for prefix in PARTIES.get(kind.name, ()):
        party, ident = record.get(f"{prefix}_kind"), record.get(f"{prefix}_id")
        held = context.known.get(PARTY_TARGETS.get(str(party), ""))
        if ident is not None and held is not None and str(ident) not in held:
            found.append((f"{prefix}_id", f'"{ident}" is not in the registry\'s {party} records'))
    if kind.name in PARTY_LISTS:
        found.extend(
            _party_list(record.get(PARTY_LISTS[kind.name]), PARTY_LISTS[kind.name], context)
        )
    for column in POSITIVE.get(kind.name, ()):
        amount = record.get(column)
        if isinstance(amount, int | float) and not amount > 0:
            found.append((column, f"{amount:g} must be positive ({kind.field(column).label_zh})"))
    if kind.name in ONE_RECIPIENT and (record.get("project_id") is None) == (
        record.get("enterprise") is None
    ):
        found.append(
            (
                "project_id,enterprise",
                "goes to exactly one recipient: fill in either 孵化项目编号 (project_id) or "
                "企业信用代码 (enterprise), not both or neither",
            )
        )
    withdrawn = record.get("withdrawn")
    if kind.name in WITHDRAWABLE and isinstance(withdrawn, date) and withdrawn > context.today:
        found.append(
            ("withdrawn", f"{withdrawn} is in the future (today is {context.today}) (撤回日期)")
        )
    year = record.get("year")
    if kind.name in NO_FUTURE_YEAR and isinstance(year, int):
        if year > context.today.year:
            found.append(("year", f"{year} is in the future (today is {context.today})"))
        founded = context.founded.get(str(record.get("credit_code")))
        if founded is not None and founded.year > year:
            found.append(("year", f"{year} is before the enterprise was founded ({founded})"))
    return found


def validate_rows(
    kind: RecordKind,
    rows: Iterable[tuple[int, Mapping[str, Raw]]],
    *,
    file: str,
    context: Context,
) -> Checked:
    """Parse and check every row (numbered as a spreadsheet shows them); keep every error."""
    checked = Checked()
    first_seen: dict[tuple[Value, ...], int] = {}
    for row_number, raw_row in rows:
        record: Record = {}
        bad_columns: set[str] = set()
        for spec in kind.fields:
            try:
                record[spec.key] = parse_cell(spec, raw_row.get(spec.key))
            except CellProblem as problem:
                record[spec.key] = None
                bad_columns.add(spec.key)
                reason = f"{problem} ({spec.label_zh})"
                checked.errors.append(RowError(file, row_number, spec.key, reason))
        for key, derive in DERIVED.get(kind.name, {}).items():
            record[key] = derive(record)
        problems = _cross_errors(kind, record) + _context_errors(kind, record, context)
        for column, reason in problems:
            checked.errors.append(RowError(file, row_number, column, reason))
        if not bad_columns.intersection(kind.natural_key):
            natural = tuple(record[key] for key in kind.natural_key)
            first = first_seen.setdefault(natural, row_number)
            if first != row_number:
                shown = ", ".join(
                    f"{k}={v}" for k, v in zip(kind.natural_key, natural, strict=True)
                )
                checked.errors.append(
                    RowError(
                        file,
                        row_number,
                        ",".join(kind.natural_key),
                        f"duplicate of row {first} ({shown})",
                    )
                )
        if not bad_columns and not problems:
            checked.records.append(record)
            checked.rows.append(row_number)
    _check_own_references(kind, checked, context, file)
    return checked


def _check_own_references(kind: RecordKind, checked: Checked, context: Context, file: str) -> None:
    """A column naming a record of the same kind (a fund's parent fund) may name one stored
    or one anywhere in the file; the file's records come out parents first."""
    own = [c for c, target in REFERENCES.get(kind.name, {}).items() if target == kind.name]
    if not own or len(kind.natural_key) != 1:
        return
    (key,) = kind.natural_key
    by_key = {str(record[key]): record for record in checked.records}
    in_file = set(by_key)
    stored = context.known.get(kind.name, set())
    for column in own:
        for row, record in zip(checked.rows, checked.records, strict=True):
            value = record.get(column)
            if value is not None and str(value) not in in_file and str(value) not in stored:
                reason = f'"{value}" is neither in this file nor in the registry\'s {kind.name}'
                checked.errors.append(RowError(file, row, column, reason))
    depth: dict[str, int] = {}

    def level(name: str, seen: frozenset[str] = frozenset()) -> int:
        if name not in depth:
            record = by_key.get(name)
            parents = [str(record[c]) for c in own if record is not None and record.get(c)]
            depth[name] = 1 + max(
                (level(p, seen | {name}) for p in parents if p not in seen), default=-1
            )
        return depth[name]

    order = sorted(range(len(checked.records)), key=lambda i: level(str(checked.records[i][key])))
    checked.records[:] = [checked.records[i] for i in order]
    checked.rows[:] = [checked.rows[i] for i in order]
