"""The import use case: read, validate the whole file, then write everything in one transaction."""

from __future__ import annotations

from django.db import transaction

from core.audit import audit_context
from sampling.services.importing.summary import ImportSummary
from sampling.services.importing.validation import ImportPlan
from sampling.services.importing.writing import write_plan
from sampling.services.spreadsheets import read_tables, read_upload


def import_sampling(
    *,
    file,
    items_file=None,
    user=None,
    create_missing: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Import sampled batches and their confirmed test results from an .xlsx or .csv file.

    Validates every row before writing; returns the summary with ``errors`` filled (and nothing
    written) when any row is bad. Raises ``DomainError`` when the file cannot be read at all.
    """
    name, data = read_upload(file)
    items_name, items_data = read_upload(items_file) if items_file is not None else ("", None)
    main_rows, item_rows = read_tables(name, data, items_name=items_name, items_data=items_data)
    plan = ImportPlan(user=user, create_missing=create_missing)
    summary = ImportSummary(file_name=name, dry_run=dry_run)
    plan.validate(main_rows, item_rows, summary)
    if summary.errors or dry_run:
        return summary
    with audit_context(user=user, source="sampling.import", file=name), transaction.atomic():
        write_plan(plan)
    return summary
