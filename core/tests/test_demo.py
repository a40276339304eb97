"""`load_demo` and `demo_accounts`: Hunan enterprises, one account per role and level, demo sampling data."""

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from stdnum.cn import uscc as stdnum_uscc

import sampling.demo as sampling_demo
from core import demo as core_demo
from core.models import Enterprise, EnterpriseSize, Role, User
from sampling.models import Announcement, FollowUp, ItemResult, Sample, SamplingTask, Verdict
from sampling.models import TestResult as SampleResult

pytestmark = pytest.mark.django_db

LEVELS = {"hn": "430000", "cs": "430100", "fr": "430102"}


def _counts():
    models = [Enterprise, User, SamplingTask, Sample, SampleResult, ItemResult, Announcement, FollowUp]
    return {model.__name__: model.objects.count() for model in models}


def _load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_creates_nothing_new(demo_world):
    first = _load_demo()
    counts = _counts()

    second = _load_demo()

    assert _counts() == counts
    # The other apps' demos add their own producers and accounts (recall producers, enterprise accounts).
    assert Enterprise.objects.filter(uscc__in=core_demo.demo_enterprise_usccs()).count() == 300
    staff = User.objects.exclude(role=Role.ENTERPRISE).count()
    assert staff >= 18 + len(core_demo.demo_roster_specs())  # the role accounts and the inspectors' roster
    # One result per batch of the demo tasks, and a re-test where an objection was decided by one; of the city
    # draw task's three samples in progress, one has a result entered (the other two wait for receipt and test).
    lab = Sample.objects.filter(task__code=sampling_demo.LAB_TASK)
    assert lab.count() == 3 and SampleResult.objects.filter(sample__in=lab).count() == 1
    retests = SampleResult.objects.filter(is_retest=True).count()
    assert counts["TestResult"] == counts["Sample"] - 2 + retests
    tasks = len(sampling_demo.DEMO_TASKS)
    assert counts["SamplingTask"] == tasks + len(sampling_demo.DEMO_DRAW_TASKS)
    assert counts["Sample"] == 12 * tasks + 3
    assert "企业：新增 300 家" in first and f"抽查任务：新增 {tasks} 个" in first
    assert "企业：新增 0 家" in second and "演示账号：新增 0 个" in second and "未新增" in second
    assert "检验工作台：登记抽样单 3 份" in first and "检验工作台：没有可用的演示数据或已存在，未新增" in second


def test_demo_enterprises_are_deterministic_valid_and_spread_over_hunan(demo_world):
    assert core_demo.demo_enterprise_usccs() == core_demo.demo_enterprise_usccs()

    _load_demo()

    enterprises = list(Enterprise.objects.filter(uscc__in=core_demo.demo_enterprise_usccs()).select_related("region"))
    assert len(enterprises) == 300
    assert all(stdnum_uscc.is_valid(e.uscc) for e in Enterprise.objects.all())
    assert all(e.uscc[2:8] == e.region_id and e.region_id.startswith("43") for e in enterprises)
    assert all(e.region.level == "county" for e in enterprises)
    assert len({e.region.parent_id for e in enterprises}) == 14
    sizes = [e.size for e in enterprises]
    assert set(sizes) == set(EnterpriseSize.values)
    assert sizes.count(EnterpriseSize.LARGE) < sizes.count(EnterpriseSize.SMALL) < sizes.count(EnterpriseSize.MICRO)
    assert all(
        e.name.endswith("公司") and e.legal_representative and e.address.startswith("湖南省") for e in enterprises
    )
    # The credit app's demo classifies every enterprise from its facts (the class is credit's, not the registry's).
    assert {e.credit_class for e in enterprises} <= {"A", "B", "C", "D"}


def test_demo_accounts_exist_for_every_role_at_every_level(demo_world):
    _load_demo()

    for prefix, region_code in LEVELS.items():
        for role in [r for r in Role.values if r != Role.ENTERPRISE]:  # enterprise accounts belong to enterprises
            user = User.objects.get(username=core_demo.demo_username(prefix, role))
            assert (user.role, user.jurisdiction_id) == (role, region_code)
            assert user.last_name and user.first_name
            assert user.check_password(core_demo.DEMO_PASSWORD)
            assert (user.institution is not None) == (role == Role.INSTITUTION)
    admin = User.objects.get(username="hn_admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(username="cs_admin").is_superuser
    assert not User.objects.get(username="hn_leader").is_staff


def test_demo_accounts_can_sign_in_with_the_shared_password(demo_world, client):
    _load_demo()

    for username in ["hn_inspector", "cs_leader", "fr_institution", "hn_admin"]:
        response = client.post("/accounts/login/", {"username": username, "password": "Demo@2026"})

        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()
    assert client.post("/accounts/login/", {"username": "hn_leader", "password": "demo2026"}).status_code == 200


def test_demo_password_meets_the_password_rules(demo_world):
    _load_demo()

    validate_password(core_demo.DEMO_PASSWORD, user=User.objects.get(username="fr_inspector"))


def test_demo_samples_have_confirmed_results_and_snapshots(demo_world):
    _load_demo()

    # The demo tasks' batches (the city draw task's samples in progress are tested in test_draw_demo).
    samples = list(
        Sample.objects.exclude(task__code=sampling_demo.LAB_TASK)
        .select_related("enterprise__region", "task")
        .prefetch_related("results", "inspectors")
    )
    assert {s.year for s in samples} == {2023, 2024, 2025, 2026}
    for sample in samples:
        result = next(r for r in sample.results.all() if not r.is_retest)
        objected = sample.objections.exists()  # the demo's objections: pending, refused, re-tested
        assert result.is_confirmed and (objected or result.verdict == sample.final_verdict)
        assert sample.region_id == sample.enterprise.region_id
        assert sample.zone == sample.enterprise.region.zone == "central"
        assert sample.enterprise_size == sample.enterprise.size
        assert sample.year == sample.task.year == sample.sampled_on.year
        assert sample.inspectors.count() == 2
        if sample.task.level == "city":
            assert sample.region_id.startswith("4301")
        failed_items = set(
            ItemResult.objects.filter(result=result, verdict=Verdict.FAIL).values_list("item_name", flat=True)
        )
        assert failed_items == set(result.failed_items)
        assert objected or bool(failed_items) == (sample.final_verdict == Verdict.FAIL)
        assert ItemResult.objects.filter(result=result).count() == sample.product_type.test_items.count()


def test_older_demo_tasks_are_published_and_the_current_one_is_not(demo_world):
    _load_demo()

    published = Sample.objects.filter(is_published=True)
    assert published.exists()
    assert not published.filter(year=2026).exists()
    assert not published.filter(announcement__isnull=True).exists()
    assert set(published.values_list("announcement__status", flat=True)) == {"published"}
    assert Announcement.objects.filter(task__code="HNSJ-2023-01", title__contains="2023年").exists()
    assert not Sample.objects.filter(year__lt=2026, is_published=False).exists()


def test_demo_accounts_command_prints_the_address_and_accounts(demo_world):
    _load_demo()
    out = io.StringIO()

    call_command("demo_accounts", "--port", "8123", stdout=out)

    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "Demo@2026" in text
    for username in ("hn_inspector", "cs_case_handler", "fr_legal_reviewer", "hn_admin"):
        assert username in text
    assert "芙蓉区（430102）" in text and "法制审核人员" in text
    assert "未创建" not in text


def test_load_demo_without_reference_data_explains_what_to_run():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="请先运行 load_reference_data"):
        call_command("load_demo", stdout=io.StringIO())

    assert not Enterprise.objects.exists()


def test_demo_failures_have_their_post_processing(demo_world):
    _load_demo()

    failed = Sample.objects.filter(final_verdict=Verdict.FAIL)
    assert failed.exists()
    # Every failure has its chain, started by a served notice.
    assert set(failed.values_list("followups__step", flat=True)) >= {"notice", "rectification", "reinspection"}
    assert not failed.filter(followups__isnull=True).exists()
    assert not FollowUp.objects.filter(step="notice", done_on__isnull=True, sample__year__lt=2026).exists()
    # A done notice step is a served 不合格通知书 (with its 送达回证 recorded) on the same day.
    for notice in FollowUp.objects.filter(step="notice", done_on__isnull=False).select_related("sample"):
        first = notice.sample.results.get(is_retest=False)
        served = {n.kind: n.served_on for n in first.notices.all()}
        assert served == {"result": notice.done_on, "failure": notice.done_on}
        assert first.verdict_received_on == notice.done_on
    # Past years are worked through; this year's re-inspections are still open, so the due lists are not empty.
    assert not FollowUp.objects.filter(sample__year__lt=2026, step="reinspection", done_on__isnull=True).exists()
    for sample in failed.filter(year=2026):
        assert sample.followups.get(step="reinspection").done_on is None
