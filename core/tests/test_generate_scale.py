"""manage.py generate_scale: the counts asked for, valid jurisdictions, statistics that run on the result, the
same rows for the same seed, and a database with a bureau's own records left alone."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from core.models import Enterprise, EnterpriseFact, Region, RegionLevel

SMALL = ["--enterprises", "200", "--batches", "2000", "--cases", "50", "--recalls", "20", "--facts", "1000"]
pytestmark = pytest.mark.django_db(transaction=True)  # the command truncates, alters triggers and vacuums


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_scale", *SMALL, *args, stdout=out)
    return out.getvalue()


def model(label: str):
    return apps.get_model(label)


def samples_digest() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', sample_no, enterprise_id, product_type_id, sampled_on, "
            "final_verdict), ',' ORDER BY sample_no)) FROM sampling_sample"
        )
        return cursor.fetchone()[0]


def test_generates_the_counts_asked_for_in_valid_jurisdictions():
    generate("--seed", "7")

    assert Enterprise.objects.count() == 200
    assert model("sampling.Sample").objects.count() == 2000
    assert model("enforcement.Case").objects.count() == 50
    assert model("recalls.Recall").objects.count() == 20
    assert EnterpriseFact.objects.count() == 1000
    assert (
        model("sampling.TestResult").objects.count()
        == model("sampling.Sample").objects.exclude(final_verdict="").count()
    )
    counties = set(Region.objects.filter(level=RegionLevel.COUNTY, is_active=True).values_list("code", flat=True))
    zones = dict(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "zone"))
    assert set(Enterprise.objects.values_list("region_id", flat=True)) <= counties
    for region, zone, enterprise_region in model("sampling.Sample").objects.values_list(
        "region_id", "zone", "enterprise__region_id"
    ):
        assert region == enterprise_region and zone == zones[region]
    assert set(model("enforcement.Case").objects.values_list("region_id", flat=True)) <= counties
    # A task is the country's or the enterprise's province's.
    for org, enterprise_region in model("sampling.Sample").objects.values_list("task__region_id", "region_id"):
        assert org in ("000000", enterprise_region[:2] + "0000")
    # Each task planned what it sampled (the task list shows 计划批次 beside 已抽样).
    for planned, sampled in model("sampling.SamplingTask").objects.values_list("target_batches", "sampled_count"):
        assert planned == max(sampled, 1)


def test_statistics_run_on_the_generated_data_with_2017_like_pass_rates():
    generate()

    out = StringIO()
    call_command("sampling_stats", "--by", "size", "--json", stdout=out)
    rows = {row["key"]: row for row in json.loads(out.getvalue())}
    judged = model("sampling.Sample").objects.exclude(final_verdict="").count()
    assert rows["total"]["batches"] == judged
    assert 0.85 < rows["total"]["pass_rate"] < 0.96  # 2017: 91.5 %
    by_size = {key: row["pass_rate"] for key, row in rows.items() if key != "total"}
    assert max(by_size, key=by_size.get) in ("大型", "large")  # 2017: large 96.7 %, small 90.0 %


def test_same_seed_same_rows_other_seed_other_rows():
    generate("--seed", "11")
    first = samples_digest()
    generate("--seed", "11")
    assert samples_digest() == first
    generate("--seed", "12")
    assert samples_digest() != first


def test_refuses_a_database_with_a_bureaus_own_records_unless_forced():
    call_command("load_reference_data", verbosity=0)
    own = Enterprise.objects.create(
        name="长沙市真实企业有限公司", uscc="91430102MA4L16JX1C", region_id="430102", size="small"
    )

    with pytest.raises(CommandError, match="已有不是本命令生成的业务数据（企业 1 条）"):
        generate()
    assert Enterprise.objects.count() == 1

    generate("--force")
    assert Enterprise.objects.filter(pk=own.pk).exists()
    assert Enterprise.objects.count() == 201

    with pytest.raises(CommandError, match="上次生成的规模测试数据"):
        generate("--force")
