"""ISO 3166 countries through pycountry: a cell's code or English name read as alpha-2, and a
country's name in Chinese (pycountry's zh_CN translation) and English."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry


def iso_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of an alpha-2 or alpha-3 code or an English name."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        found = pycountry.countries.lookup(cleaned)
    except LookupError:
        return None
    return str(found.alpha_2)


@cache
def _zh() -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )


def country_names(code: str) -> tuple[str, str]:
    """(中文, English) names of an alpha-2 code; the code itself when unknown."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code, code
    english = str(found.name)
    return _zh().gettext(english), english
