"""manage.py recount_task_progress [--dry-run]: count every task's progress afresh and report the differences."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("重新统计每个抽查任务的进度（已抽样、已检验、不合格、已公告批次），报告与存储值不一致的任务")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只报告不一致的任务，不写入"))

    def handle(self, *args, **options):
        from sampling.services.rebuild import recount_task_progress

        # The counters are not in the task's history (sampling.progress): the recount records no events.
        drifts = recount_task_progress(dry_run=options["dry_run"])
        if not drifts:
            self.stdout.write(_("任务进度与抽样单一致，无需变更。"))
            return
        verb = _("不一致（未写入）") if options["dry_run"] else _("已更正")
        for drift in drifts:
            self.stdout.write(
                _("%(verb)s %(code)s：已抽样/已检验/不合格/已公告 %(stored)s → %(counted)s")
                % {
                    "verb": verb,
                    "code": drift.code,
                    "stored": "/".join(map(str, drift.stored)),
                    "counted": "/".join(map(str, drift.counted)),
                }
            )
        self.stdout.write(_("共 %(count)d 个任务。") % {"count": len(drifts)})
