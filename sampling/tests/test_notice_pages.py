"""The notices on the sample page: the PDF with its 送达回证, and the record of the service from the page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sampling.models import NoticeKind, NoticeService, Verdict
from sampling.tests.test_notices import _confirmed

pytestmark = pytest.mark.django_db
P, F = Verdict.PASS.value, Verdict.FAIL.value


def _pdf_text(content: bytes) -> str:
    """The PDF's text without white space (titles are letter-spaced, lines wrap anywhere)."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_failure_notice_pdf_states_the_right_to_object_and_ends_with_its_proof_of_service(login, county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    client = login(county_inspector)
    page = client.get(reverse("sampling:sample_detail", args=[result.sample.pk])).content.decode()
    assert "不合格通知书" in page and "下载 PDF（含送达回证）" in page

    response = client.get(reverse("sampling:notice_pdf", args=[result.pk, NoticeKind.FAILURE]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "不合格通知书" in text and result.sample.enterprise.name in text
    assert "15日内" in text and "复检" in text
    assert "送达回证" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2


def test_a_passed_sample_has_no_failure_notice_to_download(login, county_inspector):
    result = _confirmed(county_inspector, [P, P, P])
    client = login(county_inspector)
    assert client.get(reverse("sampling:notice_pdf", args=[result.pk, NoticeKind.RESULT])).status_code == 200
    assert client.get(reverse("sampling:notice_pdf", args=[result.pk, NoticeKind.FAILURE])).status_code == 404


def test_serving_from_the_page_records_it_and_the_proof_shows_it(login, county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    client = login(county_inspector)
    served_on = timezone.localdate() - dt.timedelta(days=2)
    url = reverse("sampling:notice_serve", args=[result.pk, NoticeKind.FAILURE])
    response = client.post(
        url, {"method": "mail", "served_on": served_on.isoformat(), "recipient": "张三", "receipt_no": "EMS1234"},
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert "已登记不合格通知书" in html and "已送达" in html and "EMS1234" in html
    service = NoticeService.objects.get(result=result, kind=NoticeKind.FAILURE)
    assert (service.method, service.served_on, service.recipient, service.recorded_by) == (
        "mail", served_on, "张三", county_inspector,
    )  # fmt: skip
    text = _pdf_text(client.get(reverse("sampling:notice_pdf", args=[result.pk, NoticeKind.FAILURE])).content)
    assert "邮寄送达" in text and "EMS1234" in text and "张三" in text


def test_a_mailed_service_without_a_tracking_number_is_refused_naming_the_field(login, county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    client = login(county_inspector)
    url = reverse("sampling:notice_serve", args=[result.pk, NoticeKind.FAILURE])
    html = client.post(
        url, {"method": "mail", "served_on": timezone.localdate().isoformat(), "recipient": "张三"}, follow=True
    ).content.decode()
    assert "回执/邮件单号：邮寄送达须填写邮件单号" in html
    assert not NoticeService.objects.filter(result=result).exists()


def test_someone_who_may_not_handle_the_sample_cannot_download_or_serve(login, county_inspector, outsider):
    result = _confirmed(county_inspector, [P, F, P])
    client = login(outsider)
    assert client.get(reverse("sampling:notice_pdf", args=[result.pk, NoticeKind.FAILURE])).status_code in (403, 404)
    response = client.post(
        reverse("sampling:notice_serve", args=[result.pk, NoticeKind.FAILURE]),
        {"method": "direct", "served_on": timezone.localdate().isoformat(), "recipient": "张三"},
    )
    assert response.status_code in (403, 404)
    assert not NoticeService.objects.filter(result=result).exists()


def test_the_notice_is_issued_by_the_bureau_that_organised_the_task(county_inspector):
    from sampling.services.notice_documents import notice_context

    result = _confirmed(county_inspector, [P, F, P])
    region = result.sample.task.region
    issuer = notice_context(result, NoticeKind.FAILURE)["issuer"]
    assert issuer.endswith("市场监督管理局") and region.name in issuer


def test_a_failed_samples_page_reads_in_english_with_its_follow_up_bases(login, county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    client = login(county_inspector)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("sampling:sample_detail", args=[result.sample.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # The follow-up steps' time limits cite their basis in English; the notices are offered in English.
    assert "Interim Measures for the Administration of Product Quality Supervisory Spot Checks, Art. 44" in html
    assert "Download PDF (with proof of service)" in html
