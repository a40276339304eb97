"""The signals on planted data: they fire where the data was planted and stay silent elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models_facts import EnterpriseFact
from core.reports.periods import Period
from core.tests.factories import EnterpriseFactory
from credit.models_warnings import EarlyWarning, SignalCode, WarningHit, WarningLevel
from credit.warnings import stats
from credit.warnings.evaluation import evaluate
from credit.warnings.services import signal_settings_update
from credit.warnings.signals import covering_region
from credit.warnings.tests.data import PLANTED_COUNTY, fact, planted_drop

Y2017 = Period.parse("2017")


def _fired(signal: str) -> dict[str, EarlyWarning]:
    return {w.subject_key: w for w in EarlyWarning.objects.filter(signal=signal)}


# --- statistics -------------------------------------------------------------------------------------------


def test_two_proportion_drop_matches_a_hand_computation():
    # 75/100 against 285/300: pooled 0.9, se = sqrt(0.9·0.1·(1/100 + 1/300)) = 0.034641, z = 0.2 / se = 5.7735.
    test = stats.proportion_drop_test(75, 100, 285, 300)
    assert test.z == pytest.approx(5.7735, abs=1e-3)
    assert test.p_value == pytest.approx(3.88e-9, rel=0.05)
    assert stats.proportion_drop_test(95, 100, 285, 300).z == pytest.approx(0.0)


def test_poisson_tail_against_known_values():
    assert stats.poisson_sf(3, 0.2) == pytest.approx(0.0011485, rel=1e-3)
    assert stats.poisson_sf(0, 5.0) == 1.0
    assert stats.poisson_sf(3, 3.0) == pytest.approx(0.5768, rel=1e-3)
    assert stats.poisson_sf(200, 10.0) < 1e-100


def test_z_threshold_and_wilson():
    assert stats.z_threshold(0.01) == pytest.approx(2.3263, abs=1e-4)
    low, high = stats.wilson_interval(15, 20)
    assert low == pytest.approx(0.5313, abs=1e-3) and high == pytest.approx(0.8881, abs=1e-3)


def test_covering_region():
    assert covering_region(["430102", "430102"]) == "430102"
    assert covering_region(["430102", "430103"]) == "430100"
    assert covering_region(["430102", "430202"]) == "430000"
    assert covering_region(["430102", "440305"]) == "000000"


# --- pass-rate drops --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_planted_drop_fires_for_the_planted_type_and_region_only(regions):
    data = planted_drop()
    evaluate(period=Y2017)

    types = _fired(SignalCode.PASS_RATE_DROP_TYPE)
    assert set(types) == {str(data["types"]["A"].pk)}  # not 毛巾, 电暖器 nor the small-sample 童车
    kettle = types[str(data["types"]["A"].pk)]
    assert kettle.subject_name == "电热水壶"
    assert kettle.region_id == "430000"  # every batch of it was sampled in Hunan
    assert kettle.figures["batches"] == 160 and kettle.figures["passed"] == 120
    assert kettle.figures["history_batches"] == 480
    assert kettle.figures["z"] > kettle.figures["z_threshold"]
    assert kettle.level == WarningLevel.SEVERE
    assert len(kettle.evidence) == 30 and {e["kind"] for e in kettle.evidence} == {"sample"}

    regions_fired = _fired(SignalCode.PASS_RATE_DROP_REGION)
    assert PLANTED_COUNTY in regions_fired
    # Only the planted county and the city and province containing it; no other county, city or province.
    assert set(regions_fired) <= {PLANTED_COUNTY, "430200", "430000"}
    hetang = regions_fired[PLANTED_COUNTY]
    assert hetang.region_id == PLANTED_COUNTY and hetang.subject_name.endswith("荷塘区")
    assert hetang.figures["batches"] == 140 and hetang.figures["passed"] == 105


@pytest.mark.django_db
def test_small_sample_wobble_fires_only_when_the_minimum_is_lowered(regions):
    data = planted_drop()
    wobble = str(data["types"]["D"].pk)
    evaluate(period=Y2017, codes=[SignalCode.PASS_RATE_DROP_TYPE])
    assert wobble not in _fired(SignalCode.PASS_RATE_DROP_TYPE)

    # The same 4 of 8 against 30 of 30 is "significant" by the z-test alone: the minimum batches keep it quiet.
    signal_settings_update(
        user=None,
        code=SignalCode.PASS_RATE_DROP_TYPE,
        enabled=True,
        parameters={"min_batches": 5, "min_history_batches": 20},
    )
    evaluate(period=Y2017, codes=[SignalCode.PASS_RATE_DROP_TYPE])
    assert wobble in _fired(SignalCode.PASS_RATE_DROP_TYPE)


@pytest.mark.django_db
def test_rerunning_creates_no_duplicates(regions):
    planted_drop()
    first = evaluate(period=Y2017)
    count = EarlyWarning.objects.count()
    second = evaluate(period=Y2017)
    assert count > 0 and EarlyWarning.objects.count() == count
    assert second.created == 0 and len(second.warnings) == len(first.warnings)
    assert WarningHit.objects.count() == count
    assert set(EarlyWarning.objects.values_list("times_raised", flat=True)) == {1}


@pytest.mark.django_db
def test_a_disabled_signal_does_not_run(regions):
    planted_drop()
    signal_settings_update(user=None, code=SignalCode.PASS_RATE_DROP_TYPE, enabled=False, parameters={})
    evaluate(period=Y2017)
    assert not EarlyWarning.objects.filter(signal=SignalCode.PASS_RATE_DROP_TYPE).exists()
    assert EarlyWarning.objects.filter(signal=SignalCode.PASS_RATE_DROP_REGION).exists()


# --- repeat failures ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeat_failure_fires_once_per_enterprise_and_period(regions):
    again = EnterpriseFactory(name="反复不合格企业")
    once = EnterpriseFactory(name="仅一次不合格企业")
    for day in (dt.date(2017, 3, 1), dt.date(2017, 9, 1)):
        fact(again, "sampling.verdict_failed", day, data={"product_type": "电热水壶", "failed_items": ["发热"]})
    fact(once, "sampling.verdict_failed", dt.date(2017, 5, 1))
    fact(once, "sampling.verdict_failed", dt.date(2016, 5, 1))  # the previous period does not count

    evaluate(period=Y2017, codes=[SignalCode.REPEAT_FAILURE])
    evaluate(period=Y2017, codes=[SignalCode.REPEAT_FAILURE])
    warnings = list(EarlyWarning.objects.filter(signal=SignalCode.REPEAT_FAILURE))
    assert [w.enterprise_id for w in warnings] == [again.pk]
    warning = warnings[0]
    assert warning.level == WarningLevel.WARNING and warning.figures["failures"] == 2
    assert warning.region_id == again.region_id and warning.subject_code == again.uscc
    assert len(warning.evidence) == 2 and warning.evidence[0]["fact_kind"] == "sampling.verdict_failed"

    # A later period raising it again updates the open warning: one row, two periods in its history.
    for day in (dt.date(2018, 2, 1), dt.date(2018, 4, 1), dt.date(2018, 6, 1)):
        fact(again, "sampling.verdict_failed", day)
    evaluate(period=Period.parse("2018"), codes=[SignalCode.REPEAT_FAILURE])
    warning = EarlyWarning.objects.get(signal=SignalCode.REPEAT_FAILURE)
    assert warning.period == "2018" and warning.first_period == "2017" and warning.times_raised == 2
    assert warning.level == WarningLevel.SEVERE
    assert list(warning.hits.values_list("period", flat=True)) == ["2017", "2018"]


def test_a_failure_overturned_by_a_retest_or_voided_is_not_a_repeat(regions):
    from core.facts import record_fact

    overturned, control = EnterpriseFactory(name="复检合格企业"), EnterpriseFactory(name="两次不合格企业")
    for enterprise in (overturned, control):
        for day, product in ((dt.date(2017, 3, 1), "电热水壶"), (dt.date(2017, 9, 1), "电吹风")):
            fact(enterprise, "sampling.verdict_failed", day, data={"product_type": product, "failed_items": ["发热"]})
    # The first enterprise's first verdict was overturned: a later fact ends it (a passing re-test, a voided sample).
    first = EnterpriseFact.objects.filter(enterprise=overturned).order_by("occurred_on").first()
    record_fact(
        enterprise=overturned, kind="sampling.verdict_passed", source=overturned, on=dt.date(2017, 4, 1),
        data={}, ref="retest", ends=first,
    )  # fmt: skip

    evaluate(period=Y2017, codes=[SignalCode.REPEAT_FAILURE, SignalCode.REPEAT_ITEM])

    assert not EarlyWarning.objects.filter(enterprise=overturned).exists()
    assert set(EarlyWarning.objects.filter(enterprise=control).values_list("signal", flat=True)) == {
        SignalCode.REPEAT_FAILURE,
        SignalCode.REPEAT_ITEM,
    }
