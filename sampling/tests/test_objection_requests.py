"""Online objection requests: an enterprise objects on the public portal, staff of the jurisdiction register it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.home import due_items_for
from core.timelimits import due_for
from sampling.models import ObjectionRequest, ObjectionRequestStatus, ObjectionStatus, Verdict
from sampling.services.objection_requests import (
    OBJECTION_REQUEST_FLOW,
    RequestInvalid,
    objection_request_register,
    objection_request_reject,
    objection_request_submit,
)
from sampling.services.objections import verdict_received
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import confirmed_days_ago, item_rows, make_sample

P, F = Verdict.PASS.value, Verdict.FAIL.value


def _confirmed(user, sample, verdicts):
    today = timezone.localdate()
    result = result_enter(
        user=user,
        sample=sample,
        report_no="WT-9",
        institution=sample.task.institution,
        tested_on=today - dt.timedelta(days=10),
        items=item_rows(sample, verdicts),
    )
    return result_confirm(user=user, result=result)


@pytest.fixture
def failed(county_inspector):
    """A 芙蓉区 sample with a confirmed 不合格 result the enterprise received three days ago."""
    sample = make_sample()
    result = _confirmed(county_inspector, sample, [P, F, P])
    confirmed_days_ago(result, 5)
    verdict_received(user=county_inspector, result=result, received_on=timezone.localdate() - dt.timedelta(days=3))
    return sample


def _form(sample, **changes):
    data = {
        "sample_no": sample.sample_no,
        "uscc": sample.enterprise.uscc,
        "enterprise_name": sample.enterprise.name,
        "contact_name": "王经理",
        "contact_phone": "0731-88888888",
        "verdict_received_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "reason": "泄漏电流检测时样品已受潮，申请复检。",
    }
    data.update(changes)
    return data


def _submit(sample, **changes):
    data = _form(sample, **changes)
    data["verdict_received_on"] = (
        dt.date.fromisoformat(data["verdict_received_on"]) if data["verdict_received_on"] else None
    )
    return objection_request_submit(**data)


# --- the public form ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_enterprise_submits_an_objection_online_and_gets_a_reference(client, failed):
    # when the enterprise fills the public form without signing in
    page = client.get(reverse("public:objection_request_new"))
    assert page.status_code == 200
    assert "产品质量法" in page.content.decode()
    response = client.post(reverse("public:objection_request_new"), _form(failed))

    # then it lands on its receipt with a reference number, and a pending request exists
    request = ObjectionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:objection_request_done", args=[request.reference])
    receipt = client.get(response["Location"]).content.decode()
    assert request.reference in receipt and "待登记" in receipt
    assert request.status == ObjectionRequestStatus.PENDING
    assert request.reference.startswith("YY") and request.sample == failed
    # and no objection is registered until staff do it
    assert not failed.objections.exists()


@pytest.mark.django_db
def test_every_bad_field_is_reported_at_once_in_chinese(client, failed):
    bad_uscc = failed.enterprise.uscc[:17] + ("0" if failed.enterprise.uscc[17] != "0" else "1")
    response = client.post(
        reverse("public:objection_request_new"),
        _form(failed, uscc=bad_uscc, contact_phone="", reason="", verdict_received_on="2999-01-01"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码：" in html and "校验" in html
    assert "联系电话：不能为空。" in html
    assert "异议理由：不能为空。" in html
    assert "收到检验结论日期：不能晚于今天。" in html
    assert not ObjectionRequest.objects.exists()


@pytest.mark.django_db
def test_a_sample_number_of_another_enterprise_is_refused_without_revealing_it(client, failed):
    from core.tests.factories import EnterpriseFactory

    other = EnterpriseFactory()
    response = client.post(reverse("public:objection_request_new"), _form(failed, uscc=other.uscc))
    assert "未找到与该统一社会信用代码对应的抽样单" in response.content.decode()
    assert failed.enterprise.name not in response.content.decode().split("<form")[0]
    assert not ObjectionRequest.objects.exists()


@pytest.mark.django_db
def test_a_passed_sample_cannot_be_objected_to(county_inspector):
    sample = make_sample()
    _confirmed(county_inspector, sample, [P, P, P])
    with pytest.raises(RequestInvalid) as refused:
        _submit(sample)
    assert "没有已确认的不合格结论" in refused.value.errors["sample_no"]


@pytest.mark.django_db
def test_a_second_pending_request_for_the_same_sample_is_refused(failed):
    first = _submit(failed)
    with pytest.raises(RequestInvalid) as refused:
        _submit(failed)
    assert first.reference in refused.value.errors["sample_no"]
    assert ObjectionRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_receipt_is_only_shown_to_the_browser_that_submitted(client, failed):
    request = _submit(failed)
    response = client.get(reverse("public:objection_request_done", args=[request.reference]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:objection_request_new")


# --- staff: register or refuse ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_register_the_request_as_the_samples_objection(failed, county_inspector):
    request = _submit(failed)
    registered = objection_request_register(user=county_inspector, request=request)
    objection = failed.objections.get()
    assert registered.status == ObjectionRequestStatus.REGISTERED
    assert registered.objection == objection and registered.handled_by == county_inspector
    assert objection.status == ObjectionStatus.FILED
    assert objection.filed_on == timezone.localdate()
    assert request.reference in objection.reason and "样品已受潮" in objection.reason


@pytest.mark.django_db
def test_an_inspector_of_the_neighbouring_county_may_not_register(failed, neighbour_inspector):
    request = _submit(failed)
    with pytest.raises(PermissionDenied):
        objection_request_register(user=neighbour_inspector, request=request)
    request.refresh_from_db()
    assert request.status == ObjectionRequestStatus.PENDING and not failed.objections.exists()


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_is_final(failed, county_inspector):
    request = _submit(failed)
    with pytest.raises(DomainError, match="不予登记理由：不能为空"):
        objection_request_reject(user=county_inspector, request=request, note=" ")
    rejected = objection_request_reject(user=county_inspector, request=request, note="非本企业产品")
    assert rejected.status == ObjectionRequestStatus.REJECTED and rejected.handling_note == "非本企业产品"
    with pytest.raises(DomainError, match="不能变更为"):
        objection_request_register(user=county_inspector, request=rejected)
    assert not failed.objections.exists()


@pytest.mark.parametrize("source", ObjectionRequestStatus.values)
@pytest.mark.parametrize("target", ObjectionRequestStatus.values)
def test_the_transition_table(source, target):
    allowed = {("pending", "registered"), ("pending", "rejected")}
    assert OBJECTION_REQUEST_FLOW.allowed(source, target) == ((source, target) in allowed)


@pytest.mark.django_db
def test_staff_see_pending_requests_on_their_home_page_with_the_objection_deadline(client, failed, county_inspector):
    request = _submit(failed)
    items = [item for item in due_items_for(county_inspector) if request.reference in item.title]
    assert len(items) == 1
    # the objection window (15 日) from the day the enterprise says it received the verdict (three days ago)
    assert items[0].due_on == due_for("sampling.objection", request.verdict_received_on).due
    assert items[0].due_on >= timezone.localdate() + dt.timedelta(days=12)
    assert items[0].url == reverse("sampling:objection_request_detail", args=[request.pk])
    client.force_login(county_inspector)
    assert request.reference in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_neighbouring_county_sees_neither_the_queue_entry_nor_the_page(client, failed, neighbour_inspector):
    request = _submit(failed)
    assert not [i for i in due_items_for(neighbour_inspector) if request.reference in i.title]
    client.force_login(neighbour_inspector)
    assert client.get(reverse("sampling:objection_request_detail", args=[request.pk])).status_code == 404
    assert request.reference not in client.get(reverse("sampling:objection_request_list")).content.decode()


@pytest.mark.django_db
def test_the_staff_pages_register_a_request(client, failed, county_inspector):
    request = _submit(failed)
    client.force_login(county_inspector)
    listing = client.get(reverse("sampling:objection_request_list")).content.decode()
    assert request.reference in listing and failed.enterprise.name in listing
    detail = client.get(reverse("sampling:objection_request_detail", args=[request.pk])).content.decode()
    assert "登记为异议" in detail and "王经理" in detail
    response = client.post(reverse("sampling:objection_request_register", args=[request.pk]), follow=True)
    assert "已将网上异议申请" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ObjectionRequestStatus.REGISTERED
    # a registered request offers no more actions
    assert (
        "不予登记</button>"
        not in client.get(reverse("sampling:objection_request_detail", args=[request.pk])).content.decode()
    )


@pytest.mark.django_db
def test_registering_without_a_recorded_receipt_explains_what_is_missing(client, county_inspector):
    sample = make_sample()
    _confirmed(county_inspector, sample, [P, F, P])
    request = _submit(sample)
    client.force_login(county_inspector)
    response = client.post(reverse("sampling:objection_request_register", args=[request.pk]), follow=True)
    assert "请先登记企业收到检验结论的日期" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ObjectionRequestStatus.PENDING


@pytest.mark.django_db
def test_the_staff_list_does_not_grow_queries_with_rows(client, county_inspector, django_assert_max_num_queries):
    client.force_login(county_inspector)
    for _ in range(3):
        sample = make_sample()
        _confirmed(county_inspector, sample, [P, F, P])
        _submit(sample)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sampling:objection_request_list"))
    assert response.content.decode().count("YY") >= 3
