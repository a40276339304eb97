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
    # The after-confirmation step (services.verdicts) and re-imports over confirmed results.
    notices_opened: int = 0
    chains_outside: int = 0
    chains_closed: int = 0
    amendments: int = 0
    product_lines_added: int = 0
    archive: bool = False
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
            (_("生成送达不合格通知"), self.notices_opened),
            (_("平台外办结（归档）"), self.chains_outside),
            (_("后处理终止（改判合格）"), self.chains_closed),
            (_("结果更正记录"), self.amendments),
            (_("新增企业产品"), self.product_lines_added),
        ]

    @property
    def archive_note(self) -> str:
        """What an archive import says in its summary."""
        if not self.archive:
            return ""
        return _("归档导入：%(count)d 批不合格的后处理已登记为“平台外办结”，未生成待办环节，不计逾期。") % {
            "count": self.chains_outside
        }
