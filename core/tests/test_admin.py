"""The admin pages of the reference data: search, filters and the catalogue's test-item inline."""

import pytest

from core.models import Role
from core.reference import load_catalogue
from core.tests.factories import EnterpriseFactory, InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(regions):
    return UserFactory(
        username="root_admin", role=Role.ADMINISTRATOR, jurisdiction=regions["430000"], is_staff=True, is_superuser=True
    )


def test_region_changelist_searches_by_name_and_filters_by_zone(login, superuser):
    client = login(superuser)

    page = client.get("/admin/core/region/", {"q": "芙蓉"}).content.decode()
    east = client.get("/admin/core/region/", {"zone__exact": "east"}).content.decode()

    assert "芙蓉区" in page and "天心区" not in page
    assert "南山区" in east and "芙蓉区" not in east


def test_enterprise_changelist_finds_an_enterprise_by_uscc(login, superuser):
    wanted = EnterpriseFactory(name="长沙查找目标电器有限公司")
    EnterpriseFactory(name="长沙其他电器有限公司")

    page = login(superuser).get("/admin/core/enterprise/", {"q": wanted.uscc}).content.decode()

    assert "长沙查找目标电器有限公司" in page and "长沙其他电器有限公司" not in page


def test_product_type_page_shows_its_test_items_inline(login, superuser):
    load_catalogue()
    from core.models import ProductType

    kettle = ProductType.objects.get(name="电热水壶")

    page = login(superuser).get(f"/admin/core/producttype/{kettle.pk}/change/").content.decode()

    assert "对触及带电部件的防护" in page and "GB 4706.1-2005" in page


def test_user_page_edits_role_jurisdiction_and_institution(login, superuser, regions):
    staff = UserFactory(username="lab_person", role=Role.INSTITUTION, institution=InstitutionFactory())

    page = login(superuser).get(f"/admin/core/user/{staff.pk}/change/").content.decode()
    listing = login(superuser).get("/admin/core/user/", {"role__exact": "institution"}).content.decode()

    assert "岗位与管辖" in page and 'name="jurisdiction"' in page and 'name="institution"' in page
    assert "lab_person" in listing and "root_admin" not in listing


@pytest.mark.parametrize("model", ["institution", "productgroup", "workdayoverride", "calendaryear"])
def test_other_reference_pages_open(login, superuser, model):
    assert login(superuser).get(f"/admin/core/{model}/").status_code == 200


def test_a_non_staff_user_cannot_open_the_admin(login, county_inspector):
    response = login(county_inspector).get("/admin/core/region/")

    assert response.status_code == 302
