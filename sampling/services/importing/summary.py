"""What an import reports: the row errors and the figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """One problem of the file: spreadsheet row number (header = 1), column and reason in Chinese."""

    row: int
    column: str
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        text = _("第 %(row)d 行，列“%(column)s”：%(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }
        return f"{self.sheet}：{text}" if self.sheet else text


@dataclass
class ImportSummary:
    file_name: str = ""
    rows_read: int = 0
    batches_created: int = 0
    batches_updated: int = 0
    enterprises_created: int = 0
    tasks_created: int = 0
    product_types_created: int = 0
    institutions_created: int = 0
    item_rows: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[tuple[str, int]]:
        """(Chinese label, figure) pairs for the command and the page."""
        return [
            (_("读取行数"), self.rows_read),
            (_("新增批次"), self.batches_created),
            (_("更新批次"), self.batches_updated),
            (_("新增企业"), self.enterprises_created),
            (_("新增任务"), self.tasks_created),
            (_("新增产品种类"), self.product_types_created),
            (_("新增检验机构"), self.institutions_created),
            (_("检验项目行数"), self.item_rows),
        ]
