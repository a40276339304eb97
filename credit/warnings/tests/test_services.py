"""The warning workflow (table-driven), who may act, the draft sampling task and the draw's weight hook."""

from __future__ import annotations

import datetime as dt

import pytest

from core import services as core_services
from core.errors import DomainError, PermissionDenied
from core.models import EnterpriseFact, Region, Role
from core.reports.periods import Period
from core.tests.factories import EnterpriseFactory, ProductTypeFactory, UserFactory
from core.transitions import TransitionRefused
from credit.models_warnings import EarlyWarning, SignalCode, SubjectType, WarningLevel, WarningState
from credit.warnings import services
from credit.warnings.evaluation import evaluate
from credit.warnings.selectors import warning_counts_by_level
from credit.warnings.signals import Finding
from credit.warnings.tests.data import fact
from credit.warnings.transitions import WARNING_FLOW
from sampling.models import SamplingTask, TaskStatus


def make_warning(*, region_code="430102", state=WarningState.NEW, enterprise=None, product_type=None, period="2017"):
    """A warning raised through the service from a finding; then moved to ``state`` through the table."""
    if product_type is not None:
        subject = {"subject_type": SubjectType.PRODUCT_TYPE, "subject_key": str(product_type.pk)}
        subject["product_type_id"] = product_type.pk
        signal = SignalCode.PASS_RATE_DROP_TYPE
    else:
        enterprise = enterprise or EnterpriseFactory(region=Region.objects.get(code=region_code))
        subject = {"subject_type": SubjectType.ENTERPRISE, "subject_key": str(enterprise.pk)}
        subject["enterprise_id"] = enterprise.pk
        signal = SignalCode.REPEAT_FAILURE
    finding = Finding(
        signal=signal, subject_name="测试对象", region_code=region_code, level=WarningLevel.WARNING,
        figures={"batches": 40, "failures": 2}, summary="测试预警", **subject,
    )  # fmt: skip
    warning, _created = services.warning_record(finding=finding, period=Period.parse(period))
    leader = UserFactory(username=f"lead{warning.pk}", role=Role.LEADER, jurisdiction_id=region_code)
    if state in (WarningState.ASSESSED, WarningState.HANDLED):
        services.warning_assess(user=leader, warning=warning, assessment="属实")
    if state == WarningState.HANDLED:
        services.warning_handle(user=leader, warning=warning, reason="已约谈")
    if state == WarningState.DISMISSED:
        services.warning_dismiss(user=leader, warning=warning, reason="数据录入错误")
    warning.refresh_from_db()
    return warning


ACTIONS = {
    WarningState.ASSESSED: lambda user, w: services.warning_assess(user=user, warning=w, assessment="研判意见"),
    WarningState.HANDLED: lambda user, w: services.warning_handle(user=user, warning=w, reason="已处置"),
    WarningState.DISMISSED: lambda user, w: services.warning_dismiss(user=user, warning=w, reason="误报"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("source,target", sorted((s, t) for s, t in WARNING_FLOW.all_pairs() if t != WarningState.NEW))
def test_transition_table(regions, provincial_leader, source, target):
    warning = make_warning(state=source)
    if WARNING_FLOW.allowed(source, target):
        result = ACTIONS[target](provincial_leader, warning)
        assert result.state == target
        warning.refresh_from_db()
        assert warning.state == target
    else:
        with pytest.raises(TransitionRefused):
            ACTIONS[target](provincial_leader, warning)
        warning.refresh_from_db()
        assert warning.state == source


@pytest.mark.django_db
def test_who_and_why_are_recorded(regions, county_inspector, provincial_leader):
    warning = make_warning()
    services.warning_assess(user=county_inspector, warning=warning, assessment="企业整改不到位")
    with pytest.raises(PermissionDenied, match="负责人"):
        services.warning_handle(user=county_inspector, warning=warning, reason="已约谈")
    with pytest.raises(DomainError, match="处置或排除理由：不能为空"):
        services.warning_handle(user=provincial_leader, warning=warning, reason="  ")
    services.warning_handle(user=provincial_leader, warning=warning, reason="已约谈法定代表人")
    warning.refresh_from_db()
    assert (warning.assessed_by, warning.assessment) == (county_inspector, "企业整改不到位")
    assert (warning.closed_by, warning.close_reason, warning.state) == (
        provincial_leader,
        "已约谈法定代表人",
        "handled",
    )
    # The audit trail holds the two human steps (the evaluator's raising is in raised_at and the hits).
    events = EarlyWarning.pgh_event_model.objects.filter(pgh_obj=warning).order_by("pgh_id")
    assert list(events.values_list("state", flat=True)) == ["assessed", "handled"]


@pytest.mark.django_db
def test_the_neighbouring_county_may_not_act(regions, neighbour_inspector):
    warning = make_warning(region_code="430102")
    with pytest.raises(PermissionDenied, match="管辖范围"):
        services.warning_assess(user=neighbour_inspector, warning=warning, assessment="看看")
    warning.refresh_from_db()
    assert warning.state == WarningState.NEW


@pytest.mark.django_db
def test_closed_warning_is_not_raised_again_for_the_same_period(regions):
    warning = make_warning(state=WarningState.DISMISSED)
    finding = Finding(
        signal=warning.signal, subject_type=warning.subject_type, subject_key=warning.subject_key, subject_name="x",
        region_code="430102", level=WarningLevel.WARNING, figures={}, summary="再次",
        enterprise_id=warning.enterprise_id,
    )  # fmt: skip
    assert services.warning_record(finding=finding, period=Period.parse("2017")) == (None, False)
    again, created = services.warning_record(finding=finding, period=Period.parse("2018"))
    assert created and again.pk != warning.pk and EarlyWarning.objects.count() == 2


@pytest.mark.django_db
def test_one_open_warning_per_signal_and_subject_in_the_database(regions):
    from django.db import IntegrityError, transaction

    warning = make_warning()
    with pytest.raises(IntegrityError), transaction.atomic():
        EarlyWarning.objects.create(
            signal=warning.signal, subject_type=warning.subject_type, subject_key=warning.subject_key,
            subject_name="重复", region_id="430102", level="warning", period="2018", first_period="2018",
            summary="重复",
        )  # fmt: skip


@pytest.mark.django_db
def test_product_type_warning_becomes_next_rounds_draft_task(regions, provincial_leader, county_inspector):
    kettle = ProductTypeFactory(name="电热水壶")
    warning = make_warning(region_code="430000", product_type=kettle)
    with pytest.raises(PermissionDenied):
        services.warning_to_task(user=county_inspector, warning=warning)  # 430000 is not the county's
    task = services.warning_to_task(user=provincial_leader, warning=warning)
    assert task.status == TaskStatus.PLANNED and task.level == "province" and task.region_id == "430000"
    assert list(task.product_types.all()) == [kettle] and task.target_batches == 40
    assert task.year >= 2018 and task.code == f"YJ-{task.year}-{warning.pk:05d}"
    warning.refresh_from_db()
    assert warning.sampling_task == task and warning.state == WarningState.HANDLED
    assert warning.closed_by == provincial_leader and task.code in warning.close_reason
    with pytest.raises(DomainError):
        services.warning_to_task(user=provincial_leader, warning=warning)
    assert SamplingTask.objects.filter(code__startswith="YJ-").count() == 1


@pytest.mark.django_db
def test_enterprise_warning_raises_the_draw_weight_until_closed(regions, provincial_leader):
    enterprise = EnterpriseFactory()
    quiet = EnterpriseFactory()
    warning = make_warning(enterprise=enterprise)
    assert core_services.draw_weight_multipliers([enterprise.pk, quiet.pk]) == {enterprise.pk: 2.0}
    raised = EnterpriseFact.objects.get(kind="credit.warning_raised", enterprise=enterprise)
    assert raised.data["signal"] == SignalCode.REPEAT_FAILURE

    services.signal_settings_update(
        user=None, code=SignalCode.REPEAT_FAILURE, enabled=True, parameters={"draw_multiplier": 3.0}
    )
    assert core_services.draw_weight_multipliers([enterprise.pk]) == {enterprise.pk: 3.0}

    services.warning_dismiss(user=provincial_leader, warning=warning, reason="误报")
    assert core_services.draw_weight_multipliers([enterprise.pk]) == {}
    closed = EnterpriseFact.objects.get(kind="credit.warning_closed", enterprise=enterprise)
    assert closed.ends == raised


@pytest.mark.django_db
def test_signal_settings_are_checked(regions, provincial_admin, county_inspector):
    with pytest.raises(DomainError, match="显著性水平（关注）：不能大于"):
        services.signal_settings_update(
            user=provincial_admin, code=SignalCode.PASS_RATE_DROP_TYPE, enabled=True, parameters={"alpha": 0.5}
        )
    with pytest.raises(DomainError, match="本期最少批次"):
        services.signal_settings_update(
            user=provincial_admin, code=SignalCode.PASS_RATE_DROP_TYPE, enabled=True, parameters={"min_batches": "x"}
        )
    with pytest.raises(PermissionDenied):
        services.signal_settings_update(
            user=county_inspector, code=SignalCode.PASS_RATE_DROP_TYPE, enabled=False, parameters={}
        )
    setting = services.signal_settings_update(
        user=provincial_admin, code=SignalCode.PASS_RATE_DROP_TYPE, enabled=True, parameters={"min_batches": 50}
    )
    assert setting.parameters["min_batches"] == 50 and setting.parameters["alpha"] == 0.01
    assert services.signal_settings()[SignalCode.PASS_RATE_DROP_TYPE] == (True, setting.parameters)


@pytest.mark.django_db
def test_warning_counts_by_level(regions):
    make_warning(region_code="430102")
    make_warning(region_code="430103")
    make_warning(region_code="440305")
    assert warning_counts_by_level("430100", "2017") == {"attention": 0, "warning": 2, "severe": 0, "total": 2}
    assert warning_counts_by_level(regions["430000"], "2016")["total"] == 0
    assert warning_counts_by_level(None)["total"] == 3


@pytest.mark.django_db
def test_daily_task_evaluates_the_running_year(regions):
    from django.utils import timezone

    from credit.warnings.tasks import evaluate_warnings_daily

    enterprise = EnterpriseFactory()
    today = timezone.localdate()
    for _ in range(2):
        fact(enterprise, "sampling.verdict_failed", today - dt.timedelta(days=0))
    assert evaluate_warnings_daily.delay().get() >= 1
    warning = EarlyWarning.objects.get(signal=SignalCode.REPEAT_FAILURE, enterprise=enterprise)
    assert warning.period == str(today.year)
    evaluate(period=Period.parse(str(today.year)), end=today)
    assert EarlyWarning.objects.filter(signal=SignalCode.REPEAT_FAILURE).count() == 1
