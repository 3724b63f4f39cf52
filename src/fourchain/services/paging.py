"""The one page of results every list use case answers (registry directories, market lists,
programme projects): what the viewer may see of one page, and the whole list's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from fourchain.domain.market import Party

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """`items` of one page out of `total`; `page` counts from 1, `page_size` 0 is a list cut
    by offset and limit rather than pages. `names`: the organisations the items name."""

    items: list[T]
    total: int
    page: int = 1
    page_size: int = 0
    names: dict[Party, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max((self.total + self.page_size - 1) // self.page_size, 1)
