"""UI languages: zh-CN first, English beside it, from Babel catalogs compiled at start-up."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "zh_CN"
LOCALES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
COOKIE = "fc_lang"


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog of `locale`. The .po files are the source of truth; compiling them
    here (not committing .mo files) means a fresh clone can never run a stale catalog."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def normalise(code: str | None) -> str | None:
    """A supported locale for a code such as 'en', 'en-US', 'zh', 'zh-CN'; None otherwise."""
    if not code:
        return None
    code = code.strip().replace("-", "_")
    if code in LOCALES:
        return code
    lowered = code.lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    if lowered.startswith("en"):
        return "en"
    return None


def request_locale(request: Request) -> str:
    """The cookie set by the language switch; otherwise Chinese (the users' working language)."""
    return normalise(request.cookies.get(COOKIE)) or DEFAULT_LOCALE


def gettext(locale: str, message: str, **variables: Any) -> str:
    text = translations(locale).gettext(message)
    return text % variables if variables else text


def bilingual(pair: tuple[str, str], locale: str) -> str:
    """Pick the Chinese or English half of a domain label pair."""
    return pair[1] if locale == "en" else pair[0]


def _context_locale(context: Context) -> str:
    return str(context.get("locale") or DEFAULT_LOCALE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(_context_locale(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(_context_locale(context)).ngettext(singular, plural, n)


def jinja_callables() -> tuple[Callable[..., str], Callable[..., str]]:
    """gettext and ngettext for the Jinja i18n extension, choosing the catalog per render from
    the template context's `locale` (one environment serves every language at once)."""
    return _gettext, _ngettext
