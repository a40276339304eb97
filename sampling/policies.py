"""Who may do what in sampling: named predicates used by services, views, templates, the API and the menu."""

from __future__ import annotations

# --- draw (随机抽取) ---------------------------------------------------------------------------
from core.policies import staff_in as _staff_in  # noqa: E402

DRAWING_ROLES = ("inspector", "leader", "administrator")
REDRAW_APPROVER_ROLES = ("leader",)


def may_draw_for(user, task) -> bool:
    """Role and jurisdiction of a drawer (抽取人), whatever the task's draws so far."""
    return _staff_in(user, task.region_id, *DRAWING_ROLES) and task.status != "completed"


def approved_redraw(task):
    """The task's approved, not yet used re-draw request, or None."""
    from sampling.models import RedrawStatus

    return task.redraw_requests.filter(status=RedrawStatus.APPROVED).order_by("-id").first()


def can_draw(user, task) -> bool:
    """The first draw of a task, or one more after a leader approved a re-draw request (a draw is binding)."""
    if not may_draw_for(user, task):
        return False
    return not task.draws.exists() or approved_redraw(task) is not None


def can_request_redraw(user, task) -> bool:
    """A drawer of the task may ask to draw again, with a reason, once it has a draw and no open request."""
    from sampling.models import RedrawStatus

    if not may_draw_for(user, task) or not task.draws.exists():
        return False
    return not task.redraw_requests.filter(status__in=[RedrawStatus.REQUESTED, RedrawStatus.APPROVED]).exists()


def can_approve_redraw(user, request) -> bool:
    """A leader whose jurisdiction covers the task decides a pending request; never the requester."""
    from sampling.models import RedrawStatus

    return (
        request.status == RedrawStatus.REQUESTED
        and request.requested_by_id != getattr(user, "pk", None)
        and _staff_in(user, request.task.region_id, *REDRAW_APPROVER_ROLES)
        and request.task.status != "completed"
    )


def can_view_public_draw(draw) -> bool:
    """一公开: a draw is public once its task has a published announcement."""
    from sampling.models import AnnouncementStatus

    return draw.task.announcements.filter(status=AnnouncementStatus.PUBLISHED).exists()


# --- tasks, samples, results, objections, post-processing, publication, import -----------------

from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.policies import Action, staff_in  # noqa: E402
from core.policies import available_actions as _available  # noqa: E402

PLANNING_ROLES = ("inspector", "leader", "administrator")
SAMPLING_ROLES = ("inspector", "leader", "administrator")
OBJECTION_ROLES = ("inspector", "leader", "administrator")
FOLLOWUP_ROLES = ("inspector", "case_handler", "leader", "administrator")
DRAFTING_ROLES = ("inspector", "leader", "administrator")
PUBLISHING_ROLES = ("leader", "administrator")
IMPORT_ROLES = ("inspector", "institution", "administrator")
EXPORT_ROLES = ("inspector", "institution", "leader", "administrator")
DASHBOARD_ROLES = ("inspector", "leader", "administrator", "institution")
# Old years imported as an archive: their chains are recorded as handled outside the platform.
ARCHIVE_IMPORT_ROLES = ("inspector", "administrator")


def _role(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*roles))


# Tasks


def can_plan_task(user) -> bool:
    return _role(user, PLANNING_ROLES)


def can_complete_task(user, task) -> bool:
    from sampling.models import TaskStatus

    return task.status == TaskStatus.IN_PROGRESS and staff_in(user, task.region_id, *PLANNING_ROLES)


# Samples


def can_register_samples(user) -> bool:
    """The sampling form: inspectors (and leaders, administrators) only; an institution never gets it."""
    return _role(user, SAMPLING_ROLES)


def can_add_photo(user, sample) -> bool:
    return staff_in(user, sample.region_id, *SAMPLING_ROLES)


def is_task_institution(user, task) -> bool:
    """Staff of the task's testing institution (承检机构) in the task's jurisdiction."""
    return bool(
        user
        and user.is_authenticated
        and getattr(user, "role", "") == "institution"
        and user.institution_id is not None
        and user.institution_id == task.institution_id
        and staff_in(user, task.region_id, "institution")
    )


def can_receive_sample(user, sample) -> bool:
    """收样: the task's institution records arrival and condition once, before any result."""
    if sample.voided_at is not None or sample.received_on is not None:
        return False
    return bool(user and user.is_authenticated and user.is_superuser) or is_task_institution(user, sample.task)


def can_see_institution_queues(user) -> bool:
    return _role(user, ("institution",)) and getattr(user, "institution_id", None) is not None


def can_see_drawn_work(user) -> bool:
    """The inspector's work list of drawn enterprises (抽中企业)."""
    return _role(user, ("inspector",))


# Results


def can_enter_result(user, sample, institution=None) -> bool:
    """The testing institution of the sample (its own staff, in its own name) or an inspector of the jurisdiction."""
    from sampling.models import ObjectionStatus

    if not (user and user.is_authenticated) or sample.voided_at is not None:
        return False
    if user.is_superuser:
        return True
    if user.role == "institution":
        if user.institution_id is None or not staff_in(user, sample.region_id, "institution"):
            return False
        if institution is not None and institution.pk != user.institution_id:
            return False
        # Its own samples only: the task's institution, or the one assigned to re-test.
        return (
            sample.task.institution_id == user.institution_id
            or sample.objections.filter(
                status=ObjectionStatus.RETESTING, retest_institution_id=user.institution_id
            ).exists()
        )
    return user.role == "inspector" and staff_in(user, sample.region_id, "inspector")


def can_confirm_result(user, result) -> bool:
    from sampling.models import ResultStatus

    return result.status == ResultStatus.ENTERED and can_enter_result(user, result.sample, result.institution)


def can_edit_result(user, result) -> bool:
    from sampling.models import ResultStatus

    return result.status == ResultStatus.ENTERED and can_enter_result(user, result.sample, result.institution)


def can_amend_result(user, result) -> bool:
    """更正 of a confirmed result: a 修改申请 that a leader approves (services.corrections), asked by those who
    enter the sample's results, while no other request on the sample is pending."""
    from sampling.models import ResultStatus

    return (
        result.status == ResultStatus.CONFIRMED
        and can_enter_result(user, result.sample, result.institution)
        and not _open_correction(sample_id=result.sample_id)
    )


# Objections


def can_handle_objections(user, sample) -> bool:
    return staff_in(user, sample.region_id, *OBJECTION_ROLES)


def can_record_receipt(user, result) -> bool:
    from sampling.models import ResultStatus

    return (
        result.status == ResultStatus.CONFIRMED
        and not result.is_retest
        and result.verdict_received_on is None
        and can_handle_objections(user, result.sample)
    )


def can_file_objection(user, sample) -> bool:
    """A confirmed first 不合格, received by the enterprise, no open objection and no re-test yet."""
    from sampling.models import ObjectionStatus, ResultStatus, Verdict

    if not can_handle_objections(user, sample):
        return False
    results = {r.is_retest: r for r in sample.results.all()}
    first = results.get(False)
    if first is None or first.status != ResultStatus.CONFIRMED or first.verdict != Verdict.FAIL:
        return False
    if True in results or first.verdict_received_on is None:
        return False
    return not any(o.status in (ObjectionStatus.FILED, ObjectionStatus.RETESTING) for o in sample.objections.all())


def can_reject_objection(user, objection) -> bool:
    from sampling.models import ObjectionStatus

    return objection.status == ObjectionStatus.FILED and can_handle_objections(user, objection.sample)


def can_assign_retest(user, objection) -> bool:
    return can_reject_objection(user, objection)


# Post-processing


def can_see_followups(user) -> bool:
    return _role(user, FOLLOWUP_ROLES)


def can_handle_followups(user, sample) -> bool:
    return staff_in(user, sample.region_id, *FOLLOWUP_ROLES)


def can_complete_followup(user, followup) -> bool:
    return followup.done_on is None and can_handle_followups(user, followup.sample)


def can_add_optional_followup(user, sample) -> bool:
    from sampling.models import Verdict

    return sample.final_verdict == Verdict.FAIL and can_handle_followups(user, sample)


# Publication


def can_draft_announcements(user) -> bool:
    return _role(user, DRAFTING_ROLES)


def can_draft_announcement(user, task) -> bool:
    return staff_in(user, task.region_id, *DRAFTING_ROLES)


def can_edit_announcement(user, announcement) -> bool:
    from sampling.models import AnnouncementStatus

    return announcement.status == AnnouncementStatus.DRAFT and staff_in(user, announcement.region_id, *DRAFTING_ROLES)


def can_publish(user, announcement) -> bool:
    from sampling.models import AnnouncementStatus

    return announcement.status == AnnouncementStatus.DRAFT and staff_in(user, announcement.region_id, *PUBLISHING_ROLES)


def can_withdraw(user, announcement) -> bool:
    from sampling.models import AnnouncementStatus

    return announcement.status == AnnouncementStatus.PUBLISHED and staff_in(
        user, announcement.region_id, *PUBLISHING_ROLES
    )


# Import, export, statistics


def can_import(user) -> bool:
    return _role(user, IMPORT_ROLES)


def can_import_archive(user) -> bool:
    return _role(user, ARCHIVE_IMPORT_ROLES)


def can_export(user) -> bool:
    return _role(user, EXPORT_ROLES)


def can_see_statistics(user) -> bool:
    return _role(user, DASHBOARD_ROLES)


# Corrections: edits before confirmation, 修改申请 / 作废申请 after it, decided by a leader (not the requester).

CORRECTION_DECIDER_ROLES = ("leader",)


def task_is_confirmed(task) -> bool:
    """A task is fixed once drawn (the draw is binding evidence of its conditions) or under way."""
    from sampling.models import TaskStatus

    return task.status != TaskStatus.PLANNED or task.draws.exists()


def sample_is_confirmed(sample) -> bool:
    """A sample is fixed once a result of it is confirmed or it is public."""
    return sample.is_published or sample.results.filter(is_confirmed=True).exists()


def _open_correction(**target) -> bool:
    from sampling.models import CorrectionRequest, CorrectionStatus

    return CorrectionRequest.objects.filter(status=CorrectionStatus.REQUESTED, **target).exists()


def sample_has_open_correction(sample) -> bool:
    """A 修改申请 / 作废申请 of the sample or of one of its results waits for a decision."""
    return _open_correction(sample=sample)


def can_edit_task(user, task) -> bool:
    return not task_is_confirmed(task) and staff_in(user, task.region_id, *PLANNING_ROLES)


def can_request_task_correction(user, task) -> bool:
    return (
        task_is_confirmed(task) and staff_in(user, task.region_id, *PLANNING_ROLES) and not _open_correction(task=task)
    )


def can_edit_sample(user, sample) -> bool:
    return (
        sample.voided_at is None
        and not sample_is_confirmed(sample)
        and staff_in(user, sample.region_id, *SAMPLING_ROLES)
    )


def can_request_sample_correction(user, sample) -> bool:
    return (
        sample.voided_at is None
        and sample_is_confirmed(sample)
        and staff_in(user, sample.region_id, *SAMPLING_ROLES)
        and not _open_correction(sample=sample)
    )


def can_request_void(user, sample) -> bool:
    """作废 always needs a leader's approval, before or after confirmation."""
    return (
        sample.voided_at is None
        and staff_in(user, sample.region_id, *SAMPLING_ROLES)
        and not _open_correction(sample=sample)
    )


def can_decide_correction(user, request) -> bool:
    from sampling.models import CorrectionStatus

    return (
        request.status == CorrectionStatus.REQUESTED
        and request.requested_by_id != getattr(user, "pk", None)
        and staff_in(user, request.region_id, *CORRECTION_DECIDER_ROLES)
    )


def can_see_corrections(user) -> bool:
    return _role(user, ("inspector", "leader", "administrator"))


def can_see_correction(user, request) -> bool:
    """A request's page: the roles that see the list, and whoever asked (an institution's result 更正)."""
    return can_see_corrections(user) or (bool(user and user.is_authenticated) and request.requested_by_id == user.pk)


# What a page may offer now: each action's policy is the one its service checks.

RESULT_ACTIONS = (
    Action("edit", _("修改录入"), can_edit_result),
    Action(
        "confirm", _("确认结果"), can_confirm_result, style="primary", confirm=_("确认后结果将锁定，只能通过更正修改。")
    ),
    Action("amend", _("更正"), can_amend_result),
    Action("receipt", _("登记送达"), can_record_receipt),
)
SAMPLE_ACTIONS = (
    Action("receive", _("登记收样"), can_receive_sample, style="primary"),
    Action("enter_result", _("录入检验结果"), lambda user, sample: can_enter_result(user, sample)),
    Action("photo", _("上传照片"), can_add_photo),
    Action("objection", _("登记异议"), can_file_objection),
    Action("followup_add", _("添加约谈/移送"), can_add_optional_followup),
    Action("edit", _("修改抽样单"), can_edit_sample),
    Action("correction", _("提出修改申请"), can_request_sample_correction),
    Action("void", _("申请作废"), can_request_void, style="danger"),
)
CORRECTION_ACTIONS = (
    Action("approve", _("批准"), can_decide_correction, style="primary"),
    Action("reject", _("驳回"), can_decide_correction, style="danger"),
)
OBJECTION_ACTIONS = (
    Action("retest", _("安排复检"), can_assign_retest, style="primary"),
    Action("reject", _("不予受理"), can_reject_objection, style="danger"),
)
FOLLOWUP_ACTIONS = (Action("complete", _("办理"), can_complete_followup, style="primary"),)
ANNOUNCEMENT_ACTIONS = (
    Action("edit", _("编辑"), can_edit_announcement),
    Action("publish", _("发布"), can_publish, style="primary", confirm=_("发布后公告中的批次将对社会公开。")),
    Action("withdraw", _("撤回"), can_withdraw, style="danger"),
)
TASK_ACTIONS = (
    Action(
        "register_sample", _("登记抽样单"), lambda user, task: can_register_samples(user) and task.status != "completed"
    ),
    Action("complete", _("完成任务"), can_complete_task),
    Action("announce", _("起草公告"), can_draft_announcement),
    Action("edit", _("修改任务"), can_edit_task),
    Action("correction", _("提出修改申请"), can_request_task_correction),
)


def available_actions(user, obj) -> list[Action]:
    """The actions ``user`` may take on ``obj`` now (a sample, result, objection, follow-up, announcement, task)."""
    from sampling.models import Announcement, CorrectionRequest, FollowUp, Objection, Sample, SamplingTask, TestResult

    table = {
        CorrectionRequest: CORRECTION_ACTIONS,
        TestResult: RESULT_ACTIONS,
        Sample: SAMPLE_ACTIONS,
        Objection: OBJECTION_ACTIONS,
        FollowUp: FOLLOWUP_ACTIONS,
        Announcement: ANNOUNCEMENT_ACTIONS,
        SamplingTask: TASK_ACTIONS,
    }
    return _available(user, obj, table.get(type(obj), ()))


def action_codes(user, obj) -> set[str]:
    return {action.code for action in available_actions(user, obj)}
