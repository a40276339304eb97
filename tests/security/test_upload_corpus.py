"""Every upload path against the hostile corpus (tests/security/corpus/): refused with a Chinese message, in bounded
memory, nothing written; real images under hostile names are kept only as re-encoded pixels under generated names."""

from __future__ import annotations

import re
import resource
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from core.uploads import check_document, check_image
from sampling.models import Sample, SamplePhoto
from sampling.services.spreadsheets import read_tables
from sampling.tests.tasks_data import make_enterprise, make_sample, make_task
from tests.security.corpus import CORPUS, POLYGLOTS, corpus_bytes

MB = 1024 * 1024


def _entries(path: str, corpus=CORPUS):
    return [pytest.param(entry, id=entry.name) for entry in corpus if path in entry.refused_by]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("entry", _entries("import"))
def test_the_import_reader_refuses_it_quickly_in_bounded_memory(entry):
    data = corpus_bytes(entry)
    before = _peak_rss_mb()
    started = time.perf_counter()
    with pytest.raises(DomainError) as refused:
        read_tables(entry.name, data)
    assert time.perf_counter() - started < 10
    assert _peak_rss_mb() - before < 150, "the check must not allocate what the file declares"
    message = str(refused.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("entry", _entries("import", POLYGLOTS))
def test_images_under_any_name_are_refused_by_the_import(entry):
    with pytest.raises(DomainError):
        read_tables(entry.name if entry.name.endswith((".xlsx", ".csv")) else entry.name + ".xlsx", corpus_bytes(entry))


@pytest.mark.parametrize("entry", _entries("image"))
def test_the_image_check_refuses_it(entry):
    with pytest.raises(DomainError) as refused:
        check_image(SimpleUploadedFile(entry.name, corpus_bytes(entry)))
    assert entry.name in str(refused.value)


@pytest.mark.parametrize("entry", _entries("document") + _entries("document", POLYGLOTS))
def test_the_document_check_refuses_it(entry):
    with pytest.raises(DomainError) as refused:
        check_document(SimpleUploadedFile(entry.name, corpus_bytes(entry)), kinds=("pdf",))
    assert "文件内容不是允许的类型" in str(refused.value) or "文件是空的" in str(refused.value)


def test_a_real_pdf_passes_the_document_check_under_a_generated_name():
    checked = check_document(SimpleUploadedFile("通知书.html", b"%PDF-1.4\n%%EOF"), kinds=("pdf",))
    assert checked.extension == "pdf" and checked.content.name.endswith(".pdf")
    assert "通知书" not in checked.content.name


@pytest.fixture
def sample(regions) -> Sample:
    return make_sample(make_task(region_code="430100"), make_enterprise("430102"))


@pytest.mark.django_db
@pytest.mark.parametrize("entry", _entries("image"))
def test_the_sample_photo_page_refuses_it(entry, login, county_inspector, sample):
    upload = SimpleUploadedFile(entry.name, corpus_bytes(entry), content_type="image/png")
    response = login(county_inspector).post(
        reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": upload}
    )
    assert response.status_code == 400
    assert "照片" in response.content.decode()
    assert not SamplePhoto.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("entry", [pytest.param(e, id=e.name) for e in POLYGLOTS])
def test_a_polyglot_photo_is_kept_only_as_reencoded_pixels(entry, login, county_inspector, sample, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(county_inspector)
    upload = SimpleUploadedFile(entry.name, corpus_bytes(entry), content_type="text/html")
    response = client.post(reverse("sampling:sample_photo_upload", args=[sample.pk]), {"image": upload})
    assert response.status_code == 302
    photo = SamplePhoto.objects.get()
    assert photo.image.name.endswith((".png", ".jpg"))
    assert re.fullmatch(r"sampling/photos/\d{4}/\d{2}/[0-9a-f]{32}\.(png|jpg)", photo.image.name)
    stored = photo.image.read()
    assert b"<html" not in stored and b"<script" not in stored

    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert photo.image_url in page and "/media/" not in page
    served = client.get(photo.image_url)
    assert served.status_code == 200
    assert served["Content-Type"] in ("image/png", "image/jpeg")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline;")
    assert b"".join(served.streaming_content) == stored


@pytest.mark.django_db
@pytest.mark.parametrize("entry", _entries("import"))
def test_the_import_page_refuses_it_with_a_chinese_message(entry, login, county_inspector):
    from django.utils.html import escape

    from sampling.models import TestResult

    data = corpus_bytes(entry)
    with pytest.raises(DomainError) as refused:
        read_tables(entry.name, data)
    response = login(county_inspector).post(reverse("sampling:import"), {"file": SimpleUploadedFile(entry.name, data)})
    assert response.status_code == 400
    page = response.content.decode()
    # The form refuses other extensions and empty uploads itself; the reader refuses the rest.
    expected = (escape(str(refused.value)), "只接受 .xlsx 或 .csv 文件", "空文件")
    assert any(message in page for message in expected), re.findall(r"<li>(.*?)</li>", page)
    assert not TestResult.objects.exists()
