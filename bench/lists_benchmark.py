r"""Staff lists at scale: the sample list and the task list of a national, a provincial and a county user,
p50/p95 in ms beside a trivial view (the login page) measured in the same run, and the queries per page at
20 and 100 rows (they must be equal: no N+1).

In-process test client, DEBUG off. Refuses to run unless the database name contains "bench" or "scale".

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_lists_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/dataset.py --batches 2000000      # about 5 minutes
    .venv/bin/python bench/lists_benchmark.py --requests 40
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# A national user, a provincial one (Hunan) and a county one (the county with the most bench batches).
PERSONAS = [("national", "000000"), ("province", "430000"), ("county", None)]


def busiest_county() -> str:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT region_id FROM sampling_sample WHERE region_id LIKE '43%%'"
            " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        return cur.fetchone()[0]


def busiest_task(code: str) -> int | None:
    """The task organised in ``code``'s region or below with the most batches (its page shows its progress)."""
    prefix = "" if code == "000000" else code.rstrip("0")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT s.task_id FROM sampling_sample s JOIN sampling_samplingtask t ON t.id = s.task_id"
            " WHERE t.region_id LIKE %s GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            [prefix + "%"],
        )
        row = cur.fetchone()
    return row[0] if row else None


def persona(name: str, code: str):
    from core.models import Region, Role, User

    user, _created = User.objects.get_or_create(
        username=f"bench_lists_{name}",
        defaults={"role": Role.ADMINISTRATOR, "jurisdiction": Region.objects.get(code=code)},
    )
    return user


def time_page(client: Client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def query_counts(client: Client, url: str, module, attribute: str) -> tuple[int, int]:
    counts = []
    default = getattr(module, attribute)
    # A persona's first page also fills per-process tables and the session (3 queries once): not the page's own.
    client.get(url)
    for size in (20, 100):
        setattr(module, attribute, size)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    setattr(module, attribute, default)
    return counts[0], counts[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name and "scale" not in name:
        sys.exit("refusing to run: the database name must contain 'bench' or 'scale'")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    from sampling.models import Sample, SamplingTask
    from sampling.views import samples as sample_views
    from sampling.views import tasks as task_views

    print(
        f"数据：{Sample.objects.count():,} 批次，{SamplingTask.objects.count():,} 个任务；每项 {args.requests} 次请求"
    )
    anonymous = Client()
    base50, base95 = time_page(anonymous, "/accounts/login/", args.requests)
    print(f"{'基线 /accounts/login/':44s} p50 {base50:7.1f} ms  p95 {base95:7.1f} ms")
    county = busiest_county()
    for who, code in PERSONAS:
        code = code or county
        client = Client()
        client.force_login(persona(who, code))
        for label, url, module, attribute in (
            ("sample list", "/sampling/samples/", sample_views, "SAMPLES_PER_PAGE"),
            ("sample list, page 3", "/sampling/samples/?page=3", sample_views, "SAMPLES_PER_PAGE"),
            ("task list", "/sampling/tasks/", task_views, "TASKS_PER_PAGE"),
        ):
            q20, q100 = query_counts(client, url, module, attribute)
            p50, p95 = time_page(client, url, args.requests)
            print(
                f"{who + ' ' + code + ' ' + label:44s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                f"(p95 {p95 / base95:4.1f}× login)  queries at 20/100 rows: {q20}/{q100}"
            )
        task = busiest_task(code)
        if task is not None:  # the task page with its progress figures (the bench has no county tasks)
            p50, p95 = time_page(client, f"/sampling/tasks/{task}/", args.requests)
            batches = Sample.objects.filter(task_id=task).count()
            print(
                f"{who + ' ' + code + ' task page (' + format(batches, ',') + ' batches)':44s} "
                f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (p95 {p95 / base95:4.1f}× login)"
            )


if __name__ == "__main__":
    main()
