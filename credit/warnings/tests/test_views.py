"""Warning pages, the home page, the API and the command: what each user sees, scoped to the jurisdiction."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.tests.factories import ProductTypeFactory
from credit.models_warnings import EarlyWarning, SignalCode, WarningState
from credit.warnings.tests.data import planted_drop
from credit.warnings.tests.test_services import make_warning


@pytest.mark.django_db
def test_a_county_user_sees_only_its_warnings(regions, login, county_inspector, neighbour_inspector):
    mine = make_warning(region_code="430102")
    theirs = make_warning(region_code="430103")
    province = make_warning(region_code="430000", product_type=ProductTypeFactory(name="电热水壶"))

    client = login(county_inspector)
    page = client.get(reverse("warnings:list"))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [mine]
    assert client.get(reverse("warnings:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("warnings:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("warnings:detail", args=[province.pk])).status_code == 404
    api = client.get("/api/v1/warnings/")
    assert api.status_code == 200 and [row["id"] for row in api.json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/warnings/{theirs.pk}/").status_code == 404

    client = login(neighbour_inspector)
    assert [w.pk for w in client.get(reverse("warnings:list")).context["page"].object_list] == [theirs.pk]


@pytest.mark.django_db
def test_roles_without_warnings_are_refused(regions, login, institution_user):
    make_warning()
    client = login(institution_user)
    assert client.get(reverse("warnings:list")).status_code == 403
    assert client.get("/api/v1/warnings/").status_code == 403


@pytest.mark.django_db
def test_list_filters_and_query_count(regions, login, provincial_leader, django_assert_max_num_queries):
    for code in ("430102", "430103", "430202", "440305"):
        make_warning(region_code=code)
    dismissed = make_warning(region_code="430102", state=WarningState.DISMISSED)
    client = login(provincial_leader)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("warnings:list"))
    assert len(page.context["page"].object_list) == 3  # open ones of Hunan
    assert "企业反复不合格" in page.content.decode() and "<svg" in page.content.decode()
    page = client.get(reverse("warnings:list"), {"state": "dismissed"})
    assert [w.pk for w in page.context["page"].object_list] == [dismissed.pk]
    page = client.get(reverse("warnings:list"), {"region": "430200", "state": ""})
    assert {w.region_id for w in page.context["page"].object_list} == {"430202"}
    page = client.get(reverse("warnings:list"), {"signal": SignalCode.COMPLAINT_CLUSTER})
    assert list(page.context["page"].object_list) == []


@pytest.mark.django_db
def test_detail_shows_figures_evidence_and_actions(regions, login, provincial_leader, county_inspector):
    data = planted_drop()
    call_command("warnings_run", "--period", "2017", stdout=StringIO())
    warning = EarlyWarning.objects.get(signal=SignalCode.PASS_RATE_DROP_TYPE)
    client = login(provincial_leader)
    page = client.get(reverse("warnings:detail", args=[warning.pk]))
    text = page.content.decode()
    assert "单侧两比例 z 检验" in text and "75.00%" in text and "95.00%" in text
    first_sample = warning.evidence[0]
    assert reverse("sampling:sample_detail", args=[first_sample["id"]]) in text
    assert "列入下一轮抽查任务" in text and "研判" in text

    response = client.post(reverse("warnings:task", args=[warning.pk]))
    warning.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse(
        "sampling:task_detail", args=[warning.sampling_task_id]
    )
    assert list(warning.sampling_task.product_types.all()) == [data["types"]["A"]]
    assert warning.state == WarningState.HANDLED


@pytest.mark.django_db
def test_assess_through_the_page_and_an_empty_reason(regions, login, county_inspector):
    warning = make_warning(region_code="430102")
    client = login(county_inspector)
    response = client.post(reverse("warnings:assess", args=[warning.pk]), {"text": ""}, follow=True)
    assert "意见或理由：不能为空" in response.content.decode()
    client.post(reverse("warnings:assess", args=[warning.pk]), {"text": "需要复查"})
    warning.refresh_from_db()
    assert warning.state == WarningState.ASSESSED and warning.assessed_by == county_inspector
    # Handling is for leaders: no button, and the service refuses a forged post.
    page = client.get(reverse("warnings:detail", args=[warning.pk]))
    assert reverse("warnings:handle", args=[warning.pk]) not in page.content.decode()
    assert client.post(reverse("warnings:handle", args=[warning.pk]), {"text": "x"}).status_code == 403


@pytest.mark.django_db
def test_api_actions(regions, login, provincial_leader):
    warning = make_warning(region_code="430102")
    client = login(provincial_leader)
    assert client.post(f"/api/v1/warnings/{warning.pk}/handle/", {"text": "x"}).status_code == 400  # not assessed yet
    response = client.post(f"/api/v1/warnings/{warning.pk}/assess/", {"text": "属实"})
    assert response.status_code == 200 and response.json()["state"] == "assessed"
    response = client.post(f"/api/v1/warnings/{warning.pk}/handle/", {"text": "已约谈"})
    assert response.json()["state"] == "handled" and response.json()["close_reason"] == "已约谈"
    listed = client.get("/api/v1/warnings/", {"state": "handled"}).json()["results"]
    assert [row["id"] for row in listed] == [warning.pk] and listed[0]["figures"]["batches"] == 40


@pytest.mark.django_db
def test_home_page_shows_warnings_to_leaders_and_inspectors(regions, login, provincial_leader, county_inspector):
    make_warning(region_code="430102")
    for user in (provincial_leader, county_inspector):
        text = login(user).get(reverse("home")).content.decode()
        assert "企业反复不合格" in text and "风险预警" in text


@pytest.mark.django_db
def test_warnings_run_json(regions):
    planted_drop()
    out = StringIO()
    call_command("warnings_run", "--period", "2017", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    kettle = [r for r in rows if r["signal"] == SignalCode.PASS_RATE_DROP_TYPE]
    assert len(kettle) == 1
    row = kettle[0]
    assert row["subject_name"] == "电热水壶" and row["subject_code"] == "YJA" and row["level"] == "severe"
    assert row["region_code"] == "430000" and row["figures"]["batches"] == 160 and row["created"] is True
    assert any(r["signal"] == SignalCode.PASS_RATE_DROP_REGION and r["subject_code"] == "430202" for r in rows)
    out = StringIO()
    call_command("warnings_run", "--period", "2017", "--json", stdout=out)
    assert all(r["created"] is False for r in json.loads(out.getvalue()))


@pytest.mark.django_db
def test_admin_tunes_a_signal(regions, login, provincial_admin):
    from credit.models_warnings import WarningSignal
    from credit.warnings.services import ensure_signal_settings

    provincial_admin.is_staff = provincial_admin.is_superuser = True
    provincial_admin.save()
    client = login(provincial_admin)
    assert client.get(reverse("admin:credit_warningsignal_changelist")).status_code == 200
    assert WarningSignal.objects.count() == len(SignalCode.values)  # created from the declarations
    ensure_signal_settings()
    setting = WarningSignal.objects.get(code=SignalCode.PASS_RATE_DROP_TYPE)
    url = reverse("admin:credit_warningsignal_change", args=[setting.pk])
    page = client.get(url)
    assert page.status_code == 200 and "本期最少批次" in page.content.decode()
    form = {f"param_{k}": v for k, v in setting.parameters.items()}
    form.update({"enabled": "on", "param_min_batches": "45"})
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    setting.refresh_from_db()
    assert setting.parameters["min_batches"] == 45 and setting.updated_by == provincial_admin
    form["param_alpha"] = "0.9"
    assert client.post(url, form).status_code == 200  # the form again, with the bound named
    setting.refresh_from_db()
    assert setting.parameters["alpha"] == 0.01


def test_a_follow_up_in_the_evidence_links_to_its_sample_which_every_staff_role_may_open(regions, county_inspector):
    from credit.warnings.evidence import evidence_rows
    from sampling.models import Verdict
    from sampling.tests.test_notices import _confirmed

    result = _confirmed(county_inspector, [Verdict.PASS, Verdict.FAIL, Verdict.PASS])
    followup = result.sample.followups.first()
    warning = make_warning()
    warning.evidence = [
        {"fact_kind": "sampling.rectification_overdue", "source_type": "sampling.followup",
         "source_id": followup.pk, "label": result.sample.sample_no, "on": "2026-12-03"},
    ]  # fmt: skip
    (row,) = evidence_rows(warning)
    # Not the step's own page (only those who handle follow-ups may open it; a legal reviewer was sent to a 403).
    assert row["url"] == reverse("sampling:sample_detail", args=[result.sample.pk])
