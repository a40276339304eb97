"""Writing a validated plan: reference data first, then batches, results and items as set-based upserts (each
chunk COPYed into a temporary staging table, then one INSERT … SELECT … ON CONFLICT into the audited table)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection

from core.models import Enterprise, Institution, ProductType, TestItem
from core.services import enterprise_product_lines_add
from core.staging import copy_to_staging
from sampling.models import ItemResult, SamplingTask, TaskStatus, TestResult
from sampling.services.importing.validation import BatchRow, ImportPlan, ItemRow
from sampling.services.verdicts import NewBatch

BATCH_SIZE = 2000
UPSERT_CHUNK = 5000


@dataclass
class WrittenChunk:
    """The batches one chunk wrote: ``new`` were inserted by it with their only result (a confirmed first test
    whose verdict is their final verdict, for services.verdicts.new_results_confirmed_after); ``changed`` (ids)
    existed and their row, result or items changed (for services.verdicts.results_confirmed_after)."""

    new: list[NewBatch]
    changed: list[int]


def write_reference_data(plan: ImportPlan) -> None:
    """First step of writing a plan without errors (the caller holds the transaction and the audit context):
    the institutions, product types, tasks and enterprises the file creates, and the tasks' product lists."""
    with connection.cursor() as cursor:
        # Every history trigger first asks pgtrigger whether it is ignored; with the setting unset
        # that check raises and catches an error per row, which halves bulk speed. An empty list
        # ignores nothing, so every row is still audited.
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
        # The chunk statements are short lookups by key; right after a large insert the statistics are stale and
        # their estimated cost can pass jit_above_cost, where compiling them (≈ 0.3 s) would cost more than running.
        cursor.execute("SET LOCAL jit = off")
    _create_reference_data(plan)
    # The enterprises' stored regions, read inside the transaction (their verdict facts carry them).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, region_id FROM core_enterprise WHERE id = ANY(%s)", [sorted(set(plan.enterprises.values()))]
        )
        plan.enterprise_regions = dict(cursor.fetchall())


def write_product_lines(plan: ImportPlan) -> None:
    """Last step: what each enterprise was sampled for joins its product lines (the draw's candidates)."""
    plan.product_lines_added = enterprise_product_lines_add(
        {(plan.enterprises[uscc], plan.types[(group_id, name)]) for uscc, group_id, name in plan.enterprise_products}
    )


def write_batches(
    plan: ImportPlan, batches: list[BatchRow], items_of: dict[tuple[str, str], list[ItemRow]]
) -> WrittenChunk:
    """Write one chunk of validated batches with their results (and items, when the file has them). Returns the
    ids of the batches the chunk inserted and of those it changed, for the after-confirmation step (their final
    verdicts are settled there). A batch whose row, result and items are all as stored is left alone: the step
    that ran when it was stored or confirmed already settled it, so it has nothing to do for it."""
    user_id = plan.user.pk if plan.user is not None else None
    samples = []
    for b in batches:
        task_id, year = plan.tasks[b.task_code]
        samples.append(
            (
                task_id,
                b.sample_no,
                plan.enterprises[b.uscc],
                plan.types[(b.group_id, b.product_name)],
                b.brand,
                b.model_spec,
                b.production_batch,
                b.stage,
                b.sampled_on,
                b.region_code,
                plan.province_zones.get(b.region_code[:2] + "0000", plan.regions[b.region_code].zone),
                b.size,
                year,
                # A new batch's only result is the confirmed one written below, so its final verdict is that
                # result's; an existing batch's is left to the after-confirmation step (services.verdicts).
                b.verdict,
                user_id,
            )
        )
    # Rows already stored and unchanged are left alone (no update, no history event), so ids come
    # from the plan's lookup of existing batches plus what the upsert returns.
    sample_ids = {
        (plan.tasks[b.task_code][0], b.sample_no): plan.existing[(b.task_code, b.sample_no)][0]
        for b in batches
        if (b.task_code, b.sample_no) in plan.existing
    }
    returned = _upsert(
        "sampling_sample",
        SAMPLE_COLUMNS,
        samples,
        constants={
            "place": "''",
            "quantity": "''",
            "is_published": "false",
            "created_at": "now()",
            "updated_at": "now()",
        },
        conflict=["task_id", "sample_no"],
        update=[name for name, _type in SAMPLE_COLUMNS[2:-1] if name != "final_verdict"],
        touch=("updated_at",),
        returning=["id", "task_id", "sample_no", "inserted"],
    )
    sample_ids.update({(task_id, sample_no): pk for pk, task_id, sample_no, _new in returned})
    inserted = {pk for pk, _task_id, _sample_no, new in returned if new}
    results = [
        (
            sample_ids[(plan.tasks[b.task_code][0], b.sample_no)],
            b.report_no,
            plan.institutions[b.institution],
            b.verdict,
            b.failed_items,
            user_id,
            user_id,
        )
        for b in batches
    ]
    touched = {pk for pk, _task_id, _sample_no, _new in returned}
    result_ids = dict(
        _upsert(
            "sampling_testresult",
            RESULT_COLUMNS,
            results,
            constants={
                "is_retest": "false",
                # RESULT_FLOW: entered → confirmed and confirmed → confirmed (re-import, recorded as an
                # amendment by the caller) are both allowed edges.
                "is_confirmed": "true",
                "status": "'confirmed'",
                "confirmed_at": "now()",
                "updated_at": "now()",
            },
            conflict=["sample_id", "is_retest"],
            update=[name for name, _type in RESULT_COLUMNS[1:]] + ["is_confirmed", "status"],
            touch=("confirmed_at", "updated_at"),
            returning=["sample_id", "id"],
        )
    )
    touched.update(result_ids)
    items = [item for b in batches for item in items_of.get((b.task_code, b.sample_no), ())]
    if items:
        keys = {(b.task_code, b.sample_no): sample_ids[(plan.tasks[b.task_code][0], b.sample_no)] for b in batches}
        unchanged = [sample_id for sample_id in keys.values() if sample_id not in result_ids]
        for start in range(0, len(unchanged), UPSERT_CHUNK):
            chunk = unchanged[start : start + UPSERT_CHUNK]
            result_ids.update(
                TestResult.objects.filter(sample_id__in=chunk, is_retest=False).values_list("sample_id", "id")
            )
        types = {(b.task_code, b.sample_no): plan.types[(b.group_id, b.product_name)] for b in batches}
        _write_items(items, {key: (result_ids[sample_id], types[key]) for key, sample_id in keys.items()})
        # Per-item results may change a confirmed result (an amendment, hence a new verdict fact): settle them all.
        touched.update(keys.values())
    ordered = [sample_ids[(plan.tasks[b.task_code][0], b.sample_no)] for b in batches]
    return WrittenChunk(
        new=[_new_batch(plan, b, pk, result_ids[pk]) for b, pk in zip(batches, ordered, strict=True) if pk in inserted],
        changed=[pk for pk in ordered if pk in touched and pk not in inserted],
    )


def _new_batch(plan: ImportPlan, b: BatchRow, sample_id: int, result_id: int) -> NewBatch:
    """A batch this chunk inserted, with the values it was written with (services.verdicts.NewBatch)."""
    enterprise_id = plan.enterprises[b.uscc]
    return NewBatch(
        sample_id=sample_id,
        result_id=result_id,
        sample_no=b.sample_no,
        task_code=b.task_code,
        enterprise_id=enterprise_id,
        uscc=b.uscc,
        region_code=plan.enterprise_regions[enterprise_id],
        product_type_id=plan.types[(b.group_id, b.product_name)],
        product_type=b.product_name,
        product_group_id=b.group_id,
        stage=b.stage,
        sampled_on=b.sampled_on,
        tested_on=None,  # not among the columns the import writes
        verdict=b.verdict,
        failed_items=tuple(b.failed_items),
    )


def _create_reference_data(plan: ImportPlan) -> None:
    if plan.new_institutions:
        created = Institution.objects.bulk_create([Institution(name=name) for name in sorted(plan.new_institutions)])
        plan.institutions.update({i.name: i.pk for i in created})
    if plan.new_types:
        created = ProductType.objects.bulk_create(
            [
                ProductType(group_id=group_id, name=name, code=_product_type_code(group_id, name))
                for group_id, name in sorted(plan.new_types)
            ]
        )
        plan.types.update({(t.group_id, t.name): t.pk for t in created})
    if plan.new_tasks:
        created = SamplingTask.objects.bulk_create(
            [
                SamplingTask(
                    code=code,
                    name=t.name,
                    level=t.level,
                    year=t.year,
                    region_id=t.region_code,
                    status=TaskStatus.IN_PROGRESS,
                    created_by=plan.user,
                )
                for code, t in plan.new_tasks.items()
            ]
        )
        plan.tasks.update({t.code: (t.pk, t.year) for t in created})
    if plan.new_enterprises:
        created = Enterprise.objects.bulk_create(
            [
                Enterprise(name=b.enterprise_name, uscc=uscc, region_id=b.region_code, size=b.size)
                for uscc, b in plan.new_enterprises.items()
            ]
        )
        plan.enterprises.update({e.uscc: e.pk for e in created})
    # The task's product list names what was sampled under it.
    links = {(plan.tasks[code][0], plan.types[(group_id, name)]) for code, group_id, name in plan.task_products}
    through = SamplingTask.product_types.through
    through.objects.bulk_create(
        [through(samplingtask_id=task_id, producttype_id=type_id) for task_id, type_id in links],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )


def _write_items(items: list[ItemRow], result_of: dict[tuple[str, str], tuple[int, int]]) -> None:
    type_ids = {type_id for _pk, type_id in result_of.values()}
    test_items = {
        (type_id, name): pk
        for pk, type_id, name in TestItem.objects.filter(product_type_id__in=type_ids).values_list(
            "id", "product_type_id", "name"
        )
    }
    values = []
    for item in items:
        result_id, type_id = result_of[item.key]
        values.append(
            (
                result_id,
                test_items.get((type_id, item.item_name)),
                item.item_name,
                item.standard,
                item.requirement,
                item.measured_value,
                item.verdict,
                item.order,
            )
        )
    # Items of these results that the file no longer lists are removed.
    result_ids = {row[0] for row in values}
    keep = {(row[0], row[2]) for row in values}
    stale = [
        pk
        for pk, result_id, name in ItemResult.objects.filter(result_id__in=result_ids).values_list(
            "id", "result_id", "item_name"
        )
        if (result_id, name) not in keep
    ]
    if stale:
        ItemResult.objects.filter(pk__in=stale).delete()
    _upsert(
        "sampling_itemresult",
        ITEM_RESULT_COLUMNS,
        values,
        conflict=["result_id", "item_name"],
        update=[name for name, _type in ITEM_RESULT_COLUMNS[1:] if name != "item_name"],
        returning=["id"],
    )


# Columns written by the upserts, with the type of each in the staging table.
SAMPLE_COLUMNS = [
    ("task_id", "bigint"),
    ("sample_no", "text"),
    ("enterprise_id", "bigint"),
    ("product_type_id", "bigint"),
    ("brand", "text"),
    ("model_spec", "text"),
    ("production_batch", "text"),
    ("stage", "text"),
    ("sampled_on", "date"),
    ("region_id", "text"),
    ("zone", "text"),
    ("enterprise_size", "text"),
    ("year", "integer"),
    ("final_verdict", "text"),
    ("created_by_id", "bigint"),
]
RESULT_COLUMNS = [
    ("sample_id", "bigint"),
    ("report_no", "text"),
    ("institution_id", "bigint"),
    ("verdict", "text"),
    ("failed_items", "text[]"),
    ("confirmed_by_id", "bigint"),
    ("entered_by_id", "bigint"),
]
ITEM_RESULT_COLUMNS = [
    ("result_id", "bigint"),
    ("test_item_id", "bigint"),
    ("item_name", "text"),
    ("standard", "text"),
    ("requirement", "text"),
    ("measured_value", "text"),
    ("verdict", "text"),
    ("order", "integer"),
]


def _upsert(
    table: str,
    columns: list[tuple[str, str]],
    rows: list[tuple],
    *,
    conflict: list[str],
    update: list[str],
    returning: list[str],
    touch: tuple[str, ...] = (),
    constants: dict[str, str] | None = None,
    expressions: dict[str, str] | None = None,
) -> list[tuple]:
    """COPY the rows into a temporary staging table, then one INSERT … SELECT … ON CONFLICT DO UPDATE.

    ``COPY FROM STDIN`` (psycopg's C dumpers) instead of one parameter per value, or one array per column bound in
    Python: the write costs a few statements whatever the file size. The staging table has no triggers and is
    dropped at the end of the transaction; the INSERT into the tracked table runs through Django's cursor, so its
    history triggers fire with the audit context as for any other write. A conflicting row is updated only when
    a column of ``update`` changes (``touch`` columns are then set too), and only inserted or updated rows are
    returned; ``returning`` may name ``inserted`` (true for a row this statement inserted, false for one it
    updated).
    """
    if not rows:
        return []
    constants = constants or {}
    expressions = expressions or {}
    names = [name for name, _type in columns]
    quoted = [connection.ops.quote_name(name) for name in names]
    compared = [connection.ops.quote_name(name) for name in update]
    assigned = compared + [connection.ops.quote_name(name) for name in touch]
    selected = [expressions.get(name, f"u.{q}") for name, q in zip(names, quoted, strict=True)]
    stage = connection.ops.quote_name(f"_import_stage_{table}")
    returned_sql = [f"({table}.xmax = 0)" if name == "inserted" else name for name in returning]
    sql = (
        f"INSERT INTO {table} ({', '.join(quoted + [connection.ops.quote_name(c) for c in constants])}) "
        f"SELECT {', '.join(selected + list(constants.values()))} FROM {stage} u "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in assigned)} "
        # Only rows whose values change are rewritten (and recorded in their history).
        f"WHERE ({', '.join(f'{table}.{c}' for c in compared)}) IS DISTINCT FROM "
        f"({', '.join(f'EXCLUDED.{c}' for c in compared)}) "
        f"RETURNING {', '.join(returned_sql)}"
    )
    with connection.cursor() as cursor:
        copy_to_staging(cursor, stage, zip(quoted, (kind for _name, kind in columns), strict=True), rows)
        cursor.execute(sql)
        return cursor.fetchall()


def _product_type_code(group_id: int, name: str) -> str:
    """A stable code for a product type created by an import (codes are unique, max 16 characters)."""
    return "IMP" + hashlib.sha1(f"{group_id}:{name}".encode()).hexdigest()[:12].upper()
