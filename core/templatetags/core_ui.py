"""Small template helpers of the shared layout (pagination)."""

from django import template

register = template.Library()


@register.simple_tag
def elided_pages(page_obj, on_each_side: int = 2, on_ends: int = 1):
    """Page numbers around the current page with ellipses (Paginator.ELLIPSIS) for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))
