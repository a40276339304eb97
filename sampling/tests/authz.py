"""Authorization matrix declarations of sampling's pages and API (framework: tests/security/test_authz_matrix.py).

Every record is made in 芙蓉区 (430102, the "own" county) for the matrix's own enterprise; the city 长沙市 above
sees it, the neighbouring 天心区 does not.
"""

from __future__ import annotations

import datetime as dt

from tests.security.authz import (
    ALL_ROLES,
    DENIED,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    STAFF_ROLES,
    Access,
    Rule,
    public,
    scoped,
    signed_in,
    staff,
)


def _task(ctx):
    from sampling.tests.tasks_data import make_task

    return make_task(
        region_code="430102", year=2026, institution=ctx["institution"], created_by=ctx["users"]["leader@own"]
    )


def _sample(ctx):
    from sampling.tests.tasks_data import make_sample

    return make_sample(_task(ctx), ctx["enterprise"])


def _draw(ctx):
    from sampling.models import Draw

    return Draw.objects.create(task=_task(ctx), seed="0" * 64, created_by=ctx["users"]["leader@own"])


def _redraw(ctx):
    from sampling.models import RedrawRequest

    draw = _draw(ctx)
    return RedrawRequest.objects.create(
        task=draw.task, draw=draw, reason="企业已注销", requested_by=ctx["users"]["inspector@own"]
    )


def _result(ctx):
    from sampling.models import TestResult

    return TestResult.objects.create(
        sample=_sample(ctx), report_no="R-0001", institution=ctx["institution"], verdict="fail", failed_items=["标志"]
    )


def _confirmed_result(ctx):
    """A confirmed first result that failed: it has both notices to print and serve."""
    from django.utils import timezone

    from sampling.models import TestResult

    return TestResult.objects.create(
        sample=_sample(ctx),
        report_no="R-0002",
        institution=ctx["institution"],
        verdict="fail",
        failed_items=["标志"],
        is_confirmed=True,
        status="confirmed",
        confirmed_at=timezone.now(),
    )


def _objection(ctx):
    from sampling.models import Objection

    return Objection.objects.create(
        sample=_result(ctx).sample,
        filed_on=dt.date(2026, 5, 20),
        reason="检验方法不当",
        created_by=ctx["users"]["inspector@own"],
    )


def _followup(ctx):
    from sampling.models import FollowUp

    sample = _result(ctx).sample
    return FollowUp.objects.create(sample=sample, step="notice", started_on=dt.date(2026, 5, 20))


def _announcement(ctx):
    from sampling.models import Announcement

    task = _task(ctx)
    return Announcement.objects.create(task=task, title="2026年抽查结果公告", region=task.region)


def _published_announcement(ctx):
    from django.utils import timezone

    announcement = _announcement(ctx)
    announcement.status = "published"
    announcement.published_at = timezone.now()
    announcement.save(update_fields=["status", "published_at"])
    return announcement


def _public_sample(ctx):
    from sampling.tests.tasks_data import make_sample

    announcement = _published_announcement(ctx)
    sample = make_sample(announcement.task, ctx["enterprise"], final_verdict="pass", is_published=True)
    sample.announcement = announcement
    sample.save(update_fields=["announcement"])
    return sample


def _objection_request(ctx):
    from sampling.models_public import ObjectionRequest

    sample = _result(ctx).sample
    return ObjectionRequest.objects.create(
        reference="YY20260001",
        sample=sample,
        enterprise_name=sample.enterprise.name,
        uscc=sample.enterprise.uscc,
        contact_name="张三",
        contact_phone="13800000000",
        verdict_received_on=dt.date(2026, 5, 18),
        reason="检验方法不当",
    )


def _failed_sample(ctx):
    from sampling.tests.tasks_data import make_sample

    return make_sample(_task(ctx), ctx["enterprise"], final_verdict="fail")


def _correction(ctx):
    from sampling.models import CorrectionRequest

    sample = _sample(ctx)
    return CorrectionRequest.objects.create(
        kind="void",
        sample=sample,
        region_id=sample.region_id,
        reason="重复登记",
        requested_by=ctx["users"]["inspector@own"],
    )


OBJECTS = {
    "correction": _correction,
    "failed_sample": _failed_sample,
    "task": _task,
    "sample": _sample,
    "draw": _draw,
    "redraw": _redraw,
    "result": _result,
    "confirmed_result": _confirmed_result,
    "objection": _objection,
    "followup": _followup,
    "announcement": _announcement,
    "published_announcement": _published_announcement,
    "public_sample": _public_sample,
    "objection_request": _objection_request,
}

STAFF_SAMPLING = ("inspector", "institution", "leader", "administrator")

PAGES = {
    "sampling:task_list": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "sampling:task_create": Rule(
        read=Access(roles=ALL_ROLES, scoped=False), write=Access(roles=ALL_ROLES, scoped=False)
    ),
    "sampling:task_complete": Rule(
        obj="task",
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED),
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:task_detail": Rule(
        obj="task",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:draw_create": Rule(
        obj="task",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:draw_detail": Rule(
        obj="draw",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:draw_verify": Rule(
        obj="draw",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:redraw_request": Rule(
        obj="task",
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED),
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:redraw_approve": Rule(
        obj="redraw",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:redraw_reject": Rule(
        obj="redraw",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:sample_list": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "sampling:sample_create": Rule(
        read=Access(roles=("inspector", "leader", "administrator"), scoped=False),
        write=Access(roles=("inspector", "leader", "administrator"), scoped=False),
    ),
    "sampling:sample_detail": Rule(
        obj="sample",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:sample_photo_upload": Rule(
        obj="sample",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:sample_pdf": Rule(
        obj="sample",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "sampling:result_entry": Rule(
        obj="sample", read=scoped(("inspector", "institution")), write=scoped(("inspector", "institution"))
    ),
    "sampling:retest_entry": Rule(
        obj="sample", read=scoped(("inspector", "institution")), write=scoped(("inspector", "institution"))
    ),
    # GET: the confirmation page (what confirming does), for those who may confirm; POST: the service decides.
    "sampling:result_confirm": Rule(
        obj="result",
        read=scoped(("inspector", "institution")),
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    # Other roles of the jurisdiction are sent back to the sample with the refusal (302), not served the form.
    "sampling:result_amend": Rule(obj="result", read=scoped(STAFF_ROLES), write=scoped(STAFF_ROLES)),
    "sampling:result_received": Rule(
        obj="result",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    # The notices (PDF with the proof of service) and the record of their service: those who handle objections.
    "sampling:notice_pdf": Rule(
        obj="confirmed_result",
        kwargs=lambda r: {"pk": r.pk, "kind": "failure"},
        read=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:notice_serve": Rule(
        obj="confirmed_result",
        kwargs=lambda r: {"pk": r.pk, "kind": "failure"},
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:objection_file": Rule(
        obj="result",
        kwargs=lambda r: {"pk": r.sample_id},
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:objection_retest": Rule(
        obj="objection",
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:followup_list": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator"), scoped=False)
    ),
    "sampling:followup_complete": Rule(
        obj="followup",
        read=scoped(("inspector", "case_handler", "leader", "administrator")),
        write=scoped(("inspector", "case_handler", "leader", "administrator")),
    ),
    "sampling:followup_add": Rule(
        obj="failed_sample",
        read=scoped(("inspector", "case_handler", "leader", "administrator")),
        write=scoped(("inspector", "case_handler", "leader", "administrator")),
    ),
    "sampling:import": Rule(
        read=Access(roles=("inspector", "institution", "administrator"), scoped=False),
        write=Access(roles=("inspector", "institution", "administrator"), scoped=False),
    ),
    "sampling:export": Rule(read=Access(roles=("inspector", "institution", "leader", "administrator"), scoped=False)),
    "sampling:announcement_list": Rule(read=Access(roles=("inspector", "leader", "administrator"), scoped=False)),
    "sampling:announcement_create": Rule(
        read=Access(roles=("inspector", "leader", "administrator"), scoped=False),
        write=Access(roles=("inspector", "leader", "administrator"), scoped=False),
    ),
    "sampling:announcement_detail": Rule(
        obj="announcement", read=Access(roles=("inspector", "leader", "administrator"))
    ),
    "sampling:announcement_publish": Rule(
        obj="announcement", read=scoped(("leader", "administrator")), write=scoped(("leader", "administrator"))
    ),
    "sampling:announcement_withdraw": Rule(
        obj="published_announcement",
        read=scoped(("leader", "administrator")),
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    # Work lists after the draw (queues): the inspector's drawn enterprises, the institution's 收样/待检/待确认.
    "sampling:drawn_work": Rule(read=staff(("inspector",))),
    "sampling:lab_queue": Rule(read=staff(("institution",))),
    "sampling:sample_receive": Rule(obj="sample", read=scoped(("institution",)), write=scoped(("institution",))),
    "sampling:dashboard": Rule(
        read=Access(roles=("inspector", "institution", "leader", "administrator"), scoped=False)
    ),
    "sampling:dashboard_export": Rule(
        read=Access(roles=("inspector", "institution", "leader", "administrator"), scoped=False)
    ),
    "sampling:import_template": Rule(read=Access(roles=("inspector", "institution", "administrator"), scoped=False)),
    "sampling:objection_request_list": Rule(read=Access(roles=("inspector", "leader", "administrator"), scoped=False)),
    "sampling:objection_request_detail": Rule(
        obj="objection_request", read=Access(roles=("inspector", "leader", "administrator"))
    ),
    "sampling:objection_request_register": Rule(
        obj="objection_request", write=Access(roles=("inspector", "leader", "administrator"))
    ),
    "sampling:objection_request_reject": Rule(
        obj="objection_request", write=Access(roles=("inspector", "leader", "administrator"))
    ),
    # Corrections (修改 / 修改申请 / 作废申请): the matrix's task is planned and undrawn and its sample has no
    # confirmed result, so both are edited directly and a 修改申请 is refused to everyone (403).
    "sampling:task_edit": Rule(
        obj="task",
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:task_correction": Rule(obj="task", read=scoped(()), write=scoped(())),
    "sampling:sample_edit": Rule(
        obj="sample",
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:sample_correction": Rule(obj="sample", read=scoped(()), write=scoped(())),
    "sampling:sample_void": Rule(
        obj="sample",
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:announcement_edit": Rule(
        obj="announcement",
        read=scoped(("inspector", "leader", "administrator")),
        write=scoped(("inspector", "leader", "administrator")),
    ),
    "sampling:correction_list": Rule(read=Access(roles=("inspector", "leader", "administrator"), scoped=False)),
    "sampling:correction_detail": Rule(obj="correction", read=scoped(("inspector", "leader", "administrator"))),
    # Only a leader of the jurisdiction decides; the matrix's request is the own inspector's.
    "sampling:correction_approve": Rule(
        obj="correction",
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED),
        write=scoped(("leader",)),
    ),
    "sampling:correction_reject": Rule(
        obj="correction",
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED),
        write=scoped(("leader",)),
    ),
    # One timeline per sample and per task: the audit roles of the jurisdiction, like the history pages.
    "sampling:sample_timeline": Rule(obj="sample", read=scoped(("legal_reviewer", "leader", "administrator"))),
    "sampling:task_timeline": Rule(obj="task", read=scoped(("legal_reviewer", "leader", "administrator"))),
    "public:index": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "public:announcement_list": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "public:announcement_detail": Rule(
        obj="published_announcement", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)
    ),
    "public:announcement_pdf": Rule(
        obj="published_announcement", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)
    ),
    "public:announcement_xlsx": Rule(
        obj="published_announcement", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)
    ),
    "public:result_search": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "public:result_detail": Rule(obj="public_sample", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "public:draw_detail": Rule(obj="draw", read=Access(roles=(), scoped=False, refused=HIDDEN, anonymous=HIDDEN)),
    "public:draw_pool": Rule(obj="draw", read=Access(roles=(), scoped=False, refused=HIDDEN, anonymous=HIDDEN)),
    "public:objection_request_new": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
    "public:objection_request_done": Rule(
        obj="objection_request",
        kwargs=lambda o: {"reference": o.reference},
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
}

API = {
    "GET /api/v1/tasks/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "POST /api/v1/tasks/": Rule(write=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/tasks/{id}/": Rule(
        obj="task",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/tasks/{id}/draw/": Rule(
        obj="task",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/tasks/{id}/draws/": Rule(
        obj="task",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/tasks/{id}/redraw-requests/": Rule(
        obj="task",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/tasks/{id}/redraw-requests/": Rule(
        obj="task",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/tasks/{id}/verify/": Rule(
        obj="task",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/redraw-requests/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/redraw-requests/{id}/": Rule(
        obj="redraw",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/redraw-requests/{id}/approve/": Rule(obj="redraw", write=scoped(("leader", "administrator"))),
    "POST /api/v1/redraw-requests/{id}/reject/": Rule(
        obj="redraw",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/samples/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "POST /api/v1/samples/": Rule(write=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/samples/{id}/": Rule(
        obj="sample",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/sampling/results/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "POST /api/v1/sampling/results/": Rule(write=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/sampling/results/{id}/": Rule(
        obj="result",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/sampling/results/{id}/amend/": Rule(
        obj="result",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/sampling/results/{id}/confirm/": Rule(
        obj="result",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/sampling/results/{id}/received/": Rule(
        obj="result",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/sampling/objections/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "POST /api/v1/sampling/objections/": Rule(write=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/sampling/objections/{id}/": Rule(
        obj="objection",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/sampling/objections/{id}/assign-retest/": Rule(
        obj="objection",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/sampling/followups/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/sampling/followups/{id}/": Rule(
        obj="followup",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "POST /api/v1/sampling/followups/{id}/complete/": Rule(
        obj="followup",
        write=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "GET /api/v1/sampling/announcements/": Rule(
        read=Access(roles=("inspector", "leader", "administrator"), scoped=False)
    ),
    "POST /api/v1/sampling/announcements/": Rule(
        write=Access(roles=("inspector", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/sampling/announcements/{id}/": Rule(
        obj="announcement", read=Access(roles=("inspector", "leader", "administrator"))
    ),
    "POST /api/v1/sampling/announcements/{id}/publish/": Rule(
        obj="announcement", write=Access(roles=("leader", "administrator"), cells={"inspector@neighbour": HIDDEN})
    ),
    "POST /api/v1/sampling/announcements/{id}/withdraw/": Rule(
        obj="published_announcement", write=Access(roles=("inspector", "leader", "administrator"))
    ),
    "GET /api/v1/statistics/pass-rate/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/statistics/failed-items/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/public/announcements/": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "GET /api/v1/public/announcements/{id}/": Rule(
        obj="published_announcement", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)
    ),
    "GET /api/v1/public/results/": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "GET /api/v1/public/results/{id}/": Rule(
        obj="public_sample", read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)
    ),
}

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, public, signed_in, staff)
