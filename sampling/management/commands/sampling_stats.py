"""manage.py sampling_stats [--year Y] [--task CODE] --by {group,type,region,zone,size,stage,year} [--json]"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sampling.statistics import BY_CHOICES, pass_rate_table

JSON_KEYS = ("key", "batches", "passed", "pass_rate")


class Command(BaseCommand):
    help = _("按类别、产品、地区、区域、企业规模、抽样环节或年度统计批次合格率")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, choices=BY_CHOICES, help=_("分组方式"))
        parser.add_argument("--year", type=int, help=_("年度"))
        parser.add_argument("--task", help=_("任务编号"))
        parser.add_argument(
            "--json", action="store_true", help=_("输出 JSON（pass_rate 为未取整的比值，无批次时为 null）")
        )

    def handle(self, *args, **options):
        filters = {"year": options["year"], "task_code": options["task"]}
        # One scan: every batch with a verdict falls in exactly one group, so the total is their sum.
        rows, total = pass_rate_table(by=options["by"], **filters)
        if options["json"]:
            payload = [{key: row[key] for key in JSON_KEYS} for row in [*rows, total]]
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        header = [_("分组"), _("批次"), _("合格"), _("不合格"), _("合格率")]
        lines = [header]
        for row in [*rows, total]:
            if row["key"] == "total":
                label = _("合计")
            elif row["key"] != row["label"]:  # regions: code and name
                label = f"{row['key']} {row['label']}"
            else:
                label = row["label"]
            rate = "—" if row["pass_rate"] is None else f"{row['pass_rate'] * 100:.1f}%"
            lines.append([label, str(row["batches"]), str(row["passed"]), str(row["failed"]), rate])
        widths = [max(_display_width(line[i]) for line in lines) for i in range(len(header))]
        for line in lines:
            cells = [_pad(cell, width, left=i == 0) for i, (cell, width) in enumerate(zip(line, widths, strict=True))]
            self.stdout.write("  ".join(cells).rstrip())


def _display_width(text: str) -> int:
    """Terminal width: CJK characters take two columns."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _display_width(text))
    return text + space if left else space + text
