"""Open collaboration's views: partners by country for the world map, each network's or
programme's figures and its members as a graph, and the honours register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fourchain.domain.collaboration import (
    Honour,
    Network,
    NetworkFigures,
    international_share,
    network_figures,
    partners_by_country,
)
from fourchain.services.ports import CollaborationReader


@dataclass(frozen=True)
class CountryCount:
    code: str
    name_zh: str
    name_en: str
    partners: int


@dataclass(frozen=True)
class CollaborationView:
    day: date
    countries: list[CountryCount]
    networks: list[tuple[Network, NetworkFigures]]
    international_share: float | None
    partners: int
    projects: int
    # the graph: nodes (id, name_zh, name_en, kind: network | partner, country) and edges
    nodes: list[tuple[str, str, str, str, str]]
    edges: list[tuple[str, str]]


def collaboration_view(reader: CollaborationReader, year: int) -> CollaborationView:
    """Partners by country, each network's figures at the end of `year`, the international
    share of the joint projects started in `year`, and the membership graph at year end."""
    day = date(year, 12, 31)
    partners = {p.key: p for p in reader.partners()}
    memberships = reader.memberships()
    projects = reader.joint_projects()
    networks = reader.networks()
    figures = [(n, network_figures(n.key, memberships, partners, projects, day)) for n in networks]
    countries = [
        CountryCount(code, *reader.country_names(code), count)
        for code, count in partners_by_country(partners.values()).items()
    ]
    active = [m for m in memberships if m.active_on(day) and m.partner in partners]
    linked = {m.partner for m in active}
    nodes = [(n.key, n.name_zh, n.name_en, "network", "") for n in networks]
    nodes += [
        (p.key, p.name_zh, p.name_en, "partner", p.country)
        for p in partners.values()
        if p.key in linked
    ]
    return CollaborationView(
        day=day,
        countries=countries,
        networks=figures,
        international_share=international_share(projects, partners, year),
        partners=len(partners),
        projects=sum(1 for p in projects if p.started <= day),
        nodes=nodes,
        edges=[(m.network, m.partner) for m in active],
    )


def honours_register(reader: CollaborationReader) -> list[Honour]:
    return reader.honours()
