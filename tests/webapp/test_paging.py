"""One page of a longer list, as every pager reads it."""

from __future__ import annotations

from webapp.paging import Page, page_of


def test_paging_keeps_to_the_pages_there_are():
    first = page_of(range(1, 8), 1, per_page=3)
    assert first.items == [1, 2, 3] and first.pages == 3 and first.has_next and first.total == 7
    last = page_of(range(1, 8), 99, per_page=3)
    assert last.page == 3 and last.items == [7] and not last.has_next
    assert last.first_index == 7
    empty = page_of([], 2, per_page=3)
    assert (empty.page, empty.pages, empty.total, empty.items) == (1, 1, 0, [])


def test_a_page_of_a_list_not_counted_knows_no_page_count():
    ranked = Page(["a", "b"], page=2, has_next=True, per_page=2)
    assert ranked.pages is None and ranked.first_index == 3
