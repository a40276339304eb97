"""The one step after a result is confirmed (or an objection or an amendment changes what decides).

Rule (产品质量法 art. 15, DOMAIN §1): a sample's final verdict (最终结论) comes only from a confirmed deciding
result: the confirmed re-test when there is one, otherwise the confirmed first test, and none while an
objection is open. Only that verdict is drafted, published, counted and reported. When it becomes 不合格
the post-processing chain opens with its notice step (办法 art. 44); when it turns 合格 the open steps close.
The verdict facts of the ledger are recorded with it.

Browser confirmation, amendments, objection decisions and the spreadsheet import all end here, set-based,
so an import of 20,000 batches takes a few statements and a single confirmation the same path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sampling.models import (
    FollowUp,
    FollowUpOutcome,
    FollowUpStep,
    ObjectionStatus,
    ResultAmendment,
    Sample,
    TestResult,
    Verdict,
)
from sampling.services import facts as sampling_facts
from sampling.transitions import FOLLOWUP_FLOW, OPTIONAL_STEPS, SAMPLE_VERDICT_FLOW

OPEN_OBJECTION_STATES = (ObjectionStatus.FILED, ObjectionStatus.RETESTING)


@dataclass
class AfterConfirmation:
    """What the step did, for the import summary and messages."""

    verdicts_changed: int = 0
    notices_opened: int = 0
    chains_outside: int = 0
    chains_closed: int = 0


def deciding_result(results: list, *, objection_open: bool):
    """The confirmed result that decides: the re-test's, else the first test's unless an objection is open."""
    confirmed = {r.is_retest: r for r in results if r.is_confirmed}
    if True in confirmed:
        return confirmed[True]
    if objection_open:
        return None
    return confirmed.get(False)


def results_confirmed_after(
    *,
    user,
    sample_ids,
    on: dt.date | None = None,
    archive: bool = False,
    archive_note: str = "",
) -> AfterConfirmation:
    """Settle the final verdicts of ``sample_ids`` after a confirmation (caller holds the transaction).

    ``archive`` (old years imported as an archive): a new 不合格 opens no running step; its chain is
    recorded as handled outside the platform (平台外办结) with ``archive_note``, visibly, and never overdue.
    """

    on = on or timezone.localdate()
    ids = list(sample_ids)
    summary = AfterConfirmation()
    if not ids:
        return summary
    samples = list(
        Sample.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("task", "product_type", "enterprise")
        .only(
            "pk",
            "sample_no",
            "stage",
            "sampled_on",
            "final_verdict",
            "voided_at",
            "enterprise_id",
            "product_type_id",
            "task_id",
            "task__code",
            "product_type__name",
            "product_type__group_id",
            "enterprise__uscc",
            "enterprise__region_id",
        )
        .order_by("pk")
    )
    results: dict[int, list] = defaultdict(list)
    for result in TestResult.objects.filter(sample_id__in=ids, is_confirmed=True).only(
        "id", "sample_id", "is_retest", "is_confirmed", "verdict", "failed_items", "tested_on"
    ):
        results[result.sample_id].append(result)
    amended = dict(
        ResultAmendment.objects.filter(result__sample_id__in=ids)
        .values("result_id")
        .annotate(n=Count("id"))
        .values_list("result_id", "n")
    )
    objected = set(
        Sample.objects.filter(pk__in=ids, objections__status__in=OPEN_OBJECTION_STATES).values_list("pk", flat=True)
    )
    with_steps = set(FollowUp.objects.filter(sample_id__in=ids).values_list("sample_id", flat=True).distinct())
    open_facts = sampling_facts.open_verdict_facts(ids)

    changed: dict[str, list[int]] = defaultdict(list)
    to_close: list[int] = []
    new_steps: list[FollowUp] = []
    fact_rows: list[sampling_facts.FactRow] = []
    notice = None
    for sample in samples:
        # A voided sample (作废) has no deciding result any more, whatever its results say.
        deciding = (
            None
            if sample.voided_at is not None
            else deciding_result(results.get(sample.pk, []), objection_open=sample.pk in objected)
        )
        verdict = deciding.verdict if deciding is not None else Verdict.PENDING
        old = sample.final_verdict
        if verdict != old:
            SAMPLE_VERDICT_FLOW.require(sample, verdict)
            changed[verdict].append(sample.pk)
            sample.final_verdict = verdict
        if deciding is not None:
            kind = sampling_facts.VERDICT_FAILED if verdict == Verdict.FAIL else sampling_facts.VERDICT_PASSED
            ref = sampling_facts.verdict_ref(deciding.pk, amended.get(deciding.pk, 0))
            previous = open_facts.get(sample.pk)
            if previous is None or (previous.kind, previous.ref) != (kind, ref):
                fact_rows.append(
                    sampling_facts.verdict_fact(
                        sample_id=sample.pk,
                        sample_no=sample.sample_no,
                        enterprise_id=sample.enterprise_id,
                        uscc=sample.enterprise.uscc,
                        region_code=sample.enterprise.region_id,
                        failed=verdict == Verdict.FAIL,
                        verdict_label=Verdict(verdict).label,
                        product_type=sample.product_type.name,
                        data=sampling_facts.sample_fact_data(sample),
                        failed_items=deciding.failed_items,
                        occurred_on=(deciding.tested_on or sample.sampled_on) if archive else on,
                        ref=ref,
                        ends_id=previous.pk if previous is not None else None,
                    )
                )
        if verdict == Verdict.FAIL and sample.pk not in objected and sample.pk not in with_steps:
            if notice is None:
                notice = notice_step_fields(on=on, archive=archive, archive_note=archive_note, user=user)
            new_steps.append(FollowUp(sample=sample, step=FollowUpStep.NOTICE, **notice))
            if archive:
                summary.chains_outside += 1
            else:
                summary.notices_opened += 1
        if verdict == Verdict.PASS and sample.pk in with_steps:
            # A re-test or a correction turned it 合格 (possibly through 待定 while an objection was open).
            to_close.append(sample.pk)

    now = timezone.now()
    for verdict, pks in changed.items():
        Sample.objects.filter(pk__in=pks).update(final_verdict=verdict, updated_at=now)
        summary.verdicts_changed += len(pks)
    if changed:
        from sampling.services.publication import announcement_counts_refresh, announcements_of_published

        # A published batch whose verdict changed changes its announcement's stored counts.
        announcement_counts_refresh(announcements_of_published(pk for pks in changed.values() for pk in pks))
    if new_steps:
        FollowUp.objects.bulk_create(new_steps, batch_size=2000, ignore_conflicts=True)
    if to_close:
        summary.chains_closed = close_open_steps(
            sample_ids=to_close, on=on, note=_("最终结论为合格，后处理终止。"), user=user
        )
    sampling_facts.record_facts(fact_rows, user=user)
    return summary


@dataclass(frozen=True, slots=True)
class NewBatch:
    """A batch inserted in this transaction with its only result (a confirmed first test), as its writer wrote
    them: what the after-confirmation step needs of it, without reading it back (``region_code`` and ``uscc``
    are the enterprise's stored ones)."""

    sample_id: int
    result_id: int
    sample_no: str
    task_code: str
    enterprise_id: int
    uscc: str
    region_code: str
    product_type_id: int
    product_type: str
    product_group_id: int
    stage: str
    sampled_on: dt.date
    tested_on: dt.date | None
    verdict: str
    failed_items: tuple[str, ...]


def new_results_confirmed_after(
    *,
    user,
    batches: list[NewBatch],
    on: dt.date | None = None,
    archive: bool = False,
    archive_note: str = "",
) -> AfterConfirmation:
    """The after-confirmation step for ``batches`` inserted in this transaction with their only result, whose
    verdict (合格 or 不合格) was written as the batch's final verdict (the import's new batches).

    Such a batch has no re-test, objection, follow-up step, amendment or fact yet, so ``results_confirmed_after``
    changes no verdict and closes nothing for it: it records one verdict fact (ref ``<result id>.0``) and opens
    the notice step of each 不合格 (with ``archive``, the chain handled outside the platform). This records the
    same, set-based, from the values the writer holds instead of model instances read back."""

    on = on or timezone.localdate()
    summary = AfterConfirmation()
    if not batches:
        return summary
    labels = {Verdict.PASS: str(Verdict.PASS.label), Verdict.FAIL: str(Verdict.FAIL.label)}
    fact_rows = []
    for b in batches:
        if b.verdict not in labels:
            raise ValueError(f"batch {b.sample_no}: a new batch's result must be 合格 or 不合格, not {b.verdict!r}")
        fact_rows.append(
            sampling_facts.verdict_fact(
                sample_id=b.sample_id,
                sample_no=b.sample_no,
                enterprise_id=b.enterprise_id,
                uscc=b.uscc,
                region_code=b.region_code,
                failed=b.verdict == Verdict.FAIL,
                verdict_label=labels[b.verdict],
                product_type=b.product_type,
                data=sampling_facts.verdict_fact_data(
                    sample_no=b.sample_no,
                    task_code=b.task_code,
                    product_type_id=b.product_type_id,
                    product_type=b.product_type,
                    product_group_id=b.product_group_id,
                    stage=b.stage,
                ),
                failed_items=b.failed_items,
                occurred_on=(b.tested_on or b.sampled_on) if archive else on,
                ref=sampling_facts.verdict_ref(b.result_id, 0),
            )
        )
    failed = sorted(b.sample_id for b in batches if b.verdict == Verdict.FAIL)
    if failed:
        fields = notice_step_fields(on=on, archive=archive, archive_note=archive_note, user=user)
        if archive:
            summary.chains_outside = len(failed)
        else:
            summary.notices_opened = len(failed)
        steps = [FollowUp(sample_id=pk, step=FollowUpStep.NOTICE, **fields) for pk in failed]
        FollowUp.objects.bulk_create(steps, batch_size=2000, ignore_conflicts=True)
    sampling_facts.record_facts(fact_rows, user=user)
    return summary


def notice_step_fields(*, on: dt.date, archive: bool, archive_note: str, user) -> dict:
    """The fields of the notice step a new 不合格 opens on ``on`` (its legal limit and due date); with ``archive``,
    the step recorded as handled outside the platform (平台外办结) that day, with ``archive_note``."""
    from core.timelimits import due_for, limit
    from sampling.services.followups import notice_fields

    fields = notice_fields(limit("sampling.notice"), due_for("sampling.notice", on), start=on)
    if archive:
        FOLLOWUP_FLOW.require(FollowUp(step=FollowUpStep.NOTICE, **fields), FollowUpOutcome.OUTSIDE)
        fields.update(
            outcome=FollowUpOutcome.OUTSIDE,
            done_on=on,
            done_by=user if getattr(user, "pk", None) else None,
            note=archive_note or _("历史数据归档导入：后处理已在平台外办结。"),
        )
    return fields


def close_open_steps(*, sample_ids, on: dt.date, note: str, user=None) -> int:
    """Close the open (non-optional) steps of samples whose verdict turned 合格."""
    steps = list(
        FollowUp.objects.select_for_update()
        .filter(sample_id__in=list(sample_ids), done_on__isnull=True)
        .exclude(step__in=OPTIONAL_STEPS)
    )
    for step in steps:
        FOLLOWUP_FLOW.require(step, FollowUpOutcome.CLOSED)
        step.outcome, step.done_on, step.note = FollowUpOutcome.CLOSED, on, note
        step.done_by = user if getattr(user, "pk", None) else None
    FollowUp.objects.bulk_update(steps, ["outcome", "done_on", "note", "done_by"], batch_size=2000)
    return len(steps)
