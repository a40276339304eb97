"""The public portal's hooks into the staff side: pending online objection requests on the home page."""

from __future__ import annotations


def objection_request_due_items(user):
    """Home page: pending online objection requests of the user's jurisdiction, due by the objection window's
    end (sampling.objection, from the day the enterprise says it received the verdict)."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from core.timelimits import due_for
    from sampling import policies
    from sampling.models import ObjectionRequestStatus
    from sampling.services.objection_requests import objection_requests_visible_to

    if not user.is_authenticated or not user.has_role(*policies.OBJECTION_ROLES):
        return []
    pending = objection_requests_visible_to(user).filter(status=ObjectionRequestStatus.PENDING).order_by("submitted_at")
    items = []
    for request in pending[:20]:
        items.append(
            DueItem(
                title=gettext("网上异议申请 %(ref)s：%(enterprise)s（抽样单 %(sample_no)s）")
                % {
                    "ref": request.reference,
                    "enterprise": request.sample.enterprise.name,
                    "sample_no": request.sample.sample_no,
                },
                url=reverse("sampling:objection_request_detail", args=[request.pk]),
                due_on=due_for("sampling.objection", request.verdict_received_on).due,
                category=gettext("异议申请"),
            )
        )
    return items


def register() -> None:
    """Called once from SamplingConfig.ready()."""
    from django.utils.translation import gettext_lazy as _

    from core.home import register_due_provider
    from core.navigation import MenuEntry, register_quick_link

    register_due_provider(objection_request_due_items)
    for role in ("inspector", "leader"):
        register_quick_link(role, MenuEntry(_("网上异议申请"), "sampling:objection_request_list"))
