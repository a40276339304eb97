"""Recall services: filing and its due dates, re-filing with versions, progress to the completion rate,
the end and summary, late reports, facts, and who may do what."""

import datetime as dt

import pytest

from core import timelimits
from core.errors import DomainError, PermissionDenied
from core.facts import facts_of_source
from core.models import Role
from recalls.models import Category, RecallStatus, ReportKind, VinRange
from recalls.selectors import open_reports_visible_to, recalls_visible_to
from recalls.services import recalls as services
from recalls.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def maker(regions):
    return f.producer()


@pytest.fixture
def maker_user(maker):
    return f.producer_account(maker)


@pytest.fixture
def leader(regions):
    return f.staff(Role.LEADER, "430102")


def test_producer_files_and_notice_is_due_five_workdays_later_across_national_day(maker_user, maker):
    recall = f.filed_recall(maker_user, maker, filed_on=dt.date(2026, 9, 30))
    assert recall.status == RecallStatus.FILED and recall.version == 1 and recall.recall_no.startswith("RC2026")
    due = services.notice_due(recall)
    # 10-01..10-07 are holidays; 10-10 (Saturday) is a make-up working day.
    assert due.due == dt.date(2026, 10, 13)
    assert due.unit == "workday" and "消费品召回管理暂行规定" in due.basis
    assert facts_of_source(recall, kind="recalls.recall_filed").get().data["units"] == 1200
    assert recall.versions.get().plan["brand"] == "美厨"


def test_staff_files_on_behalf_but_not_for_a_producer_outside_the_jurisdiction(regions, maker):
    county = f.staff(Role.CASE_HANDLER, "430102")
    assert f.filed_recall(county, maker).filed_by == county
    neighbour = f.staff(Role.CASE_HANDLER, "430103")
    with pytest.raises(PermissionDenied):
        f.filed_recall(neighbour, maker)


def test_a_producer_files_only_for_itself(regions, maker_user):
    other = f.producer()
    recall = f.filed_recall(maker_user, other)
    assert recall.producer_id == maker_user.enterprise_id


def test_vehicle_recall_needs_vins_matching_the_units(regions, maker_user, maker):
    recall = f.filed_recall(maker_user, maker, category=Category.VEHICLE)
    assert recall.units_affected == 101
    assert VinRange.objects.filter(recall=recall).count() == 2
    with pytest.raises(DomainError, match="VIN 清单：汽车产品召回须列出"):
        f.filed_recall(maker_user, maker, category=Category.VEHICLE, vin_ranges="")
    with pytest.raises(DomainError, match="涉及数量：填写的 5 与 VIN 清单所列的 101 辆不一致"):
        f.filed_recall(maker_user, maker, category=Category.VEHICLE, units_affected=5)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"brand": " "}, "品牌：不能为空"),
        ({"models_list": []}, "型号：至少填写一个型号"),
        ({"remedies": []}, "召回措施：至少选择一项"),
        ({"remedies": ["magic"]}, "召回措施：“magic”不是有效的召回措施"),
        ({"production_to": dt.date(2024, 1, 1)}, "生产截止日期：不能早于生产起始日期"),
        ({"started_on": None}, "召回开始日期：不能为空"),
        ({"hotline": ""}, "咨询电话：不能为空"),
        ({"units_affected": 0}, "涉及数量：必须大于 0"),
    ],
)
def test_a_bad_plan_is_refused_with_the_field_named(maker_user, maker, override, message):
    with pytest.raises(DomainError, match=message):
        f.filed_recall(maker_user, maker, **override)
    assert not recalls_visible_to(maker_user).exists()


def test_refiling_keeps_every_version(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker)
    recall = services.recall_refile(
        user=maker_user,
        recall=recall,
        plan={"units_affected": 1500, "models_list": ["MK-15A", "MK-17B", "MK-19"]},
        reason="扩大召回范围",
        on=dt.date(2026, 3, 20),
    )
    assert recall.version == 2 and recall.units_affected == 1500
    versions = list(recall.versions.order_by("number"))
    assert [v.plan["units_affected"] for v in versions] == [1200, 1500]
    assert versions[1].reason == "扩大召回范围"
    with pytest.raises(DomainError, match="没有变化"):
        services.recall_refile(user=maker_user, recall=recall, plan={}, reason="无变化")


def test_publishing_starts_progress_reports_every_three_months(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker, published_on=dt.date(2026, 3, 4))
    assert recall.status == RecallStatus.IMPLEMENTING
    first = recall.reports.get(kind=ReportKind.PROGRESS, number=1)
    assert first.period_start == dt.date(2026, 3, 4) and first.due_on == dt.date(2026, 6, 4)
    fact = facts_of_source(recall, kind="recalls.notice_published").get()
    assert fact.public_from == dt.date(2026, 3, 4)
    assert timelimits.clock_for(recall, "recalls.notice").state == "stopped"


def test_only_a_leader_of_the_jurisdiction_publishes(maker_user, maker, regions):
    recall = f.filed_recall(maker_user, maker)
    for user in (maker_user, f.staff(Role.INSPECTOR, "430102"), f.staff(Role.LEADER, "430103")):
        with pytest.raises(PermissionDenied):
            services.recall_publish_notice(user=user, recall=recall, on=dt.date(2026, 3, 4))


def test_completion_rate_from_progress_reports_with_unreachable_units(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker)
    services.progress_report_submit(
        user=maker_user,
        recall=recall,
        units_affected=1200,
        units_remedied=300,
        units_unreachable=200,
        unreachable_reasons="用户电话停机",
        on=dt.date(2026, 6, 1),
    )
    recall.refresh_from_db()
    assert recall.units_remedied == 300 and recall.units_unreachable == 200
    assert recall.completion_rate == pytest.approx(300 / 1000)
    assert recall.completion_rate_all == pytest.approx(300 / 1200)
    second = recall.reports.get(kind=ReportKind.PROGRESS, number=2)
    assert second.period_start == dt.date(2026, 6, 4) and second.due_on == dt.date(2026, 9, 4)
    services.progress_report_submit(
        user=maker_user,
        recall=recall,
        units_affected=1200,
        units_remedied=900,
        units_unreachable=100,
        unreachable_reasons="地址不详",
        on=dt.date(2026, 9, 1),
    )
    recall.refresh_from_db()
    assert recall.completion_rate == pytest.approx(900 / 1100)
    with pytest.raises(DomainError, match="无法联系数量：与已完成数量之和不能超过涉及数量 1200"):
        services.progress_report_submit(
            user=maker_user,
            recall=recall,
            units_affected=1200,
            units_remedied=900,
            units_unreachable=301,
            unreachable_reasons="x",
        )
    with pytest.raises(DomainError, match="无法联系的原因"):
        services.progress_report_submit(
            user=maker_user, recall=recall, units_affected=1200, units_remedied=900, units_unreachable=10
        )


def test_overdue_progress_report_is_flagged_once(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker)
    assert services.recalls_flag_late(today=dt.date(2026, 6, 4)) == 0
    assert services.recalls_flag_late(today=dt.date(2026, 6, 5)) == 1
    services.recalls_flag_late(today=dt.date(2026, 6, 6))
    fact = facts_of_source(recall, kind="recalls.report_late").get()
    assert fact.data == {"recall_no": recall.recall_no, "report": "progress", "due_on": "2026-06-04"}
    assert list(open_reports_visible_to(leader, state="overdue")) == list(recall.reports.filter(number=1))
    assert list(open_reports_visible_to(maker_user, state="overdue")) == list(recall.reports.filter(number=1))


def test_unpublished_notice_is_flagged_late(maker_user, maker):
    recall = f.filed_recall(maker_user, maker, filed_on=dt.date(2026, 9, 30))
    assert services.recalls_flag_late(today=dt.date(2026, 10, 13)) == 0
    assert services.recalls_flag_late(today=dt.date(2026, 10, 14)) == 1
    assert facts_of_source(recall, kind="recalls.report_late").get().data["report"] == "notice"


def test_end_summary_and_completion(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker)
    services.progress_report_submit(
        user=maker_user, recall=recall, units_affected=1200, units_remedied=600, on=dt.date(2026, 6, 1)
    )
    recall = services.recall_end(user=maker_user, recall=recall, ended_on=dt.date(2026, 7, 31))
    assert recall.status == RecallStatus.ENDED
    assert not recall.reports.filter(kind=ReportKind.PROGRESS, submitted_on__isnull=True).exists()
    summary = recall.reports.get(kind=ReportKind.SUMMARY)
    assert summary.due_on == dt.date(2026, 8, 21)  # 15 工作日 after 2026-07-31
    recall = services.recall_summary_submit(
        user=maker_user,
        recall=recall,
        summary="召回完成。",
        units_affected=1200,
        units_remedied=1100,
        units_unreachable=50,
        unreachable_reasons="失联",
        on=dt.date(2026, 8, 10),
    )
    assert recall.status == RecallStatus.COMPLETED
    fact = facts_of_source(recall, kind="recalls.recall_completed").get()
    assert fact.data["completion_rate"] == round(1100 / 1150, 4)


def test_producer_sees_only_its_own_recalls(maker_user, maker, leader, regions):
    mine = f.filed_recall(maker_user, maker)
    rival = f.producer()
    rival_user = f.producer_account(rival)
    theirs = f.filed_recall(rival_user, rival)
    assert list(recalls_visible_to(maker_user)) == [mine]
    assert list(recalls_visible_to(rival_user)) == [theirs]
    with pytest.raises(PermissionDenied):
        services.recall_refile(user=maker_user, recall=theirs, plan={"units_affected": 5}, reason="x")
    assert set(recalls_visible_to(leader)) == {mine, theirs}
    assert not recalls_visible_to(f.staff(Role.LEADER, "430103")).exists()


def test_terminate_removes_owed_reports(maker_user, maker, leader):
    recall = f.published_recall(maker_user, leader, maker)
    with pytest.raises(DomainError, match="终止原因"):
        services.recall_terminate(user=leader, recall=recall, reason="")
    recall = services.recall_terminate(user=leader, recall=recall, reason="缺陷经复核不成立", on=dt.date(2026, 4, 1))
    assert recall.status == RecallStatus.TERMINATED and not recall.reports.exists()
