"""Validation of a whole file before anything is written: every row, every column, every error collected."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

from core.models import Enterprise, Institution, ProductGroup, ProductType, Region, RegionLevel
from core.selectors import region_in_jurisdiction
from core.validators import uscc_error_reason
from sampling.models import ItemResult, Sample, SamplingTask, TaskLevel, TestResult, Verdict
from sampling.services.importing.summary import ImportSummary, RowError
from sampling.services.importing.vocabulary import LEVEL_VALUES, SIZE_VALUES, STAGE_VALUES, VERDICT_VALUES
from sampling.services.spreadsheets import (
    ITEM_TASK_COLUMN,
    ITEMS_SHEET,
    REQUIRED_ITEM_COLUMNS,
    REQUIRED_MAIN_COLUMNS,
    TASK_COLUMNS,
    RowSource,
    cell_text,
    normalise_header,
)

FAILED_ITEM_SEPARATORS = re.compile(r"[；;、]")
DATE_PATTERN = re.compile(r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$")
HEADER_SEARCH_ROWS = 10

# Column → (model, field) whose max_length bounds the cell.
LENGTH_LIMITS = {
    "抽样单编号": (Sample, "sample_no"),
    "任务编号": (SamplingTask, "code"),
    "任务名称": (SamplingTask, "name"),
    "产品名称": (ProductType, "name"),
    "企业名称": (Enterprise, "name"),
    "商标": (Sample, "brand"),
    "规格型号": (Sample, "model_spec"),
    "生产日期/批号": (Sample, "production_batch"),
    "检验机构": (Institution, "name"),
    "检验报告编号": (TestResult, "report_no"),
}
ITEM_LENGTH_LIMITS = {
    "检验项目": (ItemResult, "item_name"),
    "标准要求": (ItemResult, "requirement"),
    "实测值": (ItemResult, "measured_value"),
    "依据标准": (ItemResult, "standard"),
}
# The same bounds as numbers, looked up once instead of per cell.
MAX_LENGTHS = {column: model._meta.get_field(name).max_length for column, (model, name) in LENGTH_LIMITS.items()}
FAILED_ITEM_MAX_LENGTH = ItemResult._meta.get_field("item_name").max_length
TASK_NAME_MAX_LENGTH = SamplingTask._meta.get_field("name").max_length
YEAR_PATTERN = re.compile(r"\d{4}")


@dataclass(slots=True)
class BatchRow:
    """A validated main-sheet row, ready to write."""

    row: int
    sample_no: str
    task_code: str
    sampled_on: dt.date
    group_id: int
    product_name: str
    enterprise_name: str
    uscc: str
    region_code: str
    size: str
    stage: str
    brand: str
    model_spec: str
    production_batch: str
    institution: str
    report_no: str
    verdict: str
    failed_items: list[str]


@dataclass(slots=True)
class ItemRow:
    row: int
    key: tuple[str, str]  # (task code, sample number)
    item_name: str
    standard: str
    requirement: str
    measured_value: str
    verdict: str
    order: int


@dataclass
class NewTask:
    row: int
    name: str
    level: str
    year: int
    region_code: str


def _blank(row) -> bool:
    """Whether every cell of the row reads as empty text (cell_text); stops at the first that does not."""
    for value in row:
        if value is None:
            continue
        if value.__class__ is str:
            if value.strip():
                return False
        elif cell_text(value) != "":
            return False
    return True


class ImportPlan:
    """The validated content of a file: rows to write, reference data to create, every error found."""

    def __init__(self, *, user, create_missing: bool) -> None:
        self.user = user
        self.create_missing = create_missing
        self.errors: list[RowError] = []
        # Only the keys of the main sheet are kept, not its rows: (task code, sample no) → (row, verdict).
        # The rows are read again, a chunk at a time, when they are written (batch_chunks).
        self.keys: dict[tuple[str, str], tuple[int, str]] = {}
        self.items: list[ItemRow] = []
        self.header_row = 1
        self._main_header: tuple[int, dict[str, int]] | None = None
        # What the written batches link, collected while validating (bounded by the reference data, not the rows).
        self.task_products: set[tuple[str, int, str]] = set()  # (task code, group id, product name)
        self.enterprise_products: set[tuple[str, int, str]] = set()  # (USCC, group id, product name)
        self.reported_columns: set[str] = set()
        self.uscc_checks: dict[str, str] = {}  # code → error reason ('' when valid)
        # (code, name, level, year) of new tasks whose columns passed on some row (_task checks each once).
        self.tasks_checked: set[tuple[str, str, str, str]] = set()
        self.sheet_keys: list[tuple[str, str]] = []  # (task code, sample no) of every main-sheet row
        # Lookups, filled by _prefetch.
        self.regions: dict[str, Region] = {}
        self.province_zones: dict[str, str] = {}
        self.groups: dict[str, int] = {}
        self.types: dict[tuple[int, str], int] = {}
        self.tasks: dict[str, tuple[int, int]] = {}  # code → (id, year)
        self.enterprises: dict[str, int] = {}
        self.enterprise_regions: dict[int, str] = {}  # id → stored region (filled when writing)
        self.institutions: dict[str, int] = {}
        # Things to create (only with create_missing).
        self.new_tasks: dict[str, NewTask] = {}
        self.new_types: set[tuple[int, str]] = set()
        self.new_enterprises: dict[str, BatchRow] = {}
        self.new_institutions: set[str] = set()
        # (task code, sample no) → (sample id, verdict of a confirmed re-test) of batches already stored.
        self.existing: dict[tuple[str, str], tuple[int, str]] = {}
        self.product_lines_added = 0

    # --- validation -------------------------------------------------------------------------

    def validate(self, main_rows: RowSource, item_rows: RowSource, summary: ImportSummary) -> None:
        """Two passes over the rows, one row held at a time: the first collects the keys to look up (a few
        queries for the whole file), the second checks each row against them. Only the validated rows are kept."""
        header_index, columns = self._header(main_rows, REQUIRED_MAIN_COLUMNS, sheet="")
        if columns is None:
            summary.errors = self.errors
            return
        self.header_row = header_index + 1
        self._main_header = (header_index, columns)
        summary.rows_read = self._prefetch(self._records(main_rows, header_index, columns))
        for row_no, record in self._records(main_rows, header_index, columns):
            batch = self._validate_row(row_no, record)
            if batch is None:
                continue
            key = (batch.task_code, batch.sample_no)
            if key in self.keys:
                self._error(
                    row_no,
                    "抽样单编号",
                    _("与第 %(row)d 行重复（同一任务内抽样单编号唯一）") % {"row": self.keys[key][0]},
                )
                continue
            self.keys[key] = (row_no, batch.verdict)
            self.task_products.add((batch.task_code, batch.group_id, batch.product_name))
            self.enterprise_products.add((batch.uscc, batch.group_id, batch.product_name))
        if item_rows:
            self._validate_items(item_rows)
        self.errors.sort(key=lambda e: (e.sheet != "", e.row))
        summary.errors = self.errors
        if not self.errors:
            self._count(summary)

    def batch_chunks(self, main_rows: RowSource, size: int) -> Iterable[list[BatchRow]]:
        """The validated batches again, read from the file a chunk at a time (for writing): only one chunk of
        rows is held. The reference data the file creates must be written first, so every row finds it."""
        header_index, columns = self._main_header
        chunk: list[BatchRow] = []
        for row_no, record in self._records(main_rows, header_index, columns):
            batch = self._validate_row(row_no, record)
            if batch is None or self.keys.get((batch.task_code, batch.sample_no), (0, ""))[0] != row_no:
                # The file was validated without error; a row that fails now means it changed underneath.
                raise RuntimeError(f"row {row_no} no longer validates: {self.errors[-3:]}")
            chunk.append(batch)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _error(self, row: int, column: str, reason: str, sheet: str = "") -> None:
        self.errors.append(RowError(row=row, column=column, reason=str(reason), sheet=sheet))

    def _header(self, rows: RowSource, required: list[str], *, sheet: str) -> tuple[int, dict[str, int] | None]:
        """The header row (the first of the top rows naming 抽样单编号) and column positions."""
        for index, row in enumerate(itertools.islice(rows, HEADER_SEARCH_ROWS)):
            names = [normalise_header(value) for value in row]
            if "抽样单编号" in names:
                columns: dict[str, int] = {}
                for position, name in enumerate(names):
                    if name and name not in columns:
                        columns[name] = position
                missing = [name for name in required if name not in columns]
                for name in missing:
                    self._error(index + 1, name, _("缺少必填列"), sheet)
                return index, (None if missing else columns)
        for name in required:
            self._error(1, name, _("缺少必填列"), sheet)
        return 0, None

    @staticmethod
    def _records(rows: RowSource, header_index: int, columns: dict[str, int]) -> Iterable[tuple[int, dict[str, Any]]]:
        names = list(columns)
        positions = list(columns.values())
        width = max(positions) + 1
        take = operator.itemgetter(*positions) if len(positions) > 1 else (lambda row: (row[positions[0]],))
        for index, row in enumerate(itertools.islice(rows, header_index + 1, None), start=header_index + 1):
            if _blank(row):
                continue
            if len(row) >= width:
                yield index + 1, dict(zip(names, take(row), strict=True))
            else:
                yield index + 1, {name: (row[pos] if pos < len(row) else None) for name, pos in columns.items()}

    def _prefetch(self, records: Iterable[tuple[int, dict[str, Any]]]) -> int:
        """Look up the reference data the rows name (first pass); returns how many rows were read."""
        codes: set[str] = set()
        task_codes: set[str] = set()
        usccs: set[str] = set()
        institution_names: set[str] = set()
        sheet_keys: set[tuple[str, str]] = set()
        count = 0
        for _row_no, r in records:
            count += 1
            codes.add(cell_text(r.get("所在地区代码")))
            task_codes.add(cell_text(r.get("任务编号")))
            usccs.add(cell_text(r.get("统一社会信用代码")).upper())
            institution_names.add(cell_text(r.get("检验机构")))
            sheet_keys.add((cell_text(r.get("任务编号")), cell_text(r.get("抽样单编号"))))
        self.sheet_keys = sorted(sheet_keys)
        wanted = codes | {c[:2] + "0000" for c in codes} | {c[:4] + "00" for c in codes} | {"000000"}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=wanted)}
        self.province_zones = {
            code: region.zone for code, region in self.regions.items() if region.level == RegionLevel.PROVINCE
        }
        self.groups = dict(ProductGroup.objects.values_list("name", "id"))
        self.types = {(g, n): pk for pk, g, n in ProductType.objects.values_list("id", "group_id", "name")}
        self.tasks = {
            code: (pk, year)
            for pk, code, year in SamplingTask.objects.filter(code__in=task_codes).values_list("id", "code", "year")
        }
        self.enterprises = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "id"))
        self.institutions = dict(Institution.objects.filter(name__in=institution_names).values_list("name", "id"))
        return count

    def _validate_row(self, row_no: int, record: dict[str, Any]) -> BatchRow | None:
        before = len(self.errors)

        def text(column: str, *, required: bool = True) -> str:
            value = record.get(column)
            # Most cells are text already: strip them here instead of through cell_text.
            value = value.strip() if value.__class__ is str else cell_text(value)
            if not value:
                if required:
                    self._error(row_no, column, _("必填"))
            elif column in MAX_LENGTHS and len(value) > MAX_LENGTHS[column]:
                self._error(row_no, column, _("不能超过 %(limit)d 个字符") % {"limit": MAX_LENGTHS[column]})
            return value

        def choice(column: str, values: dict[str, str]) -> str:
            value = text(column)
            if value and value not in values:
                self._error(row_no, column, _("应为 %(choices)s 之一") % {"choices": " / ".join(values)})
                return ""
            return values.get(value, "")

        sample_no = text("抽样单编号")
        task_code = text("任务编号")
        sampled_on = self._date(row_no, "抽样日期", record.get("抽样日期"))
        group_name = text("产品类别")
        product_name = text("产品名称")
        enterprise_name = text("企业名称")
        uscc = self._uscc(row_no, text("统一社会信用代码"))
        region_code = self._region(row_no, text("所在地区代码"))
        size = choice("企业规模", SIZE_VALUES)
        stage = choice("抽样环节", STAGE_VALUES)
        brand = text("商标", required=False)
        model_spec = text("规格型号", required=False)
        production_batch = text("生产日期/批号", required=False)
        institution = text("检验机构")
        report_no = text("检验报告编号")
        verdict = choice("检验结论", VERDICT_VALUES)
        failed_items = self._failed_items(row_no, verdict, text("不合格项目", required=False))

        group_id = self._product(row_no, group_name, product_name)
        if task_code:
            self._task(row_no, task_code, region_code, record)
        if uscc and uscc not in self.enterprises and not self.create_missing:
            self._error(row_no, "统一社会信用代码", _("企业不存在（可勾选“创建缺失的任务和企业”）"))
        if institution and institution not in self.institutions:
            if self.create_missing:
                self.new_institutions.add(institution)
            else:
                self._error(row_no, "检验机构", _("检验机构“%(name)s”不存在") % {"name": institution})

        if len(self.errors) > before:
            return None
        batch = BatchRow(
            row=row_no,
            sample_no=sample_no,
            task_code=task_code,
            sampled_on=sampled_on,
            group_id=group_id,
            product_name=product_name,
            enterprise_name=enterprise_name,
            uscc=uscc,
            region_code=region_code,
            size=size,
            stage=stage,
            brand=brand,
            model_spec=model_spec,
            production_batch=production_batch,
            institution=institution,
            report_no=report_no,
            verdict=verdict,
            failed_items=failed_items,
        )
        if uscc not in self.enterprises and uscc not in self.new_enterprises:
            # Created from the first good row that names it (matched by USCC afterwards).
            self.new_enterprises.setdefault(uscc, batch)
        return batch

    def _date(self, row_no: int, column: str, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raw = cell_text(value)
        if not raw:
            self._error(row_no, column, _("必填"))
            return None
        match = DATE_PATTERN.match(raw)
        if match:
            try:
                return dt.date(int(match[1]), int(match[3]), int(match[4]))
            except ValueError:
                pass
        self._error(row_no, column, _("日期“%(value)s”无效，应为 YYYY-MM-DD 或 YYYY/MM/DD") % {"value": raw})
        return None

    def _uscc(self, row_no: int, value: str) -> str:
        if not value:
            return ""
        value = value.upper()
        if value not in self.uscc_checks:  # an enterprise appears on many rows; check each code once
            try:
                stdnum_uscc.validate(value)
                self.uscc_checks[value] = ""
            except StdnumError as exc:
                self.uscc_checks[value] = uscc_error_reason(exc)
        if self.uscc_checks[value]:
            self._error(row_no, "统一社会信用代码", self.uscc_checks[value])
            return ""
        return value

    def _region(self, row_no: int, code: str) -> str:
        if not code:
            return ""
        if not (len(code) == 6 and code.isdigit()):
            self._error(row_no, "所在地区代码", _("应为 6 位数字"))
            return ""
        if code not in self.regions:
            self._error(row_no, "所在地区代码", _("行政区划代码“%(code)s”不存在") % {"code": code})
            return ""
        if self.user is not None and not region_in_jurisdiction(self.user, code):
            self._error(row_no, "所在地区代码", _("地区“%(code)s”不在您的管辖范围内") % {"code": code})
            return ""
        return code

    def _failed_items(self, row_no: int, verdict: str, raw: str) -> list[str]:
        if not raw:
            items = []
        else:
            items = list(dict.fromkeys(part.strip() for part in FAILED_ITEM_SEPARATORS.split(raw) if part.strip()))
        if verdict == Verdict.FAIL and not items:
            self._error(row_no, "不合格项目", _("检验结论为不合格时必填"))
        elif verdict == Verdict.PASS and items:
            self._error(row_no, "不合格项目", _("检验结论为合格时应为空"))
        limit = FAILED_ITEM_MAX_LENGTH
        if any(len(item) > limit for item in items):
            self._error(row_no, "不合格项目", _("每个项目不能超过 %(limit)d 个字符") % {"limit": limit})
        return items

    def _product(self, row_no: int, group_name: str, product_name: str) -> int:
        if not group_name:
            return 0
        group_id = self.groups.get(group_name)
        if group_id is None:
            self._error(row_no, "产品类别", _("产品类别“%(name)s”不在产品目录中") % {"name": group_name})
            return 0
        if product_name and (group_id, product_name) not in self.types:
            if self.create_missing:
                self.new_types.add((group_id, product_name))
            elif not any(name == product_name for _, name in self.types):
                self._error(row_no, "产品名称", _("产品名称“%(name)s”不在产品目录中") % {"name": product_name})
            else:
                self._error(
                    row_no,
                    "产品名称",
                    _("产品名称“%(name)s”不属于产品类别“%(group)s”") % {"name": product_name, "group": group_name},
                )
        return group_id

    def _task(self, row_no: int, code: str, region_code: str, record: dict[str, Any]) -> None:
        if code in self.tasks:
            return
        if not self.create_missing:
            self._error(row_no, "任务编号", _("抽查任务“%(code)s”不存在") % {"code": code})
            return
        values = {column: cell_text(record.get(column)) for column in TASK_COLUMNS}
        checked = (code, values["任务名称"], values["抽查级别"], values["年度"])
        if region_code and checked in self.tasks_checked:
            return  # the same task columns as an earlier row that passed: the same outcome
        before = len(self.errors)
        missing_column = False
        for column in TASK_COLUMNS:
            if column not in record:
                missing_column = True
                if column not in self.reported_columns:  # a missing column is reported once, not per row
                    self.reported_columns.add(column)
                    self._error(self.header_row, column, _("缺少列（创建不存在的任务时必填）"))
            elif not values[column]:
                self._error(row_no, column, _("任务不存在时，创建任务需要填写"))
        level = LEVEL_VALUES.get(values["抽查级别"], "")
        if values["抽查级别"] and not level:
            self._error(row_no, "抽查级别", _("应为 %(choices)s 之一") % {"choices": " / ".join(LEVEL_VALUES)})
        year = int(values["年度"]) if YEAR_PATTERN.fullmatch(values["年度"]) else 0
        if values["年度"] and not 2000 <= year <= 2100:
            self._error(row_no, "年度", _("应为 2000 至 2100 之间的四位年份"))
        name_limit = TASK_NAME_MAX_LENGTH
        if len(values["任务名称"]) > name_limit:
            self._error(row_no, "任务名称", _("不能超过 %(limit)d 个字符") % {"limit": name_limit})
        if missing_column or len(self.errors) > before or not region_code:
            return
        earlier = self.new_tasks.get(code)
        if earlier is None:
            self.new_tasks[code] = NewTask(
                row=row_no,
                name=values["任务名称"],
                level=level,
                year=year,
                region_code=self._task_region(level, region_code),
            )
        elif (earlier.name, earlier.level, earlier.year) != (values["任务名称"], level, year):
            self._error(row_no, "任务编号", _("任务名称、抽查级别或年度与第 %(row)d 行不一致") % {"row": earlier.row})
            return
        self.tasks_checked.add(checked)

    def _task_region(self, level: str, region_code: str) -> str:
        """The organising region of a new task: the row's region at the task's level."""
        candidate = {
            TaskLevel.NATIONAL: "000000",
            TaskLevel.PROVINCE: region_code[:2] + "0000",
            TaskLevel.CITY: region_code[:4] + "00",
        }.get(level, region_code)
        return candidate if candidate in self.regions else region_code

    def _validate_items(self, rows: RowSource) -> None:
        header_index, columns = self._header(rows, REQUIRED_ITEM_COLUMNS, sheet=ITEMS_SHEET)
        if columns is None:
            return
        # Items may name any batch of the main sheet, including one whose row has its own errors.
        by_sample_no: dict[str, list[tuple[str, str]]] = {}
        for task_code, sample_no in self.sheet_keys:
            by_sample_no.setdefault(sample_no, []).append((task_code, sample_no))
        seen: dict[tuple[tuple[str, str], str], int] = {}
        for order, (row_no, record) in enumerate(self._records(rows, header_index, columns)):
            before = len(self.errors)

            def text(column: str, *, required: bool = False, row_no: int = row_no, record=record) -> str:
                value = cell_text(record.get(column))
                if required and not value:
                    self._error(row_no, column, _("必填"), ITEMS_SHEET)
                elif value and column in ITEM_LENGTH_LIMITS:
                    model, field_name = ITEM_LENGTH_LIMITS[column]
                    limit = model._meta.get_field(field_name).max_length
                    if len(value) > limit:
                        self._error(row_no, column, _("不能超过 %(limit)d 个字符") % {"limit": limit}, ITEMS_SHEET)
                return value

            sample_no = text("抽样单编号", required=True)
            task_code = text(ITEM_TASK_COLUMN)
            item_name = text("检验项目", required=True)
            verdict_text = text("单项判定", required=True)
            verdict = VERDICT_VALUES.get(verdict_text, "")
            if verdict_text and not verdict:
                self._error(row_no, "单项判定", _("应为 合格 / 不合格 之一"), ITEMS_SHEET)
            key = None
            if sample_no:
                candidates = [k for k in by_sample_no.get(sample_no, []) if not task_code or k[0] == task_code]
                if not candidates:
                    self._error(
                        row_no, "抽样单编号", _("抽样单编号“%(no)s”不在抽查结果表中") % {"no": sample_no}, ITEMS_SHEET
                    )
                elif len(candidates) > 1:
                    self._error(row_no, "抽样单编号", _("该抽样单编号属于多个任务，请填写“任务编号”列"), ITEMS_SHEET)
                else:
                    key = candidates[0]
            if key and item_name:
                if (key, item_name) in seen:
                    self._error(
                        row_no, "检验项目", _("与第 %(row)d 行重复") % {"row": seen[(key, item_name)]}, ITEMS_SHEET
                    )
                seen[(key, item_name)] = row_no
            if len(self.errors) > before or key is None:
                continue
            self.items.append(
                ItemRow(
                    row=row_no,
                    key=key,
                    item_name=item_name,
                    standard=text("依据标准"),
                    requirement=text("标准要求"),
                    measured_value=text("实测值"),
                    verdict=verdict,
                    order=order,
                )
            )
        self._check_verdicts_agree()

    def _check_verdicts_agree(self) -> None:
        """A batch fails when any of its items fails (and passes when none does)."""
        items_of = self.items_by_batch()
        for key, (row, verdict) in self.keys.items():
            items = items_of.get(key)
            if not items:
                continue
            failed = [item for item in items if item.verdict == Verdict.FAIL]
            if verdict == Verdict.PASS and failed:
                self._error(
                    row,
                    "检验结论",
                    _("检验结论为合格，但检验项目表第 %(row)d 行“%(item)s”判定为不合格")
                    % {"row": failed[0].row, "item": failed[0].item_name},
                )
            elif verdict == Verdict.FAIL and not failed:
                self._error(row, "检验结论", _("检验结论为不合格，但检验项目表中该批次没有不合格项目"))

    def items_by_batch(self) -> dict[tuple[str, str], list[ItemRow]]:
        items_of: dict[tuple[str, str], list[ItemRow]] = {}
        for item in self.items:
            items_of.setdefault(item.key, []).append(item)
        return items_of

    # --- counting ---------------------------------------------------------------

    def _existing_samples(self) -> dict[tuple[str, str], tuple[int, str]]:
        """(task code, sample no) → (sample id, verdict of a confirmed re-test or '') for batches already stored."""
        task_ids = {code: pk for code, (pk, _year) in self.tasks.items()}
        by_task: dict[int, list[str]] = {}
        for task_code, sample_no in self.keys:
            if task_code in task_ids:
                by_task.setdefault(task_ids[task_code], []).append(sample_no)
        code_of = {pk: code for code, pk in task_ids.items()}
        existing: dict[tuple[str, str], tuple[int, str]] = {}
        for task_id, numbers in by_task.items():
            for start in range(0, len(numbers), 10000):
                chunk = numbers[start : start + 10000]
                for pk, sample_no in Sample.objects.filter(task_id=task_id, sample_no__in=chunk).values_list(
                    "id", "sample_no"
                ):
                    existing[(code_of[task_id], sample_no)] = (pk, "")
        if existing:
            retests = dict(
                TestResult.objects.filter(is_retest=True, is_confirmed=True, sample__task_id__in=by_task).values_list(
                    "sample_id", "verdict"
                )
            )
            existing = {key: (pk, retests.get(pk, "")) for key, (pk, _v) in existing.items()}
        return existing

    def _count(self, summary: ImportSummary) -> None:
        self.existing = self._existing_samples()
        summary.batches_updated = sum(1 for key in self.keys if key in self.existing)
        summary.batches_created = len(self.keys) - summary.batches_updated
        summary.enterprises_created = len(self.new_enterprises)
        summary.tasks_created = len(self.new_tasks)
        summary.product_types_created = len(self.new_types)
        summary.institutions_created = len(self.new_institutions)
        summary.item_rows = len(self.items)
