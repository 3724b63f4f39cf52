"""What the matching engine indexes and answers: documents, queries and their directions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from fourchain.domain.matching.boilerplate import strip_boilerplate
from fourchain.errors import InvalidInput


class DocumentKind(StrEnum):
    """The kinds of record the technology market matches against each other."""

    ACHIEVEMENT = "achievement"  # 科技成果
    DEMAND = "demand"  # 技术需求
    EXPERT = "expert"  # 专家
    INSTITUTION = "institution"  # 科研机构
    ENTERPRISE = "enterprise"  # 企业画像 (industry, products, chain link, past demands)


KIND_LABELS: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.ACHIEVEMENT: ("科技成果", "Achievement"),
    DocumentKind.DEMAND: ("技术需求", "Demand"),
    DocumentKind.EXPERT: ("专家", "Expert"),
    DocumentKind.INSTITUTION: ("科研机构", "Institution"),
    DocumentKind.ENTERPRISE: ("企业", "Enterprise"),
}

# Both directions of the market: a demand looks for supply, an achievement for a buyer.
TARGETS: dict[DocumentKind, tuple[DocumentKind, ...]] = {
    DocumentKind.DEMAND: (
        DocumentKind.ACHIEVEMENT,
        DocumentKind.EXPERT,
        DocumentKind.INSTITUTION,
    ),
    DocumentKind.ACHIEVEMENT: (DocumentKind.ENTERPRISE,),
    DocumentKind.EXPERT: (DocumentKind.DEMAND,),
    DocumentKind.INSTITUTION: (DocumentKind.DEMAND,),
    DocumentKind.ENTERPRISE: (DocumentKind.ACHIEVEMENT,),
}


@dataclass(frozen=True)
class Attributes:
    """The filterable attributes of a document; None or empty means "not stated"."""

    field: str = ""  # 领域 / 学科 / 行业
    trl: int | None = None  # 技术就绪度 1–9
    ip_status: str = ""  # e.g. 已授权专利 granted patent, 申请中 pending, 无 none
    district: str = ""  # 行政区, e.g. 思明区

    def __post_init__(self) -> None:
        if self.trl is not None and not 1 <= self.trl <= 9:
            raise InvalidInput(f"TRL must be between 1 and 9, got {self.trl}")

    def as_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "trl": self.trl,
            "ip_status": self.ip_status,
            "district": self.district,
        }


@dataclass(frozen=True)
class Document:
    """One indexable record: named text fields (title, abstract, keywords, …) and attributes.

    The market's records (achievements, demands, experts, institutions, enterprise profiles)
    become documents, so one engine serves every direction of matching."""

    id: str
    fields: Mapping[str, str]
    kind: DocumentKind = DocumentKind.ACHIEVEMENT
    attributes: Attributes = field(default_factory=Attributes)

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("a document needs a non-empty id")

    @property
    def text(self) -> str:
        """Every field's text, in field order, as one string (what BM25 and embeddings see),
        without boilerplate (the synthetic-data marker, standard phrases)."""
        return "\n".join(
            cleaned for value in self.fields.values() if (cleaned := strip_boilerplate(value))
        )

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "fields": dict(self.fields),
            "attributes": self.attributes.as_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Document:
        fields = data.get("fields")
        attributes = data.get("attributes")
        if not isinstance(fields, Mapping) or not isinstance(attributes, Mapping):
            raise InvalidInput("a stored document needs 'fields' and 'attributes' objects")
        trl = attributes.get("trl")
        return cls(
            id=str(data["id"]),
            kind=DocumentKind(str(data.get("kind", DocumentKind.ACHIEVEMENT.value))),
            fields={str(k): str(v) for k, v in fields.items()},
            attributes=Attributes(
                field=str(attributes.get("field") or ""),
                trl=int(trl) if isinstance(trl, int | str) and str(trl) else None,
                ip_status=str(attributes.get("ip_status") or ""),
                district=str(attributes.get("district") or ""),
            ),
        )


def keywords_text(keywords: object) -> str:
    """Keywords as one field's text: a list joined by '; ', a string kept as it is."""
    if keywords is None:
        return ""
    if isinstance(keywords, str):
        return keywords
    if isinstance(keywords, list | tuple):
        return "; ".join(str(word) for word in keywords if str(word))
    raise InvalidInput(f"keywords must be a list of strings, got {type(keywords).__name__}")
