"""How the log page says a challenge call's steps (揭榜挂帅) and a record's money: state moves
by the call's own labels, people and organisations by name, amounts in 万元."""

from __future__ import annotations

from collections.abc import Callable

from fourchain.domain import programmes
from fourchain.domain.challenge import ACTION_LABELS, STATE_LABELS
from fourchain.entrypoints.web import i18n
from fourchain.entrypoints.web.msgids import N_

Translate = Callable[..., str]

# Amounts (stored in 元) wherever a detail holds them — at its top, in the record it kept or
# in a change — → the label that says them in 万元 (the log page says the value in 万元 too).
MONEY_LABELS = {
    "amount": N_("Amount (10k yuan)"),
    "paid": N_("Paid (10k yuan)"),
    "value": N_("Value (10k yuan)"),
    "requested": N_("Requested (10k yuan)"),
    "asking_price": N_("Asking price (10k yuan)"),
    "budget": N_("Budget (10k yuan)"),
    "size": N_("Size (10k yuan)"),
    "premium": N_("Premium (10k yuan)"),
    "cover": N_("Cover (10k yuan)"),
    "funding": N_("Funding (10k yuan)"),
    "public_budget": N_("Public funding (10,000 yuan)"),
    "self_raised": N_("Self-raised funding (10,000 yuan)"),
}
# Fields said first, in this order (what happened before its particulars); the rest follow.
LEADING = (
    "step",
    "programme_move",
    "outcome",
    "winner",
    "unscored",
    "submitted",
    "feedback",
    "reviewer",
    "milestone_added",
    "milestone_accepted",
    "paid",
    "milestone",
    "conflicted",
    "scores",
    "number",
    "title",
    "name",
)
# Fields said inside another's phrase (a winner's name beside the winner).
COMPANIONS = {"state", "winner_name", "reviewer_name", "stage", "reference"}


def in_order(found: dict[str, object]) -> list[tuple[str, object]]:
    """The detail's fields, the leading ones first."""
    rank = {key: n for n, key in enumerate(LEADING)}
    return sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def _label(pair: tuple[str, str] | None, fallback: object, locale: str) -> str:
    return i18n.bilingual(pair, locale) if pair else str(fallback)


def _step(found: dict[str, object], locale: str, _: Translate) -> str:
    step, state = str(found["step"]), found.get("state")
    said = _label(ACTION_LABELS.get(step), step, locale)
    if state is None:
        return said
    return f"{said} → {_label(STATE_LABELS.get(str(state)), state, locale)}"


def _programme_move(found: dict[str, object], locale: str) -> str:
    move, stage = str(found["programme_move"]), found.get("stage")
    said = _label(programmes.LABELS.get(move), move, locale)
    if stage is None:
        return said
    return f"{said} → {_label(programmes.LABELS.get(str(stage)), stage, locale)}"


def _scores(value: object, locale: str, _: Translate, comma: str) -> str:
    lines = value if isinstance(value, list) else []
    shown = [
        f"{line[1] if locale == 'en' else line[0]} {line[2]:g}"
        for line in lines
        if isinstance(line, list) and len(line) == 3 and isinstance(line[2], int | float)
    ]
    return _("Scores: %(scores)s", scores=comma.join(shown))


def step_phrases(
    found: dict[str, object], locale: str, _: Translate, comma: str
) -> dict[str, Callable[[object], str]]:
    """The phrase of each challenge-step field in `found` (by key)."""

    def _ids(value: object) -> str:
        return comma.join(map(str, value)) if isinstance(value, list) else str(value)

    phrases: dict[str, Callable[[object], str]] = {
        "step": lambda _v: _step(found, locale, _),
        "winner": lambda w: _(
            "Winner: %(name)s (application %(id)s)", name=found.get("winner_name", w), id=w
        ),
        "unscored": lambda ids: _("Not fully scored: applications %(ids)s", ids=_ids(ids)),
        "reviewer": lambda r: _(
            "Reviewer added: %(name)s (%(id)s)", name=found.get("reviewer_name", r), id=r
        ),
        "milestone_added": lambda t: _("Milestone added: %(title)s", title=t),
        "milestone_accepted": lambda t: _("Milestone accepted: %(title)s", title=t),
        "milestone": lambda t: _("Milestone: %(title)s", title=t),
        "on": lambda d: _("On %(date)s", date=d),
        "due": lambda d: _("Due %(date)s", date=d),
        "feedback": lambda n: _("Written feedback to %(name)s", name=n),
        "submitted": lambda n: _("Application submitted by %(name)s", name=n),
        "call": lambda t: _("Challenge call: %(title)s", title=t),
        "conflicted": lambda c: (
            _("Declared a conflict of interest") if c else _("Declared no conflict of interest")
        ),
        "scores": lambda s: _scores(s, locale, _, comma),
        "programme_move": lambda _v: _programme_move(found, locale),
        "outcome": lambda k: _(
            "Outcome recorded: %(kind)s %(reference)s",
            kind=_label(programmes.LABELS.get(str(k)), k, locale),
            reference=found.get("reference", ""),
        ),
        "projects": lambda n: _("%(n)s cooperation projects", n=n),
    }
    return phrases
