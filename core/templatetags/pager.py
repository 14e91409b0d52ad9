from django import template

register = template.Library()


@register.filter
def page_numbers(page):
    """The page numbers a pager shows: the first and last, and two on each side of the current
    one; a gap is `Paginator.ELLIPSIS`."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
