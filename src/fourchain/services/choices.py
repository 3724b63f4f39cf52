"""Choosing an organisation by its name in a form: the suggestions as a name is typed (through
the registry's name index) and the organisation a submitted name stands for.

A name is what the reader sees and types; where two organisations share a name, each
suggestion carries its code in full-width brackets (`名称（编号）`), which picks one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fourchain.domain.market import Party, PartyKind
from fourchain.errors import InvalidInput
from fourchain.services.registry_views import DirectoryQuery, InstitutionQuery, RegistryViews

SUGGESTIONS = 12
_CODED = re.compile(r"^(?P<name>.*?)\s*[（(](?P<code>[^（()）]+)[)）]\s*$")


@dataclass(frozen=True)
class Choice:
    """One suggestion: `value` goes into the field, `label` is shown beside it."""

    value: str
    label: str
    party: Party


def _found(views: RegistryViews, text: str, limit: int) -> list[tuple[str, Party]]:
    enterprises = views.reader.search_enterprises(
        DirectoryQuery(query=text), date.today(), 0, limit
    )[0]
    institutions = views.reader.search_institutions(InstitutionQuery(query=text), 0, limit)[0]
    found = [(row.name, Party(PartyKind.ENTERPRISE, row.credit_code)) for row in enterprises]
    found += [(row.name, Party(PartyKind.INSTITUTION, row.id)) for row in institutions]
    return found


def organisations(views: RegistryViews, text: str, limit: int = SUGGESTIONS) -> list[Choice]:
    """Enterprises and institutions whose name contains `text` (nothing for an empty text)."""
    text = text.strip()[:100]
    if not text:
        return []
    found = _found(views, text, limit)
    names = [name for name, _ in found]
    kinds = {PartyKind.ENTERPRISE: "企业 enterprise", PartyKind.INSTITUTION: "机构 institution"}
    return [
        Choice(
            name if names.count(name) == 1 else f"{name}（{party.id}）",
            f"{kinds[party.kind]} · {party.id}",
            party,
        )
        for name, party in found[: limit * 2]
    ]


def organisation_named(
    views: RegistryViews, text: str, field: str, kinds: tuple[PartyKind, ...] = tuple(PartyKind)
) -> Party:
    """The organisation `text` names (as a suggestion put it, or by its code), or a refusal
    naming `field`."""
    text = text.strip()
    coded = _CODED.match(text)
    name, code = (coded["name"].strip(), coded["code"].strip()) if coded else (text, "")
    found = _found(views, name or code, SUGGESTIONS * 4)
    matches = [
        party
        for found_name, party in found
        if party.kind in kinds
        and ((found_name == name and (not code or party.id == code)) or party.id == text)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InvalidInput(
            f"{field}: 没有名为“{text}”的企业或机构，请从提示中选择 "
            f"(no enterprise or institution is named {text!r}: pick one of the suggestions)"
        )
    raise InvalidInput(
        f"{field}: 有 {len(matches)} 个单位同名，请选择带编号的一项 "
        f"({len(matches)} organisations share this name: pick the one with its code)"
    )
