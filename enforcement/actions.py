"""The actions a case page (and the API) offers: each names its policy, its form and the service it calls,
so that pages never offer what the service refuses (core.policies.available_actions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from enforcement import forms, policies, services
from enforcement.models import Case


@dataclass(frozen=True)
class CaseAction:
    code: str
    label: str
    policy: Callable
    form: type
    run: Callable  # (user, case, cleaned_data) -> object
    style: str = ""
    form_kwargs: Callable | None = None

    def make_form(self, case: Case, data=None, files=None):
        kwargs = self.form_kwargs(case) if self.form_kwargs else {}
        return self.form(data, files, prefix=self.code, **kwargs)


def _decision_clock_state(case: Case) -> str:
    from core.timelimits import clock_for

    found = clock_for(case, "enforcement.decision")
    return found.state if found else ""


def _d(data, *names):
    return {n: data.get(n) for n in names}


ACTIONS: list[CaseAction] = [
    CaseAction(
        "check",
        _("开始核查"),
        policies.can_check,
        forms.EmptyForm,
        lambda u, c, d: services.case_start_check(user=u, case=c, on=d["on"]),
        "primary",
    ),
    CaseAction(
        "request_filing",
        _("提请立案"),
        policies.can_request_filing,
        forms.RequestFilingForm,
        lambda u, c, d: services.case_request_filing(
            user=u, case=c, handlers=list(d["handlers"]), **_d(d, "title", "facts", "violation_type", "on")
        ),
        "primary",
        form_kwargs=lambda c: {"case": c},
    ),
    CaseAction(
        "approve_filing",
        _("批准立案"),
        policies.can_approve_filing,
        forms.EmptyForm,
        lambda u, c, d: services.case_approve_filing(user=u, case=c, on=d["on"]),
        "primary",
    ),
    CaseAction(
        "return_filing",
        _("退回补充核查"),
        policies.can_approve_filing,
        forms.ReasonForm,
        lambda u, c, d: services.case_return_filing(user=u, case=c, reason=d["reason"], on=d["on"]),
    ),
    CaseAction(
        "not_file",
        _("不予立案"),
        policies.can_decide_not_to_file,
        forms.ReasonForm,
        lambda u, c, d: services.case_not_file(user=u, case=c, reason=d["reason"], on=d["on"]),
        "danger",
    ),
    CaseAction(
        "extend_filing",
        _("延长立案核查期限（15 工作日）"),
        policies.can_extend_filing,
        forms.ReasonForm,
        lambda u, c, d: services.case_extend_filing(user=u, case=c, reason=d["reason"], on=d["on"]),
    ),
    CaseAction(
        "decide_simple",
        _("简易程序当场处罚"),
        policies.can_decide_simple,
        forms.SimpleDecisionForm,
        lambda u, c, d: services.case_decide_simple(
            user=u,
            case=c,
            bases=list(d["bases"]),
            **_d(d, "penalty_types", "fine", "facts", "party_type", "sector", "on"),
        ),
    ),
    CaseAction(
        "merge",
        _("并案"),
        lambda u, c: policies.can_merge(u, c) and services.merge_candidates(c).exists(),
        forms.MergeForm,
        lambda u, c, d: services.cases_merge(user=u, case=c, into=Case.objects.get(pk=d["into"])),
        form_kwargs=lambda c: {"case": c},
    ),
    CaseAction(
        "propose",
        _("调查终结报告及拟处理意见"),
        policies.can_investigate,
        forms.ProposeForm,
        lambda u, c, d: services.case_propose(
            user=u,
            case=c,
            bases=list(d["bases"]),
            **_d(
                d,
                "outcome",
                "report",
                "facts",
                "violation_type",
                "penalty_types",
                "fine",
                "confiscation",
                "illegal_gains",
                "goods_value",
                "confiscated_goods",
                "complex_case",
                "public_interest",
                "major_case",
                "sector",
                "on",
            ),
        ),
    ),
    CaseAction(
        "submit_review",
        _("提交法制审核"),
        lambda u, c: policies.can_submit_review(u, c) and bool(c.investigation_report),
        forms.EmptyForm,
        lambda u, c, d: services.case_submit_review(user=u, case=c, on=d["on"]),
        "primary",
    ),
    CaseAction(
        "review",
        _("法制审核"),
        policies.can_review,
        forms.ReviewForm,
        lambda u, c, d: services.case_review(user=u, case=c, **_d(d, "opinion", "comment", "on")),
        "primary",
    ),
    CaseAction(
        "notify",
        _("送达行政处罚告知书"),
        lambda u, c: policies.can_notify(u, c) and bool(c.investigation_report),
        forms.EmptyForm,
        lambda u, c, d: services.case_notify(user=u, case=c, on=d["on"]),
        "primary",
    ),
    CaseAction(
        "defence",
        _("登记陈述申辩"),
        policies.can_record_defence,
        forms.DefenceForm,
        lambda u, c, d: services.case_record_defence(user=u, case=c, **_d(d, "text", "on")),
    ),
    CaseAction(
        "request_hearing",
        _("登记听证申请"),
        policies.can_request_hearing,
        forms.HearingRequestForm,
        lambda u, c, d: services.case_request_hearing(
            user=u, case=c, **_d(d, "on", "notice_on", "hearing_on", "place", "host")
        ),
    ),
    CaseAction(
        "hold_hearing",
        _("登记听证笔录"),
        lambda u, c: policies.can_hold_hearing(u, c) and not c.hearing_record,
        forms.HearingRecordForm,
        lambda u, c, d: services.case_hold_hearing(user=u, case=c, **_d(d, "record", "on")),
    ),
    CaseAction(
        "reopen",
        _("补充调查"),
        policies.can_reopen_investigation,
        forms.ReasonForm,
        lambda u, c, d: services.case_reopen(user=u, case=c, reason=d["reason"], on=d["on"]),
    ),
    CaseAction(
        "discuss",
        _("登记集体讨论"),
        policies.can_discuss,
        forms.DiscussionForm,
        lambda u, c, d: services.case_discuss(
            user=u, case=c, **_d(d, "held_on", "participants", "conclusion", "extension_days")
        ),
    ),
    CaseAction(
        "decide",
        _("作出决定"),
        policies.can_decide,
        forms.DecideForm,
        lambda u, c, d: services.case_decide(user=u, case=c, **_d(d, "outcome", "reason", "on")),
        "primary",
    ),
    CaseAction(
        "transfer",
        _("移送公安机关"),
        policies.can_transfer,
        forms.TransferForm,
        lambda u, c, d: services.case_transfer(user=u, case=c, **_d(d, "authority", "reason", "receipt_no", "on")),
    ),
    CaseAction(
        "police_answer",
        _("登记公安机关回复"),
        policies.can_record_police_answer,
        forms.PoliceAnswerForm,
        lambda u, c, d: services.case_police_answer(user=u, case=c, **_d(d, "accepted", "answer", "on")),
        "primary",
    ),
    CaseAction(
        "serve",
        _("送达决定书"),
        policies.can_serve,
        forms.ServeForm,
        lambda u, c, d: services.case_serve(user=u, case=c, **_d(d, "how", "on")),
        "primary",
    ),
    CaseAction(
        "payment",
        _("登记缴款"),
        lambda u, c: policies.can_record_payment(u, c) and c.outstanding_total > 0,
        forms.PaymentForm,
        lambda u, c, d: services.payment_record(
            user=u, case=c, **_d(d, "amount", "late_fee_paid", "paid_on", "receipt_no", "instalment")
        ),
    ),
    CaseAction(
        "execute",
        _("登记执行完毕"),
        lambda u, c: policies.can_execute(u, c) and c.outstanding_total <= 0,
        forms.NoteForm,
        lambda u, c, d: services.case_execute(user=u, case=c, **_d(d, "note", "on")),
        "primary",
    ),
    CaseAction(
        "close",
        _("批准结案"),
        policies.can_close,
        forms.CloseForm,
        lambda u, c, d: services.case_close(user=u, case=c, **_d(d, "summary", "on")),
        "primary",
    ),
    CaseAction(
        "publish",
        _("公示处罚决定"),
        lambda u, c: policies.can_publish(u, c) and c.penalty_types != ["warning"],
        forms.PublishForm,
        lambda u, c, d: services.penalty_publish(user=u, case=c, on=d["on"]),
        "primary",
    ),
    CaseAction(
        "push",
        _("推送至外省登记地"),
        policies.can_push_publication,
        forms.PushForm,
        lambda u, c, d: services.penalty_push(user=u, case=c, recipient=d["recipient"], on=d["on"]),
    ),
    CaseAction(
        "pause",
        _("中止办案期限"),
        lambda u, c: policies.can_pause(u, c) and _decision_clock_state(c) == "running",
        forms.PauseForm,
        lambda u, c, d: services.case_pause(user=u, case=c, **_d(d, "reason", "note", "on")),
    ),
    CaseAction(
        "resume",
        _("恢复办案期限"),
        lambda u, c: policies.can_pause(u, c) and _decision_clock_state(c) == "paused",
        forms.EmptyForm,
        lambda u, c, d: services.case_resume(user=u, case=c, on=d["on"]),
    ),
    CaseAction(
        "extend_decision",
        _("延长办案期限（30 日）"),
        policies.can_extend_decision,
        forms.ReasonForm,
        lambda u, c, d: services.case_extend_decision(user=u, case=c, reason=d["reason"], on=d["on"]),
    ),
    CaseAction(
        "cancel",
        _("撤销案件"),
        policies.can_cancel,
        forms.ReasonForm,
        lambda u, c, d: services.case_cancel(user=u, case=c, reason=d["reason"], on=d["on"]),
        "danger",
    ),
]
ACTIONS_BY_CODE = {a.code: a for a in ACTIONS}


def available(user, case: Case) -> list[CaseAction]:
    return [a for a in ACTIONS if a.policy(user, case)]
