"""Progress counters stored per task (issue 14): every path that registers, judges, publishes, voids, imports,
loads or deletes samples leaves them equal to a fresh count, and nothing else can change them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q

from core.tests.factories import InstitutionFactory
from sampling.models import CorrectionStatus, Sample, SamplingTask, Verdict
from sampling.services.corrections import correction_approve, result_correction_submit, void_request_submit
from sampling.services.objections import objection_assign_retest, objection_file, verdict_received
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.services.rebuild import recount_task_progress
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import confirmed_on_day, item_rows
from sampling.tests.results_support import make_sample as make_sample_with_items

P, F = Verdict.PASS.value, Verdict.FAIL.value
D = dt.date


def counted(task_ids=None) -> dict[int, tuple[int, int, int, int]]:
    """Every task's progress counted now with the ORM (the semantics of the old grouped count)."""
    live = Q(samples__voided_at__isnull=True)
    tasks = SamplingTask.objects.all() if task_ids is None else SamplingTask.objects.filter(pk__in=task_ids)
    rows = tasks.annotate(
        s=Count("samples", filter=live),
        t=Count("samples", filter=live & ~Q(samples__final_verdict="")),
        f=Count("samples", filter=live & Q(samples__final_verdict="fail")),
        p=Count("samples", filter=live & Q(samples__is_published=True)),
    ).values_list("pk", "s", "t", "f", "p")
    return {pk: (s, t, f, p) for pk, s, t, f, p in rows}


def stored(task_ids=None) -> dict[int, tuple[int, int, int, int]]:
    tasks = SamplingTask.objects.all() if task_ids is None else SamplingTask.objects.filter(pk__in=task_ids)
    rows = tasks.values_list("pk", "sampled_count", "tested_count", "failed_count", "published_count")
    return {pk: tuple(counts) for pk, *counts in rows}


def progress(task) -> tuple[int, int, int, int]:
    return stored([task.pk])[task.pk]


def assert_fresh() -> None:
    """The stored counters equal a fresh count, and the recount finds nothing to correct."""
    assert stored() == counted()
    assert recount_task_progress(dry_run=True) == []


def _confirm(user, sample, verdicts, *, retest=False, institution=None, report_no=None):
    result = result_enter(
        user=user,
        sample=sample,
        report_no=report_no or ("FJ-1" if retest else f"WT-{sample.pk}"),
        institution=institution or sample.task.institution,
        tested_on=D(2026, 9, 20),
        items=item_rows(sample, verdicts),
        retest=retest,
    )
    return result_confirm(user=user, result=result)


# --- the services ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_counts_a_sampled_batch(regions, county_inspector):
    from sampling.services.samples import sample_register
    from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_task

    task = make_task(region_code="430100", year=2026)
    assert progress(task) == (0, 0, 0, 0)
    sample_register(
        user=county_inspector,
        task=task,
        sample_no="CY2026-0001",
        enterprise=make_enterprise("430102"),
        product_type=task.product_types.first(),
        brand="美好",
        model_spec="MH-1520",
        production_batch="20260301",
        stage="production",
        place="成品仓库",
        sampled_on=D(2026, 5, 10),
        quantity="4 台",
        base_price=None,
        inspectors=[county_inspector, make_inspectors(1, "430102")[0]],
    )
    assert progress(task) == (1, 0, 0, 0)
    assert_fresh()


@pytest.mark.django_db
def test_confirmation_objection_retest_correction_publication_and_voiding(regions, county_inspector, provincial_leader):
    # a confirmed failure: tested and failed
    sample = make_sample_with_items()
    task = sample.task
    other = make_sample_with_items()  # another task, to see that only the sample's own task moves
    assert progress(task) == (1, 0, 0, 0)
    result = _confirm(county_inspector, sample, [P, F, P])
    confirmed_on_day(result, D(2026, 9, 25))
    assert progress(task) == (1, 1, 1, 0)
    assert_fresh()

    # an objection reopens the verdict (pending again), a passing re-test by another institution decides it
    verdict_received(user=county_inspector, result=result, received_on=D(2026, 10, 1))
    objection = objection_file(user=county_inspector, sample=sample, filed_on=D(2026, 10, 5), reason="异议")
    assert progress(task) == (1, 0, 0, 0)
    retest_by = InstitutionFactory(name="广东产品质量监督检验研究院")
    objection_assign_retest(user=county_inspector, objection=objection, institution=retest_by)
    _confirm(county_inspector, sample, [P, P, P], retest=True, institution=retest_by)
    assert progress(task) == (1, 1, 0, 0)
    assert_fresh()

    # publication and withdrawal
    announcement = announcement_create(user=provincial_leader, task=task, title="关于电热水壶抽查结果的公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    assert progress(task) == (1, 1, 0, 1)
    announcement_withdraw(user=provincial_leader, announcement=announcement, reason="公告内容有误")
    assert progress(task) == (1, 1, 0, 0)
    assert_fresh()

    # a correction of the other task's confirmed result (修改申请 approved): 不合格 → 合格
    first = _confirm(county_inspector, other, [P, F, P])
    assert progress(other.task) == (1, 1, 1, 0)
    request = result_correction_submit(
        user=county_inspector,
        result=first,
        reason="录入错误",
        changes={"items": [{"item_name": "输入功率和电流", "measured_value": "1800 W", "verdict": P}]},
    )
    correction_approve(user=provincial_leader, request=request)
    request.refresh_from_db()
    assert request.status == CorrectionStatus.APPROVED
    assert progress(other.task) == (1, 1, 0, 0)
    assert_fresh()

    # publishing again, then voiding the published sample (作废): it leaves every counter
    announcement_publish(user=provincial_leader, announcement=announcement)
    assert progress(task) == (1, 1, 0, 1)
    void = void_request_submit(user=county_inspector, sample=sample, reason="样品与受检企业不符")
    correction_approve(user=provincial_leader, request=void)
    assert progress(task) == (0, 0, 0, 0)
    assert progress(other.task) == (1, 1, 0, 0)
    assert_fresh()


@pytest.mark.django_db
def test_the_import_first_and_again_with_a_changed_verdict(regions, tmp_path, county_inspector):
    from sampling.services.importing import import_sampling
    from sampling.tests.data.spreadsheets import make_reference_data, row, write_csv

    ref = make_reference_data(regions)
    rows = [
        row(ref["furong"], "S001"),
        row(ref["furong"], "S002", 检验结论="不合格", 不合格项目="泄漏电流"),
        row(ref["tianxin"], "S003"),
    ]
    import_sampling(file=write_csv(tmp_path / "a.csv", rows))
    assert progress(ref["task"]) == (3, 3, 1, 0)
    assert_fresh()

    # a re-import corrects S001 to 不合格 (an amendment) and leaves the rest alone
    rows[0] = row(ref["furong"], "S001", 检验结论="不合格", 不合格项目="泄漏电流", 检验报告编号="R-2")
    import_sampling(file=write_csv(tmp_path / "b.csv", rows))
    assert progress(ref["task"]) == (3, 3, 2, 0)
    assert_fresh()

    # create_missing: a task the file names is created and counted in the same import
    new_task = {"任务编号": "CS2018-02", "任务名称": "2018年芙蓉区抽查", "抽查级别": "县", "年度": "2018"}
    new_rows = [
        row(ref["furong"], "N001", **new_task),
        row(ref["furong"], "N002", **new_task, 检验结论="不合格", 不合格项目="泄漏电流"),
    ]
    summary = import_sampling(file=write_csv(tmp_path / "c.csv", new_rows), user=county_inspector, create_missing=True)
    assert summary.errors == []
    assert progress(SamplingTask.objects.get(code="CS2018-02")) == (2, 2, 1, 0)
    assert_fresh()


def test_the_demo_loader(demo_world):
    call_command("load_demo", stdout=io.StringIO())

    totals = [sum(c[i] for c in stored().values()) for i in range(4)]
    assert totals[0] == Sample.objects.filter(voided_at__isnull=True).count() > 0
    assert totals[1] > 0 and totals[2] > 0 and totals[3] > 0  # the demo judges, fails and publishes
    assert_fresh()


@pytest.mark.django_db(transaction=True)  # the command truncates, switches triggers off and vacuums
def test_the_bulk_sql_generator_fills_the_counters():
    call_command(
        "generate_scale",
        *["--enterprises", "200", "--batches", "2000", "--cases", "10", "--recalls", "2", "--facts", "100"],
        stdout=io.StringIO(),
    )
    totals = [sum(c[i] for c in stored().values()) for i in range(4)]
    assert totals[0] == 2000
    assert totals[1] == Sample.objects.exclude(final_verdict="").count()
    assert totals[3] == Sample.objects.filter(is_published=True).count() > 0
    assert_fresh()


# --- SQL that bypasses the services, and writes of the counters themselves --------------------------------


@pytest.fixture
def three(regions):
    """A task with a pending, a passed and a failed sample, and a second task with one passed sample."""
    from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

    task, second = make_task(region_code="430102"), make_task(region_code="430102")
    enterprise = make_enterprise("430102")
    for verdict in ["", P, F]:
        make_sample(task, enterprise, final_verdict=verdict)
    make_sample(second, enterprise, final_verdict=P)
    return task, second


@pytest.mark.django_db
def test_bulk_sql_updates_moves_and_deletes_are_counted(three):
    task, second = three
    assert (progress(task), progress(second)) == ((3, 2, 1, 0), (1, 1, 0, 0))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sampling_sample SET is_published = true WHERE task_id = %s AND final_verdict <> ''", [task.pk]
        )
        assert progress(task) == (3, 2, 1, 2)
        cursor.execute("UPDATE sampling_sample SET final_verdict = 'fail' WHERE task_id = %s", [task.pk])
        assert progress(task) == (3, 3, 3, 2)
        # a batch moved to another task leaves one and joins the other
        cursor.execute(
            "UPDATE sampling_sample SET task_id = %s"
            " WHERE id = (SELECT min(id) FROM sampling_sample WHERE task_id = %s)",
            [second.pk, task.pk],
        )
        assert (progress(task), progress(second)) == ((2, 2, 2, 2), (2, 2, 1, 0))
        # an update that changes nothing counted touches no task
        cursor.execute("UPDATE sampling_sample SET brand = 'X'")
        assert_fresh()
        cursor.execute("DELETE FROM sampling_sample WHERE task_id = %s", [second.pk])
        assert progress(second) == (0, 0, 0, 0)
    assert_fresh()


@pytest.mark.django_db
def test_a_stale_task_save_or_a_direct_write_cannot_change_the_counters(three):
    task, _second = three
    stale = SamplingTask.objects.get(pk=task.pk)
    from sampling.tests.tasks_data import make_enterprise, make_sample

    make_sample(task, make_enterprise("430102"), final_verdict=F)  # registered after the task was read
    stale.name = "改名后的任务"
    stale.save()  # the stale instance carries the old counts
    assert progress(task) == (4, 3, 2, 0)
    SamplingTask.objects.filter(pk=task.pk).update(sampled_count=99, failed_count=0)
    assert progress(task) == (4, 3, 2, 0)
    created = SamplingTask.objects.create(
        code="T-NEW", name="新任务", level="county", year=2026, region_id="430102", sampled_count=5
    )
    assert progress(created) == (0, 0, 0, 0)
    assert_fresh()


@pytest.mark.django_db
def test_inconsistent_counters_are_refused(three):
    task, _second = three
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('sampling.task_progress_recount', 'on', true)")
        cursor.execute("UPDATE sampling_samplingtask SET failed_count = tested_count + 1 WHERE id = %s", [task.pk])
    assert_fresh()


@pytest.mark.django_db
def test_the_recount_reports_and_corrects_drift(three):
    task, second = three
    # drift made on purpose: the sample triggers switched off for one write (as a bulk load does)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks: the table can be altered
        cursor.execute("ALTER TABLE sampling_sample DISABLE TRIGGER USER")
        cursor.execute("UPDATE sampling_sample SET is_published = true WHERE task_id = %s", [second.pk])
        cursor.execute("DELETE FROM sampling_sample WHERE task_id = %s AND final_verdict = ''", [task.pk])
        cursor.execute("ALTER TABLE sampling_sample ENABLE TRIGGER USER")
    assert stored() != counted()

    out = io.StringIO()
    call_command("recount_task_progress", "--dry-run", stdout=out)
    assert task.code in out.getvalue() and "3/2/1/0 → 2/2/1/0" in out.getvalue()
    assert stored() != counted()  # a dry run writes nothing

    drifts = recount_task_progress()
    assert {(d.code, d.stored, d.counted) for d in drifts} == {
        (task.code, (3, 2, 1, 0), (2, 2, 1, 0)),
        (second.code, (1, 1, 0, 0), (1, 1, 0, 1)),
    }
    assert_fresh()
    out = io.StringIO()
    call_command("recount_task_progress", stdout=out)
    assert "一致" in out.getvalue()


@pytest.mark.django_db
def test_truncating_the_samples_zeroes_the_counters(three):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE sampling_sample CASCADE")
    assert set(stored().values()) == {(0, 0, 0, 0)}
    assert_fresh()


@pytest.mark.django_db
def test_a_change_of_the_counters_alone_records_no_task_history(three):
    from django.apps import apps

    task, _second = three
    events = apps.get_model("sampling", "SamplingTaskEvent").objects.filter(pgh_obj_id=task.pk)
    before = events.count()
    from sampling.tests.tasks_data import make_enterprise, make_sample

    make_sample(task, make_enterprise("430102"), final_verdict=F)
    assert events.count() == before
