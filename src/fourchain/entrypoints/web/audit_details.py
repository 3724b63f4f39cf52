"""An audit entry's detail as the log page says it: a structured detail (compact JSON, see
`domain.audit.details`) in the reader's language, field names by their catalog labels; a
plain-text detail written before as it is."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fourchain.domain.accounts import ROLE_LABELS, Role
from fourchain.domain.audit import Action, detail_fields
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.audit_steps import COMPANIONS, MONEY_LABELS, in_order, step_phrases
from fourchain.entrypoints.web.formats import money, yesno_text
from fourchain.entrypoints.web.msgids import N_

# A record's field key → the label its form shows (msgids already in the catalogs).
FIELD_LABELS = {
    "title": N_("Title"),
    "name": N_("Name"),
    "abstract": N_("Abstract"),
    "keywords": N_("Keywords"),
    "trl": N_("Technology readiness level"),
    "ip_status": N_("IP status"),
    "transfer_modes": N_("Transfer modes"),
    "contact": N_("Contact"),
    "discipline": N_("Discipline"),
    "ipc": N_("IPC"),
    "patent_numbers": N_("Patent numbers"),
    "asking_terms": N_("Asking terms"),
    "cluster": N_("Industry cluster"),
    "problem": N_("Problem"),
    "description": N_("Description"),
    "field": N_("Field"),
    "deadline": N_("Deadline"),
    "confidential": N_("Confidential"),
    "investor": N_("Investor"),
    "round": N_("Round"),
    "invested_on": N_("Date"),
    "fund": N_("Fund"),
    "programme": N_("Programme"),
    "awarded_on": N_("Date awarded"),
    "conditions": N_("Conditions"),
    "bank": N_("Bank"),
    "lent_on": N_("Date lent"),
    "term_months": N_("Term (months)"),
    "guarantee_fund": N_("Guarantee fund"),
    "guaranteed_share": N_("Guaranteed share"),
    "insurer": N_("Insurer"),
    "project_id": N_("Incubation project"),
    "enterprise": N_("Enterprise"),
    "institution": N_("Institution"),
    "credit_code": N_("Enterprise"),
    "institution_id": N_("Institution"),
    # people and incubation projects (pages/people_forms.py, pages/project_forms.py)
    "affiliation": N_("Affiliation"),
    "expertise": N_("Expertise"),
    "email": N_("E-mail"),
    "summary": N_("Summary"),
    "chain": N_("Industry chain"),
    "origin_institution": N_("Origin institution (number)"),
    "joined": N_("Joined"),
    "left": N_("Left"),
    "role": N_("Role"),  # inside a record; a top-level role is an account's (_account)
    "reason": N_("Reason"),
    "public": N_("Public money"),
    "kind": N_("Kind"),
    "created_on": N_("Recorded on"),
    "created_by": N_("Recorded by"),
    # a commitment, a disbursement and a claim name what they belong to; a contract withdrawn
    "subsidy_id": N_("Subsidy"),
    "policy_id": N_("Insurance policy"),
    "contract": N_("Contract number"),
    # a withdrawn fund, commitment, disbursement or claim, as its row was
    "committed_on": N_("Date"),
    "paid_on": N_("Date"),
    "parent": N_("Parent fund"),
    "number": N_("Number"),
    "statement": N_("Statement"),
    "applicant": N_("Applicant"),
    "expert": N_("Reviewer"),
    "document": N_("Document"),
}
# A field whose label depends on what the entry is about: a person's name is 姓名.
KIND_FIELD_LABELS = {("person", "name"): N_("Full name")}
# Fields that hold an organisation's code: the page shows its name where it knows it.
ORGANISATION_FIELDS = {
    "enterprise": "enterprise",
    "credit_code": "enterprise",
    "institution": "institution",
    "institution_id": "institution",
}
# An entry's object kind (`kind:id`) → what the log page calls it.
OBJECT_KINDS = {
    "achievement": N_("Achievement"),
    "application": N_("Challenge application"),
    "challenge_call": N_("Challenge call"),
    "conversion_project": N_("Conversion project"),
    "cooperation_project": N_("Cooperation project"),
    "demand": N_("Demand"),
    "enterprise": N_("Enterprise"),
    "fund": N_("Fund"),
    "fund_commitment": N_("Fund commitment"),
    "insurance_claim": N_("Insurance claim"),
    "insurance_policy": N_("Insurance policy"),
    "investment": N_("Investment"),
    "loan": N_("Loan"),
    "person": N_("Person"),
    "pipeline_project": N_("Incubation project"),
    "programme": N_("Programme"),
    "programme_call": N_("Programme call"),
    "programme_project": N_("Programme project"),
    "subsidy": N_("Subsidy"),
    "subsidy_disbursement": N_("Subsidy disbursement"),
    "tech_contract": N_("Technology contract"),
    "user": N_("User"),
}


def audit_object(obj: str, locale: str) -> str:
    """An entry's object as the log page says it: `user:admin` → 用户 admin; an object of
    another form (a request path) unchanged."""
    kind, sep, rest = obj.partition(":")
    if not sep or kind not in OBJECT_KINDS:
        return obj
    return f"{i18n.gettext(locale, OBJECT_KINDS[kind])} {rest}"


# Why a sign-in was refused (the `why` of a login entry).
LOGIN_REFUSALS = {
    "unknown_account": N_("Unknown or inactive account"),
    "locked": N_("Account locked"),
    "wrong_password": N_("Wrong password"),
}


# Fields that say something alone, or only beside another: rendered by their own phrase.
_OWN = {"rows", "inserted", "updated", "unchanged", "role", "was", "what", "years", "via"}


def organisations_in(detail: str) -> list[tuple[str, str]]:
    """The organisations a detail names by code, as (kind, code): the page looks up their
    names before it says the detail."""
    found = detail_fields(detail) or {}
    return [
        (kind, str(found[key]))
        for key, kind in ORGANISATION_FIELDS.items()
        if isinstance(found.get(key), str)
    ]


def describe(
    detail: str,
    action: str,
    locale: str,
    obj: str = "",
    names: Mapping[tuple[str, str], str] | None = None,
) -> str:
    """The detail in `locale`; plain text (and a detail that is not an object) unchanged.
    `obj` is the entry's object (`person:7`: its name is a person's); `names` the names of
    organisations by (kind, code), shown instead of their codes."""
    found = detail_fields(detail)
    if found is None:
        return detail
    kind = obj.partition(":")[0]
    names = names or {}

    def _(msgid: str, **values: object) -> str:
        return i18n.gettext(locale, msgid, **values)

    zh = locale != "en"
    comma, colon = ("、", "：") if zh else (", ", ": ")
    parts = [
        *_rows(found, action, _, comma),
        *_account(found, locale, _),
        *_figures(found, _),
    ]
    phrases: dict[str, Callable[[object], str]] = {
        "minutes": lambda n: _("Locked for %(n)s minutes", n=n),
        "token_id": lambda t: _("Token %(id)s", id=t),
        "job": lambda j: _("Job %(id)s", id=j),
        "bad_rows": lambda n: _("%(n)s bad rows", n=n),
        "withdrawn_rows": lambda n: _("%(n)s withdrawn by the file", n=n),
        "restored_rows": lambda n: _("%(n)s made live again by the file", n=n),
        "changed": lambda c: _changed(c, _, comma, colon, locale),
        "record": lambda r: _values(r, _, comma, colon, locale),
        "year": lambda y: _("Year %(year)s", year=y),
        "why": lambda w: _(LOGIN_REFUSALS[str(w)]) if str(w) in LOGIN_REFUSALS else str(w),
        **step_phrases(found, locale, _, comma),
    }
    for key, value in in_order(found):
        if key in _OWN or key in COMPANIONS:
            continue
        shown = phrases.get(key)
        if shown:
            parts.append(shown(value))
            continue
        label = KIND_FIELD_LABELS.get((kind, key)) or _label(key)
        if key in ORGANISATION_FIELDS:
            value = names.get((ORGANISATION_FIELDS[key], str(value)), value)
        parts.append(f"{_(label)}{colon}{_said(key, value, locale)}")
    return ("；" if zh else "; ").join(part for part in parts if part)


Translate = Callable[..., str]


def _rows(found: dict[str, object], action: str, _: Translate, comma: str) -> list[str]:
    if "rows" not in found:
        return []
    n = found["rows"]
    head = {
        Action.IMPORT.value: _("Imported %(n)s rows", n=n),
        Action.EXPORT.value: _("Exported %(n)s rows", n=n),
    }.get(action, _("%(n)s rows", n=n))
    counts = [
        _(msgid, n=found[key])
        for key, msgid in (
            ("inserted", N_("%(n)s new")),
            ("updated", N_("%(n)s updated")),
            ("unchanged", N_("%(n)s unchanged")),
        )
        if key in found
    ]
    return [f"{head} ({comma.join(counts)})" if counts else head]


def _role(value: object, locale: str) -> str:
    try:
        return i18n.bilingual(ROLE_LABELS[Role(str(value))], locale)
    except ValueError:
        return str(value)


def _account(found: dict[str, object], locale: str, _: Translate) -> list[str]:
    if "role" not in found:
        return []
    role = _role(found["role"], locale)
    if "was" in found:
        return [_("Role %(was)s → %(role)s", was=_role(found["was"], locale), role=role)]
    return [_("Role %(role)s", role=role)]


def _figures(found: dict[str, object], _: Translate) -> list[str]:
    parts = [_("Enterprise figures")] if found.get("what") == "figures" else []
    if found.get("years") == "all":
        parts.append(_("All years"))
    if found.get("via") == "profile":
        parts.append(_("for the profile page"))
    return parts


def _label(key: str) -> str:
    return MONEY_LABELS.get(key) or FIELD_LABELS.get(key, key)


def _said(key: str, value: object, locale: str) -> str:
    """A field's value as the page says it: an amount in 万元, yes or no in words."""
    if isinstance(value, bool):
        return yesno_text(value, locale)
    if key in MONEY_LABELS and isinstance(value, int | float):
        return money(value)
    return _shown(value)


def _changed(value: object, _: Translate, comma: str, colon: str, locale: str) -> str:
    if isinstance(value, dict):
        moves = [
            f"{_(_label(k))}{colon}{_said(k, v[0], locale)} → {_said(k, v[1], locale)}"
            for k, v in value.items()
            if isinstance(v, list) and len(v) == 2
        ]
    else:
        moves = [_(_label(str(k))) for k in value or []]  # type: ignore[attr-defined]
    return _("Changed: %(fields)s", fields=comma.join(moves)) if moves else _("Nothing changed")


def _values(value: object, _: Translate, comma: str, colon: str, locale: str) -> str:
    if not isinstance(value, dict):
        return str(value)
    return comma.join(f"{_(_label(k))}{colon}{_said(k, v, locale)}" for k, v in value.items())


def _shown(value: object) -> str:
    return "—" if value is None or value == "" else str(value)
