"""The form system's Python half: what was typed and each error by its field, a refused submit
shown again as the same form (422, never a bare error page), and the message that confirms a
completed action, carried across its redirect in a signed cookie.

A page reads its form with `typed(FIELDS)` (every value a string, so nothing typed is lost to
a parse error), saves with `submit(...)`, and renders `templates/_forms.html`'s macros with the
`form` in its context; `done(request, url, message)` redirects with the confirmation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from fourchain.entrypoints.web import i18n
from fourchain.errors import Conflict, FourchainError, InvalidInput, TransitionRefused

T = TypeVar("T")

# The longest value any field takes; a form names shorter limits per field.
LONGEST = 5000
FLASH_COOKIE = "fc_flash"
# Errors a form shows beside its field: the input or the record's state refused the save.
# Everything else (not found, not allowed) is not the typist's to fix and keeps its error page.
REFUSALS: tuple[type[FourchainError], ...] = (InvalidInput, Conflict, TransitionRefused)


def field_of(error: FourchainError, fields: tuple[str, ...] | Mapping[str, Any]) -> str:
    """The form field an error names (`demand.deadline: …` → deadline), or "" for the form."""
    head = error.message.split(":", 1)[0].rsplit(".", 1)[-1].strip()
    return head if head in fields else ""


@dataclass
class Form:
    """One form's values as typed (strings) and its errors by field ("" is the whole form)."""

    fields: tuple[str, ...]
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # Fields whose values are lists (checkbox groups, repeated rows), as typed.
    lists: dict[str, list[str]] = field(default_factory=dict)
    # What the page's element ids start with: two forms on one page need two keys.
    key: str = "f"

    @classmethod
    def blank(cls, fields: tuple[str, ...], key: str = "f", **values: str) -> Form:
        return cls(fields, {name: values.get(name, "") for name in fields}, key=key)

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def stripped(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def error(self, name: str, message: str) -> None:
        """Note a refusal beside `name` (the first one a field gets is the one shown)."""
        self.errors.setdefault(name if name in self.fields else "", message)

    def refuse(self, error: FourchainError) -> Form:
        self.error(field_of(error, self.fields), error.message)
        return self

    def described(self, name: str, help_text: str = "") -> Markup:
        """The attributes tying field `name` to its help and its error (`_forms.html`)."""
        ids = [f"{self.key}-{name}-help"] if help_text else []
        if self.errors.get(name):
            ids.append(f"{self.key}-{name}-error")
        described = f' aria-describedby="{escape(" ".join(ids))}"' if ids else ""
        return Markup(described + (' aria-invalid="true"' if name in self.errors else ""))

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def status(self) -> int:
        """The status of a page showing this form: 422 once something was refused."""
        return 422 if self.errors else 200


def typed(
    fields: tuple[str, ...],
    limits: Mapping[str, int] | None = None,
    lists: tuple[str, ...] = (),
    key: str = "f",
) -> Any:
    """A dependency reading a submitted form as typed: every field a string (absent → ""),
    too long a value noted as an error beside its field rather than answered with a bare 422."""
    limits = limits or {}

    async def read(request: Request) -> Form:
        data = await request.form()
        form = Form(fields, {}, key=key)
        for name in fields:
            value = data.get(name, "")
            text = value if isinstance(value, str) else ""
            limit = limits.get(name, LONGEST)
            if len(text) > limit:
                form.error(name, f"{name}: 最多 {limit} 个字 (at most {limit} characters)")
                text = text[:limit]
            form.values[name] = text
        for name in lists:
            form.lists[name] = [v[:LONGEST] for v in data.getlist(name) if isinstance(v, str)]
        return form

    return Depends(read)


def submit(
    form: Form,
    save: Callable[[], T],
    show: Callable[[Form], Response],
    done: Callable[[T], Response],
) -> Response:
    """Save, then `done(saved)`; or show the same form again with what was typed and the reason
    beside its field. Nothing is saved while the form already holds an error."""
    if form.refused:
        return show(form)
    try:
        saved = save()
    except REFUSALS as refused:
        return show(form.refuse(refused))
    return done(saved)


# --- the confirmation message, carried across the redirect
def _signature(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), f"flash|{payload}".encode(), hashlib.sha256).hexdigest()[:32]


def _secret(request: Request) -> str:
    return str(request.app.state.services.settings.fourchain_secret_key)


def done(request: Request, url: str, message: str, **variables: Any) -> Response:
    """Redirect (303) to `url`, which then shows `message` (a catalog msgid, translated now in
    the reader's language) once."""
    text = i18n.gettext(i18n.request_locale(request), message, **variables)
    payload = base64.urlsafe_b64encode(text.encode()).decode()
    response = RedirectResponse(url, status_code=303)
    secure = bool(request.app.state.services.settings.secure_cookies)
    response.set_cookie(
        FLASH_COOKIE,
        f"{payload}.{_signature(_secret(request), payload)}",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=300,
    )
    return response


def take_flash(request: Request) -> str:
    """The confirmation waiting for this page, if its signature holds ("" otherwise)."""
    cookie = request.cookies.get(FLASH_COOKIE, "")
    payload, _, signature = cookie.partition(".")
    if not payload or not hmac.compare_digest(signature, _signature(_secret(request), payload)):
        return ""
    try:
        return base64.urlsafe_b64decode(payload.encode()).decode()
    except ValueError:
        return ""
