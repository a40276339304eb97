"""After load_demo: the last finished month, quarter and year with data get their reports, so that a fresh
install does not open on an empty report archive. Synchronous (no worker needed) and safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.models import Region, RegionLevel
from core.models_reports import ReportStatus
from core.reports.periods import ANNUAL, MONTHLY, QUARTERLY, last_finished
from core.reports.registry import all_kinds
from core.reports.services import report_generate, report_request

# How far back to look for a period with data: a demo loaded today may have nothing in the last month.
LOOK_BACK = {MONTHLY: 12, QUARTERLY: 8, ANNUAL: 5}


def _provinces(codes) -> list[Region]:
    wanted = {code[:2] + "0000" for code in codes}
    return list(Region.objects.filter(code__in=wanted, level=RegionLevel.PROVINCE).order_by("code"))


def latest_period_with_data(kind, periodicity: str, today):
    """The most recent finished period of ``periodicity`` that has data for ``kind``, and its region codes."""
    period = last_finished(periodicity, today)
    for _step in range(LOOK_BACK.get(periodicity, 1)):
        codes = set(kind.jurisdictions_with_data(period))
        if codes:
            return period, codes
        period = period.previous
    return None, set()


class Command(BaseCommand):
    help = _("为演示数据生成最近一个已结束的月度、季度和年度报告（省级），报告档案首次打开即有内容；可重复运行")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def handle(self, *args, **options):
        today = timezone.localdate()
        with audit_context(source="command:generate_demo_reports"):
            for kind in all_kinds():
                for periodicity in kind.periodicities:
                    period, codes = latest_period_with_data(kind, periodicity, today)
                    if period is None:
                        continue
                    for region in _provinces(codes):
                        report, created = report_request(kind=kind.code, period=str(period), jurisdiction=region)
                        if report.status != ReportStatus.DONE:
                            report = report_generate(report_id=report.pk) or report
                            report.refresh_from_db()
                        state = _("已生成") if created else _("已存在")
                        self.stdout.write(
                            _("%(title)s：%(state)s（%(status)s）")
                            % {"title": report.title, "state": state, "status": report.get_status_display()}
                        )
