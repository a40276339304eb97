"""On the sample list: which statistics figure narrowed it (the parameters of sampling.statistics_links)."""

from __future__ import annotations

from django import template

from sampling.statistics_links import dimension_filter_labels

register = template.Library()


@register.inclusion_tag("sampling/_statistics_filter_note.html", takes_context=True)
def statistics_filter_note(context):
    request = context.get("request")
    params = request.GET if request is not None else {}
    keep = {key: params.get(key) for key in ("year", "verdict") if params.get(key)}
    return {"filters": dimension_filter_labels(params), "keep": keep}
