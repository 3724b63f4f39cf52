"""The bureau's desk for the pipeline's records: conversion projects (成果转化项目) created,
edited and withdrawn; people and incubation projects edited and withdrawn; people attached to
and detached from projects. Only a bureau administrator; each change commits with its audit
entry (one unit of work). A withdrawn record keeps its row, its history and its audit trail,
and leaves lists, counts and indicators at once."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from fourchain.domain.accounts import Principal, Role
from fourchain.domain.audit import Action, Result, details
from fourchain.domain.talent import Person, ProjectRole
from fourchain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fourchain.services.audit import AuditTrail
from fourchain.services.paging import Page
from fourchain.services.ports import PipelineDeskStore

# The records the desk corrects: table -> (Chinese name, audit object prefix)
DESK_KINDS: dict[str, tuple[str, str]] = {
    "conversion_projects": ("成果转化项目", "conversion_project"),
    "people": ("人员", "person"),
    "pipeline_projects": ("孵化项目", "pipeline_project"),
}
FIRST_YEAR, LAST_YEAR = 1949, 2100
# The columns a list of conversion projects may be ordered by.
CONVERSION_SORTS = ("id", "year", "title", "credit_code", "field")
# The columns the list of people may be ordered by.
PEOPLE_SORTS = ("id", "name", "affiliation", "expertise")


@dataclass(frozen=True)
class Conversion:
    """A conversion project of an enterprise (高新技术成果转化项目), in the year recognised;
    optionally the incubation project it came from."""

    credit_code: str
    title: str
    year: int
    field: str | None = None
    project_id: str | None = None


@dataclass(frozen=True)
class ProjectTerms:
    """What may change of an incubation project (its id, creation and history never do)."""

    title: str
    summary: str | None = None
    cluster: str | None = None
    chain: str | None = None
    origin_institution: str | None = None


class DeskUnit(Protocol):
    @property
    def desk(self) -> PipelineDeskStore: ...
    @property
    def audit(self) -> AuditTrail: ...


DeskUnits = Callable[[], AbstractContextManager[DeskUnit]]


def _require_admin(principal: Principal) -> str:
    if principal.role is not Role.BUREAU_ADMIN:
        raise PermissionDenied("仅科技局管理员可修改孵化链记录 (bureau administrators only)")
    return principal.username or "bureau_admin"


def _text(value: str | None, field: str, label: str) -> str:
    if value is None or not value.strip():
        raise InvalidInput(f"{field}: {label}不能为空 ({field} is required)")
    return value.strip()


class PipelineDesk:
    """Writes of the pipeline's records; reads of the incubation states stay in
    services.pipeline."""

    def __init__(self, units: DeskUnits, clock: Callable[[], datetime] | None = None) -> None:
        self.units = units
        self.clock = clock or (lambda: datetime.now(UTC))

    def _note(self, unit: DeskUnit, action: Action, who: str, obj: str, detail: str) -> None:
        unit.audit.record(
            self.clock(), action, Result.SUCCESS, username=who, object=obj, detail=detail
        )

    @staticmethod
    def _must_exist(unit: DeskUnit, kind: str, key: str | None, field: str) -> None:
        if key is not None and not unit.desk.exists(kind, key):
            raise InvalidInput(f"{field}: 没有 {key} (no {kind} record {key})")

    @staticmethod
    def _standing(unit: DeskUnit, kind: str, key: str | int) -> dict[str, object]:
        found = unit.desk.record(kind, key)
        name = DESK_KINDS[kind][0]
        if found is None:
            raise NotFound(f"没有{name} {key} (no {kind} record {key})")
        if found.get("withdrawn") is not None:
            raise Conflict(f"{name} {key} 已撤回 (withdrawn on {found['withdrawn']})")
        return found

    # --- reads for the forms and lists

    def records(self, kind: str) -> list[dict[str, object]]:
        with self.units() as unit:
            return unit.desk.records(kind)

    def record(self, kind: str, key: str | int) -> dict[str, object]:
        """A standing record (NotFound, or Conflict when withdrawn)."""
        with self.units() as unit:
            return self._standing(unit, kind, key)

    def conversions(
        self, sort: str, descending: bool, limit: int, offset: int
    ) -> tuple[list[dict[str, object]], int]:
        """A page of the standing conversion projects, ordered by one of CONVERSION_SORTS."""
        if sort not in CONVERSION_SORTS:
            raise InvalidInput(f"sort: one of {', '.join(CONVERSION_SORTS)}")
        with self.units() as unit:
            return unit.desk.conversions(sort, descending, limit, offset)

    def people(
        self, sort: str, descending: bool, page: int, page_size: int, typed: str = ""
    ) -> Page[dict[str, object]]:
        """A page of the people not withdrawn, ordered by one of PEOPLE_SORTS, only those
        `typed` names when given (a page past the last shows the last)."""
        if sort not in PEOPLE_SORTS:
            raise InvalidInput(f"sort: one of {', '.join(PEOPLE_SORTS)}")
        typed = typed.strip()
        with self.units() as unit:
            page = max(1, page)
            rows, total = unit.desk.people(
                sort, descending, page_size, (page - 1) * page_size, typed
            )
            last = max(1, -(-total // page_size))
            if page > last:  # a jump past the end (or a list that shrank): the last page
                page = last
                offset = (page - 1) * page_size
                rows, total = unit.desk.people(sort, descending, page_size, offset, typed)
            return Page(rows, total, page=page, page_size=page_size)

    def people_like(self, typed: str, most: int = 20) -> list[tuple[str, str]]:
        """(id, name) of standing people whose name or number contains `typed`."""
        with self.units() as unit:
            return unit.desk.people_like(typed.strip(), most)

    def person_named(self, typed: str, field: str = "person_id") -> str:
        """The number of the standing person `typed` names: their number, or a name only one
        standing person has (InvalidInput beside `field` otherwise)."""
        text = typed.strip()
        if not text:
            raise InvalidInput(f"{field}: 请选择人员 (choose a person)")
        with self.units() as unit:
            if unit.desk.exists("people", text):
                return text
            found = unit.desk.people_named(text)
        if len(found) != 1:
            why = "没有这个人" if not found else "同名者不止一位，请选编号"
            raise InvalidInput(f"{field}: {why} (no single person named {text!r})")
        return found[0]

    # --- conversion projects

    def _conversion_values(self, unit: DeskUnit, c: Conversion) -> dict[str, object]:
        title = _text(c.title, "title", "项目名称")
        if not FIRST_YEAR <= c.year <= LAST_YEAR:
            raise InvalidInput(f"year: 年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间 (got {c.year})")
        code = _text(c.credit_code, "credit_code", "统一社会信用代码").upper()
        self._must_exist(unit, "enterprises", code, "credit_code")
        self._must_exist(unit, "pipeline_projects", c.project_id, "project_id")
        values = asdict(c)
        return {**values, "credit_code": code, "title": title, "field": c.field or None}

    def create_conversion(self, principal: Principal, c: Conversion) -> int:
        who = _require_admin(principal)
        with self.units() as unit:
            new_id = unit.desk.add_conversion(self._conversion_values(unit, c))
            detail = details(
                record={"title": c.title, "credit_code": c.credit_code, "year": c.year}
            )
            self._note(unit, Action.RECORD_CREATED, who, f"conversion_project:{new_id}", detail)
            return new_id

    def edit_conversion(self, principal: Principal, record_id: int, c: Conversion) -> None:
        who = _require_admin(principal)
        with self.units() as unit:
            found = self._standing(unit, "conversion_projects", record_id)
            self._edit(
                unit, who, "conversion_projects", record_id, found, self._conversion_values(unit, c)
            )

    # --- people and incubation projects

    def edit_person(self, principal: Principal, person_id: str, person: Person) -> None:
        who = _require_admin(principal)
        values: dict[str, object] = {
            "name": _text(person.name, "name", "姓名"),
            "affiliation": person.affiliation or None,
            "expertise": person.expertise or None,
            "email": person.email or None,
        }
        with self.units() as unit:
            found = self._standing(unit, "people", person_id)
            self._edit(unit, who, "people", person_id, found, values)

    def edit_project(self, principal: Principal, project_id: str, terms: ProjectTerms) -> None:
        who = _require_admin(principal)
        values: dict[str, object] = {
            **asdict(terms),
            "title": _text(terms.title, "title", "项目名称"),
        }
        with self.units() as unit:
            found = self._standing(unit, "pipeline_projects", project_id)
            self._must_exist(unit, "clusters", terms.cluster, "cluster")
            self._must_exist(unit, "chains", terms.chain, "chain")
            self._must_exist(unit, "institutions", terms.origin_institution, "origin_institution")
            self._edit(unit, who, "pipeline_projects", project_id, found, values)

    def _edit(
        self,
        unit: DeskUnit,
        who: str,
        kind: str,
        key: str | int,
        found: dict[str, object],
        values: dict[str, object],
    ) -> None:
        unit.desk.update(kind, key, values)
        changed = {k: [found.get(k), v] for k, v in values.items() if found.get(k) != v}
        obj = f"{DESK_KINDS[kind][1]}:{key}"
        self._note(unit, Action.RECORD_EDITED, who, obj, details(changed=changed))

    def withdraw(
        self, principal: Principal, kind: str, key: str | int, reason: str | None = None
    ) -> None:
        """Withdraw a conversion project, a person or an incubation project: its row stays
        (with the day), lists, counts and indicators leave it out from now on. The reason,
        when given, goes into the audit entry."""
        who = _require_admin(principal)
        if kind not in DESK_KINDS:
            raise InvalidInput(f"kind: {kind} 不可撤回; one of {', '.join(DESK_KINDS)}")
        with self.units() as unit:
            found = self._standing(unit, kind, key)
            unit.desk.withdraw(kind, key, self.clock().date())
            record = {k: v for k, v in found.items() if k not in ("id", "withdrawn")}
            shown = details(record=record, reason=(reason or "").strip() or None)
            self._note(unit, Action.RECORD_WITHDRAWN, who, f"{DESK_KINDS[kind][1]}:{key}", shown)

    # --- people on projects

    def attach(
        self, principal: Principal, project_id: str, person_id: str, role: str, joined: date
    ) -> None:
        who = _require_admin(principal)
        if role not in {r.value for r in ProjectRole}:
            valid = ", ".join(r.value for r in ProjectRole)
            raise InvalidInput(f"role: 角色应为 {valid} (got {role})")
        with self.units() as unit:
            self._standing(unit, "pipeline_projects", project_id)
            self._must_exist(unit, "people", person_id, "person_id")
            current = unit.desk.membership(project_id, person_id)
            if current is not None and current.get("left") is None:
                raise Conflict(
                    f"person_id: {person_id} 已在项目 {project_id} 中 (already on the project)"
                )
            unit.desk.attach(project_id, person_id, role, joined)
            obj = f"pipeline_project:{project_id}:person:{person_id}"
            self._note(
                unit,
                Action.RECORD_CREATED,
                who,
                obj,
                details(record={"role": role, "joined": joined}),
            )

    def detach(self, principal: Principal, project_id: str, person_id: str) -> date:
        """Record that a person left a project's team today: the row stays (the team's
        history), and they may be attached again later. Returns the day they left."""
        who = _require_admin(principal)
        with self.units() as unit:
            found = unit.desk.membership(project_id, person_id)
            if found is None or found.get("left") is not None:
                raise NotFound(f"{person_id} 不在项目 {project_id} 中 (not on the project)")
            joined = found["joined"]
            today = self.clock().date()
            # Someone recorded as joining later than today leaves on the day they joined.
            left = max(today, joined) if isinstance(joined, date) else today
            unit.desk.detach(int(str(found["id"])), left)
            obj = f"pipeline_project:{project_id}:person:{person_id}"
            detail = details(record={"role": found["role"], "joined": joined, "left": left})
            self._note(unit, Action.RECORD_WITHDRAWN, who, obj, detail)
            return left
