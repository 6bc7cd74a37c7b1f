"""One page of a longer list, the one shape every pager reads. Its names follow Flask-SQLAlchemy's
`Pagination` (`items`, `page`, `has_next`), which the search's ranked pages already use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int  # counted from 1
    has_next: bool
    per_page: int
    total: int | None = None  # None where counting the whole list would cost (ranked results)

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        """The position of the page's first item in the whole list, counted from 1."""
        return (self.page - 1) * self.per_page + 1


def page_of(items: Sequence[T], number: int, per_page: int) -> Page[T]:
    """One page of a list held in memory; a page past the end shows the last one."""
    pages = max(1, ceil(len(items) / per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    return Page(list(items[start : start + per_page]), number, number < pages, per_page, len(items))
