"""The talent chain (人才链): people on incubation projects, with only the personal data the work
needs, and which of it each viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fourchain.domain.accounts import Principal, Role
from fourchain.errors import InvalidInput


class ProjectRole(StrEnum):
    LEAD_SCIENTIST = "lead_scientist"  # 首席科学家 / 项目负责人
    FOUNDER = "founder"  # 创始人
    TEAM_MEMBER = "team_member"  # 团队成员


PROJECT_ROLE_LABELS: dict[ProjectRole, tuple[str, str]] = {
    ProjectRole.LEAD_SCIENTIST: ("首席科学家", "Lead scientist"),
    ProjectRole.FOUNDER: ("创始人", "Founder"),
    ProjectRole.TEAM_MEMBER: ("团队成员", "Team member"),
}


@dataclass(frozen=True)
class Person:
    """Deliberately minimal: no ID number, birth date, gender or address is kept, because
    matching people to projects and reaching them needs none of it."""

    id: str
    name: str
    affiliation: str | None = None  # an institution id or an employer's name
    expertise: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Membership:
    person: str
    project: str
    role: ProjectRole
    joined: date
    left: date | None = None


# Fields each audience sees: the public a name and a role; reviewers the expertise they assess;
# only the bureau and the people running the project reach a person (email).
PUBLIC_FIELDS = ("id", "name")
REVIEW_FIELDS = (*PUBLIC_FIELDS, "affiliation", "expertise")
CONTACT_FIELDS = (*REVIEW_FIELDS, "email")


def visible_fields(
    viewer: Principal, *, host_institutions: frozenset[str], enterprise: str | None
) -> tuple[str, ...]:
    """The person fields `viewer` may see on a project hosted by `host_institutions` (the
    institutions it has passed through) that became `enterprise` (if it graduated)."""
    if viewer.is_bureau:
        return CONTACT_FIELDS
    if viewer.role is Role.INSTITUTION_USER and viewer.institution in host_institutions:
        return CONTACT_FIELDS
    if viewer.role is Role.ENTERPRISE_USER and enterprise and viewer.enterprise == enterprise:
        return CONTACT_FIELDS
    if viewer.role is Role.EXPERT_REVIEWER:
        return REVIEW_FIELDS
    return PUBLIC_FIELDS


def person_view(person: Person, fields: tuple[str, ...]) -> dict[str, str | None]:
    return {name: getattr(person, name) for name in fields}


def check_person(person: Person) -> None:
    if not person.id.strip() or not person.name.strip():
        raise InvalidInput("人员须有编号和姓名 / a person needs an id and a name")
    if person.email is not None and "@" not in person.email:
        raise InvalidInput(
            f"人员 {person.id} 的邮箱格式不对：{person.email!r} / person {person.id}: "
            f"{person.email!r} is not an email address"
        )


def check_membership(existing: list[Membership], new: Membership) -> None:
    """One lead scientist at a time on a project; a person holds one role there at a time."""
    current = [m for m in existing if m.project == new.project and m.left is None]
    if any(m.person == new.person for m in current):
        raise InvalidInput(
            f"{new.person} 已在项目 {new.project} 中 / {new.person} is already on "
            f"project {new.project}"
        )
    if new.role is ProjectRole.LEAD_SCIENTIST and any(
        m.role is ProjectRole.LEAD_SCIENTIST for m in current
    ):
        raise InvalidInput(
            f"项目 {new.project} 已有首席科学家 / project {new.project} already has a lead "
            "scientist"
        )
