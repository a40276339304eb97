"""The signals on planted data: they fire where the data was planted and stay silent elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest

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


@pytest.mark.django_db
def test_same_item_failing_across_products(regions):
    enterprise = EnterpriseFactory(name="多产品同项目不合格企业")
    other = EnterpriseFactory(name="同一产品反复不合格企业")
    for type_id, product in ((1, "电热水壶"), (2, "电暖器")):
        data = {"product_type": product, "product_type_id": type_id, "failed_items": ["标志和说明"]}
        fact(enterprise, "sampling.verdict_failed", dt.date(2017, 4, 1), data=data)
    for _ in range(3):
        fact(other, "sampling.verdict_failed", dt.date(2017, 4, 1),
             data={"product_type": "毛巾", "product_type_id": 7, "failed_items": ["纤维含量"]})  # fmt: skip
    evaluate(period=Y2017, codes=[SignalCode.REPEAT_ITEM])
    warnings = list(EarlyWarning.objects.filter(signal=SignalCode.REPEAT_ITEM))
    assert [(w.enterprise_id, w.figures["item"], w.figures["products_failed"]) for w in warnings] == [
        (enterprise.pk, "标志和说明", 2)
    ]
    assert warnings[0].level == WarningLevel.ATTENTION


# --- complaint and defect-report clusters --------------------------------------------------------------------


@pytest.mark.django_db
def test_complaint_cluster_fires_on_the_planted_model(regions):
    maker = EnterpriseFactory(name="雪花电器有限公司")
    steady = EnterpriseFactory(name="稳定电器有限公司")
    # History: the planted model has one complaint a quarter; another model three a month, every month.
    for month in range(1, 13):
        day = dt.date(2016, month, 10)
        if month % 3 == 0:
            fact(
                maker,
                "enforcement.complaint_received",
                day,
                data={"brand": "雪花", "model": "XH-200", "product": "电热水壶"},
            )
        for _ in range(3):
            fact(
                steady,
                "enforcement.complaint_received",
                day,
                data={"brand": "安心", "model": "AX-1", "product": "电饭煲"},
            )
    for month in range(1, 13):
        for _ in range(3):
            fact(
                steady,
                "enforcement.complaint_received",
                dt.date(2017, month, 12),
                data={"brand": "安心", "model": "AX-1", "product": "电饭煲"},
            )
    # June 2017: four complaints and two defect reports on XH-200.
    for day in (3, 5, 8, 11):
        fact(
            maker,
            "enforcement.complaint_received",
            dt.date(2017, 6, day),
            data={"brand": "雪花", "model": "XH-200", "product": "电热水壶"},
        )
    for day in (14, 20):
        fact(
            maker,
            "recalls.defect_report_received",
            dt.date(2017, 6, day),
            data={"brand": "雪花 ", "model": "xh-200", "product": "电热水壶"},
        )
    # fmt: skip

    evaluate(period=Y2017, codes=[SignalCode.COMPLAINT_CLUSTER])
    models = {
        w.subject_key: w for w in EarlyWarning.objects.filter(signal=SignalCode.COMPLAINT_CLUSTER, subject_type="model")
    }
    assert set(models) == {"雪花|xh-200"}
    warning = models["雪花|xh-200"]
    assert warning.figures["month"] == "2017-06" and warning.figures["count"] == 6
    assert warning.figures["complaints"] == 4 and warning.figures["defect_reports"] == 2
    assert warning.figures["baseline"] == pytest.approx(3 / 12, abs=1e-3)  # June 2016 – May 2017: 3 complaints
    assert warning.region_id == maker.region_id and warning.subject_code
    assert len(warning.evidence) == 6
    # The steady enterprise's three a month are its usual rate: nothing on it.
    assert not EarlyWarning.objects.filter(signal=SignalCode.COMPLAINT_CLUSTER, enterprise=steady).exists()
    assert not EarlyWarning.objects.filter(signal=SignalCode.COMPLAINT_CLUSTER, subject_key="安心|ax-1").exists()


# --- overdue chains -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_overdue_chain_levels(regions):
    all_late = EnterpriseFactory(name="全部逾期企业")
    two_late = EnterpriseFactory(name="两类逾期企业")
    one_late = EnterpriseFactory(name="一次逾期企业")
    fact(all_late, "sampling.rectification_overdue", dt.date(2017, 2, 1))
    fact(all_late, "enforcement.fine_overdue", dt.date(2017, 3, 1))
    fact(all_late, "recalls.report_late", dt.date(2017, 4, 1))
    fact(two_late, "sampling.rectification_overdue", dt.date(2017, 2, 1))
    fact(two_late, "enforcement.fine_overdue", dt.date(2017, 3, 1))
    fact(one_late, "recalls.report_late", dt.date(2017, 4, 1))
    evaluate(period=Y2017, codes=[SignalCode.OVERDUE_CHAIN])
    levels = dict(EarlyWarning.objects.filter(signal=SignalCode.OVERDUE_CHAIN).values_list("enterprise_id", "level"))
    assert levels == {all_late.pk: WarningLevel.SEVERE, two_late.pk: WarningLevel.WARNING}


# --- failure share of a test item ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_item_share_rise(regions):
    from sampling.tests.reports_data import make_batch, make_task

    enterprise = EnterpriseFactory()
    from core.tests.factories import ProductTypeFactory

    kettle = ProductTypeFactory(name="电热水壶")
    for year in (2014, 2015, 2016, 2017):
        task = make_task(regions["430000"], year)
        for i in range(100):
            failing = i < (12 if year == 2017 else 2)
            make_batch(
                task, enterprise, kettle,
                verdict="fail" if failing else "pass",
                sampled_on=dt.date(year, 5, 1 + i % 28),
                failed_items=["发热"] if failing else None,
            )  # fmt: skip
    signal_settings_update(
        user=None,
        code=SignalCode.ITEM_SHARE_RISE,
        enabled=True,
        parameters={"min_batches": 50, "min_history_batches": 100},
    )
    evaluate(period=Y2017, codes=[SignalCode.ITEM_SHARE_RISE])
    warning = EarlyWarning.objects.get(signal=SignalCode.ITEM_SHARE_RISE)
    assert (
        warning.subject_name == "发热"
        and warning.figures["failures"] == 12
        and warning.figures["history_failures"] == 6
    )
    assert warning.figures["batches"] == 100 and warning.figures["history_batches"] == 300
    assert len(warning.evidence) == 12
