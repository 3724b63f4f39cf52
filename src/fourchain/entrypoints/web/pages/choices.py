"""The suggestions a searchable field of the form system fetches as its reader types
(`_forms.html`'s `search` macro): `<option>` elements for its `<datalist>`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from fourchain.entrypoints.web.deps import ServicesDep
from fourchain.errors import NotFound
from fourchain.services import choices

router = APIRouter(prefix="/forms", include_in_schema=False)


def _typed(request: Request) -> str:
    """What was typed: the field sends itself under its own name (or `q`)."""
    params = request.query_params
    return params.get("q") or next(iter(params.values()), "")


def _options(pairs: list[tuple[str, str]]) -> Response:
    html = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in pairs)
    return HTMLResponse(html)


@router.get("/options/{source}")
def options(request: Request, services: ServicesDep, source: str) -> Response:
    typed = _typed(request).strip()[:100]
    views = services.registry.views
    if source == "organisations":
        found = choices.organisations(views, typed)
        return _options([(c.value, c.label) for c in found])
    if source == "districts":
        return _options([(d, d) for d in views.districts() if typed in d][:50])
    if source == "experts":
        principal = request.state.principal
        names = choices.experts(services.auth.accounts, principal, typed)
        return _options([(name, name) for name in names])
    if source == "people":  # the talent chain's people: bureau staff only, as their list
        if not request.state.principal.is_bureau:
            return _options([])
        people = services.pipeline_desk.people_like(typed)
        return _options([(key, f"{name} · {key}") for key, name in people])
    raise NotFound(f"没有这类选项 (no options called {source!r})")
