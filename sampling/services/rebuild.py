"""Rebuilding sampling's facts from its records (manage.py rebuild_facts --app sampling), and recounting the
tasks' progress counters (manage.py recount_task_progress).

The facts the services record (services.facts) are derived again from samples, results, follow-ups and
announcements; what is missing is reported and, unless dry-run, recorded the way the services record it.
On a consistent database nothing is missing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.models_facts import EnterpriseFact
from sampling.models import (
    AnnouncementStatus,
    FollowUp,
    FollowUpOutcome,
    FollowUpStep,
    ResultAmendment,
    Sample,
    TestResult,
    Verdict,
)
from sampling.services import facts as sampling_facts
from sampling.services.followups import overdue_fact, overdue_rectifications, step_facts
from sampling.services.verdicts import OPEN_OBJECTION_STATES, deciding_result
from sampling.transitions import JUDGED_STEPS


def _existing(kinds) -> set[tuple[str, str, str, str]]:
    return set(EnterpriseFact.objects.filter(kind__in=kinds).values_list("kind", "source_type", "source_id", "ref"))


def _key(row: sampling_facts.FactRow) -> tuple[str, str, str, str]:
    return (row.kind, row.source_type, row.source_id, row.ref)


def missing_facts() -> list[sampling_facts.FactRow]:
    """The facts sampling's records call for that the ledger lacks."""
    from sampling.services.publication import publication_ref, published_fact

    existing = _existing(sampling_facts.SAMPLING_KINDS)
    missing: list[sampling_facts.FactRow] = []
    today = timezone.localdate()

    # Final verdicts: the current deciding result's fact.
    judged = Sample.objects.filter(final_verdict__in=[Verdict.PASS, Verdict.FAIL]).select_related(
        "task", "product_type", "enterprise"
    )
    ids = list(judged.values_list("pk", flat=True))
    results = defaultdict(list)
    for result in TestResult.objects.filter(sample_id__in=ids, is_confirmed=True):
        results[result.sample_id].append(result)
    objected = set(
        Sample.objects.filter(pk__in=ids, objections__status__in=OPEN_OBJECTION_STATES).values_list("pk", flat=True)
    )
    amended = dict(
        ResultAmendment.objects.filter(result__sample_id__in=ids)
        .values("result_id")
        .annotate(n=Count("id"))
        .values_list("result_id", "n")
    )
    open_facts = sampling_facts.open_verdict_facts(ids)
    for sample in judged.iterator(chunk_size=2000):
        deciding = deciding_result(results.get(sample.pk, []), objection_open=sample.pk in objected)
        if deciding is None:
            continue
        kind = sampling_facts.VERDICT_FAILED if deciding.verdict == Verdict.FAIL else sampling_facts.VERDICT_PASSED
        ref = sampling_facts.verdict_ref(deciding.pk, amended.get(deciding.pk, 0))
        key = (kind, sampling_facts.SAMPLE_SOURCE, str(sample.pk), ref)
        if key in existing:
            continue
        data = sampling_facts.sample_fact_data(sample)
        if kind == sampling_facts.VERDICT_FAILED:
            data["failed_items"] = list(deciding.failed_items)
        previous = open_facts.get(sample.pk)
        on = timezone.localdate(deciding.confirmed_at) if deciding.confirmed_at else today
        missing.append(
            sampling_facts.FactRow(
                enterprise_id=sample.enterprise_id,
                uscc=sample.enterprise.uscc,
                region_code=sample.enterprise.region_id,
                kind=kind,
                source_type=sampling_facts.SAMPLE_SOURCE,
                source_id=str(sample.pk),
                source_label=sample.sample_no,
                occurred_on=on,
                ref=ref,
                summary=f"{sample.sample_no} {sample.product_type.name} {Verdict(deciding.verdict).label}",
                data=data,
                ends_id=previous.pk if previous is not None else None,
            )
        )

    # Done and failed steps; rectifications overdue today.
    steps = FollowUp.objects.filter(
        done_on__isnull=False, outcome__in=[FollowUpOutcome.DONE, FollowUpOutcome.FAILED]
    ).filter(step__in=[FollowUpStep.RECTIFICATION, *JUDGED_STEPS])
    for step in steps.select_related("sample__enterprise").iterator(chunk_size=2000):
        missing.extend(row for row in step_facts(step) if _key(row) not in existing)
    for step in overdue_rectifications(today).select_related("sample__enterprise").iterator(chunk_size=2000):
        row = overdue_fact(step)
        if _key(row) not in existing:
            missing.append(row)

    # Publications: every published batch has its published fact; every ended publication its withdrawal.
    published = Sample.objects.filter(
        is_published=True, announcement__status=AnnouncementStatus.PUBLISHED
    ).select_related("announcement", "enterprise", "product_type")
    current_refs = set()
    for sample in published.iterator(chunk_size=2000):
        announcement = sample.announcement
        ref = publication_ref(announcement)
        current_refs.add((str(sample.pk), ref))
        row = published_fact(
            sample,
            announcement,
            ref=ref,
            on=timezone.localdate(announcement.published_at),
            product_type=sample.product_type.name,
        )
        if _key(row) not in existing:
            missing.append(row)
    open_published = EnterpriseFact.objects.filter(
        kind=sampling_facts.RESULT_PUBLISHED, source_type=sampling_facts.SAMPLE_SOURCE, ended_by__isnull=True
    )
    reasons = {}
    for fact in open_published.iterator(chunk_size=2000):
        if (fact.source_id, fact.ref) in current_refs:
            continue
        announcement_id = int(fact.ref.split("@", 1)[0]) if "@" in fact.ref else None
        if announcement_id not in reasons:
            from sampling.models import Announcement

            reasons[announcement_id] = (
                Announcement.objects.filter(pk=announcement_id).values_list("withdrawal_reason", "withdrawn_at").first()
            ) or ("", None)
        reason, withdrawn_at = reasons[announcement_id]
        missing.append(
            sampling_facts.FactRow(
                enterprise_id=fact.enterprise_id,
                uscc=fact.uscc,
                region_code=fact.region_code,
                kind=sampling_facts.RESULT_WITHDRAWN,
                source_type=fact.source_type,
                source_id=fact.source_id,
                source_label=fact.source_label,
                occurred_on=timezone.localdate(withdrawn_at) if withdrawn_at else today,
                ref=fact.ref,
                summary=fact.summary,
                data={"reason": reason},
                ends_id=fact.pk,
            )
        )
    return missing


def rebuild_sampling_facts(*, dry_run: bool = False) -> Counter:
    """Record the missing facts (unless ``dry_run``); returns how many per kind."""
    with transaction.atomic():
        rows = missing_facts()
        if not dry_run:
            sampling_facts.record_facts(rows)
    return Counter(row.kind for row in rows)


# --- Progress counters of the tasks (sampling.progress) ----------------------------------------------


@dataclass(frozen=True)
class ProgressDrift:
    """A task whose stored progress counters differed from a fresh count: (sampled, tested, failed, published)."""

    task_id: int
    code: str
    stored: tuple[int, int, int, int]
    counted: tuple[int, int, int, int]


def recount_task_progress(*, dry_run: bool = False) -> list[ProgressDrift]:
    """Count every task's progress afresh from its samples and report the tasks whose stored counters differ;
    unless ``dry_run``, write the fresh counts. Sample writers wait for the recount (SHARE lock on the samples),
    so no change can slip between the count and the write. On a consistent database the list is empty."""
    from django.db import connection

    from sampling import progress

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE sampling_sample IN SHARE MODE")
        if dry_run:
            cursor.execute(progress.DIFFERING_SQL)
            rows = cursor.fetchall()
        else:
            rows = progress.recount(cursor)
    return [ProgressDrift(row[0], row[1], tuple(row[2:6]), tuple(row[6:10])) for row in rows]
