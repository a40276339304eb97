"""Small template helpers of the shared layout (pagination)."""

from django import template

register = template.Library()


@register.simple_tag
def elided_pages(page_obj, on_each_side: int = 2, on_ends: int = 1):
    """Page numbers around the current page with ellipses (Paginator.ELLIPSIS) for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag(takes_context=True)
def history_link(context, obj, label=None):
    """A button to the record's change history, for those who may read it (audit roles, own jurisdiction)."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from core.access import can_view_history_of

    request = context.get("request")
    if request is None or not can_view_history_of(request.user, obj):
        return ""
    url = reverse("core:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
    return format_html('<a class="btn" href="{}">{}</a>', url, label or gettext("修改记录"))


@register.inclusion_tag("core/_record_links.html", takes_context=True)
def record_links(context, obj):
    """Links and actions other apps registered for this record (core.links), e.g. a case on a sample."""
    from core.links import record_links_for

    return {"links": record_links_for(context.get("request"), obj), "csrf_token": context.get("csrf_token")}


@register.filter
def svg_img(svg: str, alt: str = ""):
    """A server-drawn SVG chart as an <img> with a data: URI. The chart's own styles stay inside the image,
    so the page's Content-Security-Policy (no inline styles) does not strip them."""
    import base64

    from django.utils.html import format_html

    if not svg:
        return ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img class="chart-img" alt="{}" src="data:image/svg+xml;base64,{}">', alt, data)


@register.filter
def legal_basis(text):
    """A stored legal basis in the active language: core.legal_basis.legal_basis_label."""
    from core.legal_basis import legal_basis_label

    return legal_basis_label(text or "")


@register.inclusion_tag("core/_public_sections.html", takes_context=True)
def public_sections_bar(context):
    """The public site's sections (registered by the apps), the current one marked."""
    from core.navigation import public_sections

    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {"sections": public_sections(match.namespace if match else "")}


@register.filter
def label_in_language(value):
    """A label stored as it read when the record was made (a document's snapshot: its title, the evidence kind,
    the case source) in the active language when it is one of the platform's own labels; any other text as
    written."""
    from django.utils.translation import gettext

    return gettext(value) if isinstance(value, str) and value else value


@register.filter
def join_labels(values):
    """A stored list of labels (a result's failed items) joined in the page's language: each label the catalogue
    translates in that language, separated by 、 in Chinese and ", " in English."""
    from django.utils.translation import gettext, pgettext

    return pgettext("list separator", "、").join(gettext(v) if v else "" for v in (values or []))
