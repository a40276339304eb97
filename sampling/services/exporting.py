"""Export of sampled batches in the interchange shape (抽查结果导入模板), so an export imports back unchanged."""

from __future__ import annotations

import io

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sampling.models import ItemResult, Sample, TestResult
from sampling.services.importing import LEVEL_VALUES, SIZE_VALUES, STAGE_VALUES, VERDICT_VALUES
from sampling.services.spreadsheets import ITEM_COLUMNS, ITEM_TASK_COLUMN, ITEMS_SHEET, MAIN_COLUMNS, MAIN_SHEET

CHUNK_SIZE = 2000
# A cell starting with one of these is a formula (or becomes one when edited) in Excel and other spreadsheets:
# such text is written as a text cell with Excel's quote prefix, never as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# Stored values → the published Chinese words (the inverse of the import's tables).
LEVEL_WORDS = {value: word for word, value in LEVEL_VALUES.items()}
SIZE_WORDS = {value: word for word, value in SIZE_VALUES.items()}
STAGE_WORDS = {value: word for word, value in STAGE_VALUES.items()}
VERDICT_WORDS = {value: word for word, value in VERDICT_VALUES.items()}


def export_samples(queryset: QuerySet[Sample]) -> bytes:
    """An .xlsx with sheet 抽查结果 (one row per batch, its first test) and 检验项目 when any batch has items.

    Batches without a result are exported with empty result columns, to be filled and imported back.
    """
    samples = (
        queryset.select_related("task", "enterprise", "product_type__group")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=TestResult.objects.filter(is_retest=False)
                .select_related("institution")
                .prefetch_related(Prefetch("items", queryset=ItemResult.objects.order_by("order", "id"))),
                to_attr="first_results",
            )
        )
        .order_by("task__code", "sample_no")
    )
    workbook = Workbook(write_only=True)
    main = workbook.create_sheet(MAIN_SHEET)
    main.append(MAIN_COLUMNS)
    item_rows: list[tuple[str, str, list]] = []
    for sample in samples.iterator(chunk_size=CHUNK_SIZE):
        result = sample.first_results[0] if sample.first_results else None
        main.append([_safe(main, value) for value in _main_row(main, sample, result)])
        if result is not None:
            for item in result.items.all():
                item_rows.append(
                    (
                        sample.task.code,
                        sample.sample_no,
                        [item.item_name, item.requirement, item.measured_value, VERDICT_WORDS.get(item.verdict, "")],
                    )
                )
    if item_rows:
        _write_items(workbook, item_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _main_row(sheet, sample: Sample, result: TestResult | None) -> list:
    sampled_on = WriteOnlyCell(sheet, value=sample.sampled_on)
    sampled_on.number_format = "yyyy-mm-dd"
    task = sample.task
    return [
        sample.sample_no,
        task.code,
        task.name,
        LEVEL_WORDS.get(task.level, ""),
        task.year,
        sampled_on,
        sample.product_type.group.name,
        sample.product_type.name,
        sample.enterprise.name,
        sample.enterprise.uscc,
        # Text, so that codes keep their digits as typed.
        sample.region_id,
        SIZE_WORDS.get(sample.enterprise_size, ""),
        STAGE_WORDS.get(sample.stage, ""),
        sample.brand,
        sample.model_spec,
        sample.production_batch,
        result.institution.name if result else "",
        result.report_no if result else "",
        VERDICT_WORDS.get(result.verdict, "") if result else "",
        "；".join(result.failed_items) if result else "",
    ]


def _write_items(workbook: Workbook, item_rows: list[tuple[str, str, list]]) -> None:
    # The format keys items by sample number; the task column is added only when a number is used by two tasks.
    batches = {(code, sample_no) for code, sample_no, _values in item_rows}
    ambiguous = len({sample_no for _code, sample_no in batches}) < len(batches)
    sheet = workbook.create_sheet(ITEMS_SHEET)
    sheet.append(ITEM_COLUMNS + ([ITEM_TASK_COLUMN] if ambiguous else []))
    for code, sample_no, values in item_rows:
        sheet.append([_safe(sheet, value) for value in [sample_no, *values, *([code] if ambiguous else [])]])


def _safe(sheet, value):
    """Text that a spreadsheet would run as a formula becomes a quoted text cell; the value itself is unchanged,
    so the export still imports back as it was."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value
