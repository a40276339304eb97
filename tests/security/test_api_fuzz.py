"""API fuzzing (schemathesis) against /api/schema/, anonymous and as a staff user with a token: no server error and
no response that contradicts the schema, on the core and sampling endpoints.

Bounded: FUZZ_EXAMPLES examples per operation (default 8; CI runs this module on its own, bounded to 15 minutes).
Run: ``.venv/bin/pytest tests/security/test_api_fuzz.py -p no:xdist`` (``FUZZ_EXAMPLES=50`` for a longer run).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from core.models import Role
from core.tests.factories import EnterpriseFactory, UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
# Core and sampling operations; the other apps' endpoints are fuzzed once their owners list them here.
FUZZED_PATHS = (
    r"^/api/v1/(auth/token|regions|enterprises|product-groups|product-types|institutions|tasks|samples|"
    r"redraw-requests|sampling|statistics|public/(announcements|results))(/|$)"
)
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(db):
    from django.core import signals
    from django.db import close_old_connections

    from quality_platform.wsgi import application

    # As Django's test client does: requests must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application).include(path_regex=FUZZED_PATHS)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz(api_schema, headers: dict | None = None) -> list[str]:
    """Every operation, EXAMPLES generated cases each; the first failure of each operation is reported."""
    failures: dict[str, str] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        _run_operation(operation, headers, failures)
    return list(failures.values())


def _run_operation(operation, headers, failures: dict[str, str]) -> None:
    label = operation.label

    @given(case=operation.as_strategy())
    @fuzz_settings
    def run(case):
        if label in failures:
            return
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:  # noqa: BLE001  (reported below with the case that caused it)
            failures[label] = f"{label}: {type(exc).__name__}: {str(exc)[:1500]}\n  {case.as_curl_command()}"

    run()


@pytest.fixture
def seeded(regions):
    """A little of everything the lists serialise, including the values that broke the schema before: an enterprise
    without a credit class, a sample without an institution, a task with batches."""
    from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

    EnterpriseFactory(credit_class="", region=regions["430102"])
    task = make_task(region_code="430100", year=2025)
    make_sample(task, make_enterprise("430102"))
    make_sample(task, make_enterprise("430103"), final_verdict="pass", is_published=True)
    return task


@pytest.fixture
def staff_token(seeded, regions):
    from rest_framework.authtoken.models import Token

    user = UserFactory(username="fuzz_admin", role=Role.ADMINISTRATOR, jurisdiction=regions["430000"])
    return Token.objects.create(user=user).key


def test_anonymous(api_schema, seeded):
    failures = fuzz(api_schema)
    assert not failures, "\n\n".join(failures)


def test_staff_with_a_token(api_schema, staff_token):
    failures = fuzz(api_schema, {"Authorization": f"Token {staff_token}"})
    assert not failures, "\n\n".join(failures)


def test_the_fuzzed_operations_cover_core_and_sampling(api_schema):
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert "GET /api/v1/enterprises/" in labels and "GET /api/v1/statistics/pass-rate/" in labels
    assert len(labels) >= 30
    assert dt.date.today()  # keeps the import honest for the date-based fixtures
