"""The link from an announcement to the public page of its task's draw (双随机的“一公开”)."""

from __future__ import annotations

from django import template

from sampling.selectors import current_draws

register = template.Library()


@register.inclusion_tag("public/_draw_link.html")
def announcement_draw_link(announcement):
    """The task's current draw, linked once the announcement is published (and only then is it public)."""
    draw = current_draws().filter(task_id=announcement.task_id).exclude(pool_sha256="").first()
    return {"draw": draw, "published": announcement.status == "published"}
