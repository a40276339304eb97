"""Sampling's facts in the enterprise ledger (docs/fact-ledger.md): kinds, their data, and set-based recording.

Facts are recorded in the transaction of the change that causes them. ``record_facts`` writes many at
once with the ledger's own idempotence (one fact per kind, source and ref), so that an import of 20,000
batches records its verdicts in one statement; a single change records one through the same path.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.facts import fact_kinds, register_fact_kind
from core.models_facts import EnterpriseFact
from core.staging import copy_to_staging

VERDICT_PASSED = "sampling.verdict_passed"
VERDICT_FAILED = "sampling.verdict_failed"
RECTIFICATION_DONE = "sampling.rectification_done"
RECTIFICATION_OVERDUE = "sampling.rectification_overdue"
REINSPECTION_FAILED = "sampling.reinspection_failed"
RESULT_PUBLISHED = "sampling.result_published"
RESULT_WITHDRAWN = "sampling.result_withdrawn"
SAMPLE_VOIDED = "sampling.sample_voided"
VERDICT_KINDS = (VERDICT_PASSED, VERDICT_FAILED)
SAMPLING_KINDS = (
    VERDICT_PASSED,
    VERDICT_FAILED,
    RECTIFICATION_DONE,
    RECTIFICATION_OVERDUE,
    REINSPECTION_FAILED,
    RESULT_PUBLISHED,
    RESULT_WITHDRAWN,
    SAMPLE_VOIDED,
)
SAMPLE_SOURCE = "sampling.sample"
FOLLOWUP_SOURCE = "sampling.followup"


def register_kinds() -> None:
    """Called from SamplingConfig.ready()."""
    register_fact_kind(VERDICT_PASSED, _("监督抽查合格"), category="sampling", polarity=1)
    register_fact_kind(VERDICT_FAILED, _("监督抽查不合格"), category="sampling", polarity=-1)
    register_fact_kind(RECTIFICATION_DONE, _("不合格整改完成"), category="sampling", polarity=1)
    register_fact_kind(RECTIFICATION_OVERDUE, _("不合格整改逾期"), category="sampling", polarity=-1)
    register_fact_kind(REINSPECTION_FAILED, _("复查不合格"), category="sampling", polarity=-1)
    register_fact_kind(RESULT_PUBLISHED, _("抽查结果公告"), category="sampling")
    register_fact_kind(RESULT_WITHDRAWN, _("抽查结果公告撤回"), category="sampling")
    register_fact_kind(SAMPLE_VOIDED, _("抽样单作废"), category="sampling")


# From this many facts on, record_facts writes them with COPY into a staging table and one INSERT … SELECT
# instead of the ORM's bulk_create (an import records 20,000 at a time; a single change records one).
COPY_FROM = 500


@dataclass
class FactRow:
    """One fact to record; ``ends_id`` names the fact it ends."""

    enterprise_id: int
    uscc: str
    region_code: str
    kind: str
    source_type: str
    source_id: str
    source_label: str
    occurred_on: dt.date
    ref: str = ""
    summary: str = ""
    data: dict = field(default_factory=dict)
    public_from: dt.date | None = None
    ends_id: int | None = None


def record_facts(rows: list[FactRow], *, user=None) -> int:
    """Record facts in the caller's transaction, once per (kind, source, ref) like core.facts.record_fact
    (a fact already recorded is left as it is). Returns how many were offered."""
    if not rows:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_facts must run inside the transaction of the change that causes it")
    known = fact_kinds()
    unknown = {row.kind for row in rows} - set(known)
    if unknown:
        raise ValueError(f"unregistered fact kinds {sorted(unknown)}")
    user_id = user.pk if getattr(user, "pk", None) else None
    if len(rows) >= COPY_FROM:
        _copy_facts(rows, user_id)
        return len(rows)
    EnterpriseFact.objects.bulk_create(
        [EnterpriseFact(**_columns(row), recorded_by_id=user_id) for row in rows],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(rows)


def _columns(row: FactRow) -> dict:
    """The ledger's columns of a fact (label and summary cut to their fields' lengths), for either way of writing."""
    return {
        "enterprise_id": row.enterprise_id,
        "uscc": row.uscc,
        "region_code": row.region_code,
        "kind": row.kind,
        "occurred_on": row.occurred_on,
        "source_type": row.source_type,
        "source_id": row.source_id,
        "source_label": row.source_label[:128],
        "ref": row.ref,
        "summary": row.summary[:255],
        "data": row.data,
        "public_from": row.public_from,
        "ends_id": row.ends_id,
    }


def sample_fact_data(sample) -> dict:
    """The data every verdict fact carries (docs/fact-ledger.md); the sample has task and product type loaded."""
    return verdict_fact_data(
        sample_no=sample.sample_no,
        task_code=sample.task.code,
        product_type_id=sample.product_type_id,
        product_type=sample.product_type.name,
        product_group_id=sample.product_type.group_id,
        stage=sample.stage,
    )


def verdict_fact_data(
    *, sample_no: str, task_code: str, product_type_id: int, product_type: str, product_group_id: int, stage: str
) -> dict:
    """sample_fact_data from the values themselves (for batches whose values the caller holds, e.g. the import)."""
    return {
        "sample_no": sample_no,
        "task_code": task_code,
        "product_type_id": product_type_id,
        "product_type": product_type,
        "product_group_id": product_group_id,
        "stage": stage,
    }


def verdict_ref(result_id: int, amendments: int) -> str:
    """A verdict fact per deciding result and amendment: a later correction is a new fact ending the old."""
    return f"{result_id}.{amendments}"


def verdict_fact(
    *,
    sample_id: int,
    sample_no: str,
    enterprise_id: int,
    uscc: str,
    region_code: str,
    failed: bool,
    verdict_label: str,
    product_type: str,
    data: dict,
    failed_items,
    occurred_on: dt.date,
    ref: str,
    ends_id: int | None = None,
) -> FactRow:
    """The verdict fact of a batch (合格 or 不合格, the failed items with a 不合格), whichever path confirmed it."""
    if failed:
        data = {**data, "failed_items": list(failed_items)}
    return FactRow(
        enterprise_id=enterprise_id,
        uscc=uscc,
        region_code=region_code,
        kind=VERDICT_FAILED if failed else VERDICT_PASSED,
        source_type=SAMPLE_SOURCE,
        source_id=str(sample_id),
        source_label=sample_no,
        occurred_on=occurred_on,
        ref=ref,
        summary=f"{sample_no} {product_type} {verdict_label}",
        data=data,
        ends_id=ends_id,
    )


def open_verdict_facts(sample_ids) -> dict[int, EnterpriseFact]:
    """The latest verdict fact of each sample that no later fact has ended."""
    facts = (
        EnterpriseFact.objects.filter(
            kind__in=VERDICT_KINDS, source_type=SAMPLE_SOURCE, source_id__in=[str(pk) for pk in sample_ids]
        )
        .filter(ended_by__isnull=True)
        .order_by("source_id", "-id")
    )
    latest: dict[int, EnterpriseFact] = {}
    for fact in facts:
        latest.setdefault(int(fact.source_id), fact)
    return latest


_STAGE = "_fact_stage"
# The staging table's columns: the order offered, then _columns() in its order (data as JSON text for COPY).
_STAGED = [
    ("ord", "bigint"),
    ("enterprise_id", "bigint"),
    ("uscc", "text"),
    ("region_code", "text"),
    ("kind", "text"),
    ("occurred_on", "date"),
    ("source_type", "text"),
    ("source_id", "text"),
    ("source_label", "text"),
    ("ref", "text"),
    ("summary", "text"),
    ("data", "jsonb"),
    ("public_from", "date"),
    ("ends_id", "bigint"),
]
_WRITTEN = ", ".join(name for name, _kind in _STAGED[1:])
_FROM_STAGE = f"""
    INSERT INTO core_enterprisefact ({_WRITTEN}, recorded_at, recorded_by_id)
    SELECT {_WRITTEN}, %s, %s FROM {_STAGE} ORDER BY ord
    ON CONFLICT DO NOTHING
"""


def _copy_facts(rows: list[FactRow], user_id: int | None) -> None:
    """What bulk_create(ignore_conflicts=True) writes, in the order offered, through a staging table
    (core.staging): the ledger's constraints and its insert-only trigger apply as to any insert."""
    staged = (
        (ord_, *{**values, "data": json.dumps(values["data"])}.values())
        for ord_, values in enumerate(map(_columns, rows))
    )
    with connection.cursor() as cursor:
        copy_to_staging(cursor, _STAGE, _STAGED, staged)
        cursor.execute(_FROM_STAGE, [timezone.now(), user_id])
