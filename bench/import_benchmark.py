r"""Benchmark of the sampling-results import: a 20,000-row .xlsx, against merely reading the same file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/import_benchmark.py --rows 20000

Builds an .xlsx in the interchange shape (docs/formats/sampling-results.md, the column names of
sampling.services.spreadsheets): new tasks and enterprises (valid USCCs from core.demo.make_uscc), catalogue
product groups and types, existing county codes, existing institutions, ~9 % failing rows naming catalogue
test items. Then times
  (a) reading the file with the importer's own reader (spreadsheets.read_tables),
  (b) the full import (sampling.services.importing.import_sampling, create_missing=True: tasks and
      enterprises are created on this first run), with the audit triggers on, as in production,
  (c) a re-import of the same file (validation + upserts that change nothing),
and prints rows/s for each. Aim (issue 14): first import >= 5,000 rows/s. The imported rows are removed afterwards
(unless --keep), so the 2-million-batch data set of bench/dataset.py stays as it was.

Memory: `--file PATH --only generate` writes the file once; `/usr/bin/time -v ... --file PATH --only import` then
measures the import alone (max RSS), without the generator's own memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

TASK_PREFIX = "IMPB-"
PROVINCE = "43"  # Hunan
TASKS = 10
ENTERPRISES = 1500
AIM_ROWS_PER_SECOND = 5000


def build_rows(rows: int, seed: int = 20260) -> list[list]:
    """The main-sheet rows (header first), in the column order of spreadsheets.MAIN_COLUMNS."""
    from core.demo import make_uscc
    from core.models import Institution, ProductType, Region, RegionLevel, TestItem
    from sampling.services.spreadsheets import MAIN_COLUMNS

    rng = random.Random(seed)
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, is_active=True, code__startswith=PROVINCE)
        .order_by("code")
        .values_list("code", "name")
    )
    types = list(ProductType.objects.filter(is_active=True).select_related("group").order_by("id"))
    items_of: dict[int, list[str]] = {}
    for type_id, name in TestItem.objects.order_by("order", "id").values_list("product_type_id", "name"):
        items_of.setdefault(type_id, []).append(name)
    institutions = list(Institution.objects.order_by("id").values_list("name", flat=True))
    enterprises = []
    seen: set[str] = set()
    while len(enterprises) < ENTERPRISES:
        code, county = rng.choice(counties)
        uscc = make_uscc(code, rng)
        if uscc in seen:
            continue
        seen.add(uscc)
        size = rng.choice(["大型", "中型", "小型", "小型", "微型", "微型"])
        enterprises.append((f"{county}导入基准{len(enterprises) + 1}号有限公司", uscc, code, size))
    tasks = [(f"{TASK_PREFIX}2026-{n:02d}", f"2026年导入基准抽查任务{n}", "省", 2026) for n in range(1, TASKS + 1)]
    table: list[list] = [list(MAIN_COLUMNS)]
    for n in range(1, rows + 1):
        code, name, level, year = tasks[n % TASKS]
        enterprise_name, uscc, region_code, size = rng.choice(enterprises)
        product = rng.choice(types)
        failing = rng.random() < 0.09
        failed = ""
        if failing:
            names = items_of.get(product.id) or ["标志和说明"]
            failed = "；".join(rng.sample(names, k=min(len(names), rng.choice([1, 1, 2]))))
        values = {
            "抽样单编号": f"IMPB-S{n:06d}",
            "任务编号": code,
            "任务名称": name,
            "抽查级别": level,
            "年度": year,
            "抽样日期": dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300)),
            "产品类别": product.group.name,
            "产品名称": product.name,
            "企业名称": enterprise_name,
            "统一社会信用代码": uscc,
            "所在地区代码": region_code,
            "企业规模": size,
            "抽样环节": rng.choice(["生产", "生产", "流通", "电商"]),
            "商标": rng.choice(["美好", "家乐", "童趣", ""]),
            "规格型号": f"M-{rng.randrange(1000)}",
            "生产日期/批号": f"2026{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}",
            "检验机构": rng.choice(institutions),
            "检验报告编号": f"IMPB-R{n:06d}",
            "检验结论": "不合格" if failing else "合格",
            "不合格项目": failed,
        }
        table.append([values[column] for column in MAIN_COLUMNS])
    return table


def write_xlsx(path: Path, table: list[list]) -> None:
    from openpyxl import Workbook

    from sampling.services.spreadsheets import MAIN_SHEET

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(MAIN_SHEET)
    for line in table:
        sheet.append(line)
    workbook.save(path)


def remove_imported() -> int:
    """Delete what an earlier run imported (tasks IMPB-*, their batches, results and new enterprises)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT id FROM sampling_samplingtask WHERE code LIKE %s", [TASK_PREFIX + "%"])
        task_ids = [row[0] for row in cur.fetchall()]
        if not task_ids:
            return 0
        cur.execute("SELECT id, enterprise_id FROM sampling_sample WHERE task_id = ANY(%s)", [task_ids])
        pairs = cur.fetchall()
        sample_ids = [pk for pk, _e in pairs]
        enterprise_ids = sorted({e for _pk, e in pairs})
        # Clean-up of a benchmark's own rows: no history events for it, and the import's events go too.
        tables = (
            "sampling_sample",
            "sampling_testresult",
            "sampling_samplingtask",
            "core_enterprise",
            "core_enterprisefact",  # insert-only in production; the benchmark removes its own facts
            "sampling_followup",
        )
        for table in tables:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        # The import opens follow-up steps and records facts like browser entry does: they go first.
        cur.execute("DELETE FROM sampling_followupevent WHERE sample_id = ANY(%s)", [sample_ids])
        cur.execute("DELETE FROM sampling_followup WHERE sample_id = ANY(%s)", [sample_ids])
        cur.execute(
            "DELETE FROM core_enterprisefact WHERE source_type = 'sampling.sample' AND source_id = ANY(%s)",
            [[str(pk) for pk in sample_ids]],
        )
        cur.execute(
            "DELETE FROM sampling_resultamendment WHERE result_id IN "
            "(SELECT id FROM sampling_testresult WHERE sample_id = ANY(%s))",
            [sample_ids],
        )
        cur.execute("DELETE FROM sampling_testresultevent WHERE sample_id = ANY(%s)", [sample_ids])
        cur.execute("DELETE FROM sampling_testresult WHERE sample_id = ANY(%s)", [sample_ids])
        cur.execute("DELETE FROM sampling_sampleevent WHERE pgh_obj_id = ANY(%s)", [sample_ids])
        cur.execute("DELETE FROM sampling_sample WHERE id = ANY(%s)", [sample_ids])
        cur.execute("DELETE FROM sampling_samplingtask_product_types WHERE samplingtask_id = ANY(%s)", [task_ids])
        cur.execute("DELETE FROM sampling_samplingtaskevent WHERE pgh_obj_id = ANY(%s)", [task_ids])
        cur.execute("DELETE FROM sampling_samplingtask WHERE id = ANY(%s)", [task_ids])
        cur.execute(
            "DELETE FROM core_enterprise_product_lines pl USING core_enterprise e WHERE pl.enterprise_id = e.id "
            "AND e.id = ANY(%s) AND e.uscc NOT LIKE '________Z%%' "
            "AND NOT EXISTS (SELECT 1 FROM sampling_sample s WHERE s.enterprise_id = e.id)",
            [enterprise_ids],
        )
        cur.execute(
            "DELETE FROM core_enterprise e WHERE e.id = ANY(%s) AND e.uscc NOT LIKE '________Z%%' "
            "AND NOT EXISTS (SELECT 1 FROM sampling_sample s WHERE s.enterprise_id = e.id) RETURNING id",
            [enterprise_ids],
        )
        removed = [row[0] for row in cur.fetchall()]
        cur.execute("DELETE FROM core_enterpriseevent WHERE pgh_obj_id = ANY(%s)", [removed])
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return len(sample_ids)


def pad(text: str, width: int) -> str:
    """Left-align in a terminal: CJK characters take two columns."""
    return text + " " * max(0, width - sum(2 if ord(ch) > 0x2E7F else 1 for ch in text))


def timed(label: str, rows: int, func):
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"{pad(label, 34)}{seconds:>9.2f} 秒{rows / seconds:>12,.0f} 行/秒")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="保留导入的数据（默认结束后删除）")
    parser.add_argument(
        "--file",
        type=Path,
        help="xlsx 文件：存在则直接使用（不再生成），否则生成后保存到此处（供单独测量内存）",
    )
    parser.add_argument(
        "--only",
        choices=["generate", "read", "import"],
        help="只做一步：generate 仅生成 --file；read 仅 (a)；import 仅 (b)（配合 /usr/bin/time -v 测最大内存）",
    )
    args = parser.parse_args()
    if args.only == "generate" and args.file is None:
        parser.error("--only generate 需要 --file")
    sys.path.insert(0, str(BASE_DIR / "bench"))
    from dataset import require_bench_database

    require_bench_database()
    import django

    django.setup()
    from django.db import connection

    from sampling.models import Sample
    from sampling.services.importing import import_sampling
    from sampling.services.spreadsheets import read_tables, read_upload

    removed = remove_imported()
    if removed:
        print(f"已删除上次运行导入的 {removed:,} 个批次")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM sampling_sample")
        print(f"库中已有 {cur.fetchone()[0]:,} 个批次；导入时审计触发器开启（与生产相同）")

    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "抽查结果.xlsx"
        if not path.exists():
            started = time.perf_counter()
            write_xlsx(path, build_rows(args.rows))
            print(f"生成 {args.rows:,} 行 xlsx：{time.perf_counter() - started:.1f} 秒")
        print(f"文件 {path.name}（{path.stat().st_size / 1024:,.0f} KB），{args.rows:,} 行")
        if args.only == "generate":
            return
        print(f"{pad('步骤', 34)}{'用时':>9}{'速度':>14}")

        def read():
            name, data = read_upload(path)
            return read_tables(name, data)

        if args.only in (None, "read"):
            (main_rows, _items), _s = timed("(a) 仅读取文件", args.rows, read)
            assert len(main_rows) == args.rows + 1
            del main_rows, _items
        if args.only in (None, "import"):
            first, seconds = timed(
                "(b) 首次导入（创建任务/企业）", args.rows, lambda: import_sampling(file=path, create_missing=True)
            )
            assert not first.errors, first.errors[:5]
            print(f"    创建 {first.batches_created:,} 批次、{first.enterprises_created:,} 家企业", end="")
            print(f"、{first.tasks_created} 个任务")
            verdict = "达到" if args.rows / seconds >= AIM_ROWS_PER_SECOND else "未达到"
            print(f"目标：首次导入 ≥ {AIM_ROWS_PER_SECOND:,} 行/秒 —— {verdict}")
        if args.only is None:
            again, _s = timed(
                "(c) 再次导入同一文件", args.rows, lambda: import_sampling(file=path, create_missing=True)
            )
            assert not again.errors and again.batches_created == 0, again
            print(f"    更新 {again.batches_updated:,} 批次（内容相同，未改写）")
    if not args.keep:
        removed = remove_imported()
        print(f"已删除本次导入的 {removed:,} 个批次；剩余 {Sample.objects.count():,} 个批次")


if __name__ == "__main__":
    main()
