"""Validation as users met it (issue 13 item 6): the check character is named, all field errors show at once,
planned batches are at least one, a received date cannot precede the confirmation, a bad query is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from sampling.models import SamplingTask, Verdict
from sampling.services.objections import verdict_received
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample
from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_task

pytestmark = pytest.mark.django_db


def _bad_check_character(uscc: str) -> str:
    last = "0" if uscc[-1] != "0" else "1"
    return uscc[:-1] + last


def test_a_wrong_check_character_and_a_future_date_are_shown_together(login, regions, county_inspector):
    task = make_task(region_code="430100", year=2026)
    enterprise = make_enterprise("430102", name="芙蓉电器有限公司")
    inspectors = [county_inspector, make_inspectors(1, "430102")[0]]
    client = login(county_inspector)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("sampling:sample_create"),
        {
            "task": task.pk,
            "sample_no": "CY-1",
            "enterprise_uscc": _bad_check_character(enterprise.uscc),
            "product_type": task.product_types.first().pk,
            "stage": "circulation",
            "sampled_on": tomorrow.isoformat(),
            "inspectors": [u.pk for u in inspectors],
        },
    )
    page = response.content.decode()
    assert "校验码错误" in page
    assert "未找到" not in page
    assert "抽样日期：不能晚于今天。" in page


def test_planned_batches_of_zero_are_refused_by_the_form_and_the_database(login, county_inspector):
    from core.tests.factories import ProductTypeFactory

    client = login(county_inspector)
    data = {
        "code": "FR-0",
        "name": "芙蓉区抽查",
        "level": "county",
        "year": 2026,
        "product_types": [ProductTypeFactory().pk],
        "target_batches": 0,
    }
    response = client.post(reverse("sampling:task_create"), data)
    assert "计划批次数：至少为 1 批次。" in response.content.decode()
    assert not SamplingTask.objects.filter(code="FR-0").exists()
    task = make_task(region_code="430102", year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        SamplingTask.objects.filter(pk=task.pk).update(target_batches=0)


def test_a_received_date_before_the_confirmation_is_refused(county_inspector):
    sample = make_sample()
    result = result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-1",
        institution=sample.task.institution,
        tested_on=timezone.localdate() - dt.timedelta(days=10),
        items=item_rows(sample, [Verdict.PASS, Verdict.FAIL, Verdict.PASS]),
    )
    result = result_confirm(user=county_inspector, result=result)
    with pytest.raises(DomainError, match="不能早于检验结论确认日期"):
        verdict_received(user=county_inspector, result=result, received_on=timezone.localdate() - dt.timedelta(days=2))


@pytest.mark.parametrize(
    ("params", "message"),
    [({"year": "abc"}, "年度（year）"), ({"year": "1899"}, "年度（year）"), ({"region": "43x"}, "地区代码（region）")],
)
def test_a_bad_public_query_is_named_on_the_page_and_by_the_api(client, params, message):
    page = client.get(reverse("public:result_search"), params)
    assert page.status_code == 400
    assert message in page.content.decode()
    again = client.get(reverse("public:result_search"), params)  # a bad search is never kept as a good one
    assert again.status_code == 400 and message in again.content.decode()
    api = client.get("/api/v1/public/results/", params)
    assert api.status_code == 400
    assert message in api.content.decode()
