"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from core.demo import make_uscc
from core.models import (
    Enterprise,
    EnterpriseSize,
    Institution,
    ProductGroup,
    ProductType,
    Region,
    RegionLevel,
    Role,
    TestItem,
    User,
    Zone,
)

# A small region tree: two neighbouring counties of 长沙市, another city, another province.
REGION_ROWS = [
    ("000000", "全国", RegionLevel.NATIONAL, None, ""),
    ("430000", "湖南省", RegionLevel.PROVINCE, "000000", Zone.CENTRAL),
    ("430100", "长沙市", RegionLevel.CITY, "430000", Zone.CENTRAL),
    ("430102", "芙蓉区", RegionLevel.COUNTY, "430100", Zone.CENTRAL),
    ("430103", "天心区", RegionLevel.COUNTY, "430100", Zone.CENTRAL),
    ("430200", "株洲市", RegionLevel.CITY, "430000", Zone.CENTRAL),
    ("430202", "荷塘区", RegionLevel.COUNTY, "430200", Zone.CENTRAL),
    ("440000", "广东省", RegionLevel.PROVINCE, "000000", Zone.EAST),
    ("440300", "深圳市", RegionLevel.CITY, "440000", Zone.EAST),
    ("440305", "南山区", RegionLevel.COUNTY, "440300", Zone.EAST),
    ("510000", "四川省", RegionLevel.PROVINCE, "000000", Zone.WEST),
    ("510100", "成都市", RegionLevel.CITY, "510000", Zone.WEST),
    ("510104", "锦江区", RegionLevel.COUNTY, "510100", Zone.WEST),
]


def make_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, parent, zone in REGION_ROWS:
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent_id": parent, "zone": zone},
        )
    return regions


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "430102"
    name = "芙蓉区"
    level = RegionLevel.COUNTY


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"长沙测试制造有限公司{n:04d}")
    uscc = factory.LazyAttribute(lambda o: make_uscc(o.region.code))
    legal_representative = "张三"
    address = "长沙市芙蓉区五一大道 1 号"
    region = factory.LazyFunction(lambda: Region.objects.get(code="430102"))
    industry = "电气机械和器材制造业"
    size = EnterpriseSize.SMALL


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"湖南省产品质量检验研究院{n}")


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ("code",)

    code = "G02"
    name = "电子电器产品"
    order = 2


class ProductTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductType
        django_get_or_create = ("code",)

    group = factory.SubFactory(ProductGroupFactory)
    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"电热水壶{n}")


class TestItemFactory(factory.django.DjangoModelFactory):
    __test__ = False  # a factory of catalogue test items, not a pytest test class

    class Meta:
        model = TestItem

    product_type = factory.SubFactory(ProductTypeFactory)
    name = factory.Sequence(lambda n: f"检验项目{n}")
    standard = "GB 4706.1-2005"
    requirement = "应符合标准要求"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "测试"
    role = Role.INSPECTOR
    jurisdiction = factory.LazyFunction(lambda: Region.objects.get(code="430102"))
    password = factory.django.Password("Passw0rd!")
