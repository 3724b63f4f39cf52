"""The one table convention of the pages: sortable column headers (`?sort=key&dir=asc|desc`),
whitelisted keys that the query orders by (never Python over all rows), and the pager with its
page-jump box (templates/_macros.html)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from fastapi import Query

SortParam = Annotated[str, Query(max_length=30, description="a column key of the list")]
DirParam = Annotated[str, Query(max_length=10, description="asc or desc")]


@dataclass(frozen=True)
class Sorting:
    key: str
    descending: bool = False

    @property
    def query(self) -> str:
        """The part of a list's URL that keeps this order (for the pager's links)."""
        return f"sort={self.key}&dir={'desc' if self.descending else 'asc'}"


def sorting(sort: str, direction: str, allowed: Iterable[str], default: Sorting) -> Sorting:
    """The order a request asks for when its key is one of `allowed`; otherwise (a key the
    list does not offer, a typo in a shared link) the list's own order — ignored, not refused,
    as a bad filter value is."""
    if sort not in set(allowed):
        return default
    return Sorting(sort, direction.lower() == "desc")


def page_within(page: int, total: int, page_size: int) -> int:
    """A page number the list has: a jump past the last page shows the last."""
    last = max(1, -(-total // page_size))
    return min(max(1, page), last)


def query_fields(url: str) -> list[tuple[str, str]]:
    """The query fields of `url`, decoded (the page-jump box carries them as hidden inputs)."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def api_sort_query(allowed: Iterable[str]) -> Any:
    """An API list's `sort` parameter: a field of `allowed`, `-field` for descending. The
    schema lists the choices; anything else answers 422 naming `sort` and the fields."""
    keys = list(allowed)
    return Query(
        max_length=40,
        pattern=f"^-?({'|'.join(keys)})$",
        description=f"order by one of {', '.join(keys)}; a leading - for descending",
        json_schema_extra={"enum": ["", *keys, *(f"-{key}" for key in keys)]},
    )


def api_sorting(sort: str, default: Sorting) -> Sorting:
    """The order an API `sort` value (already checked by its pattern) asks for."""
    if not sort:
        return default
    return Sorting(sort.removeprefix("-"), sort.startswith("-"))
