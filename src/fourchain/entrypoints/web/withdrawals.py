"""A withdrawal in the browser, written once: asked for once more (saying what will happen),
with a reason the audit log keeps. A confirmed submit without a reason, or one the record's
state refuses (a fund others still rest on), shows the question again with what was typed and
the refusal beside its field; a completed one redirects with its confirmation message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated

from fastapi import Request
from fastapi.responses import Response

from fourchain.entrypoints.web.forms import Ask, Form, confirmation, confirmed, done, submit, typed
from fourchain.entrypoints.web.msgids import N_
from fourchain.errors import InvalidInput

# The question's answer: the confirmation and the reason the audit log keeps.
Withdrawal = Annotated[Form, typed(("confirmed", "reason"), {"reason": 1000})]
REASON = N_("Reason for the withdrawal (recorded in the audit log)")


def withdrawal(
    request: Request,
    answer: Form,
    ask: Ask,
    withdraw: Callable[[str], object],
    then: tuple[str, str],
    changed: Callable[[], None],
) -> Response:
    """Ask `ask` (with a reason field) until confirmed; then `withdraw(reason)`, `changed()`
    (caches that saw the record) and redirect to `then` = (url, confirmation msgid)."""
    ask = replace(ask, reason=ask.reason or REASON)
    if not confirmed(answer):
        return confirmation(request, ask, Form.blank(("reason",), reason=answer["reason"]))

    def save() -> object:
        reason = answer.stripped("reason")
        if not reason:
            raise InvalidInput("reason: 请写明撤回原因 (say why it is withdrawn)")
        return withdraw(reason)

    def saved(_: object) -> Response:
        changed()
        return done(request, *then)

    return submit(answer, save, lambda refused: confirmation(request, ask, refused), saved)
