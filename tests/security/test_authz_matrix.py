"""The authorization matrix: every page (from the URL configuration) and every API operation (from the OpenAPI
schema) × anonymous and every role × own county, parent city and neighbouring county × read and write, against the
expectation each app declares once in ``<app>/tests/authz.py`` (vocabulary: tests/security/authz.py).

A new URL or operation without a declaration fails ``test_every_url_and_operation_is_declared``. URLs of apps still
being written may be listed in their module's ``PENDING`` (reported as xfail) — never for core or sampling.
``AUTHZ_RECORD=1`` prints the observed outcomes instead of asserting (to write a new declaration, then review it).
"""

from __future__ import annotations

import importlib
import os
import re
from functools import cache

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.authz import HIDDEN, LOGIN, NOT_ALLOWED, OK, SUBJECTS, Rule

APPS = ("core", "sampling", "recalls", "enforcement", "credit")
# Pages that are not the platform's (the admin has its own permission system, tested by Django) or API routes
# (covered operation by operation from the schema).
IGNORED_ROUTE = re.compile(r"^(admin/|api/v1/)")
RECORD = os.environ.get("AUTHZ_RECORD") == "1"


@cache
def declarations() -> tuple[dict, dict, dict, set[str]]:
    pages: dict[str, tuple[str, Rule]] = {}
    api: dict[str, tuple[str, Rule]] = {}
    objects: dict[str, object] = {}
    pending: set[str] = set()
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.tests.authz")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{app}.tests.authz", f"{app}.tests"):
                raise
            module = None
        for name, rule in getattr(module, "PAGES", {}).items():
            assert name not in pages, f"{name} declared twice"
            pages[name] = (app, rule)
        for name, rule in getattr(module, "API", {}).items():
            assert name not in api, f"{name} declared twice"
            api[name] = (app, rule)
        objects.update(getattr(module, "OBJECTS", {}))
        if app not in ("core", "sampling"):
            pending |= set(getattr(module, "PENDING", ()))
    from tests.security import authz_pending

    pending |= set(authz_pending.PENDING)
    return pages, api, objects, pending


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}" if namespace else pattern.name


@cache
def page_names() -> list[str]:
    return sorted({name for route, name in _walk(get_resolver().url_patterns) if not IGNORED_ROUTE.match(route)})


@cache
def api_operations() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


def test_every_url_and_operation_is_declared():
    pages, api, objects, pending = declarations()
    missing = [name for name in page_names() if name not in pages and name not in pending]
    missing += [op for op in api_operations() if op not in api and op not in pending]
    assert not missing, "declare these in <app>/tests/authz.py:\n" + "\n".join(missing)
    stale = [name for name in pages if name not in page_names()] + [op for op in api if op not in api_operations()]
    assert not stale, "declared but no longer routed:\n" + "\n".join(stale)
    for name, (_app, rule) in {**pages, **api}.items():
        assert rule.obj is None or rule.obj in objects, f"{name}: no factory for {rule.obj!r}"


def _params():
    pages, api, _objects, pending = declarations()
    params = []
    for name in page_names():
        params.append(pytest.param("page", name, id=name))
    for op in api_operations():
        params.append(pytest.param("api", op, id=op))
    return [p for p in params if p.values[1] in pages or p.values[1] in api or p.values[1] in pending]


# --- The subjects ---------------------------------------------------------------------------------------------------

PLACE_REGION = {"own": "430102", "parent": "430100", "neighbour": "430103"}


@pytest.fixture
def ctx(regions):
    """The world every cell runs in: the personas, and the own county's enterprise (which enterprise@own is)."""
    from core.models import Role
    from core.tests.factories import EnterpriseFactory, InstitutionFactory, UserFactory

    enterprise = EnterpriseFactory(region=regions["430102"], name="芙蓉矩阵电器有限公司")
    institution = InstitutionFactory(name="矩阵检验研究院")
    users = {"anonymous": None}
    for subject in SUBJECTS[1:]:
        role, place = subject.split("@")
        extra = {}
        if role == Role.INSTITUTION:
            extra["institution"] = institution
        if role == "enterprise":
            extra["enterprise"] = enterprise
        users[subject] = UserFactory(
            username=f"m_{role}_{place}",
            role=role,
            jurisdiction=regions[PLACE_REGION[place]],
            enforcement_credential="湘执法0001" if role != "enterprise" else "",
            **extra,
        )
    return {"regions": regions, "enterprise": enterprise, "institution": institution, "users": users}


def _outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        raise AssertionError(f"server error {status}")
    if status == 401 or (status == 302 and "/accounts/login/" in response.get("Location", "")):
        return LOGIN
    return {403: "denied", 404: HIDDEN, 405: NOT_ALLOWED}.get(status, OK)


def _url(kind: str, name: str, rule: Rule, obj) -> str:
    if kind == "page":
        kwargs = rule.kwargs(obj) if rule.kwargs else ({"pk": obj.pk} if obj is not None else {})
        return reverse(name, kwargs=kwargs) + rule.query
    path = name.split(" ", 1)[1]
    kwargs = rule.kwargs(obj) if rule.kwargs else ({"id": obj.pk} if obj is not None else {})
    for key, value in kwargs.items():
        path = path.replace("{" + key + "}", str(value))
    return path + rule.query


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "name"), _params())
def test_matrix(kind, name, request, client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    pages, api, objects, _pending = declarations()
    if name not in (pages if kind == "page" else api):
        pytest.xfail("pending declaration (tests/security/authz_pending.py)")
    ctx = request.getfixturevalue("ctx")
    _app, rule = (pages if kind == "page" else api)[name]
    obj = objects[rule.obj](ctx) if rule.obj else None
    url = _url(kind, name, rule, obj)
    if kind == "page":
        actions = [("read", "get", rule.read), ("write", "post", rule.write)]
    else:
        method = name.split(" ", 1)[0].lower()
        actions = [("read" if method == "get" else "write", method, rule.read if method == "get" else rule.write)]
    wrong, observed = [], {}
    for action, method, access in actions:
        if access is None:
            continue
        for subject in SUBJECTS:
            user = ctx["users"][subject]
            if kind == "api":
                caller = APIClient()
                if user is not None:
                    caller.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
                response = getattr(caller, method)(url, {}, format="json") if method != "get" else caller.get(url)
            else:
                client.logout()
                if user is not None:
                    client.force_login(user)
                response = getattr(client, method)(url)
            try:
                got = _outcome(response)
            except AssertionError as error:
                wrong.append(f"{action} {subject}: {error}")
                continue
            observed.setdefault(action, {})[subject] = got
            expected = access.expected(subject)
            if got != expected:
                wrong.append(f"{action} {subject}: expected {expected}, got {got} ({response.status_code})")
    if RECORD:
        print(f"\nRECORD {name} {url}")
        for action, cells in observed.items():
            print(f"  {action}: " + " ".join(f"{s}={o}" for s, o in cells.items()))
        return
    assert not wrong, f"{name} ({url}):\n" + "\n".join(wrong)
