"""Defect reports to investigations: triage, clusters, conclusion and objection within 15 工作日, the final
conclusion, a concealed defect, an ordered recall and its refusal."""

import datetime as dt

import pytest

from core.errors import DomainError, PermissionDenied
from core.facts import facts_of_source
from core.models import Region, Role
from recalls.models import Category, Conclusion, DefectReportStatus, InvestigationStatus, RecallKind, RecallStatus
from recalls.selectors import clusters
from recalls.services import defect_reports, investigations
from recalls.services import recalls as recall_services
from recalls.tests import factories as f

pytestmark = pytest.mark.django_db


def _report(region="430102", **extra):
    fields = {
        "category": Category.CONSUMER,
        "product": "电热水壶",
        "brand": "美厨",
        "model": "MK-15A",
        "description": "使用中壶底冒烟并有焦糊味。",
        "region": Region.objects.get(code=region),
        "reporter_name": "李四",
        "reporter_phone": "13800138000",
    }
    fields.update(extra)
    return defect_reports.defect_report_submit(**fields)


def test_reports_group_into_a_cluster(regions):
    leader = f.staff(Role.LEADER, "430100")
    today = dt.date.today()
    for model in ("MK-15A", "mk 15a", "MK15A"):
        _report(model=model, today=today)
    _report(model="OTHER-1", today=today)
    found = clusters(leader)
    assert len(found) == 1 and found[0]["reports"] == 3 and found[0]["group_key"] == "美厨|MK15A"
    assert clusters(f.staff(Role.LEADER, "430103")) == []


def test_triage_names_the_producer_and_records_the_fact(regions):
    maker = f.producer()
    report = _report()
    handler = f.staff(Role.CASE_HANDLER, "430102")
    with pytest.raises(PermissionDenied):
        defect_reports.defect_report_triage(user=f.staff(Role.CASE_HANDLER, "430103"), report=report, status="accepted")
    with pytest.raises(DomainError, match="分拣意见：不予处理时请说明理由"):
        defect_reports.defect_report_triage(user=handler, report=report, status=DefectReportStatus.DISMISSED)
    report = defect_reports.defect_report_triage(
        user=handler, report=report, status=DefectReportStatus.ACCEPTED, producer=maker
    )
    assert facts_of_source(report, kind="recalls.defect_report_received").get().enterprise == maker


def test_investigation_objection_window_and_final_conclusion(regions):
    maker = f.producer()
    account = f.producer_account(maker)
    handler, leader = f.staff(Role.CASE_HANDLER, "430102"), f.staff(Role.LEADER, "430102")
    report = _report()
    inv = investigations.investigation_open(
        user=handler,
        producer=maker,
        category=Category.CONSUMER,
        product="电热水壶",
        brand="美厨",
        models_text="MK-15A",
        reports=[report],
        opened_on=dt.date(2026, 9, 1),
    )
    report.refresh_from_db()
    assert report.status == DefectReportStatus.INVESTIGATING
    with pytest.raises(PermissionDenied):
        investigations.investigation_conclude(
            user=handler,
            investigation=inv,
            conclusion=Conclusion.DEFECT,
            findings="x",
            notified_on=dt.date(2026, 9, 20),
        )
    inv = investigations.investigation_conclude(
        user=leader,
        investigation=inv,
        conclusion=Conclusion.DEFECT,
        findings="温控器在干烧时不断电。",
        tests="委托检验：干烧试验 3 台均失效",
        notified_on=dt.date(2026, 9, 21),
        concealed=True,
    )
    # 15 工作日 from 2026-09-21 across the National Day holiday (10-10 is a working day).
    assert investigations.objection_due(inv).due == dt.date(2026, 10, 19)
    with pytest.raises(DomainError, match="异议期限至 2026-10-19 届满"):
        investigations.investigation_finalise(user=leader, investigation=inv, on=dt.date(2026, 10, 19))
    with pytest.raises(DomainError, match="异议期限已于 2026-10-19 届满"):
        investigations.investigation_object(user=account, investigation=inv, reasons="不同意", on=dt.date(2026, 10, 20))
    inv = investigations.investigation_object(
        user=account, investigation=inv, reasons="试验条件不符合实际使用", on=dt.date(2026, 10, 9)
    )
    assert inv.status == InvestigationStatus.OBJECTED
    with pytest.raises(DomainError, match="异议复核意见"):
        investigations.investigation_finalise(user=leader, investigation=inv, on=dt.date(2026, 10, 20))
    inv = investigations.investigation_finalise(
        user=leader, investigation=inv, reply="维持原结论", on=dt.date(2026, 10, 20)
    )
    assert inv.status == InvestigationStatus.FINAL
    assert facts_of_source(inv, kind="recalls.defect_concealed").exists()

    recall = recall_services.recall_order(user=leader, investigation=inv, on=dt.date(2026, 10, 21))
    assert recall.kind == RecallKind.ORDERED and recall.status == RecallStatus.ORDERED
    assert recall_services.plan_due(recall).due == dt.date(2026, 10, 28)
    with pytest.raises(PermissionDenied):
        recall_services.recall_order(user=leader, investigation=inv)
    recall_services.recall_record_refusal(user=leader, recall=recall, reason="生产者书面拒绝召回")
    assert facts_of_source(recall, kind="recalls.order_refused").exists()
    recall = recall_services.recall_file_ordered_plan(
        user=account, recall=recall, plan=f.plan(), filed_on=dt.date(2026, 11, 2)
    )
    assert recall.status == RecallStatus.FILED and recall.versions.count() == 1


def test_a_producers_own_report_names_it_and_is_a_fact(regions):
    maker = f.producer()
    account = f.producer_account(maker)
    report = _report(user=account)
    assert report.source == "producer" and report.producer == maker
    assert facts_of_source(report, kind="recalls.defect_report_received").get().data["model"] == "MK-15A"
    public = _report()
    assert public.source == "public" and not facts_of_source(public).exists()
