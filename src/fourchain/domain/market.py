"""The technology market's records (achievements, demands, contracts, cooperation projects),
who they belong to, and who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from fourchain.domain.accounts import BUREAU_ROLES, Role
from fourchain.errors import InvalidInput

TRL_MIN, TRL_MAX = 1, 9


class TransferMode(StrEnum):
    """How an achievement may change hands (成果转化方式)."""

    LICENCE = "licence"  # 许可
    ASSIGNMENT = "assignment"  # 转让
    JOINT_DEVELOPMENT = "joint_development"  # 合作开发


class IPStatus(StrEnum):
    """The protection an achievement stands on."""

    NONE = "none"  # 无
    APPLIED = "applied"  # 专利申请中
    GRANTED = "granted"  # 已授权
    TRADE_SECRET = "trade_secret"  # 技术秘密


class ContractType(StrEnum):
    """The kinds of registered technology contract (技术合同)."""

    TRANSFER = "transfer"  # 技术转让
    LICENCE = "licence"  # 技术许可
    DEVELOPMENT = "development"  # 技术开发
    SERVICE = "service"  # 技术服务
    CONSULTING = "consulting"  # 技术咨询


class CooperationKind(StrEnum):
    """The three kinds the city counts together ("> 600 projects organised 2021–2025")."""

    BREAKTHROUGH = "breakthrough"  # 重大技术攻关
    CHALLENGE = "challenge"  # 揭榜挂帅
    IUR = "iur"  # 产学研合作


class PartyKind(StrEnum):
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"


LABELS: dict[str, tuple[str, str]] = {
    TransferMode.LICENCE: ("许可", "Licence"),
    TransferMode.ASSIGNMENT: ("转让", "Assignment"),
    TransferMode.JOINT_DEVELOPMENT: ("合作开发", "Joint development"),
    IPStatus.NONE: ("无知识产权", "No IP"),
    IPStatus.APPLIED: ("专利申请中", "Patent applied"),
    IPStatus.GRANTED: ("已授权专利", "Patent granted"),
    IPStatus.TRADE_SECRET: ("技术秘密", "Trade secret"),
    ContractType.TRANSFER: ("技术转让", "Technology transfer"),
    ContractType.LICENCE: ("技术许可", "Technology licence"),
    ContractType.DEVELOPMENT: ("技术开发", "Technology development"),
    ContractType.SERVICE: ("技术服务", "Technology service"),
    ContractType.CONSULTING: ("技术咨询", "Technology consulting"),
    CooperationKind.BREAKTHROUGH: ("重大技术攻关", "Key-technology breakthrough"),
    CooperationKind.CHALLENGE: ("揭榜挂帅", "Open-competition challenge"),
    CooperationKind.IUR: ("产学研合作", "Industry–university–research"),
}


@dataclass(frozen=True)
class Party:
    """An enterprise (by credit code) or an institution (by id) acting in the market."""

    kind: PartyKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Party:
        """`enterprise:<credit code>` or `institution:<id>`."""
        kind, _, ident = text.partition(":")
        if kind not in tuple(PartyKind) or not ident.strip():
            raise InvalidInput(
                f"party {text!r}: 应为 enterprise:<信用代码> 或 institution:<编号> "
                "(expected enterprise:<credit code> or institution:<id>)"
            )
        return cls(PartyKind(kind), ident.strip())


def _bad(record: str, field_name: str, reason_zh: str, reason_en: str) -> InvalidInput:
    return InvalidInput(f"{record}.{field_name}: {reason_zh} ({reason_en})")


def _need_text(record: str, name: str, value: str, max_length: int) -> None:
    if not value.strip():
        raise _bad(record, name, "不能为空", "must not be empty")
    if len(value) > max_length:
        raise _bad(record, name, f"超过 {max_length} 字", f"longer than {max_length} characters")


def _need_money(record: str, name: str, value: float | None) -> None:
    if value is not None and not value >= 0:  # `not >=` also refuses NaN
        raise _bad(record, name, f"金额须 ≥ 0，现为 {value}", f"must be ≥ 0, got {value}")


@dataclass
class Achievement:
    """A research result an institution offers for transfer (科技成果)."""

    institution_id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    trl: int
    ip_status: IPStatus
    transfer_modes: tuple[TransferMode, ...]
    contact: str
    published: date
    discipline: str | None = None
    ipc: str | None = None
    patent_numbers: tuple[str, ...] = ()
    asking_terms: str = ""
    asking_price: float | None = None
    cluster: str | None = None
    listed: bool = True
    id: int | None = None
    withdrawn: date | None = None

    def validate(self) -> Achievement:
        r = "achievement"
        _need_text(r, "title", self.title, 300)
        _need_text(r, "abstract", self.abstract, 5000)
        _need_text(r, "contact", self.contact, 200)
        if not (self.discipline or self.ipc):
            raise _bad(r, "discipline", "学科或 IPC 分类至少填一项", "give a discipline or an IPC")
        if isinstance(self.trl, bool) or not TRL_MIN <= self.trl <= TRL_MAX:
            raise _bad(r, "trl", f"技术就绪度须为 1–9，现为 {self.trl}", "TRL must be 1–9")
        if not self.keywords or any(not k.strip() for k in self.keywords):
            raise _bad(r, "keywords", "至少一个非空关键词", "at least one non-empty keyword")
        if not self.transfer_modes:
            raise _bad(r, "transfer_modes", "至少一种转化方式", "at least one transfer mode")
        patented = self.ip_status in (IPStatus.APPLIED, IPStatus.GRANTED)
        if patented and not self.patent_numbers:
            raise _bad(
                r, "patent_numbers", "专利申请中或已授权须填专利号", "patent status needs numbers"
            )
        if not patented and self.patent_numbers:
            raise _bad(
                r,
                "patent_numbers",
                f"知识产权状态为 {self.ip_status.value} 时不应填专利号",
                "patent numbers given without a patent status",
            )
        _need_money(r, "asking_price", self.asking_price)
        return self


@dataclass
class Demand:
    """An enterprise's stated technical need (技术需求); confidential ones stay between the
    enterprise and the bureau."""

    credit_code: str
    problem: str
    description: str
    field: str
    budget: float
    deadline: date
    published: date
    confidential: bool = False
    cluster: str | None = None
    id: int | None = None
    withdrawn: date | None = None

    def validate(self) -> Demand:
        r = "demand"
        _need_text(r, "problem", self.problem, 300)
        _need_text(r, "description", self.description, 5000)
        _need_text(r, "field", self.field, 100)
        _need_money(r, "budget", self.budget)
        if self.deadline < self.published:
            raise _bad(
                r,
                "deadline",
                f"截止日期 {self.deadline} 早于发布日期 {self.published}",
                "deadline before publication",
            )
        return self


@dataclass
class TechContract:
    """A registered technology contract (技术合同登记)."""

    number: str
    title: str
    seller: Party
    buyer: Party
    type: ContractType
    value: float
    signed: date
    registered: date | None = None
    achievement_id: int | None = None
    demand_id: int | None = None
    id: int | None = None

    def validate(self) -> TechContract:
        r = "contract"
        _need_text(r, "number", self.number, 60)
        _need_text(r, "title", self.title, 300)
        if self.seller == self.buyer:
            raise _bad(r, "buyer", "买方与卖方不能相同", "buyer and seller must differ")
        _need_money(r, "value", self.value)
        if self.registered is not None and self.registered < self.signed:
            raise _bad(r, "registered", "登记日期早于签订日期", "registered before signed")
        return self


@dataclass
class CooperationProject:
    """An organised joint project of enterprises and institutions, counted by kind and year."""

    kind: CooperationKind
    year: int
    title: str
    lead: Party
    partners: tuple[Party, ...] = ()
    funding: float = 0.0
    challenge_call_id: int | None = None
    id: int | None = None

    def validate(self) -> CooperationProject:
        r = "cooperation_project"
        _need_text(r, "title", self.title, 300)
        if not 1980 <= self.year <= 2100:
            raise _bad(r, "year", f"年度 {self.year} 不在 1980–2100", "year outside 1980–2100")
        _need_money(r, "funding", self.funding)
        if self.lead in self.partners:
            raise _bad(r, "partners", "牵头单位不应同时列为合作单位", "lead listed as partner")
        if self.kind is CooperationKind.CHALLENGE and self.challenge_call_id is None:
            raise _bad(r, "challenge_call_id", "揭榜挂帅项目须关联榜单", "needs its challenge call")
        return self


# --- who is looking


# The accounts' roles (domain.accounts.Role) are the market's; the anonymous public has none.
ORGANISATION_ROLES = frozenset({Role.ENTERPRISE_USER, Role.INSTITUTION_USER})
PUBLISHERS = {
    PartyKind.INSTITUTION: Role.INSTITUTION_USER,
    PartyKind.ENTERPRISE: Role.ENTERPRISE_USER,
}


@dataclass(frozen=True)
class Viewer:
    """Someone looking at the market: a role, the organisation they act for (enterprise and
    institution users), and for an expert reviewer the expert's key."""

    role: Role | None = None  # None: the anonymous public
    party: Party | None = None
    expert_id: str | None = None
    # Who it is, for the audit trail (an account's username, or `cli:<user>`).
    username: str = ""

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES

    @property
    def name(self) -> str:
        """Who it is in the audit trail: the username, else the role (or "public")."""
        return self.username or (self.role.value if self.role else "public")

    def acts_for(self, party: Party) -> bool:
        return self.role in ORGANISATION_ROLES and self.party == party

    # The one permission policy the pages ask (the services enforce it again).
    @property
    def is_admin(self) -> bool:
        return self.role is Role.BUREAU_ADMIN

    @property
    def is_expert(self) -> bool:
        return self.role is Role.EXPERT_REVIEWER

    @property
    def may_apply(self) -> bool:
        """Enterprises and institutions apply to challenge calls (揭榜)."""
        return self.role in ORGANISATION_ROLES

    def may_publish(self, owner: PartyKind) -> bool:
        """Achievements are published by institutions, demands by enterprises, either by a
        bureau administrator on their behalf."""
        return self.is_admin or self.role is PUBLISHERS[owner]


PUBLIC = Viewer()
BUREAU_VIEWER = Viewer(Role.BUREAU_ADMIN)


def may_see_achievement(viewer: Viewer, achievement: Achievement) -> bool:
    """Listed achievements are public; an unlisted one stays with its institution and bureau;
    a withdrawn one has left the market (the bureau still reads its record)."""
    if achievement.withdrawn is not None:
        return viewer.is_bureau
    if achievement.listed or viewer.is_bureau:
        return True
    return viewer.acts_for(Party(PartyKind.INSTITUTION, achievement.institution_id))


def may_see_demand(viewer: Viewer, demand: Demand) -> bool:
    """A confidential demand: only its enterprise's users and bureau staff. A withdrawn one
    has left the market (the bureau still reads its record)."""
    if demand.withdrawn is not None:
        return viewer.is_bureau
    if not demand.confidential or viewer.is_bureau:
        return True
    return viewer.acts_for(Party(PartyKind.ENTERPRISE, demand.credit_code))


def may_see_contract(viewer: Viewer, contract: TechContract) -> bool:
    """Contract terms are commercial: the two parties and bureau staff."""
    return viewer.is_bureau or viewer.acts_for(contract.seller) or viewer.acts_for(contract.buyer)


# The orders the market's lists offer (the repository orders by these columns in the query).
ACHIEVEMENT_SORTS = ("published", "title", "trl")
DEMAND_SORTS = ("published", "problem", "budget", "deadline")
# The columns the bureau's list of cooperation projects may be ordered by.
COOPERATION_SORTS = ("year", "title", "kind", "funding")


@dataclass(frozen=True)
class ListQuery:
    """Filters shared by the market's lists; `text` matches title, abstract or keywords and
    `owner` is the owning institution (achievements) or enterprise (demands)."""

    text: str | None = None
    cluster: str | None = None
    trl_min: int | None = None
    owner: str | None = None
    limit: int = 50
    offset: int = 0
    # one of ACHIEVEMENT_SORTS, DEMAND_SORTS or COOPERATION_SORTS (the list's own); newest
    # first by default
    sort: str = "published"
    descending: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= 500:
            raise InvalidInput(f"limit: 须在 1–500 (must be 1–500, got {self.limit})")
        if self.offset < 0:
            raise InvalidInput(f"offset: 须 ≥ 0 (must be ≥ 0, got {self.offset})")
