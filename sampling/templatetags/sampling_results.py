"""The results panel of the sample detail page: results, amendments, objections and post-processing."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from sampling import policies
from sampling.forms.notices import NoticeServiceForm
from sampling.models import CorrectionRequest, CorrectionStatus, FollowUp, ObjectionStatus
from sampling.models_notices import NoticeKind, NoticeService
from sampling.selectors import DUE_SOON_DAYS
from sampling.services.notices import notice_kinds_for, notice_number
from sampling.services.objections import objection_due

register = template.Library()


@register.inclusion_tag("sampling/result_panel.html", takes_context=True)
def sample_results_panel(context, sample):
    user = context["request"].user
    results = list(
        sample.results.select_related("institution", "confirmed_by").prefetch_related(
            "items", "amendments__amended_by", "amendments__correction__decided_by"
        )
    )
    # A result's 更正 waiting for a leader's approval (nothing of it applies yet).
    pending = {
        c.result_id: c
        for c in CorrectionRequest.objects.filter(
            sample=sample, result__isnull=False, status=CorrectionStatus.REQUESTED
        ).select_related("requested_by")
    }
    first = next((r for r in results if not r.is_retest), None)
    retest = next((r for r in results if r.is_retest), None)
    objections = list(sample.objections.select_related("retest_institution").order_by("-filed_on", "-id"))
    open_objection = next(
        (o for o in objections if o.status in (ObjectionStatus.FILED, ObjectionStatus.RETESTING)), None
    )
    today = timezone.localdate()
    sample_actions = policies.action_codes(user, sample)
    due = objection_due(first) if first else None
    notices = []
    if first is not None and policies.can_handle_objections(user, sample):
        served = {n.kind: n for n in NoticeService.objects.filter(result=first).select_related("recorded_by")}
        notices = [
            {
                "kind": kind,
                "label": NoticeKind(kind).label,
                "number": notice_number(first, kind),
                "service": served.get(kind),
            }
            for kind in notice_kinds_for(first)
        ]
    followups = FollowUp.with_calendar(
        sample.followups.select_related("done_by", "time_limit").order_by("created_at", "id")
    )
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "sample": sample,
        # Each result with the actions the services accept from this user now (policies.available_actions).
        "results": [
            {
                "result": r,
                "actions": policies.action_codes(user, r),
                "pending": pending.get(r.pk),
                "pending_visible": r.pk in pending and policies.can_see_correction(user, pending[r.pk]),
            }
            for r in results
        ],
        "first": first,
        "retest": retest,
        "can_enter": "enter_result" in sample_actions,
        "can_enter_retest": bool(
            open_objection and open_objection.status == ObjectionStatus.RETESTING and retest is None
        )
        and "enter_result" in sample_actions,
        "objections": [{"objection": o, "actions": policies.action_codes(user, o)} for o in objections],
        "open_objection": open_objection,
        "can_object": "objection" in sample_actions,
        "objection_deadline": due.due if due else None,
        "objection_due": due,
        "notices": notices,
        "notice_form": NoticeServiceForm() if notices else None,
        "followups": [{"followup": f, "actions": policies.action_codes(user, f)} for f in followups],
        "can_add_followup": "followup_add" in sample_actions and bool(followups),
        "today": today,
        "soon": today + dt.timedelta(days=DUE_SOON_DAYS),
    }


@register.filter
def verdict_label(code) -> str:
    """A verdict code kept in a record's before/after (pass, fail, "") as the reader's word: 合格, 不合格, —."""
    from sampling.models import Verdict

    try:
        return Verdict(code).label if code else "—"
    except ValueError:
        return str(code)
