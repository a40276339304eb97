"""Sample records (抽样单): registration rules and snapshots, the pages, photos and the printable PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from constance.test import override_config
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from core.errors import DomainError, PermissionDenied
from core.tests.factories import ProductTypeFactory
from sampling.models import Sample, SamplePhoto, TaskStatus
from sampling.services.samples import sample_register
from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(regions):
    """A city task of 长沙市 (county inspectors sample for it in their counties)."""
    return make_task(region_code="430100", year=2026)


@pytest.fixture
def enterprise(regions):
    return make_enterprise("430102", name="芙蓉电器有限公司", size="medium")


@pytest.fixture
def inspectors(county_inspector):
    return [county_inspector, make_inspectors(1, "430102")[0]]


def _register(user, task, enterprise, inspectors, **overrides):
    values = {
        "user": user,
        "task": task,
        "sample_no": "CY2026-0001",
        "enterprise": enterprise,
        "product_type": task.product_types.first(),
        "brand": "美好",
        "model_spec": "MH-1520",
        "production_batch": "20260301",
        "stage": "production",
        "place": "成品仓库",
        "sampled_on": dt.date(2026, 5, 10),
        "quantity": "4 台",
        "base_price": Decimal("129.00"),
        "inspectors": inspectors,
    }
    values.update(overrides)
    return sample_register(**values)


def test_registration_fills_the_snapshots(task, enterprise, inspectors, county_inspector):
    sample = _register(county_inspector, task, enterprise, inspectors)

    assert sample.region_id == "430102"
    assert sample.zone == "central"
    assert sample.enterprise_size == "medium"
    assert sample.year == 2026
    assert sample.created_by == county_inspector
    assert set(sample.inspectors.all()) == set(inspectors)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_a_duplicate_sample_number_in_the_task_names_the_field(task, enterprise, inspectors, county_inspector):
    _register(county_inspector, task, enterprise, inspectors)
    with pytest.raises(DomainError, match="抽样单编号：“CY2026-0001”在任务“.*”中已存在"):
        _register(county_inspector, task, enterprise, inspectors)
    assert Sample.objects.count() == 1


def test_an_enterprise_outside_the_jurisdiction_is_refused(task, inspectors, county_inspector):
    neighbour = make_enterprise("430103")
    with pytest.raises(PermissionDenied, match="受检企业"):
        _register(county_inspector, task, neighbour, inspectors)


def test_a_product_outside_the_task_is_refused(task, enterprise, inspectors, county_inspector):
    with pytest.raises(DomainError, match="产品名称：.*不是任务"):
        _register(county_inspector, task, enterprise, inspectors, product_type=ProductTypeFactory())


def test_two_inspectors_are_needed(task, enterprise, county_inspector):
    with pytest.raises(DomainError, match="至少需要 2 名抽样人员"):
        _register(county_inspector, task, enterprise, [county_inspector, county_inspector])


def test_an_inspector_of_another_county_cannot_sign(task, enterprise, county_inspector, neighbour_inspector):
    with pytest.raises(DomainError, match="天心检查员 无权在芙蓉区抽样"):
        _register(county_inspector, task, enterprise, [county_inspector, neighbour_inspector])


def test_the_create_page_registers_a_sample(login, task, enterprise, inspectors, county_inspector):
    client = login(county_inspector)
    page = client.get(reverse("sampling:sample_create"), {"task": task.pk, "enterprise": enterprise.pk})
    assert page.status_code == 200
    assert enterprise.uscc in page.content.decode()

    data = {
        "task": task.pk,
        "sample_no": "CY-WEB-1",
        "enterprise_uscc": enterprise.uscc,
        "product_type": task.product_types.first().pk,
        "stage": "circulation",
        "sampled_on": "2026-05-11",
        "inspectors": [u.pk for u in inspectors],
    }
    response = client.post(reverse("sampling:sample_create"), data)
    sample = Sample.objects.get(sample_no="CY-WEB-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("sampling:sample_detail", args=[sample.pk])

    again = client.post(reverse("sampling:sample_create"), data)
    assert again.status_code == 200
    assert "抽样单编号：“CY-WEB-1”在任务" in again.content.decode()


def test_the_list_is_scoped_filtered_and_searchable(login, task, county_inspector):
    own = make_sample(task, make_enterprise("430102", name="芙蓉甲厂"), final_verdict="fail")
    other = make_sample(task, make_enterprise("430102", name="芙蓉乙厂"))
    neighbours = make_sample(task, make_enterprise("430103", name="天心丙厂"))
    client = login(county_inspector)

    page = client.get(reverse("sampling:sample_list")).content.decode()
    assert own.sample_no in page and other.sample_no in page
    assert neighbours.sample_no not in page

    failed = client.get(reverse("sampling:sample_list"), {"verdict": "fail"}).content.decode()
    assert own.sample_no in failed and other.sample_no not in failed
    searched = client.get(reverse("sampling:sample_list"), {"q": "乙厂"}).content.decode()
    assert other.sample_no in searched and own.sample_no not in searched


def test_the_list_needs_the_same_number_of_queries_for_more_samples(login, task, city_inspector):
    client = login(city_inspector)
    make_sample(task, make_enterprise("430102"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("sampling:sample_list"))
    for code in ("430102", "430103", "430103"):
        make_sample(make_task(region_code="430100"), make_enterprise(code))
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("sampling:sample_list"))
    assert len(response.context["page"].object_list) == 4
    assert len(four) == len(one)


def test_another_countys_sample_is_not_found(login, task, neighbour_inspector, county_inspector):
    sample = make_sample(task, make_enterprise("430102"))
    client = login(neighbour_inspector)
    assert client.get(reverse("sampling:sample_detail", args=[sample.pk])).status_code == 404
    assert client.get(reverse("sampling:sample_pdf", args=[sample.pk])).status_code == 404
    assert login(county_inspector).get(reverse("sampling:sample_detail", args=[sample.pk])).status_code == 200


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_png_photo_is_kept(login, task, county_inspector):
    sample = make_sample(task, make_enterprise("430102"))
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    response = login(county_inspector).post(
        reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": photo, "caption": "封样"}
    )
    assert response.status_code == 302
    assert SamplePhoto.objects.get().caption == "封样"


def test_a_photo_that_is_not_an_image_is_refused(login, task, county_inspector):
    sample = make_sample(task, make_enterprise("430102"))
    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = login(county_inspector).post(reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": fake})
    assert response.status_code == 400
    assert "照片“现场.jpg”：只接受 JPEG 或 PNG 图片" in response.content.decode()
    assert not SamplePhoto.objects.exists()


def test_a_gif_is_refused_too(login, task, county_inspector):
    sample = make_sample(task, make_enterprise("430102"))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "GIF")
    gif = SimpleUploadedFile("a.gif", buffer.getvalue(), content_type="image/gif")
    response = login(county_inspector).post(reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": gif})
    assert "只接受 JPEG 或 PNG 图片" in response.content.decode()


@override_config(PHOTO_MAX_MB=0)
def test_a_photo_over_the_size_limit_is_refused(login, task, county_inspector):
    sample = make_sample(task, make_enterprise("430102"))
    photo = SimpleUploadedFile("big.png", _png(), content_type="image/png")
    response = login(county_inspector).post(reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": photo})
    assert "照片“big.png”：文件超过 0 MB 上限" in response.content.decode()
    assert not SamplePhoto.objects.exists()


def test_the_sampling_form_renders_as_a_pdf(login, task, enterprise, inspectors, county_inspector):
    sample = _register(county_inspector, task, enterprise, inspectors)
    response = login(county_inspector).get(reverse("sampling:sample_pdf", args=[sample.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "抽样单" in text
    assert "芙蓉电器有限公司" in text
    assert "CY2026-0001" in text


def test_the_export_link_carries_the_list_filters(login, county_inspector):
    page = login(county_inspector).get(reverse("sampling:sample_list"), {"verdict": "fail", "stage": "production"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "导出 Excel" in html
    assert "/sampling/export/?" in html and "verdict=fail" in html and "stage=production" in html
