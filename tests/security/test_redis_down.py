"""Redis down: the cache fails soft and pages serve from the database."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from core.cache import FailSoftRedisCache

pytestmark = pytest.mark.django_db

CLOSED_PORT = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:6390/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down():
    FailSoftRedisCache._down_until = 0.0
    with override_settings(CACHES=CLOSED_PORT):
        yield
    FailSoftRedisCache._down_until = 0.0


def test_the_cache_answers_misses_and_drops_writes(redis_down):
    from django.core.cache import caches

    redis_cache = caches["default"]
    assert isinstance(redis_cache, FailSoftRedisCache)
    started = time.perf_counter()
    assert redis_cache.get("x") is None
    redis_cache.set("x", 1)
    assert redis_cache.get_or_set("y", lambda: 5) == 5
    assert redis_cache.get_many(["a", "b"]) == {}
    redis_cache.delete("x")
    assert time.perf_counter() - started < 2  # one failed connect, then Redis is left alone for a while


def test_public_pages_serve_with_redis_down(redis_down, client, regions):
    for url in ("/public/", "/public/results/"):
        assert client.get(url).status_code == 200, url


def test_staff_pages_serve_with_redis_down(redis_down, login, provincial_leader):
    client = login(provincial_leader)
    for url in ("/", "/sampling/samples/", "/sampling/dashboard/", "/reports/"):
        assert client.get(url).status_code == 200, url
