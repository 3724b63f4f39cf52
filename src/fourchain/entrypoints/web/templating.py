"""Server-rendered pages: one Jinja2 environment (with i18n) and the `render` every page uses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from fourchain.domain.accounts import ANONYMOUS, ROLE_LABELS, Principal
from fourchain.entrypoints.web import formats, i18n
from fourchain.entrypoints.web.access import can
from fourchain.entrypoints.web.deps import CSRF_COOKIE, csrf_token_for
from fourchain.entrypoints.web.forms import FLASH_COOKIE, take_flash
from fourchain.entrypoints.web.tables import query_fields

TEMPLATES = Path(__file__).parent / "templates"
# Shown in both languages on every page when the database says its data is synthetic.
SYNTHETIC_BANNER = "示例数据（合成） Synthetic demo data"
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class NavItem:
    """One area in the navigation; `label` is a msgid of the catalogs."""

    key: str
    label: str
    href: str


# The areas the platform holds, in the order of the navigation. An area whose page is not
# served yet is shown greyed out, not as a broken link; a link the viewer's role may not open
# (access.ROUTE_ACCESS says so) is not shown at all.
NAV: tuple[NavItem, ...] = (
    NavItem("home", "Overview", "/"),
    NavItem("workspace", "My workspace", "/workspace"),
    NavItem("registry", "Registry", "/enterprises"),
    NavItem("cultivation", "Cultivation", "/cultivation"),
    NavItem("selfcheck", "Tier self-check", "/cultivation/self-check"),
    NavItem("market", "Technology market", "/market"),
    NavItem("pipeline", "Incubation", "/pipeline"),
    NavItem("finance", "Finance", "/finance"),
    NavItem("indicators", "Indicators", "/indicators"),
    NavItem("claims", "Claims in a press release", "/indicators/claims"),
    NavItem("foresight", "Foresight", "/foresight"),
    NavItem("reports", "Reports", "/reports"),
    NavItem("programmes", "S&T programmes", "/programmes"),
    NavItem("collaboration", "Open collaboration", "/collaboration"),
    NavItem("honours", "Honours and rankings", "/collaboration/honours"),
    NavItem("admin", "Administration", "/admin/audit"),
)


def _tojson_attr(value: Any) -> Markup:
    """JSON for an HTML attribute (charts read their data from data-chart)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup.escape(text)


_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
)
_env.install_gettext_callables(*i18n.jinja_callables(), newstyle=True)  # type: ignore[attr-defined]
templates = Jinja2Templates(env=_env)
_env.filters["chartdata"] = _tojson_attr
_env.filters.update(formats.FILTERS)
_env.filters["query_fields"] = query_fields
_env.globals["LOCALES"] = i18n.LOCALES


def nav_allowed(item: NavItem, principal: Principal) -> bool:
    """Whether the principal's role may open the item's page: the access policy decides, so
    the menu and the guard never disagree."""
    return can(principal, "GET", item.href)


def _nav(request: Request, principal: Principal) -> list[dict[str, Any]]:
    from fourchain.entrypoints.web.deps import current_route_matches

    cache: dict[str, bool] = request.app.state.nav_served
    items = []
    for item in NAV:
        if not nav_allowed(item, principal):
            continue
        if item.href not in cache:
            cache[item.href] = current_route_matches(request, item.href)
        items.append(
            {"key": item.key, "label": item.label, "href": item.href, "served": cache[item.href]}
        )
    return items


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    active: str = "",
) -> Response:
    """Render a page with what every page needs: language, who is signed in, the CSRF token,
    the navigation and the synthetic-data banner."""
    services = request.app.state.services
    locale = i18n.request_locale(request)
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    csrf = csrf_token_for(request, services.settings.fourchain_secret_key)
    role_label = (
        i18n.bilingual(ROLE_LABELS[principal.role], locale) if principal.role is not None else ""
    )
    page = {
        "request": request,
        "locale": locale,
        "html_lang": i18n.HTML_LANG[locale],
        "principal": principal,
        "role_label": role_label,
        "csrf_token": csrf,
        "nav": _nav(request, principal),
        "active": active,
        "synthetic": services.registry.synthetic,
        "synthetic_banner": SYNTHETIC_BANNER,
        "label": lambda pair: i18n.bilingual(pair, locale),
        "flash": "",
        # The access policy, for a link or form a page offers: {% if can("GET", "/path") %}.
        "can": lambda method, path: can(principal, method, path),
    }
    # The message confirming the action that redirected here; a fragment HTMX fetches into a
    # page leaves it for the page.
    flash_due = FLASH_COOKIE in request.cookies and not request.headers.get("hx-request")
    if flash_due:
        page["flash"] = take_flash(request)
    page.update(context or {})
    response: Response = templates.TemplateResponse(request, name, page, status_code=status_code)
    if flash_due:
        response.delete_cookie(FLASH_COOKIE)
    new_seed = getattr(request.state, "new_csrf_cookie", "")
    if new_seed and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(
            CSRF_COOKIE,
            new_seed,
            httponly=True,
            samesite="lax",
            secure=services.settings.secure_cookies,
        )
    return response
