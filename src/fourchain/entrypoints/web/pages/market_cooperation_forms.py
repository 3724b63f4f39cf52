"""The bureau's cooperation projects (产学研合作项目) in the browser: a paged, sortable list for
bureau staff, and for bureau administrators the forms that record, correct and withdraw a
project (the market's records check the role and the parties and write each change with its
audit entry). The lead and up to four partners are organisations picked by name; money is
typed as the finance forms take it (1,200,000 / 80万 / 0.8亿元); a refused submit shows the
form again with what was typed and the reason beside its field; a withdrawal is asked once
more, with the reason the audit log keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fourchain.domain.market import (
    COOPERATION_SORTS,
    LABELS,
    CooperationKind,
    CooperationProject,
    ListQuery,
    Party,
    Viewer,
)
from fourchain.entrypoints.web.deps import ServicesDep, ViewerDep
from fourchain.entrypoints.web.forms import Ask, Form, confirmation, confirmed, done, submit, typed
from fourchain.entrypoints.web.money_fields import optional_money
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.market import PAGE_SIZE, Id, Page, RecordsDep, common
from fourchain.entrypoints.web.tables import DirParam, Sorting, SortParam, page_within, sorting
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.choices import organisation_named

router = APIRouter(prefix="/market/cooperation", include_in_schema=False)

BACK = "/market/cooperation"
NEWEST_YEAR = Sorting("year", descending=True)
PARTNER_FIELDS = tuple(f"partner_{n}" for n in range(1, 5))
# `partners` has no input of its own: a refusal of the partners together shows beside them.
FIELDS = ("kind", "year", "title", "lead", *PARTNER_FIELDS, "partners", "funding")
FIELDS += ("challenge_call_id",)
LIMITS = {"kind": 20, "year": 10, "title": 300, "lead": 200, "funding": 30}
LIMITS |= {"challenge_call_id": 12}
LIMITS |= dict.fromkeys(PARTNER_FIELDS, 200)
Typed = Annotated[Form, typed(FIELDS, LIMITS)]
Withdrawal = Annotated[Form, typed(("confirmed", "reason"), {"reason": 1000})]
WITHDRAW_MSGIDS = (
    N_("Withdraw this cooperation project?"),
    N_(
        "The project leaves the list and the cooperation counts at once; its row is kept, and "
        "the audit log says who withdrew it and why."
    ),
    N_("Reason for the withdrawal (recorded in the audit log)"),
)


def _year(form: Form) -> int:
    text = form.stripped("year")
    if not text:
        raise InvalidInput("year: 必填 (required)")
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"year: 年度应为四位数字，如 2025 (a year like 2025, not {text!r})")
    return int(text)


def _call(form: Form) -> int | None:
    text = form.stripped("challenge_call_id")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput("challenge_call_id: 请选择榜单 (choose a challenge call)")
    return int(text)


def _parse(services: ServicesDep, form: Form) -> CooperationProject:
    if form["kind"] not in {k.value for k in CooperationKind}:
        raise InvalidInput("kind: 请选择项目类别 (choose the kind of project)")
    for name in ("title", "lead"):
        if not form.stripped(name):
            raise InvalidInput(f"{name}: 必填 (required)")
    views = services.registry.views
    year = _year(form)
    lead = organisation_named(views, form["lead"], "lead")
    partners = tuple(
        organisation_named(views, form[name], name)
        for name in PARTNER_FIELDS
        if form.stripped(name)
    )
    if len(set(partners)) < len(partners):
        raise InvalidInput("partners: 同一合作单位列了两次 (a partner is listed twice)")
    call = _call(form)
    project = CooperationProject(
        kind=CooperationKind(form["kind"]),
        year=year,
        title=form.stripped("title"),
        lead=lead,
        partners=partners,
        funding=optional_money(form["funding"], "funding") or 0.0,
        challenge_call_id=call,
    )
    return project.validate()


def _calls(services: ServicesDep, viewer: Viewer) -> list[tuple[str, str]]:
    return [(str(c.id), c.title) for c in services.market.desk.calls(viewer) if c.id is not None]


def _form_page(
    request: Request, services: ServicesDep, viewer: Viewer, form: Form, action: str
) -> Response:
    context = common(services) | {
        "form": form,
        "action": action,
        "editing": action.endswith("/edit"),
        "kind_options": [(k.value, LABELS[k]) for k in CooperationKind],
        "call_options": _calls(services, viewer),
        "partner_fields": PARTNER_FIELDS,
    }
    return render(
        request, "market/cooperation_form.html", context, status_code=form.status, active="market"
    )


def _save(
    request: Request,
    services: ServicesDep,
    viewer: Viewer,
    form: Form,
    action: str,
    save: Callable[[], object],
) -> Response:
    editing = action.endswith("/edit")

    def saved(_: object) -> Response:
        services.data_changed()  # the counts and the list show it at once
        message = (
            N_("The cooperation project was saved.")
            if editing
            else N_("The cooperation project was recorded.")
        )
        return done(request, BACK, message)

    def show(refused: Form) -> Response:
        return _form_page(request, services, viewer, refused, action)

    return submit(form, save, show, saved)


@router.get("")
def listing(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    page: Page = 1,
    sort: SortParam = "",
    dir: DirParam = "",
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    order = sorting(sort, dir, COOPERATION_SORTS, NEWEST_YEAR)

    def query(page: int) -> ListQuery:
        offset = (page - 1) * PAGE_SIZE
        text = q.strip() or None
        return ListQuery(
            text, limit=PAGE_SIZE, offset=offset, sort=order.key, descending=order.descending
        )

    found = records.cooperation_projects(viewer, query(page))
    shown = page_within(page, found.total, PAGE_SIZE)
    if shown != page:  # a jump past the last page shows the last
        page, found = shown, records.cooperation_projects(viewer, query(shown))
    base = f"{BACK}?" + (f"q={quote(q)}&" if q else "")
    context = common(services) | {
        "found": found,
        "order": order,
        "q": q,
        "sort_base": base,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "kinds": {k.value: LABELS[k] for k in CooperationKind},
        "calls": dict(_calls(services, viewer)),
        "may_record": viewer.is_admin,
    }
    return render(request, "market/cooperation.html", context, active="market")


@router.get("/new")
def new_form(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    form = Form.blank(FIELDS, kind=CooperationKind.IUR.value)
    return _form_page(request, services, viewer, form, BACK)


@router.post("")
def record(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    form: Typed,
) -> Response:
    def save() -> int:
        return records.add_cooperation_project(viewer, _parse(services, form))

    return _save(request, services, viewer, form, BACK, save)


def _named(party: Party, names: dict[Party, str]) -> str:
    """A party as its field shows it: the name, its code beside it in full-width brackets
    (the form of a suggestion that picks one of two organisations of the same name)."""
    name = names.get(party)
    return f"{name}（{party.id}）" if name else party.id


@router.get("/{project_id}/edit")
def edit_form(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    project_id: Id,
) -> Response:
    found, names = records.cooperation_project_named(viewer, project_id)
    partners = dict(zip(PARTNER_FIELDS, (_named(p, names) for p in found.partners), strict=False))
    form = Form.blank(
        FIELDS,
        kind=found.kind.value,
        year=str(found.year),
        title=found.title,
        lead=_named(found.lead, names),
        funding=f"{found.funding:.2f}".rstrip("0").rstrip(".") if found.funding else "",
        challenge_call_id=str(found.challenge_call_id or ""),
        **partners,
    )
    return _form_page(request, services, viewer, form, f"{BACK}/{project_id}/edit")


@router.post("/{project_id}/edit")
def edit(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    project_id: Id,
    form: Typed,
) -> Response:
    def save() -> int:
        records.edit_cooperation_project(viewer, project_id, _parse(services, form))
        return project_id

    return _save(request, services, viewer, form, f"{BACK}/{project_id}/edit", save)


@router.post("/{project_id}/withdraw")
def withdraw(
    request: Request,
    services: ServicesDep,
    viewer: ViewerDep,
    records: RecordsDep,
    project_id: Id,
    form: Withdrawal,
) -> Response:
    found = records.cooperation_project(viewer, project_id)  # NotFound once withdrawn
    title, what_happens, reason = WITHDRAW_MSGIDS
    action = f"{BACK}/{project_id}/withdraw"
    ask = Ask(title, what_happens, N_("Withdraw"), action, BACK, found.title, reason=reason)
    if not confirmed(form):  # asked once more, saying what will happen
        return confirmation(request, ask, Form.blank(("reason",), reason=form["reason"]))

    def save() -> None:
        records.withdraw_cooperation_project(viewer, project_id, form["reason"])

    def saved(_: None) -> Response:
        services.data_changed()
        return done(request, BACK, N_("The cooperation project was withdrawn."))

    return submit(form, save, lambda refused: confirmation(request, ask, refused), saved)
