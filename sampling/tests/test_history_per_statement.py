"""History recorded per statement (the batches, results and enterprises: level=pghistory.Statement): a bulk write
records one event per row it changed, each with the context of the write, and nothing for a row it left as it was."""

import pytest
from django.apps import apps
from django.db import transaction

from core.audit import audit_context
from sampling.models import Sample
from sampling.tests.publication_data import make_sample, make_task

pytestmark = pytest.mark.django_db


def _events(label: str, ids) -> list:
    events = apps.get_model("sampling", "SampleEvent").objects.select_related("pgh_context")
    return list(events.filter(pgh_label=label, pgh_obj_id__in=ids))


def test_a_bulk_update_records_one_event_per_changed_batch_with_its_context(regions):
    task = make_task()
    samples = [make_sample(task, enterprise_name=f"历史测试企业{n}") for n in range(3)]
    ids = [s.pk for s in samples]
    with transaction.atomic(), audit_context(source="test.bulk", note="批量更正商标"):
        Sample.objects.filter(pk__in=ids[:2]).update(brand="新商标")  # one statement, two rows
        Sample.objects.filter(pk=ids[2]).update(brand=samples[2].brand)  # a row left as it was
    updates = _events("update", ids)
    assert sorted(e.pgh_obj_id for e in updates) == ids[:2]
    assert all(e.pgh_context.metadata["source"] == "test.bulk" for e in updates)
    assert all(e.brand == "新商标" for e in updates)
    assert len(_events("insert", ids)) == 3  # one insert event per batch registered
