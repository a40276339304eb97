"""The results panel of the sample detail page: results, amendments, objections and post-processing."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from sampling.models import ObjectionStatus, Verdict
from sampling.selectors import DUE_SOON_DAYS
from sampling.services.followups import can_handle_followups
from sampling.services.objections import can_handle_objections, objection_deadline
from sampling.services.results import can_confirm_result, can_enter_result

register = template.Library()


@register.inclusion_tag("sampling/result_panel.html", takes_context=True)
def sample_results_panel(context, sample):
    user = context["request"].user
    results = list(
        sample.results.select_related("institution", "confirmed_by").prefetch_related("items", "amendments__amended_by")
    )
    first = next((r for r in results if not r.is_retest), None)
    retest = next((r for r in results if r.is_retest), None)
    objections = list(sample.objections.select_related("retest_institution").order_by("-filed_on", "-id"))
    open_objection = next(
        (o for o in objections if o.status in (ObjectionStatus.FILED, ObjectionStatus.RETESTING)), None
    )
    today = timezone.localdate()
    handle_objections = can_handle_objections(user, sample)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "sample": sample,
        "results": [{"result": r, "can_confirm": can_confirm_result(user, r)} for r in results],
        "first": first,
        "retest": retest,
        "can_enter": can_enter_result(user, sample),
        "can_enter_retest": bool(
            open_objection and open_objection.status == ObjectionStatus.RETESTING and retest is None
        )
        and can_enter_result(user, sample),
        "objections": objections,
        "open_objection": open_objection,
        "can_object": handle_objections
        and first is not None
        and first.is_confirmed
        and first.verdict == Verdict.FAIL
        and open_objection is None
        and retest is None,
        "objection_deadline": objection_deadline(first) if first else None,
        "handle_objections": handle_objections,
        "followups": list(sample.followups.select_related("done_by").order_by("created_at", "id")),
        "handle_followups": can_handle_followups(user, sample),
        "today": today,
        "soon": today + dt.timedelta(days=DUE_SOON_DAYS),
    }
