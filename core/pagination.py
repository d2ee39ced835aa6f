"""The one pagination helper of the portal's lists."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(rows, number, per_page: int = PAGE_SIZE) -> Page:
    """The page `number` (from the query string; anything odd gives the first, past the end
    the last) of the queryset `rows`. The first page is read with one row more than it shows:
    when the list ends on it, as most lists of one unit or one queue do, no COUNT query runs."""
    paginator = Paginator(rows, per_page)
    text = str(number or "").strip()
    if text.isdigit() and int(text) != 1:
        return paginator.get_page(text)
    first = list(rows[: per_page + 1])
    if len(first) <= per_page:
        paginator.__dict__["count"] = len(first)  # Paginator.count is a cached_property
    return Page(first[:per_page], 1, paginator)  # with more pages, Django counts them
