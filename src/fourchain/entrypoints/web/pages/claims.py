"""The claims check of a pasted press release (bureau staff): each sentence with the claims
it makes, and each claim consistent, inconsistent or not derivable from the registry, with the
figure the registry gives (docs/claims-extraction.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from fourchain.domain.indicators.catalogue import CATALOGUE, NOT_IN_REGISTRY
from fourchain.domain.indicators.claim_patterns import NAMES_ZH
from fourchain.domain.indicators.claims import Bound, Period, Status
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.deps import ServicesDep
from fourchain.entrypoints.web.errors import status_for
from fourchain.entrypoints.web.msgids import N_
from fourchain.entrypoints.web.pages.indicators import value_text
from fourchain.entrypoints.web.templating import render
from fourchain.errors import InvalidInput
from fourchain.services.claims import (
    MAX_RELEASE_CHARS,
    NO_INDICATOR,
    CheckedSentence,
    check_release,
    extract,
)
from fourchain.services.indicators import FIRST_YEAR, LAST_YEAR

router = APIRouter(include_in_schema=False)


STATUS_LABELS = {
    Status.CONSISTENT: N_("Consistent"),
    Status.INCONSISTENT: N_("Inconsistent"),
    Status.NOT_DERIVABLE: N_("Not derivable"),
}
# Reasons the check gives in words of its own; other details are the check's arithmetic.
REASONS = {
    NOT_IN_REGISTRY: N_("The registry keeps no records of this"),
    NO_INDICATOR: N_("No indicator of the catalogue matches this figure"),
}
BOUND_WORDS = {Bound.LOWER: N_("more than"), Bound.ABOUT: N_("about"), Bound.EXACT: ""}
ReleaseText = Annotated[str, Form(max_length=MAX_RELEASE_CHARS)]
ReleaseYearField = Annotated[str, Form(max_length=4)]


def period_text(period: Period, locale: str) -> str:
    """2025年, 2021—2025年, 2025年1—8月 (or 2025, 2021–2025, 2025-01..2025-08)."""
    if locale == "en":
        return str(period).replace("-", "–") if period.months is None else str(period)
    if period.months is not None:
        first, last = period.months
        return f"{period.start}年{first}—{last}月" if period.start == period.end else str(period)
    return f"{period.start}年" if period.is_year else f"{period.start}—{period.end}年"


def indicator_label(indicator: str, english: str) -> tuple[str, str]:
    """An extracted claim's indicator as (zh, en) names; never its internal key."""
    spec = CATALOGUE.get(indicator)
    if spec is not None:
        return spec.name_zh, spec.name_en
    return NAMES_ZH.get(indicator, english), english


def figure_text(value: float, unit: str, locale: str) -> str:
    """A claim's value the way its unit is read: 第14位 / No. 14 for a rank."""
    if unit == "rank":
        return f"No. {value:.0f}" if locale == "en" else f"第{value:.0f}位"
    return value_text(value, unit, locale)


def _checked_view(checked: list[CheckedSentence], locale: str) -> list[dict[str, Any]]:
    view: list[dict[str, Any]] = []
    for sentence in checked:
        claims = []
        for found, verdict in sentence.verdicts:
            claim = found.claim
            bound = BOUND_WORDS[claim.bound]
            unit = claim.unit
            claims.append(
                {
                    "figure": found.figure,
                    "mapped": found.mapped,
                    "name": i18n.bilingual(indicator_label(claim.indicator, claim.claim), locale)
                    if found.mapped
                    else "",
                    "period": period_text(claim.period, locale),
                    "published": (i18n.gettext(locale, bound) + " " if bound else "")
                    + figure_text(float(claim.value), unit, locale),
                    "computed": figure_text(verdict.computed, unit, locale)
                    if verdict.computed is not None
                    else "",
                    "status": verdict.status.value,
                    "status_label": STATUS_LABELS[verdict.status],
                    "reason": REASONS.get(verdict.detail),
                    "detail": verdict.detail,
                }
            )
        view.append({"text": sentence.text, "claims": claims})
    return view


def _claims_page(
    request: Request,
    text: str = "",
    year: str = "",
    checked: list[CheckedSentence] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    locale = i18n.request_locale(request)
    sentences = _checked_view(checked, locale) if checked is not None else None
    context = {
        "text": text,
        "year": year,
        "sentences": [s for s in sentences or [] if s["claims"]],
        "without": sum(1 for s in sentences or [] if not s["claims"]),
        "checked": checked is not None,
        "error": error,
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "max_chars": MAX_RELEASE_CHARS,
    }
    return render(request, "indicators/claims.html", context, status_code=status, active="claims")


@router.get("/indicators/claims")
def claims_page(request: Request) -> Response:
    """Paste a press release to read its claims and check them against the registry."""
    return _claims_page(request)


@router.post("/indicators/claims")
def claims_check(
    request: Request, services: ServicesDep, text: ReleaseText, year: ReleaseYearField = ""
) -> Response:
    """Each sentence of the pasted release with its claims and their check."""
    try:
        speaking = int(year) if year.strip() else None
        if speaking is not None and not FIRST_YEAR <= speaking <= LAST_YEAR:
            raise InvalidInput(f"year {speaking} is outside {FIRST_YEAR}–{LAST_YEAR}")
        release = extract(text, services.indicators.to_simplified, speaking, name="release")
    except ValueError:  # not a year at all
        refused = InvalidInput(f"year {year!r}")
        return _claims_page(request, text, year, error=refused.message, status=status_for(refused))
    except InvalidInput as error:
        return _claims_page(request, text, year, error=error.message, status=status_for(error))
    with services.indicators.shared() as source:
        checked = check_release(source, release)
    return _claims_page(request, text, year, checked)
