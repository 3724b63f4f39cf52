"""Open collaboration pages: partners on a world map by country, each network's or
programme's figures and membership graph, and the honours and rankings register."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fourchain.domain.collaboration import HONOUR_CATEGORY_LABELS, HONOUR_KIND_LABELS
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import ServicesDep
from fourchain.entrypoints.web.templating import render
from fourchain.services.collaboration import collaboration_view, honours_register

router = APIRouter(prefix="/collaboration", include_in_schema=False)
WORLD = "/static/vendor/world-geo-json-zh-2.1.5/world.zh.json"


@router.get("")
def collaboration_page(
    request: Request,
    container: ServicesDep,
    year: Annotated[int, Query(ge=2000, le=2100)] = 2025,
) -> Response:
    """Partners by country on the world map, the networks' figures and their graph."""
    with container.collaboration.reader() as reader:
        view = collaboration_view(reader, year)
    zh = i18n.request_locale(request) != "en"
    world = {
        "geo": WORLD,
        "series": [{"code": c.code, "value": c.partners} for c in view.countries],
    }
    graph = {
        "nodes": [
            {"id": key, "name": name_zh if zh else name_en, "kind": kind, "country": country}
            for key, name_zh, name_en, kind, country in view.nodes
        ],
        "edges": [{"source": a, "target": b} for a, b in view.edges],
    }
    return render(
        request,
        "collaboration/network.html",
        {
            "year": year,
            "view": view,
            "world": json.dumps(world, ensure_ascii=False),
            "graph": json.dumps(graph, ensure_ascii=False),
        },
        active="collaboration",
    )


@router.get("/honours")
def honours_page(request: Request, container: ServicesDep) -> Response:
    """Awards, rankings, designations and approvals, each with its source document."""
    with container.collaboration.reader() as reader:
        found = honours_register(reader)
    return render(
        request,
        "collaboration/honours.html",
        {"honours": found, "kinds": HONOUR_KIND_LABELS, "categories": HONOUR_CATEGORY_LABELS},
        active="honours",
    )
