"""The import use case: read, validate the whole file, then write everything in one transaction and end
in the same after-confirmation step as a browser confirmation (services.verdicts.results_confirmed_after).

The file is read row by row, twice: the validation keeps only the keys of the rows (any error refuses the
whole file before anything is written); the writing reads the rows again and writes them a chunk at a time,
every chunk inside the one transaction, so a 100,000-row file never has all its batches in memory as objects.
A chunk's new batches (inserted with their only result) are settled by the set-based form of the step,
services.verdicts.new_results_confirmed_after, from the values just written; the batches it changed by the full one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.errors import PermissionDenied
from sampling import policies
from sampling.models import ResultAmendment, TestResult
from sampling.services.importing.summary import ImportSummary
from sampling.services.importing.validation import BatchRow, ImportPlan
from sampling.services.importing.writing import write_batches, write_product_lines, write_reference_data
from sampling.services.spreadsheets import open_tables, read_upload
from sampling.services.verdicts import new_results_confirmed_after, results_confirmed_after

# Rows written (and settled by the after-confirmation step) per chunk.
WRITE_CHUNK = 5000


def import_sampling(
    *,
    file,
    items_file=None,
    user=None,
    create_missing: bool = False,
    dry_run: bool = False,
    archive: bool = False,
) -> ImportSummary:
    """Import sampled batches and their confirmed test results from an .xlsx or .csv file.

    Validates every row before writing; returns the summary with ``errors`` filled (and nothing
    written) when any row is bad. Raises ``DomainError`` when the file cannot be read at all.
    The batches then go through the after-confirmation step: final verdicts, the notice step of each
    new 不合格 (or, with ``archive``, a chain recorded as handled outside the platform), the ledger facts.
    A re-import that changes a confirmed result records a ``ResultAmendment`` (before/after).
    """
    if archive and user is not None and not policies.can_import_archive(user):
        raise PermissionDenied(_("您无权进行归档导入。"))
    name, data = read_upload(file)
    items_name, items_data = read_upload(items_file) if items_file is not None else ("", None)
    main_rows, item_rows = open_tables(name, data, items_name=items_name, items_data=items_data)
    plan = ImportPlan(user=user, create_missing=create_missing)
    summary = ImportSummary(file_name=name, dry_run=dry_run, archive=archive)
    plan.validate(main_rows, item_rows, summary)
    if summary.errors or dry_run:
        return summary
    items_of = plan.items_by_batch()
    on = timezone.localdate()
    archive_note = _("历史数据归档导入（%(file)s）：后处理已在平台外办结。") % {"file": name}
    with audit_context(user=user, source="sampling.import", file=name, archive=archive), transaction.atomic():
        write_reference_data(plan)
        for batches in plan.batch_chunks(main_rows, WRITE_CHUNK):
            before = confirmed_snapshots(_possibly_changed(plan, batches, has_items=bool(plan.items)))
            written = write_batches(plan, batches, items_of)
            summary.amendments += _record_amendments(before, user=user, file_name=name)
            # New batches (with their only result) take the set-based form of the step; changed ones the full one.
            settled = (
                new_results_confirmed_after(
                    user=user, batches=written.new, on=on, archive=archive, archive_note=archive_note
                ),
                results_confirmed_after(
                    user=user, sample_ids=written.changed, on=on, archive=archive, archive_note=archive_note
                ),
            )
            for after in settled:
                summary.notices_opened += after.notices_opened
                summary.chains_outside += after.chains_outside
                summary.chains_closed += after.chains_closed
        write_product_lines(plan)
        summary.product_lines_added = plan.product_lines_added
    return summary


def _possibly_changed(plan: ImportPlan, batches: list[BatchRow], *, has_items: bool) -> list[int]:
    """Existing batches of this chunk whose confirmed first test the file may change: those whose header, verdict
    or failed items differ (all of them when the file carries per-item results)."""
    existing = {
        plan.existing[(b.task_code, b.sample_no)][0]: (b.task_code, b.sample_no)
        for b in batches
        if (b.task_code, b.sample_no) in plan.existing
    }
    if not existing:
        return []
    if has_items:
        return list(existing)
    incoming = {(b.task_code, b.sample_no): b for b in batches}
    changed = []
    ids = list(existing)
    for start in range(0, len(ids), 5000):
        rows = TestResult.objects.filter(
            sample_id__in=ids[start : start + 5000], is_retest=False, is_confirmed=True
        ).values_list("sample_id", "report_no", "institution_id", "verdict", "failed_items")
        for sample_id, report_no, institution_id, verdict, failed_items in rows:
            b = incoming[existing[sample_id]]
            if (report_no, institution_id, verdict, list(failed_items)) != (
                b.report_no,
                plan.institutions.get(b.institution),
                b.verdict,
                list(b.failed_items),
            ):
                changed.append(sample_id)
    return changed


def confirmed_snapshots(sample_ids) -> dict[int, dict]:
    """result id → snapshot (services.results.result_snapshot) of the confirmed first tests of these batches."""
    from sampling.services.results import result_snapshot

    snapshots: dict[int, dict] = {}
    ids = list(sample_ids)
    for start in range(0, len(ids), 5000):
        results = (
            TestResult.objects.filter(sample_id__in=ids[start : start + 5000], is_retest=False, is_confirmed=True)
            .select_related("institution")
            .prefetch_related("items")
        )
        snapshots.update({result.pk: result_snapshot(result) for result in results})
    return snapshots


def _record_amendments(before: dict[int, dict], *, user, file_name: str) -> int:
    if not before:
        return 0
    after = confirmed_snapshots(TestResult.objects.filter(pk__in=list(before)).values_list("sample_id", flat=True))
    reason = _("重新导入“%(file)s”更正已确认的检验结果") % {"file": file_name}
    amendments = [
        ResultAmendment(result_id=pk, reason=reason, before=old, after=after[pk], amended_by=user)
        for pk, old in before.items()
        if pk in after and after[pk] != old
    ]
    ResultAmendment.objects.bulk_create(amendments, batch_size=2000)
    return len(amendments)
