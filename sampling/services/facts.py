"""Sampling's facts in the enterprise ledger (docs/fact-ledger.md): kinds, their data, and set-based recording.

Facts are recorded in the transaction of the change that causes them. ``record_facts`` writes many at
once with the ledger's own idempotence (one fact per kind, source and ref), so that an import of 20,000
batches records its verdicts in one statement; a single change records one through the same path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.facts import fact_kinds, register_fact_kind
from core.models_facts import EnterpriseFact

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
    EnterpriseFact.objects.bulk_create(
        [
            EnterpriseFact(
                enterprise_id=row.enterprise_id,
                uscc=row.uscc,
                region_code=row.region_code,
                kind=row.kind,
                occurred_on=row.occurred_on,
                source_type=row.source_type,
                source_id=row.source_id,
                source_label=row.source_label[:128],
                ref=row.ref,
                summary=row.summary[:255],
                data=row.data,
                public_from=row.public_from,
                ends_id=row.ends_id,
                recorded_by_id=user_id,
            )
            for row in rows
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return len(rows)


def sample_fact_data(sample) -> dict:
    """The data every verdict fact carries (docs/fact-ledger.md); the sample has task and product type loaded."""
    return {
        "sample_no": sample.sample_no,
        "task_code": sample.task.code,
        "product_type_id": sample.product_type_id,
        "product_type": sample.product_type.name,
        "product_group_id": sample.product_type.group_id,
        "stage": sample.stage,
    }


def verdict_ref(result_id: int, amendments: int) -> str:
    """A verdict fact per deciding result and amendment: a later correction is a new fact ending the old."""
    return f"{result_id}.{amendments}"


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
