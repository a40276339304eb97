"""Render a report to a PDF file: manage.py generate_report pass_rate --period 2017 --output report.pdf"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.audit import audit_context
from core.errors import DomainError
from core.models import NATIONAL_CODE, Region
from core.reports import pipeline
from core.reports.periods import Period
from core.reports.registry import get_kind


class Command(BaseCommand):
    help = _("生成报告 PDF（期间：2017 年度、2017-Q3 季度、2017-05 月度）。")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("kind", help=_("报告类型，例如 pass_rate"))
        parser.add_argument("--period", required=True, help=_("统计期间：2017、2017-Q3 或 2017-05"))
        parser.add_argument("--jurisdiction", default=NATIONAL_CODE, help=_("统计范围的区划代码（默认全国）"))
        parser.add_argument("--output", required=True, help=_("输出的 PDF 文件"))
        parser.add_argument("--html", help=_("另存一份 HTML（可选）"))
        parser.add_argument("--language", default="", help=_("报告语言，例如 en（默认中文）"))

    def handle(self, *args, kind, period, jurisdiction, output, html=None, language="", **options):
        from django.conf import settings
        from django.utils import translation

        if language and language not in {code for code, _name in settings.LANGUAGES}:
            raise CommandError(_("不支持的语言：%(language)s") % {"language": language})
        with translation.override(language or settings.LANGUAGE_CODE):
            self._generate(kind, period, jurisdiction, output, html)

    def _generate(self, kind, period, jurisdiction, output, html):
        try:
            report_kind = get_kind(kind)
            parsed = Period.parse(period)
        except DomainError as exc:
            raise CommandError(str(exc))
        region = Region.objects.filter(code=jurisdiction).first()
        if region is None:
            raise CommandError(_("区划代码 %(code)s 不存在。") % {"code": jurisdiction})
        timer = pipeline.StepTimer()
        with audit_context(source="command:generate_report"):
            snapshot = pipeline.build_snapshot(report_kind, parsed, region, timer)
            pdf = pipeline.render_pdf(report_kind, snapshot, timer)
        # Written whole, after rendering succeeded: a failure leaves no partial file.
        target = Path(output)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(pdf)
        partial.replace(target)
        if html:
            from core.reports.render import render_html

            Path(html).write_text(render_html(report_kind, snapshot), encoding="utf-8")
        steps = pgettext("list separator", "，").join(
            _("%(step)s %(seconds)s 秒") % {"step": name, "seconds": f"{seconds:.2f}"}
            for name, seconds in timer.seconds.items()
        )
        self.stdout.write(
            _("%(title)s → %(target)s（%(size)s 字节；%(steps)s）")
            % {"title": snapshot["meta"]["title"], "target": target, "size": f"{len(pdf):,}", "steps": steps}
        )
