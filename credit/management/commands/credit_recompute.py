"""Recompute every credit record and class from the fact ledger (same result when run twice)."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.audit import audit_context


class Command(BaseCommand):
    help = _("从涉企信息重新生成全部信用记录并重新计算全部企业的信用风险分类；重复运行结果相同")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def handle(self, *args, **options):
        from credit.services.classes import recompute_classes
        from credit.services.records import take_up_facts

        with audit_context(source="manage.py credit_recompute"):
            started = time.perf_counter()
            added, _touched = take_up_facts(full=True)
            taken = time.perf_counter() - started
            result = recompute_classes()
            total = time.perf_counter() - started
        self.stdout.write(
            _(
                "新增信用记录 %(added)s 条（%(t1).1f 秒）；"
                "重新计算 %(n)s 家企业的分类，%(changed)s 家变化（共 %(t2).1f 秒）。"
            )
            % {"added": added, "t1": taken, "n": result.enterprises, "changed": result.changed, "t2": total}
        )
