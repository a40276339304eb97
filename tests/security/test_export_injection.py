"""Formula injection: text imported from a csv never comes back from the Excel export as a live formula."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from python_calamine import load_workbook

from sampling.models import Sample
from sampling.services.exporting import export_samples
from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

pytestmark = pytest.mark.django_db

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def test_brands_that_look_like_formulas_export_as_text(regions):
    # Given batches whose brand and model came in as text that spreadsheets run as formulas (as a csv import keeps it)
    task = make_task(region_code="430100")
    for payload in PAYLOADS:
        sample = make_sample(task, make_enterprise("430102"))
        Sample.objects.filter(pk=sample.pk).update(brand=payload, model_spec=payload)

    content = export_samples(Sample.objects.all())

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert re.search(r'quotePrefix="1"', zipfile.ZipFile(io.BytesIO(content)).read("xl/styles.xml").decode())
    values = load_workbook(io.BytesIO(content)).get_sheet_by_name("抽查结果").to_python()
    brand_column = values[0].index("商标")
    exported = {line[brand_column] for line in values[1:]}
    # (XML turns a stored carriage return into a line feed; nothing else changes)
    stored = {brand.replace("\r", "\n") for brand in Sample.objects.values_list("brand", flat=True)}
    assert exported == stored  # the text is kept as it was: the export still imports back unchanged
    assert "=cmd|' /C calc'!A0" in stored
