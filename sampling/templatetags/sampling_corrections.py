"""Corrections and the timeline on a record's page: the buttons a user may use now, and the record's requests."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("sampling/_correction_buttons.html", takes_context=True)
def correction_buttons(context, obj):
    """修改 / 修改申请 / 申请作废 / 变更记录 for a task, a sample or a draft announcement, as the policies allow."""
    from core.access import can_view_history
    from sampling import policies
    from sampling.models import Announcement, Sample, SamplingTask

    request = context.get("request")
    user = getattr(request, "user", None)
    links = []
    if user is None:
        return {"links": links}
    if isinstance(obj, Sample):
        if policies.can_edit_sample(user, obj):
            links.append((reverse("sampling:sample_edit", args=[obj.pk]), _("修改抽样单"), ""))
        if policies.can_request_sample_correction(user, obj):
            links.append((reverse("sampling:sample_correction", args=[obj.pk]), _("提出修改申请"), ""))
        if policies.can_request_void(user, obj):
            links.append((reverse("sampling:sample_void", args=[obj.pk]), _("申请作废"), "danger"))
        if can_view_history(user):
            links.append((reverse("sampling:sample_timeline", args=[obj.pk]), _("变更记录"), ""))
    elif isinstance(obj, SamplingTask):
        if policies.can_edit_task(user, obj):
            links.append((reverse("sampling:task_edit", args=[obj.pk]), _("修改任务"), ""))
        if policies.can_request_task_correction(user, obj):
            links.append((reverse("sampling:task_correction", args=[obj.pk]), _("提出修改申请"), ""))
        if can_view_history(user):
            links.append((reverse("sampling:task_timeline", args=[obj.pk]), _("变更记录"), ""))
    elif isinstance(obj, Announcement) and policies.can_edit_announcement(user, obj):
        links.append((reverse("sampling:announcement_edit", args=[obj.pk]), _("修改公告"), ""))
    return {"links": links}


@register.inclusion_tag("sampling/_record_corrections.html")
def record_corrections(obj):
    """The record's correction requests, newest first, each with its changes before → after."""
    from sampling.services.corrections import change_rows

    requests = list(obj.correction_requests.select_related("requested_by", "decided_by").order_by("-requested_at")[:20])
    return {"items": [(r, change_rows(r)) for r in requests]}
