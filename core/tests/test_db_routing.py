"""Statistics and report reads go to the replica alias when one is configured; writes and other reads never do.

The test settings configure ``replica`` as a test mirror of default (a second connection to the same test database),
so these tests see which connection ran each query; scripts/multimachine.py checks the same against a real replica."""

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from core.db_routing import read_alias, replica_reads
from core.models import Region
from quality_platform.celery import app as celery_app


def test_reads_inside_the_block_use_the_replica_and_writes_never_do(settings):
    settings.REPLICA_READS = True
    assert router.db_for_read(Region) == "default"
    with replica_reads():
        assert router.db_for_read(Region) == "replica"
        assert router.db_for_write(Region) == "default"
        with replica_reads():
            assert read_alias() == "replica"
        assert read_alias() == "replica"
    assert read_alias() == "default"
    assert not router.allow_migrate("replica", "core")
    assert router.allow_migrate("default", "core")


def test_without_a_replica_everything_stays_on_default(settings, monkeypatch):
    settings.REPLICA_READS = True
    monkeypatch.setattr("core.db_routing.REPLICA", "not-configured")  # as if DATABASE_REPLICA_URL were unset
    with replica_reads():
        assert read_alias() == "default"


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_statistics_are_read_on_the_replica(settings):
    from sampling import statistics

    settings.REPLICA_READS = True
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        assert statistics.pass_rate_total(year=2024)["batches"] == 0
        assert statistics.failed_item_ranking(year=2024) == []
    assert sum("sampling_sample" in q["sql"] for q in replica.captured_queries) == 2
    assert not [q for q in primary.captured_queries if "sampling_sample" in q["sql"]]


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("core.tasks.generate_report", "reports"),
        ("core.tasks.schedule_periodic_reports", "reports"),
        ("sampling.tasks.import_results", "imports"),
        ("credit.tasks.take_up_facts_task", "default"),
        ("sampling.tasks.record_overdue_rectifications", "default"),
    ],
)
def test_tasks_go_to_their_queue(task, queue):
    route = celery_app.amqp.router.route({}, task)
    assert route["queue"].name == queue
