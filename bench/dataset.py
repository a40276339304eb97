r"""Synthetic sampling data set for the benchmarks, generated in SQL (INSERT ... SELECT generate_series).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/dataset.py --batches 2000000

Creates (or reuses, when the bench batch count already matches) in a dedicated database — its name must
contain "bench" — 50,000 enterprises spread over every county of six provinces, sampling tasks of 2019–2026
(national and provincial, one per product group), N sampled batches with the statistics snapshots
(region, zone, enterprise size, year, final verdict), a confirmed first test result per judged batch
(failed_items named from the catalogue's test items for the failing ~9 %), and published announcements
covering part of the batches (is_published = true).

The distributions follow the 2017 national sampling (sampling/scale.py): enterprise sizes 10.1 / 18.8 / 71.1 %,
pass rates by size and zone. The pghistory audit triggers of the loaded tables are disabled for the bulk load
only (ALTER TABLE ... DISABLE TRIGGER USER inside the load's transaction, re-enabled before it commits): a
synthetic bench data set is not an audited record. Constraints and foreign keys stay checked.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

# Hunan, Guangdong, Sichuan, Jiangsu, Hubei, Zhejiang: central, east and west zones.
PROVINCES = ["430000", "440000", "510000", "320000", "420000", "330000"]
DEFAULT_ENTERPRISES = 50_000
SEED = 2026
# The generation SQL is in core/scale.py and sampling/scale.py, shared with `manage.py generate_scale`.


def bench_batches(cursor) -> int:
    from sampling.scale import TASK_PREFIX

    cursor.execute(
        "SELECT count(*) FROM sampling_sample s JOIN sampling_samplingtask t ON t.id = s.task_id WHERE t.code LIKE %s",
        [TASK_PREFIX + "%"],
    )
    return cursor.fetchone()[0]


def build(batches: int, enterprises: int = DEFAULT_ENTERPRISES, *, force: bool = False) -> None:
    """Create the data set unless a data set of ``batches`` bench batches is there already."""
    from django.core.management import call_command
    from django.db import connection

    from core.models import ProductType, Region, RegionLevel

    with connection.cursor() as cur:
        existing = bench_batches(cur)
    if existing == batches and not force:
        print(f"复用已有数据：{batches:,} 个基准批次")
        return
    if not Region.objects.filter(level=RegionLevel.COUNTY).exists() or not ProductType.objects.exists():
        call_command("load_reference_data", verbosity=0)
    from core import scale

    steps = [step for step in scale.autodiscover() if step.name in ("enterprises", "sampling")]
    plan = scale.Plan(enterprises=enterprises, batches=batches, seed=SEED, provinces=PROVINCES)
    started = time.perf_counter()
    print("批量加载期间停用审计触发器（ALTER TABLE … DISABLE TRIGGER USER），加载完成后在同一事务内重新启用")
    scale.run(plan, steps, replace=True, report=lambda line: print("  " + line))
    print(f"已生成数据：{enterprises:,} 家企业，{batches:,} 批次，共用时 {time.perf_counter() - started:.1f} 秒")


def describe() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE final_verdict = 'fail'),
                   count(*) FILTER (WHERE final_verdict = ''), count(*) FILTER (WHERE is_published),
                   count(DISTINCT region_id), min(year), max(year)
              FROM sampling_sample
            """
        )
        total, failed, pending, published, regions, first, last = cur.fetchone()
        cur.execute("SELECT count(*) FROM sampling_announcement WHERE status = 'published'")
        announcements = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM core_enterprise")
        enterprises = cur.fetchone()[0]
    print(
        f"数据集：{total:,} 批次（不合格 {failed:,}，{failed / max(total - pending, 1):.1%}；待检 {pending:,}），"
        f"{regions} 个县区，{first}–{last} 年；已公开 {published:,} 批次 / {announcements} 则公告；"
        f"企业 {enterprises:,} 家"
    )


def require_bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(
            "请用专用的基准测试数据库（库名含 bench），例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES)
    parser.add_argument("--force", action="store_true", help="即使批次数相同也重新生成")
    args = parser.parse_args()
    require_bench_database()
    import django

    django.setup()
    build(args.batches, args.enterprises, force=args.force)
    describe()


if __name__ == "__main__":
    main()
